"""Login cards as a PDF: A4 pages of eight cards, each with a name, the class, a
QR code of the claim address and the one-time code. Knows nothing but cards."""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

CARDS_PER_PAGE = 8
FONTS = Path(settings.BASE_DIR) / "static" / "fonts"


@dataclass
class LoginCard:
    full_name: str
    class_name: str
    phone: str
    code: str
    claim_url: str
    qr_uri: str


def login_cards_pdf(cards: list[LoginCard]) -> bytes:
    """Return the PDF of the cards, eight to an A4 page."""
    return login_cards_document(cards).write_pdf()


def login_cards_document(cards: list[LoginCard]):
    """Return the laid-out WeasyPrint document of the cards."""
    from weasyprint import HTML

    pages = [
        cards[start : start + CARDS_PER_PAGE]
        for start in range(0, len(cards), CARDS_PER_PAGE)
    ]
    html = render_to_string(
        "classes/login_cards.html",
        {
            "pages": pages,
            "font_regular": (FONTS / "NotoSans-Regular.ttf").as_uri(),
            "font_bold": (FONTS / "NotoSans-Bold.ttf").as_uri(),
        },
    )
    return HTML(string=html, base_url=str(FONTS)).render()
