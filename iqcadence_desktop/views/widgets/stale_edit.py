"""The question a stale save asks: someone else saved first — reload or overwrite?"""

from __future__ import annotations

from typing import Literal

from PySide6.QtWidgets import QMessageBox, QWidget

from iqcadence_desktop.errors import StaleEditError

Choice = Literal["reload", "overwrite", "cancel"]


def ask_reload_or_overwrite(parent: QWidget, exc: StaleEditError) -> Choice:
    """Ask what to do with a save someone else's change got ahead of (never silent)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Changed by someone else")
    box.setText(str(exc))
    reload = box.addButton("Reload their version", QMessageBox.ButtonRole.AcceptRole)
    overwrite = box.addButton("Overwrite with mine", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(reload)
    box.exec()
    clicked = box.clickedButton()
    if clicked is reload:
        return "reload"
    return "overwrite" if clicked is overwrite else "cancel"
