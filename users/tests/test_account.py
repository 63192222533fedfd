"""“Tài khoản của tôi”: the person sees and corrects their details, confirms their
email and phone, changes their password, and sees their account history."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains

from core.testing import vi
from regions.tests.factories import CommuneFactory
from users import sms
from users.models import AccountEvent, LearnerKind, User

from .factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ACCOUNT = reverse("users:account")
PROFILE = reverse("users:profile")
EMAIL = reverse("users:email")
PHONE = reverse("users:phone")


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def lan_client(client, lan):
    client.force_login(lan)
    return client


def events(user, kind):
    return list(AccountEvent.objects.filter(subject=user, kind=kind))


def test_the_account_page_needs_a_login_and_is_linked_from_the_header(client, lan):
    assert client.get(ACCOUNT).status_code == 302
    client.force_login(lan)

    response = client.get(ACCOUNT)

    assert response.status_code == 200
    assertContains(response, f'href="{ACCOUNT}"')
    assertContains(response, "Nguyễn Thị Lan")
    assertContains(response, "0912 345 678")
    assertContains(response, escape(vi("not confirmed")))


# Details -----------------------------------------------------------------------------


def test_correcting_the_details(lan_client, lan, dong_hung):
    """Name, commune (found without accents), kind and date of birth are saved
    and the change is in the account history."""
    response = lan_client.post(
        PROFILE,
        {
            "full_name": "  Nguyễn   Thị Lan Anh ",
            "kind": LearnerKind.STUDENT,
            "commune_query": "dong hung",
            "date_of_birth": "02/09/2008",
        },
    )

    assert response.status_code == 302
    lan.refresh_from_db()
    assert lan.full_name == "Nguyễn Thị Lan Anh"
    assert lan.kind == LearnerKind.STUDENT
    assert lan.home_region == dong_hung
    assert lan.date_of_birth == datetime.date(2008, 9, 2)
    [event] = events(lan, AccountEvent.Kind.PROFILE_CHANGED)
    assert event.actor == lan
    assert set(event.detail.split(",")) == {
        "full_name",
        "kind",
        "home_region",
        "date_of_birth",
    }
    page = lan_client.get(PROFILE)
    assertContains(page, 'value="02/09/2008"')
    assertContains(page, str(dong_hung))


def test_the_commune_already_chosen_stays_when_not_touched(lan_client, lan, dong_hung):
    lan.home_region = dong_hung
    lan.save()
    lan_client.post(
        PROFILE,
        {
            "full_name": "Nguyễn Thị Lan",
            "kind": lan.kind,
            "commune_query": str(dong_hung),
            "date_of_birth": "",
        },
    )
    lan.refresh_from_db()
    assert lan.home_region == dong_hung
    assert events(lan, AccountEvent.Kind.PROFILE_CHANGED) == []


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("31/02/2000", "Write the date as dd/mm/yyyy, for example 02/09/1990."),
        ("2000-02-01", "Write the date as dd/mm/yyyy, for example 02/09/1990."),
        ("01/01/2999", "The date of birth cannot be in the future."),
        ("01/01/1850", "Check the year of birth."),
    ],
)
def test_a_wrong_date_of_birth_is_refused_on_its_field(lan_client, lan, typed, message):
    response = lan_client.post(
        PROFILE,
        {"full_name": "Tên Mới", "kind": lan.kind, "date_of_birth": typed},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["date_of_birth"] == [vi(message)]
    lan.refresh_from_db()
    assert lan.full_name == "Nguyễn Thị Lan"


def test_several_matching_communes_are_offered_and_nothing_is_saved(
    lan_client, lan, hung_yen, dong_hung
):
    CommuneFactory(parent=hung_yen, name="Phường Đông Hưng Thái")

    response = lan_client.post(
        PROFILE,
        {"full_name": "Tên Mới", "kind": lan.kind, "commune_query": "dong hung"},
    )

    assert response.status_code == 200
    assert len(response.context["form"].commune_choices) == 2
    lan.refresh_from_db()
    assert lan.full_name == "Nguyễn Thị Lan"


# Email -----------------------------------------------------------------------------


def _link_path(message) -> str:
    return urlsplit(re.search(r"https?://\S+", message.body).group(0)).path


def test_a_new_email_is_confirmed_with_the_link_sent_to_it(lan_client, lan, client):
    response = lan_client.post(
        EMAIL, {"action": "save", "email": "lan.moi@example.com"}
    )

    assert response.status_code == 302
    lan.refresh_from_db()
    assert lan.email == "lan.moi@example.com"
    assert lan.email_confirmed_at is None
    assert [message.to for message in mail.outbox] == [["lan.moi@example.com"]]
    path = _link_path(mail.outbox[0])
    # Opening the link (a mail scanner does) confirms nothing...
    client.logout()
    assert client.get(path).status_code == 200
    lan.refresh_from_db()
    assert lan.email_confirmed_at is None
    # ...pressing its button does, signed in or not.
    confirmed = client.post(path)
    assertContains(confirmed, escape(vi("Your email is confirmed")))
    lan.refresh_from_db()
    assert lan.email_confirmed is True
    assert len(events(lan, AccountEvent.Kind.EMAIL_CONFIRMED)) == 1


def test_changing_the_email_drops_its_confirmation_and_old_links(lan_client, lan):
    lan.email_confirmed_at, lan.confirmed_email = timezone.now(), lan.email
    lan.save()
    lan_client.post(EMAIL, {"action": "save", "email": "mot@example.com"})
    old_link = _link_path(mail.outbox[0])

    lan_client.post(EMAIL, {"action": "save", "email": "hai@example.com"})

    lan.refresh_from_db()
    assert lan.email == "hai@example.com"
    assert lan.email_confirmed_at is None
    assert lan_client.post(old_link).status_code == 400
    lan.refresh_from_db()
    assert lan.email_confirmed_at is None


def test_an_email_of_another_account_is_refused_on_its_field(lan_client, lan):
    UserFactory(email="Da.Co@example.com")

    response = lan_client.post(EMAIL, {"action": "save", "email": "da.co@EXAMPLE.com"})

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        vi("Another account already uses this email.")
    ]
    lan.refresh_from_db()
    assert lan.email == "lan@example.com"
    assert mail.outbox == []


def test_a_forged_confirmation_link_confirms_nothing(client, lan):
    response = client.post(reverse("users:email_confirm", args=["gia-mao:abc:def"]))

    assert response.status_code == 400
    lan.refresh_from_db()
    assert lan.email_confirmed_at is None


def test_confirmation_mails_are_limited(lan_client, lan, settings):
    settings.THROTTLE_RATES = {"confirm:account": (2, 3600)}
    for _ in range(3):
        lan_client.post(EMAIL, {"action": "resend"})

    assert len(mail.outbox) == 2
    page = lan_client.get(EMAIL)
    assertContains(page, vi("Too many attempts."))


# Phone -----------------------------------------------------------------------------


def test_the_phone_page_needs_a_text_message_sender(lan_client):
    assert lan_client.get(PHONE).status_code == 404


def test_confirming_the_phone_with_the_code_sent_to_it(lan_client, lan, settings):
    settings.SMS_BACKEND = "users.sms.LocmemBackend"
    lan_client.post(PHONE, {"action": "send"})
    [message] = sms.outbox
    assert message.phone == "+84912345678"
    code = re.search(r"\b(\d{6})\b", message.text).group(1)
    wrong = "000000" if code != "000000" else "111111"

    refused = lan_client.post(PHONE, {"action": "check", "code": wrong})
    assert refused.context["form"].errors["code"] == [vi("The code is not right.")]
    lan.refresh_from_db()
    assert lan.phone_confirmed_at is None

    response = lan_client.post(PHONE, {"action": "check", "code": code})
    assert response.status_code == 302
    lan.refresh_from_db()
    assert lan.phone_confirmed is True
    assert len(events(lan, AccountEvent.Kind.PHONE_CONFIRMED)) == 1
    # The code worked once.
    again = lan_client.post(PHONE, {"action": "check", "code": code})
    assert again.context["form"].errors["code"] == [
        vi("The code has expired. Ask for a new one.")
    ]


def test_wrong_phone_codes_are_limited(lan_client, lan, settings):
    settings.SMS_BACKEND = "users.sms.LocmemBackend"
    settings.THROTTLE_RATES = {"confirm_code:account": (3, 900)}
    lan_client.post(PHONE, {"action": "send"})
    code = re.search(r"\b(\d{6})\b", sms.outbox[0].text).group(1)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(3):
        lan_client.post(PHONE, {"action": "check", "code": wrong})

    refused = lan_client.post(PHONE, {"action": "check", "code": code})

    assert refused.status_code == 429
    lan.refresh_from_db()
    assert lan.phone_confirmed_at is None


# Password -----------------------------------------------------------------------------


def test_changing_the_password_keeps_this_browser_and_ends_the_others(
    client, django_user_model, lan
):
    from django.test import Client

    other = Client()
    other.force_login(lan)
    client.force_login(lan)
    url = reverse("users:password_change")

    wrong = client.post(
        url,
        {
            "old_password": "khong-dung",
            "new_password1": "mat-khau-moi-2026",
            "new_password2": "mat-khau-moi-2026",
        },
    )
    assert wrong.context["form"].errors["old_password"] == [
        vi("The current password is not right.")
    ]
    weak = client.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "12345678",
            "new_password2": "12345678",
        },
    )
    assert weak.status_code == 200
    response = client.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "mat-khau-moi-2026",
            "new_password2": "mat-khau-moi-2026",
        },
    )

    assert response.status_code == 302
    lan.refresh_from_db()
    assert lan.check_password("mat-khau-moi-2026") is True
    assert client.get(ACCOUNT).status_code == 200
    assert other.get(ACCOUNT).status_code == 302
    [row] = lan.login_sessions.all()
    assert row.session_key == client.session.session_key
    [event] = events(lan, AccountEvent.Kind.PASSWORD_CHANGED)
    assert event.actor == lan


# History -----------------------------------------------------------------------------


def test_the_history_says_who_did_what_and_when(lan_client, lan):
    teacher = UserFactory(full_name="Cô giáo Trần Thị Mai")
    AccountEvent.objects.create(
        subject=lan,
        actor=teacher,
        kind=AccountEvent.Kind.CARD_ISSUED,
        at=timezone.make_aware(datetime.datetime(2026, 3, 12, 8, 15)),
    )
    other = UserFactory()
    AccountEvent.objects.create(
        subject=other, actor=teacher, kind=AccountEvent.Kind.CARD_ISSUED
    )

    response = lan_client.get(reverse("users:history"))

    assertContains(response, escape(vi("Login card issued")), count=1)
    assertContains(response, "Cô giáo Trần Thị Mai")
    assertContains(response, "12/03/2026 08:15")


def test_nothing_of_another_account_is_shown(lan_client, lan):
    other = UserFactory(full_name="Người Khác", email="khac@example.com")
    for url in (ACCOUNT, PROFILE, EMAIL, reverse("users:history")):
        assertNotContains(lan_client.get(url), "Người Khác")
    assert User.objects.get(pk=other.pk).email == "khac@example.com"
