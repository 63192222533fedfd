"""Recording a helped person (issue 16's budget): a member of a commune's
community digital technology team records, from the phone form, that they
helped a citizen file a dossier online, leaving the date and commune as the form
fills them in.

Timed: the whole POST through Django's test client, the eligibility check, the
flags' counts, the write and the redirect included. The other apps' work after
the write commits runs as on a site (bench/settings.py queues it).
"""

import datetime
from dataclasses import dataclass
from functools import cache

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from classes.models import ClassMembership, Organisation, TrainingClass
from outreach.loader import load_procedure_fields
from outreach.models import HelpRecord, ProcedureField

from .classes import _province_communes, _teacher, regions_loaded
from .fixtures import learner
from .measure import captured_queries, format_queries, median_ms
from .registry import Context, metric


@dataclass
class HelpWorld:
    client: Client
    data: dict


@cache
def help_world() -> HelpWorld:
    commune = _province_communes(regions_loaded())[0]
    load_procedure_fields()
    team = Organisation.objects.create(
        name=f"Tổ công nghệ số cộng đồng {commune.name}",
        kind=Organisation.Kind.COMMUNE_TEAM,
        region=commune,
    )
    today = timezone.localdate()
    klass = TrainingClass.objects.create(
        name="Tổ công nghệ số – hỗ trợ người dân",
        organisation=team,
        region=commune,
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today + datetime.timedelta(days=60),
        owner=_teacher("bench-to-truong", "Lê Văn Tổ"),
    )
    helper = learner(username="bench-ho-tro")
    helper.home_region = commune
    helper.save(update_fields=["home_region"])
    ClassMembership.objects.create(
        training_class=klass, user=helper, source=ClassMembership.Source.TEACHER
    )
    client = Client()
    client.force_login(helper)
    data = {
        "helped_on": today.isoformat(),
        "commune_query": str(commune),
        "action": "dossier",
        "procedure_field": ProcedureField.objects.get(code="ho-tich").pk,
        "relation": "citizen",
    }
    return HelpWorld(client=client, data=data)


def _record(world: HelpWorld) -> None:
    response = world.client.post(reverse("outreach:create"), world.data)
    if response.status_code != 302:
        raise AssertionError(
            f"The form answered {response.status_code}, not a redirect: "
            f"{response.content[:500]!r}"
        )


@metric("helped_record_ms_p50", under=30, unit="ms")
def helped_record_ms_p50(ctx: Context) -> float:
    """Median server time of one helped person recorded through the form."""
    world = help_world()
    before = HelpRecord.objects.count()
    value = median_ms(lambda: _record(world), runs=ctx.runs, log=ctx.log)
    made = HelpRecord.objects.count() - before
    if made != ctx.runs + 1:
        raise AssertionError(f"{ctx.runs + 1} posts made {made} records.")
    return value


@metric("helped_record_queries", at_most=15, unit="queries")
def helped_record_queries(ctx: Context) -> float:
    """Count the SQL of one helped person recorded through the form."""
    world = help_world()
    queries = captured_queries(lambda: _record(world))
    if ctx.explain_queries:
        ctx.log(f"SQL of one helped-person record, {len(queries)} queries:")
        ctx.log(format_queries(queries))
    return len(queries)
