"""Passwords are stored with Argon2id at OWASP's minimum cost in production,
and a hash from the hasher before (PBKDF2) is upgraded at the next login."""

import pytest
from argon2 import Type, extract_parameters
from django.contrib.auth.hashers import make_password
from django.urls import reverse

from lms.settings import base
from users.models import User
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "hoc-dvc-2025"


@pytest.fixture
def production_hashers(settings):
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS


def test_a_new_password_is_argon2id_at_owasp_minimum(production_hashers):
    encoded = make_password(PASSWORD)
    algorithm, _rest = encoded.split("$", 1)
    parameters = extract_parameters(encoded.removeprefix("argon2"))

    assert algorithm == "argon2"
    assert parameters.type is Type.ID
    assert parameters.memory_cost >= 19 * 1024
    assert parameters.time_cost >= 2
    assert parameters.parallelism >= 1


def test_an_old_pbkdf2_hash_logs_in_and_is_upgraded(client, production_hashers):
    learner = UserFactory(phone="+84912345678")
    User.objects.filter(pk=learner.pk).update(
        password=make_password(PASSWORD, hasher="pbkdf2_sha256")
    )

    client.post(
        reverse("users:login"), {"username": "0912345678", "password": PASSWORD}
    )

    assert client.session.get("_auth_user_id") == str(learner.pk)
    learner.refresh_from_db()
    assert learner.password.startswith("argon2$argon2id$")
    assert f"m={19 * 1024},t=2,p=1" in learner.password


def test_a_wrong_password_upgrades_nothing(client, production_hashers):
    learner = UserFactory(phone="+84912345678")
    old = make_password(PASSWORD, hasher="pbkdf2_sha256")
    User.objects.filter(pk=learner.pk).update(password=old)

    client.post(reverse("users:login"), {"username": "0912345678", "password": "sai"})

    learner.refresh_from_db()
    assert learner.password == old
    assert "_auth_user_id" not in client.session
