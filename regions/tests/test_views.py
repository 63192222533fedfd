"""The commune suggestions the sign-up, profile and class forms fetch as one types."""

import pytest
from django.urls import reverse

from .test_selectors import units  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

SEARCH = reverse("regions:commune_search")


def test_the_example_of_the_help_text_offers_both_exact_communes_first(client, units):  # noqa: F811
    """ "dong hung" lists the two Xã Đông Hưng first, with their provinces, and
    says in Vietnamese how many more units match."""
    response = client.get(SEARCH, {"commune_query": "dong hung"})

    listed = [str(unit) for unit in response.context["matches"]]
    assert listed[:2] == ["Xã Đông Hưng, Tỉnh An Giang", "Xã Đông Hưng, Tỉnh Hưng Yên"]
    assert len(listed) == 8
    html = response.content.decode()
    assert html.index(f'value="{units["an_giang"].pk}"') < html.index(
        f'value="{units["bac"].pk}"'
    )
    assert "Còn 3 đơn vị khác cũng khớp" in html


def test_no_count_when_every_match_is_listed(client, units):  # noqa: F811
    """When every match is listed, no "more" line is shown."""
    response = client.get(SEARCH, {"q": "xa dong hung hung yen"})

    assert len(response.context["matches"]) == 4
    assert "data-commune-more" not in response.content.decode()


@pytest.mark.parametrize("query", ["dong hung", "xa dong hung hung yen", "dong"])
def test_a_keystroke_costs_at_most_three_queries(
    client,
    units,  # noqa: F811
    django_assert_max_num_queries,
    query,
):
    """Past the site's own first lookups, one suggestion request reads the
    provinces, the matches and their count, whatever was typed."""
    client.get(SEARCH, {"q": "nguyen hue"})
    with django_assert_max_num_queries(3):
        client.get(SEARCH, {"q": query})
