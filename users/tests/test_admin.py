"""The account events and the exports of personal data in the Wagtail admin:
superusers read them, nobody changes them."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from users.models import AccountEvent, PersonalDataExport

from .factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(lan):
    event = AccountEvent.objects.create(
        subject=lan, kind=AccountEvent.Kind.CARD_ISSUED, detail="Lớp 10A1"
    )
    export = PersonalDataExport.objects.create(
        actor=lan, kind=PersonalDataExport.Kind.LOGIN_CARDS, people=40
    )
    return event, export


def test_a_superuser_lists_and_inspects_them(client, records):
    event, export = records
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    for name, row in (("account_events", event), ("personal_data_exports", export)):
        assert client.get(reverse(f"{name}:index")).status_code == 200
        assert client.get(reverse(f"{name}:inspect", args=[row.pk])).status_code == 200


def test_nobody_changes_or_deletes_them(client, records):
    event, _export = records
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    assert client.get(reverse("account_events:edit", args=[event.pk])).status_code in (
        302,
        403,
    )
    client.post(reverse("account_events:delete", args=[event.pk]))
    assert AccountEvent.objects.filter(pk=event.pk).exists()


def test_an_editor_does_not_see_them(client, records):
    editor = UserFactory()
    editor.user_permissions.add(
        Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        ),
        Permission.objects.get(codename="view_accountevent"),
    )
    client.force_login(editor)

    assert client.get(reverse("account_events:index")).status_code in (302, 403)
    assert client.get(reverse("personal_data_exports:index")).status_code in (
        302,
        403,
    )
