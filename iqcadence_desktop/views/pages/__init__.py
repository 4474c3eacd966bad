"""Sidebar pages, one module each; registered in `views/main_window.py`."""
