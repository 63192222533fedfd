"""Put the demo content in the database, once.

Everything is looked up before it is made (pages by slug under their parent,
pictures and documents by title in the demo collection, question categories by
name under their parent, questions by text in their category, people by username,
quiz attempts by learner and quiz; organisations, classes and their people as
``classes`` tells), so a second run finds it all and changes
nothing. Nothing an editor changed since is overwritten.
"""

import json
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils.text import slugify
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from core.groups import EDITORS
from core.models import HomePage
from core.site_tree import ensure_site_tree
from core.text import fold
from courses.models import (
    Audience,
    CompletionRule,
    CourseIndexPage,
    CoursePage,
    Enrolment,
    LessonPage,
    LessonProgress,
)
from courses.services import enrolment_create, lesson_progress_record
from quizzes.models import (
    CHOICE_TYPES,
    AcceptedAnswer,
    Choice,
    GapWord,
    HotspotRegion,
    MatchPair,
    NumericAnswer,
    OrderingStep,
    Question,
    QuestionCategory,
    QuestionSelection,
    QuestionType,
    QuizAttempt,
    QuizPage,
    QuizQuestion,
)
from quizzes.services import (
    quiz_answer_record,
    quiz_attempt_start,
    quiz_attempt_submit,
)
from regions.models import Region
from users.models import User
from users.phone import normalise_phone
from users.selectors import consent_is_current
from users.services import consent_record

from . import people, spec
from .certificates import issue_earned, load_certificates
from .classes import load_classes
from .content import COURSES
from .outcomes import load_outcomes
from .outreach import load_outreach
from .targets import load_targets

COLLECTION_NAME = "Khóa học mẫu"
# The question bank's category holding one sub-category per demo course.
BANK_CATEGORY = "Khóa học mẫu"
CATALOGUE_SLUG = "khoa-hoc"
HOME_HEADLINE = "Học dùng dịch vụ công trực tuyến, ngay trên điện thoại"
HOME_INTRO = (
    "<p>Những bài học ngắn, từng bước có ảnh minh họa: kích hoạt tài khoản "
    "<b>VNeID</b>, đăng nhập <b>Cổng Dịch vụ công quốc gia</b>, nộp hồ sơ, thanh toán "
    "phí, lệ phí và giữ an toàn trên mạng. Dành cho người dân, học sinh và thành viên "
    "Tổ công nghệ số cộng đồng.</p>"
)
HOME_CALL_TO_ACTION = "Xem các khóa học"

# Communes the demo people live in, most wanted first; any commune of the
# province, then any commune at all, when the full list of units is not loaded.
PREFERRED_PROVINCE = "Hưng Yên"
PREFERRED_COMMUNES = ["Xã Đông Hưng", "Phường Phố Hiến"]

# (person, course slug, how many of its lessons are done; None for all of them)
PROGRESS = [
    (people.LEARNER, "tai-khoan-dinh-danh-dien-tu-vneid", None),
    (people.LEARNER, "nop-ho-so-va-thanh-toan-truc-tuyen", 2),
    (people.STUDENT, "an-toan-so-co-ban", 1),
]

# What the demo editor may do in the question bank, besides editing quiz pages.
EDITOR_BANK_PERMISSIONS = [
    f"{action}_{model}"
    for action in ("add", "change", "view")
    for model in ("question", "questioncategory")
]

# (person, course slug): the person passed the course's final quiz, one answer
# wrong, so the course they completed stays completed under a rule that asks for
# the quiz.
QUIZ_PASSES = [
    (people.LEARNER, "tai-khoan-dinh-danh-dien-tu-vneid"),
]


class DemoError(Exception):
    """The database lacks something the demo needs (the administrative units)."""


@dataclass
class Summary:
    created: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, n: int = 1) -> None:
        self.created[what] = self.created.get(what, 0) + n

    def __str__(self):
        if not self.created:
            return "Nothing to do: the demo content is already there."
        return "Created " + ", ".join(f"{n} {what}" for what, n in self.created.items())


def demo_commune() -> Region:
    """Return the commune the demo people live in."""
    communes = Region.objects.current().filter(level=Region.Level.COMMUNE)
    province = (
        Region.objects.current()
        .filter(level=Region.Level.PROVINCE)
        .search(PREFERRED_PROVINCE)
        .first()
    )
    if province is not None:
        in_province = communes.filter(path__startswith=province.path + ".")
        for name in PREFERRED_COMMUNES:
            # "Đông Hưng" also finds "Nam Đông Hưng": keep the one named exactly.
            for candidate in in_province.search(name).order_by("path"):
                if fold(candidate.name) == fold(name):
                    return candidate
        commune = in_province.order_by("path").first()
        if commune is not None:
            return commune
    commune = communes.order_by("path").first()
    if commune is None:
        raise DemoError(
            "No administrative units found. Run `python manage.py load_regions` "
            "first, then `python manage.py load_demo` again."
        )
    return commune


class _Media:
    """Find or make the demo's pictures and documents, by title."""

    def __init__(self, summary: Summary, media=None):
        self.summary = summary
        # Draws the screenshots of hotspot questions.
        self.media = media
        root = Collection.get_first_root_node()
        self.collection = root.get_children().filter(
            name=COLLECTION_NAME
        ).first() or root.add_child(name=COLLECTION_NAME)
        Image = get_image_model()
        Document = get_document_model()
        self.images = {
            image.title: image
            for image in Image.objects.filter(collection=self.collection)
        }
        self.documents = {
            doc.title: doc
            for doc in Document.objects.filter(collection=self.collection)
        }

    def image(self, picture: spec.Screen | spec.Cover):
        if picture.title in self.images:
            return self.images[picture.title]
        # Imported here: Pillow drawing is only needed on a first run.
        if isinstance(picture, spec.Cover):
            from .covers import render_cover

            data, extension = render_cover(picture), "jpg"
        else:
            from .screens import render_screen

            data, extension = render_screen(picture), "png"
        image = get_image_model()(title=picture.title, collection=self.collection)
        image.file = ImageFile(
            ContentFile(data), name=f"{_filename(picture.title)}.{extension}"
        )
        image._set_image_file_metadata()
        image.save()
        self.images[picture.title] = image
        self.summary.add("images")
        return image

    def document(self, handout: spec.Handout):
        if handout.title in self.documents:
            return self.documents[handout.title]
        from .documents import render_handout

        document = get_document_model()(title=handout.title, collection=self.collection)
        document.file = ContentFile(render_handout(handout), name=handout.filename)
        document._set_document_file_metadata()
        document.save()
        self.documents[handout.title] = document
        self.summary.add("documents")
        return document


def _filename(title: str) -> str:
    return slugify(fold(title))[:60] or "demo"


def _stream_data(body: list, media: _Media) -> str:
    """Return a lesson body as StreamField JSON, pictures and handouts saved first."""
    data = []
    for block_type, value in body:
        if block_type == "image":
            value = {**value, "image": media.image(value["image"]).pk}
        elif block_type == "document":
            value = {**value, "document": media.document(value["document"]).pk}
        elif block_type == "steps":
            value = {
                "title": value["title"],
                "steps": [
                    {
                        **item,
                        "screenshot": (
                            media.image(item["screenshot"]).pk
                            if item["screenshot"]
                            else None
                        ),
                    }
                    for item in value["steps"]
                ],
            }
        data.append({"type": block_type, "value": value})
    return json.dumps(data, ensure_ascii=False)


def _home(summary: Summary) -> HomePage:
    home = ensure_site_tree()
    if home.intro:
        return home
    home.headline = home.headline or HOME_HEADLINE
    home.intro = HOME_INTRO
    home.call_to_action = home.call_to_action or HOME_CALL_TO_ACTION
    home.save_revision().publish()
    summary.add("home page text")
    return home


def _catalogue(home: HomePage, summary: Summary) -> CourseIndexPage:
    index = CourseIndexPage.objects.child_of(home).filter(slug=CATALOGUE_SLUG).first()
    if index is None:
        index = CourseIndexPage.objects.child_of(home).first()
    if index is not None:
        return index
    index = CourseIndexPage(
        title="Khóa học",
        slug=CATALOGUE_SLUG,
        intro=(
            "<p>Chọn một khóa học, học từng bài trên điện thoại và đánh dấu bài đã "
            "học. Khóa nào cũng miễn phí.</p>"
        ),
    )
    home.add_child(instance=index)
    index.save_revision().publish()
    summary.add("catalogue page")
    return index


def _name_catalogue(home: HomePage, index: CourseIndexPage, summary: Summary):
    """Name the catalogue on the home page, unless an editor chose one already."""
    if home.catalogue_id is not None:
        return
    home.catalogue = index
    home.save_revision().publish()
    summary.add("home page catalogue")


def _course(
    index: CourseIndexPage, course: spec.Course, media: _Media, summary: Summary
):
    page = CoursePage.objects.child_of(index).filter(slug=course.slug).first()
    if page is None:
        page = CoursePage(
            title=course.title,
            slug=course.slug,
            summary=course.summary,
            cover_image=media.image(course.cover),
            estimated_minutes=course.minutes,
            completion_rule=_completion_rule(course),
            outcomes=json.dumps(
                [{"type": "outcome", "value": text} for text in course.outcomes],
                ensure_ascii=False,
            ),
        )
        index.add_child(instance=page)
        page.audiences.set(Audience.objects.filter(kind__in=course.audiences))
        page.save_revision().publish()
        summary.add("courses")
    existing = set(LessonPage.objects.child_of(page).values_list("slug", flat=True))
    # Lessons come before the quiz, even when the quiz was loaded first.
    quiz = QuizPage.objects.child_of(page).order_by("path").first()
    for lesson in course.lessons:
        if lesson.slug in existing:
            continue
        lesson_page = LessonPage(
            title=lesson.title,
            slug=lesson.slug,
            intro=lesson.intro,
            estimated_minutes=lesson.minutes,
            body=_stream_data(lesson.body, media),
        )
        if quiz is None:
            page.add_child(instance=lesson_page)
        else:
            quiz.add_sibling(pos="left", instance=lesson_page)
            quiz.refresh_from_db()
        lesson_page.save_revision().publish()
        summary.add("lessons")
    return page


def _completion_rule(course: spec.Course) -> str:
    if course.quiz is not None and course.quiz.required:
        return CompletionRule.LESSONS_AND_QUIZ
    return CompletionRule.ALL_LESSONS


class _Bank:
    """Find or make the demo's question categories and questions."""

    def __init__(self, summary: Summary, media=None):
        self.summary = summary
        # Draws the screenshots of hotspot questions.
        self.media = media

    def _category(self, name: str, parent: QuestionCategory | None):
        category, created = QuestionCategory.objects.get_or_create(
            parent=parent, name=name
        )
        if created:
            self.summary.add("question categories")
        return category

    def category(self, quiz: spec.Quiz) -> QuestionCategory:
        # Looked up only for a quiz being made: a run that makes none leaves the
        # bank as the editors arranged it.
        root = self._category(BANK_CATEGORY, parent=None)
        return self._category(quiz.category, parent=root)

    def questions(self, quiz: spec.Quiz) -> list[Question]:
        """Return the quiz's questions from its category, adding those missing."""
        category = self.category(quiz)
        found = {
            question.text: question
            for question in Question.objects.filter(category=category)
        }
        questions = []
        for item in quiz.questions:
            question = found.get(item.text)
            if question is None:
                question = _question(item, category, self.media)
                found[item.text] = question
                self.summary.add("questions")
            questions.append(question)
        return questions


def _question(item: spec.Question, category: QuestionCategory, media) -> Question:
    question = Question(
        category=category,
        kind=QuestionType(item.kind),
        text=item.text,
        explanation=item.explanation,
        points=item.points,
        # Learners type on phones, often without tone marks.
        ignore_accents=item.kind == QuestionType.SHORT_TEXT,
    )
    for option in item.options:
        question.choices.add(
            Choice(
                text=option.text, is_correct=option.correct, feedback=option.feedback
            )
        )
    for text in item.accepted:
        question.accepted_answers.add(AcceptedAnswer(text=text))
    _procedure_rows(question, item, media)
    question.save()
    return question


def _procedure_rows(question: Question, item: spec.Question, media) -> None:
    """Add the rows of an ordering, matching, missing-words, numerical or
    hotspot question; a hotspot's regions are where its screen's buttons and
    fields were drawn."""
    for text in item.steps:
        question.steps.add(OrderingStep(text=text))
    for prompt, answer in item.pairs:
        question.pairs.add(MatchPair(prompt=prompt, answer=answer))
    for text, group in item.gap_words:
        question.gap_words.add(GapWord(text=text, group=group))
    for value, tolerance in item.numbers:
        question.numbers.add(NumericAnswer(value=value, tolerance=tolerance))
    question.unit = item.unit
    if item.screen is not None:
        from .screens import screen_regions

        question.image = media.image(item.screen)
        drawn = screen_regions(item.screen)
        for label, is_right in item.regions:
            x, y, width, height = drawn[label]
            question.regions.add(
                HotspotRegion(
                    label=label,
                    is_correct=is_right,
                    x=Decimal(str(x)),
                    y=Decimal(str(y)),
                    width=Decimal(str(width)),
                    height=Decimal(str(height)),
                )
            )


def _quiz(
    course_page: CoursePage, course: spec.Course, bank: _Bank, summary: Summary
) -> QuizPage | None:
    """Return the course's quiz, made after its lessons with its questions in the
    bank when it is missing."""
    quiz = course.quiz
    if quiz is None:
        return None
    page = QuizPage.objects.child_of(course_page).filter(slug=quiz.slug).first()
    if page is not None:
        return page
    questions = bank.questions(quiz)
    page = QuizPage(
        title=quiz.title,
        slug=quiz.slug,
        intro=quiz.intro,
        pass_mark=quiz.pass_mark,
        max_attempts=quiz.max_attempts,
        time_limit_minutes=quiz.time_limit_minutes,
        shuffle_questions=quiz.shuffle_questions,
        shuffle_choices=quiz.shuffle_choices,
        show_answers=quiz.show_answers,
        pass_message=quiz.pass_message,
        fail_message=quiz.fail_message,
    )
    if quiz.draw:
        page.selection = QuestionSelection.DRAWN
        page.draw_count = quiz.draw
        page.draw_categories.set([bank.category(quiz)])
    else:
        page.selection = QuestionSelection.FIXED
        for question in questions:
            page.quiz_questions.add(QuizQuestion(question=question))
    course_page.add_child(instance=page)
    page.save_revision().publish()
    summary.add("quizzes")
    rule = _completion_rule(course)
    # A course loaded before it had a quiz; left alone when an editor has a draft.
    if course_page.completion_rule != rule and not course_page.has_unpublished_changes:
        course_page.completion_rule = rule
        course_page.save_revision().publish()
        summary.add("completion rules")
    return QuizPage.objects.get(pk=page.pk)


def demo_username(person: people.DemoPerson) -> str:
    """Return the username of a demo person: the phone as stored, else the name or
    email given."""
    if person.phone:
        return normalise_phone(person.phone)
    return person.username or person.email.lower()


@lru_cache(maxsize=8)
def _password_hash(password: str) -> str:
    # Hashing is slow on purpose, and the demo people share one known password.
    return make_password(password)


def _person(person: people.DemoPerson, commune: Region, summary: Summary) -> User:
    phone = normalise_phone(person.phone) if person.phone else None
    username = demo_username(person)
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(
            username=username,
            full_name=person.full_name,
            phone=phone,
            email=person.email,
            kind=person.kind,
            home_region=None if person.is_staff else commune,
            is_staff=person.is_staff,
            is_superuser=person.is_superuser,
        )
        user.password = _password_hash(person.password)
        user.save()
        summary.add("people")
    if person.editor:
        editors, _created = Group.objects.get_or_create(name=EDITORS)
        editors.permissions.add(
            Permission.objects.get(
                content_type__app_label="wagtailadmin", codename="access_admin"
            ),
            *Permission.objects.filter(
                content_type__app_label="quizzes", codename__in=EDITOR_BANK_PERMISSIONS
            ),
        )
        user.groups.add(editors)
    # Demo people log in: each has agreed to the current consent text.
    if not consent_is_current(user):
        consent_record(user=user)
    return user


def _progress(users: dict[str, User], courses: dict[str, CoursePage], summary: Summary):
    for person, slug, done in PROGRESS:
        user, course = users[person.login], courses[slug]
        enrolment = Enrolment.objects.filter(user=user, course=course).first()
        if enrolment is None:
            enrolment = enrolment_create(user=user, course=course)
            summary.add("enrolments")
        lessons = list(course.lessons())
        already = set(
            LessonProgress.objects.filter(
                enrolment=enrolment, completed_at__isnull=False
            ).values_list("lesson_id", flat=True)
        )
        for lesson in lessons if done is None else lessons[:done]:
            if lesson.pk not in already:
                lesson_progress_record(user=user, lesson=lesson, course=course)
                summary.add("lessons done")


def _quiz_passes(users: dict[str, User], quizzes: dict[str, QuizPage], summary):
    """Take the quizzes the demo people passed, through the learner's services."""
    for person, slug in QUIZ_PASSES:
        user, quiz = users[person.login], quizzes.get(slug)
        if quiz is None or not quiz.live:
            continue
        if QuizAttempt.objects.filter(user=user, quiz=quiz).exists():
            continue
        attempt = quiz_attempt_start(user=user, quiz=quiz)
        items = attempt.snapshot["questions"]
        for position, item in enumerate(items, 1):
            answer = _answer(item, right=position < len(items))
            if answer is not None:
                quiz_answer_record(
                    attempt=attempt, user=user, question_id=item["id"], **answer
                )
        quiz_attempt_submit(attempt=attempt, user=user)
        summary.add("quiz attempts")


def _answer(item: dict, *, right: bool) -> dict | None:
    """Return a right or a wrong answer to a question of an attempt's snapshot, or
    None to leave it blank (essays)."""
    if item["kind"] in CHOICE_TYPES:
        wrong = [pk for pk in item["choices"] if pk not in item["correct"]]
        return {"choice_ids": item["correct"] if right else wrong[:1]}
    if item["kind"] == QuestionType.SHORT_TEXT:
        return {"text": item["accepted"][0] if right else "không nhớ"}
    if item["kind"] == QuestionType.NUMERICAL:
        return {"text": item["numbers"][0][0] if right else "0"}
    if item["kind"] == QuestionType.ORDERING:
        order = list(item["correct"])
        return {"choice_ids": order if right else order[::-1]}
    if item["kind"] in (QuestionType.MATCHING, QuestionType.GAP_SELECT):
        key = list(item["correct"])
        return {"choice_ids": key if right else [None] * len(key)}
    if item["kind"] == QuestionType.HOTSPOT:
        wrong = [pk for pk in item["choices"] if pk not in item["correct"]]
        return {"choice_ids": item["correct"][:1] if right else wrong[:1]}
    return None


@transaction.atomic
def load_demo() -> Summary:
    """Create whatever part of the demo is missing; return what was created."""
    summary = Summary()
    commune = demo_commune()
    home = _home(summary)
    Audience.ensure_all()
    index = _catalogue(home, summary)
    _name_catalogue(home, index, summary)
    media = _Media(summary)
    courses = {
        course.slug: _course(index, course, media, summary) for course in COURSES
    }
    # Before anyone's progress, so completing a course issues its certificate.
    load_certificates(courses, summary)
    bank = _Bank(summary, media)
    quizzes = {
        course.slug: _quiz(courses[course.slug], course, bank, summary)
        for course in COURSES
        if course.quiz is not None
    }
    users = {
        person.login: _person(person, commune, summary) for person in people.PEOPLE
    }
    _progress(users, courses, summary)
    _quiz_passes(users, quizzes, summary)
    load_classes(commune, users, courses, summary)
    issue_earned(courses, summary)
    load_targets(commune, courses, summary)
    load_outcomes(commune, summary)
    load_outreach(commune, users, courses, summary)
    return summary
