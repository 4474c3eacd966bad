"""Local fake servers on 127.0.0.1 that speak the real APIs' shapes (tests and bench)."""
