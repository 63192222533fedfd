"""The coverage dashboard as a spreadsheet: XLSX and CSV bytes, nothing else.

Both show exactly what the dashboard shows for the same filters: a title stating
the unit, the period (dd/mm/yyyy) and the filters, then one row per child unit in
the dashboard's order, the records attached to the unit itself, and the totals.
The XLSX has a sheet each for the week-by-week trend, the split by kind of learner
and the split by course (and, for a unit without child units, its classes).
Numbers are numbers (``#,##0``), coverage a real fraction shown as ``0.0%``; any
text a spreadsheet could take for a formula (``= + - @``) is stored as text.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from core.spreadsheets import FORMULA_TRIGGERS, write_csv
from core.text import fold
from users.models import LearnerKind

from .selectors.filters import Dashboard, Figures, ReportFilters

INTEGER = "#,##0"
PERCENT = "0.0%"
DATE = "dd/mm/yyyy"


def _figure_headers() -> list[str]:
    return [
        _("Target"),
        _("Trained (people)"),
        _("Coverage"),
        _("Certificates issued"),
        _("Revoked"),
        _("Enrolled"),
        pgettext("coverage", "In progress"),
        _("Completed"),
        _("Participations"),
        _("Participants"),
    ]


def _figure_values(figures: Figures) -> list[Any]:
    return [
        figures.target,
        figures.trained,
        figures.coverage,
        figures.certificates_issued,
        figures.certificates_revoked,
        figures.enrolled,
        figures.in_progress,
        figures.completed,
        figures.participations,
        figures.participants,
    ]


# Index of the coverage among the figure columns; the others are integers.
COVERAGE_COLUMN = 2


def _figure_formats(offset: int) -> dict[int, str]:
    count = len(_figure_headers())
    return {
        offset + index: PERCENT if index == COVERAGE_COLUMN else INTEGER
        for index in range(count)
    }


def _date(value) -> str:
    return value.strftime("%d/%m/%Y")


def _kind_label(kind: str | None) -> str:
    if not kind:
        return _("Everyone")
    return str(dict(LearnerKind.choices).get(kind, kind))


def title_lines(dashboard: Dashboard) -> list[str]:
    """Return the lines above the table: the unit, the period, the filters and
    when the figures were taken."""
    filters = dashboard.filters
    course = filters.course.title if filters.course is not None else _("All courses")
    return [
        _("Training coverage report: %(unit)s") % {"unit": unit_label(filters)},
        _("Period: %(start)s to %(end)s")
        % {"start": _date(filters.start), "end": _date(filters.end)},
        _("Course: %(course)s · People: %(kind)s")
        % {"course": course, "kind": _kind_label(filters.kind)},
        _("Figures as of %(moment)s")
        % {"moment": timezone.localtime().strftime("%d/%m/%Y %H:%M")},
    ]


def unit_label(filters: ReportFilters) -> str:
    region = filters.region
    if region.level == region.Level.PROVINCE or region.parent_id is None:
        return region.name
    return f"{region.name}, {region.province_name}"


def summary_rows(dashboard: Dashboard) -> list[list[Any]]:
    """Return the rows of the main table: child units, the unit's own records,
    the totals; or, for a unit without child units, the unit alone."""
    rows = [[row.name, *_figure_values(row.figures)] for row in dashboard.children]
    if dashboard.direct is not None:
        rows.append(
            [_("Directly in %(unit)s") % {"unit": dashboard.filters.region.name}]
            + _figure_values(dashboard.direct)
        )
    rows.append([_("Total"), *_figure_values(dashboard.totals)])
    return rows


def _trend_rows(dashboard: Dashboard) -> list[list[Any]]:
    return [
        [point.week_start, point.trained, point.trained_cumulative, point.certificates]
        for point in dashboard.trend
    ]


def _class_rows(dashboard: Dashboard) -> list[list[Any]]:
    return [
        [
            row.name,
            row.members,
            row.participations,
            row.participants,
            row.certificates_issued,
            row.trained,
        ]
        for row in dashboard.classes
    ]


def filename(dashboard: Dashboard, extension: str) -> str:
    """Return an ASCII file name: bao-cao-<unit>-<end of period dd-mm-yyyy>.<ext>."""
    slug = "-".join(fold(dashboard.filters.region.name).split()) or "don-vi"
    slug = "".join(ch for ch in slug if ch.isascii() and (ch.isalnum() or ch == "-"))
    return f"bao-cao-{slug}-{dashboard.filters.end:%d-%m-%Y}.{extension}"


# XLSX ------------------------------------------------------------------------

_TITLE_FONT = Font(bold=True, size=14)
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_HEADER_BORDER = Border(bottom=Side(style="thin"))
_TOTAL_BORDER = Border(top=Side(style="thin"))


def _text(cell, value) -> None:
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    cell.value = text
    # Stored as text: openpyxl would take a leading "=" for a formula.
    cell.data_type = "s"
    if text.startswith(FORMULA_TRIGGERS):
        # Excel's own marker for text typed with a leading apostrophe: shown as
        # typed, never run.
        cell.quotePrefix = True


def _sheet(
    workbook: Workbook,
    *,
    name: str,
    titles: Sequence[str],
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    formats: dict[int, str],
    total_last: bool = False,
):
    sheet = workbook.create_sheet(name[:31])
    row_number = 1
    for index, line in enumerate(titles):
        cell = sheet.cell(row=row_number, column=1)
        _text(cell, line)
        cell.font = _TITLE_FONT if index == 0 else Font(italic=True)
        row_number += 1
    if titles:
        row_number += 1
    header_row = row_number
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(row=header_row, column=column)
        _text(cell, header)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.border = _HEADER_BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for offset, values in enumerate(rows, start=1):
        is_total = total_last and offset == len(rows)
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=header_row + offset, column=column)
            if value is None:
                pass
            elif isinstance(value, str):
                _text(cell, value)
            else:
                cell.value = value
                number_format = formats.get(column - 1)
                if number_format:
                    cell.number_format = number_format
            if is_total:
                cell.font = _HEADER_FONT
                cell.border = _TOTAL_BORDER
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=2)
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    widths = [len(str(header)) for header in headers]
    for values in rows:
        for column, value in enumerate(values):
            if isinstance(value, str) and column < len(widths):
                widths[column] = max(widths[column], len(value))
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(
            max(width + 2, 10), 50
        )
    return sheet


def dashboard_xlsx(dashboard: Dashboard) -> bytes:
    """Return the dashboard as an XLSX workbook."""
    titles = title_lines(dashboard)
    figure_headers = _figure_headers()
    workbook = Workbook()
    workbook.remove(workbook.active)
    _sheet(
        workbook,
        name=_("Summary"),
        titles=titles,
        headers=[_("Unit"), *figure_headers],
        rows=summary_rows(dashboard),
        formats=_figure_formats(1),
        total_last=True,
    )
    if dashboard.classes:
        _sheet(
            workbook,
            name=_("Classes"),
            titles=titles,
            headers=[
                _("Class"),
                _("Members"),
                _("Participations"),
                _("Participants"),
                _("Certificates issued"),
                _("Trained (people)"),
            ],
            rows=_class_rows(dashboard),
            formats=dict.fromkeys(range(1, 6), INTEGER),
        )
    _sheet(
        workbook,
        name=_("By week"),
        titles=titles,
        headers=[
            _("Week starting"),
            _("Trained that week (people)"),
            _("Trained, cumulative (people)"),
            _("Certificates issued that week"),
        ],
        rows=_trend_rows(dashboard),
        formats={0: DATE, 1: INTEGER, 2: INTEGER, 3: INTEGER},
    )
    _sheet(
        workbook,
        name=_("By kind of learner"),
        titles=titles,
        headers=[pgettext("kind of learner", "People"), *figure_headers],
        rows=[
            [label, *_figure_values(figures)]
            for _value, label, figures in dashboard.by_kind
        ],
        formats=_figure_formats(1),
    )
    _sheet(
        workbook,
        name=_("By course"),
        titles=titles,
        headers=[_("Course"), *figure_headers],
        rows=[
            [course.title, *_figure_values(figures)]
            for course, figures in dashboard.by_course
        ],
        formats=_figure_formats(1),
    )
    workbook.properties.title = titles[0]
    workbook.properties.creator = "LMS"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


# CSV -------------------------------------------------------------------------


def dashboard_csv(dashboard: Dashboard) -> bytes:
    """Return the dashboard's main table as CSV (UTF-8 with a BOM, for Excel):
    the same title lines and columns as the XLSX summary sheet, coverage as a
    percentage with one decimal."""
    headers = [_("Unit"), *_figure_headers()]
    headers[1 + COVERAGE_COLUMN] = _("Coverage (%)")
    rows = []
    for row in summary_rows(dashboard):
        coverage = row[1 + COVERAGE_COLUMN]
        if coverage is not None:
            row[1 + COVERAGE_COLUMN] = round(coverage * 100, 1)
        rows.append(row)
    return write_csv(title_lines=title_lines(dashboard), headers=headers, rows=rows)
