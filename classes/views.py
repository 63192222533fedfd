"""Pages of classes for teachers, officials and learners.

Every view that shows a class or its learners gets it from ``classes.scopes``: a
class outside the person's scope is a 404, a change to a class they may only
see is a 403.
"""

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core import throttle
from core.net import client_ip
from core.spreadsheets import SpreadsheetError, write_xlsx
from users.models import AccountEvent, PersonalDataExport
from users.names import roll_order_key
from users.services import (
    account_event_record,
    claim_code_issue,
    personal_data_export_record,
)

from . import checkin, roster
from .forms import (
    AttendanceForm,
    JoinForm,
    RosterApplyForm,
    RosterUploadForm,
    SessionForm,
    TrainingClassForm,
    WalkInForm,
)
from .models import (
    AttendanceStatus,
    ClassInvitation,
    ClassMembership,
    ClassSession,
    RosterImport,
)
from .pdf import LoginCard, login_cards_pdf
from .qr import qr_data_uri, qr_svg
from .scopes import (
    can_create_class,
    can_issue_login_cards,
    can_manage_class,
    class_for,
    classes_managed_by,
    classes_visible_to,
)
from .selectors import (
    class_progress,
    classes_with_counts,
    session_attendance_counts,
    session_roll,
)
from .services import (
    Added,
    class_create,
    class_invitation_answer,
    class_join,
    roster_import_apply,
    roster_import_preview,
    session_attendance_mark,
    session_create,
    session_self_check_in,
    session_walk_in_add,
)


def _session_for(user, pk, *, manage=False) -> ClassSession:
    if manage:
        # A teacher marking the roll: the session and its class in one read.
        session = get_object_or_404(
            ClassSession.objects.select_related(
                "training_class__organisation",
                "training_class__region__parent",
                "training_class__owner",
            ),
            pk=pk,
        )
        if can_manage_class(user, session.training_class):
            return session
    session = get_object_or_404(ClassSession, pk=pk)
    session.training_class = class_for(user, session.training_class_id, manage=manage)
    return session


@login_required
def class_list(request):
    """“Lớp học”: the classes I teach, and, for an official, those under my unit."""
    visible = classes_visible_to(request.user).select_related("organisation")
    managed_ids = set(classes_managed_by(request.user).values_list("pk", flat=True))
    classes = list(classes_with_counts(visible).order_by("-starts_on", "name"))
    return render(
        request,
        "classes/class_list.html",
        {
            "teaching": [c for c in classes if c.pk in managed_ids],
            "overseeing": [c for c in classes if c.pk not in managed_ids],
            "can_create": can_create_class(request.user),
            "invitations": _pending_invitations(request.user),
        },
    )


@login_required
def class_create_view(request):
    if not can_create_class(request.user):
        raise PermissionDenied
    form = TrainingClassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            training_class = class_create(
                owner=request.user,
                name=data["name"],
                organisation=data["organisation"],
                courses=list(data["courses"]),
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                mode=data["mode"],
                audience_kind=data["audience_kind"],
                region=data["region"],
                co_teachers=data["co_teacher_phones"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The class is created."))
            return redirect(training_class)
    return render(request, "classes/class_form.html", {"form": form})


def _join_url(request, training_class) -> str:
    return request.build_absolute_uri(
        reverse("class_join") + f"?ma={training_class.join_code}"
    )


@login_required
def class_detail(request, pk):
    """The class page: join code, sessions, and each learner's progress."""
    training_class = class_for(request.user, pk)
    can_manage = can_manage_class(request.user, training_class)
    progress = class_progress(training_class=training_class)
    context = {
        "training_class": training_class,
        "can_manage": can_manage,
        "can_issue_cards": can_issue_login_cards(request.user, training_class),
        "progress": progress,
        "sessions": progress.sessions,
        "course_count": len(progress.courses),
    }
    if can_manage:
        join_url = _join_url(request, training_class)
        context.update(
            join_url=join_url,
            join_qr=qr_svg(join_url),
            # Names only: who was asked to join and has not said yes.
            invitations=training_class.invitations.exclude(
                status=ClassInvitation.Status.ACCEPTED
            )
            .select_related("user")
            .order_by("status", "user__full_name"),
        )
    return render(request, "classes/class_detail.html", context)


@login_required
def progress_export(request, pk):
    """The progress table as an XLSX file, one row per learner."""
    training_class = class_for(request.user, pk)
    progress = class_progress(training_class=training_class)
    headers = [
        _("Full name"),
        _("Mobile number"),
        _("Group"),
        *[course.title for course in progress.courses],
        _("Best quiz score (%)"),
        _("Sessions attended"),
        _("Attendance rate"),
        _("Falling behind"),
    ]
    # A phone only of people the class made or who joined it themselves: not of
    # someone a roster named, whose number the class never had from them.
    rows = [
        [
            row.user.full_name,
            row.user.phone_display if row.membership.shows_phone else "",
            row.membership.group_label,
            *[f"{c.done}/{c.total}" for c in row.courses],
            float(row.best_score) if row.best_score is not None else None,
            row.attended,
            row.attendance_rate,
            _("Yes") if row.falling_behind else "",
        ]
        for row in progress.learners
    ]
    rate_column = len(headers) - 2
    data = write_xlsx(
        title_lines=[
            training_class.name,
            f"{training_class.organisation} · "
            + _("exported on %(date)s")
            % {"date": timezone.localtime().strftime("%d/%m/%Y %H:%M")},
        ],
        headers=headers,
        rows=rows,
        number_formats={rate_column: "0%"},
        sheet_title=_("Progress"),
    )
    personal_data_export_record(
        actor=request.user,
        kind=PersonalDataExport.Kind.CLASS_PROGRESS,
        people=len(rows),
        region=training_class.region,
        description=training_class.name,
        request=request,
    )
    response = HttpResponse(
        data,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = content_disposition_header(
        True, f"tien-do-lop-{training_class.pk}.xlsx"
    )
    return response


# Rosters


# What applying a row that names someone already registered will do.
ROSTER_ACCOUNT_NOTES = {
    roster.OWN: gettext_lazy(
        "This class added this person before and they have not claimed their "
        "account: only their empty details are filled in, if you ask to."
    ),
    roster.MEMBER: gettext_lazy(
        "Already in this class. Their details will not change."
    ),
    roster.LIGHT: gettext_lazy(
        "This person already has an account. They are added to the class; "
        "their details will not change."
    ),
    roster.INVITE: gettext_lazy(
        "This person already has an account. They are invited to the class "
        "at their next login and join only if they accept; their details will "
        "not change."
    ),
}

ROSTER_FIELD_LABELS = {
    "full_name": gettext_lazy("Full name"),
    "phone": gettext_lazy("Mobile number"),
    "date_of_birth": gettext_lazy("Date of birth"),
    "group_label": gettext_lazy("Group"),
    "commune": gettext_lazy("Commune or ward"),
    "email": gettext_lazy("Email"),
}


@login_required
def roster_upload(request, pk):
    training_class = class_for(request.user, pk, manage=True)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            roster_import = roster_import_preview(
                training_class=training_class,
                upload=form.cleaned_data["file"],
                actor=request.user,
            )
        except SpreadsheetError as error:
            form.add_error("file", error)
        else:
            personal_data_export_record(
                actor=request.user,
                kind=PersonalDataExport.Kind.ROSTER,
                people=len(roster_import.rows),
                region=training_class.region,
                description=f"{training_class.name} · {roster_import.file_name}",
                request=request,
            )
            return redirect("classes:roster_preview", pk=pk, import_pk=roster_import.pk)
    return render(
        request,
        "classes/roster_upload.html",
        {"training_class": training_class, "form": form},
    )


@login_required
def roster_template(request, pk):
    """An empty roster with the headers the import reads, to fill in."""
    class_for(request.user, pk, manage=True)
    headers = [spellings[0] for spellings in roster.COLUMNS.values()]
    # Headers only: a sample row would be imported as a person by whoever
    # forgot to delete it.
    data = write_xlsx(headers=headers, rows=[], sheet_title="Danh sách")
    response = HttpResponse(
        data,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = content_disposition_header(
        True, "mau-danh-sach-hoc-vien.xlsx"
    )
    return response


@login_required
def roster_preview(request, pk, import_pk):
    """What the roster would do, row by row; applying it is a POST here."""
    training_class = class_for(request.user, pk, manage=True)
    roster_import = get_object_or_404(
        RosterImport, pk=import_pk, training_class=training_class
    )
    form = RosterApplyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            result = roster_import_apply(
                roster_import=roster_import,
                all_or_nothing=form.cleaned_data["all_or_nothing"],
                fill_blanks=form.cleaned_data["fill_blanks"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "%(added)s people added to the class (%(created)s new, "
                    "%(matched)s already registered); %(skipped)s rows skipped."
                )
                % result.__dict__,
            )
            if result.invited:
                messages.info(
                    request,
                    _(
                        "%(invited)s people who already have an account are "
                        "invited: they join the class when they accept."
                    )
                    % result.__dict__,
                )
            return redirect(training_class)
    # What each row resolved to, so a wrong commune or a day and month read the
    # wrong way round shows before anyone is added.
    units = roster.unit_labels(row.get("region_id") for row in roster_import.rows)
    rows = [
        {
            **row,
            "unit": units.get(row.get("region_id")),
            "born": (
                datetime.date.fromisoformat(row["date_of_birth"])
                if row.get("date_of_birth")
                else None
            ),
            "note": ROSTER_ACCOUNT_NOTES.get(row.get("account", ""), ""),
            "error_list": [
                (ROSTER_FIELD_LABELS.get(field, field), message)
                for field, message in row["errors"].items()
            ],
        }
        for row in roster_import.rows
    ]
    return render(
        request,
        "classes/roster_preview.html",
        {
            "training_class": training_class,
            "roster_import": roster_import,
            "form": form,
            "rows": rows,
            "counts": {
                status: sum(1 for row in rows if row["status"] == status)
                for status in ("match", "new", "error")
            },
        },
    )


# Sessions and attendance


@login_required
def session_create_view(request, pk):
    training_class = class_for(request.user, pk, manage=True)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        tz = timezone.get_current_timezone()
        try:
            session = session_create(
                training_class=training_class,
                title=data["title"],
                starts_at=datetime.datetime.combine(data["day"], data["start"], tz),
                ends_at=datetime.datetime.combine(data["day"], data["end"], tz),
                place=data["place"],
                online_url=data["online_url"],
            )
        except ValidationError as error:
            # The session's start is the form's day and time: its error goes on
            # the day.
            fields = {"starts_at": "day", "ends_at": "end", "online_url": "online_url"}
            for field, errors in getattr(error, "error_dict", {None: error}).items():
                form.add_error(fields.get(field), errors)
        else:
            return redirect(session)
    return render(
        request,
        "classes/session_form.html",
        {"training_class": training_class, "form": form},
    )


# (status, symbol on the button); the label is read out and shown on hover.
ATTENDANCE_BUTTONS = [
    (status, symbol, status.label)
    for status, symbol in [
        (AttendanceStatus.PRESENT, "✓"),
        (AttendanceStatus.LATE, "⏱"),
        (AttendanceStatus.ABSENT, "✗"),
        (AttendanceStatus.EXCUSED, "P"),
    ]
]


def _session_context(request, session):
    can_manage = can_manage_class(request.user, session.training_class)
    return {
        "session": session,
        "training_class": session.training_class,
        "can_manage": can_manage,
        "roll": session_roll(session=session),
        "counts": session_attendance_counts(session=session),
        "buttons": ATTENDANCE_BUTTONS,
        "walk_in_form": WalkInForm() if can_manage else None,
    }


@login_required
def session_detail(request, pk):
    """The roll of a session: one tap per learner marks them."""
    session = _session_for(request.user, pk)
    return render(
        request, "classes/session_detail.html", _session_context(request, session)
    )


@login_required
@require_POST
def attendance_mark(request, pk, user_pk):
    session = _session_for(request.user, pk, manage=True)
    membership = get_object_or_404(
        session.training_class.memberships.select_related("user"), user_id=user_pk
    )
    form = AttendanceForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    attendance = session_attendance_mark(
        session=session,
        user=membership.user,
        status=form.cleaned_data["status"],
        actor=request.user,
        membership=membership,
    )
    if request.htmx:
        return render(
            request,
            "classes/includes/attendance_row.html",
            {
                "session": session,
                "membership": membership,
                "status": attendance.status,
                "buttons": ATTENDANCE_BUTTONS,
                "can_manage": True,
                # The session's counts change too: swapped in out of band.
                "oob": True,
                "counts": session_attendance_counts(session=session),
            },
        )
    return redirect(session)


@login_required
@require_POST
def walk_in_add(request, pk):
    session = _session_for(request.user, pk, manage=True)
    form = WalkInForm(request.POST)
    if form.is_valid():
        user, added = session_walk_in_add(
            session=session,
            full_name=form.cleaned_data["full_name"],
            phone=form.cleaned_data["phone"],
            actor=request.user,
        )
        if added == Added.INVITED:
            messages.info(
                request,
                _(
                    "%(name)s already has an account, so they are invited to the "
                    "class: once they accept on their phone, they check in with "
                    "the QR code."
                )
                % {"name": user},
            )
        elif added == Added.DECLINED:
            messages.info(
                request,
                _(
                    "%(name)s declined to join this class before. They can join "
                    "it with the class code."
                )
                % {"name": user},
            )
        else:
            messages.success(request, _("%(name)s is marked present.") % {"name": user})
        return redirect(session)
    context = _session_context(request, session)
    context["walk_in_form"] = form
    return render(request, "classes/session_detail.html", context, status=400)


def _checkin_context(request, session):
    code = checkin.checkin_code(session.pk, checkin.current_window())
    url = request.build_absolute_uri(
        reverse("classes:check_in", args=[session.pk]) + f"?ma={code}"
    )
    return {
        "session": session,
        "training_class": session.training_class,
        "code": code,
        "qr": qr_svg(url, scale=8),
        "seconds_left": checkin.seconds_left(),
        "counts": session_attendance_counts(session=session),
    }


@login_required
def checkin_screen(request, pk):
    """A full-screen QR that changes every 30 seconds, for learners to scan."""
    session = _session_for(request.user, pk, manage=True)
    template = (
        "classes/includes/checkin_qr.html"
        if request.htmx
        else "classes/checkin_screen.html"
    )
    response = render(request, template, _checkin_context(request, session))
    response["Cache-Control"] = "no-store"
    return response


def check_in(request, pk):
    """Where the QR on the teacher's screen leads: check a member in.

    The page shows nothing of the session to anyone but its class's teachers and
    members (a 404, as for a session that does not exist); wrong codes are
    limited per client address and per session.
    """
    code = request.GET.get("ma") or request.POST.get("ma", "")
    if not request.user.is_authenticated:
        return render(
            request,
            "classes/check_in_login.html",
            {"next": request.get_full_path()},
            status=200,
        )
    session = get_object_or_404(
        ClassSession.objects.select_related("training_class"), pk=pk
    )
    is_member = ClassMembership.objects.filter(
        training_class_id=session.training_class_id, user=request.user
    ).exists()
    if not is_member and not can_manage_class(request.user, session.training_class):
        raise Http404
    if request.method == "POST":
        checks = {
            "check_in:address": client_ip(request),
            "check_in:session": session.pk,
        }
        refusal = throttle.refusal(checks)
        try:
            if refusal is not None:
                raise ValidationError(refusal.message, code="throttled")
            session_self_check_in(session=session, user=request.user, code=code)
        except ValidationError as error:
            if error.code == "expired_code":
                throttle.record(checks)
            messages.error(request, error.messages[0])
            return render(
                request,
                "classes/check_in.html",
                {"session": session, "code": "", "refused": True},
                status=429 if error.code == "throttled" else 400,
            )
        messages.success(
            request,
            _("You are checked in to “%(class)s”.")
            % {"class": session.training_class.name},
        )
        return redirect("courses:my_learning")
    return render(request, "classes/check_in.html", {"session": session, "code": code})


# Joining


def class_join_view(request):
    """“Tham gia lớp”: type the class code, or arrive here from its QR code."""
    form = JoinForm(request.POST or None, initial={"code": request.GET.get("ma", "")})
    if request.method == "POST":
        if not request.user.is_authenticated:
            # Come back with the typed code, so it need not be typed again.
            code = request.POST.get("code", "").strip()
            back = reverse("class_join")
            if code:
                back += "?" + urlencode({"ma": code})
            return redirect_to_login(back)
        checks = {"join:address": client_ip(request), "join:account": request.user.pk}
        refusal = throttle.refusal(checks)
        if refusal is not None:
            form.add_error(None, refusal.message)
            return render(request, "classes/join.html", {"form": form}, status=429)
        if form.is_valid():
            try:
                training_class = class_join(
                    join_code=form.cleaned_data["code"], user=request.user
                )
            except ValidationError as error:
                throttle.record(checks)
                form.add_error("code", error)
            else:
                messages.success(
                    request,
                    _("You have joined “%(class)s”.") % {"class": training_class.name},
                )
                return redirect("courses:my_learning")
    return render(request, "classes/join.html", {"form": form})


# Invitations


def _pending_invitations(user):
    return (
        ClassInvitation.objects.filter(user=user, status=ClassInvitation.Status.PENDING)
        .select_related("training_class", "training_class__organisation")
        .select_related("training_class__owner")
        .order_by("-created_at")
    )


@login_required
def invitations(request):
    """“Lời mời vào lớp”: the classes that asked me to join, to accept or not."""
    return render(
        request,
        "classes/invitations.html",
        {"invitations": _pending_invitations(request.user)},
    )


@login_required
@require_POST
def invitation_answer(request, pk):
    invitation = get_object_or_404(
        ClassInvitation.objects.select_related("training_class"),
        pk=pk,
        user=request.user,
    )
    accept = request.POST.get("answer") == "accept"
    try:
        class_invitation_answer(invitation=invitation, user=request.user, accept=accept)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("classes:invitations")
    name = invitation.training_class.name
    if accept:
        messages.success(request, _("You have joined “%(class)s”.") % {"class": name})
        return redirect("courses:my_learning")
    messages.info(
        request,
        _("You declined to join “%(class)s”. The class will not ask you again.")
        % {"class": name},
    )
    return redirect("classes:invitations")


# Login cards


def _cards_response(request, training_class, users) -> HttpResponse:
    claim_url = request.build_absolute_uri(reverse("users:claim"))
    cards = []
    for user in users:
        code = claim_code_issue(user=user, created_by=request.user)
        account_event_record(
            subject=user,
            kind=AccountEvent.Kind.CARD_ISSUED,
            actor=request.user,
            request=request,
            detail=training_class.name,
        )
        url = f"{claim_url}?ma={code}"
        cards.append(
            LoginCard(
                full_name=user.full_name,
                class_name=training_class.name,
                phone=user.phone_display,
                code=code,
                claim_url=claim_url,
                qr_uri=qr_data_uri(url),
            )
        )
    personal_data_export_record(
        actor=request.user,
        kind=PersonalDataExport.Kind.LOGIN_CARDS,
        people=len(cards),
        region=training_class.region,
        description=training_class.name,
        request=request,
    )
    response = HttpResponse(login_cards_pdf(cards), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        False, f"the-dang-nhap-lop-{training_class.pk}.pdf"
    )
    return response


def _class_for_cards(user, pk):
    """Return the class if the user may print its login cards (its teachers, the
    officials over its unit); 404 or 403 as ``class_for``."""
    training_class = class_for(user, pk)
    if not can_issue_login_cards(user, training_class):
        raise PermissionDenied
    return training_class


def _made_here(training_class):
    """Return the memberships whose account the class made, not claimed yet."""
    return [
        membership
        for membership in training_class.memberships.filter(
            created_account=True
        ).select_related("user")
        if membership.user.is_light
    ]


@login_required
@require_POST
def login_cards(request, pk):
    """Print login cards for every person without a password whose account the
    class made. Printing issues new codes: cards printed before stop working.
    A light account another class made gets its card from that class."""
    training_class = _class_for_cards(request.user, pk)
    users = sorted(
        (membership.user for membership in _made_here(training_class)),
        key=lambda user: (roll_order_key(user.full_name), user.pk),
    )
    elsewhere = sum(
        1
        for membership in training_class.memberships.filter(
            created_account=False
        ).select_related("user")
        if membership.user.is_light
    )
    if elsewhere:
        messages.info(
            request,
            _(
                "%(count)s people without a password were added by another "
                "class: their login card comes from that class's teacher."
            )
            % {"count": elsewhere},
        )
    if not users:
        messages.info(
            request,
            _("Everyone this class added has claimed their account already."),
        )
        return redirect(training_class)
    return _cards_response(request, training_class, users)


@login_required
@require_POST
def login_card_reissue(request, pk, user_pk):
    """Print a new card for one person the class added who lost theirs; the old
    code stops working."""
    training_class = _class_for_cards(request.user, pk)
    membership = get_object_or_404(
        training_class.memberships.select_related("user"), user_id=user_pk
    )
    if not membership.user.is_light:
        messages.info(request, _("This person already has a password."))
        return redirect(training_class)
    if not membership.created_account:
        messages.error(
            request,
            _(
                "Another class made this person's account: their login card "
                "comes from that class's teacher or from an official of its unit."
            ),
        )
        return redirect(training_class)
    return _cards_response(request, training_class, [membership.user])
