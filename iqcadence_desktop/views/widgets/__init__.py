"""Reusable widgets: charts, cards and small composite views."""
