"""Rebuild the page tree Wagtail's migrations create, for a database that lost it.

A live-server test flushes the database between tests, taking the root page, the
Site and the home page with it; browser-test fixtures call this to put them back.
"""

from wagtail.models import Locale, Page, Site

from .models import HomePage


def ensure_site_tree() -> HomePage:
    """Return the home page, creating the root, home page and default Site if
    missing."""
    Locale.objects.get_or_create(language_code="vi")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Gốc", slug="root"))
    home = HomePage.objects.first()
    if home is None:
        home = root.add_child(
            instance=HomePage(
                title="Trang chủ",
                slug="home",
                headline="Học dùng dịch vụ công trực tuyến, ngay trên điện thoại",
                call_to_action="Xem các khóa học",
            )
        )
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home},
    )
    return home
