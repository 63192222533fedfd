"""A unit's summary card of a weekly campaign report: a PNG of 1080 × 1350
pixels, readable on a phone, for officials to post in the chat groups where
campaigns are followed. Drawn with Pillow in the vendored Noto Sans. Knows
nothing but turning figures into PNG bytes."""

from __future__ import annotations

import io
from pathlib import Path

from django.conf import settings
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

FONTS = Path(settings.BASE_DIR) / "static" / "fonts"
WIDTH, HEIGHT = 1080, 1350
MARGIN = 64
BLUE = (37, 99, 235)
GREEN = (5, 150, 105)
RED = (185, 28, 28)
INK = (31, 41, 55)
MUTED = (75, 85, 99)
SOFT = (239, 246, 255)


def _font(size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "NotoSans-Bold.ttf" if bold else "NotoSans-Regular.ttf"
    return ImageFont.truetype(str(FONTS / name), size)


def _n(value) -> str:
    return number_format(value, force_grouping=True)


def _wrap(draw, text: str, font, width: int) -> list[str]:
    """Return text broken into lines no wider than width."""
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if draw.textlength(trial, font=font) <= width or not line:
            line = trial
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def share_text(figures) -> str:
    if figures.online_percent is None:
        return "–"
    return number_format(figures.online_percent, decimal_pos=1) + "%"


def change_text(figures) -> str:
    change = figures.share_change
    if change is None:
        return ""
    sign = "+" if change > 0 else ""
    return _("%(change)s points since the start") % {
        "change": sign + number_format(change, decimal_pos=1)
    }


def summary_card(
    *,
    campaign_name: str,
    unit_name: str,
    figures,
    start,
    end,
    week_start,
    rank: int = 0,
    ranked: int = 0,
    target_share: float | None = None,
) -> bytes:
    """Return a unit's card as PNG bytes: the campaign and week, the unit and
    its rank, and four figures in large type."""
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    inner = WIDTH - 2 * MARGIN

    draw.rectangle((0, 0, WIDTH, 250), fill=BLUE)
    y = 48
    for line in _wrap(draw, campaign_name, _font(46, bold=True), inner)[:2]:
        draw.text((MARGIN, y), line, font=_font(46, bold=True), fill="white")
        y += 60
    week = _("Week of %(day)s") % {"day": date_format(week_start, "SHORT_DATE_FORMAT")}
    draw.text((MARGIN, y + 10), week, font=_font(34), fill="white")

    y = 290
    for line in _wrap(draw, unit_name, _font(64, bold=True), inner)[:2]:
        draw.text((MARGIN, y), line, font=_font(64, bold=True), fill=INK)
        y += 80
    if rank:
        text = _("Rank %(rank)s of %(units)s by online share") % {
            "rank": rank,
            "units": ranked,
        }
        draw.text((MARGIN, y), text, font=_font(34), fill=MUTED)
    y = 480

    share_colour = INK
    if target_share is not None and figures.online_share is not None:
        share_colour = GREEN if figures.online_share >= target_share else RED
    tiles = [
        (
            _("Dossiers filed online"),
            share_text(figures),
            change_text(figures),
            share_colour,
        ),
        (_("People trained"), _n(figures.trained), "", INK),
        (
            _("People helped"),
            _n(figures.helped),
            _("%(confirmed)s confirmed") % {"confirmed": _n(figures.helped_confirmed)},
            INK,
        ),
        (_("Dossiers filed with help"), _n(figures.dossiers_helped), "", INK),
    ]
    tile_w, tile_h, gap = (inner - 24) // 2, 300, 24
    for i, (label, value, note, colour) in enumerate(tiles):
        x = MARGIN + (i % 2) * (tile_w + gap)
        top = y + (i // 2) * (tile_h + gap)
        draw.rounded_rectangle((x, top, x + tile_w, top + tile_h), radius=24, fill=SOFT)
        label_y = top + 24
        for line in _wrap(draw, label, _font(32), tile_w - 48)[:2]:
            draw.text((x + 24, label_y), line, font=_font(32), fill=MUTED)
            label_y += 42
        draw.text((x + 24, top + 120), value, font=_font(88, bold=True), fill=colour)
        if note:
            draw.text((x + 24, top + 240), note, font=_font(26), fill=MUTED)

    footer = _("Figures from %(start)s to %(end)s") % {
        "start": date_format(start, "SHORT_DATE_FORMAT"),
        "end": date_format(end, "SHORT_DATE_FORMAT"),
    }
    draw.text((MARGIN, HEIGHT - 90), footer, font=_font(30), fill=MUTED)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
