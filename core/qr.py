"""QR codes: inline SVG for pages (no image files, nothing the CSP has to
allow), PNG for WeasyPrint. Needs no Django settings: the certificates' rendering
processes import it too (certificates.pdf_worker)."""

import base64
from functools import lru_cache
from io import BytesIO

import segno
from django.utils.safestring import SafeString, mark_safe

QR_BORDER = 4  # modules of quiet zone, as the standard asks
# Pixels a module: enough that viewers which smooth small pictures anyway (poppler
# does below 4x) still draw sharp modules at 150 dpi.
QR_SCALE = 4


def qr_svg(data: str, *, scale: int = 4) -> SafeString:
    """Return an <svg> element drawing a QR code of data."""
    # segno writes the SVG itself: no text of the caller's is interpolated raw.
    return mark_safe(_svg(data, scale))


@lru_cache(maxsize=256)
def _svg(data: str, scale: int) -> str:
    # Kept: a lesson's QR code is drawn again each time its page is rendered.
    return segno.make(data, error="m").svg_inline(scale=scale, omitsize=True)


def qr_data_uri(data: str, *, scale: int = 4) -> str:
    """Return a data: URI of an SVG QR code, for the PDF renderer."""
    return segno.make(data, error="m").svg_data_uri(scale=scale)


def qr_png(data: str) -> bytes:
    """Return a PNG of the QR code of data, QR_SCALE pixels a module, with its quiet
    zone.

    Drawn without smoothing (``image-rendering: pixelated``) it prints as sharp as
    vector art, at a fraction of the cost of laying out an SVG path. The mask is
    fixed: any of the eight is a valid code that every reader decodes, and
    scoring all eight to pick one cost three times the rest of the work.
    """
    from PIL import Image

    code = segno.make(data, error="m", mask=0)
    modules = len(code.matrix)
    side = modules + 2 * QR_BORDER
    pixels = bytearray(b"\xff" * (side * side))
    for y, row in enumerate(code.matrix):
        start = (y + QR_BORDER) * side + QR_BORDER
        pixels[start : start + modules] = bytes(0 if dark else 255 for dark in row)
    # Grey, not 1-bit: WeasyPrint would widen a 1-bit picture to RGB.
    picture = Image.frombytes("L", (side, side), bytes(pixels))
    picture = picture.resize((side * QR_SCALE, side * QR_SCALE), Image.NEAREST)
    buffer = BytesIO()
    picture.save(buffer, "PNG")
    return buffer.getvalue()


def qr_png_data_uri(data: str) -> str:
    """Return qr_png(data) as a data: URI."""
    return "data:image/png;base64," + base64.b64encode(qr_png(data)).decode("ascii")
