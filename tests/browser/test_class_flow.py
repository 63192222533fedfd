"""A teacher's class, on a cheap phone: from a new class to a learner joining it.

Cô Mai creates a class, imports a roster of 43 rows (3 of them wrong), adds
the 40 good ones, schedules a session and marks attendance with one tap per
learner; then a student who already has an account joins with the class code.
"""

import datetime
import re

import pytest
from django.utils import timezone
from openpyxl import Workbook
from playwright.sync_api import Page, expect

from classes.models import (
    Attendance,
    AttendanceStatus,
    ClassMembership,
    ClassSession,
    RosterImport,
    TrainingClass,
)
from tests.browser.phone import assert_no_horizontal_scroll, header_link, log_in
from tests.content import (
    build_communes,
    build_learner,
    build_organisation,
    build_teacher,
)
from users.models import ClaimCode, LearnerKind, User

TEACHER_PHONE = "0912 000 111"
TEACHER_PASSWORD = "day-hoc-2025"
STUDENT_PHONE = "0987 654 321"
STUDENT_PASSWORD = "hoc-dvc-2025"
CLASS_NAME = "Lớp 10A1 Dịch vụ công"

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"]
GIVEN = ["Văn An", "Thị Bích", "Minh Châu", "Thu Hà", "Quốc Huy"]
# The commune as teachers type it: in full, bare, or without accents.
COMMUNE_SPELLINGS = [
    ("Xã Đông Hưng", "Xã Đông Hưng"),
    ("dong hung", "Xã Đông Hưng"),
    ("Phường Hiến Nam", "Phường Hiến Nam"),
    ("hien nam", "Phường Hiến Nam"),
    ("Tiên Lữ", "Xã Tiên Lữ"),
    ("xa tien lu", "Xã Tiên Lữ"),
    ("", None),
]
# The spreadsheet's rows: the header is row 1, the first person row 2.
BAD_PHONE_ROW = 9
DUPLICATE_ROW = 22
DUPLICATED_ROW = 6
UNKNOWN_COMMUNE_ROW = 37


def phone_of(n: int) -> str:
    return f"0903 {n // 1000:03d} {n % 1000:03d}"


def write_roster(path):
    """Write a roster of 43 rows, the 3 BAD rows among 40 good ones, and return
    {row number: (full name, commune name or None)} of the good ones."""
    book = Workbook()
    sheet = book.active
    sheet.append(["STT", "Họ và tên", "Số điện thoại", "Ngày sinh", "Lớp", "Xã/Phường"])
    good = {}
    for index in range(43):
        number = index + 2
        name = f"{FAMILY[index % len(FAMILY)]} {GIVEN[index % len(GIVEN)]} {index + 1}"
        phone = phone_of(100 + index)
        typed, commune = COMMUNE_SPELLINGS[index % len(COMMUNE_SPELLINGS)]
        if number == BAD_PHONE_ROW:
            phone = "0912 34"
        elif number == DUPLICATE_ROW:
            phone = phone_of(100 + DUPLICATED_ROW - 2)
        elif number == UNKNOWN_COMMUNE_ROW:
            typed = "Xã Không Có Thật"
        else:
            good[number] = (name, commune)
        group = "10A1" if index % 2 else "10A2"
        born = f"{index % 28 + 1:02d}/0{index % 9 + 1}/2010"
        sheet.append([index + 1, name, phone, born, group, typed])
    book.save(path)
    return good


def tap(page: Page, learner: User, status: str, counts: str) -> None:
    """Tap a learner's status button; the row and the counts change in place."""
    url = page.url
    row = page.locator(f"#roll-{learner.pk}")
    row.locator(f"button[value={status}]").click()
    expect(row.locator(f"button[value={status}]")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(row.locator("button[aria-pressed=true]")).to_have_count(1)
    expect(page.locator("#session-counts")).to_have_text(counts)
    assert page.url == url, "marking attendance should not leave the roll"


@pytest.mark.browser
def test_teacher_runs_a_class_and_a_student_joins_with_the_code(
    new_phone, site_home, course, place, tmp_path
):
    """At 360px: create a class, import 40 of 43 roster rows, mark attendance at
    a session, and see a student join with the code (41 learners)."""
    hien_nam, tien_lu = build_communes(place, ["Phường Hiến Nam", "Xã Tiên Lữ"])
    teacher = build_teacher(place=place, phone=TEACHER_PHONE, password=TEACHER_PASSWORD)
    organisation = build_organisation(place=place)
    student = build_learner(
        place=place,
        phone=STUDENT_PHONE,
        password=STUDENT_PASSWORD,
        full_name="Lò Thị Sen",
        kind=LearnerKind.STUDENT,
    )
    roster_file = tmp_path / "danh-sach-10A1.xlsx"
    good_rows = write_roster(roster_file)
    assert len(good_rows) == 40

    page = new_phone().new_page()
    log_in(page, TEACHER_PHONE, TEACHER_PASSWORD, "/lop-hoc/")

    # A new class.
    expect(page.locator("h1")).to_have_text("Lớp học")
    page.locator("a[href='/lop-hoc/tao-moi/']").click()
    form = page.locator("form.form")
    form.locator("input[name=name]").fill(CLASS_NAME)
    form.locator("select[name=organisation]").select_option(label=organisation.name)
    form.get_by_label(course.page.title).check()
    form.locator("select[name=mode]").select_option("in_person")
    # The class began last week; its first session was yesterday.
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    starts_on = today - datetime.timedelta(days=7)
    form.locator("input[name=starts_on]").fill(starts_on.isoformat())
    form.locator("input[name=ends_on]").fill(
        (today + datetime.timedelta(days=30)).isoformat()
    )
    assert_no_horizontal_scroll(page)
    form.locator("button[type=submit]").click()

    expect(page.locator(".messages")).to_contain_text("Đã tạo lớp.")
    expect(page.locator("h1")).to_have_text(CLASS_NAME)
    training_class = TrainingClass.objects.get()
    class_url = f"/lop-hoc/{training_class.pk}/"
    expect(page).to_have_url(re.compile(re.escape(class_url) + "$"))
    join = page.locator(".join-code")
    expect(join).to_contain_text("Mã tham gia lớp")
    expect(join.locator(".join-code__code")).to_have_text(training_class.join_code)
    expect(join.locator(".qr svg")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Chưa có ai tham gia.")
    assert_no_horizontal_scroll(page)

    # The roster: checked first, nothing saved until applied.
    page.get_by_role("link", name="Nhập danh sách học viên").click()
    page.locator("input[name=file]").set_input_files(roster_file)
    page.get_by_role("button", name="Kiểm tra tệp").click()
    expect(page.locator("h1")).to_have_text("Kiểm tra danh sách")
    summary = page.locator(".roster-summary")
    expect(summary).to_contain_text("40 người mới")
    expect(summary).to_contain_text("0 người đã có tài khoản")
    expect(summary).to_contain_text("3 dòng có lỗi")
    expect(page.locator(".roster-row--new")).to_have_count(40)
    errors = page.locator(".roster-row--error")
    expect(errors).to_have_count(3)
    expected_errors = [
        (BAD_PHONE_ROW, "Số điện thoại di động:", "gồm 10 chữ số"),
        (
            DUPLICATE_ROW,
            "Số điện thoại di động:",
            f"Số điện thoại này đã có ở dòng {DUPLICATED_ROW}.",
        ),
        (UNKNOWN_COMMUNE_ROW, "Xã/Phường:", "Không tìm thấy xã, phường nào tên"),
    ]
    for row, (number, field, message) in zip(
        errors.all(), expected_errors, strict=True
    ):
        expect(row.locator(".roster-row__number")).to_have_text(f"Dòng {number}")
        expect(row.locator(".row-errors li")).to_have_count(1)
        expect(row.locator(".row-errors strong")).to_have_text(field)
        expect(row.locator(".row-errors")).to_contain_text(message)
    # Each good row says the unit and the birth date it was read as.
    resolved = page.locator(".roster-row--new .roster-row__resolved")
    expect(resolved.nth(0)).to_have_text(
        "Xã/phường: Xã Đông Hưng (Tỉnh Hưng Yên) · Ngày sinh: 01/01/2010"
    )
    expect(resolved.nth(3)).to_have_text(
        "Xã/phường: Phường Hiến Nam (Tỉnh Hưng Yên) · Ngày sinh: 04/04/2010"
    )
    # The row without a commune says only the birth date.
    expect(resolved.nth(6)).to_have_text("Ngày sinh: 07/07/2010")
    assert not ClassMembership.objects.exists()
    assert_no_horizontal_scroll(page)

    page.get_by_role("button", name="Thêm các dòng hợp lệ").click()
    expect(page).to_have_url(re.compile(re.escape(class_url) + "$"))
    expect(page.locator(".messages")).to_contain_text(
        "Đã thêm 40 người vào lớp (40 người mới, 0 người đã có tài khoản); "
        "bỏ qua 3 dòng."
    )
    expect(page.locator("table.table tbody tr")).to_have_count(40)
    first_name, _commune = good_rows[2]
    expect(page.locator("table.table tbody")).to_contain_text(first_name)

    # A session, and its roll.
    page.get_by_role("link", name="Lên lịch buổi học").click()
    form = page.locator("form.form")
    form.locator("input[name=title]").fill("Buổi 1: Tạo tài khoản")
    form.locator("input[name=day]").fill(yesterday.isoformat())
    form.locator("input[name=start]").fill("08:00")
    form.locator("input[name=end]").fill("10:00")
    form.locator("input[name=place]").fill("Phòng máy tầng 2")
    # Date, time and link fields are full-size tap targets.
    for name in ("day", "start", "end", "online_url"):
        box = form.locator(f"input[name={name}]").bounding_box()
        assert box["height"] >= 44, f"the {name} field is {box['height']}px tall"
    form.get_by_role("button", name="Lưu buổi học").click()
    session = ClassSession.objects.get()
    expect(page).to_have_url(re.compile(rf"/lop-hoc/buoi-hoc/{session.pk}/$"))
    expect(page.locator("h1")).to_contain_text("Buổi 1: Tạo tài khoản")
    expect(page.locator("#session-counts")).to_have_text("0 lượt, 0 người.")
    expect(page.locator(".roll__row")).to_have_count(40)

    members = list(
        User.objects.filter(class_memberships__training_class=training_class).order_by(
            "full_name"
        )
    )
    first, second, third, fourth = members[:4]
    tap(page, first, "present", "1 lượt, 1 người.")
    tap(page, second, "late", "2 lượt, 2 người.")
    tap(page, third, "absent", "2 lượt, 2 người.")
    # A change of mind: the absent learner came after all, and one left.
    tap(page, third, "late", "3 lượt, 3 người.")
    tap(page, fourth, "present", "4 lượt, 4 người.")
    tap(page, fourth, "absent", "3 lượt, 3 người.")
    assert_no_horizontal_scroll(page)
    # The rows line up: every row's buttons start at the same place, whatever
    # the length of the name.
    lefts = set()
    for row in page.locator(".roll__row").all():
        name = row.locator(".roll__name").bounding_box()
        buttons = row.locator(".roll__buttons").bounding_box()
        # Beside the name, not wrapped under it.
        assert buttons["y"] < name["y"] + name["height"], row.inner_text()
        lefts.add(round(buttons["x"]))
    assert len(lefts) == 1, f"the rows' buttons start at {sorted(lefts)}"
    page.screenshot(path=tmp_path / "attendance.png", full_page=False)
    page.screenshot(path=tmp_path / "attendance-full.png", full_page=True)

    # The marks are kept: a reload shows them.
    page.reload()
    expect(page.locator("#session-counts")).to_have_text("3 lượt, 3 người.")
    for learner, status in [
        (first, "present"),
        (second, "late"),
        (third, "late"),
        (fourth, "absent"),
    ]:
        expect(
            page.locator(f"#roll-{learner.pk} button[aria-pressed=true]")
        ).to_have_attribute("value", status)

    page.locator(".breadcrumb a").click()
    expect(page.locator("main")).to_contain_text("Điểm danh đến nay: 3 lượt, 3 người.")

    # A lost login card: “Cấp thẻ mới” is a full-size button on the screen, and
    # asks before the old code stops working.
    lost = page.locator("table.table tbody tr").filter(has_text=first.full_name)
    reissue = lost.locator("summary", has_text="Cấp thẻ mới")
    reissue.scroll_into_view_if_needed()
    box = reissue.bounding_box()
    assert box["height"] >= 44, f"“Cấp thẻ mới” is {box['height']}px tall"
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360, box
    codes = ClaimCode.objects.filter(user=first).count()
    reissue.click()
    confirm = lost.locator(".card-reissue__confirm")
    expect(confirm).to_contain_text(
        f"In thẻ đăng nhập mới cho {first.full_name}? Mã trên thẻ cũ sẽ không "
        "dùng được nữa."
    )
    assert ClaimCode.objects.filter(user=first).count() == codes
    with page.expect_response(
        lambda response: (
            response.request.method == "POST" and "/the-dang-nhap/" in response.url
        )
    ) as printed:
        confirm.get_by_role("button", name="In thẻ mới").click()
    assert printed.value.headers["content-type"] == "application/pdf"
    assert ClaimCode.objects.filter(user=first).count() == codes + 1
    page.goto(class_url)

    # A student, on her own phone, joins with the code the teacher shows.
    student_page = new_phone().new_page()
    log_in(student_page, STUDENT_PHONE, STUDENT_PASSWORD, "/tham-gia/")
    expect(student_page.locator("h1")).to_have_text("Tham gia lớp học")
    student_page.locator("input[name=code]").fill(training_class.join_code.lower())
    student_page.get_by_role("button", name="Tham gia", exact=True).click()
    expect(student_page).to_have_url(re.compile(r"/hoc-tap-cua-toi/$"))
    expect(student_page.locator(".messages")).to_contain_text(
        f"Bạn đã tham gia lớp “{CLASS_NAME}”."
    )
    assert_no_horizontal_scroll(student_page)

    page.reload()
    expect(page.locator("table.table tbody tr")).to_have_count(41)
    expect(page.locator("table.table tbody")).to_contain_text("Lò Thị Sen")
    header_link(page, "/lop-hoc/").click()
    card = page.locator(".card").filter(has_text=CLASS_NAME)
    expect(card).to_contain_text("41 học viên")
    expect(card).to_contain_text("3 lượt, 3 người.")
    assert_no_horizontal_scroll(page)

    # What was saved.
    training_class.refresh_from_db()
    assert training_class.owner == teacher
    assert training_class.starts_on == starts_on
    assert training_class.organisation == organisation
    assert training_class.region == place.commune
    assert list(training_class.courses.all()) == [course.page]
    memberships = training_class.memberships.select_related("user")
    assert memberships.count() == 41
    by_source = {
        source: memberships.filter(source=source).count()
        for source in ClassMembership.Source.values
    }
    assert by_source[ClassMembership.Source.ROSTER] == 40
    assert by_source[ClassMembership.Source.JOIN_CODE] == 1
    assert memberships.get(source=ClassMembership.Source.JOIN_CODE).user == student
    roster_users = {
        m.user.full_name: m.user
        for m in memberships.filter(source=ClassMembership.Source.ROSTER)
    }
    communes = {
        None: None,
        "Xã Đông Hưng": place.commune,
        "Phường Hiến Nam": hien_nam,
        "Xã Tiên Lữ": tien_lu,
    }
    assert sorted(roster_users) == sorted(name for name, _c in good_rows.values())
    for name, commune in good_rows.values():
        assert roster_users[name].home_region == communes[commune], name
        assert roster_users[name].kind == training_class.audience_kind
    roster_import = RosterImport.objects.get()
    assert roster_import.status == RosterImport.Status.APPLIED
    assert roster_import.result["added"] == 40
    assert roster_import.result["skipped"] == 3
    marks = dict(
        Attendance.objects.filter(session=session).values_list("user", "status")
    )
    assert marks == {
        first.pk: AttendanceStatus.PRESENT,
        second.pk: AttendanceStatus.LATE,
        third.pk: AttendanceStatus.LATE,
        fourth.pk: AttendanceStatus.ABSENT,
    }
    assert set(
        Attendance.objects.filter(session=session).values_list("marked_by", flat=True)
    ) == {teacher.pk}
