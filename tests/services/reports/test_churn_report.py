"""The Churn Risk report states its horizon, agrees with the customer window, never
prints a path into the code, and carries "How predictive is our score?"."""

from __future__ import annotations

import csv
from pathlib import Path

from iqcadence_desktop.services.container import Services
from iqcadence_desktop.services.customers import CustomerFilter
from iqcadence_desktop.services.reports import ReportRequest
from tests.conftest import TODAY
from tests.services.reports.helpers import pdf_text


def test_prior_report_states_its_horizon_and_method(services: Services, tmp_path: Path) -> None:
    services.customers.create({"name": "Acme", "logins": 2, "tickets": 6, "nps": 2})
    out = tmp_path / "churn.pdf"
    services.reports.render(ReportRequest("churn-risk", TODAY), out)
    text = " ".join(pdf_text(out).split())
    assert "chance of churning within 90 days" in text
    assert "documented prior" in text
    assert "Churn in 90 d" in text and "Expected MRR loss in 90 d" in text
    assert "How predictive is our score?" in text
    assert "docs/" not in text and ".md" not in text


def test_fitted_report_shows_quality_and_matches_the_model(
    services: Services, tmp_path: Path
) -> None:
    services.customers.load_sample(customers=300, days=100)
    version = services.churn_model.fit(49)
    assert version.fitted
    doc = services.reports.build(ReportRequest("churn-risk", TODAY))
    listed = {row[0]: row[5] for row in doc.csv_tables[0].rows}
    open_accounts = [
        c
        for c in services.customers.list_customers(CustomerFilter())
        if c.lifecycle not in ("churned", "won")
    ]
    for c, e in zip(open_accounts, services.churn_model.estimates(open_accounts), strict=True):
        assert listed[c.name] == e.probability  # one figure per account, everywhere
    out = tmp_path / "churn.pdf"
    services.reports.render(ReportRequest("churn-risk", TODAY), out)
    text = " ".join(pdf_text(out).split())
    assert "chance of churning within 49 days" in text
    assert f"churn model version {version.id}" in text
    for label in ("Health score", "Fitted churn model", "Calibration error", "Top-decile lift"):
        assert label in text
    assert "Churn within 49 days by the band accounts were in" in text
    csv_out = tmp_path / "churn.csv"
    services.reports.render(ReportRequest("churn-risk", TODAY), csv_out, "csv")
    with csv_out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert any("Churn in 49 d" in r for r in rows)


def test_customer_health_uses_the_same_churn_figure(services: Services) -> None:
    cid = services.customers.create({"name": "Acme", "logins": 2, "tickets": 6}).id
    doc = services.reports.build(ReportRequest("customer-health", TODAY, customer_id=cid))
    kpi = next(k for k in doc.kpis if k.label.startswith("Churn in"))
    estimate = services.churn_model.estimate(services.customers.get(cid))
    assert kpi.value == f"{estimate.probability:.0%}" and kpi.label == "Churn in 90 d"
