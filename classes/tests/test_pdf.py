"""Login cards: eight to an A4 page, with the name, class and code on each."""

import re

from classes.pdf import LoginCard, login_cards_document, login_cards_pdf
from classes.qr import qr_data_uri

CLAIM = "https://example.vn/tai-khoan/nhan-tai-khoan/"


def cards(count: int) -> list[LoginCard]:
    return [
        LoginCard(
            full_name=f"Nguyễn Thị Hồng Nhung {n}",
            class_name="Lớp 10A1 DVCTT – Trường THPT Đông Hưng",
            phone="0912 345 678",
            code=f"ABCDE2345{n % 10}",
            claim_url=CLAIM,
            qr_uri=qr_data_uri(f"{CLAIM}?ma=ABCDE2345{n % 10}"),
        )
        for n in range(count)
    ]


def test_ten_cards_fill_two_pages():
    document = login_cards_document(cards(10))

    assert len(document.pages) == 2


def test_eight_cards_fit_one_page():
    assert len(login_cards_document(cards(8)).pages) == 1


def test_the_pdf_uses_the_vendored_noto_sans():
    """Vietnamese needs a font with every tone mark: the vendored Noto Sans."""
    data = login_cards_document(cards(1)).write_pdf(uncompressed_pdf=True)

    fonts = set(re.findall(rb"/BaseFont\s*/[A-Z]{6}\+([^\s/]+)", data))
    assert fonts == {b"Noto-Sans", b"Noto-Sans-Bold"}
    assert login_cards_pdf(cards(1)).startswith(b"%PDF")
