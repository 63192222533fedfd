"""Which communes a typed name offers, and in which order (regions.selectors)."""

import pytest

from regions.selectors import commune_candidates, commune_matches

from .factories import CommuneFactory, ProvinceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def units():
    """Two "Xã Đông Hưng" and the names around them, as on the real map."""
    hung_yen = ProvinceFactory(name="Tỉnh Hưng Yên")
    an_giang = ProvinceFactory(name="Tỉnh An Giang")
    ho_chi_minh = ProvinceFactory(name="Thành phố Hồ Chí Minh")
    ProvinceFactory(name="Tỉnh Thái Bình", legacy=True, replaced_by=hung_yen)
    for name in [
        "Xã Bắc Đông Quan",
        "Xã Đại Đồng",
        "Xã Đồng Bằng",
        "Xã Đông Quan",
        "Xã Đông Thụy Anh",
        "Xã Đông Tiên Hưng",
        "Xã Nam Đông Hưng",
    ]:
        CommuneFactory(parent=hung_yen, name=name)
    return {
        "hung_yen": CommuneFactory(parent=hung_yen, name="Xã Đông Hưng"),
        "an_giang": CommuneFactory(parent=an_giang, name="Xã Đông Hưng"),
        "bac": CommuneFactory(parent=hung_yen, name="Xã Bắc Đông Hưng"),
        "thuan": CommuneFactory(parent=ho_chi_minh, name="Phường Đông Hưng Thuận"),
        "nguyen_hue": CommuneFactory(
            parent=ProvinceFactory(name="Tỉnh Cao Bằng"), name="Xã Nguyễn Huệ"
        ),
        "hue": CommuneFactory(
            parent=ProvinceFactory(name="Thành phố Huế"), name="Phường Thuận Hóa"
        ),
    }


def names(query: str) -> list[str]:
    return [str(unit) for unit in commune_candidates(query)]


@pytest.mark.parametrize("query", ["dong hung", "xã đông hưng", "Phường Đông Hưng"])
def test_the_communes_named_exactly_so_come_first(units, query):
    """ "dong hung", with or without accents and the type word, offers both
    communes named "Xã Đông Hưng" first, then the names holding those two words,
    then the names with words starting so."""
    found = names(query)

    assert found[:2] == ["Xã Đông Hưng, Tỉnh An Giang", "Xã Đông Hưng, Tỉnh Hưng Yên"]
    assert found[2:5] == [
        "Xã Bắc Đông Hưng, Tỉnh Hưng Yên",
        "Xã Nam Đông Hưng, Tỉnh Hưng Yên",
        "Phường Đông Hưng Thuận, Thành phố Hồ Chí Minh",
    ]
    assert found[5] == "Xã Đông Tiên Hưng, Tỉnh Hưng Yên"


def test_a_typed_province_narrows_the_list(units):
    """ "xa dong hung hung yen" offers Hưng Yên's Xã Đông Hưng first, and only
    units of Hưng Yên: the province's words are matched against the province."""
    assert names("xa dong hung hung yen") == [
        "Xã Đông Hưng, Tỉnh Hưng Yên",
        "Xã Bắc Đông Hưng, Tỉnh Hưng Yên",
        "Xã Nam Đông Hưng, Tỉnh Hưng Yên",
        "Xã Đông Tiên Hưng, Tỉnh Hưng Yên",
    ]


@pytest.mark.parametrize(
    "query",
    ["dong hung, tinh an giang", "Đông Hưng An Giang", "xã đông hưng tỉnh an giang"],
)
def test_the_province_may_be_typed_with_its_type_word(units, query):
    """The province may follow a comma or its type word ("tỉnh")."""
    assert names(query) == ["Xã Đông Hưng, Tỉnh An Giang"]


def test_a_province_merged_in_2025_names_the_one_it_became(units):
    """Thái Bình became part of Hưng Yên: "dong hung thai binh" finds Hưng Yên's."""
    assert names("dong hung thai binh")[0] == "Xã Đông Hưng, Tỉnh Hưng Yên"
    assert "Xã Đông Hưng, Tỉnh An Giang" not in names("dong hung thai binh")


def test_a_name_ending_like_a_province_is_still_found(units):
    """ "nguyen hue" finds Xã Nguyễn Huệ in Cao Bằng, though "hue" names Huế."""
    assert names("nguyen hue") == ["Xã Nguyễn Huệ, Tỉnh Cao Bằng"]


def test_a_half_typed_province_puts_its_commune_first(units):
    """While the province is being typed ("dong hung hung y"), Hưng Yên's Xã Đông
    Hưng already comes first."""
    found = names("dong hung hung y")

    assert found[0] == "Xã Đông Hưng, Tỉnh Hưng Yên"
    assert "Xã Đông Hưng, Tỉnh An Giang" not in found


def test_the_type_word_alone_finds_nothing(units):
    """ "xã" alone names no commune: nothing is offered."""
    assert names("xã") == []


def test_how_many_more_match_beyond_those_shown(units):
    """Beyond the eight units listed, the count of the other matches is given."""
    shown = commune_matches("dong")

    assert len(shown.units) == 8
    assert shown.more == len(names("dong")) - 8 == 3
    assert commune_matches("nguyen hue").more == 0
