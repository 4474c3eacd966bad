"""`self-test`: start the real GUI offscreen on a throwaway database and check it end to end.

Used to check a packaged build (`make package` runs the frozen app's `self-test`, dispatched
by `__main__`) and from source (`iqcadence-cli self-test`, registered in
`cli/self_test.py`). It builds the window through `app.build_window`, the same path the app
takes, loads a sample portfolio, opens and refreshes every page in `PAGE_CLASSES`,
optionally saves one PNG per page and window size, and runs the checks below. It passes only
if nothing raised and nothing was logged at WARNING or above, by Python or by Qt.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from iqcadence_desktop import __version__

if TYPE_CHECKING:
    from PySide6.QtGui import QColor

_T_IMPORT = time.perf_counter()
#: Qt messages that are harmless under the offscreen platform (it cannot size native windows).
QT_ALLOWED = ("This plugin does not support propagateSizeHints()",)
#: Background steps a page may chain while it loads (the self-test waits for each), and
#: the pause a page leaves between showing its figures and starting the next read.
LOAD_STEPS = 3
SETTLE_S = 0.06
#: Files the packaged app must carry (relative to iqcadence_desktop/resources).
REQUIRED_RESOURCES = (
    ("icons", "iqcadence.png"),
    ("icons", "iqcadence.ico"),
    ("icons", "iqcadence.icns"),
)


@dataclass
class SelfTestRun:
    """What a check gets: the live window, its services and a scratch folder."""

    window: Any  # views.main_window.MainWindow (Qt is imported lazily)
    services: Any  # services.container.Services
    scratch: Path
    shots: Path | None = None  # where screenshots go, when asked for
    saved: list[str] | None = None  # the summary's list of screenshots taken


#: A check returns a short detail string, returns None to report "skipped", or raises.
Check = Callable[[SelfTestRun], str | None]
#: Checks run after the built-in ones; each gets the live SelfTestRun.
EXTRA_CHECKS: list[tuple[str, Check]] = []


@dataclass
class Summary:
    ok: bool = False
    version: str = __version__
    frozen: bool = bool(getattr(sys, "frozen", False))
    qt_platform: str = ""
    first_window_s: float | None = None
    first_window_clock: str = ""
    total_s: float = 0.0
    pages: list[dict[str, Any]] = field(default_factory=list)
    checks: list[dict[str, Any]] = field(default_factory=list)
    keyring: dict[str, Any] = field(default_factory=dict)
    screenshots: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


HELP = (
    "start the GUI offscreen on a temporary database and check every page (exit 0 when all is well)"
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The self-test's options, shared by `iqcadence self-test` and `iqcadence-cli self-test`."""
    p.add_argument(
        "--screenshots",
        metavar="DIR",
        type=Path,
        help="save one PNG per page (and per --size) into DIR",
    )
    p.add_argument(
        "--size",
        action="append",
        metavar="WxH",
        type=_size,
        help="window size for screenshots (repeatable; default 1280x800)",
    )
    p.add_argument(
        "--customers",
        type=_count,
        default=120,
        help="sample accounts to load (default 120; 0 = start empty)",
    )
    p.add_argument(
        "--database",
        metavar="FILE",
        type=Path,
        help="use this SQLite file instead of a temporary one (created and "
        "filled on first use, kept afterwards: times a warm start)",
    )
    p.add_argument(
        "--report",
        metavar="FILE",
        type=Path,
        help="also write the JSON summary to FILE (windowed builds have no stdout)",
    )
    p.add_argument(
        "--json", dest="selftest_json", action="store_true", help="print the JSON summary"
    )


def main(argv: list[str]) -> int:
    """`iqcadence self-test ...` (the frozen app's own check)."""
    parser = argparse.ArgumentParser(prog="iqcadence self-test", description=HELP)
    add_arguments(parser)
    return run(parser.parse_args(argv))


def _count(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of 0 or more")
    return int(text)


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size like 1280x800") from None
    if w < 400 or h < 300:
        raise argparse.ArgumentTypeError(f"{text!r} is too small; use at least 400x300")
    return w, h


def process_age() -> tuple[float, str]:
    """Seconds since this process started, and how that was measured."""
    try:  # Linux: the kernel's start time, so interpreter and bootloader start-up count too
        stat = Path("/proc/self/stat").read_text()
        start_ticks = int(stat.rsplit(")", 1)[1].split()[19])
        uptime = time.clock_gettime(time.CLOCK_BOOTTIME)
        return uptime - start_ticks / os.sysconf("SC_CLK_TCK"), "process start"
    except (OSError, ValueError, IndexError, AttributeError):
        return time.perf_counter() - _T_IMPORT, "self-test module import"


class _ProblemLog(logging.Handler):
    """Collects every record at WARNING or above."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.problems = problems

    def emit(self, record: logging.LogRecord) -> None:
        self.problems.append(f"log {record.levelname} {record.name}: {record.getMessage()}")


@contextmanager
def _collect_problems(problems: list[str]) -> Iterator[None]:
    """Route Python logging, warnings, uncaught slot exceptions and Qt messages to problems."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    def on_qt_message(kind: QtMsgType, _context: object, message: str) -> None:
        if (
            kind != QtMsgType.QtDebugMsg
            and kind != QtMsgType.QtInfoMsg
            and not any(allowed in message for allowed in QT_ALLOWED)
        ):
            problems.append(f"qt {kind.name}: {message}")

    def on_exception(kind: type[BaseException], exc: BaseException, tb: Any) -> None:
        problems.append("exception: " + "".join(traceback.format_exception(kind, exc, tb)))

    handler, root = _ProblemLog(problems), logging.getLogger()
    root.addHandler(handler)
    logging.captureWarnings(True)
    previous_qt = qInstallMessageHandler(on_qt_message)
    previous_hook, sys.excepthook = sys.excepthook, on_exception
    try:
        yield
    finally:
        sys.excepthook = previous_hook
        qInstallMessageHandler(previous_qt)
        logging.captureWarnings(False)
        root.removeHandler(handler)


@contextmanager
def _isolated_ui_state(scratch: Path) -> Iterator[None]:
    """Window geometry and last page go to the scratch folder, not the user's settings."""
    from PySide6.QtCore import QSettings, QStandardPaths

    ini, user = QSettings.Format.IniFormat, QSettings.Scope.UserScope
    previous = QSettings.defaultFormat()
    QSettings.setDefaultFormat(ini)
    QSettings.setPath(ini, user, str(scratch))
    try:
        yield
    finally:  # matters only in-process (tests); Qt has no getter for the old path
        QSettings.setDefaultFormat(previous)
        config = QStandardPaths.StandardLocation.GenericConfigLocation
        QSettings.setPath(ini, user, QStandardPaths.writableLocation(config))


def _application() -> Any:
    if not os.environ.get("QT_QPA_PLATFORM"):  # an explicit xcb still wins; empty = unset
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication

    from iqcadence_desktop.app import create_application

    existing = QApplication.instance()  # in-process tests already have one
    return existing if existing is not None else create_application()


def run(args: argparse.Namespace, json_output: bool = False) -> int:
    """Run the self-test with parsed options; 0 when all is well."""
    started = time.perf_counter()
    summary = Summary()
    with tempfile.TemporaryDirectory(prefix="iqcadence-selftest-") as tmp:
        scratch = Path(tmp)
        with _collect_problems(summary.problems):
            try:
                _run(summary, scratch, args)
            except Exception:  # noqa: BLE001 - any failure is the self-test's verdict
                summary.problems.append("exception: " + traceback.format_exc())
    summary.total_s = round(time.perf_counter() - started, 3)
    summary.ok = not summary.problems and all(c["status"] != "failed" for c in summary.checks)
    _report(summary, json_output or args.selftest_json, args.report)
    return 0 if summary.ok else 1


def _run(summary: Summary, scratch: Path, args: argparse.Namespace) -> None:
    app = _application()
    summary.qt_platform = app.platformName()
    with _isolated_ui_state(scratch):
        _run_window(summary, scratch, args, app)


def _run_window(summary: Summary, scratch: Path, args: argparse.Namespace, app: Any) -> None:
    from iqcadence_desktop.app import build_window

    database = args.database or scratch / "selftest.sqlite3"
    fresh = not database.exists()
    window, cleanup = build_window(str(database))
    try:
        window.show()
        app.processEvents()
        age, clock = process_age()
        summary.first_window_s, summary.first_window_clock = round(age, 3), clock
        window.ctx.tasks.wait()  # the start-up daily snapshot job
        if fresh and args.customers > 0:  # the same call as Home's "Load a sample portfolio"
            window.ctx.services.customers.load_sample(args.customers, 30, 7)
            app.processEvents()
        run = SelfTestRun(
            window, window.ctx.services, scratch, args.screenshots, summary.screenshots
        )
        _visit_pages(summary, run, app, args.screenshots, args.size or [(1280, 800)])
        _run_checks(summary, run)
    finally:
        window.close()
        cleanup()
        window.deleteLater()
        # processEvents() does not run deferred deletes; without this the window and its
        # pages' timers outlive the database they read from.
        from PySide6.QtCore import QEvent

        app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        app.processEvents()


def _visit_pages(
    summary: Summary, run: SelfTestRun, app: Any, shots: Path | None, sizes: list[tuple[int, int]]
) -> None:
    from iqcadence_desktop.views.main_window import PAGE_CLASSES

    if shots is not None:
        shots.mkdir(parents=True, exist_ok=True)
    for width, height in sizes:
        run.window.resize(width, height)
        for index, cls in enumerate(PAGE_CLASSES, start=1):
            t0 = time.perf_counter()
            run.window.show_page(cls.PAGE_ID)
            page = run.window.pages[cls.PAGE_ID]
            page.refresh()
            app.processEvents()
            _settle(app, run.window.ctx.tasks)
            entry = {
                "id": cls.PAGE_ID,
                "title": cls.TITLE,
                "size": f"{width}x{height}",
                "ms": round((time.perf_counter() - t0) * 1000, 1),
            }
            if shots is not None:
                path = shots / f"{index:02d}-{cls.PAGE_ID}-{width}x{height}.png"
                if not run.window.grab().save(str(path)):
                    raise OSError(f"could not write the screenshot {path}")
                summary.screenshots.append(str(path))
            summary.pages.append(entry)


def _settle(app: Any, tasks: Any) -> None:
    """Let a page finish loading: pages read in the background, some in steps (figures
    first, then trend lines or a manager's detail), so the picture shows them loaded."""
    for _step in range(LOAD_STEPS):
        tasks.wait()
        app.processEvents()
        time.sleep(SETTLE_S)
        app.processEvents()


def _check_resources(_run: SelfTestRun) -> str:
    from PySide6.QtGui import QIcon

    from iqcadence_desktop.paths import resource_path

    missing = [
        str(resource_path(*parts))
        for parts in REQUIRED_RESOURCES
        if not resource_path(*parts).is_file()
    ]
    if missing:
        raise FileNotFoundError("bundled resources missing: " + ", ".join(missing))
    if QIcon(str(resource_path("icons", "iqcadence.png"))).isNull():
        raise ValueError("the app icon does not load")
    return f"{len(REQUIRED_RESOURCES)} resources found under {resource_path()}"


def _check_migrations(_run: SelfTestRun) -> str:
    from iqcadence_desktop.models import db as db_module

    folder = Path(db_module.__file__).parent / "migrations"
    versions = sorted(p.name for p in (folder / "versions").glob("*.py"))
    if not (folder / "env.py").is_file() or not versions:
        raise FileNotFoundError(f"Alembic migrations are missing from {folder}")
    return f"{len(versions)} migration(s); the database was upgraded to head"


def _check_keyring(_run: SelfTestRun) -> str:
    from importlib.metadata import entry_points

    from iqcadence_desktop.services.system import KeyringSecretStore

    # Without keyring's metadata a frozen app silently falls back to fail.Keyring.
    if not entry_points(group="keyring.backends"):
        raise LookupError("keyring backends are not registered (package metadata missing)")
    status = KeyringSecretStore().status()
    return f"{status.backend} ({'usable' if status.usable else 'not usable'}): {status.message}"


def _check_reportlab(run: SelfTestRun) -> str:
    from reportlab.pdfgen.canvas import Canvas

    path = run.scratch / "reportlab-check.pdf"
    pdf = Canvas(str(path))
    pdf.drawString(72, 720, "iQcadence self-test: Müller GmbH, Zürich")
    pdf.save()
    if not path.read_bytes().startswith(b"%PDF"):
        raise ValueError("reportlab wrote something that is not a PDF")
    return f"PDF written ({path.stat().st_size} bytes)"


def _check_chart(_run: SelfTestRun) -> str:
    """pyqtgraph draws in the bundle (the charts' pages import it lazily)."""
    import pyqtgraph as pg
    from PySide6.QtGui import QColor

    plot = pg.PlotWidget(background="w")
    try:
        plot.resize(320, 200)
        plot.plot(list(range(10)), [v * v for v in range(10)], pen=pg.mkPen("#2f5bea", width=4))
        image = plot.grab().toImage()
        drawn = sum(
            1
            for x in range(0, image.width(), 2)
            for y in range(0, image.height(), 2)
            if _near(image.pixelColor(x, y), QColor("#2f5bea"))
        )
    finally:
        plot.close()
        plot.deleteLater()
    if drawn < 20:
        raise ValueError(f"the test chart shows no curve ({drawn} curve pixels)")
    return f"pyqtgraph {pg.__version__} drew a curve ({drawn} sampled pixels)"


def _near(color: QColor, target: QColor) -> bool:
    return (
        abs(color.red() - target.red())
        + abs(color.green() - target.green())
        + abs(color.blue() - target.blue())
    ) < 60


def _check_report_pdf(run: SelfTestRun) -> str:
    """A real report through the reports service: bundled fonts, branding, charts."""
    from iqcadence_desktop.services.reports import ReportRequest

    out = run.scratch / "selftest-portfolio-summary.pdf"
    request = ReportRequest("portfolio-summary", run.services.clock.today())
    run.services.reports.render(request, out, "pdf")
    size = out.stat().st_size
    if size < 1000 or not out.read_bytes().startswith(b"%PDF"):
        raise RuntimeError(f"the portfolio summary PDF looks broken ({size} bytes)")
    return f"portfolio-summary.pdf, {size:,} bytes"


def _check_detail_window(run: SelfTestRun) -> str | None:
    """Open the first customer's detail window the way a double-click does, every tab."""
    rows = run.services.customers.list_customers()
    if not rows:
        return None  # an empty portfolio has no customer to open
    run.window.open_customer(rows[0].id)
    from PySide6.QtWidgets import QApplication

    from iqcadence_desktop.views.customer_detail.window import CustomerDetailWindow

    windows = run.window.findChildren(CustomerDetailWindow)
    if not windows:
        raise RuntimeError("the customer detail window did not open")
    detail = windows[0]
    for index in range(detail.tabs.count()):
        detail.tabs.setCurrentIndex(index)
        QApplication.processEvents()
    if run.shots is not None and run.saved is not None:
        path = run.shots / "detail-window.png"
        if not detail.grab().save(str(path)):
            raise OSError(f"could not write the screenshot {path}")
        run.saved.append(str(path))
    tabs = detail.tabs.count()
    detail.close()
    return f"{rows[0].name}: {tabs} tabs"


BUILTIN_CHECKS: tuple[tuple[str, Check], ...] = (
    ("resources", _check_resources),
    ("migrations", _check_migrations),
    ("keyring", _check_keyring),
    ("reportlab", _check_reportlab),
    ("chart", _check_chart),
    ("report pdf", _check_report_pdf),
    ("customer detail window", _check_detail_window),
)


def _run_checks(summary: Summary, run: SelfTestRun) -> None:
    for name, check in (*BUILTIN_CHECKS, *EXTRA_CHECKS):
        try:
            detail = check(run)
            status = "skipped" if detail is None else "passed"
        except Exception as exc:  # noqa: BLE001 - reported, and fails the run
            status, detail = "failed", f"{type(exc).__name__}: {exc}"
        summary.checks.append({"name": name, "status": status, "detail": detail or ""})
    keyring = next((c for c in summary.checks if c["name"] == "keyring"), None)
    if keyring is not None:
        summary.keyring = {"status": keyring["status"], "detail": keyring["detail"]}


def _report(summary: Summary, as_json: bool, report: Path | None) -> None:
    document = json.dumps(asdict(summary), ensure_ascii=False, indent=2)
    if report is not None:
        report.write_text(document + "\n", encoding="utf-8")
    if sys.stdout is None:  # windowed build on Windows: only --report is seen
        return
    if as_json:
        print(document)
        return
    for page in summary.pages:
        print(f"page {page['id']:<14} {page['size']:>9}  {page['ms']:7.1f} ms")
    for check in summary.checks:
        print(f"check {check['name']:<12} {check['status']:<8} {check['detail']}")
    print(
        f"first window shown {summary.first_window_s} s after {summary.first_window_clock}"
        f" ({summary.qt_platform}); total {summary.total_s} s"
    )
    for problem in summary.problems:
        print(f"PROBLEM {problem}", file=sys.stderr)
    print("Self-test passed." if summary.ok else "Self-test FAILED.")
