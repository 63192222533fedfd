"""A person's own data: who took a copy of it, and what is left of it once they
delete their account.

A copy of someone else's certificate is recorded for the officials of its
unit. A deleted account's certificates verify as withdrawn by their holder,
with no name anywhere in the page, and nobody downloads them any more; the
records of a teacher or an official who deleted their account keep a
placeholder name.
"""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from certificates.services import certificate_revoke
from core.testing import vi
from users.models import PersonalDataExport, User

from .conftest import PASSWORD, certificate

pytestmark = pytest.mark.django_db

DATA_LOG = reverse("users:data_log")


def delete_account(client, user, password=PASSWORD):
    client.force_login(user)
    return client.post(reverse("users:delete"), {"password": password})


def test_a_teacher_copying_a_certificate_is_seen_by_the_unit_officials(client, world):
    """Commune B's teacher downloads their learner's certificate: the copy is
    recorded with the certificate's unit, and the officials over that unit see
    who took it; commune A's official does not."""
    paper = certificate(world.b.learner, world.course, world.b.region)
    client.force_login(world.b.teacher)

    response = client.get(reverse("certificates:pdf", args=[paper.pk]))

    assert response.status_code == 200
    export = PersonalDataExport.objects.get()
    assert export.actor == world.b.teacher
    assert export.kind == PersonalDataExport.Kind.CERTIFICATE
    assert export.people == 1
    assert export.region == world.b.region
    for official, sees in [
        (world.b.official, True),
        (world.province_official, True),
        (world.a.official, False),
    ]:
        client.force_login(official)
        page = client.get(DATA_LOG)
        assert page.status_code == 200
        assert (paper.code in page.content.decode()) is sees, official
    # The holder's own copy is nobody else's data: not recorded.
    client.force_login(world.b.learner)
    client.get(reverse("certificates:pdf", args=[paper.pk]))
    assert PersonalDataExport.objects.count() == 1


def test_the_who_looked_page_is_for_officials_only(client, world):
    for user in [world.a.teacher, world.a.learner]:
        client.force_login(user)
        assert client.get(DATA_LOG).status_code == 404
    client.logout()
    assert client.get(DATA_LOG).status_code == 302


def test_a_deleted_account_s_certificate_names_nobody_and_is_not_given_out(
    client, world
):
    learner = world.b.learner
    name, phone = learner.full_name, learner.phone_display
    paper = certificate(learner, world.course, world.b.region)
    printed_name = paper.printed["learner_name"]

    response = delete_account(client, learner)

    assert response.status_code == 302
    assert response["Location"] == reverse("users:deleted")
    assertContains(client.get(response["Location"]), vi("Your account is deleted"))
    assert "_auth_user_id" not in client.session
    for page in [
        client.get(paper.get_absolute_url()),
        client.post(reverse("certificates:verify"), {"code": paper.code}),
    ]:
        assert page.status_code == 200
        assertContains(page, vi("Withdrawn"))
        assertNotContains(page, name)
        assertNotContains(page, printed_name)
        assertNotContains(page, "17/05/1990")
    # Not its teacher, not an official, not an administrator gets the PDF.
    for viewer in [world.b.teacher, world.b.official, world.province_official]:
        client.force_login(viewer)
        assert client.get(reverse("certificates:pdf", args=[paper.pk])).status_code == (
            404
        )
    # The person can no longer log in.
    client.logout()
    client.post(reverse("users:login"), {"username": phone, "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def test_a_wrong_password_deletes_nothing(client, world):
    learner = world.b.learner

    response = delete_account(client, learner, "khong-phai-mat-khau")

    assert response.status_code == 200
    assertContains(response, vi("The password is not right."))
    learner.refresh_from_db()
    assert learner.erased_at is None
    assert learner.is_active is True


def test_an_official_who_left_keeps_a_placeholder_on_what_they_revoked(client, world):
    paper = certificate(world.a.learner, world.course, world.a.region)
    certificate_revoke(certificate=paper, by=world.a.official, reason="Cấp nhầm")
    official_name = world.a.official.full_name

    delete_account(client, world.a.official)

    client.force_login(world.province_official)
    page = client.get(reverse("certificates:revoke", args=[paper.pk]))
    assert page.status_code == 200
    assertContains(page, vi("Deleted account"))
    assertNotContains(page, official_name)
    assert str(User.objects.get(pk=world.a.official.pk)) == vi("Deleted account")


def test_an_administrator_cannot_delete_their_account_here(client, world):
    admin = world.province_official
    admin.is_superuser = True
    admin.save()

    client.force_login(admin)
    page = client.get(reverse("users:delete"))
    posted = client.post(reverse("users:delete"), {"password": PASSWORD})

    assertContains(
        page,
        vi(
            "An administrator's account cannot be deleted here. Ask another "
            "administrator to remove your administrator rights first."
        ),
    )
    assert posted.status_code == 200
    admin.refresh_from_db()
    assert admin.erased_at is None
