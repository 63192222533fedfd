"""A class and its learners, for the class report: sessions attended and the
latest certificate of each member."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    Count,
)

from certificates.models import Certificate
from classes.models import ATTENDED, Attendance, ClassMembership, TrainingClass
from classes.scopes import learners_visible_to

from .filters import ReportFilters


@dataclass
class LearnerRow:
    user: object
    attended: int  # sessions attended (present or late) in the period
    certificate: Certificate | None  # the latest certificate in the class's courses
    certificate_status: str = ""


def class_learners(*, training_class: TrainingClass, filters: ReportFilters, viewer):
    """Return the class's learners the viewer may see (``classes.scopes``), with the
    sessions each attended in the period and their latest certificate in the
    class's courses (any status), in roll order; an empty list for a viewer who
    may not see learners."""
    from users.names import roll_order_key

    visible = learners_visible_to(viewer)
    members = list(
        ClassMembership.objects.filter(
            training_class=training_class, user__in=visible
        ).select_related("user")
    )
    if not members:
        return []
    user_ids = [m.user_id for m in members]
    start, end = filters.bounds
    attended = dict(
        Attendance.objects.filter(
            session__training_class=training_class,
            status__in=ATTENDED,
            session__starts_at__gte=start,
            session__starts_at__lt=end,
            user_id__in=user_ids,
        )
        .order_by()
        .values("user_id")
        .annotate(n=Count("pk"))
        .values_list("user_id", "n")
    )
    certificates = Certificate.objects.filter(
        user_id__in=user_ids,
        course__in=training_class.courses.all(),
        issued_at__lt=end,
    )
    if filters.course is not None:
        certificates = certificates.filter(course=filters.course)
    latest: dict[int, Certificate] = {}
    for certificate in certificates.select_related("course").order_by("issued_at"):
        latest[certificate.user_id] = certificate
    rows = []
    for member in members:
        certificate = latest.get(member.user_id)
        rows.append(
            LearnerRow(
                user=member.user,
                attended=attended.get(member.user_id, 0),
                certificate=certificate,
                certificate_status=certificate.status_at(end) if certificate else "",
            )
        )
    rows.sort(key=lambda row: roll_order_key(row.user.full_name))
    return rows
