"""Unusual attempts ("bất thường"), listed for a person to review: a shared answer
key, or one person sitting for many, leaves traces that no single attempt shows.

For the learners of one class, three signs are looked for, quiz by quiz:

- a perfect score in far less time than the class usually takes (at most
  ``FAST_SHARE`` of the median time of the quiz's submitted attempts in the class,
  once at least ``MIN_ATTEMPTS`` attempts give a median);
- the same wrong answers (at least ``MIN_SHARED_WRONG`` of them, the same choices
  or the same written text) in the attempts of different learners;
- attempts of ``MIN_PEOPLE_PER_DEVICE`` learners or more from one device, or of
  ``MIN_PEOPLE_PER_ADDRESS`` or more from one network address (a commune hall's
  Wi-Fi is shared by a whole class, hence the higher count).

Nothing is decided here: the list is what a teacher or official reviews, and no
attempt's result is changed by it. Devices and addresses are not recorded as
such: an attempt keeps a keyed hash of each (``client_hashes``), enough to tell
that two attempts came from the same one, and nothing that gives it back.
"""

import hashlib
import hmac
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from core.net import client_ip

from .models import AnswerLog, AttemptState, QuizAttempt

FAST_SHARE = 0.3
MIN_ATTEMPTS = 3
MIN_SHARED_WRONG = 2
MIN_PEOPLE_PER_DEVICE = 3
MIN_PEOPLE_PER_ADDRESS = 5

FAST = "fast"
SAME_WRONG = "same_wrong"
SAME_DEVICE = "same_device"
SAME_ADDRESS = "same_address"


def _keyed(kind: str, value: str) -> str:
    if not value:
        return ""
    key = hashlib.sha256(f"quizzes.integrity:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()[:16]


def client_hashes(request) -> tuple[str, str]:
    """Return (address hash, device hash) of the request: the client's address,
    and its address with its browser's signature, each hashed with a key of the
    site's (never stored in the clear)."""
    address = client_ip(request)
    agent = request.META.get("HTTP_USER_AGENT", "")
    return _keyed("address", address), _keyed("device", f"{address}|{agent}")


@dataclass
class UnusualGroup:
    """Attempts of one quiz that look unusual together, and why."""

    sign: str  # FAST, SAME_WRONG, SAME_DEVICE or SAME_ADDRESS
    quiz_title: str
    reason: str
    attempts: list[QuizAttempt] = field(default_factory=list)

    @property
    def people(self) -> list:
        return list(
            {attempt.user_id: attempt.user for attempt in self.attempts}.values()
        )

    @property
    def latest(self):
        """When the group's latest attempt was submitted."""
        return max(attempt.submitted_at for attempt in self.attempts)


def unusual_attempts(*, user_ids) -> list[UnusualGroup]:
    """Return the unusual attempts among the submitted attempts of these learners
    (the members of a class), grouped by quiz and sign."""
    return unusual_attempts_by_class(members={None: user_ids})[None]


def unusual_attempts_by_class(*, members: dict) -> dict[object, list[UnusualGroup]]:
    """Return, for each class of ``members`` (class id: its members' ids), the
    unusual attempts among its members' submitted attempts, grouped by quiz and
    sign, the group with the latest attempt first. Two queries whatever the
    number of classes and attempts: the signs are looked for class by class."""
    everyone = {user_id for ids in members.values() for user_id in ids}
    attempts = list(
        QuizAttempt.objects.filter(user_id__in=everyone)
        .exclude(state=AttemptState.IN_PROGRESS)
        .exclude(submitted_at=None)
        .select_related("user", "quiz")
        .order_by("quiz_id", "submitted_at", "pk")
    )
    wrong = _wrong_answers([attempt.pk for attempt in attempts]) if attempts else {}
    found = {}
    for class_id, ids in members.items():
        ids = set(ids)
        by_quiz = defaultdict(list)
        for attempt in attempts:
            if attempt.user_id in ids:
                by_quiz[attempt.quiz_id].append(attempt)
        groups = []
        for quiz_attempts in by_quiz.values():
            title = quiz_attempts[0].quiz.title
            groups += _fast(quiz_attempts, title)
            groups += _same_wrong(quiz_attempts, title, wrong)
            groups += _shared(quiz_attempts, title, "device_hash", SAME_DEVICE)
            groups += _shared(quiz_attempts, title, "address_hash", SAME_ADDRESS)
        groups.sort(key=lambda group: group.latest, reverse=True)
        found[class_id] = groups
    return found


def _seconds(attempt: QuizAttempt) -> float:
    return (attempt.submitted_at - attempt.started_at).total_seconds()


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:.1f}".replace(".", ",")


def _fast(attempts, title) -> list[UnusualGroup]:
    if len(attempts) < MIN_ATTEMPTS:
        return []
    median = statistics.median(_seconds(attempt) for attempt in attempts)
    fast = [
        attempt
        for attempt in attempts
        if attempt.score is not None
        and attempt.score >= 100
        and _seconds(attempt) <= FAST_SHARE * median
    ]
    return [
        UnusualGroup(
            FAST,
            title,
            _(
                "A perfect score in %(minutes)s minutes, where the class's median "
                "is %(median)s minutes."
            )
            % {"minutes": _minutes(_seconds(attempt)), "median": _minutes(median)},
            [attempt],
        )
        for attempt in fast
    ]


def _wrong_answers(attempt_ids) -> dict[int, frozenset]:
    """Return each attempt's wrong answers as a set of (question, answer given)."""
    wrong = defaultdict(set)
    answers = AnswerLog.objects.filter(
        attempt_id__in=attempt_ids, is_correct=False
    ).values_list("attempt_id", "question_id", "choice_ids", "text")
    for attempt_id, question_id, choice_ids, text in answers:
        given = tuple(sorted(choice_ids or ())) or " ".join(text.lower().split())
        wrong[attempt_id].add((question_id, given))
    return {pk: frozenset(items) for pk, items in wrong.items()}


def _same_wrong(attempts, title, wrong) -> list[UnusualGroup]:
    by_pattern = defaultdict(list)
    for attempt in attempts:
        pattern = wrong.get(attempt.pk, frozenset())
        if len(pattern) >= MIN_SHARED_WRONG:
            by_pattern[pattern].append(attempt)
    groups = []
    for pattern, group in by_pattern.items():
        if len({attempt.user_id for attempt in group}) >= 2:
            groups.append(
                UnusualGroup(
                    SAME_WRONG,
                    title,
                    _("%(people)d learners gave the same %(count)d wrong answers.")
                    % {
                        "people": len({a.user_id for a in group}),
                        "count": len(pattern),
                    },
                    group,
                )
            )
    return groups


def _shared(attempts, title, field_name, sign) -> list[UnusualGroup]:
    least = MIN_PEOPLE_PER_DEVICE if sign == SAME_DEVICE else MIN_PEOPLE_PER_ADDRESS
    by_value = defaultdict(list)
    for attempt in attempts:
        value = getattr(attempt, field_name)
        if value:
            by_value[value].append(attempt)
    groups = []
    for group in by_value.values():
        people = len({attempt.user_id for attempt in group})
        if people >= least:
            if sign == SAME_DEVICE:
                reason = _("%(people)d learners' attempts came from one device.")
            else:
                reason = _(
                    "%(people)d learners' attempts came from one network address."
                )
            groups.append(UnusualGroup(sign, title, reason % {"people": people}, group))
    return groups
