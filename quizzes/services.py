"""Writes of quiz activity: start, answer, submit, mark. Views, tasks and commands
all call these.

Concurrency: every write to an attempt first locks its row (``select_for_update``),
so two submits of one attempt give one result; starting locks the learner's
enrolment in the course, and the database's unique constraints on attempts are
the backstop, so simultaneous starts create one attempt.
"""

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from courses.models import Enrolment
from courses.services import enrolment_completion_update, enrolment_create
from users.models import User

from . import moodle
from .models import (
    CHOICE_TYPES,
    ONE_ANSWER_TYPES,
    AcceptedAnswer,
    AnswerLog,
    AttemptState,
    Choice,
    Question,
    QuestionCategory,
    QuestionType,
    QuizAttempt,
    QuizPage,
    ShowAnswers,
    answer_key_errors,
)
from .scoring import answer_fraction, attempt_percent, passes
from .selectors import quiz_snapshot_build

TEXT_ANSWER_MAX_LENGTH = 10_000


def _when(value: datetime) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")


def quiz_attempt_start(
    *, user: User, quiz: QuizPage, now: datetime | None = None
) -> QuizAttempt:
    """Return the learner's unfinished attempt at the quiz, or start a new one.

    An unfinished attempt whose time is up is submitted first. Starting enrols
    the learner in the quiz's course when they are not yet.
    """
    now = now or timezone.now()
    if not quiz.live:
        raise ValidationError(_("This quiz is not published."))
    course = quiz.get_course()
    # Close an attempt whose time is up in a transaction of its own, so its result
    # stands even when a new attempt is then refused.
    with transaction.atomic():
        expired = (
            QuizAttempt.objects.select_for_update()
            .filter(user=user, quiz=quiz, state=AttemptState.IN_PROGRESS)
            .first()
        )
        if expired is not None and not expired.is_open_at(now):
            _attempt_score(attempt=expired, now=now)
    # A start that loses a race with another start of the same learner hits a
    # unique constraint; the second pass then sees the winner's attempt.
    for tries_left in (1, 0):
        try:
            with transaction.atomic():
                return _attempt_start(user=user, quiz=quiz, course=course, now=now)
        except IntegrityError:
            if not tries_left:
                raise
    raise AssertionError("unreachable")


def _attempt_start(*, user, quiz, course, now) -> QuizAttempt:
    if course is not None:
        enrolment = enrolment_create(user=user, course=course)
        # Serialises the learner's starts in the course on PostgreSQL.
        Enrolment.objects.select_for_update().filter(pk=enrolment.pk).first()
    unfinished = (
        QuizAttempt.objects.select_for_update()
        .filter(user=user, quiz=quiz, state=AttemptState.IN_PROGRESS)
        .first()
    )
    if unfinished is not None and unfinished.is_open_at(now):
        return unfinished
    if unfinished is not None:
        # Its time ran out since the check above: close it with this start.
        _attempt_score(attempt=unfinished, now=now)
    if quiz.opens_at and now < quiz.opens_at:
        raise ValidationError(
            _("This quiz opens on %(date)s.") % {"date": _when(quiz.opens_at)}
        )
    if quiz.closes_at and now >= quiz.closes_at:
        raise ValidationError(
            _("This quiz closed on %(date)s.") % {"date": _when(quiz.closes_at)}
        )
    used = (
        QuizAttempt.objects.filter(user=user, quiz=quiz).aggregate(n=Max("number"))["n"]
        or 0
    )
    if quiz.max_attempts and used >= quiz.max_attempts:
        raise ValidationError(
            ngettext(
                "You have used the only attempt allowed at this quiz.",
                "You have used all %(count)d attempts allowed at this quiz.",
                quiz.max_attempts,
            )
            % {"count": quiz.max_attempts}
        )
    seed = secrets.randbits(62)
    snapshot = quiz_snapshot_build(quiz=quiz, seed=seed)
    ends = [quiz.closes_at] if quiz.closes_at else []
    if quiz.time_limit_minutes:
        ends.append(now + timedelta(minutes=quiz.time_limit_minutes))
    deadline = min(ends, default=None)
    return QuizAttempt.objects.create(
        user=user,
        quiz=quiz,
        number=used + 1,
        started_at=now,
        deadline=deadline,
        pass_mark=quiz.pass_mark,
        seed=seed,
        snapshot=snapshot,
    )


def quiz_attempts_expire(*, now: datetime | None = None) -> int:
    """Submit every unfinished attempt whose time, grace included, is up, so a
    learner who walked away still gets a result. Return how many were closed.

    Meant for a periodic task; each attempt is locked and closed on its own, so a
    learner submitting at the same moment gets the same single result.
    """
    now = now or timezone.now()
    candidates = QuizAttempt.objects.filter(
        state=AttemptState.IN_PROGRESS, deadline__lt=now
    ).values_list("pk", flat=True)
    closed = 0
    for pk in candidates:
        with transaction.atomic():
            attempt = QuizAttempt.objects.select_for_update().get(pk=pk)
            if attempt.state == AttemptState.IN_PROGRESS and not attempt.is_open_at(
                now
            ):
                _attempt_score(attempt=attempt, now=now)
                closed += 1
    return closed


def _locked_attempt(attempt: QuizAttempt, user: User) -> QuizAttempt:
    attempt = QuizAttempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.user_id != user.pk:
        raise PermissionDenied
    return attempt


@transaction.atomic
def quiz_answer_record(
    *,
    attempt: QuizAttempt,
    user: User,
    question_id: int,
    choice_ids: list[int] | tuple = (),
    text: str = "",
    now: datetime | None = None,
) -> AnswerLog:
    """Save the learner's answer to one question of the attempt, as given,
    replacing an earlier answer to the same question."""
    now = now or timezone.now()
    attempt = _locked_attempt(attempt, user)
    if attempt.state != AttemptState.IN_PROGRESS:
        raise ValidationError(
            _("This attempt has already been submitted; the answer was not saved.")
        )
    if not attempt.is_open_at(now):
        raise ValidationError(_("The time limit has passed; the answer was not saved."))
    item = attempt.snapshot_item(question_id)
    if item is None:
        raise ValidationError(_("This question is not part of the attempt."))
    kind = item["kind"]
    if kind in CHOICE_TYPES:
        try:
            chosen = list(dict.fromkeys(int(pk) for pk in choice_ids))
        except (TypeError, ValueError):
            chosen = None
        if chosen is None or not set(chosen) <= set(item["choices"]):
            raise ValidationError(_("That choice does not belong to this question."))
        if kind in ONE_ANSWER_TYPES and len(chosen) > 1:
            raise ValidationError(_("Choose only one answer."))
        text = ""
    else:
        chosen = []
        text = (text or "").strip()
        if len(text) > TEXT_ANSWER_MAX_LENGTH:
            raise ValidationError(
                _("The answer is too long: at most %(max)d characters.")
                % {"max": TEXT_ANSWER_MAX_LENGTH}
            )
    if (
        attempt.snapshot.get("show_answers") == ShowAnswers.AFTER_EACH
        and attempt.answers.filter(question_id=question_id).exists()
    ):
        # The learner may already have seen the correction of this answer.
        raise ValidationError(
            _("This answer has been corrected already and cannot be changed.")
        )
    answer, _created = AnswerLog.objects.update_or_create(
        attempt=attempt,
        question_id=question_id,
        defaults={"choice_ids": chosen, "text": text, "answered_at": now},
    )
    return answer


def quiz_attempt_submit(
    *, attempt: QuizAttempt, user: User, now: datetime | None = None
) -> QuizAttempt:
    """Score the attempt from its stored answers and close it, or return it as it
    is when it was already submitted.

    An attempt with an essay answer waits for a person to mark it. Passing the
    quiz updates the learner's completion of the course.
    """
    now = now or timezone.now()
    with transaction.atomic():
        attempt = _locked_attempt(attempt, user)
        if attempt.state != AttemptState.IN_PROGRESS:
            return attempt
        _attempt_score(attempt=attempt, now=now)
    return attempt


def _attempt_score(*, attempt: QuizAttempt, now: datetime) -> None:
    """Score every saved answer of a locked, unfinished attempt and close it."""
    items = {item["id"]: item for item in attempt.snapshot.get("questions", [])}
    answers = list(attempt.answers.all())
    awaiting = False
    for answer in answers:
        item = items.get(answer.question_id)
        if item is None:
            continue
        if item["kind"] == QuestionType.ESSAY:
            awaiting = awaiting or bool(answer.text)
            answer.score = None if answer.text else Decimal(0)
            answer.is_correct = None
        else:
            answer.score = answer_fraction(
                item, choice_ids=answer.choice_ids, text=answer.text
            )
            answer.is_correct = answer.score == 1
    AnswerLog.objects.bulk_update(answers, ["score", "is_correct"])
    attempt.submitted_at = now
    if awaiting:
        attempt.state = AttemptState.AWAITING_MARKING
        attempt.save(update_fields=["state", "submitted_at"])
    else:
        _attempt_finish(attempt=attempt, answers=answers)


def _attempt_finish(*, attempt: QuizAttempt, answers: list[AnswerLog]) -> None:
    fractions = {
        answer.question_id: answer.score
        for answer in answers
        if answer.score is not None
    }
    attempt.score = attempt_percent(attempt.snapshot.get("questions", []), fractions)
    attempt.passed = passes(attempt.score, attempt.pass_mark)
    attempt.state = AttemptState.FINISHED
    attempt.save(update_fields=["state", "submitted_at", "score", "passed"])
    if attempt.passed:
        course = attempt.quiz.get_course()
        enrolment = Enrolment.objects.filter(user_id=attempt.user_id, course=course)
        for row in enrolment.select_for_update():
            enrolment_completion_update(enrolment=row)


@transaction.atomic
def essay_mark(
    *,
    answer: AnswerLog,
    marker: User,
    points: Decimal | int,
    comment: str = "",
    now: datetime | None = None,
) -> AnswerLog:
    """Record a person's mark for an essay answer; the attempt is finished and
    scored once its last essay is marked."""
    now = now or timezone.now()
    if not marker.has_perm("quizzes.mark_essays"):
        raise PermissionDenied
    attempt = QuizAttempt.objects.select_for_update().get(pk=answer.attempt_id)
    answer = AnswerLog.objects.get(pk=answer.pk)
    item = attempt.snapshot_item(answer.question_id)
    if item is None or item["kind"] != QuestionType.ESSAY:
        raise ValidationError(_("Only essay answers are marked by a person."))
    if attempt.state == AttemptState.IN_PROGRESS:
        raise ValidationError(_("The attempt has not been submitted yet."))
    if attempt.state == AttemptState.FINISHED:
        raise ValidationError(_("This attempt is already marked."))
    points = Decimal(points)
    if not 0 <= points <= item["points"]:
        raise ValidationError(
            _("Give between 0 and %(max)d points.") % {"max": item["points"]}
        )
    answer.score = (points / Decimal(item["points"])).quantize(Decimal("0.0001"))
    answer.is_correct = answer.score == 1
    answer.marked_by = marker
    answer.marked_at = now
    answer.marker_comment = comment
    answer.save(
        update_fields=[
            "score",
            "is_correct",
            "marked_by",
            "marked_at",
            "marker_comment",
        ]
    )
    answers = list(attempt.answers.all())
    if all(a.score is not None for a in answers):
        _attempt_finish(attempt=attempt, answers=answers)
    return answer


@dataclass
class ImportRow:
    position: int
    name: str
    status: str  # "created", "skipped", "refused" or "not applied"
    message: str = ""


@dataclass
class ImportReport:
    rows: list[ImportRow] = field(default_factory=list)
    applied: bool = True

    @property
    def created(self) -> int:
        return sum(1 for row in self.rows if row.status == "created")

    @property
    def refused(self) -> list[ImportRow]:
        return [row for row in self.rows if row.status == "refused"]


def _category_at(path: list[str], root: QuestionCategory | None) -> QuestionCategory:
    if not path and root is None:
        path = [_("Imported questions")]
    category = root
    for name in path:
        category, _created = QuestionCategory.objects.get_or_create(
            parent=category, name=name[:120]
        )
    return category


@transaction.atomic
def question_bank_import(
    *,
    source: bytes | str,
    root: QuestionCategory | None = None,
    all_or_nothing: bool = False,
) -> ImportReport:
    """Add the questions of a Moodle XML export to the bank, under root when given.

    Every valid question is added and each refused one reported with its reason; a
    question already in its category with the same text is skipped, so importing
    a file twice adds nothing. With all_or_nothing, one refusal adds none.
    """
    try:
        parsed = moodle.parse(source)
    except moodle.MoodleFormatError as error:
        raise ValidationError(str(error)) from error
    report = ImportReport()
    for item in parsed:
        row = ImportRow(position=item.position, name=item.name, status="created")
        report.rows.append(row)
        problems = [item.problem] if item.problem else []
        if not problems:
            problems = answer_key_errors(
                kind=item.kind,
                correct_flags=[correct for _text, correct, _fb in item.choices],
                accepted_count=len(item.accepted),
            )
        if problems:
            row.status, row.message = "refused", " ".join(map(str, problems))
            continue
        category = _category_at(item.category_path, root)
        if Question.objects.filter(
            category=category, kind=item.kind, text=item.text
        ).exists():
            row.status = "skipped"
            row.message = _("Already in the bank.")
            continue
        question = Question(
            category=category,
            kind=item.kind,
            text=item.text,
            explanation=item.explanation,
            points=item.points,
        )
        for text, is_correct, feedback in item.choices:
            question.choices.add(
                Choice(text=text[:500], is_correct=is_correct, feedback=feedback)
            )
        for text in item.accepted:
            question.accepted_answers.add(AcceptedAnswer(text=text[:255]))
        question.save()
    if all_or_nothing and report.refused:
        transaction.set_rollback(True)
        report.applied = False
        for row in report.rows:
            if row.status == "created":
                row.status = "not applied"
    return report
