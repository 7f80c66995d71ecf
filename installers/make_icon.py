"""Draw the app icon (a document with a shield and check) as PNG and ICO.

Drawn in code rather than shipped as an opaque binary so the icon can be
changed by editing numbers and re-running this script; the outputs are
committed so a build needs no Pillow.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"

BLUE = (31, 94, 158, 255)
BLUE_LIGHT = (214, 230, 245, 255)
PAPER = (255, 255, 255, 255)
LINE = (160, 186, 212, 255)
SCALE = 4  # supersampling: draw at 4x and downscale for smooth edges
SIZE = 256
ICO_SIZES = [(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)]


def draw(size: int = SIZE) -> Image.Image:
    s = size * SCALE
    img = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)

    def px(v: float) -> int:
        return round(v * s / 256)

    # The sheet of paper with a folded top-right corner.
    left, top, right, bottom, fold = px(40), px(16), px(200), px(240), px(44)
    sheet = [(left, top), (right - fold, top), (right, top + fold), (right, bottom),
             (left, bottom)]
    d.polygon(sheet, fill=PAPER, outline=BLUE, width=px(10))
    d.polygon([(right - fold, top), (right - fold, top + fold), (right, top + fold)],
              fill=BLUE_LIGHT, outline=BLUE, width=px(8))
    # Text lines.
    for i, y in enumerate((70, 96, 122)):
        end = 150 if i == 0 else 170
        d.rounded_rectangle([px(66), px(y), px(end), px(y + 10)], radius=px(5), fill=LINE)

    # The shield, lower right, overlapping the sheet's edge.
    cx, top_y, w, h = px(176), px(124), px(108), px(124)
    shield = [
        (cx - w // 2, top_y + px(14)),
        (cx, top_y),
        (cx + w // 2, top_y + px(14)),
        (cx + w // 2, top_y + h * 45 // 100),
        (cx + w // 3, top_y + h * 75 // 100),
        (cx, top_y + h),
        (cx - w // 3, top_y + h * 75 // 100),
        (cx - w // 2, top_y + h * 45 // 100),
    ]
    d.polygon(shield, fill=BLUE, outline=PAPER, width=px(8))
    # The check mark.
    check = [(cx - px(26), top_y + px(60)), (cx - px(6), top_y + px(80)),
             (cx + px(28), top_y + px(40))]
    d.line(check, fill=PAPER, width=px(14), joint="curve")
    for x, y in (check[0], check[2]):
        r = px(7)
        d.ellipse([x - r, y - r, x + r, y + r], fill=PAPER)
    return img.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    ICONS.mkdir(parents=True, exist_ok=True)
    big = draw(SIZE)
    big.save(ICONS / "dpa-desktop.png")
    big.save(ICONS / "dpa-desktop.ico", sizes=ICO_SIZES)
    print(ICONS / "dpa-desktop.png")
    print(ICONS / "dpa-desktop.ico")


if __name__ == "__main__":
    main()
