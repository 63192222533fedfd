"""A course's certificate rule lives in certificates (CertificatePolicy), edited
inline on the course page and kept with the page's revisions."""

from decimal import Decimal

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from certificates.models import CertificatePolicy
from certificates.selectors import course_policy
from certificates.services import certificate_policy_set
from courses.models import CoursePage
from users.tests.factories import UserFactory, consent_given

from .builders import catalogue
from .factories import CertificateTemplateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    editor = UserFactory(is_staff=True, is_superuser=True)
    consent_given(editor)
    client.force_login(editor)
    return client


def _course_form(course, rules, *, publish):
    data = nested_form_data(
        {
            "title": course.title,
            "slug": course.slug,
            "summary": course.summary,
            "cover_image": "",
            "outcomes": streamfield([]),
            "estimated_minutes": str(course.estimated_minutes),
            "completion_rule": course.completion_rule,
            "certificate_policies": inline_formset(rules),
        }
    )
    if publish:
        data["action-publish"] = "publish"
    return data


def _edit(client, course, rules, *, publish=True):
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[course.pk]),
        _course_form(course, rules, publish=publish),
    )
    assert response.status_code == 302, response.context["form"].errors


def test_an_editor_gives_a_course_its_certificate_on_the_course_page(editor_client):
    course = catalogue().add_child(
        instance=CoursePage(title="Dùng VNeID", slug="dung-vneid", summary="VNeID.")
    )
    template = CertificateTemplateFactory()

    _edit(
        editor_client,
        course,
        [
            {
                "template": str(template.pk),
                "min_attendance": "50",
                "valid_months": "12",
                "hours": "1.5",
            }
        ],
    )

    policy = CertificatePolicy.objects.get(course=course)
    assert (policy.template, policy.min_attendance, policy.valid_months) == (
        template,
        50,
        12,
    )
    assert policy.hours == Decimal("1.5")
    page = editor_client.get(reverse("wagtailadmin_pages:edit", args=[course.pk]))
    assert b"certificate_policies-TOTAL_FORMS" in page.content


def test_a_draft_changes_the_live_rule_only_when_published(editor_client):
    course = catalogue().add_child(
        instance=CoursePage(title="Dùng VNeID", slug="dung-vneid", summary="VNeID.")
    )
    course.save_revision().publish()
    template = CertificateTemplateFactory()
    rule = {"template": str(template.pk), "min_attendance": "", "valid_months": ""}

    _edit(editor_client, course, [{**rule, "hours": ""}], publish=False)
    assert course_policy(CoursePage.objects.get(pk=course.pk)) is None

    _edit(editor_client, course, [{**rule, "hours": ""}], publish=True)
    assert course_policy(CoursePage.objects.get(pk=course.pk)).template == template


def test_a_rule_set_by_the_service_survives_the_next_publish():
    """The editor opens a course from its latest revision: a rule set in code is
    written there too, so publishing that revision keeps it."""
    course = catalogue().add_child(
        instance=CoursePage(title="Dùng VNeID", slug="dung-vneid", summary="VNeID.")
    )
    course.save_revision().publish()
    template = CertificateTemplateFactory()

    certificate_policy_set(course=course, template=template, valid_months=6)
    fresh = CoursePage.objects.get(pk=course.pk)
    fresh.get_latest_revision().publish()

    policy = CertificatePolicy.objects.get(course=course)
    assert (policy.template, policy.valid_months) == (template, 6)


def test_a_course_without_a_rule_gives_no_certificate():
    course = catalogue().add_child(
        instance=CoursePage(title="Dùng VNeID", slug="dung-vneid", summary="VNeID.")
    )

    assert course_policy(course) is None
    assert course_policy(CoursePage(title="Chưa lưu")) is None
