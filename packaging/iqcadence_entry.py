"""PyInstaller entry point: the desktop app; `iqcadence self-test` checks the build itself.

Kept outside the package so the build imports the installed `iqcadence_desktop`, exactly
what a user gets, rather than the source tree.
"""

import multiprocessing
import sys

from iqcadence_desktop.__main__ import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # a frozen app would otherwise respawn itself forever
    sys.exit(main())
