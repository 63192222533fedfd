"""Flow 3: a learner joins class A with its public code, or is added to it by
phone. Before, A's teacher could then download the learner's certificates from
other courses and units, and A's commune official could revoke a certificate
issued in the other commune.
"""

import io
from unittest import mock

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pytest_django.asserts import assertContains

from classes.models import ClassInvitation, ClassMembership
from users.models import PersonalDataExport

from .conftest import PASSWORD, certificate
from .helpers import apply_roster, phone_as_typed, upload_roster

pytestmark = pytest.mark.django_db

PDF = mock.patch("certificates.pdf.certificate_pdf", return_value=b"%PDF-1.7 test")


def pdf(certificate):
    return reverse("certificates:pdf", args=[certificate.pk])


def revoke(certificate):
    return reverse("certificates:revoke", args=[certificate.pk])


def test_certificates_do_not_follow_a_learner_into_another_class(client, world):
    learner = world.b.learner
    of_the_class = certificate(learner, world.course, world.b.region)
    of_another_course = certificate(learner, world.other_course, world.b.region)

    # The learner joins commune A's class with its public code.
    client.force_login(learner)
    client.post(reverse("class_join"), {"code": world.a.training_class.join_code})
    assert ClassMembership.objects.filter(
        training_class=world.a.training_class, user=learner
    ).exists()

    # A's teacher sees what the learner earned in the class's course, and
    # nothing else of theirs.
    client.force_login(world.a.teacher)
    with PDF:
        assert client.get(pdf(of_the_class)).status_code == 200
        assert client.get(pdf(of_another_course)).status_code == 404

    # A's official neither sees nor revokes certificates recorded in B.
    client.force_login(world.a.official)
    with PDF:
        for cert in (of_the_class, of_another_course):
            assert client.get(pdf(cert)).status_code == 404
            assert client.get(revoke(cert)).status_code == 404
            response = client.post(revoke(cert), {"reason": "Thu hồi"})
            assert response.status_code == 404
    of_the_class.refresh_from_db()
    assert of_the_class.revoked_at is None
    # B's official, over the unit recorded on them, does.
    client.force_login(world.b.official)
    assert client.get(revoke(of_another_course)).status_code == 200

    # Once the learner leaves the class, its teacher sees nothing of theirs.
    ClassMembership.objects.filter(
        training_class=world.a.training_class, user=learner
    ).delete()
    client.force_login(world.a.teacher)
    with PDF:
        assert client.get(pdf(of_the_class)).status_code == 404


def test_a_person_with_a_password_added_by_phone_joins_only_if_they_accept(
    client, world
):
    learner = world.b.learner
    earned = certificate(learner, world.course, world.b.region)
    client.force_login(world.a.teacher)
    preview = upload_roster(
        client,
        world.a.training_class,
        [{"full_name": "Học viên", "phone": phone_as_typed(learner)}],
    )
    apply_roster(client, preview)

    # Until they accept, the teacher sees the name and nothing else.
    page = client.get(world.a.training_class.get_absolute_url())
    assertContains(page, learner.full_name)
    assert learner.pk not in {row.user.pk for row in page.context["progress"].learners}
    export = client.get(
        reverse("classes:progress_export", args=[world.a.training_class.pk])
    )
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert learner.full_name not in {cell.value for row in sheet for cell in row}
    with PDF:
        assert client.get(pdf(earned)).status_code == 404

    # On their next login they are asked, and accept.
    client.logout()
    client.post(
        reverse("users:login"),
        {"username": phone_as_typed(learner), "password": PASSWORD},
    )
    invitations = client.get(reverse("classes:invitations"))
    assertContains(invitations, world.a.training_class.name)
    invitation = ClassInvitation.objects.get(user=learner)
    client.post(
        reverse("classes:invitation_answer", args=[invitation.pk]),
        {"answer": "accept"},
    )
    membership = ClassMembership.objects.get(
        training_class=world.a.training_class, user=learner
    )
    assert membership.source == ClassMembership.Source.INVITATION

    client.force_login(world.a.teacher)
    with PDF:
        assert client.get(pdf(earned)).status_code == 200


def test_declining_an_invitation_keeps_the_person_out(client, world):
    learner = world.b.learner
    client.force_login(world.a.teacher)
    session = world.a.training_class.sessions.create(
        starts_at="2026-10-01T08:00:00+07:00", ends_at="2026-10-01T10:00:00+07:00"
    )
    client.post(
        reverse("classes:walk_in", args=[session.pk]),
        {"full_name": "Ai đó", "phone": phone_as_typed(learner)},
    )
    invitation = ClassInvitation.objects.get(user=learner)
    assert not session.attendance.filter(user=learner).exists()

    client.force_login(learner)
    client.post(
        reverse("classes:invitation_answer", args=[invitation.pk]),
        {"answer": "decline"},
    )
    invitation.refresh_from_db()
    assert invitation.status == "declined"
    assert not ClassMembership.objects.filter(
        training_class=world.a.training_class, user=learner
    ).exists()
    # Someone else cannot answer for them.
    client.force_login(world.a.teacher)
    response = client.post(
        reverse("classes:invitation_answer", args=[invitation.pk]),
        {"answer": "accept"},
    )
    assert response.status_code == 404


def test_the_progress_export_shows_phones_only_of_people_the_class_made_or_who_joined(
    client, world
):
    klass = world.a.training_class
    client.force_login(world.a.teacher)
    # A light account commune B's class made, added here by phone.
    preview = upload_roster(
        client, klass, [{"full_name": "Ai đó", "phone": phone_as_typed(world.b.light)}]
    )
    apply_roster(client, preview)

    export = client.get(reverse("classes:progress_export", args=[klass.pk]))

    sheet = load_workbook(io.BytesIO(export.content)).active
    phones = {row[0].value: row[1].value for row in sheet.iter_rows() if row[0].value}
    assert phones[world.a.light.full_name] == phone_as_typed(world.a.light)
    assert phones[world.a.learner.full_name] == phone_as_typed(world.a.learner)
    assert phones[world.b.light.full_name] in ("", None)
    record = PersonalDataExport.objects.get(kind="class_progress")
    assert (record.actor, record.region, record.people) == (
        world.a.teacher,
        world.a.region,
        3,
    )
