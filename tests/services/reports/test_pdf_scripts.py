"""Names in any script print in report PDFs: each character is drawn with a font that has
it (no boxes), and the text reads back from the PDF as it was written."""

from __future__ import annotations

from pathlib import Path

import pytest

from iqcadence_desktop.services.container import Services
from iqcadence_desktop.services.reports import ReportRequest
from iqcadence_desktop.services.reports.render.fonts import (
    FALLBACKS,
    _register,
    font_for_char,
    register_base_fonts,
    runs,
)
from tests.conftest import TODAY
from tests.services.reports.helpers import pdf_pages

NAMES = (
    "Müller & Söhne GmbH",
    "Αθηναϊκή Ναυτιλία",
    "Москва Логистика",
    "株式会社テスト",
    "北京科技有限公司",
    "김민수 상사",
    "บริษัท สยาม",
    "हिंदी उद्योग",
    "বাংলা বাণিজ্য",
    "தமிழ் நிறுவனம்",
    "ሰላም ንግድ",
    "Café ☕ Rocket 🚀",
    "Family 👨‍👩‍👧 Farms",
)


@pytest.mark.parametrize("name", NAMES)
def test_every_character_has_a_glyph(name: str) -> None:
    base = register_base_fonts()
    for font, piece in runs(name):
        covered = base if font is None else _register(font)
        missing = [c for c in piece if ord(c) not in covered]
        assert not missing, f"{name!r}: {missing} would print as boxes"


def test_emoji_and_hangul_have_their_own_fonts() -> None:
    assert font_for_char(ord("🚀")) == "Fallback-Emoji"
    assert font_for_char(ord("김")) == "Fallback-Hangul"
    assert font_for_char(ord("株")) == "IPAexGothic"
    assert font_for_char(ord("é")) is None


def test_the_fallback_fonts_stay_small() -> None:
    """The packaged app must stay small: the cut-down fonts add about 3 MB."""
    from iqcadence_desktop.paths import resource_path

    added = sum(
        resource_path("fonts", f.file).stat().st_size for f in FALLBACKS if f.file != "ipaexg.ttf"
    )
    assert added < 4 * 1024 * 1024


def test_a_report_prints_every_name(services: Services, tmp_path: Path) -> None:
    for name in NAMES:
        services.customers.create(
            {"name": name, "logins": 0, "nps": 2, "tickets": 9, "mrr": 900, "manager": "김민수"}
        )
    out = tmp_path / "at-risk.pdf"
    services.reports.render(ReportRequest("at-risk", TODAY), out)
    text = " ".join(pdf_pages(out))
    for name in NAMES:
        # Joiners have no meaning without a text shaper; the people of the family print.
        assert name.replace("\u200d", "") in text, name
