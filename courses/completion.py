"""What a course's completion rule asks beyond its lessons.

The apps that build on courses fill this registry from their
``AppConfig.ready()``: quizzes says what "the final quiz passed" means for
``CompletionRule.LESSONS_AND_QUIZ``. courses asks the registry and imports none
of them. A rule whose requirement nobody registered is never met, so a missing
app cannot complete a course by accident.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
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
