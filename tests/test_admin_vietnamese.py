"""The editor's main screens of the Wagtail admin speak Vietnamese: the text a
person sees holds none of the English words Wagtail's own Vietnamese catalogue
leaves untranslated, nor its half-translated and mistranslated strings."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from users.tests.factories import UserFactory

# English left on these screens before the project's catalogue filled the gaps
# of Wagtail's, and the strings issue 17 names.
ENGLISH = [
    "Save draft",
    "Page title",
    "Forgotten password",
    "Sign in",
    "Live",
    "Draft",
    "Page 1 of 1",
    "Choose",
    "New:",
    "Add child page",
    "Edit this page",
    "Visible to all",
    "Current page status",
    "Sort by",
    "Show filters",
    "Preview",
    "Promote",
    "Content",
    "Comments",
    "Toggle",
    "Owner",
    "Edited by",
    "Updated",
    "Move",
    "Bulk actions",
    "Filter by",
    "Newest",
    "Oldest",
    "Usage",
    "Slug",
    "Title tag",
    "Show in menus",
    "Supported formats",
    "You haven't uploaded",
    "Skip to main content",
    "Add an image",
    "Set schedule",
]
# Mistranslations: paper for a page counted, a word run into the next, a verb
# before an English workflow name.
WRONG = [r"\d khổ giấy", r"nhậpcủa", r"Thực hiện", r"Moderators approval"]


class VisibleText(HTMLParser):
    """The text nodes and the labels a person sees or hears, without scripts."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._hidden += 1
        for name, value in attrs:
            if name in ("placeholder", "aria-label", "title") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.parts.append(" ".join(data.split()))


def english_in(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    text = "\n".join(parser.parts)
    found = [
        word for word in ENGLISH if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text)
    ]
    return found + [wrong for wrong in WRONG if re.search(wrong, text, re.IGNORECASE)]


@pytest.fixture
def screens(course):
    """For an editor: the dashboard, the page explorer, a course's and a lesson's
    edit and create pages, the certificate templates (snippets), images and
    documents, the QR code poster."""
    return [
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_explore", args=[course.index.pk]),
        reverse("wagtailadmin_explore", args=[course.page.pk]),
        reverse("wagtailadmin_pages:edit", args=[course.page.pk]),
        reverse("wagtailadmin_pages:edit", args=[course.lessons[0].pk]),
        reverse(
            "wagtailadmin_pages:add", args=["courses", "coursepage", course.index.pk]
        ),
        reverse(
            "wagtailadmin_pages:add", args=["courses", "lessonpage", course.page.pk]
        ),
        reverse("wagtailsnippets_certificates_certificatetemplate:list"),
        reverse("wagtailsnippets_certificates_certificatetemplate:add"),
        reverse("wagtailimages:index"),
        reverse("wagtailimages:add"),
        reverse("wagtaildocs:index"),
        reverse("courses_qr_poster"),
    ]


def test_the_login_and_password_reset_pages_are_in_vietnamese(client, db):
    """“Forgotten password?” and the username's placeholder read in Vietnamese."""
    for url in (reverse("wagtailadmin_login"), reverse("wagtailadmin_password_reset")):
        response = client.get(url)
        assert response.status_code == 200
        assert english_in(response.text) == [], url


def test_the_editor_s_main_screens_have_no_english_left(client, screens):
    """An editor sees no English word of the list on any main screen."""
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    left = {}
    for url in screens:
        response = client.get(url)
        assert response.status_code == 200, url
        if found := english_in(response.text):
            left[url] = found
    assert left == {}


def test_the_check_finds_english():
    """The check itself flags an English label and a mistranslation."""
    assert english_in('<button aria-label="Save draft">x</button>') == ["Save draft"]
    assert english_in("<p>1 khổ giấy</p>") == [r"\d khổ giấy"]
