"""The coverage feed: aggregate counts as JSON, scoped like the dashboard."""

import datetime
import json

import pytest
from django.core import signing
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from regions.tests.factories import DistrictFactory
from users.models import AccessToken, AccountEvent, RegionRole
from users.services import access_token_create
from users.tests.factories import UserFactory

from .factories import target

pytestmark = pytest.mark.django_db

PERIOD = {"from": "2026-09-01", "to": "2026-11-30"}


def official_of(region):
    user = UserFactory(full_name="Cán bộ Phạm Văn Đức")
    RegionRole.objects.create(user=user, region=region, role=RegionRole.Role.OFFICIAL)
    return user


def feed(client, unit, **params):
    return client.get(reverse("coverage_api:unit", args=[unit]), {**PERIOD, **params})


def test_feed_shape_and_figures(client, world):
    """A province official reads the province's totals and one entry per commune,
    with the dashboard's figures, the period and the filters."""
    target(world.a, 4)
    client.force_login(official_of(world.province))
    response = feed(client, world.province.code)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "private, max-age=300"
    data = response.json()
    assert set(data) == {
        "unit",
        "period",
        "filters",
        "totals",
        "children",
        "direct",
        "by_kind",
        "by_course",
        "trend",
        "generated_at",
    }
    assert data["unit"]["name"] == "Tỉnh Hưng Yên"
    assert data["unit"]["level"] == "province"
    assert data["period"] == {"from": "2026-09-01", "to": "2026-11-30", "days": 91}
    assert data["filters"] == {"kind": None, "course": None}
    assert data["totals"]["trained"] == 4
    assert data["totals"]["certificates_issued"] == 8
    assert data["totals"]["certificates_revoked"] == 1
    children = {child["unit"]["name"]: child for child in data["children"]}
    assert children["Xã An Bình"]["trained"] == 2
    assert children["Xã An Bình"]["target"] == 4
    assert children["Xã An Bình"]["coverage"] == 0.5
    assert children["Phường Bạch Đằng"]["coverage"] is None
    assert data["direct"]["trained"] == 1
    # Each child links to its own feed.
    child = client.get(children["Xã An Bình"]["unit"]["url"], PERIOD).json()
    assert child["totals"]["trained"] == 2
    assert sum(week["certificates"] for week in data["trend"]) == 8


def test_filters_by_kind_and_course(client, world):
    """kind and course narrow the figures and are echoed back."""
    client.force_login(official_of(world.province))
    data = feed(client, world.province.path, kind="volunteer").json()
    assert data["filters"]["kind"] == "volunteer"
    assert data["totals"]["trained"] == 2

    data = feed(client, world.province.code, course=world.c2.pk).json()
    assert data["filters"]["course"] == {"id": world.c2.pk, "title": world.c2.title}
    assert data["totals"]["trained"] == 2  # u5 and u7


def test_feed_holds_no_personal_data(client, world):
    """No learner's name, phone, email or id appears anywhere in the feed."""
    client.force_login(official_of(world.province))
    body = feed(client, world.province.code).content.decode()
    for user in world.users:
        assert user.full_name not in body
        assert user.phone not in body
        assert user.username not in body
    data = json.loads(body)

    def keys(value):
        if isinstance(value, dict):
            for key, item in value.items():
                yield key
                yield from keys(item)
        elif isinstance(value, list):
            for item in value:
                yield from keys(item)

    assert not {"user", "users", "name_of", "phone", "email", "learner"} & set(
        keys(data)
    )


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "01/09/2026"}, "from"),
        ({"to": "2026-13-01"}, "to"),
        ({"from": "2026-11-30", "to": "2026-09-01"}, "to"),
        ({"from": "2020-01-01", "to": "2026-01-01"}, "from"),
        ({"kind": "alien"}, "kind"),
        ({"course": "abc"}, "course"),
        ({"course": "999999"}, "course"),
    ],
)
def test_bad_parameters_answer_400_with_the_field(client, world, params, field):
    """A bad parameter is a 400 naming the field and saying what is wrong."""
    client.force_login(official_of(world.province))
    response = client.get(
        reverse("coverage_api:unit", args=[world.province.code]), params
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == [field]
    assert errors[field][0]


def test_unknown_unit_is_404(client, world):
    client.force_login(official_of(world.province))
    for unit in ("00", "123", "nowhere", "99.00000"):
        response = client.get(reverse("coverage_api:unit", args=[unit]))
        assert response.status_code == 404
        assert "error" in response.json()


def test_a_district_official_cannot_read_a_sibling_district(client, world):
    """The feed is scoped like the dashboard: a district official reads their
    district, and a sibling district or the province answers 404, as an
    unknown unit does."""
    mine = DistrictFactory(parent=world.old_province, name="Huyện Hưng Hà")
    sibling = DistrictFactory(parent=world.old_province, name="Huyện Quỳnh Phụ")
    client.force_login(official_of(mine))

    assert feed(client, mine.path).status_code == 200
    assert feed(client, sibling.path).status_code == 404
    assert feed(client, world.province.code).status_code == 404
    assert feed(client, world.old_province.path).status_code == 404
    index = client.get(reverse("coverage_api:index")).json()
    assert [unit["path"] for unit in index["units"]] == [mine.path]


def test_anonymous_clients_need_a_login_or_token(client, world):
    """Without COVERAGE_FEED_PUBLIC the feed answers 401 to an anonymous
    client, and a bad token is refused the same way."""
    response = feed(client, world.province.code)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert client.get(reverse("coverage_api:index")).status_code == 401
    response = feed(client, world.province.code, HTTP_AUTHORIZATION="Bearer nope")
    assert response.status_code == 401


def feed_token_for(user, **kwargs) -> str:
    _token, raw = access_token_create(
        user=user, purpose=AccessToken.Purpose.COVERAGE_FEED, label="test", **kwargs
    )
    return raw


def read_a(client, world, token):
    return client.get(
        reverse("coverage_api:unit", args=[world.a.path]),
        PERIOD,
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def test_a_token_reads_what_its_official_may_see(client, world):
    """A personal token reads the official's subtree, nothing else, and stops
    working when they change their password."""
    official = official_of(world.a)
    token = feed_token_for(official)
    header = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    response = client.get(
        reverse("coverage_api:unit", args=[world.a.path]), PERIOD, **header
    )
    assert response.status_code == 200
    assert response.json()["totals"]["trained"] == 2
    response = client.get(
        reverse("coverage_api:unit", args=[world.b.path]), PERIOD, **header
    )
    assert response.status_code == 404

    official.set_password("mat-khau-moi-2026")
    official.save()
    response = client.get(
        reverse("coverage_api:unit", args=[world.a.path]), PERIOD, **header
    )
    assert response.status_code == 401


def test_only_a_hash_of_the_token_is_kept(world):
    """The database holds the token's hash and its first characters, never the
    token itself."""
    official = official_of(world.a)
    token = feed_token_for(official)

    row = AccessToken.objects.get(user=official)
    assert token.startswith("lms_")
    assert row.prefix == token[:12]
    assert token not in row.key_hash
    assert len(row.key_hash) == 64


def test_a_token_expires(client, world, settings):
    """A token works until ACCESS_TOKEN_LIFETIME_DAYS after it was made, not a
    moment longer."""
    settings.ACCESS_TOKEN_LIFETIME_DAYS = 30
    official = official_of(world.a)
    token = feed_token_for(official)
    row = AccessToken.objects.get(user=official)
    assert row.expires_at - row.created_at == datetime.timedelta(days=30)
    assert read_a(client, world, token).status_code == 200

    AccessToken.objects.filter(pk=row.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )

    assert read_a(client, world, token).status_code == 401


def test_a_revoked_token_stops_at_once(client, world):
    """Revoking a token on the account page ends it; the revocation is in the
    person's account history."""
    official = official_of(world.a)
    token = feed_token_for(official)
    assert read_a(client, world, token).status_code == 200
    row = AccessToken.objects.get(user=official)

    client.force_login(official)
    client.post(reverse("users:tokens"), {"action": "revoke", "token": row.pk})
    client.logout()

    assert read_a(client, world, token).status_code == 401
    row.refresh_from_db()
    assert row.revoked_at is not None
    assert AccountEvent.objects.filter(
        subject=official, kind=AccountEvent.Kind.TOKEN_REVOKED, actor=official
    ).exists()


def test_a_token_of_an_inactive_person_reads_nothing(client, world):
    official = official_of(world.a)
    token = feed_token_for(official)
    official.is_active = False
    official.save()

    assert read_a(client, world, token).status_code == 401


def test_use_is_noted_at_most_once_an_hour(client, world):
    """The token's last use shows on the account page without a write on every
    request."""
    official = official_of(world.a)
    token = feed_token_for(official)
    read_a(client, world, token)
    first = AccessToken.objects.get(user=official).last_used_at
    assert first is not None

    read_a(client, world, token)
    assert AccessToken.objects.get(user=official).last_used_at == first

    AccessToken.objects.filter(user=official).update(
        last_used_at=first - datetime.timedelta(hours=2)
    )
    read_a(client, world, token)
    assert AccessToken.objects.get(user=official).last_used_at > first


def test_old_signed_tokens_no_longer_work(client, world):
    """A token of the old kind (signed, never stored) reads nothing."""
    from users.tokens import password_stamp

    official = official_of(world.a)
    old = signing.dumps(
        {"u": official.pk, "p": password_stamp(official)},
        salt="reports.coverage_feed.token",
    )

    assert read_a(client, world, old).status_code == 401


def test_the_token_command_prints_a_working_token(client, world, capsys):
    """manage.py coverage_feed_token prints a token once, and its expiry."""
    official = official_of(world.a)
    call_command("coverage_feed_token", official.username)
    captured = capsys.readouterr()
    token = captured.out.strip()
    assert "Expires on" in captured.err
    assert read_a(client, world, token).status_code == 200
    assert AccessToken.objects.get(user=official).label == (
        "manage.py coverage_feed_token"
    )


def test_a_public_feed_is_open_and_cacheable(client, world, settings):
    """With COVERAGE_FEED_PUBLIC, anyone reads any unit's counts, cacheable by
    shared caches for five minutes, and the index lists the provinces."""
    settings.COVERAGE_FEED_PUBLIC = True
    response = feed(client, world.province.code)
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=300"
    assert response.json()["totals"]["trained"] == 4
    index = client.get(reverse("coverage_api:index")).json()
    assert world.province.code in [unit["code"] for unit in index["units"]]
