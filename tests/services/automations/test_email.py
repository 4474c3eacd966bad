"""Email through a real SMTP server (aiosmtpd): STARTTLS and SSL with a login, HTML and
plain-text parts, a report attached and read back, refusals and an unreachable server."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from pypdf import PdfReader

from iqcadence_desktop.services.automations import AutomationService, ConnectionInput
from iqcadence_desktop.services.container import Services
from iqcadence_desktop.services.reports import ReportRequest
from tests.fakes.smtp_server import SmtpServer

from .conftest import add_customer

PASSWORD = "correct horse"


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer("starttls", user="bot", password=PASSWORD) as server:
        yield server


def _mail(automations: AutomationService, port: int, security: str = "starttls", **kw: str) -> int:
    data = ConnectionInput(
        "Mail",
        "email",
        host="127.0.0.1",
        port=port,
        security=security,
        user="bot",
        sender="alerts@example.com",
        to=("csm@example.com", "lead@example.com"),
        secret=kw.get("password", PASSWORD),
    )
    return automations.connections.create(data).id


def test_starttls_login_and_both_parts(automations: AutomationService, smtp: SmtpServer) -> None:
    outcome = automations.send_test(_mail(automations, smtp.port))
    assert outcome.ok, outcome.message
    msg = smtp.messages[0]
    assert msg["From"] == "alerts@example.com"
    assert smtp.recipients[0] == ["csm@example.com", "lead@example.com"]
    assert msg["Message-ID"].startswith("<test_")
    text = msg.get_body(("plain",))
    html = msg.get_body(("html",))
    assert text is not None and "the connection “Mail” works" in text.get_content()
    assert html is not None and "<h2" in html.get_content()


def test_implicit_ssl(automations: AutomationService) -> None:
    with SmtpServer("ssl", user="bot", password=PASSWORD) as server:
        assert automations.send_test(_mail(automations, server.port, "ssl")).ok
        assert len(server.messages) == 1


def test_report_attached_and_readable(
    services: Services, automations: AutomationService, smtp: SmtpServer
) -> None:
    for i in range(5):
        add_customer(services, f"Account {i}")
    request = ReportRequest("portfolio-summary", services.clock.today(), None, None, False)
    outcome = automations.email_report(
        request, "pdf", _mail(automations, smtp.port), ("boss@example.com",)
    )
    assert outcome.ok, outcome.message
    msg = smtp.messages[0]
    assert smtp.recipients[0] == ["boss@example.com"]
    [attachment] = list(msg.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == "portfolio-summary-2026-11-26.pdf"
    pdf = PdfReader(io.BytesIO(attachment.get_content()))
    assert "Portfolio Summary" in pdf.pages[0].extract_text()
    [note] = [e for e in services.audit.entries() if e.action == "report_emailed"]
    assert note.summary == "Emailed Portfolio Summary, 2026-11-26 to boss@example.com via Mail"


def test_wrong_password_is_dead_with_a_reason(
    automations: AutomationService, smtp: SmtpServer
) -> None:
    outcome = automations.send_test(_mail(automations, smtp.port, password="nope"))
    assert not outcome.ok
    assert "refused the user name or password" in outcome.message
    assert smtp.messages == []


def test_unreachable_server_keeps_the_report_queued(
    services: Services, automations: AutomationService
) -> None:
    with SmtpServer("starttls") as server:
        port = server.port  # a port nobody listens on once the server is gone
    request = ReportRequest("at-risk", services.clock.today(), None, None, False)
    outcome = automations.email_report(request, "csv", _mail(automations, port))
    assert not outcome.ok and "stays queued" in outcome.message
    assert automations.log.entries()[0].status == "pending"
