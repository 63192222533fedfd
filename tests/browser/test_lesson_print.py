"""A lesson on paper, as a phone's browser prints it: “In bài học” and the A4
leaflet the print stylesheet makes of the page."""

import re
import subprocess

import pytest
from playwright.sync_api import expect

from courses.models import LessonPage


@pytest.mark.browser
def test_a_lesson_prints_as_an_a4_leaflet_with_its_qr_code(new_phone, course, tmp_path):
    """On a 360 px phone the lesson offers “In bài học” and no QR code; printed,
    it is an A4 leaflet with the title, the steps and a QR code that opens the
    lesson, and none of the site's header, footer or buttons."""
    lesson = LessonPage.objects.get(pk=course.lessons[0].pk)
    page = new_phone().new_page()
    page.goto(lesson.url)

    expect(page.get_by_role("button", name="In bài học")).to_be_visible()
    expect(page.locator(".paper-qr")).to_be_hidden()

    page.emulate_media(media="print")
    expect(page.locator(".paper-qr")).to_be_visible()
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()
    expect(page.get_by_role("button", name="In bài học")).to_be_hidden()
    expect(page.locator(".lesson-progress")).to_be_hidden()
    body_size = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.lesson__body p'))"
        ".fontSize)"
    )
    assert body_size >= 16  # 12 pt is 16 CSS pixels

    (tmp_path / "leaflet.pdf").write_bytes(page.pdf(prefer_css_page_size=True))
    info = subprocess.run(
        ["pdfinfo", "leaflet.pdf"], cwd=tmp_path, capture_output=True, text=True
    ).stdout
    width, height = map(
        float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups()
    )
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = subprocess.run(
        ["pdftotext", "leaflet.pdf", "-"], cwd=tmp_path, capture_output=True, text=True
    ).stdout
    assert lesson.title in text
    assert "Chọn đăng ký bằng tài khoản VNeID" in text
    assert "Đánh dấu" not in text and "In bài học" not in text
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile"]
        + ["leaflet.pdf", "page"],
        cwd=tmp_path,
        check=True,
    )
    decoded = subprocess.run(
        ["zbarimg", "--raw", "-q", "page.png"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert decoded == [lesson.short_url()]
