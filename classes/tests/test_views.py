"""The teacher's and the learner's pages, as they use them."""

import datetime
import io
import re
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from pytest_django.asserts import assertContains, assertRedirects

from classes import checkin
from classes.models import Attendance, ClassMembership, RosterImport, TrainingClass
from core.testing import vi
from regions.tests.factories import CommuneFactory
from users.models import ClaimCode, User
from users.services import light_user_create
from users.tests.factories import PASSWORD, UserFactory

from .conftest import upload
from .factories import ClassSessionFactory

pytestmark = pytest.mark.django_db


def test_teacher_creates_a_class(client, teacher, organisation, course):
    co = UserFactory(phone="+84911000222")
    co.groups.add(*teacher.groups.all())
    client.force_login(teacher)

    response = client.post(
        reverse("classes:create"),
        {
            "name": "Lớp DVCTT tháng 9",
            "organisation": organisation.pk,
            "courses": [course.pk],
            "mode": "in_person",
            "starts_on": "2026-09-01",
            "ends_on": "2026-09-30",
            "audience_kind": "student",
            "co_teacher_phones": "0911 000 222",
        },
    )

    training_class = TrainingClass.objects.get()
    assertRedirects(response, training_class.get_absolute_url())
    assert training_class.owner == teacher
    assert list(training_class.co_teachers.all()) == [co]
    page = client.get(training_class.get_absolute_url())
    assertContains(page, training_class.join_code)
    assertContains(page, "<svg")


def test_class_region_defaults_to_the_organisation_or_is_typed(
    client, teacher, organisation, course, communes
):
    """Left empty, the class counts in its organisation's unit; typed without
    accents, it counts in the commune named; an ambiguous name is not guessed."""
    client.force_login(teacher)
    data = {
        "name": "Lớp",
        "organisation": organisation.pk,
        "courses": [course.pk],
        "mode": "online",
        "starts_on": "2026-09-01",
        "ends_on": "2026-09-30",
        "audience_kind": "citizen",
    }
    client.post(reverse("classes:create"), data)
    client.post(reverse("classes:create"), {**data, "commune_query": "hien nam"})
    ambiguous = client.post(
        reverse("classes:create"), {**data, "commune_query": "tan tien"}
    )

    regions = list(
        TrainingClass.objects.order_by("pk").values_list("region", flat=True)
    )
    assert regions == [organisation.region.pk, communes["hien_nam"].pk]
    assert ambiguous.status_code == 200
    assert len(ambiguous.context["form"].commune_choices) == 2


def test_suggested_communes_carry_ids_without_separators(client, teacher, hung_yen):
    """A commune with id 12345 is offered as value 12345, which the form takes."""
    CommuneFactory(id=12345, parent=hung_yen, name="Xã Tân Tiến")
    CommuneFactory(parent=hung_yen, name="Xã Tân Tiến Mới")
    client.force_login(teacher)

    response = client.get(reverse("regions:commune_search") + "?q=tan tien")

    assertContains(response, 'value="12345"')


def test_roster_upload_preview_then_apply(client, teacher, klass, communes):
    client.force_login(teacher)

    response = client.post(
        reverse("classes:roster_upload", args=[klass.pk]),
        {"file": upload("mixed.csv")},
    )
    roster_import = RosterImport.objects.get()
    preview_url = reverse("classes:roster_preview", args=[klass.pk, roster_import.pk])
    assertRedirects(response, preview_url)
    assert not klass.memberships.exists()
    page = client.get(preview_url)
    assertContains(page, "Số điện thoại này đã có ở dòng 2.")
    assertContains(page, "Xã Tân Tiến (Tỉnh Bắc Giang)")

    response = client.post(preview_url, {"all_or_nothing": "on"})
    assert response.status_code == 200
    assert not klass.memberships.exists()

    response = client.post(preview_url, {})
    assertRedirects(response, klass.get_absolute_url())
    assert klass.memberships.count() == 2


def test_the_roster_template_is_read_by_the_import(client, teacher, klass):
    """The empty roster a teacher downloads has the headers the import reads:
    sent back untouched, it is refused only for having no rows."""
    client.force_login(teacher)
    template = client.get(reverse("classes:roster_template", args=[klass.pk]))

    response = client.post(
        reverse("classes:roster_upload", args=[klass.pk]),
        {"file": SimpleUploadedFile("mau.xlsx", template.content)},
    )

    assert response.status_code == 200
    assert response.context["form"].errors.as_data()["file"][0].code == "no_rows"
    assert not RosterImport.objects.exists()


def test_an_unreadable_roster_is_refused_on_the_file_field(client, teacher, klass):
    client.force_login(teacher)

    response = client.post(
        reverse("classes:roster_upload", args=[klass.pk]),
        {"file": upload("zip_bomb.xlsx")},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not RosterImport.objects.exists()


def test_one_tap_marks_attendance_and_answers_htmx_with_the_row(
    client, teacher, klass, student
):
    session = ClassSessionFactory(training_class=klass)
    client.force_login(teacher)
    url = reverse("classes:attendance_mark", args=[session.pk, student.pk])

    response = client.post(url, {"status": "late"}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assertContains(response, f'id="roll-{student.pk}"')
    assertContains(response, 'status-button--late is-on"')
    assertContains(response, 'id="session-counts" hx-swap-oob="true"')
    assertContains(response, "1 lượt, 1 người.")
    assert Attendance.objects.get().status == "late"


def test_row_ids_are_not_written_with_thousands_separators(client, teacher, klass):
    """Vietnamese writes 12345 as 12.345; an element id must stay 12345."""
    learner = UserFactory(id=12345)
    ClassMembership.objects.create(training_class=klass, user=learner, source="teacher")
    session = ClassSessionFactory(training_class=klass)
    client.force_login(teacher)

    response = client.get(session.get_absolute_url())

    assertContains(response, 'id="roll-12345"')
    assertContains(response, 'hx-target="#roll-12345"')


def test_walk_in_at_the_door(client, teacher, klass):
    session = ClassSessionFactory(training_class=klass)
    client.force_login(teacher)

    response = client.post(
        reverse("classes:walk_in", args=[session.pk]),
        {"full_name": "Bà Nguyễn Thị Tư", "phone": "0912 000 333"},
    )

    assertRedirects(response, session.get_absolute_url())
    user = User.objects.get(phone="+84912000333")
    assert user.is_light is True
    assert Attendance.objects.get(user=user).status == "present"


def test_walk_in_with_a_bad_phone_is_refused_on_the_field(client, teacher, klass):
    session = ClassSessionFactory(training_class=klass)
    client.force_login(teacher)

    response = client.post(
        reverse("classes:walk_in", args=[session.pk]),
        {"full_name": "Bà Tư", "phone": "12"},
    )

    assert response.status_code == 400
    assert response.context["walk_in_form"].errors["phone"]


NOW = 1_790_000_000.0


def test_learner_checks_in_with_the_current_code(client, klass, student):
    session = ClassSessionFactory(training_class=klass)
    learner = student
    client.force_login(learner)
    code = checkin.checkin_code(session.pk, checkin.current_window(NOW))

    with mock.patch("classes.checkin.time.time", return_value=NOW + 20):
        response = client.post(
            reverse("classes:check_in", args=[session.pk]), {"ma": code}
        )

    assertRedirects(
        response, reverse("courses:my_learning"), fetch_redirect_response=False
    )
    assert Attendance.objects.get(user=learner).source == "self_check_in"
    assert ClassMembership.objects.filter(user=learner, training_class=klass).exists()


def test_an_old_check_in_code_is_refused(client, klass, student):
    session = ClassSessionFactory(training_class=klass)
    client.force_login(student)
    code = checkin.checkin_code(session.pk, checkin.current_window(NOW))

    with mock.patch("classes.checkin.time.time", return_value=NOW + 90):
        response = client.post(
            reverse("classes:check_in", args=[session.pk]), {"ma": code}
        )

    assert response.status_code == 400
    assertContains(response, "Mã điểm danh này đã hết hạn", status_code=400)
    assert not Attendance.objects.exists()


def test_check_in_asks_a_visitor_to_log_in_or_ask_the_teacher(client, klass):
    session = ClassSessionFactory(training_class=klass)

    response = client.get(reverse("classes:check_in", args=[session.pk]) + "?ma=123456")

    assertContains(response, "nhờ thầy cô điểm danh giúp")
    assert not Attendance.objects.exists()


def test_checkin_screen_shows_the_code_of_the_moment(client, teacher, klass):
    session = ClassSessionFactory(training_class=klass)
    client.force_login(teacher)

    with mock.patch("classes.checkin.time.time", return_value=NOW):
        response = client.get(
            reverse("classes:checkin_screen", args=[session.pk]),
            headers={"HX-Request": "true"},
        )

    assertContains(
        response, checkin.checkin_code(session.pk, checkin.current_window(NOW))
    )
    assertContains(response, 'hx-trigger="every 5s"')
    assert response["Cache-Control"] == "no-store"


def test_student_joins_with_the_code(client, klass, course):
    learner = UserFactory()
    client.force_login(learner)

    page = client.get(reverse("class_join") + f"?ma={klass.join_code}")
    assertContains(page, klass.join_code)
    response = client.post(reverse("class_join"), {"code": klass.join_code.lower()})

    assertRedirects(response, reverse("courses:my_learning"))
    assert ClassMembership.objects.get(user=learner).training_class == klass


def test_joining_before_logging_in_keeps_the_code(client, klass):
    """A visitor who types the code before logging in comes back to it filled in."""
    response = client.post(reverse("class_join"), {"code": klass.join_code})

    back = reverse("class_join") + f"?ma={klass.join_code}"
    location = urlsplit(response["Location"])
    assert response.status_code == 302
    assert location.path == reverse("users:login")
    assert parse_qs(location.query)["next"] == [back]
    assertContains(client.get(back), klass.join_code)


def test_a_wrong_join_code_is_shown_on_the_field(client, klass):
    client.force_login(UserFactory())

    response = client.post(reverse("class_join"), {"code": "ABCDEFGH"})

    assert response.status_code == 200
    assert "Không có lớp nào có mã này" in response.context["form"].errors["code"][0]


def test_progress_export_is_an_xlsx_that_runs_no_formula(client, teacher, klass):
    evil = UserFactory(full_name='=HYPERLINK("http://x")')
    ClassMembership.objects.create(
        training_class=klass, user=evil, source="teacher", group_label="+10A1"
    )
    client.force_login(teacher)

    response = client.get(reverse("classes:progress_export", args=[klass.pk]))

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == klass.name
    header = rows.index(next(r for r in rows if r and r[0] == "Họ và tên"))
    learner = rows[header + 1]
    cell = sheet.cell(row=header + 2, column=1)
    assert learner[0] == '=HYPERLINK("http://x")'
    assert cell.data_type == "s"
    assert cell.quotePrefix is True


def test_login_cards_and_claiming_an_account(client, teacher, klass):
    light = light_user_create(full_name="Em Lê Văn Nhỏ")
    ClassMembership.objects.create(
        training_class=klass, user=light, source="roster", created_account=True
    )
    client.force_login(teacher)

    with mock.patch("users.services.new_code", return_value="ABCDE23456"):
        response = client.post(reverse("classes:login_cards", args=[klass.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert ClaimCode.objects.filter(user=light, used_at__isnull=True).count() == 1

    client.logout()
    response = client.post(
        reverse("users:claim"),
        {
            "code": "abcde 23456",
            "phone": "0912 555 666",
            "password1": "hoc-tap-so-2025",
            "password2": "hoc-tap-so-2025",
            "consent": "on",
        },
    )

    assert response.status_code == 302, response.context["form"].errors
    light.refresh_from_db()
    assert light.has_usable_password() is True
    assert light.phone == "+84912555666"
    again = client.post(
        reverse("users:claim"),
        {
            "code": "ABCDE23456",
            "phone": "",
            "password1": "x-khac-2025-abc",
            "password2": "x-khac-2025-abc",
            "consent": "on",
        },
    )
    assertContains(again, "Mã này không đúng hoặc đã được dùng")


def test_reissuing_a_card_invalidates_the_old_code(client, teacher, klass):
    light = light_user_create(full_name="Em Mất Thẻ", phone="+84912555777")
    ClassMembership.objects.create(
        training_class=klass, user=light, source="roster", created_account=True
    )
    client.force_login(teacher)
    url = reverse("classes:login_card_reissue", args=[klass.pk, light.pk])
    with mock.patch("users.services.new_code", return_value="OLDCODE234"):
        client.post(url)
    with mock.patch("users.services.new_code", return_value="NEWCODE234"):
        client.post(url)
    client.logout()

    old = client.post(
        reverse("users:claim"),
        {
            "code": "OLDCODE234",
            "phone": "0912555777",
            "password1": "hoc-tap-so-2025",
            "password2": "hoc-tap-so-2025",
            "consent": "on",
        },
    )
    wrong_phone = client.post(
        reverse("users:claim"),
        {
            "code": "NEWCODE234",
            "phone": "0912555000",
            "password1": "hoc-tap-so-2025",
            "password2": "hoc-tap-so-2025",
            "consent": "on",
        },
    )

    assertContains(old, "Mã này không đúng hoặc đã được dùng")
    assertContains(wrong_phone, "Số điện thoại không khớp")
    light.refresh_from_db()
    assert light.is_light is True
    assert re.fullmatch(r"[0-9a-f]{64}", ClaimCode.objects.get(user=light).code_hash)


def test_class_page_of_40_learners_in_a_fixed_number_of_queries(
    client, teacher, klass, django_assert_max_num_queries
):
    """The progress page asks the database no question per learner."""
    users = User.objects.bulk_create(
        [User(username=f"hv{n}", full_name=f"Học viên {n}") for n in range(40)]
    )
    ClassMembership.objects.bulk_create(
        [ClassMembership(training_class=klass, user=u, source="roster") for u in users]
    )
    ClassSessionFactory(training_class=klass)
    client.force_login(teacher)

    # Fifteen, and one for the names of the people invited and not in yet.
    with django_assert_max_num_queries(16):
        response = client.get(klass.get_absolute_url())

    assert len(response.context["progress"].learners) == 40


def test_checkin_screen_is_full_screen(client, teacher, klass):
    """The check-in page shows the code alone, without the site's menu."""
    session = ClassSessionFactory(training_class=klass)
    client.force_login(teacher)

    response = client.get(reverse("classes:checkin_screen", args=[session.pk]))

    assertContains(response, 'class="checkin-screen"')
    assert b"site-header" not in response.content


def test_a_session_outside_the_class_dates_is_refused_on_its_day(client, klass):
    """The class's report counts its sessions between its dates: a session on
    another day is refused with the class's dates, on the date field, and
    nothing is saved."""
    client.force_login(klass.owner)
    day = klass.ends_on + datetime.timedelta(days=1)
    response = client.post(
        reverse("classes:session_create", args=[klass.pk]),
        {"day": day.isoformat(), "start": "14:00", "end": "15:30"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["day"] == [
        vi(
            "The class runs from %(start)s to %(end)s: the session must start on "
            "one of those days.",
            start=klass.starts_on.strftime("%d/%m/%Y"),
            end=klass.ends_on.strftime("%d/%m/%Y"),
        )
    ]
    assert not klass.sessions.exists()
    inside = client.post(
        reverse("classes:session_create", args=[klass.pk]),
        {"day": klass.ends_on.isoformat(), "start": "14:00", "end": "15:30"},
    )
    assert inside.status_code == 302
    assert klass.sessions.count() == 1


def test_a_teacher_lands_on_their_classes_after_login(client, teacher):
    teacher.phone = "+84987654321"
    teacher.set_password("hoc-dvc-2025")
    teacher.save()
    response = client.post(
        reverse("users:login"), {"username": "0987654321", "password": "hoc-dvc-2025"}
    )
    assertRedirects(response, reverse("classes:list"), fetch_redirect_response=False)


def test_a_learner_still_lands_on_their_learning(client):
    learner = UserFactory(phone="+84912000111")
    response = client.post(
        reverse("users:login"), {"username": "0912000111", "password": PASSWORD}
    )
    assertRedirects(
        response, reverse("courses:my_learning"), fetch_redirect_response=False
    )
    assert client.session["_auth_user_id"] == str(learner.pk)
