"""Print the demo accounts: who to log in as, with what, and what to try."""

from django.core.management.base import BaseCommand

from classes.models import TrainingClass
from demo.classes import SCHOOL_CLASS, TEAM_CLASS
from demo.loader import demo_username
from demo.people import PEOPLE
from users.models import User


class Command(BaseCommand):
    help = "Print the demo accounts created by load_demo (demo passwords only)."

    def handle(self, *args, **options):
        present = set(
            User.objects.filter(
                username__in=[demo_username(person) for person in PEOPLE]
            ).values_list("username", flat=True)
        )
        rows = [("Vai trò", "Đăng nhập", "Mật khẩu", "Thử gì")]
        missing = []
        for person in PEOPLE:
            if demo_username(person) not in present:
                missing.append(person.login)
                continue
            rows.append(
                (
                    person.role,
                    " / ".join(person.logins),
                    person.password,
                    person.try_this,
                )
            )
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        self.stdout.write("Tài khoản thử (chỉ dùng cho bản demo):")
        for index, row in enumerate(rows):
            cells = "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:3]))
            self.stdout.write(f"  {cells}  {row[3]}")
            if index == 0:
                self.stdout.write("  " + "-" * (sum(widths) + 6 + len(row[3])))
        classes = TrainingClass.objects.filter(
            name__in=[SCHOOL_CLASS.name, TEAM_CLASS.name]
        ).select_related("organisation", "owner")
        if classes:
            self.stdout.write("")
            self.stdout.write("Lớp mẫu (xem tại /lop-hoc/):")
            for training_class in classes:
                self.stdout.write(
                    f"  {training_class.name} · {training_class.organisation} · "
                    f"giáo viên {training_class.owner} · mã tham gia "
                    f"{training_class.join_code} · "
                    f"{training_class.memberships.count()} học viên"
                )
        if missing:
            self.stdout.write(
                self.style.WARNING(
                    "Not loaded yet: "
                    + ", ".join(missing)
                    + ". Run `python manage.py load_demo`."
                )
            )
