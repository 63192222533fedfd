"""The catalogue of procedure fields, loaded from a data file naming its source."""

import pytest
from django.core.management import CommandError, call_command

from outreach.loader import DEFAULT_FILE, LoadError, load_procedure_fields, read_fields
from outreach.models import ProcedureField

pytestmark = pytest.mark.django_db


def test_the_committed_file_names_its_source_and_loads_once():
    source, rows = read_fields(DEFAULT_FILE)
    assert "dichvucong.gov.vn" in source

    first = load_procedure_fields()
    again = load_procedure_fields()

    assert first.created == len(rows) == ProcedureField.objects.count()
    assert (again.created, again.updated) == (0, 0)
    assert ProcedureField.objects.get(code="ho-tich").source == source


def test_a_renamed_row_is_updated_and_an_editors_field_is_kept(tmp_path):
    editors = ProcedureField.objects.create(name="Lâm nghiệp", code="lam-nghiep")
    path = tmp_path / "fields.csv"
    path.write_text("# source: Thử\ncode,name\nho-tich,Hộ tịch\n", encoding="utf-8")
    load_procedure_fields(path)
    path.write_text("# source: Thử 2\ncode,name\nho-tich,Hộ tịch (mới)\n", "utf-8")

    result = load_procedure_fields(path)

    assert (result.created, result.updated) == (0, 1)
    assert ProcedureField.objects.get(code="ho-tich").name == "Hộ tịch (mới)"
    assert ProcedureField.objects.filter(pk=editors.pk).exists()


def test_a_file_without_its_source_is_refused(tmp_path):
    path = tmp_path / "fields.csv"
    path.write_text("code,name\nho-tich,Hộ tịch\n", encoding="utf-8")

    with pytest.raises(LoadError):
        load_procedure_fields(path)
    with pytest.raises(CommandError, match="source"):
        call_command("load_procedure_fields", "--file", str(path))
    assert ProcedureField.objects.count() == 0
