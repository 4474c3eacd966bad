"""Draw the app icon with Pillow and write PNG, ICO and ICNS into resources/icons/.

The outputs are committed, so builds need no Pillow step; rerun this after changing the
design: `.venv/bin/python packaging/make_icons.py`.
Design: a blue rounded square, a white ring (the "Q") crossed by a pulse line (cadence).
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

ICONS = Path(__file__).resolve().parent.parent / "iqcadence_desktop" / "resources" / "icons"
SIZE = 1024
BLUE, DARK, WHITE = (47, 91, 234, 255), (31, 36, 48, 255), (255, 255, 255, 255)


def draw(size: int = SIZE) -> Image.Image:
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    s = size / 1024
    pen.rounded_rectangle((40 * s, 40 * s, 984 * s, 984 * s), radius=200 * s, fill=BLUE)
    pen.ellipse((212 * s, 200 * s, 812 * s, 800 * s), outline=WHITE, width=round(78 * s))
    pen.line((650 * s, 640 * s, 820 * s, 830 * s), fill=WHITE, width=round(90 * s))
    pulse = [(150, 520), (360, 520), (430, 380), (520, 680), (590, 460), (640, 520), (874, 520)]
    pen.line([(x * s, y * s) for x, y in pulse], fill=DARK, width=round(64 * s), joint="curve")
    return image


def main() -> None:
    ICONS.mkdir(parents=True, exist_ok=True)
    big = draw()
    big.resize((256, 256), Image.Resampling.LANCZOS).save(ICONS / "iqcadence.png")
    big.save(
        ICONS / "iqcadence.ico",
        sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)],
    )
    big.save(ICONS / "iqcadence.icns")
    print("wrote", *sorted(p.name for p in ICONS.iterdir()))


if __name__ == "__main__":
    main()
