"""The business review sent to a customer holds nothing internal; the internal one holds
everything and says so on every page."""

from __future__ import annotations

from pathlib import Path

import pytest

from iqcadence_desktop.errors import ValidationError
from iqcadence_desktop.services.container import Services
from iqcadence_desktop.services.reports import ReportRequest
from tests.conftest import TODAY
from tests.services.reports.helpers import pdf_pages, pdf_text

NOTE = "Budget freeze rumoured; CFO unhappy"
TAG = "watchlist-q4"
EXTERNAL = "SF-0042-XYZ"
PROFILE = "Strategic accounts"
#: Text that must never reach the customer's copy.
INTERNAL_WORDS = (
    NOTE,
    TAG,
    EXTERNAL,
    PROFILE,
    "CUS-",
    "churn",
    "Churn",
    "recovery plan",
    "Recovery",
    "Internal",
    "INTERNAL",
    "Talking points",
    "Sentiment",
    "negative",
    "atrisk",
    "Priority",
    "Coverage",
    "Ana Ruiz",
    "accounts scored",
    "Methodology",
)


@pytest.fixture
def account(portfolio: Services) -> int:
    portfolio.config.save_profile(
        PROFILE,
        {"logins": 30, "adoption": 30, "tickets": 20, "nps": 10, "days": 5, "growth": 5, "csat": 0},
    )
    found = portfolio.customers.find_id("Müller GmbH")
    assert found is not None
    portfolio.customers.update(
        found,
        {
            "note": NOTE,
            "tags": [TAG],
            "external_id": EXTERNAL,
            "sentiment": "negative",
            "profile": PROFILE,
            "renewal_date": "2027-01-15",
            "adoption": "12",
        },
    )
    assert portfolio.customers.get(found).lifecycle == "atrisk"
    return found


def _render(services: Services, cid: int, out: Path, audience: str) -> str:
    request = ReportRequest("customer-health", TODAY, customer_id=cid, qbr=True, audience=audience)  # type: ignore[arg-type]
    services.reports.render(request, out)
    return pdf_text(out)


def test_customer_copy_holds_nothing_internal(
    portfolio: Services, account: int, tmp_path: Path
) -> None:
    text = _render(portfolio, account, tmp_path / "customer.pdf", "customer")
    flat = " ".join(text.split())
    leaked = [word for word in INTERNAL_WORDS if word in flat]
    assert leaked == []
    for heading in ("Business Review: Müller GmbH", "Your health score", "Value delivered"):
        assert heading in flat
    assert "Feature adoption" in flat and "Actions to agree" in flat
    assert "Prepared for Müller GmbH" in flat


def test_internal_copy_holds_everything_and_is_marked(
    portfolio: Services, account: int, tmp_path: Path
) -> None:
    out = tmp_path / "internal.pdf"
    text = _render(portfolio, account, out, "internal")
    flat = " ".join(text.split())
    for word in (NOTE, TAG, EXTERNAL[:6], "Churn in 90 d", "Talking points", "Internal version"):
        assert word in flat, word
    for page in pdf_pages(out):
        assert "Internal: not for the customer" in page and "INTERNAL" in page


def test_the_customer_copy_is_the_default(portfolio: Services, account: int) -> None:
    doc = portfolio.reports.build(
        ReportRequest("customer-health", TODAY, customer_id=account, qbr=True)
    )
    assert doc.marking == "" and doc.filter_text == "Prepared for Müller GmbH"
    with pytest.raises(ValidationError, match="not an audience"):
        portfolio.reports.build(
            ReportRequest("customer-health", TODAY, customer_id=account, qbr=True, audience="all")  # type: ignore[arg-type]
        )
