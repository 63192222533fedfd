"""Charts drawn on the server as SVG: no JavaScript, they print in the PDF, and a
screen reader reads their title and description (the page puts the same numbers
in a table beside each chart).

Each function returns safe markup; numbers are formatted the page's way
(``1.234`` in Vietnamese).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.formats import date_format, number_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

BAR = "#2563eb"
LINE = "#b45309"
AXIS = "#6b7280"
TEXT = "#1f2937"


def _n(value) -> str:
    return number_format(value, force_grouping=True)


def _svg(
    *, ident: str, width: int, height: int, title: str, desc: str, body: str
) -> SafeString:
    return format_html(
        '<svg class="chart" id="{ident}" role="img" viewBox="0 0 {w} {h}" '
        'width="100%" preserveAspectRatio="xMinYMin meet" '
        'aria-labelledby="{ident}-title {ident}-desc" '
        'xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" '
        'font-size="12">'
        '<title id="{ident}-title">{title}</title>'
        '<desc id="{ident}-desc">{desc}</desc>{body}</svg>',
        ident=ident,
        w=width,
        h=height,
        title=title,
        desc=desc,
        body=mark_safe(body),  # built below from escaped parts only
    )


def _nice_max(value: int) -> int:
    """Return a round number at least value, for the top of an axis."""
    if value <= 5:
        return 5
    magnitude = 10 ** (len(str(value)) - 1)
    for step in (1, 2, 2.5, 5, 10):
        top = int(step * magnitude)
        if top >= value:
            return top
    return value


def _gridlines(y, y_max: int, *, left: float, right: float) -> list[str]:
    """The horizontal lines of a trend chart at 0, half and the top of its
    scale, each labelled on the left; ``y`` maps a value to its height."""
    return [
        f'<line x1="{left}" x2="{right}" y1="{y(tick):.1f}" '
        f'y2="{y(tick):.1f}" stroke="#e5e7eb"/>'
        f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" '
        f'fill="{AXIS}">{escape(_n(tick))}</text>'
        for tick in (0, y_max // 2, y_max)
    ]


def trend_chart(points: Sequence, *, ident: str = "trend-chart") -> SafeString:
    """Return the weekly trend: a bar per week (people newly trained) and a line
    (people trained so far), on one scale."""
    width, height = 640, 260
    left, right, top, bottom = 48, 12, 16, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max((p.trained_cumulative for p in points), default=0)
    y_max = _nice_max(peak)
    parts = []

    def y(value) -> float:
        return top + plot_h - plot_h * value / y_max

    parts.extend(_gridlines(y, y_max, left=left, right=width - right))
    count = len(points) or 1
    slot = plot_w / count
    bar_w = max(2.0, slot * 0.6)
    label_every = max(1, round(count / 6))
    line = []
    for i, point in enumerate(points):
        x = left + slot * i + (slot - bar_w) / 2
        bar_h = plot_h * point.trained / y_max
        parts.append(
            f'<rect x="{x:.1f}" y="{top + plot_h - bar_h:.1f}" width="{bar_w:.1f}" '
            f'height="{bar_h:.1f}" fill="{BAR}"/>'
        )
        cx = left + slot * i + slot / 2
        line.append(f"{cx:.1f},{y(point.trained_cumulative):.1f}")
        if i % label_every == 0:
            label = date_format(point.week_start, "d/m")
            parts.append(
                f'<text x="{cx:.1f}" y="{height - bottom + 16}" text-anchor="middle" '
                f'fill="{AXIS}">{escape(label)}</text>'
            )
    if line:
        parts.append(
            f'<polyline points="{" ".join(line)}" fill="none" stroke="{LINE}" '
            f'stroke-width="2.5"/>'
        )
    legend_y = height - 8
    new_label = escape(_("Newly trained in the week"))
    so_far_label = escape(_("Trained so far"))
    parts.append(
        f'<rect x="{left}" y="{legend_y - 9}" width="10" height="10" fill="{BAR}"/>'
        f'<text x="{left + 14}" y="{legend_y}" fill="{TEXT}">'
        f"{new_label}</text>"
        f'<line x1="{left + 250}" x2="{left + 266}" y1="{legend_y - 4}" '
        f'y2="{legend_y - 4}" stroke="{LINE}" stroke-width="2.5"/>'
        f'<text x="{left + 270}" y="{legend_y}" fill="{TEXT}">'
        f"{so_far_label}</text>"
    )
    if points:
        desc = _(
            "%(weeks)s weeks from %(first)s: %(total)s people trained in all, "
            "most in one week %(best)s."
        ) % {
            "weeks": len(points),
            "first": date_format(points[0].week_start, "SHORT_DATE_FORMAT"),
            "total": _n(points[-1].trained_cumulative),
            "best": _n(max(p.trained for p in points)),
        }
    else:
        desc = _("No week in the period.")
    return _svg(
        ident=ident,
        width=width,
        height=height,
        title=_("People trained week by week"),
        desc=desc,
        body="".join(parts),
    )


def bar_chart(
    items: Sequence[tuple[str, int]], *, title: str, ident: str = ""
) -> SafeString:
    """Return horizontal bars, one per (label, value), values written at the end."""
    ident = ident or "chart-" + str(abs(hash(title)) % 10**8)
    row_h, label_w, width = 28, 220, 640
    height = max(row_h * len(items) + 8, 36)
    peak = max((value for _label, value in items), default=0) or 1
    plot_w = width - label_w - 70
    parts = []
    for i, (label, value) in enumerate(items):
        y = 4 + i * row_h
        bar_w = plot_w * value / peak
        short = label if len(label) <= 32 else label[:31] + "…"
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end" fill="{TEXT}">'
            f"{escape(short)}</text>"
            f'<rect x="{label_w}" y="{y + 4}" width="{bar_w:.1f}" height="18" '
            f'fill="{BAR}"/>'
            f'<text x="{label_w + bar_w + 6:.1f}" y="{y + 17}" fill="{TEXT}">'
            f"{escape(_n(value))}</text>"
        )
    if not items:
        parts.append(f'<text x="8" y="22" fill="{AXIS}">{escape(_("No data."))}</text>')
    desc = "; ".join(f"{label}: {_n(value)}" for label, value in items) or _("No data.")
    return _svg(
        ident=ident,
        width=width,
        height=height,
        title=title,
        desc=desc,
        body="".join(parts),
    )


HELPED = "#059669"


def outcome_trend_chart(
    points: Sequence, *, ident: str = "outcome-chart"
) -> SafeString:
    """Return the weekly trend of the outcomes view: two bars per week, people
    newly trained and people helped, on one scale."""
    width, height = 640, 260
    left, right, top, bottom = 48, 12, 16, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max((max(p.trained, p.helped) for p in points), default=0)
    y_max = _nice_max(peak)
    parts = []

    def y(value) -> float:
        return top + plot_h - plot_h * value / y_max

    parts.extend(_gridlines(y, y_max, left=left, right=width - right))
    count = len(points) or 1
    slot = plot_w / count
    bar_w = max(1.5, slot * 0.35)
    label_every = max(1, round(count / 6))
    for i, point in enumerate(points):
        x = left + slot * i + slot / 2 - bar_w
        for offset, value, colour in (
            (0, point.trained, BAR),
            (1, point.helped, HELPED),
        ):
            bar_h = plot_h * value / y_max
            parts.append(
                f'<rect x="{x + offset * bar_w:.1f}" y="{top + plot_h - bar_h:.1f}" '
                f'width="{bar_w:.1f}" height="{bar_h:.1f}" fill="{colour}"/>'
            )
        if i % label_every == 0:
            label = date_format(point.week_start, "d/m")
            cx = left + slot * i + slot / 2
            parts.append(
                f'<text x="{cx:.1f}" y="{height - bottom + 16}" '
                f'text-anchor="middle" fill="{AXIS}">{escape(label)}</text>'
            )
    legend_y = height - 8
    parts.append(
        f'<rect x="{left}" y="{legend_y - 9}" width="10" height="10" fill="{BAR}"/>'
        f'<text x="{left + 14}" y="{legend_y}" fill="{TEXT}">'
        f"{escape(_('People trained'))}</text>"
        f'<rect x="{left + 250}" y="{legend_y - 9}" width="10" height="10" '
        f'fill="{HELPED}"/>'
        f'<text x="{left + 264}" y="{legend_y}" fill="{TEXT}">'
        f"{escape(_('People helped'))}</text>"
    )
    if points:
        desc = _(
            "%(weeks)s weeks from %(first)s: %(trained)s people trained and "
            "%(helped)s people helped."
        ) % {
            "weeks": len(points),
            "first": date_format(points[0].week_start, "SHORT_DATE_FORMAT"),
            "trained": _n(sum(p.trained for p in points)),
            "helped": _n(sum(p.helped for p in points)),
        }
    else:
        desc = _("No week in the period.")
    return _svg(
        ident=ident,
        width=width,
        height=height,
        title=_("People trained and people helped week by week"),
        desc=desc,
        body="".join(parts),
    )
