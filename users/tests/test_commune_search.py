"""The commune suggestions of the sign-up form (regions.views.commune_search)."""

import pytest
from django.urls import reverse

from regions.tests.factories import CommuneFactory, ProvinceFactory

pytestmark = pytest.mark.django_db

SEARCH = reverse("regions:commune_search")


@pytest.fixture
def units(dong_hung, hung_yen):
    hoan_kiem = CommuneFactory(
        parent=ProvinceFactory(name="Thành phố Hà Nội"), name="Phường Hoàn Kiếm"
    )
    return {"dong_hung": dong_hung, "hoan_kiem": hoan_kiem}


def _choices(response) -> list[str]:
    return [str(region) for region in response.context["matches"]]


@pytest.mark.parametrize("query", ["dong hung", "ĐÔNG HƯNG", "Đông Hưng", "dong  hung"])
def test_search_ignores_accents_and_case(client, units, query):
    """Typed with or without accents, in any case, Đông Hưng is found with its
    province."""
    response = client.get(SEARCH, {"q": query})

    assert response.status_code == 200
    assert _choices(response) == ["Xã Đông Hưng, Tỉnh Hưng Yên"]
    html = response.content.decode()
    assert f'<input type="radio" name="commune" value="{units["dong_hung"].pk}"' in html
    assert "Xã Đông Hưng" in html
    assert "Tỉnh Hưng Yên" in html
    assert "Hoàn Kiếm" not in html


def test_search_reads_what_the_sign_up_field_sends(client, units):
    """The sign-up form's field (commune_query) is searched like q."""
    response = client.get(SEARCH, {"commune_query": "hoan kiem"})

    assert _choices(response) == ["Phường Hoàn Kiếm, Thành phố Hà Nội"]


def test_the_province_narrows_the_search(client, units, hung_yen):
    """Adding the province's name leaves that province's units only."""
    CommuneFactory(parent=ProvinceFactory(name="Tỉnh Thái Bình"), name="Xã Đông Hưng")

    both = client.get(SEARCH, {"q": "dong hung"})
    one = client.get(SEARCH, {"q": "dong hung thai binh"})

    assert sorted(_choices(both)) == [
        "Xã Đông Hưng, Tỉnh Hưng Yên",
        "Xã Đông Hưng, Tỉnh Thái Bình",
    ]
    assert _choices(one) == ["Xã Đông Hưng, Tỉnh Thái Bình"]


def test_one_letter_lists_nothing(client, units):
    """A single letter is too little to search: nothing is listed."""
    response = client.get(SEARCH, {"q": "d"})

    assert response.status_code == 200
    assert _choices(response) == []
    assert 'type="radio"' not in response.content.decode()


def test_no_match_says_so(client, units):
    """A name that matches nothing says so."""
    response = client.get(SEARCH, {"q": "xyz"})

    assert _choices(response) == []
    assert "xyz" in response.content.decode()


def test_units_no_longer_current_are_not_offered(client, units, hung_yen):
    """A unit merged away is not offered."""
    CommuneFactory(parent=hung_yen, name="Xã Đông Hưng Cũ", is_current=False)

    response = client.get(SEARCH, {"q": "dong hung"})

    assert _choices(response) == ["Xã Đông Hưng, Tỉnh Hưng Yên"]


def test_a_suggestion_carries_its_unit_id_as_one_number(client, hung_yen):
    """A commune with a large id is offered as value="14167", which the sign-up
    form accepts, not as a grouped "14.167", which names no unit."""
    commune = CommuneFactory(id=14167, parent=hung_yen, name="Xã Tiên Tiến")

    response = client.get(SEARCH, {"q": "tien tien"})

    assert f'value="{commune.pk}"' in response.content.decode()
