"""QR codes as inline SVG: no image files, nothing the CSP has to allow."""

from functools import lru_cache

import segno
from django.utils.safestring import SafeString, mark_safe


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
