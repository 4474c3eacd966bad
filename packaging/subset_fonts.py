"""Make the small fallback fonts that let report PDFs print names in any script.

reportlab embeds TrueType outlines only and has no font fallback of its own, so the app
ships one font per family of scripts and picks, character by character, the first one
that has a glyph (services/reports/render/fonts.py). To keep the package small, each
source font is cut down to the characters it is there for:

- Hangul: the 2,350 syllables of KS X 1001 (every syllable in everyday use) and the jamo,
  from Nanum Gothic (SIL Open Font License).
- Emoji and pictographs: from Symbola (free for any use, see LICENSE-Symbola.txt).
- Thai, Indic, Southeast Asian and Ethiopic scripts: Noto Sans (SIL OFL), each font cut
  to its own script.

- Chinese and Japanese: IPAexGothic, every character kept but its screen hinting dropped
  (hints help small text on screens, not in print): 3.3 MB instead of 6.1 MB.

DejaVu Sans (Latin, Greek, Cyrillic, Arabic, Hebrew, Armenian, Georgian) is shipped whole.

Run it again only to change the set (Debian: `apt-get install fonts-nanum fonts-symbola
fonts-noto-core fonts-ipaexfont-gothic`; then `pip install fonttools` in a scratch venv and run
`python packaging/subset_fonts.py`). The output replaces the files in
iqcadence_desktop/resources/fonts/ and prints their sizes.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset  # type: ignore[import-not-found]
from fontTools.ttLib import TTFont  # type: ignore[import-not-found]

OUT = Path(__file__).resolve().parents[1] / "iqcadence_desktop" / "resources" / "fonts"
NOTO = Path("/usr/share/fonts/truetype/noto")
SYMBOLA = Path("/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf")

#: Noto Sans script fonts and the blocks each is kept for.
NOTO_SCRIPTS: dict[str, list[tuple[int, int]]] = {
    "Thai": [(0x0E00, 0x0E7F)],
    "Lao": [(0x0E80, 0x0EFF)],
    "Khmer": [(0x1780, 0x17FF), (0x19E0, 0x19FF)],
    "Myanmar": [(0x1000, 0x109F)],
    "Devanagari": [(0x0900, 0x097F), (0xA8E0, 0xA8FF)],
    "Bengali": [(0x0980, 0x09FF)],
    "Gurmukhi": [(0x0A00, 0x0A7F)],
    "Gujarati": [(0x0A80, 0x0AFF)],
    "Tamil": [(0x0B80, 0x0BFF)],
    "Telugu": [(0x0C00, 0x0C7F)],
    "Kannada": [(0x0C80, 0x0CFF)],
    "Malayalam": [(0x0D00, 0x0D7F)],
    "Sinhala": [(0x0D80, 0x0DFF)],
    "Ethiopic": [(0x1200, 0x139F), (0x2D80, 0x2DDF)],
}
#: Emoji, pictographs and the symbols DejaVu lacks.
EMOJI: list[tuple[int, int]] = [
    (0x2190, 0x21FF),
    (0x2300, 0x23FF),
    (0x2460, 0x24FF),
    (0x25A0, 0x27BF),
    (0x2900, 0x297F),
    (0x2B00, 0x2BFF),
    (0x3030, 0x3030),
    (0x303D, 0x303D),
    (0x1F000, 0x1FAFF),
]


def _codes(ranges: list[tuple[int, int]]) -> set[int]:
    return {c for lo, hi in ranges for c in range(lo, hi + 1)}


def hangul_codes() -> set[int]:
    """KS X 1001's syllables (read from Python's EUC-KR codec) and the jamo blocks."""
    found = _codes([(0x1100, 0x11FF), (0x3131, 0x318E)])
    for lead in range(0xB0, 0xC9):
        for trail in range(0xA1, 0xFF):
            try:
                found.add(ord(bytes([lead, trail]).decode("euc_kr")))
            except UnicodeDecodeError:
                continue
    return found


def cut(source: Path, codes: set[int] | None, target: Path) -> int:
    """Keep only `codes` (and what they need) of `source`; returns the file size."""
    font = TTFont(str(source))
    options = subset.Options()
    options.layout_features = ["*"]  # keep shaping data for scripts that have it
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False  # hints matter on screens, not in print
    subsetter = subset.Subsetter(options)
    cmap = set(font.getBestCmap())
    subsetter.populate(unicodes=cmap if codes is None else codes & cmap)
    subsetter.subset(font)
    font.save(str(target))
    return target.stat().st_size


def main() -> int:
    total = 0
    jobs = [
        (Path("/usr/share/fonts/truetype/nanum/NanumGothic.ttf"), hangul_codes(), "Hangul"),
        (
            Path("/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf"),
            _codes(EMOJI),
            "Emoji",
        ),
    ]
    jobs += [
        (NOTO / f"NotoSans{name}-Regular.ttf", _codes(ranges), name)
        for name, ranges in NOTO_SCRIPTS.items()
    ]
    ipaex = Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf")
    outputs: list[tuple[Path, set[int] | None, str]] = [(ipaex, None, "ipaexg.ttf")]
    outputs += [(source, codes, f"Fallback-{label}.ttf") for source, codes, label in jobs]
    for source, codes, name in outputs:
        size = cut(source, codes, OUT / name)
        total += size
        print(f"{name:<24} {size / 1024:8.1f} KiB")
    print(f"{'total':<24} {total / 1024:8.1f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
