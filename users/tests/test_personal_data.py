"""The registry of personal data: each app registers its sections from its own
``personal_data`` module, so users never imports an app above it."""

import ast
import json
from pathlib import Path

import pytest
from django.urls import reverse

from users import personal_data
from users.models import AccountEvent

pytestmark = pytest.mark.django_db

USERS = Path(__file__).resolve().parent.parent
HIGHER = {"courses", "quizzes", "classes", "certificates", "reports"}


def test_each_app_registers_its_sections():
    names = [section.name for section in personal_data.sections()]

    assert names[:2] == ["profile", "consents"]
    for name in ("enrolments", "quiz_answers", "attendance", "certificates"):
        assert name in names
    for section in personal_data.sections():
        assert section.columns, section.name
        assert callable(section.erase), section.name


def _imported(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize(
    "path",
    [
        path
        for path in sorted(USERS.rglob("*.py"))
        # Tests may build anything.
        if "tests" not in path.parts and "migrations" not in path.parts
    ],
    ids=lambda path: str(path.relative_to(USERS)),
)
def test_users_imports_no_app_above_it(path):
    """Not even inside a function."""
    assert not (_imported(path) & HIGHER)


def test_the_download_of_a_person_with_little_data(client, lan):
    client.force_login(lan)

    data = json.loads(client.get(reverse("users:data_json")).content)

    assert data["profile"] == [
        {
            "full_name": "Nguyễn Thị Lan",
            "phone": "0912 345 678",
            "phone_confirmed_at": None,
            "email": "lan@example.com",
            "email_confirmed_at": None,
            "kind": str(lan.get_kind_display()),
            "home_region": "",
            "date_of_birth": None,
            "date_joined": data["profile"][0]["date_joined"],
            "last_login": data["profile"][0]["last_login"],
        }
    ]
    assert data["enrolments"] == data["certificates"] == []
    # The download itself is in the history of the next one.
    again = json.loads(client.get(reverse("users:data_json")).content)
    kinds = [event["kind"] for event in again["account_events"]]
    assert str(AccountEvent.Kind.DATA_DOWNLOADED.label) in kinds


def test_text_that_looks_like_a_formula_stays_text(client, lan):
    import io

    from openpyxl import load_workbook

    lan.full_name = '=HYPERLINK("http://x")'
    lan.save()
    client.force_login(lan)

    workbook = load_workbook(io.BytesIO(client.get(reverse("users:data_xlsx")).content))

    cell = workbook.worksheets[0]["A2"]
    assert cell.value == '=HYPERLINK("http://x")'
    assert cell.data_type == "s"
