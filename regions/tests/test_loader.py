"""Loading the official administrative units: counts, shape, idempotence, history."""

import datetime
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import translation

from regions import loader
from regions.loader import load_current_regions, load_legacy_regions
from regions.models import Region

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("official_regions")]

PROVINCE, DISTRICT, COMMUNE = Region.Level
CURRENT_PATH = re.compile(r"^\d{2}(\.\d{5})?$")
LEGACY_PATH = re.compile(r"^L\d{2}(\.\d{3}(\.\d{5})?)?$")


def current(level, code):
    return Region.objects.get(level=level, code=code, is_current=True)


def legacy(level, code):
    return Region.objects.get(level=level, code=code, is_current=False)


# Current units.


def test_first_load_creates_every_current_unit(official_regions):
    """The first load creates 34 provinces and 3,321 communes, all current."""
    result = official_regions.current
    assert result.counts == {PROVINCE: 34, DISTRICT: 0, COMMUNE: 3321}
    assert (result.created, result.updated) == (3355, 0)
    units = Region.objects.current()
    assert units.filter(level=PROVINCE).count() == 34
    assert units.filter(level=COMMUNE).count() == 3321
    assert units.filter(level=DISTRICT).count() == 0
    assert units.exclude(valid_until=None).count() == 0


def test_every_current_commune_hangs_under_a_current_province():
    """Every current commune's parent is a current province and its path extends
    the province's."""
    communes = Region.objects.current().filter(level=COMMUNE)
    assert communes.filter(parent__level=PROVINCE, parent__is_current=True).count() == (
        3321
    )
    for path, code, parent_path in communes.values_list("path", "code", "parent__path"):
        assert path == f"{parent_path}.{code}"


def test_current_paths_and_codes_are_well_formed():
    """Paths are "PP" or "PP.CCCCC"; codes are zero-padded to their level's width."""
    for level, code, path in Region.objects.current().values_list(
        "level", "code", "path"
    ):
        assert CURRENT_PATH.match(path), path
        assert len(code) == {PROVINCE: 2, COMMUNE: 5}[level], code


def test_provinces_carry_their_official_names():
    """Provinces are named as officially written, "Tỉnh ..." or "Thành phố ..."."""
    names = list(Region.objects.current().filter(level=PROVINCE).values_list("name"))
    assert all(name.startswith(("Tỉnh ", "Thành phố ")) for (name,) in names)
    assert current(PROVINCE, "01").name == "Thành phố Hà Nội"
    assert current(PROVINCE, "33").name == "Tỉnh Hưng Yên"


def test_search_name_is_the_folded_name_and_province():
    """A commune's search_name is its name and its province's, folded."""
    commune = current(COMMUNE, "12688")
    assert str(commune) == "Xã Đông Hưng, Tỉnh Hưng Yên"
    assert commune.search_name == " xa dong hung tinh hung yen"


def test_names_have_no_stray_spaces():
    """Doubled spaces in the source are collapsed."""
    assert not Region.objects.filter(name__contains="  ").exists()


def test_loading_twice_changes_nothing():
    """Loading twice changes nothing."""
    again = load_current_regions()
    assert (again.created, again.updated, again.not_in_source) == (0, 0, 0)
    legacy_again = load_legacy_regions()
    assert (legacy_again.created, legacy_again.updated) == (0, 0)


def test_reload_restores_a_renamed_unit():
    """A unit renamed in the database gets its official name back on reload."""
    Region.objects.filter(pk=current(COMMUNE, "12688").pk).update(
        name="Xã Đông Hưng cũ", search_name="x"
    )
    result = load_current_regions()
    assert (result.created, result.updated) == (0, 1)
    commune = current(COMMUNE, "12688")
    assert commune.name == "Xã Đông Hưng"
    assert commune.search_name == " xa dong hung tinh hung yen"


def test_reload_creates_a_missing_unit():
    """A unit missing from the database is created again under its province, and
    the pre-reform units that became it are linked to it again."""
    commune = current(COMMUNE, "12688")
    predecessors = Region.objects.filter(replaced_by=commune)
    assert predecessors.count() == 6
    predecessors.update(replaced_by=None)
    commune.delete()

    result = load_current_regions()
    assert (result.created, result.updated) == (1, 0)
    commune = current(COMMUNE, "12688")
    assert commune.parent == current(PROVINCE, "33")

    relinked = load_legacy_regions()
    assert (relinked.created, relinked.updated) == (0, 6)
    assert Region.objects.filter(replaced_by=commune).count() == 6


def test_a_unit_dropped_from_the_source_is_kept(monkeypatch):
    """A unit the source no longer lists stays, with what refers to it."""
    commune = current(COMMUNE, "12688")
    person = get_user_model().objects.create(
        username="dong-hung", full_name="Trần Thị Hưng", home_region=commune
    )
    units = [u for u in loader.read_current_units() if u.code != "12688"]
    monkeypatch.setattr(loader, "read_current_units", lambda: iter(units))

    result = load_current_regions()

    assert (result.created, result.updated, result.not_in_source) == (0, 0, 1)
    with translation.override("en"):
        assert "1 in the database but not in the source" in result.summary()
    person.refresh_from_db()
    assert person.home_region == commune
    assert Region.objects.current().filter(level=COMMUNE).count() == 3321


def test_command_prints_a_summary():
    """The command says how many units it found, created and updated."""
    out = io.StringIO()
    with translation.override("en"):
        call_command("load_regions", stdout=out)
    assert out.getvalue() == "34 provinces, 3,321 communes: 0 created, 0 updated\n"


def test_summary_groups_thousands_as_vietnamese_does():
    """In Vietnamese the thousands are grouped with a dot: 3.321."""
    with translation.override("vi"):
        assert "3.321" in load_current_regions().summary()


# Pre-reform units.


def test_first_legacy_load_creates_every_pre_reform_unit(official_regions):
    """The pre-reform list has 63 provinces, 696 districts and 10,051 communes,
    none current, all valid until the reform."""
    result = official_regions.legacy
    assert result.counts == {PROVINCE: 63, DISTRICT: 696, COMMUNE: 10051}
    assert (result.created, result.updated) == (10810, 0)
    units = Region.objects.filter(is_current=False)
    assert units.count() == 10810
    assert set(units.values_list("valid_until", flat=True)) == {
        datetime.date(2025, 7, 1)
    }


def test_unmapped_communes_are_loaded_and_reported(official_regions):
    """The 28 communes the conversion table does not list are loaded, without a
    successor, and named in the summary."""
    result = official_regions.legacy
    assert len(result.unmapped) == 28
    with translation.override("en"):
        assert "28 communes have no successor" in result.summary()
    assert "27379" in result.summary()
    unmapped = Region.objects.filter(
        is_current=False, level=COMMUNE, code__in=result.unmapped
    )
    assert unmapped.count() == 28
    assert not unmapped.exclude(replaced_by=None).exists()
    assert not Region.successors.through.objects.filter(
        from_region__in=unmapped
    ).exists()


def test_pre_reform_tree_is_province_district_commune():
    """Every pre-reform commune is under a pre-reform district, every district
    under a pre-reform province, with paths such as L34.340.12718."""
    old = Region.objects.filter(is_current=False)
    assert old.filter(
        level=COMMUNE, parent__level=DISTRICT, parent__is_current=False
    ).count() == (10051)
    assert old.filter(
        level=DISTRICT, parent__level=PROVINCE, parent__is_current=False
    ).count() == (696)
    assert old.filter(level=PROVINCE, parent=None).count() == 63
    for path, code, parent_path in old.values_list("path", "code", "parent__path"):
        assert LEGACY_PATH.match(path), path
        assert path == (f"{parent_path}.{code}" if parent_path else f"L{code}")


def test_mapped_communes_roll_up_into_a_current_commune(official_regions):
    """Every mapped pre-reform commune is replaced by a current commune that is
    one of its successors; its successors are all current communes."""
    mapped = Region.objects.filter(is_current=False, level=COMMUNE).exclude(
        code__in=official_regions.legacy.unmapped
    )
    assert mapped.count() == 10051 - 28
    assert mapped.filter(
        replaced_by__is_current=True, replaced_by__level=COMMUNE
    ).count() == (10023)
    links = Region.successors.through.objects.filter(from_region__in=mapped)
    assert not links.exclude(to_region__is_current=True, to_region__level=COMMUNE)
    pairs = set(links.values_list("from_region_id", "to_region_id"))
    for pk, target in mapped.values_list("pk", "replaced_by_id"):
        assert (pk, target) in pairs


def test_districts_and_provinces_roll_up_into_current_provinces():
    """Pre-reform districts and provinces are replaced by a current province."""
    upper = Region.objects.filter(is_current=False, level__in=[PROVINCE, DISTRICT])
    assert upper.count() == 759
    rolled_up = upper.filter(replaced_by__level=PROVINCE, replaced_by__is_current=True)
    assert rolled_up.count() == 759
    links = Region.successors.through.objects.filter(from_region__in=upper)
    assert not links.exclude(to_region__is_current=True, to_region__level=PROVINCE)


def test_thai_binh_commune_rolls_up_into_hung_yen():
    """Xã Đông La of Huyện Đông Hưng, Tỉnh Thái Bình, became part of Xã Đông Hưng,
    Tỉnh Hưng Yên; its district and province roll up into Tỉnh Hưng Yên."""
    dong_la = legacy(COMMUNE, "12718")
    dong_hung = current(COMMUNE, "12688")
    hung_yen = current(PROVINCE, "33")
    assert dong_la.name == "Xã Đông La"
    assert dong_la.path == "L34.340.12718"
    assert dong_la.rollup_target() == dong_hung
    assert list(dong_la.successors.all()) == [dong_hung]
    district = dong_la.parent
    assert (district.name, district.replaced_by) == ("Huyện Đông Hưng", hung_yen)
    thai_binh = district.parent
    assert (thai_binh.name, thai_binh.rollup_target()) == ("Tỉnh Thái Bình", hung_yen)
    assert list(thai_binh.successors.all()) == [hung_yen]


def test_old_hung_yen_ward_rolls_up_into_pho_hien():
    """Phường Hiến Nam of the old Tỉnh Hưng Yên is now Phường Phố Hiến."""
    hien_nam = legacy(COMMUNE, "11953")
    assert hien_nam.name == "Phường Hiến Nam"
    assert str(hien_nam.rollup_target()) == "Phường Phố Hiến, Tỉnh Hưng Yên"


def test_split_commune_rolls_up_where_it_went_whole():
    """Phường Thụy Khuê went in part into Ba Đình and mainly into Tây Hồ; the
    conversion table marks Tây Hồ, listed second, as not partial."""
    thuy_khue = legacy(COMMUNE, "00112")
    assert thuy_khue.name == "Phường Thụy Khuê"
    assert thuy_khue.replaced_by.name == "Phường Tây Hồ"
    assert set(thuy_khue.successors.values_list("name", flat=True)) == {
        "Phường Ba Đình",
        "Phường Tây Hồ",
    }


def test_successors_follow_the_unit_not_its_code():
    """Phường Văn Chương became Phường Văn Miếu - Quốc Tử Giám, whatever code the
    installed release gives that ward."""
    van_chuong = legacy(COMMUNE, "00193")
    assert van_chuong.name == "Phường Văn Chương"
    assert van_chuong.replaced_by.name == "Phường Văn Miếu - Quốc Tử Giám"


def test_legacy_summary_names_the_reform(official_regions):
    """The legacy summary counts the pre-reform units."""
    with translation.override("en"):
        summary = official_regions.legacy.summary()
    assert summary.startswith(
        "63 provinces, 696 districts, 10,051 communes before the 2025 reform: "
        "10,810 created, 0 updated; 28 communes have no successor"
    )


def test_legacy_data_file_names_its_source():
    """The committed data file says where it comes from and under which licence."""
    with open(loader.LEGACY_DATA, encoding="utf-8") as f:
        header = "".join(line for line in f if line.startswith("#"))
    assert "vietnam-provinces 2026.9.0" in header
    assert "BangChuyendoiĐVHCmoi_cu_khong_merge.csv" in header
    assert "effective date 2025-07-01" in header
    assert "GPL-3.0" in header
    assert "scripts/export_legacy_regions.py --source" in header
