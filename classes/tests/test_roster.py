"""Roster import: preview checks every row; apply adds the valid ones."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tasks_db.models import DBTaskResult

from classes.models import ClassInvitation, ClassMembership, RosterImport
from classes.services import roster_import_apply, roster_import_preview
from core.spreadsheets import SpreadsheetError
from courses.models import Enrolment
from reports.models import EnrolmentDay
from reports.tasks import report_counts_refresh_task
from users.models import User
from users.tests.factories import UserFactory

from .conftest import upload
from .factories import TrainingClassFactory

pytestmark = pytest.mark.django_db


def preview(klass, teacher, name):
    return roster_import_preview(
        training_class=klass, upload=upload(name), actor=teacher
    )


def by_number(roster_import):
    return {row["number"]: row for row in roster_import.rows}


@pytest.mark.parametrize("name", ["good.xlsx", "good.csv", "utf16.csv"])
def test_good_rows_preview_as_new_and_save_nothing(klass, teacher, communes, name):
    """Five good rows are all new, communes matched without accents; no person is
    saved before the teacher applies."""
    people = User.objects.count()

    roster_import = preview(klass, teacher, name)

    assert [row["status"] for row in roster_import.rows] == ["new"] * 5
    rows = roster_import.rows
    # Row numbers as the spreadsheet shows them: the XLSX has a title row.
    assert rows[0]["number"] == (3 if name.endswith(".xlsx") else 2)
    assert rows[0]["phone"] == "+84912345678"
    assert rows[0]["date_of_birth"] == "2010-03-05"
    assert rows[0]["region_id"] == communes["dong_hung"].pk
    # "dong hung" is the one in the class's province, not Thái Bình's.
    assert rows[1]["region_id"] == communes["dong_hung"].pk
    assert rows[3]["region_id"] == communes["hien_nam"].pk
    assert User.objects.count() == people
    assert not ClassMembership.objects.exists()


def test_apply_creates_light_accounts_members_and_enrolments(klass, teacher, communes):
    """Applying adds every row as a member enrolled in the class's course; people
    created have no password."""
    roster_import = preview(klass, teacher, "good.xlsx")

    result = roster_import_apply(roster_import=roster_import, actor=teacher)

    assert (result.added, result.created, result.matched, result.skipped) == (
        5,
        5,
        0,
        0,
    )
    lan = User.objects.get(phone="+84912345678")
    assert lan.full_name == "Nguyễn Thị Lan"
    assert lan.is_light is True
    assert lan.home_region == communes["dong_hung"]
    assert lan.kind == klass.audience_kind
    membership = ClassMembership.objects.get(user=lan)
    assert (membership.group_label, membership.source) == ("10A1", "roster")
    assert Enrolment.objects.filter(course__in=klass.courses.all()).count() == 5
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.APPLIED


def test_applying_twice_or_the_same_file_again_adds_nobody_twice(
    klass, teacher, communes
):
    """The same import applied twice, and the same file imported again, leave
    five members and five people."""
    first = preview(klass, teacher, "good.csv")
    roster_import_apply(roster_import=first, actor=teacher)
    roster_import_apply(roster_import=first, actor=teacher)

    second = preview(klass, teacher, "good.csv")
    assert [row["status"] for row in second.rows] == ["match"] * 5
    result = roster_import_apply(roster_import=second, actor=teacher)

    assert (result.added, result.matched, result.created) == (0, 5, 0)
    assert ClassMembership.objects.filter(training_class=klass).count() == 5
    assert User.objects.filter(full_name="Phạm Thu Hà").count() == 1


def test_a_person_with_a_password_is_invited_and_left_unchanged(
    klass, teacher, communes
):
    """A phone already known names that person; someone with a password of their
    own is invited, not added, and nothing of theirs changes, fill blanks or
    not."""
    known = UserFactory(
        full_name="Nguyễn Thị Lan (đã có)", phone="+84912345678", email=""
    )
    roster_import = preview(klass, teacher, "good.csv")
    row = by_number(roster_import)[2]
    assert (row["status"], row["account"]) == ("match", "invite")

    result = roster_import_apply(
        roster_import=roster_import, fill_blanks=True, actor=teacher
    )

    known.refresh_from_db()
    assert known.full_name == "Nguyễn Thị Lan (đã có)"
    assert known.date_of_birth is None
    assert known.home_region is None
    assert known.has_usable_password() is True
    assert not ClassMembership.objects.filter(user=known).exists()
    assert not Enrolment.objects.filter(user=known).exists()
    invitation = ClassInvitation.objects.get(user=known)
    assert (invitation.training_class, invitation.status) == (klass, "pending")
    assert (invitation.invited_by, invitation.group_label) == (teacher, "10A1")
    assert (result.added, result.created, result.invited) == (4, 4, 1)


def test_fill_blanks_fills_only_empty_fields_of_accounts_this_class_made(
    klass, teacher, communes
):
    """Blanks are filled only in a light account the class's own roster made and
    nobody has claimed; a light account made elsewhere is added as it is."""
    other_class = TrainingClassFactory(owner=UserFactory())
    elsewhere = UserFactory(full_name="Bình", phone="+84987654321")
    elsewhere.set_unusable_password()
    elsewhere.save()
    ClassMembership.objects.create(
        training_class=other_class,
        user=elsewhere,
        source=ClassMembership.Source.ROSTER,
        created_account=True,
    )
    first = roster_import_preview(
        training_class=klass,
        upload=SimpleUploadedFile(
            "lan.csv", "Họ và tên,Số điện thoại\nLan,0912345678".encode()
        ),
        actor=teacher,
    )
    roster_import_apply(roster_import=first, actor=teacher)
    lan = User.objects.get(phone="+84912345678")
    assert ClassMembership.objects.get(user=lan).created_account is True

    second = preview(klass, teacher, "good.csv")
    rows = by_number(second)
    assert (rows[2]["account"], rows[3]["account"]) == ("own", "light")
    roster_import_apply(roster_import=second, fill_blanks=True, actor=teacher)

    lan.refresh_from_db()
    assert lan.full_name == "Lan"
    assert lan.date_of_birth.isoformat() == "2010-03-05"
    assert lan.home_region == communes["dong_hung"]
    elsewhere.refresh_from_db()
    assert (elsewhere.full_name, elsewhere.date_of_birth) == ("Bình", None)
    assert elsewhere.home_region is None
    membership = ClassMembership.objects.get(user=elsewhere, training_class=klass)
    assert membership.created_account is False


def test_other_details_of_an_existing_person_are_not_errors(klass, teacher, communes):
    """A row naming someone already registered, with another email, a commune
    that matches nothing or a date that is not one, is not in error: those
    details will not be used."""
    UserFactory(phone="+84912345678", email="lan@example.com")
    UserFactory(email="someone@example.com")
    file = SimpleUploadedFile(
        "known.csv",
        (
            "Họ và tên,Số điện thoại,Ngày sinh,Xã/Phường,Email\n"
            "Lan,0912345678,31/02/2010,Xã Không Có,someone@example.com\n"
        ).encode(),
    )
    row = roster_import_preview(training_class=klass, upload=file, actor=teacher).rows[
        0
    ]

    assert (row["status"], row["account"], row["errors"]) == ("match", "invite", {})


def test_bad_rows_are_reported_by_row_and_field(klass, teacher, communes):
    """Duplicate, malformed phones, unknown and ambiguous communes, a missing name
    and an impossible date are each reported on their row and field."""
    rows = by_number(preview(klass, teacher, "mixed.csv"))

    assert rows[2]["status"] == "new"
    assert rows[3]["errors"] == {"phone": "Số điện thoại này đã có ở dòng 2."}
    assert set(rows[4]["errors"]) == {"phone"}
    assert set(rows[5]["errors"]) == {"phone"}
    assert rows[6]["errors"] == {
        "commune": "Không tìm thấy xã, phường nào tên “Xã Không Có”."
    }
    ambiguous = rows[7]["errors"]["commune"]
    assert "Xã Tân Tiến (Tỉnh Bắc Giang)" in ambiguous
    assert "Xã Tân Tiến (Tỉnh Thái Bình)" in ambiguous
    assert rows[8]["errors"] == {"full_name": "Thiếu họ và tên."}
    assert set(rows[9]["errors"]) == {"date_of_birth"}
    assert rows[10]["status"] == "new"
    assert [n for n, row in rows.items() if row["status"] == "error"] == [
        3,
        4,
        5,
        6,
        7,
        8,
        9,
    ]


def test_apply_valid_rows_skips_the_rest(klass, teacher, communes):
    roster_import = preview(klass, teacher, "mixed.csv")

    result = roster_import_apply(roster_import=roster_import, actor=teacher)

    assert (result.added, result.skipped) == (2, 7)
    assert set(klass.memberships.values_list("user__full_name", flat=True)) == {
        "Nguyễn Thị Lan",
        "Vũ Văn Hải",
    }


def test_all_or_nothing_applies_nothing_when_a_row_is_wrong(klass, teacher, communes):
    roster_import = preview(klass, teacher, "mixed.csv")
    people = User.objects.count()

    with pytest.raises(ValidationError, match="Có 7 dòng bị lỗi nên chưa thêm ai"):
        roster_import_apply(
            roster_import=roster_import, all_or_nothing=True, actor=teacher
        )

    assert User.objects.count() == people
    assert not klass.memberships.exists()
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.PREVIEWED


def test_import_never_removes_people_not_in_the_file(klass, teacher, communes, student):
    roster_import_apply(
        roster_import=preview(klass, teacher, "good.csv"), actor=teacher
    )

    assert klass.memberships.filter(user=student).exists()
    assert klass.memberships.count() == 6


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("zip_bomb.xlsx", "xlsx_too_large_unpacked"),
        ("external_entity.xlsx", "xlsx_xml_declarations"),
        ("rows_10000.csv", "too_many_rows"),
    ],
)
def test_hostile_files_are_refused_before_any_row_is_read(klass, teacher, name, code):
    """A zip bomb, an XLSX with an external entity and a file of 10,000 rows are
    refused with the reason, and no import is kept."""
    with pytest.raises(SpreadsheetError) as caught:
        preview(klass, teacher, name)

    assert caught.value.code == code
    assert not RosterImport.objects.exists()


def test_an_email_of_someone_else_or_twice_in_the_file_is_flagged(
    klass, teacher, communes
):
    UserFactory(email="chau@example.com")
    rows = by_number(preview(klass, teacher, "good.csv"))

    assert rows[4]["errors"] == {"email": "Email này thuộc về một tài khoản khác."}


def test_a_roster_of_1000_rows_is_applied_in_bulk(
    klass, teacher, communes, django_assert_max_num_queries, settings
):
    """A thousand new people take a few dozen queries, not several per row."""
    lines = ["Họ và tên,Số điện thoại,Lớp,Xã/Phường"]
    lines += [f"Học viên {n},09{n:08d},10A{n % 5},dong hung" for n in range(1000)]
    file = SimpleUploadedFile("1000.csv", "\n".join(lines).encode())
    roster_import = roster_import_preview(
        training_class=klass, upload=file, actor=teacher
    )

    # SQLite takes at most 999 parameters per INSERT: a thousand enrolments of
    # nine columns are ten statements there (two on PostgreSQL), a thousand
    # people of twenty-three columns twenty-two, a thousand memberships of seven
    # (the class that made the account among them) seven. Background work is
    # queued, as on a site.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_assert_max_num_queries(62):
        result = roster_import_apply(roster_import=roster_import, actor=teacher)

    # A worker then counts the new enrolments by day into the reports: one
    # task, and one statement per table, not per row.
    (queued,) = DBTaskResult.objects.filter(
        task_path=report_counts_refresh_task.module_path
    )
    with django_assert_max_num_queries(10):
        report_counts_refresh_task.call(*queued.args_kwargs["args"])
    assert sum(EnrolmentDay.objects.values_list("enrolments", flat=True)) == 1000

    assert (result.added, result.created) == (1000, 1000)
    assert klass.memberships.count() == 1000
    assert Enrolment.objects.filter(course__in=klass.courses.all()).count() == 1000
