"""What a course's completion rule asks beyond its lessons.

The apps that build on courses fill this registry from their
``AppConfig.ready()``: quizzes says what "the final quiz passed" means for
``CompletionRule.LESSONS_AND_QUIZ``. courses asks the registry and imports none
of them. A rule whose requirement nobody registered is never met, so a missing
app cannot complete a course by accident.

The same apps say what a learner does once the lessons are done
(``next_step_register``): quizzes offers the course's final quiz, so the course
page, the last lesson and "Học tập của tôi" lead there. And what a completed
course brought (``outcome_register``): certificates says whether its
certificate was issued, or what it still waits for, so the final quiz's result
says it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wagtail.models import Page

    from .models import Enrolment

# {completion rule: check(enrolment) -> bool}, beyond every lesson done.
_requirements: dict[str, Callable[[Enrolment], bool]] = {}


def requirement_register(rule: str, check: Callable[[Enrolment], bool]) -> None:
    """Say what the rule asks beyond the lessons (replacing an earlier check)."""
    _requirements[rule] = check


def requirement_met(rule: str, enrolment: Enrolment) -> bool:
    """Whether the enrolment meets what the rule asks beyond its lessons."""
    from .models import CompletionRule

    if rule == CompletionRule.ALL_LESSONS:
        return True
    check = _requirements.get(rule)
    return check is not None and check(enrolment)


@dataclass(frozen=True)
class NextStep:
    """What a learner does once every lesson of a course is done."""

    url: str
    # The button that takes them there ("Làm bài kiểm tra cuối khóa").
    label: str
    # What is left, said as a sentence ("Còn bài kiểm tra cuối khóa.").
    remaining: str


# provider(course page) -> the step after the lessons, or None.
_next_step_providers: list[Callable[[Page], NextStep | None]] = []


def next_step_register(provider: Callable[[Page], NextStep | None]) -> None:
    """Say what comes after a course's lessons (the final quiz, for quizzes)."""
    if provider not in _next_step_providers:
        _next_step_providers.append(provider)


def next_step_after_lessons(course: Page) -> NextStep | None:
    """Return the first step a registered app offers after the course's lessons."""
    for provider in _next_step_providers:
        step = provider(course)
        if step is not None:
            return step
    return None


@dataclass(frozen=True)
class Outcome:
    """What completing a course brought the learner, said on the page where
    they complete it."""

    text: str
    url: str = ""
    label: str = ""


# provider(completed enrolment) -> what it brought, or None.
_outcome_providers: list[Callable[[Enrolment], Outcome | None]] = []


def outcome_register(provider: Callable[[Enrolment], Outcome | None]) -> None:
    """Say what a completed course brings (its certificate, for certificates)."""
    if provider not in _outcome_providers:
        _outcome_providers.append(provider)


def outcomes_of(enrolment: Enrolment) -> list[Outcome]:
    """Return what the registered apps say the completed enrolment brought."""
    if enrolment.completed_at is None:
        return []
    outcomes = (provider(enrolment) for provider in _outcome_providers)
    return [outcome for outcome in outcomes if outcome is not None]
