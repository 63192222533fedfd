"""Who gets which page: every route of the site that shows or changes people's
data, for every role, over two sibling communes.

Each row names a route, what is sent, and the answer each role gets; a role not
named gets the row's default. Signed-in people outside a row's scope get a 404
(its existence does not leak), people who may see but not change get a 403, and
visitors are sent to log in. ``test_every_route_is_in_the_matrix`` fails when a
route is added without a row here, so the matrix grows with the site.

Run ``MATRIX_PROBE=1 pytest tests/security/test_matrix.py -s`` to print the
answers the site gives now, to review them before writing a row.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass, field
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from certificates.models import CertificateBatch
from certificates.tests.factories import merit_certificate
from classes.models import ClassInvitation, RosterImport
from classes.tests.factories import ClassSessionFactory
from core.groups import EDITORS
from courses.tests.factories import LessonPageFactory
from outreach.models import Campaign
from outreach.tests.factories import HelpRecordFactory
from reports.models import CampaignCard, CampaignReport, Target
from users.tests.factories import UserFactory

from .conftest import certificate

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "learner_a",
    "learner_b",
    "teacher_a",
    "teacher_b",
    "official_a",
    "official_b",
    "province_official",
    "editor",
    "superuser",
]
OFFICIALS_OF_A = {"official_a": 200, "province_official": 200, "superuser": 200}
# Anonymous visitors of a page that needs a login are sent to log in.
LOGIN = "login"


@dataclass
class Row:
    name: str  # the route's name, as reverse() takes it
    url: str
    method: str = "GET"
    data: dict = field(default_factory=dict)
    answers: dict = field(default_factory=dict)  # role: status
    default: int = 404  # for signed-in roles not named
    anonymous: int | str = LOGIN


def _batch(klass, course, teacher):
    batch = CertificateBatch.objects.create(
        course=course,
        training_class=klass,
        created_by=teacher,
        status=CertificateBatch.Status.DONE,
    )
    batch.zip_file.save("a.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18))
    batch.print_file.save("a.pdf", ContentFile(b"%PDF-1.7 print"))
    return batch


@pytest.fixture
def users(world):
    editor = UserFactory(full_name="Biên tập viên", is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITORS))
    return {
        "anonymous": None,
        "learner_a": world.a.learner,
        "learner_b": world.b.learner,
        "teacher_a": world.a.teacher,
        "teacher_b": world.b.teacher,
        "official_a": world.a.official,
        "official_b": world.b.official,
        "province_official": world.province_official,
        "editor": editor,
        "superuser": UserFactory(is_superuser=True, is_staff=True),
    }


def rows(world) -> list[Row]:
    a, b = world.a, world.b
    klass = a.training_class
    session = ClassSessionFactory(training_class=klass)
    roster = RosterImport.objects.create(
        training_class=klass, uploaded_by=a.teacher, file_name="ds.csv", rows=[]
    )
    cert_a = certificate(a.learner, world.course, a.region)
    cert_b = certificate(b.learner, world.course, b.region)
    batch = _batch(klass, world.course, a.teacher)
    # A giấy khen commune A's teacher awarded to their learner.
    merit_a = merit_certificate(user=a.learner, region=a.region, awarded_by=a.teacher)
    invitation = ClassInvitation.objects.create(
        training_class=klass, user=b.learner, invited_by=a.teacher, source="roster"
    )
    target = Target.objects.create(
        region=a.region, due_on=datetime.date(2026, 12, 31), people=100
    )

    help_a = HelpRecordFactory(helper=a.learner, region=a.region)
    campaign_a = Campaign.objects.create(
        name="Chiến dịch",
        region=a.region,
        starts_on=datetime.date(2026, 9, 1),
        ends_on=datetime.date(2026, 12, 1),
    )

    report_a = CampaignReport.objects.create(
        campaign=campaign_a,
        week_start=datetime.date(2026, 9, 7),
        period_end=datetime.date(2026, 9, 13),
    )
    report_a.pdf.save("tuan.pdf", ContentFile(b"%PDF-1.7 week"))
    card_a = CampaignCard(report=report_a, region=a.region, rank=0)
    card_a.image.save("the.png", ContentFile(b"\x89PNG\r\n\x1a\n"))

    teachers_of_a = {"teacher_a": 200, "superuser": 200}
    readers_of_a = {**teachers_of_a, "official_a": 200, "province_official": 200}
    managers_of_a = {**teachers_of_a, "official_a": 403, "province_official": 403}
    officials = {
        "official_a": 200,
        "official_b": 200,
        "province_official": 200,
        "superuser": 200,
    }
    k, s = klass.pk, session.pk
    lesson = LessonPageFactory(parent=world.course, title="Đăng ký khai sinh")
    page_editors = {"editor": 200, "superuser": 200}

    # fmt: off
    return [
        # Classes.
        Row("classes:list", reverse("classes:list"), default=200),
        Row("classes:create", reverse("classes:create"), default=403,
            answers={"teacher_a": 200, "teacher_b": 200, "superuser": 200}),
        Row("classes:invitations", reverse("classes:invitations"), default=200),
        Row("classes:invitation_answer",
            reverse("classes:invitation_answer", args=[invitation.pk]),
            method="POST", data={"answer": "decline"}, answers={"learner_b": 302}),
        Row("classes:detail", reverse("classes:detail", args=[k]),
            answers=readers_of_a),
        Row("classes:progress_export", reverse("classes:progress_export", args=[k]),
            answers=readers_of_a),
        Row("classes:roster_upload", reverse("classes:roster_upload", args=[k]),
            answers=managers_of_a),
        Row("classes:roster_template", reverse("classes:roster_template", args=[k]),
            answers=managers_of_a),
        Row("classes:roster_preview",
            reverse("classes:roster_preview", args=[k, roster.pk]),
            answers=managers_of_a),
        Row("classes:session_create", reverse("classes:session_create", args=[k]),
            answers=managers_of_a),
        # Login cards: the class's teachers and the officials over its unit.
        Row("classes:login_cards", reverse("classes:login_cards", args=[k]),
            method="POST", answers=readers_of_a),
        Row("classes:login_card_reissue",
            reverse("classes:login_card_reissue", args=[k, a.light.pk]),
            method="POST", answers=readers_of_a),
        Row("classes:session", reverse("classes:session", args=[s]),
            answers=readers_of_a),
        Row("classes:attendance_mark",
            reverse("classes:attendance_mark", args=[s, a.learner.pk]),
            method="POST", data={"status": "present"},
            answers={**managers_of_a, "teacher_a": 302, "superuser": 302}),
        Row("classes:walk_in", reverse("classes:walk_in", args=[s]), method="POST",
            data={"full_name": "Bà Năm", "phone": ""},
            answers={**managers_of_a, "teacher_a": 302, "superuser": 302}),
        Row("classes:checkin_screen", reverse("classes:checkin_screen", args=[s]),
            answers=managers_of_a),
        # Visitors are asked to log in on the page itself.
        Row("classes:check_in", reverse("classes:check_in", args=[s]) + "?ma=0",
            answers={"learner_a": 200, **teachers_of_a}, anonymous=200),
        Row("class_join", reverse("class_join"), default=200, anonymous=200),
        # Certificates: a teacher sees those of the class's course by its
        # members; an official those recorded in their unit; editors may revoke.
        Row("certificates:mine", reverse("certificates:mine"), default=200),
        Row("certificates:pdf", reverse("certificates:pdf", args=[cert_a.pk]),
            answers={"learner_a": 200, **readers_of_a}),
        Row("certificates:pdf", reverse("certificates:pdf", args=[cert_b.pk]),
            answers={"learner_b": 200, "teacher_b": 200, "official_b": 200,
                     "province_official": 200, "superuser": 200}),
        # The Open Badges credential is the holder's alone.
        Row("certificates:credential",
            reverse("certificates:credential", args=[cert_a.pk]),
            answers={"learner_a": 200}),
        Row("certificates:credential",
            reverse("certificates:credential", args=[cert_b.pk]),
            answers={"learner_b": 200}),
        Row("certificates:revoke", reverse("certificates:revoke", args=[cert_a.pk]),
            answers={"learner_a": 403, "teacher_a": 403, "editor": 200,
                     "official_a": 200, "province_official": 200,
                     "superuser": 200}),
        # A certificate of merit: its holder, whoever awarded it and the
        # officials over its unit see it; all but the holder may revoke it, as
        # may an editor.
        Row("certificates:merit_pdf",
            reverse("certificates:merit_pdf", args=[merit_a.pk]),
            answers={"learner_a": 200, **readers_of_a}),
        Row("certificates:merit_revoke",
            reverse("certificates:merit_revoke", args=[merit_a.pk]),
            answers={"learner_a": 403, **readers_of_a, "editor": 200}),
        # Only one's own enrolment can be redone (none is, here).
        Row("certificates:redo",
            reverse("certificates:redo", args=[world.course.pk]), method="POST"),
        Row("certificates:verify", reverse("certificates:verify"), default=200,
            anonymous=200),
        Row("certificates:verify_token",
            reverse("certificates:verify_token", args=[cert_a.token]),
            default=200, anonymous=200),
        # The issuer's public key and revocation lists, for any verifier.
        Row("certificates:did", reverse("certificates:did"), default=200,
            anonymous=200),
        Row("certificates:jwks", reverse("certificates:jwks"), default=200,
            anonymous=200),
        Row("certificates:status_list",
            reverse("certificates:status_list", args=[0]), default=200,
            anonymous=200),
        Row("certificates:bulk_class",
            reverse("certificates:bulk_class", args=[k]), answers=managers_of_a),
        Row("certificates:bulk_unit", reverse("certificates:bulk_unit"),
            answers=officials),
        Row("certificates:bulk_batch",
            reverse("certificates:bulk_batch", args=[batch.pk]), answers=readers_of_a),
        Row("certificates:bulk_zip",
            reverse("certificates:bulk_zip", args=[batch.pk]), answers=readers_of_a),
        Row("certificates:bulk_print",
            reverse("certificates:bulk_print", args=[batch.pk]), answers=readers_of_a),
        Row("certificates:bulk_resume",
            reverse("certificates:bulk_resume", args=[batch.pk]), method="POST",
            answers={**managers_of_a, "teacher_a": 302, "superuser": 302}),
        # Reports.
        Row("reports:index", reverse("reports:index"),
            answers={"official_a": 302, "official_b": 302,
                     "province_official": 302, "superuser": 200}),
        Row("reports:unit", reverse("reports:unit", args=[a.region.pk]),
            answers=OFFICIALS_OF_A),
        Row("reports:class", reverse("reports:class", args=[k]),
            answers=OFFICIALS_OF_A),
        Row("reports:targets", reverse("reports:targets"), answers=officials),
        Row("reports:target_delete",
            reverse("reports:target_delete", args=[target.pk]), method="POST",
            answers={"official_a": 302, "province_official": 302, "superuser": 302}),
        Row("reports:export_xlsx",
            reverse("reports:export_xlsx", args=[a.region.pk]), answers=OFFICIALS_OF_A),
        Row("reports:export_csv",
            reverse("reports:export_csv", args=[a.region.pk]), answers=OFFICIALS_OF_A),
        Row("reports:export_pdf",
            reverse("reports:export_pdf", args=[a.region.pk]), answers=OFFICIALS_OF_A),
        Row("reports:targets_import", reverse("reports:targets_import"),
            answers=officials),
        Row("reports:targets_template", reverse("reports:targets_template"),
            answers=officials),
        # Outcomes: aggregates of the units under the official, and the
        # one-stop-shop figures they enter for them.
        Row("reports:outcomes", reverse("reports:outcomes"), answers=officials),
        Row("reports:outcomes_import", reverse("reports:outcomes_import"),
            answers=officials),
        Row("reports:outcomes_template", reverse("reports:outcomes_template"),
            answers=officials),
        Row("reports:outcomes_unit",
            reverse("reports:outcomes_unit", args=[a.region.pk]),
            answers=OFFICIALS_OF_A),
        Row("reports:outcomes_xlsx",
            reverse("reports:outcomes_xlsx", args=[a.region.pk]),
            answers=OFFICIALS_OF_A),
        Row("reports:outcomes_csv",
            reverse("reports:outcomes_csv", args=[a.region.pk]),
            answers=OFFICIALS_OF_A),
        Row("reports:outcomes_pdf",
            reverse("reports:outcomes_pdf", args=[a.region.pk]),
            answers=OFFICIALS_OF_A),
        Row("reports:campaign", reverse("reports:campaign", args=[campaign_a.pk]),
            answers={"official_a": 302, "province_official": 302,
                     "superuser": 302}),
        Row("reports:campaign_reports",
            reverse("reports:campaign_reports", args=[campaign_a.pk]),
            answers=OFFICIALS_OF_A),
        Row("reports:campaign_report_pdf",
            reverse("reports:campaign_report_pdf", args=[report_a.pk]),
            answers=OFFICIALS_OF_A),
        Row("reports:campaign_card",
            reverse("reports:campaign_card", args=[card_a.pk]),
            answers=OFFICIALS_OF_A),
        Row("coverage_api:unit_outcomes",
            reverse("coverage_api:unit_outcomes", args=[a.region.path]),
            answers=OFFICIALS_OF_A, anonymous=401),
        # Everyone signed in is told the units they may start at: none for
        # people who are no official.
        Row("coverage_api:index", reverse("coverage_api:index"), default=200,
            anonymous=401),
        Row("coverage_api:unit", reverse("coverage_api:unit", args=[a.region.path]),
            answers=OFFICIALS_OF_A, anonymous=401),
        # Helped people: a helper their own records, a teacher their students';
        # officials aggregates only (rankings, campaigns), never a record.
        Row("outreach:list", reverse("outreach:list"), default=200),
        Row("outreach:create", reverse("outreach:create"), default=403,
            answers={"learner_a": 200, "learner_b": 200}),
        Row("outreach:detail", reverse("outreach:detail", args=[help_a.pk]),
            answers={"learner_a": 200, **teachers_of_a}),
        # The helped person's link: anyone with it, no account needed.
        Row("outreach_confirm",
            reverse("outreach_confirm", args=[help_a.confirm_token]),
            default=200, anonymous=200),
        Row("outreach:review_list", reverse("outreach:review_list"), default=200),
        Row("outreach:review", reverse("outreach:review", args=[help_a.pk]),
            method="POST", data={"action": "confirm"},
            answers={"teacher_a": 302, "superuser": 302}),
        Row("outreach:recognition", reverse("outreach:recognition"), default=403,
            answers={**officials, "teacher_a": 200, "teacher_b": 200}),
        # Awarding a giấy khen: whoever sees a ranking, for the helpers in it.
        Row("outreach:merit_award", reverse("outreach:merit_award"), default=403,
            answers={**officials, "teacher_a": 200, "teacher_b": 200}),
        Row("outreach:campaign_list", reverse("outreach:campaign_list"),
            default=403, answers=officials),
        Row("outreach:campaign_create", reverse("outreach:campaign_create"),
            default=403, answers=officials),
        Row("outreach:campaign_edit",
            reverse("outreach:campaign_edit", args=[campaign_a.pk]), default=403,
            answers={**OFFICIALS_OF_A, "official_b": 404}),
        # Learning.
        Row("courses:my_learning", reverse("courses:my_learning"), default=200),
        # A lesson's short address, printed under its QR codes: open to all.
        Row("lesson_short", reverse("lesson_short", args=[lesson.pk]), default=302,
            anonymous=302),
        # Lessons on paper, in the admin: PDFs only for those who may edit pages
        # (rendering costs CPU); everyone else is sent to the admin's login.
        Row("courses_lesson_leaflet",
            reverse("courses_lesson_leaflet", args=[lesson.pk]), default=302,
            answers=page_editors),
        Row("courses_qr_poster", reverse("courses_qr_poster"), default=302,
            answers=page_editors),
        Row("courses_qr_poster", reverse("courses_qr_poster"), method="POST",
            data={"title": "Áp phích", "lessons": [lesson.pk]}, default=302,
            answers=page_editors),
        # What the service worker keeps: each person's own courses; a visitor
        # is told to keep nothing. The pages on reading offline are for all.
        Row("courses:offline_list", reverse("courses:offline_list"), default=200,
            anonymous=200),
        Row("courses:offline", reverse("courses:offline"), default=200,
            anonymous=200),
        Row("courses:offline_quiz", reverse("courses:offline_quiz"), default=200,
            anonymous=200),
        Row("quizzes:my_results", reverse("quizzes:my_results"), default=200),
        # Unusual attempts of a class: its teacher and the officials over its unit.
        Row("quizzes:unusual", reverse("quizzes:unusual", args=[k]),
            answers=readers_of_a),
        # Unusual attempts of every class of a unit: its officials only, not the
        # class's teacher nor the officials of another unit.
        Row("quizzes:unusual_unit",
            reverse("quizzes:unusual_unit", args=[a.region.pk]),
            answers=OFFICIALS_OF_A),
        # Search finds only pages the visitor may open (courses.search).
        Row("search", reverse("search") + "?q=khai+sinh", default=200,
            anonymous=200),
        # Anyone who may open a lesson answers whether it helped, back to it.
        Row("lesson_feedback", reverse("lesson_feedback", args=[lesson.pk]),
            method="POST", data={"helpful": "no", "comment": "Khó"}, default=302,
            anonymous=302),
        Row("regions:commune_search", reverse("regions:commune_search") + "?q=dong",
            default=200, anonymous=200),
        # The person's own account: everyone has theirs, and only theirs.
        Row("users:account", reverse("users:account"), default=200),
        Row("users:profile", reverse("users:profile"), default=200),
        Row("users:email", reverse("users:email"), default=200),
        # The link in the mail may be opened on another device, signed in or not.
        Row("users:email_confirm",
            reverse("users:email_confirm", args=["not-a-token"]), default=200,
            anonymous=200),
        # Confirming a phone needs an SMS sender, and this site has none.
        Row("users:phone", reverse("users:phone")),
        Row("users:password_change", reverse("users:password_change"), default=200),
        Row("users:sessions", reverse("users:sessions"), default=200),
        Row("users:tokens", reverse("users:tokens"), default=200),
        Row("users:history", reverse("users:history"), default=200),
        Row("users:consent", reverse("users:consent"), default=200),
        Row("users:data_json", reverse("users:data_json"), default=200),
        Row("users:data_xlsx", reverse("users:data_xlsx"), default=200),
        Row("users:delete", reverse("users:delete"), default=200),
        # Who took files of people's data: the officials of their units.
        Row("users:data_log", reverse("users:data_log"), answers=officials),
        # Pages for visitors.
        Row("users:signup", reverse("users:signup"), default=302, anonymous=200),
        Row("users:login", reverse("users:login"), default=302, anonymous=200),
        Row("users:claim", reverse("users:claim"), default=200, anonymous=200),
        Row("users:password_reset", reverse("users:password_reset"), default=200,
            anonymous=200),
        Row("users:password_reset_sent", reverse("users:password_reset_sent"),
            default=200, anonymous=200),
        Row("users:password_reset_confirm",
            reverse("users:password_reset_confirm", args=["MQ", "bad-token"]),
            default=200, anonymous=200),
        Row("users:deleted", reverse("users:deleted"), default=200, anonymous=200),
        Row("users:logout", reverse("users:logout"), method="POST", default=302,
            anonymous=302),
    ]
    # fmt: on


# Routes that show no one's data, or are Wagtail's and Django's own (their
# admin checks its own permissions), and need no row.
OUTSIDE = {
    "healthz",
    "favicon",
    "manifest",
    "service_worker",
    "set_language",
    "wagtaildocs_serve",
    "wagtaildocs_authenticate_with_password",
    "wagtailcore_authenticate_with_password",
    "wagtailcore_login",
    "wagtail_serve",
    # Wagtail's own reset pages, for people with admin access only and recorded
    # as account events (tests/security/test_password_reset.py).
    "wagtailadmin_password_reset",
    "wagtailadmin_password_reset_confirm",
}


def _names(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern).startswith(("admin/", "django-admin/")):
                continue
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}{pattern.namespace}:"
            yield from _names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name


def test_every_route_is_in_the_matrix(world):
    """A new route needs a row in the matrix (or a reason to stay outside it)."""
    covered = {row.name for row in rows(world)} | OUTSIDE
    missing = sorted(set(_names(get_resolver().url_patterns)) - covered)
    assert missing == []


def _answer(client, row: Row) -> int:
    send = getattr(client, row.method.lower())
    with mock.patch("certificates.pdf.certificate_pdf", return_value=b"%PDF"):
        with (
            mock.patch("classes.views.login_cards_pdf", return_value=b"%PDF"),
            mock.patch("courses.paper_views.lesson_leaflet_pdf", return_value=b"%PDF"),
            mock.patch("courses.paper_views.qr_poster_pdf", return_value=b"%PDF"),
        ):
            return send(row.url, row.data).status_code


def _expected(row: Row, role: str):
    if role == "anonymous":
        return row.anonymous
    return row.answers.get(role, row.default)


@pytest.mark.parametrize("role", ROLES)
def test_role_by_route_matrix(client, world, users, role):
    """Each role gets exactly the answer the matrix says, on every route."""
    user = users[role]
    if user is not None:
        client.force_login(user)
    seen = []
    for row in rows(world):
        status = _answer(client, row)
        expected = _expected(row, role)
        if expected == LOGIN:
            expected = 302
        seen.append((row.name, row.url, status, expected))
        if user is not None:
            # A POST may log out or change the session; start each row afresh.
            client.force_login(user)
    if os.environ.get("MATRIX_PROBE"):
        for name, url, status, expected in seen:
            flag = "" if status == expected else "   <-- differs"
            print(f"{role:18} {status} {expected} {name} {url}{flag}")  # noqa: T201
        return
    wrong = [
        (name, url, status, expected)
        for name, url, status, expected in seen
        if status != expected
    ]
    assert wrong == []
