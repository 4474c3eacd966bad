"""Every report renders; the PDF text carries the right title, day, names and totals."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from iqcadence_desktop.errors import ValidationError
from iqcadence_desktop.services.container import Services
from iqcadence_desktop.services.customers.query import CustomerFilter
from iqcadence_desktop.services.reports import REPORT_KINDS, ReportRequest
from iqcadence_desktop.services.reports.render.format import money
from tests.conftest import TODAY
from tests.services.reports.helpers import pdf_pages, pdf_text


def _request(svc: Services, kind: str, **kw: object) -> ReportRequest:
    needs = next(k.customer for k in REPORT_KINDS if k.id == kind)
    cid = svc.customers.find_id("Müller GmbH") if needs == "required" else None
    return ReportRequest(kind, TODAY, customer_id=cid, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", [k.id for k in REPORT_KINDS])
def test_every_report_renders_title_day_and_page_numbers(
    portfolio: Services, tmp_path: Path, kind: str
) -> None:
    out = tmp_path / f"{kind}.pdf"
    result = portfolio.reports.render(_request(portfolio, kind), out)
    pages = pdf_pages(out)
    assert result.pages == len(pages) >= 1
    text = "\n".join(pages)
    assert result.title.split(":")[0] in text
    assert "As of 2026-11-26" in text
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]
    assert "Generated 2026-11-26 12:00 UTC" in pages[0]
    assert "Methodology" in text and "Weights:" in text


def test_at_risk_lists_exactly_open_accounts_below_50(portfolio: Services, tmp_path: Path) -> None:
    rows = portfolio.customers.list_customers(CustomerFilter(), TODAY)
    doc = portfolio.reports.build(ReportRequest("at-risk", TODAY))
    listed = [r[0] for r in doc.tables()[0].rows]
    expected = {
        c.name
        for c in rows
        if c.shown_score is not None
        and c.shown_score < 50
        and c.lifecycle not in ("churned", "won")
    }
    assert set(listed) == expected and len(listed) == len(expected)
    assert "Müller GmbH" in listed and "Gone Ltd" not in listed and "Won Back Co" not in listed
    priorities = [r[-1] for r in doc.tables()[0].rows]
    assert priorities == sorted(priorities, reverse=True)
    out = tmp_path / "at-risk.pdf"
    portfolio.reports.render(ReportRequest("at-risk", TODAY), out)
    text = pdf_text(out)
    assert "Müller GmbH" in text and "Gone Ltd" not in text and "Won Back Co" not in text
    healthy = [c.name for c in rows if c.status in ("healthy", "expansion")]
    assert not any(f"\n{name} " in text for name in healthy)


def test_portfolio_summary_totals_match_the_service(portfolio: Services, tmp_path: Path) -> None:
    h = portfolio.portfolio.headlines(None, TODAY)
    out = tmp_path / "summary.pdf"
    portfolio.reports.render(ReportRequest("portfolio-summary", TODAY), out)
    text = pdf_text(out)
    assert money(h.total_mrr_cents) in text
    assert money(h.mrr_at_risk_cents) in text
    assert f"{h.accounts:,}" in text
    kpis = {
        k.label: k.value
        for k in portfolio.reports.build(ReportRequest("portfolio-summary", TODAY)).kpis
    }
    assert kpis["Total MRR"] == money(h.total_mrr_cents)
    assert kpis["Accounts"] == f"{h.accounts:,}"


def test_unicode_names_come_back_from_the_pdf(portfolio: Services, tmp_path: Path) -> None:
    out = tmp_path / "churn.pdf"
    portfolio.reports.render(ReportRequest("churn-risk", TODAY), out)
    text = pdf_text(out)
    assert "Müller GmbH" in text
    assert "株式会社サンプル" in text


def test_manager_filter_narrows_the_report(portfolio: Services, tmp_path: Path) -> None:
    doc = portfolio.reports.build(ReportRequest("churn-risk", TODAY, manager="Ana Ruiz"))
    names = {r[0] for r in doc.tables()[0].rows}
    assert names == {"Müller GmbH", "株式会社サンプル"}
    assert doc.filter_text == "Manager: Ana Ruiz"


def test_csv_carries_the_same_rows(portfolio: Services, tmp_path: Path) -> None:
    req = ReportRequest("at-risk", TODAY)
    doc = portfolio.reports.build(req)
    out = tmp_path / "at-risk.csv"
    result = portfolio.reports.render(req, out, "csv")
    text = out.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(text.splitlines()))
    assert result.rows == len(doc.tables()[0].rows)
    header = next(i for i, r in enumerate(rows) if r and r[0] == "Customer")
    body = rows[header + 1 : header + 1 + result.rows]
    assert [r[0] for r in body] == [r[0] for r in doc.tables()[0].rows]
    muller = next(r for r in body if r[0] == "Müller GmbH")
    assert muller[4] == "1500.00"  # MRR in currency units with cents


def test_qbr_is_a_multi_page_business_review(portfolio: Services, tmp_path: Path) -> None:
    out = tmp_path / "qbr.pdf"
    result = portfolio.reports.render(
        _request(portfolio, "customer-health", qbr=True, audience="internal"), out
    )
    text = pdf_text(out)
    assert result.pages >= 3
    for heading in (
        "Business Review: Müller GmbH",
        "Signal breakdown",
        "What changed",
        "Usage and support",
        "Renewal and expansion outlook",
        "Suggested agenda",
        "Talking points",
    ):
        assert heading in text, heading


def test_customer_reports_need_a_customer_and_refuse_other_managers(portfolio: Services) -> None:
    with pytest.raises(ValidationError, match="choose the customer"):
        portfolio.reports.build(ReportRequest("customer-health", TODAY))
    cid = portfolio.customers.find_id("Müller GmbH")
    with pytest.raises(ValidationError, match="not in Sarah Chen's portfolio"):
        portfolio.reports.build(ReportRequest("score-history", TODAY, "Sarah Chen", cid))
    with pytest.raises(ValidationError, match="is not a report"):
        portfolio.reports.build(ReportRequest("nope", TODAY))


def test_unwritable_target_is_refused_and_leaves_nothing(
    portfolio: Services, tmp_path: Path
) -> None:
    target = tmp_path / "missing-folder" / "x.pdf"
    with pytest.raises(Exception, match="does not exist; choose another place"):
        portfolio.reports.render(ReportRequest("weekly-digest", TODAY), target)
    assert not target.exists()


def test_branding_comes_from_settings_with_safe_fallbacks(
    portfolio: Services, tmp_path: Path
) -> None:
    portfolio.settings.set_many(
        {
            "brand.company": "Acme Success 株式会社",
            "brand.primary_color": "not-a-colour",
            "brand.accent_color": "#F0A020",
            "brand.logo_path": str(tmp_path / "missing.png"),
        }
    )
    brand = portfolio.reports.brand()
    assert brand.primary_color == "#1f3a68" and brand.accent_color == "#F0A020"
    assert brand.logo_path is not None and brand.logo_path.endswith("logo.png")
    out = tmp_path / "digest.pdf"
    portfolio.reports.render(ReportRequest("weekly-digest", TODAY), out)
    pages = pdf_pages(out)
    assert "Acme Success 株式会社" in pages[0]
    assert all("Acme Success" in p for p in pages)  # footer on every page


def test_churn_pdf_list_is_capped_but_csv_has_everyone(
    portfolio: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from iqcadence_desktop.services.reports.kinds import churn_risk

    monkeypatch.setattr(churn_risk, "PDF_ROWS", 5)
    doc = portfolio.reports.build(ReportRequest("churn-risk", TODAY))
    printed = [b for b in doc.blocks if hasattr(b, "rows")]
    assert len(printed[-1].rows) == 5  # type: ignore[union-attr]
    assert "The 5 accounts with the highest risk" in printed[-1].title  # type: ignore[union-attr]
    assert len(doc.tables()[0].rows) > 5


def test_qbr_talking_points_start_from_alerts_when_wired(
    portfolio: Services, tmp_path: Path
) -> None:
    from typing import NamedTuple

    class Alert(NamedTuple):
        severity: str
        message: str

    cid = portfolio.customers.find_id("Müller GmbH")
    portfolio.reports.alerts_for = lambda i: (
        [Alert("warning", "Tickets piling up: 6 open"), Alert("critical", "Score fell below 25")]
        if i == cid
        else []
    )
    doc = portfolio.reports.build(
        _request(portfolio, "customer-health", qbr=True, audience="internal")
    )
    points = next(b for b in doc.blocks if getattr(b, "title", "") == "Talking points")
    assert points.bullets[:2] == (
        "Score fell below 25",  # type: ignore[union-attr]
        "Tickets piling up: 6 open",
    )


def test_scores_are_shown_and_exported_rounded_half_up() -> None:
    from iqcadence_desktop.services.reports.render.format import csv_value, show

    assert show(24.5, "score") == "25" and csv_value(24.5, "score") == "25"
    assert show(49.96, "score") == "50" and csv_value(49.4, "score") == "49"
    assert csv_value(123456, "money") == "1234.56" and show(123456, "money") == "$1,235"


def test_digest_prints_few_renewals_but_csv_has_all(
    portfolio: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    from iqcadence_desktop.services.reports.kinds import weekly_digest

    monkeypatch.setattr(weekly_digest, "RENEWALS_SHOWN", 1)
    doc = portfolio.reports.build(ReportRequest("weekly-digest", TODAY))
    printed = [b for b in doc.blocks if getattr(b, "title", "").startswith("Renewals")][0]
    exported = [t for t in doc.tables() if t.title.startswith("Renewals")][0]
    assert len(printed.rows) == 1  # type: ignore[union-attr]
    assert len(exported.rows) > 1


@pytest.mark.parametrize("kind", [k.id for k in REPORT_KINDS if k.customer != "required"])
def test_reports_on_an_empty_portfolio_render_and_say_so(
    services: Services, tmp_path: Path, kind: str
) -> None:
    out = tmp_path / f"{kind}.pdf"
    result = services.reports.render(ReportRequest(kind, TODAY), out)
    assert result.pages >= 1
    assert "Methodology" in pdf_text(out)
    assert services.reports.render(ReportRequest(kind, TODAY), tmp_path / "x.csv", "csv")


def test_a_note_written_today_is_in_todays_business_review(
    portfolio: Services, tmp_path: Path
) -> None:
    cid = portfolio.customers.find_id("Müller GmbH")
    assert cid is not None
    portfolio.records.add_note(cid, "Agreed to pilot the analytics add-on in Q1")
    out = tmp_path / "qbr.pdf"
    portfolio.reports.render(
        ReportRequest("customer-health", TODAY, customer_id=cid, qbr=True, audience="internal"),
        out,
    )
    text = " ".join(pdf_pages(out))  # notes are internal: only the internal review has them
    assert "Notes from the last 90 days" in text
    assert "Agreed to pilot the analytics add-on in Q1" in text
