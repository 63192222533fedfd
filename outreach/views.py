"""Pages of helped-person records: recording from a phone, the helped person's
confirmation by link, review by teachers and team leaders, recognition and
campaigns for officials.

Every view that shows records gets them from ``outreach.scopes``: a record
outside the person's scope is a 404.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from certificates.models import MeritCertificate
from certificates.selectors import merit_templates
from classes.qr import qr_svg
from classes.scopes import classes_managed_by
from core import throttle
from core.net import client_ip
from users.models import User
from users.phone import display_phone
from users.scopes import regions_visible_to

from .eligibility import may_record
from .forms import DATE_FORMATS, CampaignForm, HelpRecordForm
from .models import Campaign, HelpRecord
from .scopes import record_for, records_reviewable_by, records_visible_to
from .selectors import (
    Ranking,
    awaiting_review,
    helpers_ranked,
    merit_candidates,
    records_in,
)
from .services import (
    NotAllowedToRecord,
    campaign_save,
    confirm_link_expired,
    confirm_link_problem,
    help_record_confirm_by_link,
    help_record_create,
    help_record_review,
    merit_award,
)


def _confirm_url(request, record: HelpRecord) -> str:
    return request.build_absolute_uri(
        reverse("outreach_confirm", args=[record.confirm_token])
    )


@login_required
def record_list(request):
    records = records_visible_to(request.user).filter(helper=request.user)
    return render(
        request,
        "outreach/record_list.html",
        {
            "records": records.select_related("region", "procedure_field")[:100],
            "may_record": may_record(request.user),
            "may_review": classes_managed_by(request.user).exists(),
            "is_official": regions_visible_to(request.user).exists(),
        },
    )


def _not_allowed(request):
    return render(request, "outreach/not_allowed.html", status=403)


@login_required
def record_create(request):
    # A POST is checked once, by the service.
    if request.method != "POST" and not may_record(request.user):
        return _not_allowed(request)
    form = HelpRecordForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record = help_record_create(
                helper=request.user,
                helped_on=data["helped_on"],
                region=data["region"],
                action=data["action"],
                relation=data["relation"],
                procedure_field=data["procedure_field"],
                helped_name=data["helped_name"],
                helped_phone=data["helped_phone"],
                consent=data["consent"],
            )
        except NotAllowedToRecord:
            return _not_allowed(request)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.error_dict.items():
                    field = "commune_query" if name == "region" else name
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, _("Recorded. Show the link or QR to confirm."))
            return redirect("outreach:detail", pk=record.pk)
    return render(request, "outreach/record_form.html", {"form": form})


@login_required
def record_detail(request, pk):
    record = record_for(request.user, pk)
    context = {"record": record, "phone": display_phone(record.helped_phone)}
    if record.helper_id == request.user.pk and record.confirmed_at is None:
        url = _confirm_url(request, record)
        context.update(
            confirm_url=url,
            qr=qr_svg(url, scale=5),
            link_expired=confirm_link_expired(record),
        )
    context["may_review"] = records_reviewable_by(request.user).filter(pk=pk).exists()
    return render(request, "outreach/record_detail.html", context)


def _public(response):
    response["X-Robots-Tag"] = "noindex"
    patch_cache_control(response, no_store=True)
    return response


@require_http_methods(["GET", "POST"])
def confirm(request, token: str):
    """The page a helped person opens from the link or QR, with no account."""
    if refusal := throttle.hit({"help_confirm:address": client_ip(request)}):
        response = render(
            request, "outreach/confirm.html", {"refusal": refusal}, status=429
        )
        response["Retry-After"] = str(refusal.retry_after)
        return _public(response)
    record = (
        HelpRecord.objects.filter(confirm_token=token)
        .select_related("region", "procedure_field", "helper")
        .first()
        if len(token) <= 20
        else None
    )
    context = {"record": record, "token": token}
    status = 200
    if request.method == "POST":
        try:
            help_record_confirm_by_link(token=token)
        except ValidationError as error:
            context["error"] = error.messages[0]
            status = 404 if record is None else 409
        else:
            context["done"] = True
    elif problem := confirm_link_problem(record):
        context["error"] = problem
        status = 404 if record is None else 409
    return _public(render(request, "outreach/confirm.html", context, status=status))


@login_required
def review_list(request):
    """The records of a teacher's students or a team leader's members: those
    waiting for them first, then the latest confirmed."""
    theirs = records_reviewable_by(request.user).select_related(
        "region", "procedure_field", "helper"
    )
    waiting = awaiting_review(theirs)
    confirmed = theirs.filter(confirmed_at__isnull=False).exclude(
        pk__in=waiting.values("pk")
    )
    return render(
        request,
        "outreach/review_list.html",
        {
            "records": waiting[:200],
            "confirmed": confirmed.order_by("-confirmed_at")[:50],
        },
    )


@login_required
@require_POST
def review(request, pk):
    record = record_for(request.user, pk, review=True)
    try:
        help_record_review(
            record=record,
            reviewer=request.user,
            confirm=request.POST.get("action") == "confirm",
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The record is reviewed."))
    return redirect("outreach:review_list")


def _period(params) -> tuple[datetime.date, datetime.date]:
    """The period asked for (tu, den), by default the last 30 days."""
    today = timezone.localdate()

    def parse(name, default):
        for fmt in DATE_FORMATS:
            try:
                return datetime.datetime.strptime(params.get(name, ""), fmt).date()
            except ValueError:
                continue
        return default

    start = parse("tu", today - datetime.timedelta(days=29))
    end = parse("den", today)
    return (start, end) if start <= end else (end, start)


@dataclass
class _Asked:
    """A ranking as asked for (unit, period or campaign), with the choices the
    form offers."""

    ranking: Ranking
    units: list = field(default_factory=list)
    campaigns: list = field(default_factory=list)

    def query(self) -> dict:
        """The parameters that name this ranking again."""
        ranking = self.ranking
        if ranking.campaign is not None:
            return {"chien_dich": ranking.campaign.pk}
        query = {"tu": ranking.start.isoformat(), "den": ranking.end.isoformat()}
        if ranking.unit is not None:
            query["don_vi"] = ranking.unit.pk
        return query


def _asked(request, params) -> _Asked:
    """The ranking the parameters name: an official's unit over a period or a
    campaign, or a team leader's classes over a period. 403 for anyone else,
    404 for a unit or campaign that is not theirs."""
    units = list(regions_visible_to(request.user).filter(is_current=True)[:500])
    leads = classes_managed_by(request.user).exists()
    if not units and not leads:
        raise PermissionDenied
    if not units:
        start, end = _period(params)
        records = records_reviewable_by(request.user).filter(
            helped_on__gte=start, helped_on__lte=end
        )
        return _Asked(Ranking(records=records, start=start, end=end))
    campaigns = list(
        Campaign.objects.filter(region__in=regions_visible_to(request.user))
        .select_related("region")
        .order_by("-starts_on", "name")[:50]
    )
    campaign = None
    if pk := params.get("chien_dich"):
        campaign = next((c for c in campaigns if str(c.pk) == pk), None)
        if campaign is None:
            raise Http404
        unit, start, end = campaign.region, campaign.starts_on, campaign.ends_on
    else:
        start, end = _period(params)
        pk = params.get("don_vi")
        unit = next((u for u in units if str(u.pk) == pk), None) if pk else None
        if pk and unit is None:
            raise Http404
        unit = unit or min(units, key=lambda u: u.level)
    return _Asked(
        Ranking(
            records=records_in(unit, start, end),
            start=start,
            end=end,
            unit=unit,
            campaign=campaign,
        ),
        units=units,
        campaigns=campaigns,
    )


@login_required
def recognition(request):
    """Helpers ranked by confirmed helped people: an official's units (over a
    period or a campaign), or the teams and classes a leader runs. Nobody else
    sees it. Each helper may be ticked for a certificate of merit."""
    asked = _asked(request, request.GET)
    ranking = asked.ranking
    ranked = helpers_ranked(ranking.records)
    awarded = MeritCertificate.objects.filter(
        user_id__in=[row.helper_id for row in ranked],
        period_start=ranking.start,
        period_end=ranking.end,
    )
    if ranking.unit is not None:
        awarded = awarded.filter(region=ranking.unit)
    merit_of = {merit.user_id: merit for merit in awarded}
    return render(
        request,
        "outreach/recognition.html",
        {
            "ranked": ranked,
            "rows": [(row, merit_of.get(row.helper_id)) for row in ranked],
            "units": asked.units,
            "campaigns": asked.campaigns,
            "unit": ranking.unit,
            "campaign": ranking.campaign,
            "start": ranking.start,
            "end": ranking.end,
            "query": asked.query(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def merit_award_view(request):
    """Award a certificate of merit (giấy khen) to the helpers ticked in a
    ranking: a GET shows what would be awarded, for the awarder to confirm;
    the POST awards it (``services.merit_award``)."""
    params = request.POST if request.method == "POST" else request.GET
    asked = _asked(request, params)
    ids = [int(pk) for pk in params.getlist("nguoi") if pk.isdigit()]
    templates = list(merit_templates())
    template = next(
        (t for t in templates if str(t.pk) == params.get("mau")),
        templates[0] if templates else None,
    )
    if request.method == "POST":
        if template is None:
            messages.error(request, _no_template_message())
        else:
            try:
                done = merit_award(
                    awarder=request.user,
                    ranking=asked.ranking,
                    helper_ids=ids,
                    template=template,
                )
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                _say_awarded(request, done)
                return redirect(
                    reverse("outreach:recognition") + "?" + urlencode(asked.query())
                )
    helpers = list(User.objects.filter(pk__in=ids).order_by("full_name", "pk"))
    candidates = merit_candidates(
        awarder=request.user, ranking=asked.ranking, helpers=helpers
    )
    return render(
        request,
        "outreach/merit_award.html",
        {
            "candidates": sorted(candidates, key=lambda c: -c.confirmed),
            "awardable": [c for c in candidates if c.awardable],
            "templates": templates,
            "template": template,
            "no_template": _no_template_message() if template is None else "",
            "ranking": asked.ranking,
            "query": asked.query(),
            "back": reverse("outreach:recognition") + "?" + urlencode(asked.query()),
        },
    )


def _no_template_message() -> str:
    return _(
        "There is no template of merit (giấy khen) yet. Ask an editor to make "
        "one in the admin: Certificate templates, kind “Certificate of merit”."
    )


def _say_awarded(request, done) -> None:
    if done.awarded:
        messages.success(
            request,
            ngettext(
                "%(count)d certificate of merit awarded. Its holder finds it "
                "under My certificates.",
                "%(count)d certificates of merit awarded. Their holders find "
                "them under My certificates.",
                len(done.awarded),
            )
            % {"count": len(done.awarded)},
        )
    for merit in done.existing:
        messages.info(
            request,
            _(
                "%(name)s already has a certificate of merit for this period "
                "(code %(code)s): nothing new was written."
            )
            % {"name": merit.printed.get("learner_name", ""), "code": merit.code},
        )


def _campaigns_for(user):
    if not regions_visible_to(user).exists():
        raise PermissionDenied
    return Campaign.objects.filter(region__in=regions_visible_to(user)).select_related(
        "region"
    )


@login_required
def campaign_list(request):
    return render(
        request,
        "outreach/campaign_list.html",
        {"campaigns": _campaigns_for(request.user)},
    )


@login_required
def campaign_edit(request, pk=None):
    campaigns = _campaigns_for(request.user)
    campaign = get_object_or_404(campaigns, pk=pk) if pk else Campaign()
    form = CampaignForm(request.POST or None, instance=campaign, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            campaign_save(campaign=form.instance, user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The campaign is saved."))
            return redirect("outreach:campaign_list")
    return render(
        request, "outreach/campaign_form.html", {"form": form, "campaign": campaign}
    )
