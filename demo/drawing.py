"""Pillow helpers shared by the screen, cover and handout drawings."""

import io
import unicodedata
from functools import lru_cache

from django.conf import settings
from PIL import Image, ImageDraw, ImageFont

FONT_DIR = settings.BASE_DIR / "static" / "fonts"


@lru_cache(maxsize=64)
def font(size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "NotoSans-Bold.ttf" if bold else "NotoSans-Regular.ttf"
    return ImageFont.truetype(str(FONT_DIR / name), size)


def nfc(text: str) -> str:
    # Precomposed letters (ệ, not e + two marks) are what the font draws best.
    return unicodedata.normalize("NFC", text)


def wrap(text: str, face: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Return text broken into lines no wider than width, at spaces."""
    lines: list[str] = []
    for paragraph in nfc(text).split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if face.getlength(candidate) <= width or not line:
                line = candidate
            else:
                lines.append(line)
                line = word
        lines.append(line)
    return lines


def line_height(face: ImageFont.FreeTypeFont) -> int:
    return round(face.size * 1.38)


def draw_lines(
    draw: ImageDraw.ImageDraw,
    xy: tuple[int, int],
    lines: list[str],
    face: ImageFont.FreeTypeFont,
    fill: str,
    *,
    centre_width: int | None = None,
) -> int:
    """Draw lines from xy down; return the y under the last line."""
    x, y = xy
    step = line_height(face)
    for line in lines:
        left = x
        if centre_width is not None:
            left = x + (centre_width - face.getlength(line)) / 2
        draw.text((left, y), line, font=face, fill=fill)
        y += step
    return y


def tick(draw: ImageDraw.ImageDraw, cx: float, cy: float, r: float, fill: str, w: int):
    draw.line(
        [
            (cx - r * 0.5, cy),
            (cx - r * 0.1, cy + r * 0.4),
            (cx + r * 0.55, cy - r * 0.4),
        ],
        fill=fill,
        width=w,
        joint="curve",
    )


def png_bytes(image: Image.Image, colours: int = 96) -> bytes:
    """Return the image as a small palette PNG (flat drawings compress well)."""
    palette = image.convert("RGB").quantize(
        colors=colours, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
    )
    out = io.BytesIO()
    palette.save(out, format="PNG")
    return out.getvalue()


def jpeg_bytes(image: Image.Image, quality: int = 82) -> bytes:
    out = io.BytesIO()
    image.convert("RGB").save(out, format="JPEG", quality=quality, optimize=True)
    return out.getvalue()
