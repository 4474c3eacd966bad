"""The "How predictive is our score?" page and the widgets only it uses."""
