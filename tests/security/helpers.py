"""Steps the attackers take, through HTTP as a browser would."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from classes.models import RosterImport
from users.models import User
from users.phone import display_phone

# Every column of a person the tests compare before and after, so that a
# change to any of them (now or added later) is caught.
ACCOUNT_FIELDS = [
    field.attname
    for field in User._meta.concrete_fields
    if field.attname not in ("last_login",)
]


def account(user: User) -> dict:
    """Return every stored detail of the person, as the database holds it now."""
    fresh = User.objects.get(pk=user.pk)
    return {name: getattr(fresh, name) for name in ACCOUNT_FIELDS}


def roster_file(rows: list[dict]) -> SimpleUploadedFile:
    """A CSV roster with the columns a teacher's spreadsheet has."""
    header = "Họ và tên,Số điện thoại,Ngày sinh,Xã/Phường,Email"
    lines = [header] + [
        ",".join(
            [
                row.get("full_name", ""),
                row.get("phone", ""),
                row.get("date_of_birth", ""),
                row.get("commune", ""),
                row.get("email", ""),
            ]
        )
        for row in rows
    ]
    return SimpleUploadedFile("danh-sach.csv", "\n".join(lines).encode())


def upload_roster(client, training_class, rows: list[dict]) -> str:
    """Upload a roster to the class; return its preview's address."""
    response = client.post(
        reverse("classes:roster_upload", args=[training_class.pk]),
        {"file": roster_file(rows)},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    roster_import = RosterImport.objects.filter(training_class=training_class).latest(
        "created_at"
    )
    return reverse("classes:roster_preview", args=[training_class.pk, roster_import.pk])


def apply_roster(client, preview_url: str, *, fill_blanks=True):
    data = {"fill_blanks": "on"} if fill_blanks else {}
    response = client.post(preview_url, data)
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def phone_as_typed(user: User) -> str:
    """The person's number written the way a roster would have it."""
    return display_phone(user.phone)
