"""Coverage targets (chỉ tiêu) for the demo province, so its dashboard shows
coverage against something: the province's own campaign target, and small
targets for the demo commune and its neighbours, where the demo people live."""

import datetime

from django.utils import timezone

from courses.models import CoursePage
from regions.models import Region
from reports.models import ALL_KINDS, Target
from reports.services import target_set
from users.models import LearnerKind

from .classes import _neighbours, _province

# The campaign the demo targets are due at the end of: 92 days from today's
# quarter start, as provinces plan them.
CAMPAIGN_DAYS = 92
PROVINCE_PEOPLE = 1500
# The demo commune's and its neighbours' targets for everyone, in that order:
# small enough that the few demo learners show as a real share of them.
COMMUNE_PEOPLE = [10, 8, 6, 5]
COMMUNE_STUDENTS = 12


def _due_on() -> datetime.date:
    today = timezone.localdate()
    quarter_start = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    return quarter_start + datetime.timedelta(days=CAMPAIGN_DAYS - 1)


def _set(region: Region, kind: str, course, people: int, due_on, summary) -> None:
    exists = Target.objects.filter(
        region=region, kind=kind, course=course, due_on=due_on
    ).exists()
    if exists:
        return
    target_set(region=region, kind=kind, course=course, due_on=due_on, people=people)
    summary.add("coverage targets")


def load_targets(commune: Region, courses: dict[str, CoursePage], summary) -> None:
    """Set the demo province's targets once; a second run changes nothing."""
    due_on = _due_on()
    province = _province(commune)
    _set(province, ALL_KINDS, None, PROVINCE_PEOPLE, due_on, summary)
    communes = [commune]
    for neighbour in _neighbours(commune):
        if neighbour not in communes:
            communes.append(neighbour)
    for region, people in zip(communes, COMMUNE_PEOPLE, strict=False):
        _set(region, ALL_KINDS, None, people, due_on, summary)
    first_course = next(iter(courses.values()), None)
    if first_course is not None:
        _set(
            commune,
            LearnerKind.STUDENT,
            first_course,
            COMMUNE_STUDENTS,
            due_on,
            summary,
        )
