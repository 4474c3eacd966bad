"""`python -m iqcadence_desktop` starts the desktop app."""

from iqcadence_desktop.app import main

if __name__ == "__main__":
    raise SystemExit(main())
