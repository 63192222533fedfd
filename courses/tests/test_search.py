"""Search for learners: what they type, accents or not, finds the live courses
and lessons they may see, the titles that have every word first."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import PageViewRestriction

from core.text import fold
from courses.search import learning_search, snippet
from courses.tests.factories import CoursePageFactory, LessonPageFactory

URL = reverse("search")


def _body(text):
    return [{"type": "paragraph", "value": f"<p>{text}</p>"}]


@pytest.fixture
def library(catalogue):
    """A course and lessons on real procedures."""
    course = CoursePageFactory(
        parent=catalogue,
        title="Đăng ký khai sinh trực tuyến",
        summary="Cha mẹ làm giấy khai sinh cho con trên Cổng Dịch vụ công.",
    )
    pages = {
        "course": course,
        "nop": LessonPageFactory(
            parent=course,
            title="Nộp hồ sơ trực tuyến trên Cổng Dịch vụ công",
            intro="Chọn thủ tục, điền tờ khai, đính kèm giấy tờ.",
        ),
        # "khai sinh" in its text only.
        "body": LessonPageFactory(
            parent=course,
            title="Thanh toán lệ phí",
            intro="Trả phí bằng ví điện tử.",
            body=_body("Sau khi nộp tờ khai sinh con, bạn trả phí theo hướng dẫn."),
        ),
        "title": LessonPageFactory(
            parent=course,
            title="Điền tờ khai khai sinh",
            intro="Từng ô của tờ khai.",
        ),
        "dang_ky": LessonPageFactory(
            parent=course,
            title="Đăng ký tài khoản VNeID",
            intro="Tạo tài khoản định danh điện tử mức 2.",
        ),
    }
    return pages


def _titles(response) -> list[str]:
    html = response.content.decode()
    return re.findall(r'class="search-result__title"><a href="[^"]*">([^<]+)</a>', html)


def _search(client, query):
    response = client.get(URL, {"q": query})
    assert response.status_code == 200
    return _titles(response)


def test_khai_sinh_finds_the_course_and_lessons_that_teach_it(client, library):
    """ "khai sinh" finds the course and both lessons that speak of it, and no
    other lesson."""
    titles = _search(client, "khai sinh")

    assert set(titles) == {
        "Đăng ký khai sinh trực tuyến",
        "Điền tờ khai khai sinh",
        "Thanh toán lệ phí",
    }


@pytest.mark.parametrize(
    "query", ["khai sinh", "khái sinh", "KHAI SINH", "khai  sinh "]
)
def test_accents_and_case_do_not_matter(client, library, query):
    """Without accents, with wrong ones or in capitals, the same is found."""
    assert "Điền tờ khai khai sinh" in _search(client, query)


def test_nop_ho_so_finds_the_lesson_written_with_accents(client, library):
    """ "nop ho so" finds “Nộp hồ sơ trực tuyến…” first."""
    titles = _search(client, "nop ho so")

    assert titles[0] == "Nộp hồ sơ trực tuyến trên Cổng Dịch vụ công"


@pytest.mark.parametrize("query", ["đăng ký", "dang ky", "Đăng Ký tài khoản"])
def test_d_with_stroke_folds_to_d(client, library, query):
    """ "đăng ký" and "dang ky" find the same titles with “Đăng ký”."""
    titles = _search(client, query)

    assert "Đăng ký tài khoản VNeID" in titles


def test_a_title_match_ranks_before_a_text_match(client, library):
    """A lesson with the words in its title comes before one with them only in
    its text."""
    titles = _search(client, "khai sinh")

    assert titles.index("Điền tờ khai khai sinh") < titles.index("Thanh toán lệ phí")
    assert titles[-1] == "Thanh toán lệ phí"


def test_results_say_what_they_are_and_which_course(client, library):
    """A lesson shows its course's name; a course says it is a course."""
    html = client.get(URL, {"q": "thanh toan le phi"}).content.decode()

    assert "Bài học · Đăng ký khai sinh trực tuyến" in html
    assert "Trả phí bằng ví điện tử." in html
    html = client.get(URL, {"q": "dang ky khai sinh"}).content.decode()
    assert "Khóa học" in html


def test_drafts_never_appear(client, library):
    """A lesson never published, or unpublished, is not found."""
    draft = LessonPageFactory(
        parent=library["course"], title="Khai sinh cho con nuôi", live=False
    )
    library["title"].unpublish()

    titles = _search(client, "khai sinh")

    assert draft.title not in titles
    assert "Điền tờ khai khai sinh" not in titles
    assert "Đăng ký khai sinh trực tuyến" in titles


def test_private_lessons_appear_only_to_who_may_open_them(client, library, learner):
    """A lesson kept for a group, or for a password, is found by nobody outside
    it; a course kept for signed-in people is found once signed in."""
    group_only = LessonPageFactory(
        parent=library["course"], title="Khai sinh: hướng dẫn nội bộ"
    )
    restriction = PageViewRestriction.objects.create(
        page=group_only, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.create(name="Cán bộ tư pháp"))
    secret = LessonPageFactory(parent=library["course"], title="Khai sinh mật khẩu")
    PageViewRestriction.objects.create(
        page=secret, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    PageViewRestriction.objects.create(
        page=library["course"], restriction_type=PageViewRestriction.LOGIN
    )

    assert _search(client, "khai sinh") == []
    client.force_login(learner)
    titles = _search(client, "khai sinh")

    assert "Điền tờ khai khai sinh" in titles
    assert group_only.title not in titles
    assert secret.title not in titles


def test_lessons_of_a_course_taken_down_are_not_found(client, library):
    """A lesson left live under an unpublished course is not offered."""
    library["course"].live = False
    library["course"].save(update_fields=["live"])

    assert _search(client, "khai sinh") == []


def test_some_words_are_enough_when_no_page_has_them_all(client, library):
    """When no page has every word, the pages with some of them are shown, and
    the learner is told."""
    response = client.get(URL, {"q": "khai sinh xyzzy"})

    assert "Điền tờ khai khai sinh" in _titles(response)
    assert "không có bài nào chứa đủ mọi từ" in response.content.decode().lower()


def test_nothing_found_says_so_in_vietnamese_with_suggestions(client, library):
    """A search that finds nothing says so and offers examples and courses."""
    html = client.get(URL, {"q": "xyzzy"}).content.decode()

    assert "Không tìm thấy kết quả nào cho “xyzzy”." in html
    assert "?q=khai%20sinh" in html
    assert "Đăng ký khai sinh trực tuyến" in html


def test_an_empty_search_offers_examples(client, library):
    """The page without a query invites the learner to type, with examples."""
    response = client.get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Không tìm thấy" not in html
    assert 'name="q"' in html
    assert "?q=n%E1%BB%99p%20h%E1%BB%93%20s%C6%A1" in html


def test_the_search_is_linked_from_the_header_and_the_catalogue(client, library):
    """Every page's header and the catalogue lead to the search."""
    catalogue = library["course"].get_parent()

    html = client.get(catalogue.url).content.decode()

    assert html.count(f'action="{URL}"') == 1
    assert html.count(f'href="{URL}"') == 1


def test_the_index_survives_a_rebuild(library):
    """`update_index`, as the demo and a deployment run it, leaves the pages
    findable with or without accents."""
    from django.core.management import call_command

    call_command("update_index", verbosity=0)

    found = learning_search(query="nop ho so", request=_anonymous_request())
    assert found.hits[0].page.pk == library["nop"].pk


def _anonymous_request():
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    request = RequestFactory().get(URL)
    request.user = AnonymousUser()
    request.session = {}
    return request


def test_a_snippet_shows_the_passage_around_the_word():
    """The snippet of a long text is the passage with the first word found,
    cut at word boundaries."""
    text = "Mở đầu. " * 40 + "Bấm nút Nộp hồ sơ ở cuối trang. " + "Kết thúc. " * 40

    found = snippet(["", text], ["nop"], length=80)

    assert "Nộp hồ sơ" in found
    assert found.startswith("…") and found.endswith("…")
    assert len(found) <= 82
    assert fold(found).strip("…").split()[0] in fold(text).split()
