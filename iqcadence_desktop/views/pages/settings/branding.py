"""Branding for reports and the local user's identity for the audit log."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from iqcadence_desktop.errors import StaleEditError, UserFacingError
from iqcadence_desktop.views.pages.base import PageContext
from iqcadence_desktop.views.theme import Color
from iqcadence_desktop.views.widgets.common import documents_dir, message_label, show_message
from iqcadence_desktop.views.widgets.stale_edit import ask_reload_or_overwrite

COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
LOGO_TYPES = (".png", ".jpg", ".jpeg")
DEFAULT_PRIMARY, DEFAULT_ACCENT = Color.INK, Color.ACCENT  # the report brand's defaults


class BrandingSection(QWidget):
    """Company name, logo and colours (read by reports); user name and email."""

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.edits = {
            k: QLineEdit()
            for k in (
                "brand.company",
                "brand.logo_path",
                "brand.primary_color",
                "brand.accent_color",
                "user.name",
                "user.display_name",
                "user.email",
            )
        }
        self.errors = {k: message_label() for k in self.edits}
        self.swatches = {k: QLabel() for k in ("brand.primary_color", "brand.accent_color")}
        for key, swatch in self.swatches.items():
            swatch.setFixedSize(22, 22)
            self.edits[key].setPlaceholderText("#RRGGBB")
            self.edits[key].textChanged.connect(lambda _t, k=key: self._paint_swatch(k))
        self.confidential = QCheckBox('Print "Confidential" in every report footer')
        self.message = message_label()
        save = QPushButton("Save")
        save.clicked.connect(self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(self._brand_group())
        layout.addWidget(self._user_group())
        layout.addWidget(self.message)
        layout.addWidget(save, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)

    def _brand_group(self) -> QGroupBox:
        box = QGroupBox("Branding (used on reports)")
        form = QFormLayout(box)
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._on_browse_clicked)
        logo = QHBoxLayout()
        logo.addWidget(self.edits["brand.logo_path"], 1)
        logo.addWidget(browse)
        form.addRow("Company name", self.edits["brand.company"])
        form.addRow("Logo (PNG or JPEG)", logo)
        form.addRow(self.errors["brand.logo_path"])
        for key, text in (
            ("brand.primary_color", "Primary colour"),
            ("brand.accent_color", "Accent colour"),
        ):
            row = QHBoxLayout()
            row.addWidget(self.edits[key], 1)
            row.addWidget(self.swatches[key])
            form.addRow(text, row)
            form.addRow(self.errors[key])
        form.addRow("", self.confidential)
        return box

    def _user_group(self) -> QGroupBox:
        box = QGroupBox("You (written into the audit log)")
        form = QFormLayout(box)
        form.addRow("Name", self.edits["user.name"])
        form.addRow(self.errors["user.name"])
        self.edits["user.display_name"].setPlaceholderText("How Home Base greets you, e.g. Sarah")
        form.addRow("Display name", self.edits["user.display_name"])
        form.addRow(self.errors["user.display_name"])
        form.addRow("Email", self.edits["user.email"])
        form.addRow(self.errors["user.email"])
        return box

    def refresh(self) -> None:
        settings = self.ctx.services.settings
        defaults = {
            "brand.primary_color": DEFAULT_PRIMARY,
            "brand.accent_color": DEFAULT_ACCENT,
            "user.name": settings.local_user().name,
        }
        for key, edit in self.edits.items():
            edit.setText(str(settings.get(key) or defaults.get(key, "")))
        self.confidential.setChecked(bool(settings.get("brand.confidential", False)))
        for label in (*self.errors.values(), self.message):
            label.clear()

    def problems(self, values: dict[str, str]) -> dict[str, str]:
        """Field -> what is wrong with it (empty when everything can be saved)."""
        found = {}
        logo = values["brand.logo_path"]
        if logo and not (Path(logo).is_file() and Path(logo).suffix.lower() in LOGO_TYPES):
            found["brand.logo_path"] = (
                "The logo must be an existing PNG or JPEG file; "
                "choose one with the button, or clear the box."
            )
        for key in self.swatches:
            if not COLOR.match(values[key]):
                found[key] = (
                    f'"{values[key]}" is not a colour; write it as #RRGGBB, e.g. {Color.ACCENT}.'
                )
        if not values["user.name"]:
            found["user.name"] = "Enter your name; the audit log records it with each change."
        email = values["user.email"]
        if email and not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", email):
            found["user.email"] = f'"{email}" does not look like an email address.'
        return found

    def save(self) -> bool:
        values = {
            k: " ".join(e.text().split())
            if k in ("brand.company", "user.name", "user.display_name")
            else e.text().strip()
            for k, e in self.edits.items()
        }
        problems = self.problems(values)
        for key, label in self.errors.items():
            show_message(label, problems.get(key, ""), error=True)
        if problems:
            show_message(self.message, "Nothing was saved; fix the marked fields.", True)
            return False
        return self._store({**values, "brand.confidential": self.confidential.isChecked()})

    def _store(self, values: Mapping[str, object], overwrite: bool = False) -> bool:
        settings = self.ctx.services.settings
        try:
            settings.set_many(values, "Branding and user settings changed", overwrite=overwrite)
        except StaleEditError as exc:  # another laptop saved these settings meanwhile
            choice = ask_reload_or_overwrite(self, exc)
            if choice == "overwrite":
                return self._store(values, overwrite=True)
            if choice == "reload":
                settings.invalidate()
                self.refresh()
            return False
        except UserFacingError as exc:
            show_message(self.message, str(exc), error=True)
            return False
        show_message(self.message, "Saved.")
        return True

    def _paint_swatch(self, key: str) -> None:
        text = self.edits[key].text().strip()
        colour = text if COLOR.match(text) else "transparent"
        self.swatches[key].setStyleSheet(
            f"background: {colour}; border: 1px solid {Color.BORDER_STRONG};"
        )

    def _on_browse_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Choose a logo", str(documents_dir()), "Images (*.png *.jpg *.jpeg)"
        )
        if path:
            self.edits["brand.logo_path"].setText(path)
