"""Import outcome figures from a spreadsheet: check every row, then apply.

The figures are what the province's one-stop-shop software reports per commune
and week or month: dossiers received, received online, processed online and
paid online. The import follows the targets import (``reports.targets_import``)
and reuses its parts: the same reading of the sheet (``core.spreadsheets``),
the same matching of units against the official's subtree, the same signed
preview and the same check again when applied. A row for a unit outside the
subtree, a period that is not a week's Monday or a month's first day (or has
not begun), or an online count above the dossiers received is an error on its
row, in Vietnamese. By default an import with any row in error saves nothing.
"""

from __future__ import annotations

import datetime
import re

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.spreadsheets import SpreadsheetError, write_xlsx
from core.text import fold
from regions.models import Region
from users.scopes import regions_visible_to

from .models import OutcomeFigure, OutcomePeriod
from .services import (
    OUTCOME_COUNTS,
    outcome_counts_errors,
    outcome_figure_set,
    outcome_period_error,
)
from .targets_import import (
    UnitMatcher,
    _parse_date,
    _parse_people,
    read_unit_table,
    render_preview,
    require_officials,
    sign_checked_rows,
    unsign_checked_rows,
)

COLUMNS = {
    "unit": ["Đơn vị", "Tên đơn vị", "Xã/Phường", "Unit"],
    "code": ["Mã đơn vị", "Mã", "Unit code", "Code"],
    "period": ["Kỳ báo cáo", "Kỳ", "Loại kỳ", "Period"],
    "period_start": ["Từ ngày", "Ngày bắt đầu", "Bắt đầu kỳ", "Period start"],
    "received": [
        "Hồ sơ tiếp nhận",
        "Tiếp nhận",
        "Tổng hồ sơ tiếp nhận",
        "Tổng số hồ sơ",
        "Received",
    ],
    "received_online": [
        "Tiếp nhận trực tuyến",
        "Hồ sơ trực tuyến",
        "Hồ sơ tiếp nhận trực tuyến",
        "Received online",
    ],
    "processed_online": [
        "Xử lý trực tuyến",
        "Hồ sơ xử lý trực tuyến",
        "Processed online",
    ],
    "paid_online": [
        "Thanh toán trực tuyến",
        "Hồ sơ thanh toán trực tuyến",
        "Paid online",
    ],
}
REQUIRED = ["period", "period_start", *OUTCOME_COUNTS]
FIELD_LABELS = {
    "unit": gettext_lazy("Unit"),
    "period": gettext_lazy("Period"),
    "period_start": gettext_lazy("Period start"),
    "received": gettext_lazy("Dossiers received"),
    "received_online": gettext_lazy("Received online"),
    "processed_online": gettext_lazy("Processed online"),
    "paid_online": gettext_lazy("Paid online"),
}
PERIOD_WORDS = {
    "tuan": OutcomePeriod.WEEK,
    "week": OutcomePeriod.WEEK,
    "hang tuan": OutcomePeriod.WEEK,
    "thang": OutcomePeriod.MONTH,
    "month": OutcomePeriod.MONTH,
    "hang thang": OutcomePeriod.MONTH,
}
SIGNING_SALT = "reports.outcomes_import"
_MONTH = re.compile(r"^(\d{1,2})[/.-](\d{4})$")


class OutcomeUnitMatcher(UnitMatcher):
    @staticmethod
    def _outside(text: str) -> str:
        return _(
            "“%(name)s” is not a current unit you are responsible for. You can "
            "enter figures only for your unit and the units under it."
        ) % {"name": text}


def _parse_period_start(text: str, period: str | None) -> datetime.date | None:
    """Return the day a period cell names; a month may be written mm/yyyy."""
    found = _MONTH.match(text.strip())
    if found and period == OutcomePeriod.MONTH:
        month, year = int(found[1]), int(found[2])
        if 1 <= month <= 12:
            return datetime.date(year, month, 1)
        return None
    return _parse_date(text)


def parse_upload(upload):
    """Return the table of an uploaded figures file (raises SpreadsheetError)."""
    return read_unit_table(upload, columns=COLUMNS, required=REQUIRED)


def check_rows(table, *, user, today: datetime.date | None = None) -> list[dict]:
    """Return each row of the table checked: a dict with the row number, the
    figures it sets, its status ("new", "update", "same" or "error") and a
    message per field at fault."""
    units = OutcomeUnitMatcher(user)
    rows, seen = [], {}
    for source in table.rows:
        values = source.values
        errors: dict[str, str] = {}
        row = {"number": source.number, "raw": values}

        unit, message = units.match(values.get("unit", ""), values.get("code", ""))
        if unit is None:
            errors["unit"] = message
        else:
            row.update(region=unit.pk, unit_name=unit.name)

        period = PERIOD_WORDS.get(fold(values.get("period", "")))
        if period is None:
            errors["period"] = _(
                "“%(value)s” is not a period. Write “Tuần” (week) or “Tháng” (month)."
            ) % {"value": values.get("period", "")}
        else:
            row.update(period=period.value, period_label=str(period.label))

        text = values.get("period_start", "")
        start = _parse_period_start(text, period)
        if start is None:
            errors["period_start"] = (
                _(
                    "Write the period's first day as dd/mm/yyyy, for example "
                    "07/12/2026 (a Monday), or a month as 12/2026."
                )
                if text
                else _("The period's first day is missing.")
            )
        elif period is not None:
            problem = outcome_period_error(period, start, today=today)
            if problem:
                errors["period_start"] = problem
        if start is not None:
            row["period_start"] = start.isoformat()

        counts = {}
        for name in OUTCOME_COUNTS:
            text = values.get(name, "")
            counts[name] = _parse_people(text)
            if counts[name] is None:
                errors[name] = (
                    _("“%(value)s” is not a whole number of dossiers.")
                    % {"value": text}
                    if text
                    else _("The number is missing.")
                )
        if not any(name in errors for name in OUTCOME_COUNTS):
            errors.update(outcome_counts_errors(counts))
        row.update(counts)

        if not errors:
            key = (row["region"], row["period"], row["period_start"])
            if key in seen:
                errors["period_start"] = _(
                    "Row %(row)s already gives the figures of this unit and period."
                ) % {"row": seen[key]}
            else:
                seen[key] = source.number
        row["errors"] = errors
        rows.append(row)
    _mark_existing(rows)
    return rows


def _mark_existing(rows: list[dict]) -> None:
    valid = [row for row in rows if not row["errors"]]
    existing = {
        (f.region_id, f.period, f.period_start.isoformat()): tuple(
            getattr(f, name) for name in OUTCOME_COUNTS
        )
        for f in OutcomeFigure.objects.filter(
            region_id__in={row["region"] for row in valid}
        )
    }
    for row in rows:
        if row["errors"]:
            row["status"] = "error"
            continue
        before = existing.get((row["region"], row["period"], row["period_start"]))
        row["before"] = before
        if before is None:
            row["status"] = "new"
        elif before == tuple(row[name] for name in OUTCOME_COUNTS):
            row["status"] = "same"
        else:
            row["status"] = "update"


def sign_rows(rows: list[dict]) -> str:
    return sign_checked_rows(
        rows,
        keep=("number", "region", "period", "period_start", *OUTCOME_COUNTS),
        salt=SIGNING_SALT,
    )


def unsign_rows(payload: str) -> dict:
    """Return {"rows": the valid rows, "errors": how many rows had errors}."""
    return unsign_checked_rows(payload, salt=SIGNING_SALT)


@transaction.atomic
def outcomes_import_apply(
    *, rows: list[dict], user, errors: int = 0, all_or_nothing=True
) -> tuple[int, int]:
    """Set the figures of every checked row in one transaction and return
    (saved, skipped); with all_or_nothing and any row in error, set none."""
    if all_or_nothing and errors:
        return 0, len(rows) + errors
    scope = set(
        regions_visible_to(user).filter(is_current=True).values_list("pk", flat=True)
    )
    regions = Region.objects.in_bulk({row["region"] for row in rows})
    for row in rows:
        region = regions.get(row["region"])
        if region is None or region.pk not in scope:
            raise PermissionDenied
        try:
            outcome_figure_set(
                region=region,
                period=row["period"],
                period_start=datetime.date.fromisoformat(row["period_start"]),
                **{name: row[name] for name in OUTCOME_COUNTS},
                set_by=user,
            )
        except ValidationError as error:
            raise ValidationError(
                _("Row %(row)s: %(problem)s")
                % {"row": row["number"], "problem": " ".join(error.messages)}
            ) from error
    return len(rows), errors


# Views -----------------------------------------------------------------------


class OutcomesUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Figures file (XLSX or CSV)"),
        help_text=gettext_lazy(
            "One unit and period per row: unit (or unit code), period (week or "
            "month), its first day, dossiers received, received online, processed "
            "online and paid online."
        ),
    )


class OutcomesApplyForm(forms.Form):
    rows = forms.CharField(widget=forms.HiddenInput)
    all_or_nothing = forms.BooleanField(
        label=gettext_lazy("Save nothing if any row has an error"),
        required=False,
        initial=True,
    )


@login_required
def outcomes_import_view(request):
    """Upload a figures file, see every row checked, then apply."""
    require_officials(request.user)
    if request.method == "POST" and "rows" in request.POST:
        return _apply(request)
    form = OutcomesUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            table = parse_upload(form.cleaned_data["file"])
        except SpreadsheetError as error:
            form.add_error("file", error)
        else:
            rows = check_rows(table, user=request.user)
            return _preview(request, rows, form.cleaned_data["file"].name)
    return render(request, "reports/outcomes_import.html", {"form": form})


def _preview(request, rows: list[dict], file_name: str):
    return render_preview(
        request,
        "reports/outcomes_import_preview.html",
        rows=rows,
        form=OutcomesApplyForm(initial={"rows": sign_rows(rows)}),
        labels=FIELD_LABELS,
        file_name=file_name,
    )


def _apply(request):
    form = OutcomesApplyForm(request.POST)
    if not form.is_valid():
        raise Http404
    try:
        checked = unsign_rows(form.cleaned_data["rows"])
        saved, skipped = outcomes_import_apply(
            rows=checked["rows"],
            user=request.user,
            errors=checked["errors"],
            all_or_nothing=form.cleaned_data["all_or_nothing"],
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("reports:outcomes_import")
    if saved:
        messages.success(
            request,
            _("Figures of %(saved)s rows saved; %(skipped)s rows skipped.")
            % {"saved": saved, "skipped": skipped},
        )
    else:
        messages.warning(
            request,
            _("Nothing was saved: correct the rows with errors and upload again."),
        )
    return redirect("reports:outcomes")


@login_required
def outcomes_template_view(request):
    """An empty figures sheet with the headers the import reads."""
    require_officials(request.user)
    headers = [spellings[0] for spellings in COLUMNS.values()]
    data = write_xlsx(headers=headers, rows=[], sheet_title="Kết quả DVCTT")
    response = HttpResponse(
        data,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = content_disposition_header(
        True, "mau-ket-qua-dvctt.xlsx"
    )
    return response
