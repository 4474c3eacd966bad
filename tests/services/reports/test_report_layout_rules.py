"""Layout rules every report keeps: readable colours, unbroken numbers and words, the
methodology never alone on a page, lists that say how much they left out."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from iqcadence_desktop.services.container import Services
from iqcadence_desktop.services.reports import Brand, ReportRequest
from iqcadence_desktop.services.reports.model import Column, Kpi, ReportDocument, Table
from iqcadence_desktop.services.reports.render import pdf as pdf_module
from iqcadence_desktop.services.reports.render.colour import AA, contrast, text_on
from iqcadence_desktop.services.reports.render.fonts import BOLD, register_base_fonts
from iqcadence_desktop.services.reports.render.tables import BAND_COLORS, header_size
from iqcadence_desktop.services.reports.render.tiles import KPI_MIN_SIZE, fit_value
from iqcadence_desktop.services.reports.service import write_document
from tests.conftest import TODAY
from tests.services.reports.helpers import pdf_pages, pdf_text

BRANDS = ("#1f3a68", "#ffb300", "#ffffff", "#000000", "#2f5bea", "#e91e63", "#9e9e9e")


@pytest.mark.parametrize("fill", [*BAND_COLORS.values(), *BRANDS])
def test_text_on_any_fill_meets_wcag_aa(fill: str) -> None:
    assert contrast(text_on(fill), fill) >= AA


def test_white_on_amber_is_replaced_by_dark_text() -> None:
    assert contrast("#ffffff", BAND_COLORS["watch"]) < AA
    assert text_on(BAND_COLORS["watch"]) != "#ffffff"


def test_a_tile_never_breaks_a_number() -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    register_base_fonts()
    huge = Kpi("Total MRR", "$38,002,970", raw=3_800_297_000, fmt="money")
    for room in (140.0, 80.0, 60.0, 40.0):
        text, size = fit_value(huge, room)
        assert size >= KPI_MIN_SIZE
        assert stringWidth(text, BOLD, size) <= room + 0.01, (room, text, size)
    assert fit_value(huge, 40.0)[0] == "$38.0M"


def test_headers_shrink_until_every_word_fits() -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    register_base_fonts()
    columns = (Column("Expansion", 0.6, "int"), Column("Average score", 0.6, "score"))
    size = header_size(columns, [40.0, 40.0])
    assert size < 7.5
    assert stringWidth("Expansion", BOLD, size) <= 40.0 - 6.0 + 0.01


def _doc(rows: int) -> ReportDocument:
    from iqcadence_desktop.services.reports.model import Methodology

    table = Table(
        "Accounts",
        (Column("Customer", 3), Column("MRR", 1, "money")),
        tuple((f"Account {i:04d}", i * 100) for i in range(rows)),
    )
    method = Methodology((("Logins", "25 %"),), "bands", (), "fresh", "all", ("A note.",) * 3)
    return ReportDocument(
        "test", "Layout", TODAY, "All", dt.datetime(2026, 11, 26, 12), (), (table,), method
    )


def test_the_methodology_never_sits_alone_on_the_last_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    brand = Brand("Acme", None, "#1f3a68", "#2f5bea")
    glued = []
    real = pdf_module._build

    def spy(*args: object, **kw: object) -> int:
        glued.append(kw.get("glue", args[-1]))
        return real(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(pdf_module, "_build", spy)
    for rows in range(40, 110, 3):
        out = tmp_path / f"layout-{rows}.pdf"
        write_document(_doc(rows), brand, out, "pdf")
        pages = pdf_pages(out)
        where = next(i for i, p in enumerate(pages) if "Methodology" in p)
        before = pages[where].split("Methodology")[0]
        assert "Account " in before, f"{rows} rows: the methodology starts page {where + 1} alone"
    assert True in glued  # the case really came up, and was laid out again


def test_digest_says_how_many_more_it_left_out(portfolio: Services, tmp_path: Path) -> None:
    doc = portfolio.reports.build(ReportRequest("weekly-digest", TODAY))
    notes = [b.note for b in doc.blocks if isinstance(b, Table) and b.note]
    full = {t.title: len(t.rows) for t in doc.tables()}
    for table in doc.blocks:
        if isinstance(table, Table) and table.note:
            more = full[table.title] - len(table.rows)
            assert f"… and {more:,} more" in table.note
    out = tmp_path / "digest.pdf"
    portfolio.reports.render(ReportRequest("weekly-digest", TODAY), out)
    if notes:
        assert "… and" in pdf_text(out)


def test_renewal_forecast_lists_past_due_renewals_in_arr(portfolio: Services) -> None:
    portfolio.customers.save_by_name(
        {"name": "Late Renewal Co", "mrr": "1000", "logins": "20", "renewal_date": "2026-11-01"}
    )
    doc = portfolio.reports.build(ReportRequest("renewal-forecast", TODAY))
    late = next(t for t in doc.blocks if isinstance(t, Table) and t.title.startswith("Past-due"))
    row = next(r for r in late.rows if r[0] == "Late Renewal Co")
    assert row[3] == -25 and row[6] == 1_200_000  # days, ARR in cents
    retention = next(k for k in doc.kpis if k.label == "Expected retention")
    assert 0.5 < float(retention.raw or 0) < 1.0


def test_csm_score_change_uses_the_history_there_is(services: Services) -> None:
    services.customers.load_sample(customers=30, days=3, seed=9)
    doc = services.reports.build(ReportRequest("csm-performance", TODAY))
    change = next(k for k in doc.kpis if k.label == "Score change")
    assert change.raw is not None and change.note == "points over 2 days"
    table = next(b for b in doc.blocks if isinstance(b, Table))
    assert all(r[-2] is not None and r[-1] == 2 for r in table.rows)


def test_confidential_footer_and_brand_header(portfolio: Services, tmp_path: Path) -> None:
    portfolio.reports.set_branding(company="Acme CS", primary="#ffb300", confidential=True)
    out = tmp_path / "summary.pdf"
    portfolio.reports.render(ReportRequest("portfolio-summary", TODAY), out)
    for page in pdf_pages(out):
        assert "Confidential" in page and "Acme CS" in page
    brand = portfolio.reports.brand()
    assert replace(brand, confidential=False) != brand
