"""Spreadsheets in and out: rosters are read safely, exports never run formulas.

Every hostile file is built in memory here, so the corpus cannot go stale and no
zip bomb sits in the repository.
"""

import codecs
import csv
import io
import random
import re
import struct
import unicodedata
import zipfile
import zlib
from datetime import UTC, date, datetime
from unittest import mock

import openpyxl
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.translation import gettext_lazy

from core import spreadsheets
from core.spreadsheets import (
    SpreadsheetError,
    read_table,
    safe_cell,
    write_csv,
    write_xlsx,
)

COLUMNS = {
    "full_name": ["Họ và tên", "Họ tên", "Full name"],
    "phone": ["Số điện thoại", "SĐT", "Điện thoại"],
    "birth_date": ["Ngày sinh"],
    "class_name": ["Lớp"],
    "commune": ["Xã/Phường"],
}
REQUIRED = ["full_name", "phone"]

HEADER = [
    "STT",
    "Họ và tên",
    "Số điện thoại",
    "Ngày sinh",
    "Lớp",
    "Xã/Phường",
    "Ghi chú",
]
# A roster as teachers make them: title rows, a numbered column, a row numbered
# but left empty, a blank row, a date cell and a date typed as text.
ROSTER = [
    ["DANH SÁCH HỌC SINH LỚP 10A1"],
    ["Trường THPT Nguyễn Du, năm học 2025-2026"],
    [],
    HEADER,
    [1, "Nguyễn Văn An", "0912345678", date(2010, 3, 15), "10A1", "Phường Đông Hưng"],
    [2, "  Trần Thị Bích  ", "0987654321", "02/09/2010", "10A1", "Xã Tiền Hải", "Mới"],
    [3],
    [],
    [4, "Lê Hoàng Yến", "0356789012", date(2010, 12, 1), "10A1", "Phường Trần Lãm"],
]
EXPECTED = [
    (
        5,
        {
            "full_name": "Nguyễn Văn An",
            "phone": "0912345678",
            "birth_date": "15/03/2010",
            "class_name": "10A1",
            "commune": "Phường Đông Hưng",
        },
    ),
    (
        6,
        {
            "full_name": "Trần Thị Bích",
            "phone": "0987654321",
            "birth_date": "02/09/2010",
            "class_name": "10A1",
            "commune": "Xã Tiền Hải",
        },
    ),
    (
        9,
        {
            "full_name": "Lê Hoàng Yến",
            "phone": "0356789012",
            "birth_date": "01/12/2010",
            "class_name": "10A1",
            "commune": "Phường Trần Lãm",
        },
    ),
]


@pytest.fixture(autouse=True)
def _english():
    """Compare against the English source messages and number formats."""
    with translation.override("en"):
        yield


def upload(data: bytes, name: str):
    file = io.BytesIO(data)
    file.name = name
    return file


def read(data: bytes, name: str = "danh_sach.xlsx", **kwargs):
    kwargs.setdefault("columns", COLUMNS)
    kwargs.setdefault("required", REQUIRED)
    return read_table(upload(data, name), **kwargs)


def refused(data: bytes, name: str = "danh_sach.xlsx", **kwargs) -> SpreadsheetError:
    with pytest.raises(SpreadsheetError) as caught:
        read(data, name, **kwargs)
    return caught.value


def message(error: SpreadsheetError) -> str:
    return error.messages[0]


def as_pairs(table):
    return [(row.number, row.values) for row in table.rows]


def make_xlsx(rows, *, title="Danh sách", number_formats=None, before=()) -> bytes:
    """Return an XLSX with rows on a sheet, after sheets ``before`` (title, rows)."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for sheet_title, sheet_rows in [*before, (title, rows)]:
        sheet = workbook.create_sheet(sheet_title)
        for row in sheet_rows:
            sheet.append(row)
    for coordinate, number_format in (number_formats or {}).items():
        sheet[coordinate].number_format = number_format
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def big_xlsx(count: int) -> bytes:
    """Return a roster of ``count`` rows under a title and a header row.

    The sheet is written directly, as Excel writes it (text in shared strings,
    phones as numbers, a dimension), since openpyxl takes seconds to write
    10,000 rows.
    """
    base = with_shared_strings(make_xlsx([["x", date(2010, 1, 1)]]))
    strings = ["DANH SÁCH HỌC SINH", *HEADER, "10A1", "Xã Tây An"]
    strings += [f"Nguyễn Văn {n}" for n in range(1, count + 1)]
    title = '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
    header = "".join(
        f'<c r="{letter}2" t="s"><v>{index}</v></c>'
        for index, letter in enumerate("ABCDEFG", start=1)
    )
    rows = [title, f'<row r="2">{header}</row>']
    for n in range(1, count + 1):
        r = n + 2
        rows.append(
            f'<row r="{r}"><c r="A{r}"><v>{n}</v></c>'
            f'<c r="B{r}" t="s"><v>{n + 9}</v></c>'
            f'<c r="C{r}"><v>9{n:08d}</v></c>'
            f'<c r="D{r}" s="1"><v>40179</v></c>'  # 01/01/2010
            f'<c r="E{r}" t="s"><v>8</v></c><c r="F{r}" t="s"><v>9</v></c></row>'
        )
    namespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{namespace}"><dimension ref="A1:G{count + 2}"/>'
        f"<sheetData>{''.join(rows)}</sheetData></worksheet>"
    )
    table = "".join(f"<si><t>{text}</t></si>" for text in strings)
    sst = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<sst xmlns="{namespace}" uniqueCount="{len(strings)}">{table}</sst>'
    )
    return rebuild_zip(
        base,
        replace={
            "xl/worksheets/sheet1.xml": lambda _xml: sheet.encode(),
            "xl/sharedStrings.xml": lambda _xml: sst.encode(),
        },
    )


def csv_text(rows, delimiter=",") -> str:
    output = io.StringIO()
    writer = csv.writer(output, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(
            [
                value.strftime("%d/%m/%Y") if isinstance(value, date) else value
                for value in row
            ]
        )
    return output.getvalue()


def rebuild_zip(data: bytes, *, replace=None, add=()) -> bytes:
    """Return the zip with entries' bytes transformed and entries added."""
    replace = replace or {}
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = source.read(info)
            if info.filename in replace:
                content = replace[info.filename](content)
            target.writestr(info.filename, content)
        for name, content in add:
            target.writestr(name, content)
    return output.getvalue()


def to_cp1258(text: str) -> bytes:
    """Encode text the way Windows-1258 stores it: tone marks as separate bytes."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    encoded = bytearray()
    for char in text:
        try:
            encoded += char.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize(
                "NFC", "".join(c for c in parts if c not in tones)
            )
            encoded += (base + "".join(c for c in parts if c in tones)).encode("cp1258")
    return bytes(encoded)


def with_shared_strings(data: bytes) -> bytes:
    """Return the workbook with its text in a shared strings part, as Excel saves it.

    openpyxl writes text inline in each cell; Excel writes each distinct text once
    in xl/sharedStrings.xml and refers to it by index.
    """
    strings: list[bytes] = []

    def share(match):
        text = match.group(2)
        if text not in strings:
            strings.append(text)
        return b'<c r="%s" t="s"><v>%d</v></c>' % (match.group(1), strings.index(text))

    def sheet(xml: bytes) -> bytes:
        return re.sub(
            rb'<c r="([A-Z]+[0-9]+)" t="inlineStr"><is><t[^>]*>(.*?)</t></is></c>',
            share,
            xml,
        )

    def content_types(xml: bytes) -> bytes:
        return xml.replace(
            b"</Types>",
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            b"</Types>",
        )

    data = rebuild_zip(data, replace={"xl/worksheets/sheet1.xml": sheet})
    table = b"".join(
        b'<si><t xml:space="preserve">%s</t></si>' % text for text in strings
    )
    sst = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        b'count="%d" uniqueCount="%d">%s</sst>' % (len(strings), len(strings), table)
    )
    return rebuild_zip(
        data,
        replace={"[Content_Types].xml": content_types},
        add=[("xl/sharedStrings.xml", sst)],
    )


@pytest.fixture(scope="module")
def roster_xlsx():
    return make_xlsx(ROSTER)


@pytest.fixture(scope="module")
def excel_xlsx():
    """The roster as Excel would save it, text in shared strings."""
    return with_shared_strings(make_xlsx(ROSTER))


# Reading rosters ------------------------------------------------------------------


def test_reads_xlsx_roster(roster_xlsx):
    """An XLSX roster is read under its title rows, with Excel's row numbers."""
    table = read(roster_xlsx)

    assert as_pairs(table) == EXPECTED
    assert table.header_row == 4
    assert table.sheet == "Danh sách"
    assert table.headers == {
        "full_name": "Họ và tên",
        "phone": "Số điện thoại",
        "birth_date": "Ngày sinh",
        "class_name": "Lớp",
        "commune": "Xã/Phường",
    }
    assert table.ignored == ["STT", "Ghi chú"]
    assert [str(w) for w in table.warnings] == [
        "These columns were not recognised and are ignored: “STT”, “Ghi chú”."
    ]


def test_reads_shared_strings(excel_xlsx):
    """A roster whose text is in shared strings, as Excel saves it, is read."""
    with zipfile.ZipFile(io.BytesIO(excel_xlsx)) as archive:
        assert b"inlineStr" not in archive.read("xl/worksheets/sheet1.xml")

    assert as_pairs(read(excel_xlsx)) == EXPECTED


def test_reads_django_upload(roster_xlsx):
    """A Django upload is read whatever was read of it before."""
    file = SimpleUploadedFile("Danh sách lớp.xlsx", roster_xlsx)
    file.read(10)

    table = read_table(file, columns=COLUMNS, required=REQUIRED)

    assert as_pairs(table) == EXPECTED


@pytest.mark.parametrize(
    ("encoding", "delimiter", "encode"),
    [
        ("UTF-8", ",", lambda text: text.encode("utf-8")),
        ("UTF-8 with BOM", ",", lambda text: codecs.BOM_UTF8 + text.encode("utf-8")),
        ("UTF-8, semicolons", ";", lambda text: text.encode("utf-8")),
        (
            "UTF-16LE tab-separated (Excel's Unicode text)",
            "\t",
            lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
        ),
        (
            "UTF-16BE",
            "\t",
            lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
        ),
        ("UTF-16LE without BOM", "\t", lambda text: text.encode("utf-16-le")),
        ("UTF-16BE without BOM", "\t", lambda text: text.encode("utf-16-be")),
        ("Windows-1258", ",", to_cp1258),
    ],
)
def test_reads_csv_roster(encoding, delimiter, encode):
    """A CSV roster is read in UTF-8 (BOM or not), UTF-16 or Windows-1258."""
    data = encode(csv_text(ROSTER, delimiter))

    table = read(data, "danh_sach.csv")

    assert as_pairs(table) == EXPECTED, encoding


def test_a_tab_separated_file_named_tsv_is_read():
    """Excel's "Text (Tab delimited)" saved as .tsv is read like a CSV."""
    data = csv_text(ROSTER, "\t").encode("utf-8")

    assert as_pairs(read(data, "danh_sach.tsv")) == EXPECTED


def test_cp1258_tone_marks_are_composed():
    """Windows-1258's separate tone marks come back as composed letters (NFC)."""
    data = to_cp1258(csv_text([HEADER, [1, "Phạm Thị Ngọc Diễm", "0912345678"]]))
    assert b"\xde" in data  # The tilde of "Diễm" is a byte of its own.

    table = read(data, "danh_sach.csv")

    name = table.rows[0].values["full_name"]
    assert name == "Phạm Thị Ngọc Diễm"
    assert unicodedata.is_normalized("NFC", name)


def test_decomposed_text_is_normalised(roster_xlsx):
    """Headers and values typed in Unikey's "Unicode tổ hợp" (NFD) are matched."""
    rows = [[unicodedata.normalize("NFD", str(v)) for v in row] for row in ROSTER[3:6]]

    table = read(make_xlsx(rows))

    assert table.rows[0].values["full_name"] == "Nguyễn Văn An"
    assert table.rows[0].values["commune"] == "Phường Đông Hưng"


def test_excel_sep_line_sets_delimiter():
    """Excel's "sep=;" first line sets the delimiter and is not counted as a row."""
    text = "sep=;\r\n" + csv_text([HEADER, [1, "Nguyễn Văn An", "0912345678"]], ";")

    table = read(text.encode(), "danh_sach.csv")

    assert as_pairs(table) == [
        (
            2,
            {
                "full_name": "Nguyễn Văn An",
                "phone": "0912345678",
                "birth_date": "",
                "class_name": "",
                "commune": "",
            },
        )
    ]


def test_headers_match_without_accents_case_or_spaces():
    """Headers match without accents, in any case, with stray spaces and marks."""
    rows = [
        ["HO VA TEN *", "sdt", "NGAY   SINH", "Xa / Phuong", " lớp "],
        ["Nguyễn Văn An", "0912345678", "15/03/2010", "Đông Hưng", "10A1"],
    ]

    table = read(make_xlsx(rows))

    assert table.headers == {
        "full_name": "HO VA TEN *",
        "phone": "sdt",
        "birth_date": "NGAY   SINH",
        "commune": "Xa / Phuong",
        "class_name": "lớp",
    }
    assert table.rows[0].values["commune"] == "Đông Hưng"
    assert table.ignored == []
    assert table.warnings == []


def test_optional_columns_may_be_absent():
    """A missing optional column reads as empty text in every row."""
    table = read(make_xlsx([["Họ tên", "Điện thoại"], ["Nguyễn Văn An", "0912345678"]]))

    assert table.rows[0].values == {
        "full_name": "Nguyễn Văn An",
        "phone": "0912345678",
        "birth_date": "",
        "class_name": "",
        "commune": "",
    }


def test_missing_required_column_is_named():
    """A header row without a required column is refused, naming the column."""
    error = refused(make_xlsx([["DANH SÁCH"], ["Họ và tên", "Ngày sinh"], ["An", ""]]))

    assert error.code == "missing_columns"
    assert message(error) == (
        "The header row (row 2) is missing these columns: “Số điện thoại”."
    )


def test_no_header_row():
    """A sheet whose first rows name none of the columns is refused."""
    error = refused(make_xlsx([["Nguyễn Văn An", "0912345678"]]))

    assert error.code == "no_header_row"
    assert message(error) == (
        "No header row was found. One of the first rows must name the columns "
        "“Họ và tên”, “Số điện thoại”."
    )


@pytest.mark.parametrize(("titles", "found"), [(10, True), (11, False)])
def test_header_row_below_ten_title_rows_at_most(titles, found):
    """The header row may have up to ten title rows above it, not more."""
    rows = [[f"Dòng tiêu đề {n}"] for n in range(titles)]
    rows += [["Họ và tên", "SĐT"], ["Nguyễn Văn An", "0912345678"]]

    if found:
        assert read(make_xlsx(rows)).header_row == titles + 1
    else:
        assert refused(make_xlsx(rows)).code == "no_header_row"


def test_duplicate_columns_are_refused():
    """Two columns for one field are refused rather than one picked silently."""
    error = refused(make_xlsx([["Họ và tên", "Họ tên", "SĐT"], ["A", "B", "0912"]]))

    assert error.code == "duplicate_columns"
    assert message(error) == (
        "Columns “Họ và tên”, “Họ tên” all stand for “Họ và tên”; "
        "keep only one of them."
    )


def test_no_data_rows():
    """A header row with nothing under it is refused."""
    error = refused(make_xlsx([["Họ và tên", "SĐT"], [], ["", "  "]]))

    assert error.code == "no_rows"
    assert message(error) == "There are no rows under the header row (row 1)."


def test_roster_on_a_later_sheet(roster_xlsx):
    """The first worksheet with the header row is read, and named in a warning."""
    data = make_xlsx(
        ROSTER,
        title="Lớp 10A1",
        before=[("Hướng dẫn", [["Điền danh sách ở trang sau."]])],
    )

    table = read(data)

    assert table.sheet == "Lớp 10A1"
    assert as_pairs(table) == EXPECTED
    assert "Read the worksheet “Lớp 10A1”." in [str(w) for w in table.warnings]


def test_phone_numbers_stored_as_numbers():
    """Phones Excel stored as numbers come back as digits; zero padding is kept."""
    rows = [
        ["Họ và tên", "SĐT"],
        ["An", 912345678],
        ["Bình", 912345678.0],
        ["Chi", 84912345678],
        ["Dũng", 987654321],
        ["Giang", 3.5],
    ]

    table = read(make_xlsx(rows, number_formats={"B5": "0000000000"}))

    assert [row.values["phone"] for row in table.rows] == [
        "912345678",
        "912345678",
        "84912345678",
        "0987654321",
        "3.5",
    ]


def test_long_and_tiny_numbers_read_as_excel_shows_them():
    """A number of more than 15 digits keeps 15 significant ones and a tiny one
    is written out, both without an exponent; TRUE and FALSE stay words."""
    rows = [
        ["Họ và tên", "SĐT", "Lớp"],
        ["An", 1.2345678901234567e19, True],
        ["Bình", 1.5e-7, False],
        ["Chi", 12345678901234567.0, ""],
    ]

    table = read(make_xlsx(rows))

    assert [(row.values["phone"], row.values["class_name"]) for row in table.rows] == [
        ("12345678901234600000", "TRUE"),
        ("0.00000015", "FALSE"),
        ("12345678901234600", ""),
    ]


def test_dates_read_as_dd_mm_yyyy():
    """Date cells read as dd/mm/yyyy (with the time when there is one)."""
    rows = [
        ["Họ và tên", "SĐT", "Ngày sinh"],
        ["An", "1", date(2010, 3, 5)],
        ["Bình", "2", datetime(2025, 9, 5, 8, 30)],
        ["Chi", "3", "5/3/2010"],
    ]

    table = read(make_xlsx(rows))

    assert [row.values["birth_date"] for row in table.rows] == [
        "05/03/2010",
        "05/09/2025 08:30",
        "5/3/2010",
    ]


def test_wrong_declared_dimension_does_not_hide_rows(roster_xlsx):
    """Rows beyond the dimension a file declares are still read."""
    data = rebuild_zip(
        roster_xlsx,
        replace={
            "xl/worksheets/sheet1.xml": lambda xml: re.sub(
                rb'<dimension ref="[^"]+"', b'<dimension ref="A1:A1"', xml
            )
        },
    )

    assert as_pairs(read(data)) == EXPECTED


def test_row_beyond_excel_limit_is_refused(roster_xlsx):
    """A row numbered past Excel's last row is refused as damaged."""
    data = rebuild_zip(
        roster_xlsx,
        replace={
            "xl/worksheets/sheet1.xml": lambda xml: re.sub(
                rb'r="([A-Z]*)9"', rb'r="\g<1>1048577"', xml
            )
        },
    )

    assert refused(data).code == "xlsx_damaged"


# Limits ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def xlsx_10000():
    return big_xlsx(10_000)


def test_file_over_2_mb_is_refused():
    """A file over 2 MB is refused."""
    data = csv_text([HEADER]).encode() + b"x" * (2 * 1024 * 1024)

    error = refused(data, "danh_sach.csv")

    assert error.code == "too_large"
    assert message(error) == "The file is larger than 2 MB."


def test_file_over_size_is_refused_before_reading():
    """An upload that says it is too large is refused without being read."""
    file = mock.Mock(size=3 * 1024 * 1024)
    file.name = "danh_sach.xlsx"

    with pytest.raises(SpreadsheetError):
        read_table(file, columns=COLUMNS)

    file.read.assert_not_called()


def test_a_file_of_exactly_the_size_limit_is_read_whole():
    """A file of exactly the size limit is read to its last byte, whether or not
    the upload tells its size; one byte more is refused."""
    data = csv_text([["Họ và tên", "SĐT"], ["Nguyễn Văn An", "0912345678"]])
    data = data.rstrip().encode()
    limit = len(data)

    for file in (upload(data, "danh_sach.csv"), SimpleUploadedFile("a.csv", data)):
        table = read_table(file, columns=COLUMNS, required=REQUIRED, max_bytes=limit)
        assert table.rows[0].values["phone"] == "0912345678"
    for file in (
        upload(data + b"9", "danh_sach.csv"),
        SimpleUploadedFile("a.csv", data + b"9"),
    ):
        with pytest.raises(SpreadsheetError) as caught:
            read_table(file, columns=COLUMNS, required=REQUIRED, max_bytes=limit)
        assert caught.value.code == "too_large"


def test_a_size_limit_in_part_megabytes_is_named_to_one_decimal():
    """A limit that is not a whole number of megabytes is named as 1.5 MB."""
    data = csv_text([HEADER]).encode() + b"x" * (2 * 1024 * 1024)

    error = refused(data, "danh_sach.csv", max_bytes=3 * 512 * 1024)

    assert message(error) == "The file is larger than 1.5 MB."


def test_10000_row_xlsx_is_refused(xlsx_10000):
    """An XLSX with 10,000 rows is refused: more than 5,000."""
    error = refused(xlsx_10000)

    assert error.code == "too_many_rows"
    assert message(error) == (
        "The file has more than 5,000 rows. Split it into smaller files."
    )


def test_10000_row_csv_is_refused():
    """A CSV with 10,000 rows is refused: more than 5,000."""
    rows = [HEADER] + [[n, f"Nguyễn Văn {n}", "0912345678"] for n in range(10_000)]

    assert refused(csv_text(rows).encode(), "danh_sach.csv").code == "too_many_rows"


def test_5000_rows_are_accepted():
    """A file of exactly 5,000 rows is read whole."""
    table = read(big_xlsx(5000))

    assert len(table.rows) == 5000
    assert as_pairs(table)[-1] == (
        5002,
        {
            "full_name": "Nguyễn Văn 5000",
            "phone": "900005000",
            "birth_date": "01/01/2010",
            "class_name": "10A1",
            "commune": "Xã Tây An",
        },
    )


def test_row_limit_can_be_lowered(roster_xlsx):
    """The row limit is a parameter."""
    error = refused(roster_xlsx, max_rows=2)

    assert (
        message(error) == "The file has more than 2 rows. Split it into smaller files."
    )


# Hostile XLSX ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def zip_bomb(roster_xlsx):
    """A roster whose sheet is 100 MB of zeros, about 100 KB compressed."""
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(roster_xlsx)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                target.writestr(info.filename, source.read(info))
        with target.open("xl/worksheets/sheet1.xml", "w") as sheet:
            zeros = bytes(1024 * 1024)
            for _ in range(100):
                sheet.write(zeros)
    return output.getvalue()


def test_zip_bomb_is_refused_before_openpyxl(zip_bomb):
    """A zip bomb named like an XLSX is refused before openpyxl opens it."""
    assert len(zip_bomb) < 2 * 1024 * 1024

    with mock.patch.object(spreadsheets, "load_workbook") as load_workbook:
        error = refused(zip_bomb)

    assert error.code == "xlsx_too_large_unpacked"
    assert message(error) == (
        "The XLSX file is too large once unpacked (more than 50 MB)."
    )
    load_workbook.assert_not_called()


def test_parts_unpacking_to_a_byte_over_50_mb_are_refused(roster_xlsx):
    """The unpacked limit is 50 MB exactly: parts adding up to one byte more are
    refused as too large, with the limit named."""
    with zipfile.ZipFile(io.BytesIO(roster_xlsx)) as archive:
        unpacked = sum(entry.file_size for entry in archive.infolist())
    padding = bytes(50 * 1024 * 1024 + 1 - unpacked)
    data = rebuild_zip(roster_xlsx, add=[("xl/media/image1.png", padding)])

    error = refused(data)

    assert error.code == "xlsx_too_large_unpacked"
    assert message(error) == (
        "The XLSX file is too large once unpacked (more than 50 MB)."
    )


def test_abnormal_compression_is_refused(roster_xlsx):
    """An entry compressed over 100:1 is refused even under the size limit."""
    data = rebuild_zip(roster_xlsx, add=[("xl/media/image1.png", bytes(10 * 2**20))])

    assert refused(data).code == "xlsx_compression_ratio"


def deflating_to(ratio_of) -> bytes:
    """Return bytes over 1 MB whose deflated size ``c`` makes their own size
    ``ratio_of(c)``: random bytes padded with zeros until the sizes agree."""
    noise = random.Random(19).randbytes(11_000)
    size = 1_100_000
    for _attempt in range(50):
        compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
        content = noise + bytes(size - len(noise))
        compressed = len(compressor.compress(content) + compressor.flush())
        if ratio_of(compressed) == size:
            return content
        size = ratio_of(compressed)
    raise AssertionError("no fixed point")


@pytest.mark.parametrize(
    ("ratio_of", "code"),
    [
        (lambda compressed: 100 * compressed, None),
        (lambda compressed: 100 * compressed + 1, "xlsx_compression_ratio"),
    ],
    ids=["exactly 100:1", "just over 100:1"],
)
def test_compression_up_to_100_to_1_is_accepted(roster_xlsx, ratio_of, code):
    """An entry over 1 MB compressed exactly 100:1 is opened; a byte more is not."""
    data = rebuild_zip(
        roster_xlsx, add=[("xl/media/image1.png", deflating_to(ratio_of))]
    )
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entry = archive.getinfo("xl/media/image1.png")
    assert entry.file_size > 1024 * 1024
    assert entry.file_size == ratio_of(entry.compress_size)

    if code is None:
        assert as_pairs(read(data)) == EXPECTED
    else:
        assert refused(data).code == code


def test_entries_up_to_1_mb_may_compress_well(roster_xlsx):
    """An entry of 1 MB of zeros is opened whatever its ratio; one byte more is
    held to the 100:1 limit."""
    data = rebuild_zip(roster_xlsx, add=[("xl/media/image1.png", bytes(1024 * 1024))])
    assert as_pairs(read(data)) == EXPECTED

    data = rebuild_zip(
        roster_xlsx, add=[("xl/media/image1.png", bytes(1024 * 1024 + 1))]
    )
    assert refused(data).code == "xlsx_compression_ratio"


def test_understated_entry_size_is_refused(xlsx_10000):
    """A zip that understates an entry's size is refused as damaged.

    The declared sizes are what the checks measure, so reading must stop there.
    """
    data = bytearray(xlsx_10000)
    name = b"xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(io.BytesIO(xlsx_10000)) as archive:
        info = archive.getinfo(name.decode())
    struct.pack_into("<I", data, info.header_offset + 22, 1000)
    central = data.index(b"PK\x01\x02")
    while data[central + 46 : central + 46 + len(name)] != name:
        central = data.index(b"PK\x01\x02", central + 4)
    struct.pack_into("<I", data, central + 24, 1000)
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        assert archive.getinfo(name.decode()).file_size == 1000

    assert refused(bytes(data)).code == "xlsx_damaged"


def test_too_many_entries_are_refused(roster_xlsx):
    """A zip of more than 200 parts is refused."""
    data = rebuild_zip(
        roster_xlsx, add=[(f"xl/media/image{n}.png", b"x") for n in range(200)]
    )

    assert refused(data).code == "xlsx_too_many_entries"


@pytest.mark.parametrize(
    "name",
    [
        "../../evil.xml",
        "/etc/cron.d/x",
        "C:/x.xml",
        "..\\..\\evil.xml",
        "xl\\..\\..\\evil.xml",
        "\\etc\\cron.d\\x",
    ],
)
def test_unsafe_paths_are_refused(roster_xlsx, name):
    """A part with a path that climbs out or is absolute is refused, with forward
    slashes or Windows backslashes."""
    data = rebuild_zip(roster_xlsx, add=[(name, b"<x/>")])

    assert refused(data).code == "xlsx_unsafe_path"


def test_encrypted_part_is_refused_with_advice(roster_xlsx):
    """A zip whose parts are encrypted is refused with advice to save the workbook
    without a password, not left to fail while reading."""
    data = bytearray(roster_xlsx)
    name = b"xl/workbook.xml"
    # Mark the part encrypted in its local header and in the central directory.
    for signature, flags_at, name_at in (
        (b"PK\x03\x04", 6, 30),
        (b"PK\x01\x02", 8, 46),
    ):
        at = data.index(signature)
        while data[at + name_at : at + name_at + len(name)] != name:
            at = data.index(signature, at + 4)
        data[at + flags_at] |= 0x1
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        assert archive.getinfo(name.decode()).flag_bits & 0x1

    error = refused(bytes(data))

    assert error.code == "other_format"
    assert message(error) == OTHER_FORMAT


XXE = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
)
LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol0 "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (n, b"&lol%d;" % (n - 1) * 10) for n in range(1, 10)
    )
    + b"]>\n"
)


def with_prolog(prolog: bytes, old: bytes, new: bytes):
    def transform(xml: bytes) -> bytes:
        xml = re.sub(rb"^<\?xml[^>]*\?>\s*", b"", xml)
        assert old in xml
        return prolog + xml.replace(old, new, 1)

    return transform


HOSTILE_PARTS = {
    "XXE in sheet1.xml": (
        "xl/worksheets/sheet1.xml",
        with_prolog(XXE, b"<v>1</v>", b"<v>&xxe;</v>"),
    ),
    "XXE in sharedStrings.xml": (
        "xl/sharedStrings.xml",
        with_prolog(XXE, b'">Nguy', b'">&xxe;Nguy'),
    ),
    "billion laughs in sharedStrings.xml": (
        "xl/sharedStrings.xml",
        with_prolog(LAUGHS, b'">Nguy', b'">&lol9;Nguy'),
    ),
    "DOCTYPE after a comment in workbook.xml": (
        "xl/workbook.xml",
        with_prolog(b"<!-- Excel -->\n<!DOCTYPE workbook>\n", b"<", b"<"),
    ),
}


@pytest.mark.parametrize("case", HOSTILE_PARTS)
def test_xml_entities_are_refused(excel_xlsx, case):
    """An XLSX whose XML declares a DOCTYPE or entities is refused, not expanded."""
    part, transform = HOSTILE_PARTS[case]
    data = rebuild_zip(excel_xlsx, replace={part: transform})

    with mock.patch.object(spreadsheets, "load_workbook") as load_workbook:
        error = refused(data)

    assert error.code == "xlsx_xml_declarations"
    assert message(error) == (
        "The XLSX file contains XML declarations (DOCTYPE or ENTITY) that no "
        "spreadsheet needs, so it was not opened."
    )
    load_workbook.assert_not_called()


@pytest.mark.parametrize(
    "part", ["xl/workbook.xml", "xl/sharedStrings.xml", "[Content_Types].xml"]
)
def test_a_comment_in_the_xml_prolog_is_allowed(excel_xlsx, part):
    """A workbook whose XML has a comment before its root element, as some
    programs write, is read like any other."""
    declaration = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    comment = with_prolog(declaration + b"<!-- Microsoft Excel -->\n", b"<", b"<")
    data = rebuild_zip(excel_xlsx, replace={part: comment})

    assert as_pairs(read(data)) == EXPECTED


def test_a_prolog_longer_than_64_kb_is_refused(excel_xlsx):
    """A comment before the root element that runs past the first 64 KB, longer
    than anything Office writes, is refused rather than read on."""
    declaration = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    comment = b"<!-- " + b"x" * (64 * 1024) + b" -->\n"
    data = rebuild_zip(
        excel_xlsx,
        replace={"xl/workbook.xml": with_prolog(declaration + comment, b"<", b"<")},
    )

    assert refused(data).code == "xlsx_xml_declarations"


@pytest.mark.parametrize(
    "case", [c for c in HOSTILE_PARTS if "XXE" in c or "laughs" in c]
)
def test_openpyxl_refuses_xml_entities_too(excel_xlsx, case):
    """Past the prolog check, openpyxl's defusedxml parsing refuses entities too."""
    part, transform = HOSTILE_PARTS[case]
    data = rebuild_zip(excel_xlsx, replace={part: transform})

    with mock.patch.object(spreadsheets, "_check_xml_prolog"):
        error = refused(data)

    assert error.code == "xlsx_xml_declarations"


def test_openpyxl_without_defusedxml_is_a_configuration_error(roster_xlsx):
    """XLSX uploads are never parsed by an openpyxl that does not use defusedxml."""
    with mock.patch.object(openpyxl, "DEFUSEDXML", False):
        with pytest.raises(ImproperlyConfigured):
            read(roster_xlsx)


def test_truncated_xlsx_is_damaged(roster_xlsx):
    """A cut-off XLSX download is refused as damaged."""
    assert refused(roster_xlsx[: len(roster_xlsx) // 2]).code == "xlsx_damaged"


# Other formats --------------------------------------------------------------------

OTHER_FORMAT = (
    "This is an old Excel (.xls) file, a password-protected workbook or another "
    "spreadsheet format. Open it in Excel or LibreOffice, save it as .xlsx (Excel "
    "Workbook) or CSV UTF-8 without a password, and upload it again."
)


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (spreadsheets.OLE_MAGIC + bytes(4000), "danh_sach.xls"),
        # Excel's container for a password-protected workbook is OLE too.
        (spreadsheets.OLE_MAGIC + bytes(4000), "danh_sach.xlsx"),
        # Government software often exports an HTML table named .xls.
        (b"<html><table><tr><td>H\xe1\xbb\x8d</td></tr></table></html>", "bc.xls"),
    ],
)
def test_legacy_xls_is_refused_with_advice(data, name):
    """An old .xls file is refused with advice to save it as .xlsx or CSV."""
    error = refused(data, name)

    assert error.code == "other_format"
    assert message(error) == OTHER_FORMAT


def test_ods_is_refused_with_advice(roster_xlsx):
    """An OpenDocument spreadsheet is refused with advice to save it as .xlsx."""
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")

    assert refused(output.getvalue(), "danh_sach.ods").code == "other_format"


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (random.Random(1).randbytes(4096), "danh_sach.csv"),
        (random.Random(2).randbytes(4096), "danh_sach"),
        (b"%PDF-1.7\n" + b"1 0 obj << >> endobj\n" * 20, "danh_sach.csv"),
        (b"Ho va ten,SDT\nAn,0912\n", "danh_sach.pdf"),
        (b"{\\rtf1\\ansi H\\'f4 v\\'e0 t\\'ean,S\\'d0T\\par}", "danh_sach.csv"),
    ],
)
def test_other_files_are_refused(data, name):
    """Random bytes, a PDF or an unknown extension are refused."""
    error = refused(data, name)

    assert error.code == "not_supported"
    assert message(error) == (
        "This is not a CSV or XLSX file. Upload a .xlsx or .csv file."
    )


def test_zip_that_is_not_a_workbook_is_refused():
    """A zip without a workbook (a .docx, say) is refused."""
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")

    assert refused(output.getvalue(), "danh_sach.xlsx").code == "not_supported"


def test_unknown_encoding_is_refused_clearly():
    """A CSV in an encoding other than UTF-8, UTF-16 or Windows-1258 is refused."""
    data = "Họ và tên,SĐT\nПётр Иванов,0912345678\n".replace("Họ và tên", "ФИО")
    data = data.replace("SĐT", "Телефон").encode("cp1251")

    error = refused(data, "danh_sach.csv")

    assert error.code == "csv_encoding"
    assert message(error) == (
        "The CSV file's text encoding is not recognised. In Excel choose “Save as” "
        "and “CSV UTF-8”, then upload it again (UTF-8, UTF-16 and Windows-1258 are "
        "accepted)."
    )


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
        lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
        lambda text: text.encode("utf-16-le"),
        lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
    ],
    ids=["UTF-16LE", "UTF-16BE", "UTF-16LE without BOM", "UTF-8 with BOM"],
)
def test_control_characters_are_refused_in_any_encoding(encode):
    """A CSV with control characters in its text is not a roster, whatever its
    encoding, and is refused rather than read into names."""
    text = csv_text(ROSTER, "\t").replace("Nguyễn Văn An", "Nguyễn\x01Văn\x1bAn")

    error = refused(encode(text), "danh_sach.csv")

    assert error.code == "not_supported"


def test_empty_file_is_refused():
    """An empty file is refused."""
    error = refused(b"  \r\n", "danh_sach.csv")

    assert error.code == "empty"
    assert message(error) == "The file is empty."


def test_csv_with_oversized_field_is_refused():
    """A CSV that the csv module cannot parse is refused, naming the row."""
    data = csv_text([["Họ và tên", "SĐT"], ["An", "1"]]) + '"' + "x" * 200_000 + '"'

    error = refused(data.encode(), "danh_sach.csv")

    assert error.code == "csv_damaged"
    assert message(error) == "The CSV file cannot be read at row 3."


# Writing --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            '=HYPERLINK("http://evil.example","Bấm")',
            '\'=HYPERLINK("http://evil.example","Bấm")',
        ),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        (gettext_lazy("=1+1"), "'=1+1"),
        ("Nguyễn Văn An", "Nguyễn Văn An"),
        ("a=b", "a=b"),
        ("", ""),
        (-2, -2),
        (-2.5, -2.5),
        (None, None),
        (date(2025, 1, 2), date(2025, 1, 2)),
    ],
)
def test_safe_cell(value, expected):
    """Text that could run as a formula is prefixed with '; numbers stay numbers."""
    assert safe_cell(value) == expected


TITLE = ["BÁO CÁO KẾT QUẢ TẬP HUẤN", "Đơn vị: Xã Tây An; kỳ: 01/09/2025 - 30/09/2025"]
EXPORT_HEADERS = ["Họ và tên", "Ghi chú", "Số lượt", "Tỷ lệ", "Ngày cấp"]
EXPORT_ROWS = [
    [
        "Nguyễn Văn An",
        '=HYPERLINK("http://evil.example","Bấm")',
        3,
        0.75,
        date(2025, 9, 5),
    ],
    ["Trần Thị Bích", "+1", -2, 1, datetime(2025, 9, 6, 14, 5)],
    ["Lê Hoàng Yến", "-2", 1234567, 0.5, None],
    ["Phạm Minh", "@SUM(A1:A2)", 0, 0.125, date(2025, 9, 7)],
]


def test_write_csv():
    """A CSV export is UTF-8 with BOM, with formulas escaped and numbers left alone."""
    data = write_csv(title_lines=TITLE, headers=EXPORT_HEADERS, rows=EXPORT_ROWS)

    assert data.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows == [
        [TITLE[0]],
        [TITLE[1]],
        [],
        EXPORT_HEADERS,
        [
            "Nguyễn Văn An",
            '\'=HYPERLINK("http://evil.example","Bấm")',
            "3",
            "0.75",
            "05/09/2025",
        ],
        ["Trần Thị Bích", "'+1", "-2", "1", "06/09/2025 14:05"],
        ["Lê Hoàng Yến", "'-2", "1234567", "0.5", ""],
        ["Phạm Minh", "'@SUM(A1:A2)", "0", "0.125", "07/09/2025"],
    ]


def test_write_csv_writes_yes_no_and_long_numbers_as_excel_shows_them():
    """Booleans export as TRUE and FALSE; floats as Excel shows them, at most 15
    significant digits and never with an exponent."""
    data = write_csv(
        headers=["Đạt", "Mã", "Tỷ lệ"],
        rows=[[True, 1.2345678901234567e19, 1.5e-7], [False, 12.0, 0.1 + 0.2]],
    )

    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[1:] == [
        ["TRUE", "12345678901234600000", "0.00000015"],
        ["FALSE", "12", "0.3"],
    ]


def test_write_csv_reads_back():
    """A CSV export can be imported again."""
    data = write_csv(
        title_lines=TITLE,
        headers=["Họ và tên", "Số điện thoại"],
        rows=[["Nguyễn Văn An", "0912345678"]],
    )

    table = read(data, "bao_cao.csv")

    assert table.header_row == 4
    assert table.rows[0].values["full_name"] == "Nguyễn Văn An"


def test_write_xlsx():
    """An XLSX export has title rows, a bold frozen header, and the same values."""
    data = write_xlsx(
        title_lines=TITLE,
        headers=EXPORT_HEADERS,
        rows=iter(EXPORT_ROWS),
        number_formats={2: "#,##0", 3: "0.0%"},
        sheet_title="Báo cáo: tháng 9/2025",
    )

    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    assert sheet.title == "Báo cáo  tháng 9 2025"
    assert [c.value for c in sheet[1]][:1] == [TITLE[0]]
    assert sheet["A1"].font.b is True
    assert sheet["A2"].value == TITLE[1]
    assert [c.value for c in sheet[4]] == EXPORT_HEADERS
    assert all(c.font.b for c in sheet[4])
    assert sheet.freeze_panes == "A5"
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=5)]
    assert values == [
        [*row[:4], datetime.combine(row[4], datetime.min.time())]
        if type(row[4]) is date
        else row
        for row in EXPORT_ROWS
    ]
    assert sheet["C6"].value == -2
    assert sheet["C6"].data_type == "n"
    assert sheet["C5"].number_format == "#,##0"
    assert sheet["D5"].number_format == "0.0%"
    assert sheet["E5"].number_format == "dd/mm/yyyy"
    assert sheet["E6"].number_format == "dd/mm/yyyy hh:mm"
    assert sheet.column_dimensions["A"].width >= len("Nguyễn Văn An")


def test_write_xlsx_never_writes_formulas():
    """Text that looks like a formula is stored as text with Excel's quote prefix."""
    data = write_xlsx(headers=EXPORT_HEADERS, rows=EXPORT_ROWS)

    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    for coordinate in ("B2", "B3", "B4", "B5"):
        assert sheet[coordinate].data_type == "s"
        assert sheet[coordinate].quotePrefix is True
    assert sheet["B2"].value == '=HYPERLINK("http://evil.example","Bấm")'
    assert sheet["B4"].value == "-2"
    assert sheet["A2"].quotePrefix is False
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")


def test_write_xlsx_drops_characters_xml_cannot_hold():
    """Control characters that XML cannot hold are dropped, not an error."""
    data = write_xlsx(headers=["Họ và tên"], rows=[["Nguyễn\x00 Văn\x0b An"]])

    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    assert sheet["A2"].value == "Nguyễn Văn An"


def test_exports_show_local_time():
    """Aware datetimes are exported in Vietnam's time, as Excel has no time zones."""
    issued = datetime(2025, 9, 6, 7, 5, tzinfo=UTC)

    csv_rows = write_csv(headers=["Cấp lúc"], rows=[[issued]]).decode("utf-8-sig")
    xlsx = write_xlsx(headers=["Cấp lúc"], rows=[[issued]])

    assert csv_rows.splitlines()[1] == "06/09/2025 14:05"
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).worksheets[0]
    assert sheet["A2"].value == datetime(2025, 9, 6, 14, 5)


def test_write_xlsx_reads_back():
    """An XLSX export can be imported again, title rows and all."""
    data = write_xlsx(
        title_lines=TITLE,
        headers=["Họ và tên", "Số điện thoại", "Ngày sinh"],
        rows=[["Nguyễn Văn An", "0912345678", date(2010, 3, 15)]],
    )

    table = read(data, "bao_cao.xlsx")

    assert as_pairs(table) == [
        (
            5,
            {
                "full_name": "Nguyễn Văn An",
                "phone": "0912345678",
                "birth_date": "15/03/2010",
                "class_name": "",
                "commune": "",
            },
        )
    ]
