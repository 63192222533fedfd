"""Flow 1, the reset half: an address a teacher typed onto someone's account must
not let the teacher reset that person's password.

The Wagtail admin's "forgot your password" sends a link only to people with
admin access; learners reset on their own page, and a link goes only to a
contact the person confirmed themselves. Each reset link opens only the page it
was made for; a completed reset signs out every other browser and ends the
person's access tokens; every request is recorded and limited.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Permission
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from pytest_django.asserts import assertContains

from core.testing import vi
from users import sms
from users.models import AccessToken, AccountEvent
from users.services import access_token_create
from users.tokens import learner_reset_tokens

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

ATTACKER_EMAIL = "giaovien.a@example.org"
NEW_PASSWORD = "mat-khau-moi-2026"
ADMIN_RESET = "/admin/password_reset/"
RESET = "/tai-khoan/quen-mat-khau/"


@pytest.fixture(autouse=True)
def _empty_outboxes():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def confirm(user, *, phone=False):
    """Record that the person confirmed their email (or phone) themselves."""
    if phone:
        user.phone_confirmed_at, user.confirmed_phone = timezone.now(), user.phone
    else:
        user.email_confirmed_at, user.confirmed_email = timezone.now(), user.email
    user.save()


def _link_path(text: str) -> str:
    """Return the path of the reset link in a mail or text message."""
    found = re.search(r"https?://\S+", text)
    assert found, text
    return urlsplit(found.group(0)).path


def _uid(user) -> str:
    return urlsafe_base64_encode(force_bytes(user.pk))


def _set_password_with(client, path: str, password: str = NEW_PASSWORD):
    """Open a reset link and choose a new password, as its holder would."""
    opened = client.get(path)
    if opened.status_code != 302:
        return opened
    return client.post(
        opened["Location"], {"new_password1": password, "new_password2": password}
    )


def test_the_admin_reset_sends_nothing_to_someone_without_admin_access(client, world):
    """Commune A's teacher knows (or planted) the address on commune B's
    official's account and asks the admin's reset page for it: no mail goes
    out, and the page answers exactly as for an address nobody has."""
    victim = world.b.official

    asked = client.post(ADMIN_RESET, {"email": victim.email})
    unknown = client.post(ADMIN_RESET, {"email": "nobody@example.org"})

    assert mail.outbox == []
    assert asked.status_code == unknown.status_code == 302
    assert asked["Location"] == unknown["Location"]
    event = AccountEvent.objects.get(
        subject=victim, kind=AccountEvent.Kind.RESET_REQUESTED
    )
    assert event.detail == "admin:no-access"
    assert not AccountEvent.objects.filter(kind=AccountEvent.Kind.RESET_SENT).exists()


def test_the_admin_reset_still_serves_an_editor(client, world):
    editor = world.a.teacher
    editor.email = "bientap@example.org"
    editor.save()
    editor.user_permissions.add(
        Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        )
    )

    client.post(ADMIN_RESET, {"email": "BienTap@example.org"})

    assert [message.to for message in mail.outbox] == [["bientap@example.org"]]
    assert AccountEvent.objects.filter(
        subject=editor, kind=AccountEvent.Kind.RESET_SENT, detail="admin:email"
    ).exists()


def test_an_unconfirmed_email_gets_no_reset_link(client, world):
    """A roster (or a teacher) put the attacker's address on the learner's
    account; the learner never confirmed it. Asking for a reset with it sends
    nothing, and answers as for any other address."""
    victim = world.b.learner
    victim.email = ATTACKER_EMAIL
    victim.email_confirmed_at = None
    victim.save()

    asked = client.post(RESET, {"identifier": ATTACKER_EMAIL})
    unknown = client.post(RESET, {"identifier": "nobody@example.org"})

    assert mail.outbox == []
    assert asked.status_code == unknown.status_code == 302
    assert (
        asked["Location"] == unknown["Location"] == reverse("users:password_reset_sent")
    )
    page = client.get(asked["Location"])
    assertContains(page, vi("No confirmed email or mobile number?"))
    event = AccountEvent.objects.get(
        subject=victim, kind=AccountEvent.Kind.RESET_REQUESTED
    )
    assert event.detail == "none"
    victim.refresh_from_db()
    assert victim.check_password(PASSWORD) is True


def test_an_email_changed_after_it_was_confirmed_gets_no_link(client, world):
    """The learner confirmed their own address; then the attacker's address was
    put on the account some other way (the admin, an import): the confirmation
    was of the old address, so nothing is sent to the new one."""
    victim = world.b.learner
    confirm(victim)
    victim.email = ATTACKER_EMAIL
    victim.save()

    client.post(RESET, {"identifier": ATTACKER_EMAIL})

    assert mail.outbox == []


def test_a_phone_gets_a_reset_link_only_once_confirmed(client, world, settings):
    settings.SMS_BACKEND = "users.sms.LocmemBackend"
    victim = world.b.learner

    client.post(RESET, {"identifier": victim.phone_display})
    assert sms.outbox == []

    confirm(victim, phone=True)
    client.post(RESET, {"identifier": victim.phone_display})

    assert [message.phone for message in sms.outbox] == [victim.phone]
    response = _set_password_with(client, _link_path(sms.outbox[0].text))
    assert response.status_code == 302
    victim.refresh_from_db()
    assert victim.check_password(NEW_PASSWORD) is True
    assert AccountEvent.objects.filter(
        subject=victim, kind=AccountEvent.Kind.RESET_SENT, detail="sms"
    ).exists()


def test_a_confirmed_email_gets_a_link_that_works_once(client, world):
    owner = world.b.learner
    confirm(owner)

    client.post(RESET, {"identifier": owner.email.upper()})

    assert [message.to for message in mail.outbox] == [[owner.email]]
    path = _link_path(mail.outbox[0].body)
    assert _set_password_with(client, path).status_code == 302
    owner.refresh_from_db()
    assert owner.check_password(NEW_PASSWORD) is True
    reset = AccountEvent.objects.get(
        subject=owner, kind=AccountEvent.Kind.PASSWORD_RESET
    )
    assert reset.detail == "link"
    # Used once, the link opens nothing.
    again = _set_password_with(client, path, "mat-khau-thu-ba-2026")
    assert again.status_code == 200
    assert again.context["validlink"] is False
    owner.refresh_from_db()
    assert owner.check_password(NEW_PASSWORD) is True


def test_a_learner_link_does_not_open_the_admin_page_nor_the_reverse(client, world):
    """Each reset page takes only its own links: a learner's link does not set
    an editor's password through the admin, nor an admin link a learner's."""
    person = world.a.official
    person.is_superuser = True
    person.save()
    learner_token = learner_reset_tokens.make_token(person)
    admin_token = default_token_generator.make_token(person)

    admin_page = _set_password_with(
        client,
        reverse(
            "wagtailadmin_password_reset_confirm",
            args=[_uid(person), learner_token],
        ),
    )
    learner_page = _set_password_with(
        client,
        reverse("users:password_reset_confirm", args=[_uid(person), admin_token]),
    )

    assert admin_page.status_code == learner_page.status_code == 200
    assert admin_page.context["validlink"] is False
    assert learner_page.context["validlink"] is False
    person.refresh_from_db()
    assert person.check_password(PASSWORD) is True


def test_an_admin_link_opens_nothing_for_a_person_without_admin_access(client, world):
    """Even a link made with the admin's generator for a learner does not let
    anyone set the learner's password on the admin's page."""
    victim = world.b.learner
    token = default_token_generator.make_token(victim)

    response = _set_password_with(
        client,
        reverse("wagtailadmin_password_reset_confirm", args=[_uid(victim), token]),
    )

    assert response.status_code == 200
    assert response.context["validlink"] is False
    victim.refresh_from_db()
    assert victim.check_password(PASSWORD) is True


def test_a_reset_signs_the_attacker_out_and_ends_their_tokens(client, world):
    """Someone got into the account (a borrowed phone); the owner resets their
    password with their confirmed email: the other browser is signed out and
    the feed token made meanwhile stops working."""
    owner = world.b.official
    confirm(owner)
    attacker = Client()
    attacker.post(
        reverse("users:login"), {"username": owner.phone_display, "password": PASSWORD}
    )
    assert attacker.get(reverse("users:account")).status_code == 200
    _token, raw = access_token_create(
        user=owner, purpose=AccessToken.Purpose.COVERAGE_FEED, label="lấy trộm"
    )
    feed = reverse("coverage_api:unit", args=[world.b.region.path])
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert attacker.get(feed, **bearer).status_code == 200

    client.post(RESET, {"identifier": owner.email})
    _set_password_with(client, _link_path(mail.outbox[0].body))

    assert attacker.get(reverse("users:account")).status_code == 302
    assert Client().get(feed, **bearer).status_code == 401
    assert not owner.login_sessions.exists()


def test_reset_requests_are_limited_per_address_and_per_account(
    client, world, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.THROTTLE_RATES = {
        "password_reset:address": (4, 3600),
        "password_reset:account": (2, 3600),
    }
    owner = world.b.learner
    confirm(owner)

    def ask(identifier, address):
        return client.post(
            RESET,
            {"identifier": identifier},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=address,
        )

    # One account, from many addresses: two links, then a refusal.
    answers = [ask(owner.email, f"192.0.2.{n}").status_code for n in range(3)]
    assert answers == [302, 302, 429]
    assert len(mail.outbox) == 2
    # One address, many accounts: four requests, then a refusal.
    answers = [ask(f"ai{n}@example.org", "203.0.113.7").status_code for n in range(5)]
    assert answers == [302, 302, 302, 302, 429]
    refused = ask("someone@example.org", "203.0.113.7")
    assertContains(
        refused,
        vi(
            "Wait %(minutes)d minute and try again.",
            "Wait %(minutes)d minutes and try again.",
            60,
            minutes=60,
        ),
        status_code=429,
    )
