"""Lessons on paper, as PDF: a lesson's leaflet and a poster of lessons' QR codes.
Turns lessons into bytes and knows nothing else.

The leaflet is the lesson page as a browser prints it: the same article and the
same stylesheet (``static/css/site.css``, its ``@media print`` part), laid out by
WeasyPrint, with the Noto fonts embedded and the pictures as renditions at print
resolution. Every QR code opens the lesson's short address
(``LessonPage.short_url``).

WeasyPrint reads nothing from the network: pictures are embedded as ``data:``
URIs, and files only from the fonts folder.
"""

from __future__ import annotations

import atexit
import base64
from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from core.qr import qr_png_data_uri

from .models import CoursePage

FONTS = Path(settings.BASE_DIR) / "static" / "fonts"
STYLESHEET = Path(settings.BASE_DIR) / "static" / "css" / "site.css"
# A screenshot prints at most 62 mm wide and 90 mm high: 1200 pixels on
# the long side is over 250 dpi.
PRINT_IMAGE = "max-1200x1200|format-jpeg|jpegquality-80"
# QR codes a poster has at most, and a row of the poster.
POSTER_MAX = 200
POSTER_COLUMNS = 4
FONT_FACES = """
@font-face { font-family: "Noto Sans"; src: url("NotoSans-Regular.ttf"); }
@font-face { font-family: "Noto Sans"; src: url("NotoSans-Bold.ttf");
             font-weight: 700; }
body { font-family: "Noto Sans", sans-serif; }
"""


def print_image_uri(image) -> str:
    """Return the image resized for print as a data: URI."""
    rendition = image.get_rendition(PRINT_IMAGE)
    with rendition.file.open("rb") as source:
        data = source.read()
    return "data:image/jpeg;base64," + base64.b64encode(data).decode("ascii")


def lesson_leaflet_pdf(lesson) -> bytes:
    """Return the A4 leaflet of the lesson as published."""
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            "courses/paper/leaflet.html",
            {"page": lesson, "course": lesson.get_course(), "leaflet": True},
        )
    return _pdf(html)


@dataclass(frozen=True)
class PosterCell:
    title: str
    url_text: str
    qr: str  # a data: URI


@dataclass(frozen=True)
class PosterGroup:
    heading: str
    rows: list[list[PosterCell]]


def qr_poster_pdf(*, title: str, lessons: list) -> bytes:
    """Return the A4 poster of the lessons' QR codes, grouped under their
    courses (in the catalogue's order), POSTER_COLUMNS to a row."""
    lessons = sorted(lessons, key=lambda lesson: lesson.path)
    courses = {
        course.path: course
        for course in CoursePage.objects.filter(
            path__in={lesson.path[: -lesson.steplen] for lesson in lessons}
        )
    }
    groups = []
    for course_path, members in groupby(
        lessons, key=lambda lesson: lesson.path[: -lesson.steplen]
    ):
        cells = []
        for lesson in members:
            url = lesson.short_url()
            cells.append(
                PosterCell(
                    title=lesson.title,
                    url_text=url.split("://", 1)[-1].rstrip("/"),
                    qr=qr_png_data_uri(url),
                )
            )
        course = courses.get(course_path)
        groups.append(
            PosterGroup(
                heading=course.title if course is not None else "",
                rows=[
                    cells[start : start + POSTER_COLUMNS]
                    for start in range(0, len(cells), POSTER_COLUMNS)
                ],
            )
        )
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            "courses/paper/poster.html", {"title": title, "groups": groups}
        )
    return _pdf(html, site_stylesheet=False)


def _pdf(html: str, *, site_stylesheet: bool = True) -> bytes:
    from weasyprint import HTML

    stylesheets = [_stylesheet("site")] if site_stylesheet else []
    stylesheets.append(_stylesheet("fonts"))
    return (
        HTML(string=html, base_url=FONTS.as_uri() + "/", url_fetcher=_fetcher())
        .render(stylesheets=stylesheets, font_config=_font_config())
        .write_pdf()
    )


@lru_cache(maxsize=1)
def _font_config():
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


@lru_cache(maxsize=2)
def _stylesheet(name: str):
    from weasyprint import CSS

    if name == "site":
        return CSS(filename=str(STYLESHEET), font_config=_font_config())
    return CSS(
        string=FONT_FACES,
        base_url=FONTS.as_uri() + "/",
        font_config=_font_config(),
        url_fetcher=_fetcher(),
    )


# Let the fonts go before the interpreter tears down the libraries they need
# (the stylesheets first: they hold the font configuration).
atexit.register(_font_config.cache_clear)
atexit.register(_stylesheet.cache_clear)


def _fetcher():
    from weasyprint.urls import URLFetcher

    class Fetcher(URLFetcher):
        """Read data: URIs and the fonts; refuse anything else (an address in an
        editor's text, a file elsewhere on the machine)."""

        def fetch(self, url, headers=None):
            if not (url.startswith("data:") or url.startswith(FONTS.as_uri() + "/")):
                raise ValueError(f"not fetched for print: {url[:80]}")
            return super().fetch(url, headers)

    return Fetcher(allowed_protocols={"file", "data"})
