"""One set of numbers: all ten reports, the Home page, the CLI and the CSVs of one
portfolio on one day show the same headline figures, taken from services.portfolio."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from iqcadence_desktop.cli import main
from iqcadence_desktop.services.container import Services
from iqcadence_desktop.services.portfolio import HEADLINE_KEYS, Headlines
from iqcadence_desktop.services.reports import REPORT_KINDS, ReportRequest
from iqcadence_desktop.services.reports.render.format import csv_value
from tests.conftest import TODAY
from tests.services.reports.helpers import pdf_text


@pytest.fixture
def rendered(portfolio: Services, tmp_path: Path) -> dict[str, tuple[object, str, str]]:
    """kind -> (document, PDF text, CSV text), for every report kind."""
    cid = portfolio.customers.find_id("Müller GmbH")
    out: dict[str, tuple[object, str, str]] = {}
    for kind in REPORT_KINDS:
        request = ReportRequest(
            kind.id, TODAY, customer_id=cid if kind.customer == "required" else None
        )
        doc = portfolio.reports.build(request)
        pdf, sheet = tmp_path / f"{kind.id}.pdf", tmp_path / f"{kind.id}.csv"
        portfolio.reports.render(request, pdf)
        portfolio.reports.render(request, sheet, "csv")
        out[kind.id] = (doc, pdf_text(pdf), sheet.read_text(encoding="utf-8-sig"))
    return out


def _kpi_rows(sheet: str) -> dict[str, str]:
    rows = list(csv.reader(sheet.splitlines()))
    start = rows.index(["metric", "value"])
    kpis = {}
    for row in rows[start + 1 :]:
        if not row:
            break
        kpis[row[0]] = row[1]
    return kpis


def test_all_ten_reports_agree_on_every_shared_headline(
    portfolio: Services, rendered: dict[str, tuple[object, str, str]]
) -> None:
    h = portfolio.portfolio.headlines(None, TODAY)
    seen: dict[str, set[str]] = {}
    for kind, (doc, text, sheet) in rendered.items():
        csv_kpis = _kpi_rows(sheet)
        for kpi in doc.kpis:  # type: ignore[attr-defined]
            if not kpi.key:
                continue
            assert kpi.raw == h.get(kpi.key).value, (kind, kpi.key)
            assert kpi.value in text, (kind, kpi.label, kpi.value)
            assert csv_kpis[kpi.label] == csv_value(kpi.raw, kpi.fmt), (kind, kpi.label)
            seen.setdefault(kpi.key, set()).add(kind)
    # The figures several reports share are really shared, not one report's alone.
    assert len(seen["accounts"]) >= 3 and len(seen["average_score"]) >= 5
    assert {"portfolio-summary", "at-risk", "trend-90d"} <= seen["mrr_at_risk_cents"]
    assert {"at-risk", "weekly-digest"} <= seen["at_risk_accounts"]


def test_every_portfolio_report_opens_with_the_same_briefing(
    portfolio: Services, rendered: dict[str, tuple[object, str, str]]
) -> None:
    h = portfolio.portfolio.headlines(None, TODAY)
    line = f"{h.at_risk_accounts:,} of {h.accounts:,} accounts at risk"
    for kind in REPORT_KINDS:
        doc, text, _ = rendered[kind.id]
        blocks = doc.blocks  # type: ignore[attr-defined]
        if kind.customer == "required":
            assert "At a glance" not in text
            continue
        assert blocks[0].title == "At a glance" and line in text, kind.id
        first_page = text.split("Page 1 of")[0]
        assert "At a glance" in first_page, kind.id


def test_methodology_prints_the_definitions(
    rendered: dict[str, tuple[object, str, str]],
) -> None:
    for kind in ("portfolio-summary", "at-risk", "weekly-digest", "renewal-forecast"):
        text = " ".join(rendered[kind][1].split())
        assert "How the headline figures are defined" in text
        assert "Accounts at risk: accounts in the At Risk or Critical band" in text


def _headline_values(h: Headlines) -> dict[str, object]:
    return {key: h.get(key).value for key in HEADLINE_KEYS}


@pytest.mark.sqlite_only  # on a team database the CLI signs in first (tests/cli/test_team_cli.py)
def test_home_page_and_cli_read_the_same_headlines(
    portfolio: Services, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    h = portfolio.portfolio.headlines(None, TODAY)
    home = portfolio.home.summary(None, TODAY)
    kpis = {k.key: k.value for k in home.kpis}
    assert kpis["risk"] == h.mrr_at_risk_cents and kpis["mrr"] == h.total_mrr_cents
    assert kpis["renewals"] == h.renewals_due and kpis["health"] == h.shown_average
    assert (home.customers, home.at_risk) == (h.accounts, h.at_risk_accounts)
    assert sum(b.customers for b in home.pipeline) == h.renewals_due
    assert main(["--db", str(db_path), "--today", TODAY.isoformat(), "--json", "summary"]) == 0
    figures = json.loads(capsys.readouterr().out)["headlines"]
    assert figures["accounts"] == h.accounts
    assert figures["mrr_at_risk"] == h.mrr_at_risk_cents / 100
    assert figures["average_score"] == pytest.approx(h.average_score)


def test_report_csvs_hold_raw_values_never_display_strings(
    rendered: dict[str, tuple[object, str, str]],
) -> None:
    for kind, (_, _, sheet) in rendered.items():
        for label, value in _kpi_rows(sheet).items():
            assert not any(mark in value for mark in ("$", "%", ",")), (kind, label, value)
            if value not in ("", "—"):
                assert value.replace("-", "").replace(".", "").replace(":", "").isdigit(), (
                    kind,
                    label,
                    value,
                )
        rows = list(csv.reader(sheet.splitlines()))
        money = [r for r in rows if any(cell.startswith("$") for cell in r)]
        assert money == [], (kind, money[:2])
