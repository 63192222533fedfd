"""The outcomes view as a download: XLSX, CSV and PDF bytes, and the views
that send them (the outcomes view's own query string, its scope: a unit
outside the person's subtree is a 404). The same figures as the page, as
aggregates only: no helper's or helped person's name, phone or id."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from openpyxl import Workbook

from core.db import reads_from_replica
from core.spreadsheets import write_csv

from . import exports, pdf
from .exports import DATE, INTEGER, PERCENT, _sheet
from .exports_views import XLSX, _download
from .selectors.outcomes import OutcomesDashboard, ranked_units


def headers() -> list[str]:
    return [
        _("Unit"),
        _("Trained (people)"),
        _("Active helpers"),
        _("Helped, confirmed"),
        _("Helped, all"),
        _("Dossiers filed with help"),
        _("Records awaiting review"),
        _("Dossiers received"),
        _("Received online"),
        _("Processed online"),
        _("Paid online"),
        _("Filed online"),
        _("Change since the start (points)"),
    ]


def _values(name: str, f) -> list[Any]:
    return [
        name,
        f.trained,
        f.active_helpers,
        f.helped_confirmed,
        f.helped,
        f.dossiers_helped,
        f.awaiting_review,
        f.received,
        f.received_online,
        f.processed_online,
        f.paid_online,
        f.online_share,
        f.share_change,
    ]


SHARE_COLUMN = 11


def rows(board: OutcomesDashboard) -> list[list[Any]]:
    """Return the child units, the unit's own records and the totals."""
    lines = [_values(row.name, row.figures) for row in board.children]
    if board.direct is not None:
        lines.append(
            _values(
                _("Directly in %(unit)s") % {"unit": board.filters.region.name},
                board.direct,
            )
        )
    lines.append(_values(_("Total"), board.totals))
    return lines


def title_lines(board: OutcomesDashboard) -> list[str]:
    filters = board.filters
    lines = [
        _("Outcomes report: %(unit)s") % {"unit": exports.unit_label(filters)},
        _("Period: %(start)s to %(end)s")
        % {"start": f"{filters.start:%d/%m/%Y}", "end": f"{filters.end:%d/%m/%Y}"},
    ]
    if board.campaign is not None:
        lines.append(_("Campaign: %(name)s") % {"name": board.campaign.name})
    lines.append(
        _("Figures as of %(moment)s")
        % {"moment": timezone.localtime().strftime("%d/%m/%Y %H:%M")}
    )
    return lines


def filename(board: OutcomesDashboard, extension: str) -> str:
    name = exports.filename(board, extension)  # uses .filters only
    return name.replace("bao-cao-", "ket-qua-", 1)


def outcomes_xlsx(board: OutcomesDashboard) -> bytes:
    import io

    titles = title_lines(board)
    workbook = Workbook()
    workbook.remove(workbook.active)
    formats = dict.fromkeys(range(1, SHARE_COLUMN), INTEGER)
    formats[SHARE_COLUMN] = PERCENT
    formats[SHARE_COLUMN + 1] = "0.0"
    _sheet(
        workbook,
        name=_("Outcomes"),
        titles=titles,
        headers=headers(),
        rows=rows(board),
        formats=formats,
        total_last=True,
    )
    _sheet(
        workbook,
        name=_("By week"),
        titles=titles,
        headers=[
            _("Week starting"),
            _("Trained that week (people)"),
            _("Helped, all"),
            _("Helped, confirmed"),
        ],
        rows=[
            [p.week_start, p.trained, p.helped, p.helped_confirmed] for p in board.trend
        ],
        formats={0: DATE, 1: INTEGER, 2: INTEGER, 3: INTEGER},
    )
    workbook.properties.title = titles[0]
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def outcomes_csv(board: OutcomesDashboard) -> bytes:
    names = headers()
    names[SHARE_COLUMN] = _("Filed online (%)")
    lines = []
    for line in rows(board):
        share = line[SHARE_COLUMN]
        line[SHARE_COLUMN] = None if share is None else round(share * 100, 1)
        lines.append(line)
    return write_csv(title_lines=title_lines(board), headers=names, rows=lines)


def outcomes_pdf(board: OutcomesDashboard) -> bytes:
    return pdf.campaign_pdf(
        campaign=board.campaign,
        dashboard=board,
        ranked=ranked_units(board.children),
        title=title_lines(board)[0],
    )


def _board(request, pk) -> OutcomesDashboard:
    from .views import outcomes_for_request

    return outcomes_for_request(request, pk)


@require_GET
@login_required
@reads_from_replica
def export_xlsx(request, pk):
    board = _board(request, pk)
    return _download(outcomes_xlsx(board), XLSX, filename(board, "xlsx"))


@require_GET
@login_required
@reads_from_replica
def export_csv(request, pk):
    board = _board(request, pk)
    return _download(
        outcomes_csv(board), "text/csv; charset=utf-8", filename(board, "csv")
    )


@require_GET
@login_required
@reads_from_replica
def export_pdf(request, pk):
    board = _board(request, pk)
    return _download(outcomes_pdf(board), "application/pdf", filename(board, "pdf"))
