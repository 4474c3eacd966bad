"""The report service: builds a report's document and writes it as PDF or CSV."""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from iqcadence_desktop.errors import ValidationError
from iqcadence_desktop.paths import resource_path
from iqcadence_desktop.services.customers import CustomerService
from iqcadence_desktop.services.model import ChurnModelService
from iqcadence_desktop.services.portfolio import PortfolioService
from iqcadence_desktop.services.reports.context import AlertsFor, NotesFor, ReportContext
from iqcadence_desktop.services.reports.kinds.briefing import executive_summary
from iqcadence_desktop.services.reports.model import (
    AUDIENCES,
    Brand,
    ReportDocument,
    ReportRequest,
)
from iqcadence_desktop.services.reports.registry import KINDS_BY_ID, REPORT_KINDS, ReportKind
from iqcadence_desktop.services.scoring import ConfigService
from iqcadence_desktop.services.system import Clock, SettingsService, atomic_write, write_bytes

log = logging.getLogger(__name__)
ReportFormat = Literal["pdf", "csv"]
FORMATS: tuple[ReportFormat, ...] = ("pdf", "csv")
DEFAULT_BRAND = Brand("iQcadence", None, "#1f3a68", "#2f5bea")
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class RenderedReport:
    """A written report file: where, which format, and its size in pages or rows."""

    path: Path
    format: ReportFormat
    title: str
    pages: int
    rows: int


class ReportService:
    """Ten report kinds over the customer, portfolio and config services."""

    def __init__(
        self,
        customers: CustomerService,
        portfolio: PortfolioService,
        config: ConfigService,
        settings: SettingsService,
        clock: Clock,
        alerts_for: AlertsFor | None = None,
        churn_model: ChurnModelService | None = None,
        notes_for: NotesFor | None = None,
    ) -> None:
        self._customers = customers
        self._portfolio = portfolio
        self._config = config
        self._settings = settings
        self._clock = clock
        # A customer's active alerts, when an alerts service exists: QBR talking points
        # then start from them.
        self.alerts_for = alerts_for
        # Churn figures from the fitted model (or its prior), when one is wired in.
        self.churn_model = churn_model
        # A notes source: a business review lists the latest notes, today's included.
        self.notes_for = notes_for

    def kinds(self) -> tuple[ReportKind, ...]:
        return REPORT_KINDS

    def kind(self, kind_id: str) -> ReportKind:
        found = KINDS_BY_ID.get(kind_id)
        if found is None:
            raise ValidationError(
                "kind",
                f'"{kind_id}" is not a report; choose one of ' + ", ".join(KINDS_BY_ID) + ".",
            )
        return found

    def brand(self) -> Brand:
        """Branding from Settings, each missing or unusable value replaced by the default."""
        company = str(self._settings.get("brand.company") or "").strip()
        return Brand(
            company or DEFAULT_BRAND.company,
            self._logo(),
            self._colour("brand.primary_color", DEFAULT_BRAND.primary_color),
            self._colour("brand.accent_color", DEFAULT_BRAND.accent_color),
            bool(self._settings.get("brand.confidential", False)),
        )

    def set_branding(
        self,
        company: str | None = None,
        logo: str | None = None,
        primary: str | None = None,
        accent: str | None = None,
        confidential: bool | None = None,
    ) -> Brand:
        """Change the given branding settings (one audited unit of work); None keeps a
        value, an empty logo goes back to the default logo. Bad input changes nothing."""
        values: dict[str, object] = {}
        if company is not None:
            if not " ".join(company.split()):
                raise ValidationError("company", "Company: give the name to print on reports.")
            values["brand.company"] = " ".join(company.split())
        if logo is not None:
            values["brand.logo_path"] = _checked_logo(logo)
        for key, value in (("primary", primary), ("accent", accent)):
            if value is not None:
                if not _HEX.match(value.strip()):
                    raise ValidationError(
                        key,
                        f'{key.capitalize()} colour: "{value}" is not a colour; write it '
                        "as #RRGGBB, for example #1f3a68.",
                    )
                values[f"brand.{key}_color"] = value.strip()
        if confidential is not None:
            values["brand.confidential"] = confidential
        if values:
            self._settings.set_many(values, "Branding changed: " + ", ".join(sorted(values)))
        return self.brand()

    def _colour(self, key: str, default: str) -> str:
        value = str(self._settings.get(key) or "").strip()
        if value and not _HEX.match(value):
            log.warning("Setting %s=%r is not a #rrggbb colour; using %s", key, value, default)
        return value if _HEX.match(value) else default

    def _logo(self) -> str:
        chosen = str(self._settings.get("brand.logo_path") or "").strip()
        if chosen and Path(chosen).is_file():
            return chosen
        if chosen:
            log.warning("Logo %s is missing; using the default logo", chosen)
        return str(resource_path("brand", "logo.png"))

    def build(self, request: ReportRequest) -> ReportDocument:
        """The report's data, as a typed document (what both PDF and CSV are drawn from)."""
        kind = self.kind(request.kind)
        self._check_customer(kind, request)
        ctx = ReportContext.gather(
            request,
            self._customers,
            self._portfolio,
            self._config,
            self._clock.now(),
            self.alerts_for,
            self.churn_model,
            self.notes_for,
        )
        doc = kind.build(ctx)
        if kind.customer == "none" or (kind.customer == "optional" and request.customer_id is None):
            # Every portfolio report opens with the same short briefing.
            doc = replace(doc, blocks=(executive_summary(ctx), *doc.blocks))
        return doc

    def _check_customer(self, kind: ReportKind, request: ReportRequest) -> None:
        if kind.customer == "required" and request.customer_id is None:
            raise ValidationError(
                "customer",
                f"The {kind.title} report is about one customer: choose the customer first.",
            )
        if kind.customer == "none" and request.customer_id is not None:
            raise ValidationError(
                "customer", f"The {kind.title} report covers the portfolio; leave the customer out."
            )
        if request.qbr and kind.id != "customer-health":
            raise ValidationError(
                "qbr", "A business review is made from the Customer Health report only."
            )
        if request.audience not in AUDIENCES:
            raise ValidationError(
                "audience",
                f'"{request.audience}" is not an audience; choose customer or internal.',
            )
        if request.customer_id is not None and request.manager:
            customer = self._customers.get(request.customer_id, request.as_of)
            if customer.manager != request.manager:
                raise ValidationError(
                    "customer",
                    f'"{customer.name}" is not in '
                    f"{request.manager}'s portfolio; clear the manager filter "
                    "or pick one of their customers.",
                )

    def customer_id(self, name: str) -> int:
        """The id of a customer by name, or a message saying it does not exist."""
        found = self._customers.find_id(name)
        if found is None:
            raise ValidationError(
                "customer",
                f'No customer is named "{name}"; check the '
                "spelling (case and extra spaces do not matter).",
            )
        return found

    def render(
        self, request: ReportRequest, out: Path, fmt: ReportFormat = "pdf"
    ) -> RenderedReport:
        """Build and write the report; the file appears whole or not at all."""
        if fmt not in FORMATS:
            raise ValidationError("format", f'"{fmt}" is not a report format; use pdf or csv.')
        doc = self.build(request)
        return write_document(doc, self.brand(), out, fmt)


LOGO_TYPES = (".png", ".jpg", ".jpeg")


def _checked_logo(path: str) -> str:
    text = path.strip()
    if not text:
        return ""
    found = Path(text).expanduser()
    if not found.is_file() or found.suffix.lower() not in LOGO_TYPES:
        raise ValidationError(
            "logo", f"Logo: {text} is not a PNG or JPEG file; give the path of an existing one."
        )
    return str(found.resolve())


def write_document(
    doc: ReportDocument, brand: Brand, out: Path, fmt: ReportFormat
) -> RenderedReport:
    """Write the report whole or not at all (services.system's atomic writers)."""
    from iqcadence_desktop.services.reports.render.csv_out import render_csv
    from iqcadence_desktop.services.reports.render.pdf import render_pdf

    pages = rows = 0
    if fmt == "pdf":
        # Rendered in memory first: reportlab leaves its file open when a write fails.
        buffer = io.BytesIO()
        pages = render_pdf(doc, brand, buffer)
        write_bytes(Path(out), buffer.getvalue())
    else:
        with atomic_write(Path(out), "w", encoding="utf-8-sig", newline="") as handle:
            rows = render_csv(doc, handle)
    return RenderedReport(Path(out), fmt, doc.title, pages, rows)
