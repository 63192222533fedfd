"""The dashboard pages as officials use them: scope, drill-down, filters, charts."""

import re

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from core.testing import vi
from regions.tests.factories import CommuneFactory
from users.models import RegionRole
from users.tests.factories import UserFactory

from .factories import END, START, target

pytestmark = pytest.mark.django_db

PERIOD = {"start": START.isoformat(), "end": END.isoformat()}


def official(region):
    user = UserFactory()
    RegionRole.objects.create(user=user, region=region)
    return user


def unit_url(region):
    return reverse("reports:unit", args=[region.pk])


def test_a_learner_gets_no_reports(client, world):
    client.force_login(world.users[0])

    assert client.get(reverse("reports:index")).status_code == 404
    assert client.get(unit_url(world.province)).status_code == 404


def test_anonymous_is_sent_to_log_in(client, world):
    response = client.get(unit_url(world.province))
    assert response.status_code == 302
    assert reverse("users:login") in response["Location"]


def test_a_province_official_starts_at_the_province(client, world):
    client.force_login(official(world.province))

    response = client.get(reverse("reports:index"))

    assert response.status_code == 302
    assert response["Location"] == unit_url(world.province)


def test_a_commune_official_cannot_read_a_sibling(client, world):
    """A commune official sees their commune and nothing beside or above it."""
    client.force_login(official(world.a))

    assert client.get(reverse("reports:index"))["Location"] == unit_url(world.a)
    assert client.get(unit_url(world.a)).status_code == 200
    assert client.get(unit_url(world.b)).status_code == 404
    assert client.get(unit_url(world.province)).status_code == 404
    assert client.get(reverse("reports:class", args=[world.k2.pk])).status_code == 404


def test_a_district_official_cannot_read_a_sibling_district(client, world):
    from regions.tests.factories import DistrictFactory

    sibling = DistrictFactory(parent=world.old_province, replaced_by=world.province)
    client.force_login(official(world.old_district))

    assert client.get(unit_url(world.old_district)).status_code == 200
    assert client.get(unit_url(sibling)).status_code == 404
    assert client.get(unit_url(world.province)).status_code == 404


def test_province_dashboard_shows_the_figures(client, world):
    target(world.province, 10)
    client.force_login(official(world.province))

    response = client.get(unit_url(world.province), PERIOD)

    board = response.context["dashboard"]
    assert board.totals.trained == 4
    html = response.content.decode()
    assert re.search(r"<dt>[^<]*</dt><dd>4</dd>", html)
    assertContains(response, "40% · " + vi("far behind"))
    assertContains(response, vi("Directly in %(unit)s") % {"unit": world.province.name})


def test_drill_down_from_province_to_commune_to_class(client, world):
    """Each child unit links to its own dashboard with the same filters; the
    commune lists its classes, and the class its learners."""
    client.force_login(official(world.province))
    province = client.get(unit_url(world.province), {**PERIOD, "kind": "volunteer"})

    link = next(
        r.url for r in province.context["dashboard"].children if r.region == world.a
    )
    assert link.startswith(unit_url(world.a) + "?")
    assert "kind=volunteer" in link and "start=2026-09-01" in link
    assertContains(province, f'href="{link.replace("&", "&amp;")}"')

    commune = client.get(link)
    assert commune.status_code == 200
    class_link = commune.context["dashboard"].classes[0].url
    assertContains(commune, world.k.name)

    klass = client.get(class_link)
    assert klass.status_code == 200
    assertContains(klass, world.users[0].full_name)  # u1 attended K
    assertContains(klass, vi("valid"))


def test_learners_hidden_from_who_may_not_see_them(client, world):
    """The class page lists only the learners the viewer may see."""
    from reports.selectors.filters import ReportFilters
    from reports.selectors.learners import class_learners

    stranger = UserFactory()
    filters = ReportFilters(region=world.a, start=START, end=END)

    rows = class_learners(training_class=world.k, filters=filters, viewer=stranger)
    assert rows == []
    rows = class_learners(
        training_class=world.k, filters=filters, viewer=official(world.province)
    )
    assert len(rows) == 3


def test_chart_svg_with_its_table(client, world):
    client.force_login(official(world.province))

    response = client.get(unit_url(world.province), PERIOD)

    html = response.content.decode()
    assert re.search(r'<svg class="chart" id="trend-chart" role="img"', html)
    assert '<title id="trend-chart-title">' in html
    assert '<desc id="trend-chart-desc">' in html
    assert html.count('role="img"') == 3  # trend, kinds, courses
    assertContains(response, "<caption>", count=4)  # units, weeks, kinds, courses
    assertContains(response, vi("Week by week"))


def test_bad_filters_keep_the_defaults_with_a_message(client, world):
    client.force_login(official(world.province))

    response = client.get(
        unit_url(world.province),
        {"start": "31/02/2026", "end": "30/11/2026", "kind": "alien", "course": "x"},
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"start", "kind", "course"}
    filters = response.context["filters"]
    assert filters.end.isoformat() == "2026-11-30"
    assert filters.kind is None and filters.course is None
    assertContains(response, 'role="alert"')


def test_the_date_filters_show_the_period_in_force(client, world):
    """With no dates asked, the date fields show the default period the figures
    are for, the same dates as the line under the title."""
    client.force_login(official(world.province))

    response = client.get(unit_url(world.province))

    filters = response.context["filters"]
    assert filters.start < filters.end
    assertContains(response, f'name="start" value="{filters.start.isoformat()}"')
    assertContains(response, f'name="end" value="{filters.end.isoformat()}"')


def test_end_before_start_is_refused(client, world):
    client.force_login(official(world.province))

    response = client.get(
        unit_url(world.province), {"start": "30/11/2026", "end": "01/09/2026"}
    )

    assertContains(response, vi("The end date must not be before the start date."))


def test_sort_by_column(client, world):
    target(world.a, 4)
    target(world.b, 10)
    client.force_login(official(world.province))

    default = client.get(unit_url(world.province), PERIOD)
    by_name = client.get(unit_url(world.province), {**PERIOD, "sort": "-name"})
    by_trained = client.get(unit_url(world.province), {**PERIOD, "sort": "-trained"})

    def order(response):
        return [r.region for r in response.context["dashboard"].children]

    assert order(default) == [world.b, world.a]  # 10 % before 50 %
    assert order(by_name) == [world.a, world.b]  # Xã An Bình, Phường Bạch Đằng
    assert order(by_trained) == [world.a, world.b]  # 2, 1
    assertContains(by_name, 'aria-sort="descending"')


def test_superuser_picks_a_province(client, world):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)

    response = client.get(reverse("reports:index"))

    assertContains(response, world.province.name)
    assertNotContains(response, world.old_province.name)
    assert client.get(unit_url(world.b)).status_code == 200


def test_an_unknown_commune_elsewhere_is_404(client, world):
    client.force_login(official(world.province))
    elsewhere = CommuneFactory()
    assert client.get(unit_url(elsewhere)).status_code == 404


def test_the_menu_offers_reports_to_officials_only(client, world):
    client.force_login(official(world.province))
    assertContains(client.get(reverse("classes:list")), 'href="/bao-cao/"')

    client.force_login(world.users[0])
    assertNotContains(client.get(reverse("classes:list")), 'href="/bao-cao/"')


def test_the_page_shows_a_new_certificate_at_once(client, world):
    """The dashboard page shares a computation for a minute, but a certificate
    or target saved meanwhile shows on the next view."""
    from .factories import certificate

    client.force_login(official(world.province))
    before = client.get(unit_url(world.province), PERIOD).context["dashboard"]
    certificate(
        user=world.users[2], course=world.c1, region=world.a, issued="2026-11-02"
    )
    target(world.province, 10)
    after = client.get(unit_url(world.province), PERIOD).context["dashboard"]

    assert (before.totals.trained, after.totals.trained) == (4, 5)
    assert after.totals.target == 10


def test_the_page_cache_can_be_turned_off(client, world, settings):
    from reports.selectors.cache import cached_coverage_dashboard
    from reports.selectors.filters import ReportFilters

    settings.REPORTS_CACHE_SECONDS = 0
    filters = ReportFilters(region=world.a, start=START, end=END)
    first = cached_coverage_dashboard(filters=filters)
    second = cached_coverage_dashboard(filters=filters)

    assert first.computed_at < second.computed_at


def _people_trained(response) -> str:
    html = response.content.decode()
    found = re.search(
        r'<dl class="figures">\s*<div><dt>[^<]*</dt><dd>([^<]*)</dd>', html
    )
    return found.group(1)


def test_officials_of_a_unit_share_the_rendered_figures(client, world):
    """The figures, tables and charts rendered for one official of the province
    are kept and shown to another; a certificate issued meanwhile shows in them
    on the next view."""
    from django.core.cache import cache
    from django.core.cache.utils import make_template_fragment_key

    from .factories import certificate

    client.force_login(official(world.province))
    first = client.get(unit_url(world.province), PERIOD)
    dashboard = first.context["dashboard"]
    kept = make_template_fragment_key(
        "dashboard_figures", [dashboard.cache_key, dashboard.computed_at, "coverage"]
    )
    assert cache.get(kept) is not None

    client.force_login(official(world.province))
    second = client.get(unit_url(world.province), PERIOD)
    assert _people_trained(first) == _people_trained(second) == "4"

    certificate(
        user=world.users[2], course=world.c1, region=world.a, issued="2026-11-02"
    )
    assert _people_trained(client.get(unit_url(world.province), PERIOD)) == "5"


def test_the_rendered_figures_are_not_kept_when_the_cache_is_off(
    client, world, settings
):
    """With REPORTS_CACHE_SECONDS at 0 every view renders the figures anew."""
    from django.core.cache import cache
    from django.core.cache.utils import make_template_fragment_key

    settings.REPORTS_CACHE_SECONDS = 0
    client.force_login(official(world.province))
    dashboard = client.get(unit_url(world.province), PERIOD).context["dashboard"]

    kept = make_template_fragment_key(
        "dashboard_figures", [dashboard.cache_key, dashboard.computed_at, "coverage"]
    )
    assert cache.get(kept) is None


def _csrf_secrets(html: str) -> set[str]:
    from django.middleware.csrf import _unmask_cipher_token

    tokens = re.findall(r'csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"', html)
    return {_unmask_cipher_token(token) for token in tokens}


def test_officials_of_a_unit_share_the_page_each_with_their_own_token(world):
    """The second official of the province gets the page rendered for the first,
    from the cache, with their own CSRF token and nothing of the first's."""
    from django.test import Client

    first, second = Client(), Client()
    first.force_login(official(world.province))
    second.force_login(official(world.province))
    first_html = first.get(unit_url(world.province), PERIOD).content.decode()

    response = second.get(unit_url(world.province), PERIOD)

    assert "reports/dashboard.html" not in {t.name for t in response.templates}
    html = response.content.decode()
    assert _people_trained(response) == "4"
    assert reverse("users:logout") in html
    first_secret = first.cookies["csrftoken"].value
    assert _csrf_secrets(first_html) == {first_secret}
    assert _csrf_secrets(html) == {second.cookies["csrftoken"].value}


def test_the_breadcrumb_is_each_officials_own(world):
    """A commune's page kept for a province official does not give the
    commune's own official a link to the province above them."""
    from django.test import Client

    province_official, commune_official = Client(), Client()
    province_official.force_login(official(world.province))
    commune_official.force_login(official(world.a))
    province_link = f'href="{unit_url(world.province)}?'
    assert province_link in (
        province_official.get(unit_url(world.a), PERIOD).content.decode()
    )

    html = commune_official.get(unit_url(world.a), PERIOD).content.decode()

    assert province_link not in html
    assert world.a.name in html
