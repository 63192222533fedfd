"""Permission names and Wagtail's unlabelled columns in the active language
(core.admin_labels): Django stores permission names in English, and the group
editor showed them as stored."""

import pytest
from django.contrib.auth.models import Permission
from django.utils import translation
from wagtail.sites.views import IndexView

from core.admin_labels import permission_label

pytestmark = pytest.mark.django_db


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@pytest.mark.parametrize(
    ("app_label", "codename", "vietnamese", "english"),
    [
        # Django's default permissions, named from the model's verbose name.
        ("users", "add_user", "Được thêm người dùng", "Can add person"),
        ("users", "view_user", "Được xem người dùng", "Can view person"),
        # A model's own, translatable in its Meta.permissions.
        (
            "certificates",
            "revoke_certificate",
            "Được thu hồi chứng chỉ",
            "Can revoke certificates",
        ),
        # Wagtail's own, in plain strings its catalogue (or ours) translates.
        ("wagtailcore", "publish_page", "Xuất bản mọi trang", "Publish any page"),
        (
            "wagtailadmin",
            "access_admin",
            "Được vào trang quản trị",
            "Can access Wagtail admin",
        ),
    ],
)
def test_a_permission_is_named_in_the_active_language(
    app_label, codename, vietnamese, english
):
    permission = _permission(app_label, codename)
    with translation.override("vi"):
        assert permission_label(permission) == vietnamese
    with translation.override("en"):
        assert permission_label(permission) == english


def test_the_sites_listing_labels_its_columns_with_the_fields_names():
    labels = {column.name: column.label for column in IndexView.columns}
    with translation.override("vi"):
        assert str(labels["site_name"]) == "Tên trang web"
        assert str(labels["root_page"]) == "Trang gốc"
    with translation.override("en"):
        assert str(labels["port"]) == "Port"
