"""The coverage dashboard as a printable A4 PDF for the weekly meeting.

The headline figures, the table of child units (or classes), the charts (the
same SVG the dashboard draws, from ``reports.charts``) and the splits by kind and
course. Fonts are the vendored Noto Sans, embedded. Knows nothing but turning a
``Dashboard`` into PDF bytes.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from . import exports
from .selectors.filters import Dashboard

FONTS = Path(settings.BASE_DIR) / "static" / "fonts"


def chart_svgs(dashboard: Dashboard) -> dict[str, str]:
    """Return the dashboard's charts as SVG markup, as the dashboard shows them."""
    from . import charts

    return {
        "trend": charts.trend_chart(dashboard.trend),
        "kind": charts.bar_chart(
            [(label, figures.trained) for _v, label, figures in dashboard.by_kind],
            title=_("People trained by kind"),
        ),
        "course": charts.bar_chart(
            [
                (course.title, figures.trained)
                for course, figures in dashboard.by_course
            ],
            title=_("People trained by course"),
        ),
    }


def dashboard_pdf(dashboard: Dashboard) -> bytes:
    """Return the dashboard as an A4 PDF."""
    from weasyprint import HTML

    titles = exports.title_lines(dashboard)
    html = render_to_string(
        "reports/pdf/dashboard.html",
        {
            "dashboard": dashboard,
            "filters": dashboard.filters,
            "title": titles[0],
            "subtitles": titles[1:],
            "unit": exports.unit_label(dashboard.filters),
            "charts": chart_svgs(dashboard),
            "font_regular": (FONTS / "NotoSans-Regular.ttf").as_uri(),
            "font_bold": (FONTS / "NotoSans-Bold.ttf").as_uri(),
        },
    )
    return HTML(string=html, base_url=str(FONTS)).write_pdf()


def campaign_pdf(*, campaign, dashboard, ranked, title: str) -> bytes:
    """Return a weekly campaign report (or, without a campaign, an outcomes
    view) as an A4 PDF: the figures, against the campaign's targets when there
    is one, then one ranked line per unit below."""
    from weasyprint import HTML

    target = None
    if campaign is not None and campaign.target_online_share:
        target = float(campaign.target_online_share) / 100
    html = render_to_string(
        "reports/pdf/campaign.html",
        {
            "campaign": campaign,
            "dashboard": dashboard,
            "ranked": ranked,
            "title": title,
            "target_share": target,
            "font_regular": (FONTS / "NotoSans-Regular.ttf").as_uri(),
            "font_bold": (FONTS / "NotoSans-Bold.ttf").as_uri(),
        },
    )
    return HTML(string=html, base_url=str(FONTS)).write_pdf()
