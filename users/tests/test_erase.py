"""Erasing an account: what named the person goes, the row and what it counts
stay, and the person's registered data sections are asked to erase their part."""

import pytest
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from core.testing import vi
from users import personal_data
from users.models import (
    AccessToken,
    AccountEvent,
    ClaimCode,
    LoginSession,
    RegionRole,
    User,
)
from users.services import access_token_create, claim_code_issue, user_erase

from .factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_erasing_removes_what_names_the_person(lan, dong_hung):
    lan.home_region = dong_hung
    lan.save()
    phone = Client()
    phone.post(reverse("users:login"), {"username": "0912345678", "password": PASSWORD})
    access_token_create(user=lan, purpose=AccessToken.Purpose.COVERAGE_FEED)
    RegionRole.objects.create(user=lan, region=dong_hung)
    lan.groups.add(Group.objects.create(name="Giáo viên thử"))
    [session_key] = LoginSession.objects.filter(user=lan).values_list(
        "session_key", flat=True
    )

    user_erase(user=lan, actor=lan, reason="self")

    erased = User.objects.get(pk=lan.pk)
    assert erased.full_name == vi("Deleted account")
    assert str(erased) == vi("Deleted account")
    assert erased.username.startswith("erased-")
    assert "Lan" not in erased.username and "0912" not in erased.username
    assert erased.phone is None
    assert erased.email == ""
    assert erased.date_of_birth is None
    assert erased.home_region is None
    assert erased.has_usable_password() is False
    assert erased.is_active is False
    assert erased.erased_at is not None
    assert erased.is_light is False
    assert not AccessToken.objects.filter(user=lan).exists()
    assert not LoginSession.objects.filter(user=lan).exists()
    assert not Session.objects.filter(session_key=session_key).exists()
    assert not RegionRole.objects.filter(user=lan).exists()
    assert not erased.groups.exists()
    consent = erased.consents.get()
    assert consent.withdrawn_at is not None
    assert consent.ip_address is None
    assert (
        list(
            AccountEvent.objects.filter(subject=lan)
            .exclude(ip_address=None)
            .values_list("kind", flat=True)
        )
        == []
    )
    assert AccountEvent.objects.filter(
        subject=lan, kind=AccountEvent.Kind.ERASED, detail="self", actor=lan
    ).exists()
    assert AccountEvent.objects.filter(
        subject=lan, kind=AccountEvent.Kind.CONSENT_WITHDRAWN
    ).exists()
    assert phone.get(reverse("users:account")).status_code == 302


def test_claim_codes_go_with_a_light_account():
    from users.services import light_user_create

    light = light_user_create(full_name="Em Nhỏ", phone="+84912000111")
    claim_code_issue(user=light)

    user_erase(user=light, reason="retention")

    assert not ClaimCode.objects.filter(user=light).exists()
    assert User.objects.get(pk=light.pk).phone is None


def test_a_superuser_is_not_erased(lan):
    lan.is_superuser = True
    lan.save()

    with pytest.raises(ValidationError) as caught:
        user_erase(user=lan, reason="self")

    assert caught.value.code == "superuser"
    lan.refresh_from_db()
    assert lan.erased_at is None


def test_erasing_twice_changes_nothing_more(lan):
    user_erase(user=lan, reason="self")
    first = User.objects.get(pk=lan.pk)

    user_erase(user=first, reason="self")

    again = User.objects.get(pk=lan.pk)
    assert again.username == first.username
    assert AccountEvent.objects.filter(kind=AccountEvent.Kind.ERASED).count() == 1


def test_every_registered_section_erases_its_part(lan, monkeypatch):
    erased = []
    section = personal_data.Section(
        name="test_section",
        title="Test",
        columns=[("x", "X")],
        rows=lambda user: [{"x": user.pk}],
        erase=lambda user: erased.append((user.pk, user.phone)),
    )
    monkeypatch.setitem(personal_data._sections, "test_section", section)

    user_erase(user=lan, reason="self")

    # Each section sees the person before their details are erased, so it can
    # find what names them.
    assert erased == [(lan.pk, "+84912345678")]


def test_another_person_is_untouched(lan):
    other = UserFactory(full_name="Người Khác", email="khac@example.com")

    user_erase(user=lan, reason="self")

    other.refresh_from_db()
    assert other.full_name == "Người Khác"
    assert other.is_active is True
    assert other.consents.get().withdrawn_at is None
