"""Entry point of the `iqcadence` executable (and `python -m iqcadence_desktop`).

`iqcadence self-test ...` runs the GUI self-test (a frozen build has one executable and
checks itself this way); anything else starts the desktop app. Dispatching here keeps
`app` (the composition root) and `selftest` (which drives it) free of a circle.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["self-test"]:
        from iqcadence_desktop import selftest

        return selftest.main(args[1:])
    from iqcadence_desktop import app

    return app.main(args)


if __name__ == "__main__":
    raise SystemExit(main())
