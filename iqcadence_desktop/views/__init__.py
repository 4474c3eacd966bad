"""Qt widgets, pages, dialogs and item models. Knows services, never SQL."""
