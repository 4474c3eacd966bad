"""The renderer on its own: long tables split with repeated headers; fonts fall back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from iqcadence_desktop.services.reports.model import (
    Column,
    Methodology,
    ReportDocument,
    Table,
)
from iqcadence_desktop.services.reports.render.fonts import CJK, markup, needs_fallback
from iqcadence_desktop.services.reports.render.pdf import render_pdf
from iqcadence_desktop.services.reports.service import DEFAULT_BRAND
from tests.services.reports.helpers import pdf_pages

COLUMNS = (
    Column("Account name", 3),
    Column("Band", 1, "band", band=True),
    Column("MRR", 1, "money"),
)


def _doc(rows: int) -> ReportDocument:
    bands = ("critical", "at_risk", "watch", "healthy", "expansion")
    table = Table(
        "Big table",
        COLUMNS,
        tuple((f"Account {i:04d}", bands[i % 5], i * 100) for i in range(rows)),
        tuple(bands[i % 5] for i in range(rows)),
    )
    return ReportDocument(
        "test",
        "Layout test",
        dt.date(2026, 11, 26),
        "All managers",
        dt.datetime(2026, 11, 26, 12),
        (),
        (table,),
        Methodology((), "", (), "", ""),
    )


def test_3000_row_table_splits_with_repeated_headers(tmp_path: Path) -> None:
    out = tmp_path / "big.pdf"
    pages = render_pdf(_doc(3000), DEFAULT_BRAND, out)
    texts = pdf_pages(out)
    assert pages == len(texts) > 20
    table_pages = [t for t in texts if "Account 0" in t or "Account 1" in t or "Account 2" in t]
    assert len(table_pages) >= 20
    assert all("Account name" in t for t in table_pages)  # the header repeats on each page
    joined = "\n".join(texts)
    assert "Account 0000" in joined and "Account 2999" in joined
    assert f"Page {pages} of {pages}" in texts[-1]


def test_markup_escapes_and_switches_font_for_cjk() -> None:
    assert markup("Smith & <Söhne>") == "Smith &amp; &lt;Söhne&gt;"
    assert not needs_fallback("Zürich Ελληνική")
    marked = markup("株式会社 & Co")
    assert f'<font name="{CJK}">株式会社</font>' in marked and "&amp; Co" in marked


def test_gui_start_up_does_not_import_reportlab() -> None:
    import subprocess
    import sys

    code = (
        "import sys, iqcadence_desktop.app, iqcadence_desktop.views.main_window; "
        "print(any(m.startswith('reportlab') for m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert out.stdout.strip() == "False"


def test_a_long_number_in_a_narrow_column_never_wraps(tmp_path: Path) -> None:
    columns = (
        Column("Account name", 8),
        Column("MRR", 0.6, "money"),
        Column("Priority", 0.5, "int"),
    )
    table = Table(
        "Narrow numbers",
        columns,
        (("Globex", 123_456_789_00, 1_234_567), ("Initech", 98_765_432_10, 7_654_321)),
    )
    doc = ReportDocument(
        "test",
        "Numbers",
        dt.date(2026, 11, 26),
        "All managers",
        dt.datetime(2026, 11, 26, 12),
        (),
        (table,),
        Methodology((), "", (), "", ""),
    )
    out = tmp_path / "numbers.pdf"
    render_pdf(doc, DEFAULT_BRAND, out)
    lines = pdf_pages(out)[0].splitlines()
    for number in ("$123,456,789", "1,234,567", "$98,765,432", "7,654,321"):
        assert any(number in line for line in lines), number
