from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text

from core.models import HomePage
from core.site_tree import ensure_site_tree
from courses.models import CourseIndexPage
from courses.tests.factories import CourseIndexPageFactory
from users.tests.factories import consent_given


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


class HomePageTests(FreshCacheMixin, WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = ensure_site_tree()
        cls.catalogue = CourseIndexPageFactory(parent=cls.home)

    def test_home_page_sits_at_the_root(self):
        """The home page can be created only at the root of the tree, and holds
        the catalogue."""
        self.assertAllowedParentPageTypes(HomePage, {Page})
        # Wagtail's base Page is allowed but not creatable, so editors can add
        # only the catalogue.
        self.assertAllowedSubpageTypes(HomePage, {CourseIndexPage, Page})
        self.assertEqual(HomePage.creatable_subpage_models(), [CourseIndexPage])

    def test_only_one_home_page(self):
        """There is one home page at most."""
        self.assertIs(HomePage.can_create_at(Page.get_first_root_node()), False)

    def test_editor_can_create_the_home_page(self):
        """An editor can create the home page on a tree that has none."""
        consent_given(self.login())
        Site.objects.all().delete()
        Page.objects.get(pk=self.home.pk).delete()
        root = Page.get_first_root_node()

        self.assertCanCreate(
            root,
            HomePage,
            nested_form_data(
                {
                    "title": "Trang chủ",
                    "slug": "trang-chu",
                    "headline": "Học dùng dịch vụ công trực tuyến",
                    "intro": rich_text("<p>Miễn phí, ngay trên điện thoại.</p>"),
                    "call_to_action": "Xem các khóa học",
                }
            ),
        )

        self.assertEqual(
            HomePage.objects.get().headline, "Học dùng dịch vụ công trực tuyến"
        )

    def test_home_page_renders_with_a_link_to_the_catalogue(self):
        """The home page renders its headline and a button to the catalogue."""
        self.assertPageIsRenderable(self.home)

        response = self.client.get(self.home.url)

        self.assertContains(response, self.home.headline)
        self.assertContains(response, f'href="{self.catalogue.url}"')


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
