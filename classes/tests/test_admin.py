"""Organisations in the Wagtail admin, and their import from a spreadsheet."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from classes.models import Organisation
from classes.services import organisation_import
from core.groups import EDITORS
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SHEET = (
    "Tên,Loại,Mã đơn vị hành chính,Mã\r\n"
    "Trường THCS Đông Hưng,Trường,{dong_hung},T01\r\n"
    "Tổ CNSCĐ xã Đông Hưng,Tổ công nghệ số cấp xã,{dong_hung},\r\n"
    "Nơi lạ,Câu lạc bộ,99999999,\r\n"
)


def sheet(communes):
    text = SHEET.format(dong_hung=communes["dong_hung"].code)
    return SimpleUploadedFile("to-chuc.csv", text.encode("utf-8"))


def test_import_creates_updates_and_reports_bad_rows(communes):
    result = organisation_import(upload=sheet(communes))
    again = organisation_import(upload=sheet(communes))

    assert (result.created, result.updated) == (2, 0)
    assert (again.created, again.updated) == (0, 2)
    assert result.errors == [
        "Dòng 4: không rõ loại “Câu lạc bộ”; không có đơn vị hành chính mã “99999999”."
    ]
    school = Organisation.objects.get(code="T01")
    assert (school.kind, school.region) == ("school", communes["dong_hung"])
    assert Organisation.objects.count() == 2


def test_admin_pages_for_editors_only(client, communes):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(superuser)
    assert client.get(reverse("organisations:index")).status_code == 200
    response = client.post(
        reverse("classes_organisation_import"), {"file": sheet(communes)}
    )
    assert response.status_code == 200
    assert Organisation.objects.count() == 2

    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse("classes_organisation_import")).status_code in (302, 403)


def test_wagtail_editors_may_manage_organisations(client, communes):
    """Wagtail's Editors group comes with the organisation permissions."""
    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITORS))
    client.force_login(editor)

    assert client.get(reverse("organisations:index")).status_code == 200
    assert client.get(reverse("classes_organisation_import")).status_code == 200


def test_import_organisations_command(communes, tmp_path):
    """The command reports what it created and which rows it refused."""
    path = tmp_path / "to-chuc.csv"
    path.write_bytes(sheet(communes).read())
    out = StringIO()

    call_command("import_organisations", str(path), stdout=out)

    assert "2 created, 0 updated, 1 rows refused." in out.getvalue()
    assert Organisation.objects.count() == 2


def test_an_official_manages_only_the_organisations_of_their_unit(
    client, communes, hung_yen
):
    """An official given the organisation permissions lists and edits those in
    their province; one elsewhere is neither listed nor editable. An editor
    still sees both."""
    from users.models import RegionRole

    ours = Organisation.objects.create(
        name="Trường THCS Đông Hưng", kind="school", region=communes["dong_hung"]
    )
    theirs = Organisation.objects.create(
        name="Trường THCS Tân Tiến", kind="school", region=communes["tan_tien_bg"]
    )
    official = UserFactory(is_staff=True)
    official.groups.add(Group.objects.get(name=EDITORS))
    RegionRole.objects.create(user=official, region=hung_yen, role="official")
    client.force_login(official)

    listing = client.get(reverse("organisations:index")).content.decode()
    assert ours.name in listing
    assert theirs.name not in listing
    assert client.get(reverse("organisations:edit", args=[ours.pk])).status_code == 200
    assert (
        client.get(reverse("organisations:edit", args=[theirs.pk])).status_code == 404
    )
    assert (
        client.get(reverse("organisations:delete", args=[theirs.pk])).status_code == 404
    )

    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITORS))
    client.force_login(editor)
    listing = client.get(reverse("organisations:index")).content.decode()
    assert ours.name in listing and theirs.name in listing
