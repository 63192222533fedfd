from django import template

from core.qr import qr_svg

register = template.Library()


@register.inclusion_tag("courses/includes/paper_qr.html")
def paper_qr(lesson, scale: int = 3) -> dict:
    """Draw the QR code of the lesson's short address, the address printed
    under it (without its scheme, as people type it)."""
    url = lesson.short_url()
    return {
        "qr": qr_svg(url, scale=scale),
        "url_text": url.split("://", 1)[-1].rstrip("/"),
    }


@register.simple_tag
def print_image_uri(image) -> str:
    """Return the image at print resolution, embedded (courses.paper)."""
    from courses.paper import print_image_uri as uri

    return uri(image)
