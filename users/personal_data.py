"""What the platform holds about a person, section by section, to give it to them
and to erase it.

Each app that keeps personal data registers its sections here from its own
``personal_data`` module, which ``UsersConfig.ready()`` imports for every
installed app (``autodiscover_modules``): users never imports the apps above
it. A ``Section`` has a name (the key in the JSON download), a title (the sheet
of the XLSX download), its columns with their headers, ``rows(user)`` and
``erase(user)``, which removes what names or was written by the person and
keeps every record the reports count.

``as_json`` and ``as_xlsx`` put every section into one file.
"""

from __future__ import annotations

import datetime
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.spreadsheets import FORMULA_TRIGGERS

from .models import AccountEvent, ConsentRecord, RegionRole, User
from .phone import display_phone
from .sessions import describe_user_agent


def _nothing(user: User) -> None:
    """Erase nothing: the section's rows are erased with the account itself."""


@dataclass(frozen=True)
class Section:
    name: str
    title: str | Promise
    # (key of each row, header of its column)
    columns: Sequence[tuple[str, str | Promise]]
    rows: Callable[[User], list[dict[str, Any]]]
    erase: Callable[[User], None] = field(default=_nothing)


_sections: dict[str, Section] = {}


def register(section: Section) -> Section:
    """Add a section (or replace the one of the same name)."""
    _sections[section.name] = section
    return section


def sections() -> list[Section]:
    """Return the sections in the order they were registered."""
    return list(_sections.values())


# Files ---------------------------------------------------------------------------


def _json_value(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, list | tuple):
        return [_json_value(item) for item in value]
    return value


def collect(user: User) -> dict[str, list[dict[str, Any]]]:
    """Return every section's rows for the person, keyed by section name."""
    return {section.name: section.rows(user) for section in sections()}


def as_json(user: User) -> bytes:
    data = {
        name: [{key: _json_value(value) for key, value in row.items()} for row in rows]
        for name, rows in collect(user).items()
    }
    return json.dumps(data, ensure_ascii=False, indent=2).encode()


def _text_cell(sheet, text: str) -> WriteOnlyCell:
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    cell = WriteOnlyCell(sheet, value=text)
    # Text, never a formula, whatever it starts with.
    cell.data_type = "s"
    if text.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True
    return cell


def _xlsx_value(sheet, value):
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, datetime.datetime):
        cell = WriteOnlyCell(
            sheet, value=timezone.localtime(value).replace(tzinfo=None)
        )
        cell.number_format = "dd/mm/yyyy hh:mm"
        return cell
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "dd/mm/yyyy"
        return cell
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, list | tuple):
        value = "; ".join(str(item) for item in value)
    return _text_cell(sheet, str(value))


def _sheet_title(title: str, taken: set[str]) -> str:
    title = "".join(" " if ch in "[]:*?/\\" else ch for ch in title).strip()[:31]
    title = title or "Sheet"
    candidate, number = title, 2
    while candidate.lower() in taken:
        suffix = f" ({number})"
        candidate = title[: 31 - len(suffix)] + suffix
        number += 1
    taken.add(candidate.lower())
    return candidate


def as_xlsx(user: User) -> bytes:
    """Return a workbook with one sheet per section, headed in the language of the
    request, dates as dd/mm/yyyy."""
    workbook = Workbook(write_only=True)
    taken: set[str] = set()
    bold = Font(bold=True)
    for section in sections():
        sheet = workbook.create_sheet(_sheet_title(str(section.title), taken))
        rows = section.rows(user)
        for index, (_key, header) in enumerate(section.columns, start=1):
            width = max(
                [len(str(header))]
                + [len(str(row.get(_key) or "")) for row in rows[:200]]
            )
            sheet.column_dimensions[get_column_letter(index)].width = min(
                max(width + 2, 10), 60
            )
        sheet.freeze_panes = "A2"
        header_cells = []
        for _key, header in section.columns:
            cell = _text_cell(sheet, str(header))
            cell.font = bold
            header_cells.append(cell)
        sheet.append(header_cells)
        for row in rows:
            sheet.append(
                [_xlsx_value(sheet, row.get(key)) for key, _h in section.columns]
            )
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


# The account's own sections ---------------------------------------------------------


def _profile(user: User) -> list[dict[str, Any]]:
    return [
        {
            "full_name": user.full_name,
            "phone": display_phone(user.phone or ""),
            "phone_confirmed_at": user.phone_confirmed_at,
            "email": user.email,
            "email_confirmed_at": user.email_confirmed_at,
            "kind": user.get_kind_display(),
            "home_region": str(user.home_region) if user.home_region else "",
            "date_of_birth": user.date_of_birth,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
        }
    ]


def _consents(user: User) -> list[dict[str, Any]]:
    return [
        {
            "purpose": consent.get_purpose_display(),
            "text_version": consent.text_version,
            "given_at": consent.given_at,
            "withdrawn_at": consent.withdrawn_at,
            "ip_address": consent.ip_address or "",
            "text": consent.text,
        }
        for consent in ConsentRecord.objects.filter(user=user).order_by("given_at")
    ]


def _roles(user: User) -> list[dict[str, Any]]:
    return [
        {"role": role.get_role_display(), "region": str(role.region)}
        for role in RegionRole.objects.filter(user=user).select_related(
            "region", "region__parent"
        )
    ]


def _events(user: User) -> list[dict[str, Any]]:
    return [
        {
            "at": event.at,
            "kind": event.get_kind_display(),
            "actor": str(event.actor) if event.actor_id else "",
            "ip_address": event.ip_address or "",
            "detail": event.detail,
        }
        for event in AccountEvent.objects.filter(subject=user)
        .select_related("actor")
        .order_by("at", "pk")
    ]


def _sessions(user: User) -> list[dict[str, Any]]:
    return [
        {
            "created_at": session.created_at,
            "ip_address": session.ip_address or "",
            "browser": describe_user_agent(session.user_agent),
            "user_agent": session.user_agent,
        }
        for session in user.login_sessions.order_by("created_at")
    ]


def _tokens(user: User) -> list[dict[str, Any]]:
    return [
        {
            "label": token.label,
            "purpose": token.get_purpose_display(),
            "prefix": token.prefix,
            "created_at": token.created_at,
            "expires_at": token.expires_at,
            "last_used_at": token.last_used_at,
            "revoked_at": token.revoked_at,
        }
        for token in user.access_tokens.order_by("created_at")
    ]


register(
    Section(
        name="profile",
        title=_("Profile"),
        columns=[
            ("full_name", _("Full name")),
            ("phone", _("Mobile number")),
            ("phone_confirmed_at", _("Mobile number confirmed on")),
            ("email", _("Email")),
            ("email_confirmed_at", _("Email confirmed on")),
            ("kind", _("You are")),
            ("home_region", _("Commune or ward")),
            ("date_of_birth", _("Date of birth")),
            ("date_joined", _("Account made on")),
            ("last_login", _("Last logged in")),
        ],
        rows=_profile,
    )
)
register(
    Section(
        name="consents",
        title=_("Consents"),
        columns=[
            ("purpose", _("Purpose")),
            ("text_version", _("Text version")),
            ("given_at", _("Given on")),
            ("withdrawn_at", _("Withdrawn on")),
            ("ip_address", _("IP address")),
            ("text", _("Text agreed to")),
        ],
        rows=_consents,
    )
)
register(
    Section(
        name="unit_roles",
        title=_("Unit roles"),
        columns=[("role", _("Role")), ("region", _("Administrative unit"))],
        rows=_roles,
    )
)
register(
    Section(
        name="account_events",
        title=_("Account history"),
        columns=[
            ("at", _("When")),
            ("kind", _("What")),
            ("actor", _("Done by")),
            ("ip_address", _("IP address")),
            ("detail", _("Detail")),
        ],
        rows=_events,
    )
)
register(
    Section(
        name="signed_in_sessions",
        title=_("Signed-in sessions"),
        columns=[
            ("created_at", _("Signed in on")),
            ("ip_address", _("IP address")),
            ("browser", _("Browser")),
            ("user_agent", _("Browser's own description")),
        ],
        rows=_sessions,
    )
)
register(
    Section(
        name="access_tokens",
        title=_("Access tokens"),
        columns=[
            ("label", _("Label")),
            ("purpose", _("Purpose")),
            ("prefix", _("Starts with")),
            ("created_at", _("Created on")),
            ("expires_at", _("Expires on")),
            ("last_used_at", _("Last used on")),
            ("revoked_at", _("Revoked on")),
        ],
        rows=_tokens,
    )
)
