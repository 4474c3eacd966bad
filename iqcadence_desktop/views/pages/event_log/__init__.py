"""The Event Log page: every delivery attempt, filterable; failed entries re-sendable."""
