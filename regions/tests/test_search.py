"""Finding units by name and walking the tree, on the real administrative map."""

import pytest

from regions.models import Region

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("official_regions")]

PROVINCE, DISTRICT, COMMUNE = Region.Level


def current(level, code):
    return Region.objects.get(level=level, code=code, is_current=True)


def legacy(level, code):
    return Region.objects.get(level=level, code=code, is_current=False)


def found(query):
    return {str(unit) for unit in Region.objects.current().search(query)}


def test_dong_hung_finds_the_commune_in_hung_yen():
    """ "dong hung" finds Xã Đông Hưng, Tỉnh Hưng Yên."""
    assert "Xã Đông Hưng, Tỉnh Hưng Yên" in found("dong hung")


@pytest.mark.parametrize("query", ["ĐÔNG HƯNG", "đông hưng", "Dong Hung", "dong  hung"])
def test_search_ignores_case_accents_and_spacing(query):
    """Search ignores case, accents and extra spaces."""
    assert found(query) == found("dong hung")


def test_more_words_narrow_the_results():
    """Adding the province's name narrows the results and keeps the commune."""
    broad = found("dong hung")
    narrow = found("dong hung hung yen")
    assert "Xã Đông Hưng, Tỉnh Hưng Yên" in narrow
    assert narrow < broad
    assert "Xã Đông Hưng, Tỉnh An Giang" in broad - narrow


def test_words_match_from_their_start():
    """A typed word matches the start of a word: "yen" finds Hưng Yên but not
    every unit whose name holds "huyện", and a half-typed word still finds."""
    assert not Region.objects.filter(is_current=False).search("uyen dong hung")
    legacy_matches = Region.objects.filter(is_current=False).search("dong hung yen")
    assert all("yen" in unit.search_name.split() for unit in legacy_matches)
    assert "Xã Đông Hưng, Tỉnh Hưng Yên" in found("dong hu")


def test_search_matches_the_province_name():
    """A commune is found by its province's name as well as its own."""
    assert "Xã Đông Hưng, Tỉnh An Giang" in found("dong hung an giang")
    assert found("dong hung an giang") == {
        "Xã Đông Hưng, Tỉnh An Giang",
    }


def test_search_finds_a_pre_reform_commune_by_its_district():
    """A pre-reform commune is found by its own, its district's and its
    province's names."""
    matches = Region.objects.filter(is_current=False).search("dong la dong hung")
    assert legacy(COMMUNE, "12718") in matches
    assert legacy(COMMUNE, "12718") in Region.objects.search("đông la thái bình")


def test_nothing_matches_a_name_that_is_not_there():
    """A word no unit has finds nothing."""
    assert found("dong hung xyzzy") == set()


def test_subtree_of_a_province_is_the_province_and_its_communes():
    """A current province's subtree is itself and its communes."""
    hung_yen = current(PROVINCE, "33")
    communes = Region.objects.filter(parent=hung_yen)
    assert communes.count() > 100
    subtree = Region.objects.subtree(hung_yen)
    assert set(subtree) == {hung_yen, *communes}
    assert set(Region.objects.subtree(hung_yen, include_self=False)) == set(communes)


def test_subtree_of_a_pre_reform_province_has_three_levels():
    """A pre-reform province's subtree holds its districts and their communes."""
    thai_binh = legacy(PROVINCE, "34")
    below = Region.objects.subtree(thai_binh, include_self=False)
    assert set(below.values_list("level", flat=True)) == {DISTRICT, COMMUNE}
    assert legacy(COMMUNE, "12718") in below
    assert not below.filter(is_current=True).exists()


def test_subtree_does_not_reach_a_province_with_a_longer_code():
    """Province "01"'s subtree does not take in units under "010..."-like paths."""
    ha_noi = current(PROVINCE, "01")
    subtree = Region.objects.subtree(ha_noi, include_self=False)
    assert not subtree.exclude(parent=ha_noi).exists()


def test_ancestors_are_listed_province_first():
    """A commune's ancestors are its province (and before the reform its
    district), province first."""
    assert current(COMMUNE, "12688").ancestors() == [current(PROVINCE, "33")]
    assert legacy(COMMUNE, "12718").ancestors() == [
        legacy(PROVINCE, "34"),
        legacy(DISTRICT, "340"),
    ]
    assert current(PROVINCE, "33").ancestors() == []


def test_rollup_target():
    """A current unit counts in itself; a pre-reform unit in the current unit that
    replaced it."""
    dong_hung = current(COMMUNE, "12688")
    assert dong_hung.rollup_target() == dong_hung
    assert legacy(COMMUNE, "12718").rollup_target() == dong_hung
    assert legacy(DISTRICT, "340").rollup_target() == current(PROVINCE, "33")
