"""Writes of the outreach app: records of helped people, their confirmation and
review, campaigns. Each write announces the records it changed
(``signals.help_records_changed``) in its own transaction; reports recounts them
once it commits.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates.models import CertificateTemplate, MeritCertificate
from certificates.services import MeritExists, merit_certificate_award
from regions.models import Region
from users.models import User
from users.phone import normalise_phone

from .consent import CONSENT_TEXT, CONSENT_VERSION
from .eligibility import standing
from .models import (
    Campaign,
    HelpAction,
    HelpFlag,
    HelpRecord,
    HelpRelation,
    ProcedureField,
)
from .selectors import Ranking, merit_candidates
from .signals import help_records_changed


class NotAllowedToRecord(PermissionDenied):
    """The person holds no valid certificate and belongs to no team."""


def _changed(records: list[HelpRecord]) -> None:
    help_records_changed.send(sender=HelpRecord, records=records)


def help_record_errors(
    *,
    helper: User,
    helped_on: datetime.date | None,
    action: str | None,
    procedure_field: ProcedureField | None,
    helped_name: str,
    helped_phone: str,
    consent: bool,
    first_certificate_day: datetime.date | None,
    today: datetime.date | None = None,
) -> dict[str, str]:
    """Return {field: message} for each rule the record would break."""
    errors: dict[str, str] = {}
    today = today or timezone.localdate()
    if helped_on is not None:
        first = first_certificate_day
        if helped_on > today:
            errors["helped_on"] = _("The date cannot be in the future.")
        elif first is not None and helped_on < first:
            errors["helped_on"] = _(
                "The date cannot be before your first certificate (%(date)s)."
            ) % {"date": first.strftime("%d/%m/%Y")}
    if action == HelpAction.DOSSIER and procedure_field is None:
        errors["procedure_field"] = _("Choose the procedure field of the dossier.")
    if (helped_name or helped_phone) and not consent:
        errors["consent"] = _(
            "Keep the name or phone only when the person agrees: tick the box, "
            "or leave them empty."
        )
    return errors


def _flag_for(*, helper: User, helped_on, phone: str) -> str | None:
    """Return why a new record should wait for review, or None."""
    same_day = HelpRecord.objects.filter(helper=helper, helped_on=helped_on).count()
    if same_day >= settings.OUTREACH_DAILY_LIMIT:
        return HelpFlag.DAILY_LIMIT
    if phone:
        same_phone = HelpRecord.objects.filter(helped_phone=phone).count()
        if same_phone >= settings.OUTREACH_PHONE_REPEAT_LIMIT:
            return HelpFlag.PHONE_REPEATED
    return None


@transaction.atomic
def help_record_create(
    *,
    helper: User,
    helped_on: datetime.date,
    region: Region,
    action: str,
    relation: str,
    procedure_field: ProcedureField | None = None,
    helped_name: str = "",
    helped_phone: str = "",
    consent: bool = False,
) -> HelpRecord:
    """Record one person the helper helped; flag it for review when the helper
    has more records that day than settings.OUTREACH_DAILY_LIMIT, or the phone
    appears in more than settings.OUTREACH_PHONE_REPEAT_LIMIT records."""
    helper_standing = standing(helper)
    if not helper_standing.may_record:
        raise NotAllowedToRecord(
            _(
                "Only a person with a valid certificate, or a member of a community "
                "digital technology team, can record people they helped."
            )
        )
    helped_name = " ".join(helped_name.split())
    phone_error = None
    if helped_phone.strip():
        try:
            helped_phone = normalise_phone(helped_phone)
        except ValidationError as error:
            phone_error = error.messages[0]
    else:
        helped_phone = ""
    errors = help_record_errors(
        helper=helper,
        helped_on=helped_on,
        action=action,
        procedure_field=procedure_field,
        helped_name=helped_name,
        helped_phone=helped_phone,
        consent=consent,
        first_certificate_day=helper_standing.first_certificate_day,
    )
    if phone_error:
        errors["helped_phone"] = phone_error
    if action not in HelpAction.values:
        errors["action"] = _("Choose what was done.")
    if relation not in HelpRelation.values:
        errors["relation"] = _("Choose who the helped person is.")
    if region.level != Region.Level.COMMUNE:
        errors["region"] = _("Choose a commune or ward.")
    if errors:
        raise ValidationError(errors)
    # One helper's records are counted one at a time, so two at once cannot
    # both slip under the day's limit.
    User.objects.select_for_update().filter(pk=helper.pk).first()
    now = timezone.now()
    # The consent as the helped person saw it, kept only with their details.
    keep = bool(helped_name or helped_phone)
    flag = _flag_for(helper=helper, helped_on=helped_on, phone=helped_phone)
    record = HelpRecord.objects.create(
        helper=helper,
        helper_kind=helper.kind,
        helped_on=helped_on,
        region=region,
        region_path=region.path,
        action=action,
        procedure_field=procedure_field if action == HelpAction.DOSSIER else None,
        relation=relation,
        helped_name=helped_name,
        helped_phone=helped_phone,
        consent_given_at=now if keep else None,
        consent_version=CONSENT_VERSION if keep else "",
        consent_text=str(CONSENT_TEXT) if keep else "",
        flag=flag,
        flagged_at=now if flag else None,
    )
    _changed([record])
    return record


def confirm_link_expired(record: HelpRecord, *, now=None) -> bool:
    now = now or timezone.now()
    days = datetime.timedelta(days=settings.OUTREACH_CONFIRM_DAYS)
    return record.confirm_token_created_at + days < now


def confirm_link_problem(record: HelpRecord | None, *, now=None) -> str | None:
    """Return why the record's link cannot confirm it (unknown, used, too old),
    or None when it can."""
    if record is None:
        return _("This link is not valid. Ask the person who helped you for a new one.")
    if record.confirmed_at is not None:
        return _("This help was already confirmed on %(date)s. Thank you.") % {
            "date": timezone.localtime(record.confirmed_at).strftime("%d/%m/%Y")
        }
    if confirm_link_expired(record, now=now):
        return _(
            "This link is older than %(days)d days and can no longer be used. "
            "Nothing was changed."
        ) % {"days": settings.OUTREACH_CONFIRM_DAYS}
    return None


@transaction.atomic
def help_record_confirm_by_link(*, token: str, now=None) -> HelpRecord:
    """Confirm the record the helped person's link names. A link used once, or
    older than settings.OUTREACH_CONFIRM_DAYS, changes nothing."""
    now = now or timezone.now()
    record = HelpRecord.objects.select_for_update().filter(confirm_token=token).first()
    if problem := confirm_link_problem(record, now=now):
        raise ValidationError(problem)
    record.confirmed_at = now
    record.confirmed_by = None
    record.save(update_fields=["confirmed_at", "confirmed_by"])
    _changed([record])
    return record


@transaction.atomic
def help_record_review(
    *, record: HelpRecord, reviewer: User, confirm: bool = False, now=None
) -> HelpRecord:
    """A teacher or team leader clears the record's flag, and with ``confirm``
    confirms the help themselves. The caller checks they may (scopes)."""
    now = now or timezone.now()
    record = HelpRecord.objects.select_for_update().get(pk=record.pk)
    fields = []
    if record.flag is not None and record.flag_cleared_at is None:
        record.flag_cleared_at = now
        record.flag_cleared_by = reviewer
        fields += ["flag_cleared_at", "flag_cleared_by"]
    if confirm and record.confirmed_at is None:
        record.confirmed_at = now
        record.confirmed_by = reviewer
        fields += ["confirmed_at", "confirmed_by"]
    if not fields:
        raise ValidationError(_("This record has nothing left to review."))
    record.save(update_fields=fields)
    _changed([record])
    return record


def campaign_save(*, campaign: Campaign, user: User) -> Campaign:
    """Create or change a campaign; the form has checked the unit is the user's."""
    if campaign.pk is None:
        campaign.created_by = user
    campaign.full_clean()
    campaign.save()
    return campaign


@dataclass(frozen=True)
class MeritAwarded:
    awarded: list[MeritCertificate]
    # Those the helpers already had for the period: nothing new is written.
    existing: list[MeritCertificate]


@transaction.atomic
def merit_award(
    *,
    awarder: User,
    ranking: Ranking,
    helper_ids: list[int],
    template: CertificateTemplate,
) -> MeritAwarded:
    """Award a certificate of merit (giấy khen) for the ranking's period to
    each helper named, with the confirmed helped people counted now.

    Refused as a whole, nothing written, when a helper is outside the
    awarder's scope (``scopes.merit_unit``) or has no confirmed helped person
    in the period. A helper who already has one for the unit and period keeps
    it and is named in ``existing``: awarding twice writes nothing twice."""
    helpers = list(User.objects.filter(pk__in=helper_ids).order_by("full_name", "pk"))
    if not helper_ids:
        raise ValidationError(_("Tick at least one helper in the ranking."))
    if len(helpers) != len(set(helper_ids)):
        raise ValidationError(_("A ticked helper no longer exists."))
    candidates = merit_candidates(awarder=awarder, ranking=ranking, helpers=helpers)
    problems = [candidate.problem for candidate in candidates if candidate.problem]
    if problems:
        raise ValidationError(problems)
    by_id = {helper.pk: helper for helper in helpers}
    awarded, existing = [], []
    for candidate in candidates:
        if candidate.existing is not None:
            existing.append(candidate.existing)
            continue
        try:
            awarded.append(
                merit_certificate_award(
                    user=by_id[candidate.helper_id],
                    template=template,
                    awarded_by=awarder,
                    region=candidate.unit,
                    period_start=ranking.start,
                    period_end=ranking.end,
                    reason=candidate.reason,
                    helped_count=candidate.confirmed,
                    campaign_name=ranking.campaign.name if ranking.campaign else "",
                )
            )
        except MeritExists as exists:
            existing.append(exists.merit)
    return MeritAwarded(awarded=awarded, existing=existing)
