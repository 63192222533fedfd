"""Flow 1: a teacher puts their own email on someone they do not teach through a
roster, then asks for a password reset at that address.

Before: "fill blanks" wrote the email on the official's account and the admin's
password reset sent the link there. Now a roster never changes an existing
person, and a reset goes only to people and addresses that may have it.
"""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from classes.models import ClassInvitation, ClassMembership
from core.testing import vi

from .helpers import account, apply_roster, phone_as_typed, upload_roster

pytestmark = pytest.mark.django_db

ATTACKER_EMAIL = "giaovien.a@example.net"


@pytest.mark.parametrize("victim_name", ["official", "learner"])
def test_a_roster_cannot_put_an_email_on_an_account_it_did_not_make(
    client, world, mailoutbox, victim_name
):
    victim = getattr(world.b, victim_name)
    victim.email = ""  # a blank for "fill blanks" to fill
    victim.date_of_birth = None
    victim.save()
    before = account(victim)

    # Commune A's teacher uploads a roster naming the victim by phone, with an
    # email of their own, another name, a birth date and their own commune.
    client.force_login(world.a.teacher)
    preview = upload_roster(
        client,
        world.a.training_class,
        [
            {
                "full_name": "Người Lạ",
                "phone": phone_as_typed(victim),
                "date_of_birth": "01/01/1990",
                "commune": "Xã Đông Hưng",
                "email": ATTACKER_EMAIL,
            }
        ],
    )
    page = client.get(preview)
    # Not an error: the preview says the person keeps their details.
    assertContains(
        page,
        vi(
            "This person already has an account. They are invited to the class "
            "at their next login and join only if they accept; their details will "
            "not change."
        ),
    )
    apply_roster(client, preview, fill_blanks=True)

    assert account(victim) == before
    assert not ClassMembership.objects.filter(
        training_class=world.a.training_class, user=victim
    ).exists()
    assert ClassInvitation.objects.get(user=victim).status == "pending"

    # The reset the attacker asks for at their own address goes nowhere.
    client.logout()
    client.post(reverse("wagtailadmin_password_reset"), {"email": ATTACKER_EMAIL})
    assert mailoutbox == []
    assert account(victim) == before
