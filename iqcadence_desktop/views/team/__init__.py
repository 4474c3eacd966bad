"""Team mode in the window: sign-in, connecting to a team database, the connection watch."""
