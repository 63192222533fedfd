"""The demo accounts: one per role, with passwords everybody may know.

Demo data only: ``load_demo`` creates these people and ``demo_logins`` prints them.
"""

from dataclasses import dataclass

# One password for every demo account, as the README lists them.
DEMO_PASSWORD = "hoc-thu-2025"


@dataclass(frozen=True)
class DemoPerson:
    role: str
    full_name: str
    kind: str
    password: str
    phone: str = ""  # as people type it; stored as +84...
    email: str = ""
    username: str = ""  # for the superuser, who has neither phone nor email to type
    is_staff: bool = False
    is_superuser: bool = False
    editor: bool = False
    try_this: str = ""

    @property
    def login(self) -> str:
        """Return the identifier the account is known by (its username's source)."""
        return self.phone or self.username or self.email

    @property
    def logins(self) -> list[str]:
        """Return every identifier the login form accepts for the account."""
        return [value for value in (self.phone, self.username, self.email) if value]


LEARNER = DemoPerson(
    role="Học viên (Tổ CNSCĐ)",
    full_name="Nguyễn Thị Hoa",
    kind="volunteer",
    password=DEMO_PASSWORD,
    phone="0900000001",
    try_this=(
        "Học tập của tôi: khóa VNeID đã xong (đã đạt bài kiểm tra cuối khóa), 1 khóa "
        "đang học dở; Kết quả kiểm tra"
    ),
)
STUDENT = DemoPerson(
    role="Học sinh",
    full_name="Trần Minh Khôi",
    kind="student",
    password=DEMO_PASSWORD,
    phone="0900000002",
    try_this=(
        "Học khóa An toàn số cơ bản, đánh dấu bài đã học, làm bài kiểm tra cuối "
        "khóa (xem đáp án sau từng câu)"
    ),
)
TEACHER = DemoPerson(
    role="Giáo viên",
    full_name="Lê Thu Trang",
    kind="teacher",
    password=DEMO_PASSWORD,
    phone="0900000003",
    email="giaovien@example.org",
    try_this=(
        "Lớp học của tôi: /lop-hoc/ – Lớp 9A (25 học sinh, 3 buổi học: 2 buổi đã "
        "điểm danh, 1 buổi sắp tới); tiến độ từng em, in thẻ đăng nhập"
    ),
)
OFFICIAL = DemoPerson(
    role="Cán bộ đơn vị",
    full_name="Phạm Văn Dũng",
    kind="official",
    password=DEMO_PASSWORD,
    phone="0900000004",
    email="canbo@example.org",
    try_this=(
        "Cán bộ Tỉnh Hưng Yên: /lop-hoc/ thấy (chỉ xem) các lớp trong tỉnh – Lớp 9A "
        "và lớp tập huấn Tổ công nghệ số cộng đồng – với số lượt và số người"
    ),
)
EDITOR = DemoPerson(
    role="Biên tập viên",
    full_name="Vũ Ngọc Lan",
    kind="citizen",
    password=DEMO_PASSWORD,
    email="bientap@example.org",
    is_staff=True,
    editor=True,
    try_this=(
        "/admin/: sửa bài học, thêm bước có ảnh chụp màn hình; câu hỏi trong "
        "ngân hàng câu hỏi › Khóa học mẫu"
    ),
)
ADMIN = DemoPerson(
    role="Quản trị (superuser)",
    full_name="Quản trị hệ thống",
    kind="citizen",
    password=DEMO_PASSWORD,
    username="admin",
    email="admin@example.org",
    is_staff=True,
    is_superuser=True,
    try_this="/admin/ và /django-admin/: toàn quyền, chấm câu tự luận đã nộp",
)

PEOPLE = [LEARNER, STUDENT, TEACHER, OFFICIAL, EDITOR, ADMIN]
