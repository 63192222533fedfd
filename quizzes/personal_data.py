"""A person's quiz attempts and answers, for their data download, and the free
text they wrote, erased with their account (users.personal_data).

Scores and results stay: they say whether a course was completed, which the
reports count. Whether an answer was right is given only when the attempt is
finished and its quiz shows answers at all, so the download is no answer key.
"""

from django.utils.translation import gettext_lazy as _

from users.personal_data import Section, register

from . import procedures
from .models import (
    GAP_PATTERN,
    PROCEDURE_TYPES,
    AnswerLog,
    AttemptState,
    Choice,
    QuizAttempt,
    ShowAnswers,
)


def _attempts(user) -> list[dict]:
    return [
        {
            "quiz": attempt.quiz.title,
            "number": attempt.number,
            "state": attempt.get_state_display(),
            "started_at": attempt.started_at,
            "submitted_at": attempt.submitted_at,
            "score": attempt.score,
            "pass_mark": attempt.pass_mark,
            "passed": attempt.passed,
        }
        for attempt in QuizAttempt.objects.filter(user=user)
        .select_related("quiz")
        .order_by("started_at", "pk")
    ]


def _shows_answers(attempt: QuizAttempt) -> bool:
    return (
        attempt.state == AttemptState.FINISHED
        and attempt.snapshot.get("show_answers") != ShowAnswers.NEVER
    )


def _answers(user) -> list[dict]:
    answers = list(
        AnswerLog.objects.filter(attempt__user=user)
        .select_related("attempt__quiz", "question")
        .order_by("attempt__started_at", "attempt__pk", "answered_at", "pk")
    )
    items = {
        answer.pk: answer.attempt.snapshot_item(answer.question_id) or {}
        for answer in answers
    }
    procedure = {
        pk for pk, item in items.items() if item.get("kind") in PROCEDURE_TYPES
    }
    chosen = {
        choice_id
        for answer in answers
        if answer.pk not in procedure
        for choice_id in answer.choice_ids
    }
    choices = dict(Choice.objects.filter(pk__in=chosen).values_list("pk", "text"))
    # The rows of ordering, matching, missing-words and hotspot answers.
    rows_of = procedures.rows_for([items[pk] for pk in procedure])
    rows = []
    for answer in answers:
        shown = _shows_answers(answer.attempt)
        if answer.pk in procedure:
            # The learner's own order, pairs, words or region; a tap stays the
            # place tapped, in "text", since naming what lies there could hint
            # at the regions of an unfinished attempt.
            given = procedures.answer_text(
                items[answer.pk], choice_ids=answer.choice_ids, text="", rows=rows_of
            )
            texts = [given] if given and answer.choice_ids else []
        else:
            texts = [choices[pk] for pk in answer.choice_ids if pk in choices]
        rows.append(
            {
                "quiz": answer.attempt.quiz.title,
                "attempt": answer.attempt.number,
                # As the learner saw it: a gap's [[n]] names the word that
                # fills it, in the editor's list.
                "question": GAP_PATTERN.sub("___", answer.question.text),
                "choices": texts,
                "text": answer.text,
                "answered_at": answer.answered_at,
                "correct": answer.is_correct if shown else None,
                "marker_comment": answer.marker_comment,
            }
        )
    return rows


def _erase_answers(user) -> None:
    """Remove what the person wrote (essays, short answers) and what a marker
    wrote about it; scores stay."""
    AnswerLog.objects.filter(attempt__user=user).exclude(
        text="", marker_comment=""
    ).update(text="", marker_comment="")


register(
    Section(
        name="quiz_attempts",
        title=_("Quiz attempts"),
        columns=[
            ("quiz", _("Quiz")),
            ("number", _("Attempt")),
            ("state", _("State")),
            ("started_at", _("Started on")),
            ("submitted_at", _("Submitted on")),
            ("score", _("Score (%)")),
            ("pass_mark", _("Pass mark (%)")),
            ("passed", _("Passed")),
        ],
        rows=_attempts,
    )
)
register(
    Section(
        name="quiz_answers",
        title=_("Quiz answers"),
        columns=[
            ("quiz", _("Quiz")),
            ("attempt", _("Attempt")),
            ("question", _("Question")),
            ("choices", _("Chosen answers")),
            ("text", _("Written answer")),
            ("answered_at", _("Answered on")),
            ("correct", _("Correct")),
            ("marker_comment", _("Marker's comment")),
        ],
        rows=_answers,
        erase=_erase_answers,
    )
)
