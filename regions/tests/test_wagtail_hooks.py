"""The administrative units in the Wagtail admin: read-only for everyone."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from regions.models import Region
from users.tests.factories import consent_given

from .factories import CommuneFactory, DistrictFactory, ProvinceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def units():
    hung_yen = ProvinceFactory(name="Tỉnh Hưng Yên")
    dong_hung = CommuneFactory(name="Xã Đông Hưng", parent=hung_yen)
    old = CommuneFactory(
        name="Xã Đông La",
        parent=DistrictFactory(
            name="Huyện Đông Hưng",
            parent=ProvinceFactory(name="Tỉnh Thái Bình", legacy=True),
        ),
        replaced_by=dong_hung,
        successors=[dong_hung],
    )
    other = CommuneFactory(name="Phường Ba Đình", parent=ProvinceFactory())
    return {"dong_hung": dong_hung, "old": old, "other": other}


@pytest.fixture
def superuser_client(client):
    client.force_login(
        consent_given(
            get_user_model().objects.create_superuser("admin", "admin@example.com", "x")
        )
    )
    return client


def url(name, *args):
    return reverse(f"administrative_units:{name}", args=args)


def listed(response):
    return {str(unit) for unit in response.context["object_list"]}


def test_listing_searches_without_accents(superuser_client, units):
    """Searching "dong hung" lists the units whose names match, accents or not."""
    response = superuser_client.get(url("index"), {"q": "dong hung"})
    assert response.status_code == 200
    assert listed(response) == {
        "Xã Đông Hưng, Tỉnh Hưng Yên",
        "Xã Đông La, Tỉnh Thái Bình",
        "Huyện Đông Hưng",
    }


def test_listing_filters_by_level_and_current(superuser_client, units):
    """The listing filters by level and by whether the unit is current."""
    response = superuser_client.get(
        url("index"), {"level": Region.Level.COMMUNE, "is_current": "false"}
    )
    assert listed(response) == {"Xã Đông La, Tỉnh Thái Bình"}


def test_inspect_shows_history(superuser_client, units):
    """A unit's page shows what it became and what rolled up into it."""
    response = superuser_client.get(url("inspect", units["dong_hung"].pk))
    assert response.status_code == 200
    # Only the list of units it was formed from names the old commune.
    assert "Xã Đông La, Tỉnh Thái Bình" in response.content.decode()
    old = superuser_client.get(url("inspect", units["old"].pk)).content.decode()
    assert "Xã Đông Hưng, Tỉnh Hưng Yên" in old


@pytest.mark.parametrize("view", ["add", "edit", "delete"])
def test_nobody_adds_edits_or_deletes(superuser_client, units, view):
    """Not even a superuser can add, edit or delete a unit in the admin."""
    args = () if view == "add" else (units["other"].pk,)
    response = superuser_client.get(url(view, *args))
    assert response.status_code in (302, 403)
    if view == "delete":
        assert superuser_client.post(url(view, *args)).status_code in (302, 403)
        assert Region.objects.filter(pk=units["other"].pk).exists()
    listing = superuser_client.get(url("index")).content.decode()
    assert url("add") not in listing
    assert url("edit", units["other"].pk) not in listing


def test_staff_without_view_permission_cannot_list(client, units):
    """An admin user needs the view permission to see the units."""
    user = consent_given(get_user_model().objects.create_user("editor", password="x"))
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert client.get(url("index")).status_code == 302
    user.user_permissions.add(Permission.objects.get(codename="view_region"))
    assert client.get(url("index")).status_code == 200


def test_django_admin_lookup_searches_and_is_read_only(superuser_client, units):
    """Django's admin (used to pick a person's commune) finds units without
    accents and offers no way to change them."""
    listing = reverse("admin:regions_region_changelist")
    response = superuser_client.get(
        listing, {"q": "ĐÔNG HƯNG hưng yên", "is_current__exact": "1"}
    )
    assert [str(unit) for unit in response.context["cl"].result_list] == [
        "Xã Đông Hưng, Tỉnh Hưng Yên"
    ]
    assert superuser_client.get(reverse("admin:regions_region_add")).status_code == 403
    change = reverse("admin:regions_region_change", args=[units["other"].pk])
    assert superuser_client.post(change, {"name": "Phường Mới"}).status_code == 403
    units["other"].refresh_from_db()
    assert units["other"].name == "Phường Ba Đình"
