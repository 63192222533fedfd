from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from wagtail.test.utils import WagtailPageTestCase

from core.site_tree import ensure_site_tree


class FreshCacheMixin:
    """Start and end each test with an empty cache: the site, its root page and
    navigation are cached, and a rolled-back test must not leave its copies."""

    def setUp(self):
        super().setUp()
        cache.clear()
        self.addCleanup(cache.clear)


def _in(language: str, message: str) -> str:
    with translation.override(language):
        return translation.gettext(message)


class LanguageTests(FreshCacheMixin, WagtailPageTestCase):
    """Vietnamese first; English when the person chooses it."""

    @classmethod
    def setUpTestData(cls):
        cls.home = ensure_site_tree()

    def test_vietnamese_even_for_an_english_phone(self):
        """A phone set to English still gets the Vietnamese site."""
        response = self.client.get(self.home.url, HTTP_ACCEPT_LANGUAGE="en")

        self.assertContains(response, '<html lang="vi">')
        self.assertEqual(response["Content-Language"], "vi")
        self.assertContains(response, _in("vi", "Create an account"))

    def test_choosing_english(self):
        """After choosing English, pages are in English until Vietnamese is
        chosen again."""
        response = self.client.post(
            reverse("set_language"), {"language": "en", "next": self.home.url}
        )
        self.assertRedirects(response, self.home.url)

        english = self.client.get(self.home.url)
        login = self.client.get(reverse("users:login"))

        self.assertContains(english, '<html lang="en">')
        self.assertEqual(english["Content-Language"], "en")
        self.assertContains(english, "Create an account")
        self.assertContains(login, '<html lang="en">')
        self.assertContains(login, "Mobile number or email")

        self.client.post(reverse("set_language"), {"language": "vi"})
        self.assertContains(self.client.get(self.home.url), '<html lang="vi">')

    def test_an_unknown_language_falls_back_to_vietnamese(self):
        """A language the site does not offer gives the Vietnamese site."""
        self.client.cookies["django_language"] = "fr"

        response = self.client.get(self.home.url)

        self.assertContains(response, '<html lang="vi">')
