"""Flow 2: a teacher names another class's light account in their own roster,
prints its login card (which voids the card its own teacher printed) and
claims the account.

A card is printed only by a teacher of the class whose roster or walk-in made
the account, or by an official over that class's unit.
"""

from unittest import mock

import pytest
from django.urls import reverse

from classes.models import ClassMembership
from users.models import AccountEvent, ClaimCode
from users.services import claim_code_find

from .helpers import account, apply_roster, phone_as_typed, upload_roster

pytestmark = pytest.mark.django_db

PDF = mock.patch("classes.views.login_cards_pdf", return_value=b"%PDF-1.7 cards")


def test_a_teacher_cannot_print_the_card_of_a_light_account_another_class_made(
    client, world
):
    victim = world.b.light
    # Commune B's teacher printed the card their learner holds.
    client.force_login(world.b.teacher)
    with PDF, mock.patch("users.services.new_code", return_value="BBBBB22222"):
        response = client.post(
            reverse(
                "classes:login_card_reissue",
                args=[world.b.training_class.pk, victim.pk],
            )
        )
    assert response.status_code == 200
    before = account(victim)

    # Commune A's teacher adds the light account to their class by phone...
    client.force_login(world.a.teacher)
    preview = upload_roster(
        client,
        world.a.training_class,
        [{"full_name": "Ai đó", "phone": phone_as_typed(victim)}],
    )
    apply_roster(client, preview)
    assert ClassMembership.objects.filter(
        training_class=world.a.training_class, user=victim, created_account=False
    ).exists()

    # ...then tries to print the person's card, one by one and for everyone.
    with PDF:
        one = client.post(
            reverse(
                "classes:login_card_reissue",
                args=[world.a.training_class.pk, victim.pk],
            )
        )
        every = client.post(
            reverse("classes:login_cards", args=[world.a.training_class.pk])
        )

    assert one.status_code == 302
    assert every.status_code == 200  # the cards of A's own light account only
    assert list(
        ClaimCode.objects.filter(user=victim, used_at__isnull=True).values_list(
            "created_by", flat=True
        )
    ) == [world.b.teacher.pk]
    assert claim_code_find(code="BBBBB22222") is not None
    assert account(victim) == before
    assert ClaimCode.objects.filter(user=world.a.light).count() == 1


def test_officials_over_the_unit_of_the_class_that_made_it_may_print_it(client, world):
    victim = world.b.light
    url = reverse(
        "classes:login_card_reissue", args=[world.b.training_class.pk, victim.pk]
    )
    client.force_login(world.a.official)
    with PDF:
        assert client.post(url).status_code == 404
    assert not ClaimCode.objects.filter(user=victim).exists()

    for official in (world.b.official, world.province_official):
        client.force_login(official)
        with PDF:
            assert client.post(url).status_code == 200

    events = AccountEvent.objects.filter(
        subject=victim, kind=AccountEvent.Kind.CARD_ISSUED
    )
    assert {event.actor for event in events} == {
        world.b.official,
        world.province_official,
    }
    assert {event.detail for event in events} == {world.b.training_class.name}
