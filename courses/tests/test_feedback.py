"""“Bài này có giúp bạn không?”: one answer per learner (or anonymous browser)
per lesson, changeable, rate-limited; the comments for editors only, in a
report with the most "no" answers first."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import PageViewRestriction

from core.groups import EDITORS
from courses.models import LessonFeedback
from courses.personal_data import _erase_lesson_feedback
from courses.services import lesson_feedback_record
from courses.tests.factories import LessonPageFactory, course_with_lessons
from courses.views import FEEDBACK_COOKIE
from users.tests.factories import UserFactory

REPORT = reverse("lesson_feedback_report")


def _url(lesson):
    return reverse("lesson_feedback", args=[lesson.pk])


def test_a_learner_answers_once_and_can_change_it(client, lessons, learner):
    """A second answer replaces the first, and the lesson then shows it."""
    client.force_login(learner)
    lesson = lessons[0]

    response = client.post(_url(lesson), {"helpful": "yes"})
    assert response.status_code == 302
    assert response["Location"] == lesson.url + "#y-kien"
    client.post(_url(lesson), {"helpful": "no", "comment": "Thiếu ảnh bước 3."})

    [feedback] = LessonFeedback.objects.all()
    assert (feedback.user, feedback.helpful, feedback.comment) == (
        learner,
        False,
        "Thiếu ảnh bước 3.",
    )
    html = client.get(lesson.url).content.decode()
    assert "Bạn đã trả lời Không. Bạn có thể đổi câu trả lời." in html
    assert "Cảm ơn bạn! Câu trả lời của bạn giúp bài học tốt hơn." in html


def test_the_answer_shows_on_the_kept_lesson_page(client, lessons, learner):
    """The learner's own parts of a lesson are kept for them (core.pagecache):
    an answer given after a visit still shows on the visits after it."""
    client.force_login(learner)
    lesson = lessons[0]
    assert "Bạn đã trả lời" not in client.get(lesson.url).content.decode()
    client.post(_url(lesson), {"helpful": "yes"})
    client.get(lesson.url)  # The thanks, shown once.
    html = client.get(lesson.url).content.decode()
    assert "Bạn đã trả lời Có. Bạn có thể đổi câu trả lời." in html
    client.post(_url(lesson), {"helpful": "no"})
    client.get(lesson.url)
    html = client.get(lesson.url).content.decode()
    assert "Bạn đã trả lời Không. Bạn có thể đổi câu trả lời." in html


def test_every_lesson_asks_the_question(client, lessons):
    """Anonymous visitors see the question under a public lesson, with a form
    that works without script."""
    html = client.get(lessons[1].url).content.decode()

    assert "Bài này có giúp bạn không?" in html
    assert f'action="{_url(lessons[1])}"' in html
    assert 'name="helpful" value="yes"' in html
    assert "<script>" not in html


def test_an_anonymous_visitor_answers_once_per_browser(client, lessons):
    """A visitor's browser keeps a key, sent to the feedback addresses only;
    its second answer replaces the first; another browser adds its own."""
    lesson = lessons[0]

    response = client.post(_url(lesson), {"helpful": "yes"})
    cookie = response.cookies[FEEDBACK_COOKIE]
    assert cookie["path"] == "/y-kien/"
    assert cookie["httponly"]
    client.post(_url(lesson), {"helpful": "no"})
    client.cookies.clear()
    client.post(_url(lesson), {"helpful": "yes"})

    answers = LessonFeedback.objects.filter(lesson=lesson, user=None)
    assert sorted(answers.values_list("helpful", flat=True)) == [False, True]
    assert all(
        len(visitor) == 32 for visitor in answers.values_list("visitor", flat=True)
    )


def test_a_forged_visitor_key_is_not_trusted(client, lessons):
    """A visitor cannot pick another's key: an unsigned one gets a new key."""
    client.post(_url(lessons[0]), {"helpful": "yes"})
    client.cookies[FEEDBACK_COOKIE] = LessonFeedback.objects.get().visitor

    client.post(_url(lessons[0]), {"helpful": "no"})

    assert LessonFeedback.objects.count() == 2


def test_the_lesson_stays_cached_for_other_visitors(
    client, lessons, django_assert_num_queries
):
    """Answering keeps the lesson page from the shared cache for everyone else."""
    url = lessons[0].url
    client.get(url)
    other = client.__class__()
    other.post(_url(lessons[0]), {"helpful": "yes"})

    with django_assert_num_queries(0):
        assert client.get(url).status_code == 200


def test_a_comment_too_long_is_refused_and_kept(client, lessons, learner):
    """A comment over 500 characters is refused with a Vietnamese message on
    the field; the text typed is given back; nothing is recorded."""
    client.force_login(learner)
    text = "Quá dài. " * 60

    response = client.post(_url(lessons[0]), {"helpful": "no", "comment": text})

    html = response.content.decode()
    assert response.status_code == 400
    assert "Góp ý chỉ được tối đa 500 ký tự (hiện có 539)." in html
    assert text.strip() in html
    assert 'value="no" required checked' in html
    assert not LessonFeedback.objects.exists()


def test_an_answer_is_needed(client, lessons):
    """Sending without Yes or No says what to choose."""
    response = client.post(_url(lessons[0]), {"comment": "Hay"})

    assert response.status_code == 400
    assert "Hãy chọn Có hoặc Không." in response.content.decode()
    assert not LessonFeedback.objects.exists()


def test_the_script_gets_the_widget_alone(client, lessons, learner):
    """Sent by the page's script, the answer comes back as the widget, thanked."""
    client.force_login(learner)

    response = client.post(
        _url(lessons[0]), {"helpful": "yes"}, headers={"X-Requested-With": "fetch"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith("<section")
    assert "Cảm ơn bạn!" in html
    assert "Đổi câu trả lời" in html


def test_answers_are_rate_limited(client, lessons, settings):
    """Past the limit, an address is told to wait, and nothing more is kept."""
    settings.THROTTLE_RATES = {"feedback:address": (2, 3600)}
    for lesson in lessons[:2]:
        assert client.post(_url(lesson), {"helpful": "yes"}).status_code == 302

    response = client.post(_url(lessons[2]), {"helpful": "no"})

    assert response.status_code == 429
    assert "Bạn đã thử quá nhiều lần." in response.content.decode()
    assert LessonFeedback.objects.count() == 2


def test_only_lessons_the_visitor_may_open(client, lessons, course):
    """No answer on a draft, a lesson behind a restriction, or a course page."""
    draft = LessonPageFactory(parent=course, live=False)
    private = LessonPageFactory(parent=course)
    restriction = PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.create(name="Nội bộ"))

    for page in (draft, private, course):
        assert client.post(_url(page), {"helpful": "yes"}).status_code == 404
    assert client.get(_url(lessons[0])).status_code == 405
    assert not LessonFeedback.objects.exists()


def test_comments_are_never_shown_to_learners(client, lessons, learner):
    """Another learner's comment appears nowhere on the lesson."""
    lesson_feedback_record(
        lesson=lessons[0], user=UserFactory(), helpful=False, comment="Khó hiểu quá"
    )
    client.force_login(learner)

    assert "Khó hiểu quá" not in client.get(lessons[0].url).content.decode()
    client.logout()
    assert "Khó hiểu quá" not in client.get(lessons[0].url).content.decode()


def test_deleting_an_account_erases_its_comments(lessons, learner):
    """The comments go with the account; the yes or no still counts."""
    lesson_feedback_record(
        lesson=lessons[0], user=learner, helpful=False, comment="Số điện thoại tôi..."
    )

    _erase_lesson_feedback(learner)

    [feedback] = LessonFeedback.objects.all()
    assert (feedback.helpful, feedback.comment) == (False, "")


def test_an_erased_comment_leaves_the_kept_lesson_page(client, lessons, learner):
    """A learner's answers are kept for their lesson pages (with their own
    parts of the page): erasing their comments, which changes no answer's
    time, takes the comment off the page at once."""
    lesson_feedback_record(
        lesson=lessons[0], user=learner, helpful=False, comment="Số nhà tôi 12"
    )
    client.force_login(learner)
    assert "Số nhà tôi 12" in client.get(lessons[0].url).content.decode()

    _erase_lesson_feedback(learner)

    html = client.get(lessons[0].url).content.decode()
    assert "Số nhà tôi 12" not in html
    assert "Bạn đã trả lời Không. Bạn có thể đổi câu trả lời." in html


def test_an_answer_given_elsewhere_shows_at_once(client, lessons, learner):
    """An answer recorded outside the page (another browser of the learner)
    shows on their next visit although their answers were kept."""
    client.force_login(learner)
    assert "Bạn đã trả lời" not in client.get(lessons[0].url).content.decode()

    lesson_feedback_record(lesson=lessons[0], user=learner, helpful=True)

    html = client.get(lessons[0].url).content.decode()
    assert "Bạn đã trả lời Có. Bạn có thể đổi câu trả lời." in html


@pytest.fixture
def editor(db):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


@pytest.fixture
def answered(catalogue, lessons):
    """Bài 1: 1 no, 2 yes; Bài 2: 3 no; another course's lesson: 1 yes."""
    other = course_with_lessons(parent=catalogue, title="Ví điện tử", lessons=1)
    plan = [
        (lessons[0], False, "Thiếu bước đăng nhập"),
        (lessons[0], True, ""),
        (lessons[0], True, "Rất rõ"),
        (lessons[1], False, "Ảnh mờ"),
        (lessons[1], False, ""),
        (lessons[1], False, "Chữ nhỏ"),
        (other.lessons().get(), True, ""),
    ]
    for lesson, helpful, comment in plan:
        lesson_feedback_record(
            lesson=lesson, user=UserFactory(), helpful=helpful, comment=comment
        )
    return other


def test_editors_see_the_lessons_with_most_no_first(client, editor, answered):
    """The report lists answered lessons only, the most "no" first, with the
    counts, the share of yes and the latest comments."""
    client.force_login(editor)

    response = client.get(REPORT)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Bài 2") < html.index("Bài 1")
    assert "Bài 3" not in html
    assert "Ảnh mờ" in html and "Rất rõ" in html
    assert "67 %" in html


def test_the_report_filters_by_course(client, editor, answered, course):
    """Filtered by a course, the report lists that course's lessons only."""
    client.force_login(editor)

    html = client.get(REPORT, {"course": answered.pk}).content.decode()

    assert "Ảnh mờ" not in html
    assert "Ví điện tử" in html


def test_the_report_exports_csv(client, editor, answered):
    """The report downloads as CSV, in the same order."""
    client.force_login(editor)

    response = client.get(REPORT, {"export": "csv"})

    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = text.strip().splitlines()
    assert rows[0].startswith("Bài học,Khóa học,Không,Có")
    assert rows[1].startswith("Bài 2,Nộp hồ sơ trực tuyến,3,0,0 %")
    assert len(rows) == 4


@pytest.mark.parametrize("who", ["learner", "staff_without_group"])
def test_only_editors_open_the_report(client, who, answered):
    """Learners, and staff without the editors' permission, are turned away."""
    user = UserFactory(is_staff=(who != "learner"))
    client.force_login(user)

    response = client.get(REPORT)

    assert response.status_code in (302, 403)
    assert "Ảnh mờ" not in response.content.decode()
