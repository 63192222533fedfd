"""Lessons on paper: the printed lesson page, its short address, the leaflet PDF
for editors and the poster of QR codes, checked with poppler's ``pdftotext``,
``pdfinfo``, ``pdfimages``/``pdftoppm`` and ``zbarimg`` as a reader's tools see
them."""

import io
import re
import subprocess

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.images import ImageFile
from django.urls import reverse
from PIL import Image as PILImage
from pytest_django.asserts import assertContains
from wagtail.images import get_image_model

from core.groups import EDITORS
from core.testing import vi
from courses import paper
from courses.models import LessonPage
from users.tests.factories import UserFactory

from .factories import CoursePageFactory, LessonPageFactory

pytestmark = pytest.mark.django_db

POSTER = reverse("courses_qr_poster")


def _screenshot(name: str, colour=(30, 120, 200)):
    picture = PILImage.new("RGB", (1080, 2340), colour)
    picture.paste((250, 250, 250), (80, 300, 1000, 900))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return get_image_model().objects.create(
        title=name, file=ImageFile(io.BytesIO(buffer.getvalue()), name=name)
    )


@pytest.fixture
def guide(course):
    """A lesson of numbered steps, each with its screenshot, and a link out."""
    steps = [
        {
            "title": title,
            "text": f"<p>Giải thích bước {number}: chạm vào nút “{title}”.</p>",
            "screenshot": _screenshot(f"buoc-{number}.png").pk,
        }
        for number, title in enumerate(
            ["Mở ứng dụng VNeID", "Chọn Thủ tục hành chính", "Nộp hồ sơ khai sinh"],
            start=1,
        )
    ]
    return LessonPageFactory(
        parent=course,
        title="Đăng ký khai sinh trực tuyến",
        intro="Làm giấy khai sinh cho con mà không phải đến Ủy ban.",
        body=[
            {"type": "heading", "value": "Chuẩn bị"},
            {"type": "steps", "value": {"title": "Các bước", "steps": steps}},
            {
                "type": "link_button",
                "value": {
                    "label": "Mở Cổng Dịch vụ công",
                    "url": "https://dichvucong.gov.vn/",
                    "note": "",
                },
            },
        ],
    )


@pytest.fixture
def editor(db):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


def _pdf_text(data: bytes, tmp_path, name="doc.pdf") -> str:
    (tmp_path / name).write_bytes(data)
    return subprocess.run(
        ["pdftotext", name, "-"],
        cwd=tmp_path,
        capture_output=True,
        check=True,
        text=True,
    ).stdout


def _page_count(data: bytes, tmp_path) -> int:
    (tmp_path / "count.pdf").write_bytes(data)
    info = subprocess.run(
        ["pdfinfo", "count.pdf"],
        cwd=tmp_path,
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def _qr_codes(data: bytes, tmp_path, page: int = 1) -> list[str]:
    """Return what zbarimg reads on the page, rasterised at 150 dpi."""
    (tmp_path / "qr.pdf").write_bytes(data)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-f", str(page), "-l", str(page)]
        + ["-singlefile", "qr.pdf", "page"],
        cwd=tmp_path,
        check=True,
    )
    found = subprocess.run(
        ["zbarimg", "--raw", "-q", str(tmp_path / "page.png")],
        capture_output=True,
        text=True,
    ).stdout
    return sorted(found.split())


# The lesson page, printed from the browser


def test_the_lesson_page_has_a_print_button_and_a_print_only_qr_code(client, guide):
    """The page offers “In bài học” (shown by site.js) and carries, for paper
    only, the QR code of the lesson's short address with that address under it."""
    response = client.get(guide.url, HTTP_ACCEPT_LANGUAGE="vi")

    assertContains(response, vi("Print the lesson"))
    assertContains(response, "data-print hidden")
    assertContains(response, '<aside class="paper-qr print-only">')
    assertContains(response, "<svg")
    short = guide.short_url().split("://", 1)[1].rstrip("/")
    assertContains(response, f'<p class="paper-qr__url">{short}</p>')


def test_the_print_only_qr_code_is_in_the_shell_of_a_learner(client, learner, guide):
    """A logged-in learner's page, served from its cached shell, still has the
    QR code and the button, and the learner's own progress form."""
    client.force_login(learner)
    first = client.get(guide.url)
    second = client.get(guide.url)

    for response in (first, second):
        assertContains(response, "paper-qr print-only")
        assertContains(response, "data-print")
        assertContains(response, "csrfmiddlewaretoken")


def test_the_short_address_opens_the_live_lesson(client, guide):
    """/b/<id>/ sends to the lesson; an unpublished lesson or another page is
    not found."""
    response = client.get(reverse("lesson_short", args=[guide.pk]))
    assert response.status_code == 302
    assert response["Location"] == guide.url

    guide.unpublish()
    assert client.get(reverse("lesson_short", args=[guide.pk])).status_code == 404
    course = guide.get_parent()
    assert client.get(reverse("lesson_short", args=[course.pk])).status_code == 404


def test_the_stylesheet_prints_a_clean_a4_leaflet():
    """site.css has the print rules: A4 page, large type, steps kept whole,
    nothing to tap printed."""
    css = paper.STYLESHEET.read_text()
    printed = css[css.index("@media print") :]
    assert "size: A4" in printed
    assert "font-size: 12.5pt" in printed
    assert ".step { break-inside: avoid" in printed
    for hidden in (".site-header", ".site-footer", ".lesson-progress", "button"):
        assert hidden in printed.split("display: none !important")[0]


# The leaflet as PDF, for editors


def test_an_editor_downloads_the_leaflet(client, editor, guide, tmp_path):
    """The PDF has the title, every step, the address of the link out, the QR
    code of the short address, the screenshots, and embeds Noto Sans."""
    client.force_login(editor)

    response = client.get(reverse("courses_lesson_leaflet", args=[guide.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    data = response.content
    text = _pdf_text(data, tmp_path)
    assert "Đăng ký khai sinh trực tuyến" in text
    for step in ("Mở ứng dụng VNeID", "Chọn Thủ tục hành chính", "Nộp hồ sơ khai sinh"):
        assert step in text
    assert "https://dichvucong.gov.vn/" in text.replace(" ", "")
    assert vi("Print the lesson") not in text
    assert guide.short_url() in _qr_codes(data, tmp_path)
    fonts = subprocess.run(
        ["pdffonts", "doc.pdf"], cwd=tmp_path, capture_output=True, text=True
    ).stdout
    assert "Noto-Sans" in fonts
    images = subprocess.run(
        ["pdfimages", "-list", "doc.pdf"], cwd=tmp_path, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    # Three screenshots at print resolution (and the QR code, drawn as vectors).
    widths = [int(row.split()[3]) for row in images if " image " in row]
    assert len(widths) == 3
    assert min(widths) >= 500


def test_the_leaflet_of_a_draft_is_refused_with_a_message(client, editor, course):
    """A lesson never published has no address to print: the editor is told."""
    draft = LessonPageFactory(parent=course, title="Bài nháp", live=False)
    client.force_login(editor)

    response = client.get(
        reverse("courses_lesson_leaflet", args=[draft.pk]), follow=True
    )

    assertContains(response, "Bài nháp")
    assert response.redirect_chain[-1][0] == reverse(
        "wagtailadmin_pages:edit", args=[draft.pk]
    )


@pytest.mark.parametrize("who", ["anonymous", "learner", "staff_without_pages"])
def test_people_who_cannot_edit_the_lesson_get_no_pdf(client, guide, who):
    """Visitors are sent to log in; learners and admin users who may not edit
    the lesson are refused: nobody else makes the server render PDFs."""
    if who == "learner":
        client.force_login(UserFactory())
    elif who == "staff_without_pages":
        user = UserFactory(is_staff=True)
        user.user_permissions.add(Permission.objects.get(codename="access_admin"))
        client.force_login(user)
    for url in (reverse("courses_lesson_leaflet", args=[guide.pk]), POSTER):
        response = client.get(url)
        assert response.status_code in (302, 403)
        assert response.get("Content-Type") != "application/pdf"
        if who != "staff_without_pages":
            assert "login" in response["Location"]


def test_the_leaflet_button_is_in_the_lesson_s_admin_menus(client, editor, guide):
    """The lesson's editors find “Tải tờ hướng dẫn (PDF)” in the page's header
    menu and in the course's listing."""
    client.force_login(editor)
    url = reverse("courses_lesson_leaflet", args=[guide.pk])

    edit = client.get(reverse("wagtailadmin_pages:edit", args=[guide.pk]))
    listing = client.get(reverse("wagtailadmin_explore", args=[guide.get_parent().pk]))

    assertContains(edit, url)
    assertContains(listing, url)


# The poster of QR codes


@pytest.fixture
def commune_lessons(catalogue):
    """120 lessons in 30 courses (procedure fields), four each."""
    lessons = []
    for field in range(1, 31):
        course = CoursePageFactory(parent=catalogue, title=f"Lĩnh vực {field:02d}")
        for number in range(1, 5):
            lessons.append(
                LessonPageFactory(
                    parent=course, title=f"Thủ tục {field:02d}.{number} khai sinh"
                )
            )
    return lessons


def test_a_poster_of_120_qr_codes(client, editor, commune_lessons, tmp_path):
    """120 lessons of 30 courses, all chosen at once: a poster of a few pages,
    with the title, every course heading and lesson title, and QR codes that
    open the lessons."""
    client.force_login(editor)
    response = client.post(
        POSTER,
        {
            "title": "Hướng dẫn thủ tục trực tuyến tại Bộ phận Một cửa",
            "course": "",
            "q": "",
            "all_shown": "on",
        },
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    data = response.content
    pages = _page_count(data, tmp_path)
    # 20 codes a full page: 6 at the least, a few more for 30 headings.
    assert 6 <= pages <= 9
    text = _pdf_text(data, tmp_path)
    assert "Hướng dẫn thủ tục trực tuyến tại Bộ phận Một cửa" in text
    flat = " ".join(text.split())
    for lesson in commune_lessons:
        assert lesson.title in flat
    for field in range(1, 31):
        assert f"Lĩnh vực {field:02d}" in flat
    codes = _qr_codes(data, tmp_path, page=1)
    first_page = [lesson.short_url() for lesson in commune_lessons][: len(codes)]
    assert len(codes) >= 12
    assert set(codes) <= {lesson.short_url() for lesson in commune_lessons}
    assert commune_lessons[0].short_url() in codes
    assert set(first_page) == set(codes)
    last = _qr_codes(data, tmp_path, page=pages)
    assert commune_lessons[-1].short_url() in last


def test_the_poster_list_filters_by_course_and_title_without_accents(
    client, editor, commune_lessons
):
    """Typing “lĩnh vực 03” and “thu tuc 03.2” narrows the ticked list."""
    client.force_login(editor)
    course = LessonPage.objects.get(pk=commune_lessons[8].pk).get_parent()

    response = client.get(POSTER, {"course": course.pk, "q": "thu tuc 03.2"})

    assert response.status_code == 200
    shown = response.context["form"].shown
    assert [lesson.title for lesson in shown] == ["Thủ tục 03.2 khai sinh"]


def _post_poster(client, **data):
    return client.post(POSTER, {"title": "Áp phích", "course": "", "q": "", **data})


def test_a_poster_of_no_lesson_is_refused(client, editor, commune_lessons):
    client.force_login(editor)

    response = _post_poster(client)

    assert response.status_code == 200
    assertContains(response, vi("Choose at least one lesson: tick it in the list."))


def test_a_poster_of_an_unpublished_lesson_is_refused(client, editor, course):
    draft = LessonPageFactory(parent=course, title="Bài chưa đăng", live=False)
    client.force_login(editor)

    response = _post_poster(client, lessons=[draft.pk])

    assert response.status_code == 200
    assertContains(response, "“Bài chưa đăng”")
    assert response["Content-Type"].startswith("text/html")


def test_a_poster_of_too_many_lessons_is_refused(
    client, editor, commune_lessons, settings, monkeypatch
):
    monkeypatch.setattr("courses.forms.POSTER_MAX", 100)
    client.force_login(editor)

    response = _post_poster(client, all_shown="on")

    assertContains(
        response,
        vi(
            "A poster holds at most %(max)s QR codes; %(count)s lessons are "
            "chosen. Make two posters.",
            max=100,
            count=120,
        ),
    )
