"""Check the rows of an uploaded roster before anything is saved.

Columns are read by ``core.spreadsheets.read_table`` under their Vietnamese
headers. Each row comes out as a plain dict (stored as JSON on ``RosterImport``)
with status "match" (an existing person, by phone, or a member of the class of
the same name and date of birth who has no phone), "new" or "error", and the
message of every field at fault.

A row that names an existing person never changes them: its other details are
not errors, and the row's ``account`` says what applying it will do (see
``ACCOUNT_NOTES``). Only a light account this class made and nobody has claimed
has its blanks filled in, when the teacher asks.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.contrib.auth.hashers import is_password_usable
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from core.spreadsheets import read_table
from core.text import fold
from regions.models import Region
from users.models import User
from users.phone import normalise_phone

COLUMNS = {
    "full_name": ["Họ và tên", "Họ tên", "Full name", "Name"],
    "phone": ["Số điện thoại", "Điện thoại", "SĐT", "Số ĐT", "Phone"],
    "date_of_birth": ["Ngày sinh", "Date of birth"],
    "group_label": ["Lớp", "Group"],
    "commune": ["Xã/Phường", "Xã", "Phường", "Xã, phường", "Commune"],
    "email": ["Email", "Thư điện tử"],
}
REQUIRED = ["full_name"]
# What applying a matched row does, by the kind of account it names.
OWN = "own"  # a light account this class made: its blanks may be filled in
MEMBER = "member"  # already in the class: nothing of theirs changes
LIGHT = "light"  # a light account of elsewhere: added, nothing of theirs changes
INVITE = "invite"  # has a password: invited, joins only if they accept
# Accounts whose details a roster leaves as they are.
UNCHANGED = (MEMBER, LIGHT, INVITE)
# Fields of a row that only a new person (or one this class made) is given.
PERSONAL_FIELDS = ("date_of_birth", "commune", "email")
# The words an official unit name starts with, dropped when matching names.
DIVISION_PREFIXES = ("xa ", "phuong ", "thi tran ", "dac khu ")
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")
# Lookups of many values are split so no database refuses the query.
CHUNK = 500


def parse_upload(upload):
    """Return the table of a roster upload (raises SpreadsheetError)."""
    return read_table(upload, columns=COLUMNS, required=REQUIRED)


def _without_prefix(folded: str) -> str:
    for prefix in DIVISION_PREFIXES:
        if folded.startswith(prefix):
            return folded[len(prefix) :]
    return folded


def _unit_label(region: Region) -> str:
    return f"{region.name} ({region.province_name})"


def unit_labels(region_ids) -> dict[int, str]:
    """Return the label of each unit rows resolved to, “Xã Đông Hưng (Tỉnh Hưng
    Yên)”, by id."""
    ids = {pk for pk in region_ids if pk}
    if not ids:
        return {}
    regions = Region.objects.filter(pk__in=ids).select_related("parent__parent")
    return {region.pk: _unit_label(region) for region in regions}


class CommuneMatcher:
    """Match commune names as typed to current official units.

    First an exact match of the folded name (with or without "Xã", "Phường"...)
    within the class's province, then a word-start search everywhere. One unit
    found is a match; several are reported, never guessed.
    """

    def __init__(self, province: Region | None):
        self.local: dict[str, list[Region]] = defaultdict(list)
        if province is not None:
            communes = (
                Region.objects.current()
                .subtree(province, include_self=False)
                .filter(level=Region.Level.COMMUNE)
                .select_related("parent")
            )
            for commune in communes:
                folded = fold(commune.name)
                self.local[folded].append(commune)
                stripped = _without_prefix(folded)
                if stripped != folded:
                    self.local[stripped].append(commune)
        self.cache: dict[str, tuple[Region | None, str]] = {}

    def match(self, text: str) -> tuple[Region | None, str]:
        """Return (unit, "") or (None, error message)."""
        folded = fold(text)
        if folded not in self.cache:
            self.cache[folded] = self._match(text, folded)
        return self.cache[folded]

    def _match(self, text: str, folded: str) -> tuple[Region | None, str]:
        found = self.local.get(folded) or self.local.get(_without_prefix(folded))
        if not found:
            found = list(
                Region.objects.current()
                .filter(level=Region.Level.COMMUNE)
                .search(_without_prefix(folded))
                .select_related("parent", "parent__parent")
                .order_by("path")[:11]
            )
        unique = list({region.pk: region for region in found}.values())
        if len(unique) == 1:
            return unique[0], ""
        if not unique:
            return None, _("No commune or ward called “%(name)s” was found.") % {
                "name": text
            }
        shown = ", ".join(_unit_label(region) for region in unique[:10])
        return None, _(
            "“%(name)s” matches several units: %(candidates)s. Write the commune "
            "and its province, or correct the name."
        ) % {"name": text, "candidates": shown}


def _parse_date(text: str):
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def check_rows(table, *, training_class) -> list[dict]:
    """Return the roster's rows, each checked and marked match, new or error."""
    province = _province_of(training_class.region)
    matcher = CommuneMatcher(province)
    rows = []
    seen_phones: dict[str, int] = {}
    for source in table.rows:
        values = source.values
        row = {
            "number": source.number,
            "status": "new",
            "errors": {},
            "full_name": " ".join(values.get("full_name", "").split()),
            "phone": "",
            "date_of_birth": "",
            "group_label": values.get("group_label", "")[:40],
            "email": values.get("email", ""),
            "commune": values.get("commune", ""),
            "region_id": None,
            "user_id": None,
            "account": "",
            "raw_phone": values.get("phone", ""),
        }
        errors = row["errors"]
        if not row["full_name"]:
            errors["full_name"] = _("The full name is missing.")
        elif len(row["full_name"]) > 150:
            errors["full_name"] = _("The full name is longer than 150 characters.")
        if values.get("phone"):
            try:
                phone = normalise_phone(values["phone"])
            except ValidationError as error:
                errors["phone"] = str(error.messages[0])
            else:
                if phone in seen_phones:
                    errors["phone"] = _(
                        "The same mobile number is already on row %(row)s."
                    ) % {"row": seen_phones[phone]}
                else:
                    seen_phones[phone] = source.number
                row["phone"] = phone
        if values.get("date_of_birth"):
            born = _parse_date(values["date_of_birth"])
            if born is None:
                errors["date_of_birth"] = _(
                    "“%(value)s” is not a date; write it as dd/mm/yyyy."
                ) % {"value": values["date_of_birth"]}
            else:
                row["date_of_birth"] = born.isoformat()
        if row["email"]:
            try:
                validate_email(row["email"])
            except ValidationError:
                errors["email"] = _("“%(value)s” is not an email address.") % {
                    "value": row["email"]
                }
        if row["commune"]:
            region, message = matcher.match(row["commune"])
            if region is None:
                errors["commune"] = message
            else:
                row["region_id"] = region.pk
        rows.append(row)
    _match_people(rows, training_class)
    _check_emails(rows)
    for row in rows:
        if row["errors"]:
            row["status"] = "error"
    return rows


def _check_emails(rows: list[dict]) -> None:
    """Flag an email used on an earlier row, or held by someone the row is not."""
    emails = sorted({row["email"].lower() for row in rows if row["email"]})
    holders = {}
    for start in range(0, len(emails), CHUNK):
        for pk, email in User.objects.filter(
            email__in=emails[start : start + CHUNK]
        ).values_list("pk", "email"):
            holders[email.lower()] = pk
    seen: dict[str, int] = {}
    for row in rows:
        email = row["email"].lower()
        if not email or "email" in row["errors"] or row["account"] in UNCHANGED:
            continue
        if email in seen:
            row["errors"]["email"] = _("The same email is already on row %(row)s.") % {
                "row": seen[email]
            }
        elif email in holders and holders[email] != row["user_id"]:
            row["errors"]["email"] = _("This email belongs to another account.")
        seen.setdefault(email, row["number"])


def _province_of(region: Region | None) -> Region | None:
    if region is None:
        return None
    province_path = region.path.split(".")[0]
    return Region.objects.filter(path=province_path).first()


def _match_people(rows: list[dict], training_class) -> None:
    """Mark rows naming someone already known: by phone, or (without a phone) a
    member of the class with the same name and date of birth; say for each what
    applying it will do (``account``) and drop the errors of details that will
    not be used."""
    phones = [
        row["phone"] for row in rows if row["phone"] and "phone" not in row["errors"]
    ]
    by_phone = {}
    for start in range(0, len(phones), CHUNK):
        by_phone.update(
            {
                phone: (pk, password)
                for phone, pk, password in User.objects.filter(
                    phone__in=phones[start : start + CHUNK]
                ).values_list("phone", "pk", "password")
            }
        )
    members: dict[int, bool] = dict(
        training_class.memberships.values_list("user_id", "created_account")
    )
    by_name = {}
    if any(not row["phone"] for row in rows):
        for pk, name, born, password in User.objects.filter(
            class_memberships__training_class=training_class, phone__isnull=True
        ).values_list("pk", "full_name", "date_of_birth", "password"):
            key = (fold(name), born.isoformat() if born else "")
            by_name[key] = (pk, password)
    for row in rows:
        if row["phone"]:
            found = by_phone.get(row["phone"])
        else:
            found = by_name.get((fold(row["full_name"]), row["date_of_birth"]))
        if found is None:
            continue
        pk, password = found
        row["user_id"] = pk
        row["status"] = "match"
        light = not is_password_usable(password)
        if light and members.get(pk):
            row["account"] = OWN
        elif pk in members:
            row["account"] = MEMBER
        else:
            row["account"] = LIGHT if light else INVITE
        if row["account"] in UNCHANGED:
            for field in PERSONAL_FIELDS:
                row["errors"].pop(field, None)
