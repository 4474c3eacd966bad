"""A small PNG of a PDF's first page, for the Reports page preview.

Rasterising PDF needs a renderer; rather than add a heavy dependency we use poppler's
`pdftoppm` when it is installed (Linux packages, Homebrew, the Windows poppler builds)
and say plainly when it is not. The preview is a convenience: the PDF itself never
depends on it.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

TIMEOUT_SECONDS = 30
MISSING_TEXT = (
    "The preview needs poppler-utils (the pdftoppm program). Install it to see "
    "thumbnails here; the report itself is complete without it."
)


@dataclass(frozen=True)
class Thumbnail:
    """PNG bytes of page 1, or a message saying why there is no picture."""

    png: bytes | None
    message: str = ""


def first_page_png(pdf: Path, width_px: int = 360) -> Thumbnail:
    """Render page 1 of `pdf` about `width_px` wide."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        return Thumbnail(None, MISSING_TEXT)
    with tempfile.TemporaryDirectory(prefix="iqcadence-thumb-") as tmp:
        stem = Path(tmp) / "page"
        cmd = [
            tool,
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            "-scale-to-x",
            str(width_px),
            "-scale-to-y",
            "-1",
            str(pdf),
            str(stem),
        ]
        try:
            done = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return Thumbnail(None, f"The preview could not be drawn ({exc}).")
        png = stem.with_suffix(".png")
        if done.returncode != 0 or not png.exists():
            err = done.stderr.decode("utf-8", "replace").strip()[:200]
            return Thumbnail(None, f"The preview could not be drawn: {err or 'pdftoppm failed'}.")
        return Thumbnail(png.read_bytes())
