"""Local fake servers for tests (127.0.0.1 only): a webhook receiver and an SMTP server."""
