"""The public verification pages: what they show, what they never show, and how
they answer strangers who guess."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from certificates.services import certificate_revoke
from core.testing import vi
from regions.tests.factories import CommuneFactory, ProvinceFactory
from users.tests.factories import UserFactory

from .factories import CertificateFactory

pytestmark = pytest.mark.django_db

VERIFY = "/verify/"


@pytest.fixture
def certificate():
    user = UserFactory(
        full_name="Nguyễn Thị Hồng Nhung",
        phone="+84912345678",
        date_of_birth=datetime.date(1990, 5, 17),
        home_region=CommuneFactory(
            name="Xã Đông Hưng", parent=ProvinceFactory(name="Tỉnh Hưng Yên")
        ),
    )
    return CertificateFactory(
        user=user,
        issued_at=timezone.make_aware(datetime.datetime(2026, 11, 21, 9, 0)),
    )


def test_the_addresses_are_the_public_ones(certificate):
    assert reverse("certificates:verify") == VERIFY
    assert certificate.get_absolute_url() == f"/verify/{certificate.token}/"


def test_the_qr_link_shows_name_course_date_issuer_and_validity(client, certificate):
    response = client.get(certificate.get_absolute_url())

    assert response.status_code == 200
    page = response.content.decode()
    assert "Nguyễn Thị Hồng Nhung" in page
    assert certificate.printed["course"] in page
    assert "21/11/2026" in page
    assert certificate.printed["issuer"] in page
    assert vi("This certificate is genuine and valid.") in page


def test_a_typed_code_is_posted_and_found_however_it_was_typed(client, certificate):
    typed = certificate.code.replace("-", " ").lower()

    response = client.post(VERIFY, {"code": typed})

    assert response.status_code == 200
    assert "Nguyễn Thị Hồng Nhung" in response.content.decode()


def test_the_page_discloses_nothing_else(client, certificate):
    """No phone, date of birth, internal ids, token or score on the page."""
    page = client.get(certificate.get_absolute_url()).content.decode()
    by_code = client.post(VERIFY, {"code": certificate.code}).content.decode()

    for body in (page, by_code):
        assert "912345678" not in body
        assert "0912" not in body
        assert "17/05/1990" not in body
        assert "1990" not in body
        for pk in (certificate.pk, certificate.user.pk):
            assert f"/{pk}/" not in body
            assert f'"{pk}"' not in body
            assert f">{pk}<" not in body
        assert "Xã Đông Hưng" not in body
    # The typed code is not echoed either (the holder has it; an onlooker must not).
    assert certificate.token not in by_code


def test_revoking_shows_at_once_with_the_reason(client, certificate):
    client.get(certificate.get_absolute_url())  # a first look, as a cache would see

    certificate_revoke(
        certificate=certificate, by=UserFactory(), reason="Cấp nhầm người học."
    )

    response = client.get(certificate.get_absolute_url())
    page = response.content.decode()
    assert vi("This certificate has been revoked.") in page
    assert "Cấp nhầm người học." in page
    assert vi("This certificate is genuine and valid.") not in page
    assert "no-store" in response["Cache-Control"]


def test_an_expired_certificate_says_so_with_its_date(client, certificate):
    certificate.expires_at = timezone.make_aware(datetime.datetime(2026, 11, 21, 8, 0))
    certificate.save()

    page = client.get(certificate.get_absolute_url()).content.decode()

    assert vi("This certificate is genuine but has expired.") in page
    assert "21/11/2026" in page


def test_unknown_and_malformed_codes_and_tokens_get_the_same_answer(
    client, certificate
):
    """A guess learns nothing from the answer: an unknown code, a malformed one,
    a code with a letter outside the alphabet and an unknown token all give the
    same status and the same bytes."""
    unknown_code = client.post(VERIFY, {"code": "ZZZZ-ZZZZ-ZZZZ"})
    malformed = client.post(VERIFY, {"code": "<script>alert(1)</script>"})
    too_long = client.post(VERIFY, {"code": "K7QM-4XPD-9HT2-K7QM-4XPD"})
    out_of_alphabet = client.post(VERIFY, {"code": "UUUU-UUUU-UUUU"})
    unknown_token = client.get("/verify/AAAAAAAAAAAAAAAAAAAAAAAA/")
    absurd_token = client.get("/verify/" + "x" * 500 + "/")

    answers = [
        unknown_code,
        malformed,
        too_long,
        out_of_alphabet,
        unknown_token,
        absurd_token,
    ]
    assert {answer.status_code for answer in answers} == {404}
    assert len({answer.content for answer in answers}) == 1
    body = unknown_code.content.decode()
    assert (
        vi("No certificate has this code. Check that it was typed exactly as printed.")
        in body
    )
    assert "ZZZZ" not in body
    assert (
        "script"
        not in malformed.content.decode().split("<main", 1)[1].split("</main>")[0]
    )


def test_nothing_is_read_from_the_query_string(client, certificate):
    response = client.get(
        certificate.get_absolute_url()
        + "?learner_name=Gi%E1%BA%A3+m%E1%BA%A1o&status=valid&code=ZZZZ"
    )
    page = response.content.decode()
    assert "Giả mạo" not in page
    assert "ZZZZ" not in page
    assert "Nguyễn Thị Hồng Nhung" in page


def test_every_verify_response_is_noindex(client, certificate, settings):
    settings.THROTTLE_RATES = {"verify:address": (3, 600)}
    responses = [
        client.get(VERIFY),
        client.post(VERIFY, {"code": ""}),
        client.get(certificate.get_absolute_url()),
        client.get("/verify/AAAAAAAAAAAAAAAAAAAAAAAA/"),
        client.post(VERIFY, {"code": "ZZZZ"}),  # the fourth lookup: limited
    ]
    assert responses[-1].status_code == 429
    for response in responses:
        assert response["X-Robots-Tag"] == "noindex"
        assert '<meta name="robots" content="noindex">' in response.content.decode()


def test_an_empty_code_asks_for_one(client):
    response = client.post(VERIFY, {"code": "  "})
    assert response.status_code == 200
    assert vi("Type the code printed on the certificate.") in response.content.decode()


def test_lookups_are_limited_per_client_address(client, certificate, settings):
    """After N lookups from one address within the window the next is refused
    with 429 and a clear message; another address still gets answers."""
    settings.THROTTLE_RATES = {"verify:address": (5, 600)}
    url = certificate.get_absolute_url()

    statuses = [
        client.get(url, REMOTE_ADDR="203.0.113.7").status_code for _ in range(5)
    ]
    limited = client.post(VERIFY, {"code": certificate.code}, REMOTE_ADDR="203.0.113.7")
    other = client.get(url, REMOTE_ADDR="198.51.100.2")

    assert statuses == [200] * 5
    assert limited.status_code == 429
    assert (
        vi("Too many checks from this connection in a short time.")
        in limited.content.decode()
    )
    assert (
        vi(
            "Wait %(minutes)d minute and try again.",
            "Wait %(minutes)d minutes and try again.",
            10,
            minutes=10,
        )
        in limited.content.decode()
    )
    assert "Nguyễn Thị Hồng Nhung" not in limited.content.decode()
    assert other.status_code == 200


def test_the_form_page_itself_is_not_counted(client, settings):
    settings.THROTTLE_RATES = {"verify:address": (1, 600)}
    for _ in range(3):
        assert client.get(VERIFY).status_code == 200
    assert client.post(VERIFY, {"code": "ZZZZ-ZZZZ-ZZZZ"}).status_code == 404
    assert client.post(VERIFY, {"code": "ZZZZ-ZZZZ-ZZZZ"}).status_code == 429


# The same answers as JSON -------------------------------------------------------

JSON = {"HTTP_ACCEPT": "application/json"}


def test_the_qr_link_answers_json_with_the_pages_facts(client, certificate):
    certificate.expires_at = timezone.make_aware(datetime.datetime(2028, 11, 21, 9, 0))
    certificate.save()

    response = client.get(certificate.get_absolute_url(), **JSON)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "Accept" in response["Vary"]
    assert "no-store" in response["Cache-Control"]
    assert response.json() == {
        "status": "valid",
        "awarded_to": "Nguyễn Thị Hồng Nhung",
        "course": certificate.printed["course"],
        "issuer": {
            "name": certificate.printed["issuer"],
            "governing_body": certificate.printed["issuer_parent"],
        },
        "issued_on": "2026-11-21",
        "valid_until": "2028-11-21",
    }


def test_a_browser_still_gets_the_page(client, certificate):
    response = client.get(
        certificate.get_absolute_url(),
        HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8",
    )
    assert response["Content-Type"].startswith("text/html")


def test_json_discloses_nothing_the_page_does_not(client, certificate):
    for response in (
        client.get(certificate.get_absolute_url(), **JSON),
        client.post(VERIFY, {"code": certificate.code}, **JSON),
    ):
        body = response.content.decode()
        assert response.json()["status"] == "valid"
        assert "912345678" not in body
        assert "1990" not in body
        assert "Xã Đông Hưng" not in body
        assert certificate.token not in body
        assert certificate.code not in body
        assert f'"{certificate.user.pk}"' not in body


def test_json_says_revoked_with_reason_and_date(client, certificate):
    certificate_revoke(
        certificate=certificate,
        by=UserFactory(),
        reason="Cấp nhầm người học.",
        now=timezone.make_aware(datetime.datetime(2026, 12, 1, 10, 0)),
    )

    data = client.get(certificate.get_absolute_url(), **JSON).json()

    assert data["status"] == "revoked"
    assert data["revoked_reason"] == "Cấp nhầm người học."
    assert data["revoked_on"] == "2026-12-01"


def test_json_of_a_withdrawn_certificate_names_nobody(client, certificate):
    certificate.withdrawn_at = timezone.make_aware(datetime.datetime(2026, 12, 2, 8))
    certificate.save()

    data = client.get(certificate.get_absolute_url(), **JSON).json()

    assert data["status"] == "withdrawn"
    assert "awarded_to" not in data
    assert "Nguyễn" not in str(data)
    assert data["withdrawn_on"] == "2026-12-02"


def test_json_for_unknown_codes_and_tokens_is_the_same(client, certificate):
    answers = {
        client.get("/verify/khong-co-that/", **JSON).content,
        client.get("/verify/" + "x" * 200 + "/", **JSON).content,
        client.post(VERIFY, {"code": "AAAA-BBBB-CCCC"}, **JSON).content,
    }
    assert answers == {b'{"status": "not_found"}'}


def test_json_lookups_count_against_the_same_limit(client, certificate, settings):
    settings.THROTTLE_RATES = {"verify:address": (2, 600)}
    url = certificate.get_absolute_url()

    statuses = [
        client.get(url, REMOTE_ADDR="203.0.113.9", **JSON).status_code,
        client.get(url, REMOTE_ADDR="203.0.113.9").status_code,
    ]
    limited = client.get(url, REMOTE_ADDR="203.0.113.9", **JSON)

    assert statuses == [200, 200]
    assert limited.status_code == 429
    assert limited.json()["status"] == "rate_limited"
    assert int(limited["Retry-After"]) > 0
