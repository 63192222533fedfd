"""Vietnamese formats: dates dd/mm/yyyy, grouped numbers for people, raw ids."""

import datetime

from django.template import Context, Template
from django.utils import translation


def render(source: str, **context) -> str:
    with translation.override("vi"):
        return Template(source).render(Context(context))


def test_ids_render_without_grouping():
    """An id printed into a form value stays one number: 14167, not 14.167."""
    assert render('<input value="{{ pk }}">', pk=14167) == '<input value="14167">'


def test_numbers_for_people_are_grouped_the_vietnamese_way():
    """Counts shown to people read 1.234.567 in Vietnamese."""
    assert render("{% load humanize %}{{ n|intcomma }}", n=1234567) == "1.234.567"


def test_counts_are_grouped_as_floatformat_groups_them():
    """The count filter prints what floatformat:"0g" prints, in both languages."""
    source = '{% load format_tags %}{{ n|count }} {{ n|floatformat:"0g" }}'
    for n in (0, 7, 999, 1000, 1234567, -45678, 2.5, None, ""):
        for language in ("vi", "en"):
            with translation.override(language):
                ours, django = Template(source).render(Context({"n": n})).split(" ")
            assert ours == django, (n, language)
    assert render("{% load format_tags %}{{ n|count }}", n=1234567) == "1.234.567"


def test_dates_are_day_first():
    """Dates read dd/mm/yyyy."""
    day = datetime.date(2026, 11, 21)
    assert render('{{ d|date:"SHORT_DATE_FORMAT" }}', d=day) == "21/11/2026"
    assert render("{{ d }}", d=day) == "21/11/2026"
