"""Factories for quiz tests: people, a small page tree, questions and quizzes."""

import factory
from factory.django import DjangoModelFactory

from core.site_tree import ensure_site_tree
from courses.models import CompletionRule, CourseIndexPage, CoursePage, LessonPage
from users.models import User
from users.tests.factories import consent_given

from ..models import (
    AcceptedAnswer,
    Choice,
    GapWord,
    HotspotRegion,
    MatchPair,
    NumericAnswer,
    OrderingStep,
    Question,
    QuestionCategory,
    QuestionType,
    QuizPage,
    QuizQuestion,
)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"learner{n}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn {n}")
    email = factory.Sequence(lambda n: f"learner{n}@example.vn")

    @factory.post_generation
    def consent(user, create, extracted, **kwargs):
        """Everyone who logs in has agreed to the current consent text
        (users.middleware asks anyone else first); ``consent=False`` leaves it out."""
        if create and extracted is not False:
            consent_given(user)


class QuestionCategoryFactory(DjangoModelFactory):
    class Meta:
        model = QuestionCategory

    name = factory.Sequence(lambda n: f"Chủ đề {n}")


def course_create(
    *, lessons: int = 1, completion_rule: str = CompletionRule.ALL_LESSONS
) -> CoursePage:
    """Return a live course with the given number of live lessons."""
    home = ensure_site_tree()
    index = CourseIndexPage.objects.first()
    if index is None:
        index = home.add_child(instance=CourseIndexPage(title="Khóa học", slug="kh"))
    n = CoursePage.objects.count() + 1
    course = index.add_child(
        instance=CoursePage(
            title=f"Dịch vụ công trực tuyến {n}",
            slug=f"dvc-{n}",
            summary="Nộp hồ sơ trực tuyến.",
            completion_rule=completion_rule,
        )
    )
    for i in range(lessons):
        course.add_child(
            instance=LessonPage(title=f"Bài {i + 1}", slug=f"bai-{i + 1}", body=[])
        )
    return course


def question_create(
    *,
    kind: str = QuestionType.SINGLE,
    choices: list[tuple[str, bool]] | None = None,
    accepted: list[str] | None = None,
    category: QuestionCategory | None = None,
    steps: list[str] | None = None,
    pairs: list[tuple[str, str]] | None = None,
    gap_words: list[tuple[str, int]] | None = None,
    numbers: list[tuple] | None = None,
    regions: list[tuple] | None = None,
    **fields,
) -> Question:
    """Return a saved question with its choices or accepted answers.

    Without choices, a choice question gets one right and two wrong ones (a true
    or false question: "Đúng" right, "Sai" wrong). The procedure types take
    ``steps`` (in the right order), ``pairs`` (item, answer), ``gap_words``
    (word, group), ``numbers`` (value, tolerance, grade %) and ``regions``
    (label, right, x, y, width, height in per cent).
    """
    if choices is None and kind in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        choices = [("Đúng", True), ("Sai một", False), ("Sai hai", False)]
    if choices is None and kind == QuestionType.TRUE_FALSE:
        choices = [("Đúng", True), ("Sai", False)]
    question = Question(
        category=category or QuestionCategoryFactory(),
        kind=kind,
        text=fields.pop("text", f"Câu hỏi {kind}?"),
        **fields,
    )
    for text, is_correct in choices or []:
        question.choices.add(
            Choice(text=text, is_correct=is_correct, feedback=f"Phản hồi: {text}")
        )
    for text in accepted or []:
        question.accepted_answers.add(AcceptedAnswer(text=text))
    for text in steps or []:
        question.steps.add(OrderingStep(text=text))
    for prompt, answer in pairs or []:
        question.pairs.add(MatchPair(prompt=prompt, answer=answer))
    for text, group in gap_words or []:
        question.gap_words.add(GapWord(text=text, group=group))
    for value, tolerance, grade in numbers or []:
        question.numbers.add(
            NumericAnswer(value=value, tolerance=tolerance, grade=grade)
        )
    for label, is_correct, x, y, width, height in regions or []:
        question.regions.add(
            HotspotRegion(
                label=label, is_correct=is_correct, x=x, y=y, width=width, height=height
            )
        )
    question.save()
    return question


def quiz_create(
    *, course: CoursePage, questions=(), live: bool = True, **fields
) -> QuizPage:
    """Return a quiz under the course with the questions as its fixed list."""
    n = QuizPage.objects.count() + 1
    fields.setdefault("title", f"Bài kiểm tra {n}")
    quiz = QuizPage(slug=f"kiem-tra-{n}", **fields)
    for question in questions:
        quiz.quiz_questions.add(QuizQuestion(question=question))
    quiz.live = live
    course.add_child(instance=quiz)
    if live:
        quiz.save_revision().publish()
    return QuizPage.objects.get(pk=quiz.pk)
