"""A new consent text is agreed to again: whoever agreed to an older one, or to
none, is kept on the consent page until they agree, log out or delete their
account."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertRedirects

from core.testing import vi
from users.consent import PERSONAL_DATA_CONSENT_TEXT
from users.models import AccountEvent, ConsentRecord

from .factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

CONSENT = reverse("users:consent")
MY_LEARNING = reverse("courses:my_learning")


@pytest.fixture
def old_consent(db):
    """A learner who agreed to the text of 1 July 2025 only."""
    user = UserFactory(consent=False, full_name="Lê Văn Cũ")
    ConsentRecord.objects.create(
        user=user,
        purpose=ConsentRecord.Purpose.PERSONAL_DATA,
        text_version="2025-07-01",
        text="Tôi đồng ý ... theo Nghị định 13/2023/NĐ-CP.",
    )
    return user


def log_in(client, user):
    return client.post(
        reverse("users:login"),
        {"username": user.phone_display, "password": PASSWORD},
        REMOTE_ADDR="203.0.113.7",
    )


def test_the_text_cites_the_law_in_force_and_the_rights():
    text = str(PERSONAL_DATA_CONSENT_TEXT)
    assert "91/2025/QH15" in text
    assert settings.PERSONAL_DATA_CONSENT_VERSION == "2026-01-01"


def test_an_old_consent_is_asked_again_after_login(client, old_consent):
    log_in(client, old_consent)

    response = client.get(MY_LEARNING)

    assertRedirects(
        response, f"{CONSENT}?next={MY_LEARNING}", fetch_redirect_response=False
    )
    page = client.get(response["Location"])
    assert page.status_code == 200
    assertContains(page, settings.PERSONAL_DATA_CONSENT_VERSION)
    with translation.override("vi"):
        assertContains(page, escape(str(PERSONAL_DATA_CONSENT_TEXT)))


def test_agreeing_records_the_consent_and_lets_the_person_through(client, old_consent):
    log_in(client, old_consent)

    refused = client.post(CONSENT, {"next": MY_LEARNING})
    assert refused.status_code == 200
    assert refused.context["form"].errors["consent"] == [
        vi("You must agree to the processing of your personal data.")
    ]
    response = client.post(
        CONSENT, {"consent": "on", "next": MY_LEARNING}, REMOTE_ADDR="203.0.113.9"
    )

    assertRedirects(response, MY_LEARNING, fetch_redirect_response=False)
    latest = old_consent.consents.order_by("-given_at", "-pk").first()
    assert latest.text_version == settings.PERSONAL_DATA_CONSENT_VERSION
    assert latest.ip_address == "203.0.113.9"
    assert AccountEvent.objects.filter(
        subject=old_consent, kind=AccountEvent.Kind.CONSENT_GIVEN
    ).exists()
    assert client.get(MY_LEARNING).status_code == 200


def test_someone_who_never_agreed_is_asked_too(client):
    user = UserFactory(consent=False)
    client.force_login(user)

    assert client.get(MY_LEARNING)["Location"].startswith(CONSENT)


def test_a_withdrawn_consent_is_no_consent(client, lan):
    from django.utils import timezone

    lan.consents.update(withdrawn_at=timezone.now())
    client.force_login(lan)

    assert client.get(MY_LEARNING)["Location"].startswith(CONSENT)


@pytest.mark.parametrize(
    "url",
    [
        reverse("users:data_json"),
        reverse("users:data_xlsx"),
        reverse("users:delete"),
        reverse("certificates:verify"),
        "/healthz",
        "/admin/login/",
    ],
)
def test_the_person_can_still_take_their_data_leave_or_verify(client, old_consent, url):
    client.force_login(old_consent)

    response = client.get(url)

    assert not response.get("Location", "").startswith(CONSENT), url


def test_logging_out_is_allowed(client, old_consent):
    client.force_login(old_consent)

    client.post(reverse("users:logout"))

    assert "_auth_user_id" not in client.session


def test_a_post_elsewhere_is_sent_to_the_consent_page(client, old_consent):
    client.force_login(old_consent)

    response = client.post(reverse("users:profile"), {"full_name": "Tên Khác"})

    assert response["Location"] == CONSENT
    old_consent.refresh_from_db()
    assert old_consent.full_name == "Lê Văn Cũ"


def test_the_check_costs_no_query_once_the_session_knows(client, lan):
    client.force_login(lan)
    client.get(MY_LEARNING)
    with CaptureQueriesContext(connection) as queries:
        client.get(MY_LEARNING)
    assert not any("users_consentrecord" in q["sql"] for q in queries.captured_queries)


def test_anonymous_visitors_are_not_asked(client):
    assert client.get(MY_LEARNING)["Location"].startswith(reverse("users:login"))
