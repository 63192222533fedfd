"""Draw the app icons of the web app manifest (static/icons/) from the brand:
the favicon's white tick on the brand red, as installers ask for them.

    .venv/bin/python scripts/make_icons.py

Run again when the brand changes, and commit the PNGs it writes.
"""

from pathlib import Path

from PIL import Image, ImageDraw

BRAND = (0xB3, 0x26, 0x1E)
WHITE = (255, 255, 255)
OUT = Path(__file__).resolve().parent.parent / "static" / "icons"
# Drawn this many times larger, then scaled down, for smooth edges.
SCALE = 4


def icon(size: int, *, rounded: bool, tick: float) -> Image.Image:
    """Return a size x size icon: a rounded (or full-bleed) red square with a
    white tick spanning ``tick`` of its width."""
    big = size * SCALE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if rounded:
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=big // 6, fill=BRAND)
    else:
        draw.rectangle((0, 0, big, big), fill=BRAND)
    span = big * tick
    left, top = (big - span) / 2, (big - span * 0.75) / 2
    points = [
        (left, top + span * 0.42),
        (left + span * 0.36, top + span * 0.75),
        (left + span, top),
    ]
    draw.line(points, fill=WHITE, width=round(span * 0.16), joint="curve")
    return image.resize((size, size), Image.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    icons = {
        "icon-192.png": icon(192, rounded=True, tick=0.6),
        "icon-512.png": icon(512, rounded=True, tick=0.6),
        # Android crops a maskable icon to a circle or a squircle: full bleed,
        # the tick inside the middle 80%.
        "icon-maskable-512.png": icon(512, rounded=False, tick=0.5),
        # iOS rounds the corners itself and shows transparency as black.
        "apple-touch-icon.png": icon(180, rounded=False, tick=0.6),
    }
    for name, image in icons.items():
        image.quantize(colors=32).save(OUT / name, optimize=True)


if __name__ == "__main__":
    main()
