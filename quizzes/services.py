"""Writes of quiz activity: start, answer, submit, mark. Views, tasks and commands
all call these.

Concurrency: every write to an attempt first locks its row (``select_for_update``),
so two submits of one attempt give one result; starting locks the learner's
enrolment in the course, and the database's unique constraints on attempts are
the backstop, so simultaneous starts create one attempt.
"""

import secrets
import time
from dataclasses import astuple, dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from io import BytesIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.images import ImageFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail.images import get_image_model
from wagtail.search.backends import get_search_backends

from courses.models import Enrolment
from courses.services import enrolment_completion_update, enrolment_create
from users.models import User

from . import bank, interchange
from .interchange import ImportedQuestion, ImportProblem
from .models import (
    CHOICE_TYPES,
    ONE_ANSWER_TYPES,
    PROCEDURE_TYPES,
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
from .scoring import (
    answer_fraction,
    attempt_percent,
    parse_number,
    parse_tap,
    passes,
)
from .selectors import quiz_snapshot_build

TEXT_ANSWER_MAX_LENGTH = 10_000
_CHOICE_MAX = Choice._meta.get_field("text").max_length
_ACCEPTED_MAX = AcceptedAnswer._meta.get_field("text").max_length
_CATEGORY_MAX = QuestionCategory._meta.get_field("name").max_length


def _when(value: datetime) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")


def quiz_attempt_start(
    *,
    user: User,
    quiz: QuizPage,
    now: datetime | None = None,
    client: tuple[str, str] = ("", ""),
) -> QuizAttempt:
    """Return the learner's unfinished attempt at the quiz, or start a new one.

    An unfinished attempt whose time is up is submitted first. Starting enrols
    the learner in the quiz's course when they are not yet. ``client`` is the
    (address hash, device hash) of where a new attempt is started from
    (``quizzes.integrity.client_hashes``), for the list of unusual attempts.
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
                return _attempt_start(
                    user=user, quiz=quiz, course=course, now=now, client=client
                )
        except IntegrityError:
            if not tries_left:
                raise
    raise AssertionError("unreachable")


def _attempt_start(*, user, quiz, course, now, client=("", "")) -> QuizAttempt:
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
    seen = [
        question_id
        for attempt in QuizAttempt.objects.filter(user=user, quiz=quiz)
        .only("snapshot")
        .order_by("number")
        for question_id in attempt.question_ids
    ]
    snapshot = quiz_snapshot_build(quiz=quiz, seed=seed, seen=seen)
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
        address_hash=client[0],
        device_hash=client[1],
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
    if kind in PROCEDURE_TYPES:
        chosen, text = _procedure_answer_check(item, choice_ids, text)
    elif kind in CHOICE_TYPES:
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


def _procedure_answer_check(item: dict, choice_ids, text: str):
    """Return the answer to a procedure question as stored, or raise
    ValidationError when it does not fit the question (ids of another question,
    a list of the wrong length, a number that is not one)."""
    kind = item["kind"]
    try:
        given = [None if pk is None else int(pk) for pk in choice_ids]
    except (TypeError, ValueError):
        given = None
    wrong_rows = ValidationError(_("That answer does not belong to this question."))
    if given is None:
        raise wrong_rows
    if kind == QuestionType.ORDERING:
        if sorted(pk for pk in given if pk is not None) != sorted(item["choices"]):
            raise wrong_rows
        return given, ""
    if kind == QuestionType.MATCHING:
        if len(given) != len(item["prompts"]) or not {
            pk for pk in given if pk is not None
        } <= set(item["choices"]):
            raise wrong_rows
        return given, ""
    if kind == QuestionType.GAP_SELECT:
        gaps = item["gaps"]
        if len(given) != len(gaps) or any(
            pk is not None and pk not in gaps[n] for n, pk in enumerate(given)
        ):
            raise wrong_rows
        return given, ""
    if kind == QuestionType.NUMERICAL:
        text = (text or "").strip()
        if text and parse_number(text) is None:
            raise ValidationError(_("Write a number, such as 1.500.000 or 2,5."))
        return [], text[:100]
    # The hotspot: a region chosen from the list, or a tap "x;y".
    if len(given) > 1 or not set(given) <= set(item["choices"]):
        raise wrong_rows
    text = (text or "").strip()
    if text and parse_tap(text) is None:
        raise ValidationError(_("That tap is not on the picture."))
    return given, "" if given else text


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
        enrolment = Enrolment.objects.filter(
            user_id=attempt.user_id, course=course
        ).select_related("course")
        for row in enrolment.select_for_update(of=("self",)):
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


# The largest question-bank file an import takes, from the admin page and from
# the command alike.
QUESTION_FILE_MAX_BYTES = 10 * 1024 * 1024
# Questions written per transaction, with a few bulk inserts. Each batch holds
# the database's write lock (all of it, on SQLite) for a moment only (tens of
# milliseconds), so logins and answers are written between two batches.
IMPORT_BATCH = 500
# Seconds an import waits between two batches on SQLite. A writer waiting for
# the lock sleeps up to 100 ms between tries, so without a pause longer than
# that the next batch takes the lock again before anyone else gets it.
IMPORT_PAUSE = 0.2


def question_file_size_check(*, size: int) -> None:
    """Refuse a question-bank file larger than an import takes."""
    if size > QUESTION_FILE_MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(max)d MB, the most an import takes.")
            % {"max": QUESTION_FILE_MAX_BYTES // (1024 * 1024)},
            code="too_large",
        )


IMPORT_STATUSES = {
    "created": gettext_lazy("added"),
    "skipped": gettext_lazy("already in the bank"),
    "refused": gettext_lazy("refused"),
    "unsupported": gettext_lazy("type not supported"),
    "left_out": gettext_lazy("left out"),
    "not_applied": gettext_lazy("not added"),
}
# A whole number of points must fit the bank's small positive integer.
_MAX_POINTS = 32767
_NAME_MAX = Question._meta.get_field("name").max_length
_MEDIA_LABELS = {
    "audio": gettext_lazy("a sound"),
    "video": gettext_lazy("a video"),
    "iframe": gettext_lazy("an embedded page"),
    "object": gettext_lazy("an embedded object"),
    "embed": gettext_lazy("an embedded object"),
    "a": gettext_lazy("a link to a file of the question"),
}


@dataclass
class ImportRow:
    """One question of the file and what the import did with it."""

    where: str  # "line 12", "question 3 «Name»"
    name: str
    status: str  # a key of IMPORT_STATUSES
    kind: str = ""  # what an editor calls the question's type
    message: str = ""

    @property
    def status_label(self) -> str:
        return str(IMPORT_STATUSES[self.status])


@dataclass
class ImportReport:
    """What an import did, question by question.

    ``applied`` is false when nothing was added: the file has problems
    (``problems``, each with where it is), or a question was refused and the
    import was all or nothing. ``notes`` say what the import changed without
    refusing anything (a rounded mark, a lost image...).
    """

    format: str = ""
    rows: list[ImportRow] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    notes: list[ImportProblem] = field(default_factory=list)
    applied: bool = True

    def _with(self, status: str) -> list[ImportRow]:
        return [row for row in self.rows if row.status == status]

    @property
    def created(self) -> int:
        return len(self._with("created"))

    @property
    def skipped(self) -> list[ImportRow]:
        return self._with("skipped")

    @property
    def refused(self) -> list[ImportRow]:
        return self._with("refused")

    @property
    def unsupported(self) -> list[ImportRow]:
        return self._with("unsupported")

    @property
    def left_out(self) -> list[ImportRow]:
        return self._with("left_out")

    def as_data(self) -> dict:
        """Return the report as JSON-ready data, its messages as strings."""

        def problems(items):
            return [[str(item.source_ref), str(item.message)] for item in items]

        return {
            "format": self.format,
            "applied": self.applied,
            # Each row as ImportRow's fields, in their order.
            "rows": [[str(value) for value in astuple(row)] for row in self.rows],
            "problems": problems(self.problems),
            "notes": problems(self.notes),
        }

    @classmethod
    def from_data(cls, data: dict) -> "ImportReport":
        """Return the report that ``as_data`` gave as data."""
        return cls(
            format=data.get("format", ""),
            rows=[ImportRow(*row) for row in data.get("rows", [])],
            problems=[ImportProblem(*item) for item in data.get("problems", [])],
            notes=[ImportProblem(*item) for item in data.get("notes", [])],
            applied=data.get("applied", False),
        )


@dataclass
class _Ready:
    """A question of the file checked against the bank's rules, ready to store."""

    row: ImportRow
    category: tuple[str, ...]
    question: Question
    choices: list[Choice]
    accepted: list[AcceptedAnswer]
    # (file name, bytes, alternative text) of the question's image.
    image: tuple[str, bytes, str] | None
    # A procedure question's rows, as (relation, unsaved row).
    rows: list = field(default_factory=list)


def _category_at(path, root: QuestionCategory | None) -> QuestionCategory:
    if not path and root is None:
        path = [_("Imported questions")]
    category = root
    for name in path:
        category, _created = QuestionCategory.objects.get_or_create(
            parent=category, name=name
        )
    return category


def _is_image(content: bytes) -> bool:
    from PIL import Image as PillowImage

    try:
        with PillowImage.open(BytesIO(content)) as picture:
            picture.verify()
    except Exception:  # noqa: BLE001 - Pillow raises many kinds for a bad file
        return False
    return True


def _ready(
    item: ImportedQuestion, row: ImportRow, note
) -> tuple[_Ready | None, list[str]]:
    """Return an imported question as the bank stores it, or the reasons it
    cannot be stored; ``note`` records what the import changes."""
    refusals = []
    fmt = item.text_format
    text = bank.plain_text(item.text, fmt)
    for tag, sources in bank.media_in(item.text).items():
        names = ", ".join(source for source in sources if source)
        note(
            _(
                "The question text holds %(what)s, which the bank cannot play; "
                "it is left out%(sources)s."
            )
            % {
                "what": _MEDIA_LABELS.get(tag, tag),
                "sources": f" ({names})" if names else "",
            }
        )
    if not text:
        refusals.append(_("The question has no text once images are taken out."))
    points, rounded = bank.whole_points(item.points)
    if points > _MAX_POINTS:
        refusals.append(
            _("The mark %(points)s is too large: at most %(max)d points.")
            % {"points": bank.number(item.points), "max": _MAX_POINTS}
        )
    elif rounded:
        note(
            _("The mark %(points)s becomes %(whole)d: marks here are whole numbers.")
            % {"points": bank.number(item.points), "whole": points}
        )
    choices, accepted = [], []
    if item.kind in CHOICE_TYPES:
        for choice in item.choices:
            choice_text = choice.text
            if item.kind != QuestionType.TRUE_FALSE:
                choice_text = bank.plain_text(choice.text, choice.text_format or fmt)
            feedback = bank.plain_text(choice.feedback, fmt)
            if not choice_text:
                refusals.append(_("An answer is empty once its images are taken out."))
            elif len(choice_text) > _CHOICE_MAX:
                refusals.append(
                    _(
                        "The answer «%(answer)s…» has %(length)d characters; an "
                        "answer here holds at most %(max)d."
                    )
                    % {
                        "answer": choice_text[:40],
                        "length": len(choice_text),
                        "max": _CHOICE_MAX,
                    }
                )
            choices.append(
                Choice(
                    text=choice_text,
                    is_correct=choice.is_correct,
                    feedback=feedback,
                    sort_order=len(choices),
                )
            )
    elif item.kind == QuestionType.SHORT_TEXT:
        formats = {c.text: c.text_format for c in item.choices if c.text_format}
        for answer in item.accepted_answers:
            if answer in formats:
                answer = bank.plain_text(answer, formats[answer])
            answer = answer.strip()
            if len(answer) > _ACCEPTED_MAX:
                refusals.append(
                    _(
                        "The accepted answer «%(answer)s…» has %(length)d "
                        "characters; an accepted answer here holds at most %(max)d."
                    )
                    % {
                        "answer": answer[:40],
                        "length": len(answer),
                        "max": _ACCEPTED_MAX,
                    }
                )
            accepted.append(AcceptedAnswer(text=answer, sort_order=len(accepted)))
        if any(choice.feedback for choice in item.choices):
            note(_("The feedback on each accepted answer is not kept."))
        if item.case_sensitive:
            note(
                _(
                    "Moodle told capitals apart in this question; here capitals "
                    "never matter, so an answer typed in other capitals is accepted."
                )
            )
    image = _image_of(item, note, refusals)
    rows, key_parts = bank.procedure_rows(item, fmt)
    if item.kind == QuestionType.GAP_SELECT:
        key_parts["gap_text"] = text
    refusals += [
        str(error)
        for error in answer_key_errors(
            kind=item.kind,
            correct_flags=[choice.is_correct for choice in choices],
            accepted_count=len(accepted),
            has_image=image is not None,
            **key_parts,
        )
    ]
    if item.grader_info:
        note(_("The information for graders is not kept."))
    if item.tags:
        note(_("The tags are not kept: %(tags)s.") % {"tags": ", ".join(item.tags)})
    if refusals:
        return None, refusals
    question = Question(
        kind=item.kind,
        name=" ".join(item.name.split())[:_NAME_MAX],
        text=text,
        explanation=bank.plain_text(item.explanation, fmt),
        points=points,
        # Moodle compares accents as written; so does the bank by default.
        ignore_accents=False,
        unit=item.unit[: Question._meta.get_field("unit").max_length],
    )
    ready = _Ready(row, item.category, question, choices, accepted, image, rows)
    return ready, []


def _image_of(item: ImportedQuestion, note, refusals) -> tuple[str, bytes, str] | None:
    """Return the image the question text shows first, with its alternative
    text, to become the question's image; note every other image, which the bank
    cannot show."""
    files = dict(item.files)
    shown = bank.referenced_images(item.text)
    alts = bank.image_alts(item.text)
    image = None
    for name in shown:
        if name not in files:
            note(
                _("The text shows the image «%(name)s», which the file does not hold.")
                % {"name": name}
            )
        elif image is None:
            if _is_image(files[name]):
                image = (name, files[name], alts.get(name, ""))
            else:
                refusals.append(
                    _("The embedded file «%(name)s» is not an image.") % {"name": name}
                )
        else:
            note(
                _(
                    "Only the first image of a question is kept, under its text; "
                    "«%(name)s» is left out."
                )
                % {"name": name}
            )
    if bank.has_images(item.text) and len(shown) < len(bank.images(item.text)):
        note(_("An image linked from another website is left out."))
    others = [item.explanation, item.grader_info]
    others += [choice.text for choice in item.choices]
    others += [choice.feedback for choice in item.choices]
    if any(bank.has_images(text) for text in others):
        note(_("Images in the answers and the feedback are not kept."))
    unused = [name for name in files if name not in shown]
    if unused and not any(bank.has_images(text) for text in others):
        note(
            _("Embedded files that no text shows are left out: %(names)s.")
            % {"names": ", ".join(unused)}
        )
    return image


@dataclass
class ImportPlan:
    """What importing a file will do, decided before anything is written.

    ``ready`` holds the questions to write, in file order, and is empty when
    ``report.applied`` is false; ``categories`` every category path the file
    declares.
    """

    report: ImportReport
    ready: list[_Ready]
    categories: list[tuple[str, ...]]


def question_bank_plan(
    *,
    source: bytes,
    format: str | None = None,
    filename: str = "",
    all_or_nothing: bool = True,
) -> ImportPlan:
    """Read a GIFT or Moodle XML file and decide what importing it adds.

    Neither reads nor writes the database, so it runs outside any transaction
    and, given the same file, always decides the same. Never raises for what is
    in the file: a file with any problem adds nothing, and the report says
    ``applied`` is false and lists every problem with where it is. Questions of
    a type the bank cannot hold are listed by type and name. A question the bank
    refuses (no right answer, an answer too long...) is listed with its reasons;
    with ``all_or_nothing`` one refusal adds nothing, otherwise the others are
    added. ``format`` is ``interchange.GIFT`` or ``interchange.MOODLE_XML``; when
    None it is guessed from the file name and content.
    """
    format = format or interchange.detect_format(source)
    if format is None:
        report = ImportReport(applied=False)
        report.problems.append(
            ImportProblem(
                _("the file"),
                _(
                    "The file is neither Moodle XML nor GIFT, the formats an import "
                    "reads (a spreadsheet or CSV file, for instance, is not). "
                    "Export the questions from Moodle as Moodle XML or GIFT."
                ),
            )
        )
        return ImportPlan(report=report, ready=[], categories=[])
    parsed = interchange.parse(source, format=format)
    report = ImportReport(format=format, problems=list(parsed.file_problems))
    report.notes = list(parsed.notes)
    for path in parsed.categories:
        for name in path:
            if len(name) > _CATEGORY_MAX:
                report.problems.append(
                    ImportProblem(
                        _("category %(path)s") % {"path": " / ".join(path)},
                        _("A category name has at most %(max)d characters.")
                        % {"max": _CATEGORY_MAX},
                    )
                )
    held = parsed.questions or parsed.unsupported or parsed.rejected or parsed.left_out
    if not held and not report.problems:
        report.problems.append(
            ImportProblem(_("the file"), _("The file holds no question."))
        )
    ready = []
    for item in parsed.questions:
        row = ImportRow(
            where=item.source_ref,
            name=item.name,
            status="not_applied",
            kind=str(QuestionType(item.kind).label),
        )
        report.rows.append(row)

        def note(message, where=item.source_ref):
            report.notes.append(ImportProblem(where, message))

        prepared, refusals = _ready(item, row, note)
        if refusals:
            row.status, row.message = "refused", " ".join(refusals)
        else:
            ready.append(prepared)
    for item in parsed.rejected:
        report.rows.append(
            ImportRow(
                where=item.source_ref,
                name=item.name,
                status="refused",
                message=" ".join(str(problem.message) for problem in item.problems),
            )
        )
    for item in parsed.left_out:
        report.rows.append(
            ImportRow(
                where=item.source_ref,
                name=item.name,
                status="left_out",
                message=item.reason,
            )
        )
    for item in parsed.unsupported:
        report.rows.append(
            ImportRow(
                where=item.source_ref,
                name=item.name,
                status="unsupported",
                kind=interchange.unsupported_label(item.type_name),
                message=_("Questions of this type cannot be held here."),
            )
        )
    if report.problems or (all_or_nothing and report.refused):
        report.applied = False
        ready = []
    elif not ready:
        # Nothing the bank can hold: no category is created either.
        report.applied = False
        report.problems.append(
            ImportProblem(
                _("the file"),
                _(
                    "No question of the file can be added: each is refused, left "
                    "out or of a type the bank cannot hold (see the list). Nothing "
                    "was created."
                ),
            )
        )
    return ImportPlan(report=report, ready=ready, categories=list(parsed.categories))


def question_bank_write(
    *,
    plan: ImportPlan,
    root: QuestionCategory | None = None,
    done: list[str] | tuple = (),
    progress=None,
) -> None:
    """Write the planned questions to the bank, in the file's categories (beneath
    root when given), in batches of ``IMPORT_BATCH``, each a transaction of its own,
    with a pause between two on SQLite so that other writers get the lock.

    ``done`` holds the outcome ("created" or "skipped") of the first questions of
    the plan, written by an earlier run: they are reported as such and not
    written again. ``progress(outcomes)`` is called inside each batch's
    transaction with the outcomes so far, so that what it records commits or
    rolls back with the batch's questions. A question already in its category
    with the same type and text is skipped, so importing a file twice adds
    nothing.
    """
    if not plan.report.applied:
        return
    if len(done) > len(plan.ready):
        raise ValueError("More questions are recorded as written than planned.")
    outcomes = list(done)
    for item, outcome in zip(plan.ready, outcomes, strict=False):
        _row_outcome(item.row, outcome)
    found: dict[tuple[str, ...], QuestionCategory] = {}

    def category(path) -> QuestionCategory:
        path = tuple(path)
        if path not in found:
            found[path] = _category_at(path, root)
        return found[path]

    with transaction.atomic():
        for path in plan.categories:
            category(path)
        for item in plan.ready[len(outcomes) :]:
            category(item.category)
    # What the bank holds already, read once: a per-question query would scan a
    # growing table for each question, and the import would slow as it goes.
    ids = {c.pk for c in found.values()}
    present = set(
        Question.objects.filter(category_id__in=ids).values_list(
            "category_id", "kind", "text"
        )
    )
    for begin in range(len(outcomes), len(plan.ready), IMPORT_BATCH):
        if begin > len(done) and connection.vendor == "sqlite":
            time.sleep(IMPORT_PAUSE)
        with transaction.atomic():
            batch = plan.ready[begin : begin + IMPORT_BATCH]
            outcomes += _questions_store(batch, category, present)
            if progress is not None:
                progress(outcomes)


def _row_outcome(row: ImportRow, outcome: str) -> None:
    row.status = outcome
    if outcome == "skipped":
        row.message = _("A question of the same type and text is there.")


def _question_store(item: _Ready, category: QuestionCategory, present: set) -> str:
    """Prepare one planned question for its category, unless the category holds
    it already (``present``: (category id, kind, text), updated as questions are
    added); store its image; return the outcome. The question itself is
    inserted with its batch."""
    question = item.question
    question.category = category
    key = (category.pk, question.kind, question.text)
    if key in present:
        _row_outcome(item.row, "skipped")
        return "skipped"
    present.add(key)
    if item.image is not None:
        # The file is stored now; the image's row is inserted with the batch.
        name, content, alt = item.image
        image = get_image_model()(title=name, description=alt)
        image.file.save(name, ImageFile(BytesIO(content), name=name), save=False)
        image._set_image_file_metadata()
        question.image = image
    _row_outcome(item.row, "created")
    return "created"


def _questions_store(batch: list[_Ready], category, present: set) -> list[str]:
    """Store a batch of planned questions with a few bulk inserts; return the
    outcome of each."""
    outcomes = [
        _question_store(item, category(item.category), present) for item in batch
    ]
    new = [
        item
        for item, outcome in zip(batch, outcomes, strict=True)
        if outcome == "created"
    ]
    images = [item.question.image for item in new if item.question.image]
    get_image_model().objects.bulk_create(images)
    questions = Question.objects.bulk_create([item.question for item in new])
    choices, accepted = [], []
    for item, question in zip(new, questions, strict=True):
        for row in item.choices:
            row.question = question
            choices.append(row)
        for row in item.accepted:
            row.question = question
            accepted.append(row)
    Choice.objects.bulk_create(choices)
    AcceptedAnswer.objects.bulk_create(accepted)
    # A procedure question's rows (steps, pairs, gap words, numbers, regions),
    # by their model.
    procedure_rows: dict[type, list] = {}
    for item, question in zip(new, questions, strict=True):
        for _relation, row in item.rows:
            row.question = question
            procedure_rows.setdefault(type(row), []).append(row)
    for model, rows in procedure_rows.items():
        model.objects.bulk_create(rows)
    # bulk_create sends no post_save: the search index is told here.
    for backend in get_search_backends(with_auto_update=True):
        if questions:
            backend.add_bulk(Question, questions)
        if images:
            backend.add_bulk(get_image_model(), images)
    return outcomes


def question_bank_import(
    *,
    source: bytes,
    format: str | None = None,
    filename: str = "",
    root: QuestionCategory | None = None,
    all_or_nothing: bool = True,
) -> ImportReport:
    """Add the questions of a GIFT or Moodle XML file to the bank, in the file's
    categories (beneath root when given), and return what was done.

    Everything is decided first (``question_bank_plan``: a file with problems,
    or a refused question under ``all_or_nothing``, adds nothing), then written
    in short batches (``question_bank_write``). Should the writing stop half-way
    (the database gone), importing the file again adds the rest: the questions
    already there are skipped.
    """
    plan = question_bank_plan(
        source=source, format=format, filename=filename, all_or_nothing=all_or_nothing
    )
    question_bank_write(plan=plan, root=root)
    return plan.report


def question_bank_export(*, categories=None) -> bytes:
    """Return the bank's questions as a Moodle XML file, or only those of the
    given categories and their sub-categories."""
    paths = bank.category_paths()
    questions = Question.objects.select_related("image").prefetch_related(
        "choices",
        "accepted_answers",
        "steps",
        "pairs",
        "gap_words",
        "numbers",
        "regions",
    )
    if categories is not None:
        ids = QuestionCategory.subtree_ids(category.pk for category in categories)
        questions = questions.filter(category_id__in=ids)
        paths = {pk: path for pk, path in paths.items() if pk in ids}
    items = sorted(
        (
            bank.imported_from_question(question, paths[question.category_id])
            for question in questions
        ),
        key=lambda item: item.category,
    )
    return interchange.to_moodle_xml(items, categories=sorted(paths.values()))
