"""Reads of quizzes and attempts.

What may reach a learner's browser is decided here: ``attempt_questions`` gives the
questions without their answer key, and ``answer_reviews`` gives correctness,
explanation and feedback only for an answer already saved, and only when the
quiz shows answers at that point.
"""

import math
import random
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import (
    Avg,
    Case,
    Count,
    F,
    FloatField,
    Min,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.http import Http404
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from courses.completion import NextStep, outcomes_of
from courses.models import CoursePage, Enrolment

from . import procedures
from .models import (
    CHOICE_TYPES,
    PROCEDURE_TYPES,
    AnswerLog,
    AttemptState,
    Choice,
    Question,
    QuestionCategory,
    QuestionSelection,
    QuestionType,
    QuizAttempt,
    QuizPage,
    ShowAnswers,
)
from .scoring import answer_fraction


def _fresh_first(pool: list[int], count: int, seen, rng) -> list[int]:
    """Draw ``count`` of the pool: questions not in ``seen`` first, at random;
    then, if too few, those seen longest ago (``seen`` runs from the oldest to
    the latest attempt; ties at random)."""
    order = {question_id: n for n, question_id in enumerate(seen)}
    fresh = [q for q in pool if q not in order]
    if len(fresh) >= count:
        return rng.sample(fresh, count)
    shown = [q for q in pool if q in order]
    rng.shuffle(shown)
    shown.sort(key=lambda q: order[q])  # stable: the shuffle breaks ties
    return rng.sample(fresh, len(fresh)) + shown[: count - len(fresh)]


@dataclass(frozen=True)
class PaperCount:
    """How many distinct papers (sets of questions) a quiz gives its learners."""

    drawn: bool
    pool: int
    draw: int
    count: int

    @property
    def text(self) -> str:
        """The count as a reader takes it in: grouped digits, or a power of ten
        past a thousand billion."""
        if self.count < 10**12:
            return number_format(self.count, force_grouping=True)
        exponent = len(str(self.count)) - 1
        mantissa = number_format(
            round(self.count / 10**exponent, 1), decimal_pos=1, force_grouping=True
        )
        return f"≈ {mantissa} × 10^{exponent}"


def quiz_paper_count(*, quiz: QuizPage) -> PaperCount:
    """Return how many distinct papers the quiz gives: 1 for a fixed list of
    questions; for questions drawn from categories, the number of different sets
    of draw_count questions the pool holds, C(pool, draw_count) (their order,
    shuffled or not, is not counted). 0 while the quiz draws from nothing."""
    if quiz.selection != QuestionSelection.DRAWN:
        return PaperCount(drawn=False, pool=0, draw=0, count=1)
    draw = quiz.draw_count or 0
    category_ids = QuestionCategory.subtree_ids(
        quiz.draw_categories.values_list("pk", flat=True)
    )
    pool = Question.objects.filter(category_id__in=category_ids).count()
    count = math.comb(pool, draw) if 0 < draw <= pool else 0
    return PaperCount(drawn=True, pool=pool, draw=draw, count=count)


def quiz_snapshot_build(*, quiz: QuizPage, seed: int, seen=()) -> dict:
    """Return what an attempt at the quiz freezes: its questions in order, each
    with its choice order and answer key, and the quiz's rules.

    A quiz that draws from its categories draws first the questions the learner
    has not had yet (``seen``: the questions of their earlier attempts, oldest
    first), so a new attempt brings other questions while the bank has them.
    The same quiz content, seed and ``seen`` always give the same snapshot.
    """
    rng = random.Random(seed)
    if quiz.selection == QuestionSelection.DRAWN:
        category_ids = QuestionCategory.subtree_ids(
            quiz.draw_categories.values_list("pk", flat=True)
        )
        pool = sorted(
            Question.objects.filter(category_id__in=category_ids).values_list(
                "pk", flat=True
            )
        )
        count = quiz.draw_count or 0
        if count < 1 or len(pool) < count:
            raise ValidationError(
                _(
                    "The quiz draws %(count)s questions but its categories hold "
                    "%(available)s."
                )
                % {"count": count, "available": len(pool)}
            )
        ids = _fresh_first(pool, count, seen, rng)
        if not quiz.shuffle_questions:
            ids.sort()
    else:
        ids = list(
            dict.fromkeys(
                quiz.quiz_questions.order_by("sort_order", "pk").values_list(
                    "question_id", flat=True
                )
            )
        )
        if quiz.shuffle_questions:
            rng.shuffle(ids)
    if not ids:
        raise ValidationError(_("The quiz has no questions yet."))
    questions = Question.objects.prefetch_related(
        "choices",
        "accepted_answers",
        "steps",
        "pairs",
        "gap_words",
        "numbers",
        "regions",
    ).in_bulk(ids)
    items = []
    for question_id in ids:
        question = questions[question_id]
        errors = question.answer_key_errors()
        if errors:
            raise ValidationError(
                _("The question “%(question)s” cannot be used: %(problem)s")
                % {"question": question, "problem": errors[0]}
            )
        choices = list(question.choices.all())
        if quiz.shuffle_choices and question.kind != QuestionType.TRUE_FALSE:
            rng.shuffle(choices)
        items.append(
            {
                "id": question.pk,
                "kind": question.kind,
                "points": question.points,
                "choices": [choice.pk for choice in choices],
                "correct": [choice.pk for choice in choices if choice.is_correct],
                "accepted": [answer.text for answer in question.accepted_answers.all()],
                "ignore_accents": question.ignore_accents,
                **procedures.snapshot_parts(
                    question, rng, shuffle=quiz.shuffle_choices
                ),
            }
        )
    return {
        "questions": items,
        "pass_mark": quiz.pass_mark,
        "time_limit_minutes": quiz.time_limit_minutes,
        "grace_seconds": quiz.grace_seconds,
        "show_answers": quiz.show_answers,
        "revision_id": quiz.live_revision_id,
    }


def attempts_visible_to(*, user) -> QuerySet[QuizAttempt]:
    """Return the attempts the user may read: their own, or everyone's with the
    permission to view other people's results."""
    if not user.is_authenticated:
        return QuizAttempt.objects.none()
    if user.has_perm("quizzes.view_all_results"):
        return QuizAttempt.objects.all()
    return QuizAttempt.objects.filter(user=user)


def attempt_get(*, user, pk: int) -> QuizAttempt:
    """Return the attempt if the user may read it, else raise Http404."""
    attempt = attempts_visible_to(user=user).filter(pk=pk).first()
    if attempt is None:
        raise Http404
    return attempt


@dataclass
class ShownChoice:
    id: int
    text: str


@dataclass
class ShownQuestion:
    """A question as the learner sees it before answering: no answer key."""

    id: int
    kind: str
    text: str
    image: object
    points: int
    choices: list[ShownChoice] = field(default_factory=list)
    chosen_ids: list[int] = field(default_factory=list)
    text_answer: str = ""
    answered: bool = False
    # The procedure types' parts (``procedures.ShownParts``), else None.
    parts: object = None
    # The saved answer of a procedure question, as text (for the result page).
    answer_text: str = ""

    @property
    def chosen_texts(self) -> list[str]:
        """Return the texts of the chosen choices, in the order shown."""
        return [choice.text for choice in self.choices if choice.id in self.chosen_ids]


def attempt_questions(*, attempt: QuizAttempt) -> list[ShownQuestion]:
    """Return the attempt's questions in its order, with choices in its order and
    the learner's saved answers, and nothing that tells which answer is right."""
    items = attempt.snapshot.get("questions", [])
    questions = Question.objects.select_related("image").in_bulk(
        [item["id"] for item in items]
    )
    choice_ids = [
        pk
        for item in items
        if item["kind"] not in PROCEDURE_TYPES
        for pk in item["choices"]
    ]
    choices = Choice.objects.in_bulk(choice_ids)
    answers = {answer.question_id: answer for answer in attempt.answers.all()}
    rows = procedures.rows_for(items)
    shown = []
    for item in items:
        question = questions.get(item["id"])
        if question is None:
            continue
        answer = answers.get(item["id"])
        if item["kind"] in PROCEDURE_TYPES:
            shown.append(
                ShownQuestion(
                    id=question.pk,
                    kind=item["kind"],
                    text=procedures.gap_text_plain(question.text)
                    if item["kind"] == QuestionType.GAP_SELECT
                    else question.text,
                    image=question.image,
                    points=item["points"],
                    answered=answer is not None,
                    text_answer=answer.text if answer else "",
                    parts=procedures.shown_parts(
                        item, question, answer, attempt.seed, rows
                    ),
                    answer_text=procedures.answer_text(
                        item,
                        choice_ids=answer.choice_ids,
                        text=answer.text,
                        rows=rows,
                    )
                    if answer
                    else "",
                )
            )
            continue
        shown.append(
            ShownQuestion(
                id=question.pk,
                kind=item["kind"],
                text=question.text,
                image=question.image,
                points=item["points"],
                choices=[
                    ShownChoice(id=pk, text=choices[pk].text)
                    for pk in item["choices"]
                    if pk in choices
                ],
                chosen_ids=list(answer.choice_ids) if answer else [],
                text_answer=answer.text if answer else "",
                answered=answer is not None,
            )
        )
    return shown


@dataclass
class AnswerReview:
    question_id: int
    fraction: Decimal | None
    is_correct: bool | None
    correct_choice_ids: list[int]
    accepted: list[str]
    explanation: str
    feedback: dict[int, str]
    # The right answer of a procedure question, as text.
    key_text: str = ""


def answer_reviews(
    *, attempt: QuizAttempt, question_ids: list[int]
) -> dict[int, AnswerReview | None]:
    """Return the correction of each saved answer, by question id, in three queries
    whatever their number; None where the quiz does not show it yet (or the
    question has not been answered)."""
    reviews: dict[int, AnswerReview | None] = dict.fromkeys(question_ids)
    mode = attempt.snapshot.get("show_answers", ShowAnswers.AT_END)
    if mode == ShowAnswers.NEVER or not question_ids:
        return reviews
    if mode == ShowAnswers.AT_END and attempt.state == AttemptState.IN_PROGRESS:
        return reviews
    answers = {
        answer.question_id: answer
        for answer in attempt.answers.filter(question_id__in=question_ids)
    }
    in_progress = attempt.state == AttemptState.IN_PROGRESS
    wanted = [
        pk
        for pk in question_ids
        if attempt.snapshot_item(pk) is not None
        and not (pk not in answers and in_progress)
    ]
    questions = Question.objects.prefetch_related("choices").in_bulk(wanted)
    rows = procedures.rows_for(
        [attempt.snapshot_item(pk) for pk in wanted if pk in questions]
    )
    for pk in wanted:
        item, answer, question = attempt.snapshot_item(pk), answers.get(pk), None
        question = questions.get(pk)
        if question is None:
            continue
        if answer is not None and answer.score is not None:
            fraction = answer.score
        elif answer is not None:
            fraction = answer_fraction(
                item, choice_ids=answer.choice_ids, text=answer.text
            )
        else:
            fraction = Decimal(0) if item["kind"] != QuestionType.ESSAY else None
        chosen = set(answer.choice_ids) if answer else set()
        reviews[pk] = AnswerReview(
            question_id=pk,
            fraction=fraction,
            is_correct=None if fraction is None else fraction == 1,
            correct_choice_ids=[]
            if item["kind"] in PROCEDURE_TYPES
            else list(item["correct"]),
            accepted=list(item["accepted"]),
            key_text=procedures.key_text(item, rows=rows)
            if item["kind"] in PROCEDURE_TYPES
            else "",
            explanation=question.explanation,
            feedback={
                choice.pk: choice.feedback
                for choice in question.choices.all()
                if choice.pk in chosen
                and choice.feedback
                and question.kind in CHOICE_TYPES
            },
        )
    return reviews


def quiz_overview(*, quiz: QuizPage, user) -> dict:
    """Return the learner's attempts at the quiz and whether they can start one."""
    if not user.is_authenticated:
        return {"attempts": [], "unfinished": None, "attempts_left": None}
    attempts = list(QuizAttempt.objects.filter(user=user, quiz=quiz).order_by("number"))
    unfinished = next(
        (a for a in attempts if a.state == AttemptState.IN_PROGRESS), None
    )
    attempts_left = None
    if quiz.max_attempts:
        attempts_left = max(0, quiz.max_attempts - len(attempts))
    return {
        "attempts": attempts,
        "unfinished": unfinished,
        "attempts_left": attempts_left,
        "passed": any(a.passed for a in attempts),
    }


def essays_awaiting_marking(
    *, quiz_id: int | None = None, learner: str = ""
) -> QuerySet[AnswerLog]:
    """Return essay answers of submitted attempts that nobody has marked yet,
    oldest first, of one quiz and of learners whose name or phone contains the
    search text when given."""
    answers = AnswerLog.objects.filter(
        attempt__state=AttemptState.AWAITING_MARKING, score__isnull=True
    )
    if quiz_id is not None:
        answers = answers.filter(attempt__quiz_id=quiz_id)
    learner = " ".join(learner.split())
    if learner:
        match = Q(attempt__user__full_name__icontains=learner)
        digits = re.sub(r"[\s.\-()]", "", learner)
        if re.fullmatch(r"\+?\d+", digits):
            # Phones are stored as +84912345678; a marker types 0912 345 678.
            if digits.startswith("+84"):
                digits = digits[3:]
            digits = digits.removeprefix("+").removeprefix("0")
            if digits:
                match |= Q(attempt__user__phone__contains=digits)
        answers = answers.filter(match)
    # The class filter goes here once the classes app lands (a class's roster).
    return answers.select_related(
        "attempt__user", "attempt__quiz", "question"
    ).order_by("attempt__submitted_at", "pk")


def final_quiz(*, course) -> QuizPage | None:
    """Return the course's final quiz: its last live quiz in the editor's order."""
    return QuizPage.objects.live().child_of(course).order_by("-path").first()


def final_quiz_step(course) -> NextStep | None:
    """Return the course's final quiz as what comes after its lessons, if it has
    one (registered with courses.completion)."""
    quiz = final_quiz(course=course)
    if quiz is None:
        return None
    return NextStep(
        url=quiz.url,
        label=gettext("Take the final quiz"),
        remaining=gettext("The final quiz remains."),
    )


def final_quiz_passed(*, user, course, since=None) -> bool:
    """Whether the learner has passed the course's final quiz, in an attempt
    submitted after ``since`` when given (the enrolment's restart)."""
    quiz = final_quiz(course=course)
    if quiz is None:
        return False
    attempts = QuizAttempt.objects.filter(
        user=user, quiz=quiz, state=AttemptState.FINISHED, passed=True
    )
    if since is not None:
        attempts = attempts.filter(submitted_at__gt=since)
    return attempts.exists()


def final_quiz_passed_by(enrolment) -> bool:
    """Whether the enrolment's learner passed its course's final quiz since the
    enrolment (re)started: what ``CompletionRule.LESSONS_AND_QUIZ`` asks beyond
    the lessons (registered with courses.completion)."""
    return final_quiz_passed(
        user=enrolment.user, course=enrolment.course, since=enrolment.restarted_at
    )


def course_completed_by(*, attempt: QuizAttempt) -> dict | None:
    """Return the course this passed attempt completed, with what completing
    it brought (``courses.completion.outcomes_of``: its certificate), when the
    quiz is the course's final quiz and the course is now complete."""
    if not attempt.passed:
        return None
    quiz = attempt.quiz
    course = quiz.get_parent().specific
    if not isinstance(course, CoursePage) or final_quiz(course=course) != quiz:
        return None
    enrolment = (
        Enrolment.objects.filter(user_id=attempt.user_id, course=course)
        .select_related("user", "course")
        .first()
    )
    if enrolment is None or enrolment.completed_at is None:
        return None
    return {"course": course, "outcomes": outcomes_of(enrolment)}


def attempts_submitted(*, user, limit: int = 50) -> list[QuizAttempt]:
    """Return the learner's submitted attempts, newest first, each with the
    title of its quiz's course (``course_title``, read at once)."""
    attempts = list(
        QuizAttempt.objects.filter(user=user)
        .exclude(state=AttemptState.IN_PROGRESS)
        .select_related("quiz")
        .order_by("-submitted_at")[:limit]
    )
    step = QuizPage.steplen
    titles = dict(
        Page.objects.filter(
            path__in={attempt.quiz.path[:-step] for attempt in attempts}
        ).values_list("path", "title")
    )
    for attempt in attempts:
        attempt.course_title = titles.get(attempt.quiz.path[:-step], "")
    return attempts


@dataclass
class CategoryResult:
    category_id: int
    name: str
    answered: int
    earned: Decimal

    @property
    def percent(self) -> int:
        if not self.answered:
            return 0
        return round(100 * self.earned / self.answered)


def category_results(*, user) -> list[CategoryResult]:
    """Return, per question category, how many scored answers the learner gave in
    finished attempts and the share of them that was right."""
    rows = (
        AnswerLog.objects.filter(
            attempt__user=user,
            attempt__state=AttemptState.FINISHED,
            score__isnull=False,
        )
        .values("question__category_id")
        .annotate(answered=Count("pk"), earned=Sum("score"))
        .order_by()
    )
    names = {
        category.pk: str(category)
        for category in QuestionCategory.objects.select_related("parent").filter(
            Q(pk__in=[row["question__category_id"] for row in rows])
        )
    }
    results = [
        CategoryResult(
            category_id=row["question__category_id"],
            name=names.get(row["question__category_id"], ""),
            answered=row["answered"],
            earned=Decimal(row["earned"] or 0),
        )
        for row in rows
    ]
    return sorted(results, key=lambda result: result.name)


@dataclass
class ItemStats:
    """How the learners of a quiz did on one of its questions."""

    question_id: int
    text: str
    kind: str
    # Answers given in finished attempts.
    answered: int
    # Of those, answers that earned the question's full points.
    correct: int
    # Mean fraction of the points earned, 0-1; None without answers.
    mean_score: Decimal | None
    wrong_choice_id: int | None = None
    wrong_choice_text: str = ""
    # How many answers ticked the most chosen wrong choice.
    wrong_choice_count: int = 0

    @property
    def percent_correct(self) -> int | None:
        if not self.answered:
            return None
        return round(100 * self.correct / self.answered)

    @property
    def mean_percent(self) -> int | None:
        if self.mean_score is None:
            return None
        return round(100 * self.mean_score)


def quiz_item_analysis(*, quiz: QuizPage) -> list[ItemStats]:
    """Return, per question of the quiz, how the answers of finished attempts went:
    how many, the share with full points, the mean score and the wrong choice
    chosen most often; the weakest questions first, those without answers last.

    The questions are those of the quiz's list and any other a finished attempt
    answered (a quiz drawing from categories, or a question since removed). A
    choice counts as wrong by the answer key as it is now.
    """
    finished = Q(
        answers__attempt__quiz=quiz, answers__attempt__state=AttemptState.FINISHED
    )
    answered_ids = AnswerLog.objects.filter(
        attempt__quiz=quiz, attempt__state=AttemptState.FINISHED
    ).values("question_id")
    listed_ids = quiz.quiz_questions.values("question_id")
    questions = (
        Question.objects.filter(Q(pk__in=answered_ids) | Q(pk__in=listed_ids))
        .annotate(
            answered=Count("answers", filter=finished),
            correct=Count("answers", filter=finished & Q(answers__is_correct=True)),
            mean_score=Avg("answers__score", filter=finished),
        )
        .annotate(
            share=Case(
                When(answered=0, then=Value(None, output_field=FloatField())),
                default=Cast("correct", FloatField()) / Cast("answered", FloatField()),
                output_field=FloatField(),
            )
        )
        .order_by(
            F("share").asc(nulls_last=True),
            F("mean_score").asc(nulls_last=True),
            "-answered",
            "pk",
        )
    )
    stats = [
        ItemStats(
            question_id=question.pk,
            text=str(question),
            kind=question.kind,
            answered=question.answered,
            correct=question.correct,
            mean_score=None
            if question.mean_score is None
            else Decimal(str(question.mean_score)).quantize(Decimal("0.0001")),
        )
        for question in questions
    ]
    wrong = _most_chosen_wrong_choices(
        quiz=quiz, question_ids=[s.question_id for s in stats]
    )
    for item in stats:
        if item.question_id in wrong:
            choice, count = wrong[item.question_id]
            item.wrong_choice_id = choice.pk
            item.wrong_choice_text = choice.text
            item.wrong_choice_count = count
    common = _most_common_wrong_procedure_answers(
        quiz=quiz,
        question_ids=[s.question_id for s in stats if s.kind in PROCEDURE_TYPES],
    )
    for item in stats:
        if item.question_id in common:
            item.wrong_choice_text, item.wrong_choice_count = common[item.question_id]
    return stats


def _most_common_wrong_procedure_answers(
    *, quiz: QuizPage, question_ids: list[int]
) -> dict[int, tuple[str, int]]:
    """Return, per procedure question, its most common answer short of full
    points, as text (a wrong order, a tap's region, a number), and how many
    answers of finished attempts gave it.

    The database counts the answers per distinct answer; each is then read as
    text with the snapshot of one attempt that gave it, and answers that read
    the same (taps in the same region) are counted together.
    """
    if not question_ids:
        return {}
    groups = list(
        AnswerLog.objects.filter(
            attempt__quiz=quiz,
            attempt__state=AttemptState.FINISHED,
            question_id__in=question_ids,
        )
        .exclude(is_correct=True)
        .values("question_id", "choice_ids", "text")
        .annotate(n=Count("pk"), one=Min("attempt_id"))
        .order_by()
    )
    snapshots = dict(
        QuizAttempt.objects.filter(pk__in={row["one"] for row in groups}).values_list(
            "pk", "snapshot"
        )
    )

    def item_of(row):
        for item in snapshots.get(row["one"], {}).get("questions", []):
            if item["id"] == row["question_id"]:
                return item
        return None

    items = [item for row in groups if (item := item_of(row)) is not None]
    rows = procedures.rows_for(items)
    counts: dict[int, dict[str, int]] = {}
    for row in groups:
        item = item_of(row)
        if item is None:
            continue
        text = procedures.answer_text(
            item, choice_ids=row["choice_ids"], text=row["text"], rows=rows
        )
        if item["kind"] == QuestionType.NUMERICAL:
            text = procedures.number_answer_text(row["text"], item.get("unit", ""))
        if not text:
            continue
        per_question = counts.setdefault(row["question_id"], {})
        per_question[text] = per_question.get(text, 0) + row["n"]
    return {
        question_id: min(texts.items(), key=lambda pair: (-pair[1], pair[0]))
        for question_id, texts in counts.items()
    }


def _most_chosen_wrong_choices(
    *, quiz: QuizPage, question_ids: list[int]
) -> dict[int, tuple[Choice, int]]:
    """Return, per question, its wrong choice ticked in most answers of finished
    attempts and in how many.

    ``AnswerLog.choice_ids`` is a JSON list, which SQLite cannot search inside, so
    the database counts the answers per distinct set of chosen ids (one row per
    set, not per answer) and the sets are then split into their choices.
    """
    sets = (
        AnswerLog.objects.filter(
            attempt__quiz=quiz,
            attempt__state=AttemptState.FINISHED,
            question_id__in=question_ids,
            question__kind__in=CHOICE_TYPES,
        )
        .exclude(is_correct=True)
        .values("question_id", "choice_ids")
        .annotate(n=Count("pk"))
        .order_by()
    )
    wrong_choices = Choice.objects.filter(
        question_id__in=question_ids, is_correct=False
    ).in_bulk()
    counts: dict[int, int] = {}
    for row in sets:
        for pk in set(row["choice_ids"] or []):
            if pk in wrong_choices:
                counts[pk] = counts.get(pk, 0) + row["n"]
    best: dict[int, tuple[Choice, int]] = {}
    # Ties go to the choice shown first in the editor's order.
    for pk, count in sorted(
        counts.items(),
        key=lambda pair: (-pair[1], wrong_choices[pair[0]].sort_order or 0, pair[0]),
    ):
        choice = wrong_choices[pk]
        best.setdefault(choice.question_id, (choice, count))
    return best
