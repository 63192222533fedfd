"""The home page and the catalogue it names: the catalogue is chosen on the home
page, so core knows nothing of courses."""

import importlib

from django.apps import apps
from django.core.cache import cache
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


class CatalogueMigrationTests(WagtailPageTestCase):
    def test_a_home_page_from_before_the_chooser_names_its_catalogue(self):
        """The data migration names, on a home page that names none, its first
        catalogue child, in the page and in its latest revision."""
        home = ensure_site_tree()
        home.save_revision()
        first = CourseIndexPageFactory(parent=home, slug="khoa-hoc")
        CourseIndexPageFactory(parent=home, slug="khoa-hoc-khac")
        HomePage.objects.filter(pk=home.pk).update(catalogue=None)
        migration = importlib.import_module(
            "core.migrations.0004_set_homepage_catalogue"
        )

        migration.name_the_catalogue(apps, None)

        home = HomePage.objects.get(pk=home.pk)
        self.assertEqual(home.catalogue_id, first.pk)
        self.assertEqual(home.get_latest_revision_as_object().catalogue_id, first.pk)
