"""Import targets (chỉ tiêu) from a spreadsheet: check every row, then apply.

An official uploads an XLSX or CSV with one target per row: the unit (its name or
official code), the people (a kind of learner, or everyone), the course (or any
course), the due date and the number of people. ``check_rows`` reads each row
against the official's subtree and says, in Vietnamese, what is wrong with each
field at fault; nothing is saved until the official applies the checked rows
(``targets_import_apply``), which sets each target through
``reports.services.target_set``. A unit outside the official's subtree is an
error on its row, never a target.

The checked rows travel from the preview to the apply step signed (they cannot be
altered in between) and are checked again when applied, since a role may have
changed meanwhile.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.spreadsheets import SpreadsheetError, read_table, write_xlsx
from core.text import fold
from courses.models import CoursePage
from regions.models import Region
from users.scopes import regions_visible_to

from .models import Target, TargetKind
from .selectors.access import can_view_reports
from .services import target_set

COLUMNS = {
    "unit": ["Đơn vị", "Tên đơn vị", "Xã/Phường", "Unit"],
    "code": ["Mã đơn vị", "Mã", "Unit code", "Code"],
    "kind": ["Đối tượng", "Loại người học", "People", "Kind"],
    "course": ["Khóa học", "Course"],
    "due_on": ["Hạn hoàn thành", "Hạn", "Thời hạn", "Due date"],
    "people": ["Số người", "Chỉ tiêu", "Số lượng", "Number of people", "Target"],
}
REQUIRED = ["due_on", "people"]
FIELD_LABELS = {
    "unit": gettext_lazy("Unit"),
    "kind": gettext_lazy("People"),
    "course": gettext_lazy("Course"),
    "due_on": gettext_lazy("Due date"),
    "people": gettext_lazy("Number of people"),
}
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")
DIVISION_PREFIXES = ("xa ", "phuong ", "thi tran ", "dac khu ", "tinh ", "thanh pho ")
# Words officials write for "every kind of learner".
EVERYONE = ("", "tat ca", "moi nguoi", "moi doi tuong", "chung", "all", "everyone")
KIND_SYNONYMS = {
    "hoc sinh": "student",
    "hs": "student",
    "giao vien": "teacher",
    "gv": "teacher",
    "can bo": "official",
    "cong chuc": "official",
    "can bo cong chuc": "official",
    "nguoi dan": "citizen",
    "cong dan": "citizen",
    "to cong nghe so cong dong": "volunteer",
    "thanh vien to cong nghe so cong dong": "volunteer",
    "to cnscd": "volunteer",
    "thanh vien to cnscd": "volunteer",
}
SIGNING_SALT = "reports.targets_import"
# A checked file is applied within this many seconds, or checked again.
MAX_AGE = 3600


def _without_prefix(folded: str) -> str:
    for prefix in DIVISION_PREFIXES:
        if folded.startswith(prefix):
            return folded[len(prefix) :]
    return folded


def _kind_lookup() -> dict[str, str]:
    lookup = dict.fromkeys(EVERYONE, TargetKind.ALL.value)
    lookup.update(KIND_SYNONYMS)
    for value, label in TargetKind.choices:
        lookup[fold(value)] = value
        lookup[fold(str(label))] = value
        with translation.override("vi"):
            lookup[fold(str(label))] = value
    return lookup


class UnitMatcher:
    """Match units as typed (name or official code) to the current units the
    official may set targets for."""

    def __init__(self, user):
        self.scope = {
            unit.pk: unit
            for unit in regions_visible_to(user)
            .filter(is_current=True)
            .select_related("parent")
        }
        self.by_name: dict[str, list[Region]] = defaultdict(list)
        self.by_code: dict[str, list[Region]] = defaultdict(list)
        for unit in self.scope.values():
            folded = fold(unit.name)
            self.by_name[folded].append(unit)
            if _without_prefix(folded) != folded:
                self.by_name[_without_prefix(folded)].append(unit)
            self.by_code[unit.code].append(unit)

    def match(self, name: str, code: str) -> tuple[Region | None, str]:
        """Return (unit, "") or (None, the message for the row)."""
        if code:
            found = self.by_code.get(code.strip(), [])
            if len(found) == 1:
                return found[0], ""
            if not found:
                return None, self._outside(code)
        if not name:
            return None, _("Write the unit's name or its official code.")
        folded = fold(name)
        found = self.by_name.get(folded) or self.by_name.get(_without_prefix(folded))
        if not found and name.strip().isdigit():
            found = self.by_code.get(name.strip(), [])
        found = list({unit.pk: unit for unit in found or []}.values())
        if len(found) == 1:
            return found[0], ""
        if not found:
            return None, self._outside(name)
        return None, _(
            "“%(name)s” matches several units: %(units)s. Add the unit code column."
        ) % {
            "name": name,
            "units": ", ".join(f"{u.name} ({u.code})" for u in found[:5]),
        }

    @staticmethod
    def _outside(text: str) -> str:
        return _(
            "“%(name)s” is not a current unit you are responsible for. You can set "
            "targets only for your unit and the units under it."
        ) % {"name": text}


def _parse_date(text: str) -> datetime.date | None:
    text = text.strip().split(" ")[0]
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


_THOUSANDS = re.compile(r"[\s.,]")


def _parse_people(text: str) -> int | None:
    digits = _THOUSANDS.sub("", text.strip())
    if not digits.isdigit():
        return None
    return int(digits)


def parse_upload(upload):
    """Return the table of an uploaded targets file (raises SpreadsheetError)."""
    return read_unit_table(upload, columns=COLUMNS, required=REQUIRED)


def read_unit_table(upload, *, columns, required):
    """Return the table of an uploaded file of rows by unit, named by a unit or
    a code column (raises SpreadsheetError); the targets and the outcome
    figures imports read theirs this way."""
    table = read_table(upload, columns=columns, required=required)
    if "unit" not in table.headers and "code" not in table.headers:
        raise SpreadsheetError(
            _("The file needs a column “Đơn vị” (unit name) or “Mã đơn vị” (code)."),
            code="missing_columns",
        )
    return table


def check_rows(table, *, user) -> list[dict]:
    """Return each row of the table checked: a dict with the row number, what it
    sets, its status ("new", "update", "same" or "error") and a message per field
    at fault."""
    units = UnitMatcher(user)
    kinds = _kind_lookup()
    labels = dict(TargetKind.choices)
    courses = list(CoursePage.objects.live().only("pk", "title"))
    course_by_title = defaultdict(list)
    for course in courses:
        course_by_title[fold(course.title)].append(course)
    course_by_pk = {str(course.pk): course for course in courses}

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

        kind = kinds.get(fold(values.get("kind", "")))
        if kind is None:
            errors["kind"] = _(
                "“%(value)s” is not a kind of learner. Write one of: %(kinds)s."
            ) % {
                "value": values["kind"],
                "kinds": ", ".join(str(label) for label in labels.values()),
            }
        else:
            row.update(kind=kind, kind_label=str(labels[kind]))

        course_text = values.get("course", "").strip()
        row.update(course=None, course_title="")
        if course_text and fold(course_text) not in EVERYONE:
            found = course_by_title.get(fold(course_text)) or (
                [course_by_pk[course_text]] if course_text in course_by_pk else []
            )
            if len(found) == 1:
                row.update(course=found[0].pk, course_title=found[0].title)
            else:
                errors["course"] = _(
                    "No published course is called “%(value)s”. Copy its title "
                    "exactly, or leave the cell empty for any course."
                ) % {"value": course_text}

        due_on = _parse_date(values.get("due_on", ""))
        if due_on is None:
            errors["due_on"] = (
                _("Write the due date as dd/mm/yyyy, for example 31/12/2026.")
                if values.get("due_on")
                else _("The due date is missing.")
            )
        else:
            row["due_on"] = due_on.isoformat()

        people = _parse_people(values.get("people", ""))
        if people is None:
            errors["people"] = (
                _("“%(value)s” is not a whole number of people.")
                % {"value": values["people"]}
                if values.get("people")
                else _("The number of people is missing.")
            )
        else:
            row["people"] = people

        if not errors:
            key = (row["region"], row["kind"], row["course"], row["due_on"])
            if key in seen:
                errors["unit"] = _(
                    "Row %(row)s already sets this target (same unit, people, "
                    "course and due date)."
                ) % {"row": seen[key]}
            else:
                seen[key] = source.number
        row["errors"] = errors
        rows.append(row)
    _mark_existing(rows)
    return rows


def _mark_existing(rows: list[dict]) -> None:
    """Mark each valid row new, an update of a target's number, or the same."""
    valid = [row for row in rows if not row["errors"]]
    existing = {
        (t.region_id, t.kind, t.course_id, t.due_on.isoformat()): t.people
        for t in Target.objects.filter(region_id__in={row["region"] for row in valid})
    }
    for row in rows:
        if row["errors"]:
            row["status"] = "error"
            continue
        before = existing.get(
            (row["region"], row["kind"], row["course"], row["due_on"])
        )
        row["before"] = before
        if before is None:
            row["status"] = "new"
        elif before == row["people"]:
            row["status"] = "same"
        else:
            row["status"] = "update"


@dataclass
class ImportResult:
    saved: int
    skipped: int


def sign_rows(rows: list[dict]) -> str:
    return sign_checked_rows(
        rows,
        keep=("number", "region", "kind", "course", "due_on", "people"),
        salt=SIGNING_SALT,
    )


def unsign_rows(payload: str) -> dict:
    """Return {"rows": the valid rows, "errors": how many rows had errors}."""
    return unsign_checked_rows(payload, salt=SIGNING_SALT)


def sign_checked_rows(rows: list[dict], *, keep: tuple[str, ...], salt: str) -> str:
    """Sign the valid rows' ``keep`` fields and the number of rows in error,
    for the preview's form to carry to the apply step unchanged."""
    return signing.dumps(
        {
            "rows": [
                {key: row[key] for key in keep} for row in rows if not row["errors"]
            ],
            "errors": sum(1 for row in rows if row["errors"]),
        },
        salt=salt,
        compress=True,
    )


def unsign_checked_rows(payload: str, *, salt: str) -> dict:
    """Return what sign_checked_rows signed; ValidationError when it is older
    than MAX_AGE or was altered."""
    try:
        return signing.loads(payload, salt=salt, max_age=MAX_AGE)
    except signing.SignatureExpired as error:
        raise ValidationError(
            _("The check is more than an hour old. Upload the file again.")
        ) from error
    except signing.BadSignature as error:
        raise ValidationError(
            _("The checked rows were altered. Upload the file again.")
        ) from error


@transaction.atomic
def targets_import_apply(
    *, rows: list[dict], user, errors: int = 0, all_or_nothing=False
) -> ImportResult:
    """Set the target of every checked row, all in one transaction; with
    all_or_nothing and any row in error, set none."""
    if all_or_nothing and errors:
        return ImportResult(saved=0, skipped=len(rows) + errors)
    scope = set(
        regions_visible_to(user).filter(is_current=True).values_list("pk", flat=True)
    )
    regions = Region.objects.in_bulk({row["region"] for row in rows})
    courses = CoursePage.objects.live().in_bulk(
        {row["course"] for row in rows if row["course"]}
    )
    saved = 0
    for row in rows:
        region = regions.get(row["region"])
        if region is None or region.pk not in scope:
            raise PermissionDenied
        course = None
        if row["course"]:
            course = courses.get(row["course"])
            if course is None:
                raise ValidationError(
                    _("Row %(row)s: the course is no longer published.")
                    % {"row": row["number"]}
                )
        target_set(
            region=region,
            kind=row["kind"],
            course=course,
            due_on=datetime.date.fromisoformat(row["due_on"]),
            people=row["people"],
            set_by=user,
        )
        saved += 1
    return ImportResult(saved=saved, skipped=errors)


# Views -----------------------------------------------------------------------


class TargetsUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Targets file (XLSX or CSV)"),
        help_text=gettext_lazy(
            "One target per row: unit (or unit code), people, course (empty for any "
            "course), due date and number of people."
        ),
    )


class TargetsApplyForm(forms.Form):
    rows = forms.CharField(widget=forms.HiddenInput)
    all_or_nothing = forms.BooleanField(
        label=gettext_lazy("Save nothing if any row has an error"), required=False
    )


def require_officials(user) -> None:
    """404 for anyone who may not see reports (the imports' pages)."""
    if not can_view_reports(user):
        raise Http404


@login_required
def targets_import_view(request):
    """Upload a targets file, see every row checked, then apply the valid ones."""
    require_officials(request.user)
    if request.method == "POST" and "rows" in request.POST:
        return _apply(request)
    form = TargetsUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            table = parse_upload(form.cleaned_data["file"])
        except SpreadsheetError as error:
            form.add_error("file", error)
        else:
            rows = check_rows(table, user=request.user)
            return _preview(request, rows, form.cleaned_data["file"].name)
    return render(request, "reports/targets_import.html", {"form": form})


def _preview(request, rows: list[dict], file_name: str):
    return render_preview(
        request,
        "reports/targets_import_preview.html",
        rows=rows,
        form=TargetsApplyForm(initial={"rows": sign_rows(rows)}),
        labels=FIELD_LABELS,
        file_name=file_name,
    )


def render_preview(request, template: str, *, rows, form, labels, file_name):
    """The row-by-row preview of a checked file: each row's errors under its
    field's label, the counts by status, and the form that applies it."""
    for row in rows:
        row["error_list"] = [
            (labels.get(field, field), message)
            for field, message in row["errors"].items()
        ]
    counts = {
        status: sum(1 for row in rows if row["status"] == status)
        for status in ("new", "update", "same", "error")
    }
    return render(
        request,
        template,
        {
            "rows": rows,
            "counts": counts,
            "form": form,
            "file_name": file_name,
            "valid": sum(1 for row in rows if not row["errors"]),
        },
    )


def _apply(request):
    form = TargetsApplyForm(request.POST)
    if not form.is_valid():
        raise Http404
    try:
        checked = unsign_rows(form.cleaned_data["rows"])
        result = targets_import_apply(
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
        return redirect("reports:targets_import")
    if result.saved:
        messages.success(
            request,
            _("%(saved)s targets saved; %(skipped)s rows skipped.")
            % {"saved": result.saved, "skipped": result.skipped},
        )
    else:
        messages.warning(
            request,
            _("Nothing was saved: correct the rows with errors and upload again."),
        )
    return redirect("reports:targets")


@login_required
def targets_template_view(request):
    """An empty targets sheet with the headers the import reads."""
    require_officials(request.user)
    headers = [spellings[0] for spellings in COLUMNS.values()]
    data = write_xlsx(headers=headers, rows=[], sheet_title="Chỉ tiêu")
    response = HttpResponse(
        data,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = content_disposition_header(
        True, "mau-chi-tieu.xlsx"
    )
    return response
