"""Read uploaded spreadsheets and write exported ones, treating every upload as hostile.

Reading: ``read_table()`` turns a CSV or XLSX upload into a ``Table`` of ``Row``
objects keyed by our own field names, whatever spelling, accents or title rows the
file uses, or raises ``SpreadsheetError`` with a message for the person who
uploaded it. Nothing here knows about models: callers validate and save the rows.

Writing: ``write_xlsx()`` and ``write_csv()`` turn a title, headers and rows into
bytes; ``safe_cell()`` keeps text that looks like a formula from being run by the
spreadsheet program that opens the export.

How cells read from an XLSX become text, the way a person typed them:

- a date becomes ``dd/mm/yyyy`` (``dd/mm/yyyy HH:MM`` when it has a time);
- a whole number becomes its digits, without ``.0`` or thousands separators, so a
  phone number that Excel stored as the number 912345678 comes back as
  ``"912345678"``. The leading 0 Excel dropped is not guessed here: putting it back
  is the phone normaliser's job, which knows what a Vietnamese number looks like.
  When the cell's number format pads with zeros (``0000000000``, a common fix for
  phone columns), the padding is kept, as Excel shows it: ``"0912345678"``;
- any other number is written with at most 15 significant digits, as Excel shows it;
- text is NFC-normalised (Unikey's "Unicode tổ hợp" and Windows-1258 store tone
  marks as separate characters) and stripped.

A class name typed as ``10/1`` that Excel turned into a date cannot be recovered;
it reads as a date.
"""

from __future__ import annotations

import codecs
import csv
import io
import operator
import re
import unicodedata
import warnings
import zipfile
import zlib
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from itertools import chain, repeat
from pathlib import PurePosixPath
from typing import Any
from xml.etree.ElementTree import ParseError

import openpyxl
from defusedxml import DefusedXmlException
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.cell.read_only import EMPTY_CELL
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from .text import fold

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
# Title rows a sheet may have above its header row (blank rows not counted).
MAX_TITLE_ROWS = 10
# Columns read from each XLSX row; a roster has about ten.
MAX_COLUMNS = 100
# Excel's own limit; a row number beyond it is a forged file.
EXCEL_MAX_ROW = 1_048_576

# Limits on the zip container of an XLSX, checked before openpyxl opens it. A
# 5,000-row roster has about a dozen entries and unpacks to a few megabytes.
MAX_ZIP_ENTRIES = 200
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
# Small entries may compress well (a sheet of identical rows) without harm.
RATIO_CHECKED_ABOVE = 1024 * 1024
# How much of each XML part is read to find its prolog (declaration, comments).
XML_PROLOG_BYTES = 64 * 1024

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
# Files often renamed to .csv by mistake; refused without trying to decode them.
BINARY_MAGICS = (
    b"%PDF",
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"\x1f\x8b",
    b"Rar!",
    b"7z\xbc\xaf",
    b"{\\rtf",
)
CSV_EXTENSIONS = {"", ".csv", ".txt", ".tsv", ".tab"}
XLSX_EXTENSIONS = {".xlsx", ".xlsm"}
# Formats to save again as .xlsx: old Excel, binary Excel, LibreOffice, Numbers.
OTHER_SPREADSHEET_EXTENSIONS = {".xls", ".xlsb", ".ods", ".numbers", ".et"}
CSV_DELIMITERS = (",", ";", "\t")

# OWASP "CSV injection": a cell starting with one of these may run as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_ZERO_PADDING = re.compile(r"0+")


class SpreadsheetError(ValidationError):
    """A spreadsheet that cannot be read, with a message for the person who sent it.

    A ``ValidationError``, so a form can show it on its file field as it is
    (``form.add_error("file", error)``); ``code`` tells the cases apart.
    """

    def __init__(self, message, code: str, params: dict | None = None):
        super().__init__(message, code=code, params=params)


@dataclass(frozen=True, slots=True)
class Row:
    """One data row: its number as the spreadsheet program shows it, and its cells."""

    # 1-based, counting title and blank rows, so "row 12" is row 12 in Excel.
    number: int
    # Every column key asked for, "" where the cell is empty or the column absent.
    values: dict[str, str]


@dataclass(frozen=True, slots=True)
class Table:
    """The data rows of a spreadsheet under the header row that names their columns."""

    rows: list[Row]
    # Column key -> the header as written in the file, in the file's order.
    headers: dict[str, str]
    # Things the uploader should know that do not stop the import.
    warnings: list[str] = field(default_factory=list)
    # Headers of columns that were not recognised and are not read.
    ignored: list[str] = field(default_factory=list)
    header_row: int = 1
    # The worksheet read, for an XLSX.
    sheet: str | None = None


def _format_number(value: float | int) -> str:
    return number_format(value, force_grouping=True)


_lazy_number = lazy(_format_number, str)


def _format_message(message: str, params: dict) -> str:
    return str(message) % params


_lazy_message = lazy(_format_message, str)


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(f"“{name}”" for name in names)


# Reading ------------------------------------------------------------------------


def read_table(
    upload,
    *,
    columns: dict[str, Sequence[str]],
    required: Collection[str] | None = None,
    max_bytes: int = MAX_BYTES,
    max_rows: int = MAX_ROWS,
) -> Table:
    """Return the rows of an uploaded CSV or XLSX file, keyed by ``columns``.

    ``upload`` is a Django ``UploadedFile`` or any binary file-like object; its
    ``name`` helps tell the format apart, but the content decides. ``columns`` maps
    each field key to the header spellings accepted for it, matched without regard
    to accents, case, spaces or punctuation (``"Họ và tên"`` also matches
    ``"HO VA TEN *"``). ``required`` lists the keys the header row must name
    (default: all of them). The header row is the first row, of the first
    worksheet that has one, naming every required column; up to ten title rows
    may stand above it. Blank rows, and rows blank in every recognised column, are
    skipped.

    Raise ``SpreadsheetError`` for a file over ``max_bytes`` or with more than
    ``max_rows`` data rows, an unsafe or unreadable file, a format other than CSV
    or XLSX, or a header row that lacks a required column.
    """
    spec = _ColumnSpec(columns, required)
    data = _read_upload(upload, max_bytes)
    name = str(getattr(upload, "name", "") or "")
    if _detect_format(data, name) == "xlsx":
        return _read_xlsx(data, spec, max_rows)
    return _read_csv(data, spec, max_rows)


class _ColumnSpec:
    def __init__(self, columns: dict[str, Sequence[str]], required):
        self.columns = columns
        self.required = list(columns) if required is None else list(required)
        unknown = set(self.required) - set(columns)
        if unknown:
            raise ValueError(f"Required columns not in columns: {sorted(unknown)}")
        self.lookup: dict[str, str] = {}
        for key, spellings in columns.items():
            for spelling in spellings:
                folded = _fold_header(spelling)
                other = self.lookup.setdefault(folded, key)
                if other != key:
                    raise ValueError(f"{spelling!r} names both {other!r} and {key!r}")

    def display_name(self, key: str) -> str:
        return self.columns[key][0] if self.columns[key] else key


def _fold_header(text: str) -> str:
    return fold(text).replace(" ", "")


def _clean(text: str) -> str:
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text.strip()


def _read_upload(upload, max_bytes: int) -> bytes:
    size = getattr(upload, "size", None)
    if isinstance(size, int) and size > max_bytes:
        raise _too_large(max_bytes)
    if hasattr(upload, "seek"):
        try:
            upload.seek(0)
        except (OSError, ValueError):
            pass  # Not seekable: read from where it is.
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _too_large(max_bytes)
    if not data.strip():
        raise SpreadsheetError(_("The file is empty."), code="empty")
    return data


def _too_large(max_bytes: int) -> SpreadsheetError:
    megabytes = max_bytes / (1024 * 1024)
    limit = int(megabytes) if megabytes.is_integer() else round(megabytes, 1)
    return SpreadsheetError(
        _("The file is larger than %(limit)s MB."),
        code="too_large",
        params={"limit": _lazy_number(limit)},
    )


def _too_many_rows(max_rows: int) -> SpreadsheetError:
    return SpreadsheetError(
        _("The file has more than %(limit)s rows. Split it into smaller files."),
        code="too_many_rows",
        params={"limit": _lazy_number(max_rows)},
    )


def _not_supported() -> SpreadsheetError:
    return SpreadsheetError(
        _("This is not a CSV or XLSX file. Upload a .xlsx or .csv file."),
        code="not_supported",
    )


def _other_spreadsheet() -> SpreadsheetError:
    return SpreadsheetError(
        _(
            "This is an old Excel (.xls) file, a password-protected workbook or "
            "another spreadsheet format. Open it in Excel or LibreOffice, save it "
            "as .xlsx (Excel Workbook) or CSV UTF-8 without a password, and "
            "upload it again."
        ),
        code="other_format",
    )


def _damaged() -> SpreadsheetError:
    return SpreadsheetError(
        _("The XLSX file is damaged and cannot be read. Save it again in Excel."),
        code="xlsx_damaged",
    )


def _xml_declarations() -> SpreadsheetError:
    return SpreadsheetError(
        _(
            "The XLSX file contains XML declarations (DOCTYPE or ENTITY) that no "
            "spreadsheet needs, so it was not opened."
        ),
        code="xlsx_xml_declarations",
    )


def _detect_format(data: bytes, name: str) -> str:
    """Return "xlsx" or "csv" from the content first, then the file name."""
    extension = PurePosixPath(name.replace("\\", "/").lower()).suffix
    if data.startswith(ZIP_MAGICS):
        return "xlsx"
    if data.startswith(OLE_MAGIC) or extension in OTHER_SPREADSHEET_EXTENSIONS:
        # OLE is both the old .xls and Excel's container for encrypted .xlsx.
        raise _other_spreadsheet()
    if extension in XLSX_EXTENSIONS:
        raise _damaged()
    if data.startswith(BINARY_MAGICS) or extension not in CSV_EXTENSIONS:
        raise _not_supported()
    return "csv"


# Header row and data rows, common to both formats.

# A source of rows: (row number, cells); cell_text turns one cell into text.
_RowSource = Iterator[tuple[int, Sequence[Any]]]


@dataclass
class _Candidate:
    make_rows: Callable[[], _RowSource]
    cell_text: Callable[[Any], str]
    sheet: str | None = None


@dataclass
class _HeaderMatch:
    number: int = 0
    # Column index -> key, for recognised headers.
    keys: dict[int, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    duplicates: dict[str, list[str]] = field(default_factory=dict)


def _match_header(number: int, texts: list[str], spec: _ColumnSpec) -> _HeaderMatch:
    match = _HeaderMatch(number=number)
    for index, text in enumerate(texts):
        if not text:
            continue
        key = spec.lookup.get(_fold_header(text))
        if key is None:
            match.ignored.append(text)
        elif key in match.headers:
            match.duplicates.setdefault(key, [match.headers[key]]).append(text)
        else:
            match.keys[index] = key
            match.headers[key] = text
    return match


def _find_header(
    rows: _RowSource, candidate: _Candidate, spec: _ColumnSpec
) -> tuple[_HeaderMatch | None, _HeaderMatch | None]:
    """Consume rows up to the header row; return (header, best partial match)."""
    best = None
    seen = 0
    for number, cells in rows:
        texts = [_clean(candidate.cell_text(cell)) for cell in cells]
        if not any(texts):
            continue
        match = _match_header(number, texts, spec)
        if match.headers and all(key in match.headers for key in spec.required):
            return match, None
        if best is None or len(match.headers) > len(best.headers):
            best = match
        seen += 1
        if seen > MAX_TITLE_ROWS:
            break
    return None, best


def _build_table(
    candidates: Iterable[_Candidate], spec: _ColumnSpec, max_rows: int
) -> Table:
    best = None
    for candidate in candidates:
        rows = candidate.make_rows()
        header, partial = _find_header(rows, candidate, spec)
        if header is not None:
            return _collect(rows, header, candidate, spec, max_rows)
        if partial is not None and (
            best is None or len(partial.headers) > len(best.headers)
        ):
            best = partial
    if best is None or not best.headers:
        raise SpreadsheetError(
            _(
                "No header row was found. One of the first rows must name the "
                "columns %(columns)s."
            ),
            code="no_header_row",
            params={"columns": _quoted(map(spec.display_name, spec.required))},
        )
    missing = [key for key in spec.required if key not in best.headers]
    raise SpreadsheetError(
        _("The header row (row %(row)s) is missing these columns: %(columns)s."),
        code="missing_columns",
        params={
            "row": best.number,
            "columns": _quoted(map(spec.display_name, missing)),
        },
    )


def _collect(
    rows: _RowSource,
    header: _HeaderMatch,
    candidate: _Candidate,
    spec: _ColumnSpec,
    max_rows: int,
) -> Table:
    if header.duplicates:
        key, names = next(iter(header.duplicates.items()))
        raise SpreadsheetError(
            _("Columns %(columns)s all stand for “%(field)s”; keep only one of them."),
            code="duplicate_columns",
            params={"columns": _quoted(names), "field": spec.display_name(key)},
        )
    cell_text = candidate.cell_text
    positions = list(header.keys.items())
    empty = dict.fromkeys(spec.columns, "")
    result = []
    for number, cells in rows:
        width = len(cells)
        values = {
            key: _clean(cell_text(cells[index])) if index < width else ""
            for index, key in positions
        }
        if not any(values.values()):
            continue
        if len(result) == max_rows:
            raise _too_many_rows(max_rows)
        result.append(Row(number=number, values={**empty, **values}))
    if not result:
        raise SpreadsheetError(
            _("There are no rows under the header row (row %(row)s)."),
            code="no_rows",
            params={"row": header.number},
        )
    notes = []
    if header.ignored:
        notes.append(
            _lazy_message(
                _("These columns were not recognised and are ignored: %(columns)s."),
                {"columns": _quoted(header.ignored)},
            )
        )
    return Table(
        rows=result,
        headers={key: header.headers[key] for key in header.keys.values()},
        warnings=notes,
        ignored=header.ignored,
        header_row=header.number,
        sheet=candidate.sheet,
    )


# XLSX.


def _read_xlsx(data: bytes, spec: _ColumnSpec, max_rows: int) -> Table:
    _check_zip(data)
    if openpyxl.DEFUSEDXML is not True:
        # openpyxl parses with defusedxml only when it is installed and not
        # switched off (OPENPYXL_DEFUSEDXML=False); never read uploads without it.
        raise ImproperlyConfigured("openpyxl must parse XLSX files with defusedxml.")
    try:
        with warnings.catch_warnings():
            # "Workbook contains no default style" and the like: not the uploader's
            # concern.
            warnings.simplefilter("ignore", UserWarning)
            workbook = load_workbook(
                io.BytesIO(data), read_only=True, data_only=True, keep_links=False
            )
    except _OPENPYXL_ERRORS as error:
        raise _openpyxl_error(error) from error
    try:
        sheets = workbook.worksheets
        table = _build_table(
            (
                _Candidate(
                    make_rows=_sheet_rows_factory(sheet),
                    cell_text=_xlsx_cell_text,
                    sheet=sheet.title,
                )
                for sheet in sheets
            ),
            spec,
            max_rows,
        )
    finally:
        workbook.close()
    if len(sheets) > 1:
        table.warnings.append(
            _lazy_message(_("Read the worksheet “%(sheet)s”."), {"sheet": table.sheet})
        )
    return table


_OPENPYXL_ERRORS = (
    DefusedXmlException,
    InvalidFileException,
    zipfile.BadZipFile,
    zlib.error,
    ParseError,
    KeyError,
    ValueError,
    TypeError,
    IndexError,
    AttributeError,
    OSError,
    EOFError,
)


def _check_zip(data: bytes) -> None:
    """Refuse a zip that is unsafe to unpack or is not an XLSX workbook."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as error:
        raise _damaged() from error
    if len(entries) > MAX_ZIP_ENTRIES:
        raise SpreadsheetError(
            _("The XLSX file has too many parts (more than %(limit)s)."),
            code="xlsx_too_many_entries",
            params={"limit": MAX_ZIP_ENTRIES},
        )
    if sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES:
        raise SpreadsheetError(
            _("The XLSX file is too large once unpacked (more than %(limit)s MB)."),
            code="xlsx_too_large_unpacked",
            params={"limit": MAX_UNPACKED_BYTES // (1024 * 1024)},
        )
    for entry in entries:
        name = entry.filename.replace("\\", "/")
        if name.startswith("/") or ".." in name.split("/") or ":" in name:
            raise SpreadsheetError(
                _("The XLSX file contains a part with an unsafe path."),
                code="xlsx_unsafe_path",
            )
        if entry.flag_bits & 0x1:
            raise _other_spreadsheet()  # Encrypted entries.
        if entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _damaged()
        if (
            entry.file_size > RATIO_CHECKED_ABOVE
            and entry.file_size > MAX_COMPRESSION_RATIO * max(entry.compress_size, 1)
        ):
            raise SpreadsheetError(
                _("The XLSX file is compressed abnormally and was not opened."),
                code="xlsx_compression_ratio",
            )
    names = {entry.filename for entry in entries}
    if "xl/workbook.bin" in names or "mimetype" in names:
        raise _other_spreadsheet()  # .xlsb, or OpenDocument (.ods).
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise _not_supported()
    for entry in entries:
        if entry.filename.lower().endswith((".xml", ".rels", ".vml")):
            try:
                with archive.open(entry) as part:
                    head = part.read(XML_PROLOG_BYTES)
            except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as error:
                raise _damaged() from error
            _check_xml_prolog(head)


def _check_xml_prolog(head: bytes) -> None:
    """Refuse XML whose prolog holds a document type declaration.

    Office XML never has one; a DOCTYPE is what entity expansion attacks (external
    entities, "billion laughs") need. openpyxl parses with defusedxml as well; this
    check gives a clear message and does not depend on how openpyxl is configured.
    """
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = head.decode("utf-16", errors="replace")
    elif head.startswith(b"<\x00"):
        text = head.decode("utf-16-le", errors="replace")
    elif head.startswith(b"\x00<"):
        text = head.decode("utf-16-be", errors="replace")
    else:
        text = head.decode("latin-1")  # Markup is ASCII; the rest does not matter.
    text = text.lstrip("\ufeff\xef\xbb\xbf")
    position = 0
    while True:
        while position < len(text) and text[position] in " \t\r\n":
            position += 1
        if text.startswith("<?", position):
            closing = "?>"
        elif text.startswith("<!--", position):
            closing = "-->"
        elif text.startswith("<!", position):
            raise _xml_declarations()
        else:
            return  # The root element (or not XML at all, which openpyxl refuses).
        end = text.find(closing, position)
        if end < 0:
            # A prolog longer than anything Office writes.
            raise _xml_declarations()
        position = end + len(closing)


def _sheet_rows_factory(sheet) -> Callable[[], _RowSource]:
    def rows() -> _RowSource:
        # The dimension a file declares may be wrong (some generators write
        # "A1:A1"); openpyxl would stop reading there, so read every row.
        sheet.reset_dimensions()
        cells_by_row = _translate_errors(sheet.iter_rows(max_col=MAX_COLUMNS))
        blank = None
        for number, cells in enumerate(cells_by_row, start=1):
            if number > EXCEL_MAX_ROW:
                raise _damaged()
            # Missing rows come as one shared tuple of empty cells: skip it
            # cheaply, as a forged file may skip a million rows.
            if cells is blank:
                continue
            if all(map(operator.is_, cells, repeat(EMPTY_CELL))):
                blank = cells
                continue
            yield number, cells

    return rows


def _translate_errors(iterator: Iterator) -> Iterator:
    """Yield from an openpyxl iterator, turning its errors into SpreadsheetError."""
    while True:
        try:
            item = next(iterator)
        except StopIteration:
            return
        except _OPENPYXL_ERRORS as error:
            raise _openpyxl_error(error) from error
        yield item


def _openpyxl_error(error: BaseException) -> SpreadsheetError:
    # openpyxl wraps what its parser raised in a ValueError of its own.
    while error is not None:
        if isinstance(error, DefusedXmlException):
            return _xml_declarations()
        error = error.__cause__ or error.__context__
    return _damaged()


def _xlsx_cell_text(cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        text = _number_text(value)
        if text.isdigit() and _ZERO_PADDING.fullmatch(cell.number_format or ""):
            text = text.zfill(len(cell.number_format))
        return text
    if isinstance(value, datetime | date | time):
        return _date_text(value)
    return str(value)


def _number_text(value: float | int | Decimal) -> str:
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    # 15 significant digits is what Excel shows; avoid the exponent it would not.
    text = format(value, ".15g")
    if "e" in text or "E" in text:
        text = format(Decimal(text), "f")
    return text


def _local(value):
    """Return an aware datetime as the naive local time: Excel has no time zones."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.make_naive(value)
    return value


def _date_text(value: datetime | date | time) -> str:
    if isinstance(value, datetime):
        value = _local(value)
        if value.time() == time(0):
            return value.strftime("%d/%m/%Y")
        if value.second:
            return value.strftime("%d/%m/%Y %H:%M:%S")
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return value.strftime("%H:%M:%S" if value.second else "%H:%M")


# CSV.


def _read_csv(data: bytes, spec: _ColumnSpec, max_rows: int) -> Table:
    text = _decode_csv(data)
    forced = None
    first_line, _newline, rest = text.partition("\n")
    if re.fullmatch(r"sep=(.)\r?", first_line):
        # Excel's hint line: it names the delimiter and is not shown as a row.
        forced, text = first_line[4], rest
    delimiters = [forced] if forced else _rank_delimiters(text)

    def rows_for(delimiter: str) -> Callable[[], _RowSource]:
        def rows() -> _RowSource:
            reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
            try:
                yield from enumerate(reader, start=1)
            except csv.Error as error:
                raise SpreadsheetError(
                    _("The CSV file cannot be read at row %(row)s."),
                    code="csv_damaged",
                    params={"row": reader.line_num},
                ) from error

        return rows

    return _build_table(
        (_Candidate(make_rows=rows_for(d), cell_text=str) for d in delimiters),
        spec,
        max_rows,
    )


def _rank_delimiters(text: str) -> list[str]:
    """Return the delimiters, the most frequent in the first lines first."""
    sample = "\n".join(text[:20_000].splitlines()[: MAX_TITLE_ROWS + 10])
    counts = {delimiter: sample.count(delimiter) for delimiter in CSV_DELIMITERS}
    ranked = sorted((d for d in CSV_DELIMITERS if counts[d]), key=lambda d: -counts[d])
    return ranked or [","]


def _decode_csv(data: bytes) -> str:
    """Return the text of a CSV in UTF-8 (BOM or not), UTF-16 or Windows-1258."""
    if data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        encoding = "utf-32"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = _utf16_without_bom(data)
    if encoding is None:
        if _CONTROL_BYTES.search(data):
            raise _not_supported()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _decode_cp1258(data)
    else:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as error:
            raise _unknown_encoding() from error
    text = unicodedata.normalize("NFC", text)
    if _CONTROL_CHARS.search(text):
        raise _not_supported()
    return text


def _utf16_without_bom(data: bytes) -> str | None:
    head = data[:1000]
    if len(head) < 4:
        return None
    if head[1::2].count(0) > 0.4 * len(head) / 2 and not head[0::2].count(0):
        return "utf-16-le"
    if head[0::2].count(0) > 0.4 * len(head) / 2 and not head[1::2].count(0):
        return "utf-16-be"
    return None


_VIETNAMESE_LETTERS = frozenset(
    unicodedata.normalize("NFC", base + tone)
    for base in "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY"
    for tone in ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
) | frozenset("đĐ")


def _decode_cp1258(data: bytes) -> str:
    """Decode Windows-1258 text, or refuse bytes that are not Vietnamese text.

    Almost any bytes decode as Windows-1258, so the result must look like
    Vietnamese: mostly Vietnamese letters among the characters outside ASCII.
    """
    try:
        text = unicodedata.normalize("NFC", data.decode("cp1258"))
    except UnicodeDecodeError as error:
        raise _unknown_encoding() from error
    others = [ch for ch in text if ord(ch) > 127]
    letters = sum(ch in _VIETNAMESE_LETTERS for ch in others)
    if not letters or letters < 0.8 * len(others):
        raise _unknown_encoding()
    return text


def _unknown_encoding() -> SpreadsheetError:
    return SpreadsheetError(
        _(
            "The CSV file's text encoding is not recognised. In Excel choose "
            "“Save as” and “CSV UTF-8”, then upload it again (UTF-8, UTF-16 and "
            "Windows-1258 are accepted)."
        ),
        code="csv_encoding",
    )


# Writing ------------------------------------------------------------------------


def safe_cell(value: Any) -> Any:
    """Return value so that a spreadsheet program shows it and never runs it.

    Text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets
    a leading ``'``, as OWASP advises for CSV; numbers, dates and ``None`` are
    returned unchanged, so -2 stays a number.
    """
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


# Columns are sized to their longest value among the first rows, within bounds.
WIDTH_SAMPLE_ROWS = 200
MIN_WIDTH = 8
MAX_WIDTH = 60
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"


def write_xlsx(
    *,
    title_lines: Sequence[str] = (),
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    number_formats: dict[int, str] | None = None,
    sheet_title: str = "",
) -> bytes:
    """Return an XLSX workbook: title lines, a blank row, the header row, the rows.

    The header row is bold and frozen (it stays in view and prints on every page);
    columns are as wide as their content. ``number_formats`` maps a column index
    (from 0) to an Excel number format such as ``"#,##0"`` or ``"0.0%"``; dates
    default to dd/mm/yyyy. Text that a spreadsheet would take for a formula is
    stored as text with Excel's own quote prefix: it shows as typed, without an
    apostrophe, and never runs. Rows are streamed (openpyxl's write-only mode).
    """
    number_formats = number_formats or {}
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_sheet_title(sheet_title))
    rows = iter(rows)
    sample = [
        list(row) for _index, row in zip(range(WIDTH_SAMPLE_ROWS), rows, strict=False)
    ]
    for index, width in enumerate(_column_widths(headers, sample)):
        sheet.column_dimensions[get_column_letter(index + 1)].width = width
    header_row = len(title_lines) + 2 if title_lines else 1
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.print_title_rows = f"{header_row}:{header_row}"

    for index, line in enumerate(title_lines):
        cell = _text_cell(sheet, line)
        cell.font = Font(bold=True, size=14) if index == 0 else Font(italic=True)
        sheet.append([cell])
    if title_lines:
        sheet.append([])
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    header_border = Border(bottom=Side(style="thin"))
    header_alignment = Alignment(wrap_text=True, vertical="center")
    header_cells = []
    for header in headers:
        cell = _text_cell(sheet, header)
        cell.font = header_font
        cell.fill = header_fill
        cell.border = header_border
        cell.alignment = header_alignment
        header_cells.append(cell)
    sheet.append(header_cells)

    for row in chain(sample, rows):
        sheet.append(
            [
                _xlsx_value(sheet, value, number_formats.get(index))
                for index, value in enumerate(row)
            ]
        )
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _sheet_title(title: str) -> str:
    title = re.sub(r"[\[\]:*?/\\]", " ", str(title)).strip().strip("'")[:31]
    return title or "Sheet1"


def _column_widths(headers: Sequence[str], sample: list[list]) -> list[float]:
    widths = [len(str(header)) for header in headers]
    for row in sample:
        for index, value in enumerate(row):
            length = len(_csv_text(value))
            if index >= len(widths):
                widths.append(length)
            elif length > widths[index]:
                widths[index] = length
    return [min(max(width + 2, MIN_WIDTH), MAX_WIDTH) for width in widths]


def _text_cell(sheet, text) -> WriteOnlyCell:
    text = ILLEGAL_CHARACTERS_RE.sub("", str(text))
    cell = WriteOnlyCell(sheet, value=text)
    # openpyxl takes text starting with "=" for a formula; this is text.
    cell.data_type = "s"
    if text.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True
    return cell


def _xlsx_value(sheet, value, number_format_: str | None):
    if value is None:
        return None
    if isinstance(value, Promise | str):
        text = str(value)
        if text.startswith(FORMULA_TRIGGERS) or ILLEGAL_CHARACTERS_RE.search(text):
            return _text_cell(sheet, text)
        return text
    if isinstance(value, datetime | date):
        cell = WriteOnlyCell(sheet, value=_local(value))
        default = DATETIME_FORMAT if isinstance(value, datetime) else DATE_FORMAT
        cell.number_format = number_format_ or default
        return cell
    if isinstance(value, int | float | Decimal):
        if number_format_ is None or isinstance(value, bool):
            return value
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = number_format_
        return cell
    return _text_cell(sheet, value)


def write_csv(
    *,
    title_lines: Sequence[str] = (),
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    delimiter: str = ",",
) -> bytes:
    """Return CSV bytes: title lines, a blank line, the header row, the rows.

    UTF-8 with a BOM, so Excel shows Vietnamese correctly; every text cell goes
    through ``safe_cell()``. Dates are written dd/mm/yyyy, numbers with a point
    for decimals and no thousands separator.
    """
    output = io.StringIO()
    writer = csv.writer(output, delimiter=delimiter, lineterminator="\r\n")
    for line in title_lines:
        writer.writerow([safe_cell(str(line))])
    if title_lines:
        writer.writerow([])
    writer.writerow([safe_cell(str(header)) for header in headers])
    for row in rows:
        writer.writerow([_csv_text(value) for value in row])
    return codecs.BOM_UTF8 + output.getvalue().encode("utf-8")


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float | Decimal):
        return _number_text(value)
    if isinstance(value, datetime | date | time):
        return _date_text(value)
    return safe_cell(str(value))
