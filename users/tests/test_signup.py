import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertRedirects

from core.testing import vi
from regions.tests.factories import CommuneFactory, ProvinceFactory
from users.consent import PERSONAL_DATA_CONSENT_TEXT
from users.models import ConsentRecord, LearnerKind, User

from .factories import UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = reverse("users:signup")


@pytest.fixture
def form_data(dong_hung):
    return {
        "full_name": "  Nguyễn   Thị Lan ",
        "phone": "0912 345 678",
        "email": "",
        "kind": LearnerKind.STUDENT,
        "commune_query": "dong hung",
        "password1": "hoc-tap-so-2025",
        "password2": "hoc-tap-so-2025",
        "consent": "on",
    }


def _counts():
    return User.objects.count(), ConsentRecord.objects.count()


def test_the_sign_up_page_is_in_vietnamese(client):
    """The sign-up page is Vietnamese, whatever language the phone asks for."""
    response = client.get(SIGNUP, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assertContains(response, '<html lang="vi">')
    assertContains(response, escape(vi("Create an account")))


def test_a_valid_sign_up_creates_the_account_and_logs_in(client, form_data, dong_hung):
    """Signing up creates one account with the number in +84 form, the kind, the
    commune and a password, records the consent once, and logs the person in."""
    before = timezone.now()

    response = client.post(SIGNUP, form_data, REMOTE_ADDR="10.1.2.3")

    assertRedirects(response, "/", fetch_redirect_response=False)
    user = User.objects.get()
    assert user.phone == "+84912345678"
    assert user.full_name == "Nguyễn Thị Lan"
    assert user.kind == LearnerKind.STUDENT
    assert user.home_region == dong_hung
    assert user.has_usable_password() is True
    assert user.check_password("hoc-tap-so-2025") is True
    consent = ConsentRecord.objects.get()
    assert consent.user == user
    assert consent.purpose == ConsentRecord.Purpose.PERSONAL_DATA
    assert consent.text_version == settings.PERSONAL_DATA_CONSENT_VERSION
    with translation.override("vi"):
        assert consent.text == str(PERSONAL_DATA_CONSENT_TEXT)
    assert before <= consent.given_at <= timezone.now()
    assert consent.ip_address == "10.1.2.3"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_the_new_account_logs_in_with_its_phone(client, form_data):
    """The account just created logs in with the phone as typed at sign-up."""
    client.post(SIGNUP, form_data)
    client.logout()

    response = client.post(
        reverse("users:login"),
        {"username": "0912345678", "password": "hoc-tap-so-2025"},
    )

    assert response.status_code == 302


def test_sign_up_goes_back_to_the_page_that_asked(client, form_data):
    """After signing up the person goes back to the course that sent them."""
    response = client.post(f"{SIGNUP}?next=/khoa-hoc/dung-vneid/", form_data)

    assertRedirects(response, "/khoa-hoc/dung-vneid/", fetch_redirect_response=False)


def test_sign_up_does_not_go_to_another_site(client, form_data):
    """A next address on another site is ignored."""
    form_data["next"] = "https://lua-dao.example/"

    response = client.post(SIGNUP, form_data)

    assertRedirects(response, "/", fetch_redirect_response=False)


def _assert_refused(response, field, message, counts):
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assertContains(response, escape(message))
    assert _counts() == counts
    assert "_auth_user_id" not in response.client.session


def test_a_malformed_phone_is_refused(client, form_data):
    """A phone that is not a Vietnamese mobile number is refused on the phone."""
    counts = _counts()
    form_data["phone"] = "024 3825 1234"

    response = client.post(SIGNUP, form_data)

    assert response.context["form"].has_error("phone", code="invalid_phone")
    _assert_refused(
        response,
        "phone",
        vi("Enter a Vietnamese mobile number of 10 digits, for example 0912 345 678."),
        counts,
    )


def test_a_phone_already_used_is_refused_however_written(client, form_data):
    """A number that has an account, typed another way, is refused on the phone."""
    UserFactory(phone="+84912345678")
    counts = _counts()
    form_data["phone"] = "0912 345 678"

    response = client.post(SIGNUP, form_data)

    assert response.context["form"].has_error("phone", code="phone_taken")
    _assert_refused(
        response,
        "phone",
        vi(
            "This mobile number already has an account. Log in, or ask your "
            "teacher for your login card if they added you."
        ),
        counts,
    )


def test_an_email_already_used_is_refused_in_any_case(client, form_data):
    """An email that has an account, in another case, is refused on the email."""
    UserFactory(email="lan@example.com")
    counts = _counts()
    form_data["email"] = "LAN@example.com"

    response = client.post(SIGNUP, form_data)

    _assert_refused(response, "email", vi("This email already has an account."), counts)


def test_an_unknown_commune_is_refused(client, form_data):
    """A commune name that matches no unit is refused on the commune."""
    counts = _counts()
    form_data["commune_query"] = "xa khong ton tai"

    response = client.post(SIGNUP, form_data)

    message = vi("No commune or ward matches “%(query)s”. Check the spelling.") % {
        "query": "xa khong ton tai"
    }
    _assert_refused(response, "commune_query", message, counts)


def test_missing_consent_is_refused(client, form_data):
    """Without consent to the processing of personal data nothing is created."""
    counts = _counts()
    del form_data["consent"]

    response = client.post(SIGNUP, form_data)

    _assert_refused(
        response,
        "consent",
        vi("You must agree to the processing of your personal data."),
        counts,
    )


def test_mismatched_passwords_are_refused(client, form_data):
    """Two different passwords are refused on the second one."""
    counts = _counts()
    form_data["password2"] = "hoc-tap-so-2026"

    response = client.post(SIGNUP, form_data)

    _assert_refused(
        response, "password2", vi("The two passwords do not match."), counts
    )


def test_an_all_digit_password_is_refused(client, form_data):
    """A password of digits only is refused on the password."""
    counts = _counts()
    form_data["password1"] = form_data["password2"] = "20252025"

    response = client.post(SIGNUP, form_data)

    assert response.context["form"].has_error(
        "password1", code="password_entirely_numeric"
    )
    assert _counts() == counts


class TestAmbiguousCommune:
    """Several communes share a name across provinces."""

    @pytest.fixture
    def thai_binh_dong_hung(self, db):
        thai_binh = ProvinceFactory(name="Tỉnh Thái Bình")
        return CommuneFactory(parent=thai_binh, name="Xã Đông Hưng")

    def test_candidates_are_offered_as_choices(
        self, client, form_data, dong_hung, thai_binh_dong_hung
    ):
        """A name several units share is refused on the commune, with each unit
        offered as a choice naming its province."""
        counts = _counts()

        response = client.post(SIGNUP, form_data)

        message = vi("Several units match “%(query)s”. Choose yours below.") % {
            "query": "dong hung"
        }
        _assert_refused(response, "commune_query", message, counts)
        for unit in (dong_hung, thai_binh_dong_hung):
            assertContains(
                response, f'<input type="radio" name="commune" value="{unit.pk}"'
            )
        assertContains(response, "Tỉnh Hưng Yên")
        assertContains(response, "Tỉnh Thái Bình")

    def test_choosing_one_candidate_signs_up(
        self, client, form_data, dong_hung, thai_binh_dong_hung
    ):
        """Choosing one of the offered units creates the account in that unit."""
        form_data["commune"] = thai_binh_dong_hung.pk

        response = client.post(SIGNUP, form_data)

        assert response.status_code == 302
        assert User.objects.get().home_region == thai_binh_dong_hung
        assert ConsentRecord.objects.count() == 1

    def test_adding_the_province_picks_one(
        self, client, form_data, dong_hung, thai_binh_dong_hung
    ):
        """Typing the province too leaves one unit, which is taken."""
        form_data["commune_query"] = "dong hung thai binh"

        response = client.post(SIGNUP, form_data)

        assert response.status_code == 302
        assert User.objects.get().home_region == thai_binh_dong_hung


def test_a_merged_commune_cannot_be_chosen(client, form_data, dong_hung, hung_yen):
    """A unit that no longer exists cannot be a new account's commune, and the
    form says so beside the commune."""
    old = CommuneFactory(parent=hung_yen, name="Xã Đông Hưng Cũ", is_current=False)
    counts = _counts()
    form_data["commune"] = old.pk

    response = client.post(SIGNUP, form_data)

    [message] = response.context["form"].errors["commune"]
    assertContains(response, f'<p class="field__error" role="alert">{escape(message)}')
    assert _counts() == counts


def test_a_logged_in_person_is_sent_to_my_learning(client):
    """Someone already logged in who opens sign-up goes to My learning."""
    client.force_login(UserFactory())

    response = client.get(SIGNUP)

    assertRedirects(
        response, reverse("courses:my_learning"), fetch_redirect_response=False
    )
