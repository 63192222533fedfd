"""The demo: ``load_demo`` builds believable Vietnamese courses, people and progress,
once, and ``demo_logins`` tells who to log in as."""

import io
import json
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import RequestFactory, override_settings
from django.urls import reverse
from PIL import Image
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, Revision

from classes import scopes
from classes.models import (
    ATTENDED,
    Attendance,
    AttendanceStatus,
    ClassMembership,
    ClassSession,
    Organisation,
    TrainingClass,
)
from classes.selectors import attendance_counts
from core.groups import EDITORS
from core.models import HomePage
from core.testing import rolled_back
from core.text import fold, search_key
from courses.models import (
    CompletionRule,
    CourseIndexPage,
    CoursePage,
    Enrolment,
    LessonPage,
    LessonProgress,
)
from demo import people, spec
from demo.classes import SCHOOL_CLASS, TEAM_CLASS
from demo.content import COURSES
from demo.covers import render_cover
from demo.drawing import FONT_DIR
from demo.loader import demo_commune, demo_username, load_demo
from demo.screens import render_screen
from outreach.eligibility import first_certificate_day, may_record
from outreach.models import HelpRecord, ProcedureField
from quizzes.models import (
    AcceptedAnswer,
    AnswerLog,
    AttemptState,
    Choice,
    Question,
    QuestionCategory,
    QuestionSelection,
    QuestionType,
    QuizAttempt,
    QuizPage,
    QuizQuestion,
    ShowAnswers,
)
from quizzes.scoring import text_matches
from quizzes.selectors import final_quiz, final_quiz_passed, quiz_snapshot_build
from quizzes.services import (
    quiz_answer_record,
    quiz_attempt_start,
    quiz_attempt_submit,
)
from regions.models import Region
from users.models import ConsentRecord, LearnerKind, RegionRole, User

BLOCK_TYPES = {
    "heading",
    "paragraph",
    "image",
    "steps",
    "callout",
    "document",
    "link_button",
}


def _province(name: str, code: str) -> Region:
    return Region.objects.create(
        code=code,
        level=Region.Level.PROVINCE,
        name=name,
        division_type=name.split()[0].lower(),
        path=code,
        search_name=search_key(name),
    )


def _commune(name: str, code: str, province: Region) -> Region:
    return Region.objects.create(
        code=code,
        level=Region.Level.COMMUNE,
        name=name,
        division_type=name.split()[0].lower(),
        parent=province,
        path=f"{province.path}.{code}",
        search_name=search_key(name, province.name),
    )


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Start and end each test with an empty cache: the site and its root paths are
    cached, and a rolled-back test must not leave its copies."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """Load the demo once for the class, on a database with only two units; the
    class's tests each run in a savepoint and the load is rolled back after them.
    The load commits as it would on a site (``rolled_back``), so the reports'
    counts are refreshed after its writes."""
    media_root = tmp_path_factory.mktemp("demo-media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media_root),
        rolled_back(),
    ):
        cache.clear()
        commune = _commune("Xã Đông Hưng", "12688", _province("Tỉnh Hưng Yên", "33"))
        summary = load_demo()
        yield SimpleNamespace(summary=summary, commune=commune, media_root=media_root)
    cache.clear()


def _user(person: people.DemoPerson) -> User:
    return User.objects.get(username=demo_username(person))


def _quiz(course_slug: str) -> QuizPage:
    return final_quiz(course=CoursePage.objects.get(slug=course_slug))


def _answer_all_right(attempt: QuizAttempt, user: User) -> None:
    for item in attempt.snapshot["questions"]:
        if item["kind"] == QuestionType.SHORT_TEXT:
            # Typed on a phone without tone marks, in capitals.
            answer = {"text": fold(item["accepted"][0]).upper()}
        elif item["kind"] == QuestionType.ESSAY:
            continue
        elif item["kind"] == QuestionType.NUMERICAL:
            answer = {"text": item["numbers"][0][0]}
        else:
            answer = {"choice_ids": item["correct"]}
        quiz_answer_record(attempt=attempt, user=user, question_id=item["id"], **answer)


@pytest.mark.django_db
class TestLoadedDemo:
    @pytest.fixture(autouse=True)
    def _demo_media(self, demo, settings):
        """Read pictures and documents from where the class's load wrote them."""
        settings.MEDIA_ROOT = demo.media_root

    def test_catalogue_holds_the_courses_and_lessons(self):
        """The catalogue "Khóa học" sits under the home page with at least three
        live courses and twelve live lessons, each with its details filled in."""
        home = HomePage.objects.get()
        catalogue = CourseIndexPage.objects.child_of(home).get(slug="khoa-hoc")
        courses = CoursePage.objects.live().child_of(catalogue)
        lessons = LessonPage.objects.live().descendant_of(catalogue)

        assert catalogue.title == "Khóa học"
        assert home.intro and home.headline
        assert courses.count() >= 3
        assert lessons.count() >= 12
        for course in courses:
            assert course.summary and course.cover_image_id and course.estimated_minutes
            assert len(course.outcomes) >= 3
            assert course.audiences.exists()
            assert course.lessons().count() >= 3
        for lesson in lessons:
            assert lesson.intro and lesson.estimated_minutes and len(lesson.body)

    def test_pages_are_published_through_revisions(self):
        """Every demo page is live with its content in a published revision."""
        pages = Page.objects.type(CourseIndexPage, CoursePage, LessonPage, QuizPage)
        assert pages.type(QuizPage).count() == len(COURSES)
        for page in pages:
            assert page.live is True
            assert page.live_revision_id is not None

    def test_every_lesson_renders(self, client):
        """The catalogue, every course and every lesson answer 200, pictures
        included."""
        urls = [CourseIndexPage.objects.get().url]
        urls += [course.url for course in CoursePage.objects.live()]
        lessons = list(LessonPage.objects.live())
        urls += [lesson.url for lesson in lessons]

        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
        html = client.get(lessons[1].url).content.decode()
        assert "<img" in html

    def test_lessons_use_every_kind_of_block(self):
        """Across the lessons there are numbered steps with screenshots, tips,
        warnings, captioned pictures with alt text, a download and a button to the
        real portal."""
        blocks = [
            block for lesson in LessonPage.objects.live() for block in lesson.body
        ]
        assert {block.block_type for block in blocks} >= BLOCK_TYPES
        callouts = {b.value["kind"] for b in blocks if b.block_type == "callout"}
        assert callouts >= {"tip", "warning", "note"}
        screenshots = [
            step["screenshot"]
            for b in blocks
            if b.block_type == "steps"
            for step in b.value["steps"]
            if step["screenshot"]
        ]
        assert len(screenshots) >= 20
        for block in blocks:
            if block.block_type == "image":
                assert block.value["alt"] and block.value["caption"]
        urls = {b.value["url"] for b in blocks if b.block_type == "link_button"}
        assert "https://dichvucong.gov.vn" in urls

    def test_downloads_are_real_pdfs(self):
        """The handouts are PDF documents in the demo collection."""
        documents = get_document_model().objects.all()
        assert documents.count() >= 1
        for document in documents:
            with document.open_file() as handle:
                assert handle.read(5) == b"%PDF-"

    def test_pictures_are_small(self):
        """The generated pictures are phone screens 720 wide or covers, and small."""
        images = get_image_model().objects.filter(collection__name="Khóa học mẫu")
        assert images.count() >= 20
        for image in images:
            assert image.width in (720, 1200)
            assert image.height <= 1280
            assert image.file_size < 100_000, image.title

    def test_no_placeholder_text(self):
        """No lorem ipsum anywhere in the courses and lessons."""
        for course in CoursePage.objects.all():
            assert "lorem" not in (course.title + course.summary).lower()
        for lesson in LessonPage.objects.all():
            text = lesson.title + lesson.intro + json.dumps(list(lesson.body.raw_data))
            assert "lorem" not in text.lower()

    def test_running_again_creates_nothing(self):
        """A second run finds everything and adds or changes nothing."""
        models = [
            Page,
            Revision,
            Collection,
            get_image_model(),
            get_document_model(),
            User,
            ConsentRecord,
            Enrolment,
            LessonProgress,
            QuestionCategory,
            Question,
            Choice,
            AcceptedAnswer,
            QuizQuestion,
            QuizAttempt,
            AnswerLog,
            Organisation,
            TrainingClass,
            ClassMembership,
            ClassSession,
            Attendance,
            RegionRole,
            User.groups.through,
            ProcedureField,
            HelpRecord,
        ]
        before = {model: model.objects.count() for model in models}
        progress = list(LessonProgress.objects.values_list("completed_at", flat=True))
        attempts = list(QuizAttempt.objects.values_list("pk", "state", "score"))

        summary = load_demo()
        out = io.StringIO()
        with override_settings(DEBUG=True):
            call_command("load_demo", stdout=out)

        assert summary.created == {}
        assert {model: model.objects.count() for model in models} == before
        assert (
            list(LessonProgress.objects.values_list("completed_at", flat=True))
            == progress
        )
        assert list(QuizAttempt.objects.values_list("pk", "state", "score")) == (
            attempts
        )
        assert "Nothing to do" in out.getvalue()

    def test_every_course_ends_with_a_live_quiz(self):
        """Each demo course has one live quiz, "Kiểm tra cuối khóa", after its
        lessons, with at least six questions an attempt can be built from."""
        for course in CoursePage.objects.live():
            children = [page.specific_class for page in course.get_children()]
            quiz = final_quiz(course=course)

            assert children[-1] is QuizPage, course.title
            assert set(children[:-1]) == {LessonPage}, course.title
            assert quiz.title == "Kiểm tra cuối khóa"
            assert quiz.intro and quiz.pass_message and quiz.fail_message
            assert quiz.max_attempts == 3
            assert quiz.pass_mark in (70, 80)
            attempt_size = len(quiz_snapshot_build(quiz=quiz, seed=1)["questions"])
            assert attempt_size >= 6, course.title

    def test_quizzes_differ_in_their_rules(self):
        """One quiz draws its questions at random from its category and the others
        list theirs; one has a time limit; one shows answers after each question
        and the rest at the end; some shuffle the questions; at least two courses
        need their quiz passed to be complete."""
        quizzes = list(QuizPage.objects.live())
        drawn = [q for q in quizzes if q.selection == QuestionSelection.DRAWN]
        timed = [q for q in quizzes if q.time_limit_minutes]
        after_each = [q for q in quizzes if q.show_answers == ShowAnswers.AFTER_EACH]
        required = CoursePage.objects.filter(
            completion_rule=CompletionRule.LESSONS_AND_QUIZ
        )

        assert len(drawn) == 1
        (quiz,) = drawn
        category = quiz.draw_categories.get()
        assert category.parent.name == "Khóa học mẫu"
        assert category.questions.count() > quiz.draw_count >= 6
        assert not quiz.quiz_questions.exists()
        for fixed in set(quizzes) - {quiz}:
            assert fixed.quiz_questions.count() >= 6
        assert len(timed) == 1 and 10 <= timed[0].time_limit_minutes <= 15
        assert len(after_each) == 1
        assert any(q.shuffle_questions for q in quizzes)
        assert not all(q.shuffle_questions for q in quizzes)
        assert required.count() >= 2
        for course in required:
            assert final_quiz(course=course) is not None

    def test_question_bank_has_a_category_per_course(self):
        """The bank holds "Khóa học mẫu" with one sub-category per course, 6 to 12
        questions in each, every type of question present, and every question
        usable: a valid answer key and an explanation."""
        root = QuestionCategory.objects.get(parent=None, name="Khóa học mẫu")
        names = set(root.children.values_list("name", flat=True))
        assert names == {
            "VNeID",
            "Cổng Dịch vụ công quốc gia",
            "Nộp hồ sơ và thanh toán trực tuyến",
            "An toàn số cơ bản",
        }
        for category in root.children.all():
            assert 6 <= category.questions.count() <= 12, category.name
            kinds = set(category.questions.values_list("kind", flat=True))
            assert kinds >= {
                QuestionType.SINGLE,
                QuestionType.MULTIPLE,
                QuestionType.TRUE_FALSE,
                QuestionType.SHORT_TEXT,
            }, category.name
        questions = Question.objects.filter(category__parent=root).prefetch_related(
            "choices", "accepted_answers"
        )
        assert set(questions.values_list("kind", flat=True)) == set(QuestionType)
        assert questions.filter(kind=QuestionType.ESSAY).count() == 1
        for question in questions:
            assert question.answer_key_errors() == [], question.text
            assert len(question.explanation) > 40, question.text
            assert "lorem" not in question.text.lower()
            if question.kind == QuestionType.SINGLE:
                for choice in question.choices.all():
                    assert choice.feedback, (question.text, choice.text)

    def test_short_answers_ignore_accents(self):
        """Short answers are accepted typed without tone marks or in capitals."""
        questions = Question.objects.filter(kind=QuestionType.SHORT_TEXT)
        accepted = {
            answer
            for question in questions
            for answer in question.accepted_answers.values_list("text", flat=True)
        }
        assert {"VNeID", "mã OTP"} <= accepted
        for question in questions:
            assert question.ignore_accents is True
            for answer in question.accepted_answers.values_list("text", flat=True):
                typed = fold(answer).upper()
                assert text_matches(
                    typed, [answer], ignore_accents=question.ignore_accents
                )
        assert text_matches("ma otp", ["mã OTP"], ignore_accents=True)

    def test_every_quiz_page_renders(self, client):
        """Every quiz page answers 200, to visitors and to a logged-in learner, and
        shows its introduction."""
        quizzes = list(QuizPage.objects.live())
        for quiz in quizzes:
            response = client.get(quiz.url)
            assert response.status_code == 200, quiz.url
            assert quiz.intro[:40] in response.content.decode()
        client.force_login(_user(people.STUDENT))
        for quiz in quizzes:
            assert client.get(quiz.url).status_code == 200, quiz.url

    def test_learner_keeps_a_believable_completed_course(self):
        """The demo learner's completed course needs its quiz, and the learner
        passed it on the first attempt with one answer wrong; the half-done course
        has no attempt."""
        learner = _user(people.LEARNER)
        done = Enrolment.objects.get(user=learner, completed_at__isnull=False)
        attempt = QuizAttempt.objects.get(user=learner)
        questions = len(attempt.snapshot["questions"])

        assert done.course.completion_rule == CompletionRule.LESSONS_AND_QUIZ
        assert attempt.quiz == final_quiz(course=done.course)
        assert final_quiz_passed(user=learner, course=done.course) is True
        assert (attempt.number, attempt.state) == (1, AttemptState.FINISHED)
        assert attempt.passed is True
        assert attempt.answers.filter(is_correct=True).count() == questions - 1
        assert attempt.score == round(100 * Decimal(questions - 1) / questions, 2)

    def test_student_takes_the_safety_quiz(self, client):
        """The demo student starts the safety quiz, answers every question right
        and passes it; the course stays unfinished until the lessons are done."""
        student = _user(people.STUDENT)
        quiz = _quiz("an-toan-so-co-ban")
        client.force_login(student)
        response = client.post(quiz.url + quiz.reverse_subpage("start"))
        attempt = QuizAttempt.objects.get(user=student, quiz=quiz)
        assert response.status_code == 302
        assert client.get(response.url).status_code == 200

        attempt = quiz_attempt_start(user=student, quiz=quiz)  # resumes it
        _answer_all_right(attempt, student)
        attempt = quiz_attempt_submit(attempt=attempt, user=student)

        assert attempt.state == AttemptState.FINISHED
        assert (attempt.score, attempt.passed) == (Decimal(100), True)
        enrolment = Enrolment.objects.get(user=student, course=quiz.get_course())
        assert enrolment.completed_at is None

    def test_drawn_quiz_gives_each_attempt_its_own_draw(self):
        """The quiz that draws at random can be taken through the services, time
        limit included, and scores a fully right attempt 100."""
        quiz = QuizPage.objects.get(selection=QuestionSelection.DRAWN)
        learner = _user(people.LEARNER)

        attempt = quiz_attempt_start(user=learner, quiz=quiz)
        assert len(attempt.snapshot["questions"]) == quiz.draw_count
        assert attempt.deadline is not None
        _answer_all_right(attempt, learner)
        attempt = quiz_attempt_submit(attempt=attempt, user=learner)

        assert (attempt.state, attempt.passed) == (AttemptState.FINISHED, True)
        assert attempt.score == 100

    def test_essay_waits_for_a_person(self):
        """An attempt at the quiz with the essay question, the essay written,
        waits for marking."""
        quiz = QuizPage.objects.get(quiz_questions__question__kind=QuestionType.ESSAY)
        learner = _user(people.TEACHER)
        attempt = quiz_attempt_start(user=learner, quiz=quiz)
        _answer_all_right(attempt, learner)
        essay = quiz.quiz_questions.get(question__kind=QuestionType.ESSAY)
        quiz_answer_record(
            attempt=attempt,
            user=learner,
            question_id=essay.question_id,
            text="Tự gõ dichvucong.gov.vn, quét mã QR bằng VNeID, xong thì đăng xuất.",
        )

        attempt = quiz_attempt_submit(attempt=attempt, user=learner)
        assert attempt.state == AttemptState.AWAITING_MARKING

    def test_a_course_loaded_before_its_quiz_gets_it_after_its_lessons(self):
        """On a demo loaded before the quizzes, a run adds each quiz after the
        lessons, makes the rule ask for it, and gives the learner the passed
        attempt, so the completed course stays completed; a lesson added later
        still goes before the quiz."""
        vneid = CoursePage.objects.get(slug="tai-khoan-dinh-danh-dien-tu-vneid")
        learner = _user(people.LEARNER)
        completed_at = Enrolment.objects.get(user=learner, course=vneid).completed_at
        portal = CoursePage.objects.get(slug="lam-quen-cong-dich-vu-cong-quoc-gia")
        QuizAttempt.objects.all().delete()
        for quiz in QuizPage.objects.exclude(pk=final_quiz(course=portal).pk):
            quiz.delete()
        CoursePage.objects.update(completion_rule=CompletionRule.ALL_LESSONS)
        portal.lessons().last().delete()

        summary = load_demo()

        assert summary.created == {
            "lessons": 1,
            "quizzes": 3,
            "completion rules": 3,
            "quiz attempts": 1,
        }
        for course in CoursePage.objects.all():
            children = [page.specific_class for page in course.get_children()]
            assert children[-1] is QuizPage and children.count(QuizPage) == 1
        assert [lesson.slug for lesson in portal.lessons()] == [
            lesson.slug for lesson in COURSES[1].lessons
        ]
        vneid.refresh_from_db()
        assert vneid.completion_rule == CompletionRule.LESSONS_AND_QUIZ
        enrolment = Enrolment.objects.get(user=learner, course=vneid)
        assert enrolment.completed_at == completed_at
        assert final_quiz_passed(user=learner, course=vneid) is True

    def test_one_person_per_role(self, demo):
        """Each role has a person who logs in with the phone or email shown, and
        gave consent."""
        request = RequestFactory().post("/tai-khoan/dang-nhap/")
        for person in people.PEOPLE:
            for login in person.logins:
                user = authenticate(request, username=login, password=person.password)
                assert user is not None, login
                assert user.full_name == person.full_name
            assert user.consents.count() == 1

        learner = _user(people.LEARNER)
        assert learner.phone == "+84900000001"
        assert learner.kind == LearnerKind.VOLUNTEER
        assert learner.home_region == demo.commune
        assert _user(people.STUDENT).kind == LearnerKind.STUDENT
        assert _user(people.TEACHER).kind == LearnerKind.TEACHER
        assert _user(people.OFFICIAL).kind == LearnerKind.OFFICIAL

        editor = _user(people.EDITOR)
        assert editor.is_staff is True
        assert editor.is_superuser is False
        assert editor.groups.filter(name=EDITORS).exists()
        assert editor.has_perm("wagtailadmin.access_admin") is True
        assert editor.has_perm("quizzes.change_question") is True
        admin = User.objects.get(username="admin")
        assert admin.is_superuser is True

    def test_learner_has_progress(self):
        """The demo learner is in two courses: one complete, one half done."""
        learner = _user(people.LEARNER)
        enrolments = Enrolment.objects.filter(user=learner)
        assert enrolments.count() == 2
        assert enrolments.filter(completed_at__isnull=False).count() == 1
        unfinished = enrolments.get(completed_at__isnull=True)
        done = unfinished.lesson_progress.filter(completed_at__isnull=False).count()
        assert 0 < done < unfinished.course.lessons().count()

    def test_organisations_of_each_kind(self, demo):
        """A school, a commune team, a hamlet team and the one-stop shop, in the
        demo commune (the hamlet team in a neighbour when it is loaded)."""
        names = dict(Organisation.objects.values_list("kind", "name"))
        assert names == {
            Organisation.Kind.SCHOOL: "Trường THCS Đông Hưng",
            Organisation.Kind.COMMUNE_TEAM: "Tổ công nghệ số cộng đồng xã Đông Hưng",
            Organisation.Kind.HAMLET_TEAM: (
                "Tổ công nghệ số cộng đồng thôn Đồng Tâm, xã Đông Hưng"
            ),
            Organisation.Kind.AGENCY: "Bộ phận Một cửa UBND xã Đông Hưng",
        }
        assert set(Organisation.objects.values_list("region", flat=True)) == {
            demo.commune.pk
        }

    def test_teachers_class_has_pupils_sessions_and_attendance(self):
        """Class 9A: the teacher's, at the school, on two courses, with 25 pupils
        in light accounts and the demo student; two past sessions marked, mostly
        present, and one to come; some lessons done."""
        teacher = _user(people.TEACHER)
        assert teacher.groups.filter(name="Giáo viên").exists()
        assert teacher.has_perm("classes.add_trainingclass")
        nine_a = TrainingClass.objects.get(name=SCHOOL_CLASS.name)
        assert nine_a.owner == teacher
        assert nine_a.organisation.kind == Organisation.Kind.SCHOOL
        assert nine_a.courses.count() == 2
        members = User.objects.filter(class_memberships__training_class=nine_a)
        assert members.count() >= 20
        assert members.filter(pk=_user(people.STUDENT).pk).exists()
        pupils = members.exclude(pk=_user(people.STUDENT).pk)
        assert all(pupil.is_light for pupil in pupils)
        assert all(pupil.kind == LearnerKind.STUDENT for pupil in pupils)
        assert 0 < pupils.exclude(phone=None).count() < pupils.count()
        assert Enrolment.objects.filter(user__in=members).count() >= 2 * 25

        sessions = list(nine_a.sessions.all())
        assert len(sessions) == 3
        past, upcoming = sessions[:2], sessions[2]
        assert not upcoming.attendance.exists()
        for session in past:
            statuses = list(session.attendance.values_list("status", flat=True))
            assert len(statuses) == members.count()
            came = [status for status in statuses if status in ATTENDED]
            assert len(came) >= len(statuses) * 0.8
            assert statuses.count(AttendanceStatus.PRESENT) > len(statuses) * 0.6
        marked = set(
            Attendance.objects.filter(session__in=past).values_list("status", flat=True)
        )
        assert marked == set(AttendanceStatus.values)
        done = LessonProgress.objects.filter(
            enrolment__user__in=pupils, completed_at__isnull=False
        )
        assert done.values("enrolment__user").distinct().count() >= 15

    def test_participations_and_people_differ(self):
        """Over the class's sessions, participations (present or late) outnumber
        the people, who are fewer than the members: some never came."""
        nine_a = TrainingClass.objects.get(name=SCHOOL_CLASS.name)
        counts = attendance_counts(sessions=nine_a.sessions.all())
        members = nine_a.memberships.count()
        assert members < counts.participations <= 2 * members
        assert counts.people < members
        assert (
            counts.participations
            == Attendance.objects.filter(
                session__training_class=nine_a, status__in=ATTENDED
            ).count()
        )

    def test_community_team_class(self):
        """The commune team's training: in person, about twelve volunteers with
        the demo learner and one who came to the door, one session marked."""
        team = TrainingClass.objects.get(name=TEAM_CLASS.name)
        assert team.organisation.kind == Organisation.Kind.COMMUNE_TEAM
        assert team.mode == "in_person"
        members = team.memberships
        assert 10 <= members.count() <= 14
        assert members.filter(user=_user(people.LEARNER)).exists()
        assert members.filter(source=ClassMembership.Source.WALK_IN).count() == 1
        session = team.sessions.get()
        assert session.attendance.count() == members.count()
        # The learner's enrolments stay the two courses of their progress.
        assert Enrolment.objects.filter(user=_user(people.LEARNER)).count() == 2

    def test_pupils_helped_their_parents_and_the_team_its_neighbours(self):
        """Pupils of 9A who hold a certificate recorded dossiers filed for their
        parents, most confirmed by the parent's link and one by the teacher;
        the team's members helped neighbours and citizens. Only people who may
        record did, and never before their first certificate."""
        pupils = HelpRecord.objects.filter(helper__kind=LearnerKind.STUDENT)
        team = HelpRecord.objects.exclude(helper__kind=LearnerKind.STUDENT)
        assert pupils.exists() and team.exists()
        assert set(pupils.values_list("relation", flat=True)) == {"parent"}
        dossiers = pupils.filter(action="dossier")
        assert dossiers.exists()
        assert not dossiers.filter(procedure_field__isnull=True).exists()
        teacher = _user(people.TEACHER)
        assert pupils.filter(confirmed_by=teacher).count() == 1
        assert pupils.filter(confirmed_at__isnull=False, confirmed_by=None).exists()
        assert pupils.filter(confirmed_at__isnull=True).exists()
        for record in HelpRecord.objects.select_related("helper"):
            assert may_record(record.helper)
            first = first_certificate_day(record.helper)
            assert first is None or record.helped_on >= first
        assert ProcedureField.objects.filter(code="ho-tich").exists()

    def test_official_sees_the_province_and_teacher_only_their_class(self, demo):
        """The official of Tỉnh Hưng Yên sees both classes, read-only; the teacher
        sees and manages class 9A alone."""
        official, teacher = _user(people.OFFICIAL), _user(people.TEACHER)
        assert RegionRole.objects.get(user=official).region == demo.commune.parent
        both = set(TrainingClass.objects.values_list("pk", flat=True))
        assert len(both) == 2
        assert (
            set(scopes.classes_visible_to(official).values_list("pk", flat=True))
            == both
        )
        assert not scopes.classes_managed_by(official).exists()
        nine_a = TrainingClass.objects.get(name=SCHOOL_CLASS.name)
        assert list(scopes.classes_visible_to(teacher)) == [nine_a]
        assert list(scopes.classes_managed_by(teacher)) == [nine_a]
        pupil = nine_a.memberships.exclude(user=_user(people.STUDENT)).first().user
        assert scopes.can_view_learner(official, pupil)
        assert scopes.can_view_learner(teacher, pupil)
        assert not scopes.can_view_learner(teacher, _user(people.LEARNER))

    def test_province_dashboard_shows_coverage_against_targets(self, demo, client):
        """The demo province has its own target and its communes theirs, so the
        official's dashboard shows trained people as a share of a real target."""
        from reports.models import Target
        from reports.selectors.coverage import coverage_dashboard
        from reports.selectors.filters import ReportFilters, default_period

        province = demo.commune.parent
        assert Target.objects.filter(region=province).count() == 1
        assert Target.objects.filter(region=demo.commune).count() == 2
        start, end = default_period()
        dashboard = coverage_dashboard(
            filters=ReportFilters(region=province, start=start, end=end)
        )
        assert dashboard.totals.target == 1500
        assert dashboard.totals.trained >= 1
        commune_row = next(
            row for row in dashboard.children if row.region == demo.commune
        )
        assert commune_row.figures.target == 10
        assert 0 < commune_row.figures.coverage <= 1
        client.force_login(_user(people.OFFICIAL))
        response = client.get(reverse("reports:unit", args=[province.pk]))
        assert response.status_code == 200
        assert demo.commune.name in response.content.decode()

    def test_province_outcomes_show_the_online_share(self, demo, client):
        """The demo commune has thirteen weeks of one-stop-shop figures, so
        the official's outcomes view shows an online share and its rise."""
        from reports.models import OutcomeFigure
        from reports.selectors.filters import ReportFilters, default_period
        from reports.selectors.outcomes import outcomes_dashboard

        province = demo.commune.parent
        assert OutcomeFigure.objects.filter(region=demo.commune).count() == 13
        start, end = default_period()
        board = outcomes_dashboard(
            filters=ReportFilters(region=province, start=start, end=end)
        )
        row = next(row for row in board.children if row.region == demo.commune)
        assert 30 <= row.figures.online_percent <= 62
        assert row.figures.share_change > 0
        client.force_login(_user(people.OFFICIAL))
        response = client.get(reverse("reports:outcomes_unit", args=[province.pk]))
        assert response.status_code == 200
        assert demo.commune.name in response.content.decode()

    def test_demo_logins_prints_the_accounts(self):
        """demo_logins lists every account with its login and password."""
        out = io.StringIO()
        call_command("demo_logins", stdout=out)
        text = out.getvalue()
        for person in people.PEOPLE:
            assert person.login in text
            assert person.password in text
        assert "Not loaded yet" not in text
        assert "/lop-hoc/" in text
        nine_a = TrainingClass.objects.get(name=SCHOOL_CLASS.name)
        assert nine_a.join_code in text


@pytest.mark.django_db
def test_without_units_load_demo_asks_for_load_regions():
    """On a database without administrative units, load_demo stops with a message
    saying to run load_regions, and creates nothing."""
    pages = Page.objects.count()
    with (
        override_settings(DEBUG=True),
        pytest.raises(CommandError, match="load_regions"),
    ):
        call_command("load_demo", stdout=io.StringIO())
    assert Page.objects.count() == pages
    assert not User.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("command", ["load_demo", "setup_demo_site"])
def test_the_demo_refuses_to_run_with_debug_off(command):
    """On production settings (DEBUG off) the demo commands stop before creating
    anything: no superuser "admin" with the README's password."""
    with override_settings(DEBUG=False), pytest.raises(CommandError, match="DEBUG"):
        call_command(command, stdout=io.StringIO())
    assert not User.objects.exists()
    assert not User.objects.filter(username="admin").exists()


@pytest.mark.django_db
def test_demo_commune_prefers_dong_hung():
    """The demo people live in Xã Đông Hưng, Tỉnh Hưng Yên, when it is loaded, not
    in a commune whose name merely contains it."""
    _commune("Phường Ba Đình", "00004", _province("Thành phố Hà Nội", "01"))
    hung_yen = _province("Tỉnh Hưng Yên", "33")
    _commune("Xã Nam Đông Hưng", "12685", hung_yen)
    dong_hung = _commune("Xã Đông Hưng", "12688", hung_yen)

    assert demo_commune() == dong_hung


@pytest.mark.django_db
def test_demo_commune_falls_back_to_a_loaded_commune():
    """Without the preferred communes, the demo people live in a commune of Hưng
    Yên, else in the first commune there is."""
    ba_dinh = _commune("Phường Ba Đình", "00004", _province("Thành phố Hà Nội", "01"))
    assert demo_commune() == ba_dinh

    tien_lu = _commune("Xã Tiên Lữ", "12100", _province("Tỉnh Hưng Yên", "33"))
    assert demo_commune() == tien_lu


def test_screens_are_phone_sized_pngs():
    """A screen mock-up is a small PNG 720 pixels wide, at most 1280 high."""
    screen = spec.Screen(
        "Thử – đăng nhập",
        spec.APP_PORTAL,
        (
            spec.Title("Đăng nhập bằng tài khoản định danh điện tử"),
            spec.Field("Số định danh cá nhân", "033190001234"),
            spec.Button("Đăng nhập", highlight=True),
            spec.Notice("Chỉ nhập mã OTP trên trang dichvucong.gov.vn.", "warn"),
        ),
        address="dichvucong.gov.vn",
    )
    data = render_screen(screen)
    image = Image.open(io.BytesIO(data))

    assert image.format == "PNG"
    assert image.width == 720
    assert 800 <= image.height <= 1280
    assert len(data) < 80_000
    assert render_screen(screen) == data  # the same bytes every time


def test_covers_are_small_jpegs():
    """A course cover is a JPEG of 1200x675 under 100 KB."""
    cover = spec.Cover(
        "Thử", "An toàn số cơ bản", "Giữ kín mã OTP", "#047857", "shield"
    )
    data = render_cover(cover)
    image = Image.open(io.BytesIO(data))

    assert (image.format, image.size) == ("JPEG", (1200, 675))
    assert len(data) < 100_000


def test_vietnamese_font_is_vendored_with_its_licence():
    """Noto Sans regular and bold sit in static/fonts with the OFL text."""
    for name in ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"):
        assert (FONT_DIR / name).stat().st_size > 100_000
    assert "SIL OPEN FONT LICENSE" in (FONT_DIR / "OFL.txt").read_text()
