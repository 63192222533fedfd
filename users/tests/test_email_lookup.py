"""Finding a person by their email, letter case aside (users.selectors.
people_with_email), the way every login, sign-up and password reset with an
email does."""

import pytest
from django.db import connection

from users.selectors import people_with_email
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_email_names_its_person_in_any_letter_case():
    lan = UserFactory(email="Lan.Nguyen@Example.vn")
    UserFactory(email="lan.nguyen@example.com")
    UserFactory(email="")

    assert list(people_with_email("lan.nguyen@example.vn")) == [lan]
    assert list(people_with_email("LAN.NGUYEN@EXAMPLE.VN")) == [lan]
    assert list(people_with_email("lan.nguyen@example")) == []


def test_an_empty_email_names_nobody():
    """The many people without an email are never one person's namesakes."""
    UserFactory(email="")
    UserFactory(email="")

    assert list(people_with_email("")) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's query plan")
def test_the_lookup_goes_through_the_unique_email_index():
    """With a million people in a province, a lookup that reads the whole table
    at every login is too slow: PostgreSQL must find the address in the index on
    lower(email), as its condition. UPPER(email) = UPPER(%s) can at best read
    every entry of that index, filtering each row."""
    UserFactory(email="lan@example.vn")
    query = people_with_email("LAN@example.vn")
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Scan using user_unique_email_ci" in plan, plan
    assert "Index Cond: (lower((email)::text)" in plan, plan
