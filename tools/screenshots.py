"""Screenshots of every page, tab, window, dialog and wizard step at laptop screen sizes.

    python tools/screenshots.py [--out docs/screenshots] [--size 1024x700 --size 1280x800]

Each size runs in its own process on Qt's offscreen platform with a virtual screen of
exactly that size, so windows are placed and sized as on such a laptop. The app runs on
a throwaway database (first empty, for the empty states, then with the 250-account
sample portfolio) with its settings and data in a temporary folder. Pictures are saved
as 8-bit PNGs, which keeps text sharp and the files small.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SIZES = ("1024x700", "1280x800")
SAMPLE_CSV = (
    "Account Name,CSM,MRR,Logins (30d),NPS,Renewal Date,Tier\n"
    'Northwind Traders,Sarah Chen,"$4,200",31,9,2027-03-01,Mid-Market\n'
    "Contoso Pharma,Marcus Webb,12500,8,4,2027-01-15,Enterprise\n"
    "Tailspin Toys,Priya Nair,900,55,seven,2027-06-30,SMB\n"
    ",Aiko Tanaka,1200,12,8,2027-02-01,SMB\n"
    "Fabrikam Robotics,Lena García,3100,22,10,2026-12-20,Mid-Market\n"
)


def _parse_size(text: str) -> tuple[int, int]:
    width, height = (int(part) for part in text.lower().split("x"))
    return width, height


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--size", action="append", help="WxH (repeatable)")
    parser.add_argument("--customers", type=int, default=250)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return _shoot_all(_parse_size(args.child), args.out, args.customers)
    failed = 0
    for size in args.size or DEFAULT_SIZES:
        failed += _run_child(size, args.out, args.customers)
    return 1 if failed else 0


def _run_child(size: str, out: Path, customers: int) -> int:
    """One process per screen size: Qt reads the virtual screen once, at start-up."""
    width, height = _parse_size(size)
    with tempfile.TemporaryDirectory(prefix="iqcadence-shots-") as tmp:
        screen = Path(tmp) / "screen.json"
        screen.write_text(
            json.dumps(
                {
                    "synchronousWindowSystemEvents": False,
                    "windowFrameMargins": False,
                    "screens": [
                        {
                            "name": "laptop",
                            "x": 0,
                            "y": 0,
                            "width": width,
                            "height": height,
                            "logicalDpi": 96,
                            "logicalBaseDpi": 96,
                            "dpr": 1,
                        }
                    ],
                }
            )
        )
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": f"offscreen:configfile={screen}",
            "HOME": tmp,
            "XDG_CONFIG_HOME": str(Path(tmp) / "config"),
            "IQCADENCE_DATA_DIR": str(Path(tmp) / "data"),
            "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
        }
        command = [sys.executable, __file__, "--child", size, "--out", str(out)]
        command += ["--customers", str(customers)]
        return subprocess.run(command, env=env, check=False).returncode


# -- inside the child process ----------------------------------------------------------


class Shooter:
    """Saves grabs of widgets as small PNGs, numbered in the order they were taken."""

    def __init__(self, app: Any, folder: Path) -> None:
        self.app = app
        self.folder = folder
        self.count = 0
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.png"):
            old.unlink()

    def settle(self, window: Any) -> None:
        """Let background loads finish and the event loop paint."""
        for _ in range(3):
            self.app.processEvents()
            window.ctx.tasks.wait()
        self.app.processEvents()

    def shot(self, widget: Any, name: str) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QImage

        self.app.processEvents()
        self.count += 1
        # A palette without dithering: flat UI colours stay flat and compress well.
        flags = Qt.ImageConversionFlag.AvoidDither | Qt.ImageConversionFlag.ThresholdDither
        image = widget.grab().toImage().convertToFormat(QImage.Format.Format_Indexed8, flags)
        path = self.folder / f"{self.count:02d}-{name}.png"
        if not image.save(str(path), "PNG", 0):
            raise OSError(f"could not write {path}")
        print(f"  {path.relative_to(self.folder.parent)}")


@contextmanager
def _window(db: Path) -> Iterator[Any]:
    from iqcadence_desktop.app import build_window

    window, cleanup = build_window(str(db))
    try:
        window.show()
        yield window
    finally:
        window.close()
        cleanup()


def _shoot_all(size: tuple[int, int], out: Path, customers: int) -> int:
    from iqcadence_desktop.app import create_application

    app = create_application()
    folder = out / f"{size[0]}x{size[1]}"
    shooter = Shooter(app, folder)
    print(f"{size[0]}x{size[1]}:")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp, _window(Path(tmp) / "shots.sqlite3") as window:
        _fill_screen(window, app)
        shooter.settle(window)
        _empty_states(shooter, window)
        window.ctx.services.customers.load_sample(customers, 90, 7)
        shooter.settle(window)
        for step in STEPS:
            step(shooter, window, Path(tmp))
    print(f"  {shooter.count} pictures in {time.perf_counter() - started:.1f} s")
    return 0


def _fill_screen(window: Any, app: Any) -> None:
    window.setGeometry(app.primaryScreen().availableGeometry())


def _page(shooter: Shooter, window: Any, page_id: str) -> Any:
    window.show_page(page_id)
    page = window.pages[page_id]
    page.refresh()
    shooter.settle(window)
    return page


def _empty_states(shooter: Shooter, window: Any) -> None:
    for page_id in ("home", "alerts", "customers", "reports", "audit_log"):
        _page(shooter, window, page_id)
        shooter.shot(window, f"empty-{page_id}")


def _pages(shooter: Shooter, window: Any, _tmp: Path) -> None:
    from iqcadence_desktop.views.main_window import PAGE_CLASSES

    for cls in PAGE_CLASSES:
        _page(shooter, window, cls.PAGE_ID)
        shooter.shot(window, f"page-{cls.PAGE_ID}")


def _home_lower(shooter: Shooter, window: Any, _tmp: Path) -> None:
    from PySide6.QtWidgets import QScrollArea

    page = _page(shooter, window, "home")
    for area in page.findChildren(QScrollArea):
        area.verticalScrollBar().setValue(area.verticalScrollBar().maximum())
    shooter.shot(window, "page-home-lower")
    for area in page.findChildren(QScrollArea):
        area.verticalScrollBar().setValue(0)


def _report_preview(shooter: Shooter, window: Any, _tmp: Path) -> None:
    page = _page(shooter, window, "reports")
    page.kind_list.setCurrentRow(0)
    page.generate_button.click()
    shooter.settle(window)
    shooter.shot(window, "reports-preview")


def _tabs(shooter: Shooter, window: Any, page_id: str, tabs: Any, prefix: str) -> None:
    _page(shooter, window, page_id)
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        shooter.settle(window)
        label = tabs.tabText(index).replace("&&", "and").replace("&", "")
        shooter.shot(window, f"{prefix}-{_slug(label)}")
    tabs.setCurrentIndex(0)


def _slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def _settings(shooter: Shooter, window: Any, _tmp: Path) -> None:
    page = window.pages["settings"]
    _tabs(shooter, window, "settings", page.tabs, "settings")


def _audit(shooter: Shooter, window: Any, _tmp: Path) -> None:
    page = window.pages["audit_log"]
    _tabs(shooter, window, "audit_log", page.tabs, "audit")


def _alerts(shooter: Shooter, window: Any, _tmp: Path) -> None:
    page = _page(shooter, window, "alerts")
    for view in page.view_buttons.buttons():
        view.click()
        shooter.settle(window)
        shooter.shot(window, f"alerts-{_slug(view.text())}")


def _customers(shooter: Shooter, window: Any, _tmp: Path) -> None:
    page = _page(shooter, window, "customers")
    page.tabs.setCurrentIndex(3)  # At Risk
    shooter.settle(window)
    shooter.shot(window, "customers-at-risk")
    page.tabs.setCurrentIndex(0)


def _import_wizard(shooter: Shooter, window: Any, tmp: Path) -> None:
    page = _page(shooter, window, "import_export")
    wizard = page.wizard
    csv = tmp / "crm-export.csv"
    csv.write_text(SAMPLE_CSV, encoding="utf-8")
    wizard.reset()
    shooter.shot(window, "import-1-choose")
    wizard.load_file(csv)
    shooter.settle(window)
    shooter.shot(window, "import-2-mapping")
    wizard.start(dry_run=True)
    shooter.settle(window)
    shooter.shot(window, "import-3-checked")
    wizard.start(dry_run=False)
    shooter.settle(window)
    shooter.shot(window, "import-4-finished")
    wizard.reset()
    page.tabs.setCurrentIndex(1)
    shooter.settle(window)
    shooter.shot(window, "import-export-backup")
    page.tabs.setCurrentIndex(0)


def _customer_window(shooter: Shooter, window: Any, _tmp: Path) -> None:
    from iqcadence_desktop.views.customer_detail.window import CustomerDetailWindow

    services = window.ctx.services
    rows = sorted(services.customers.list_customers(), key=lambda c: c.priority, reverse=True)
    window.open_customer(rows[0].id)
    shooter.settle(window)
    detail = next(w for w in window.findChildren(CustomerDetailWindow) if w.isVisible())
    for index in range(detail.tabs.count()):
        detail.tabs.setCurrentIndex(index)
        shooter.settle(window)
        shooter.shot(detail, f"customer-{_slug(detail.tabs.tabText(index))}")
    for name, dialog in _dialogs(detail):
        shooter.settle(window)
        shooter.shot(dialog, name)
        dialog.close()
    detail.close()


def _dialogs(detail: Any) -> Iterator[tuple[str, Any]]:
    """The detail window's own dialogs, opened without running their event loops."""
    detail.tabs.setCurrentIndex(0)
    opener: Callable[[], Any] | None = getattr(detail.overview, "override_dialog", None)
    if opener is not None:
        dialog = opener()
        dialog.show()
        yield "dialog-set-score-by-hand", dialog


STEPS: tuple[Callable[[Shooter, Any, Path], None], ...] = (
    _pages,
    _home_lower,
    _report_preview,
    _alerts,
    _customers,
    _settings,
    _audit,
    _import_wizard,
    _customer_window,
)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
