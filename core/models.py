from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, PageChooserPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page

from .routing import FastViewRestrictionsMixin, route_by_url_path


class HomePage(FastViewRestrictionsMixin, Page):
    headline = models.CharField(_("headline"), max_length=120, blank=True)
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "link"])
    call_to_action = models.CharField(
        _("button text"),
        max_length=60,
        blank=True,
        help_text=_("The text of the button that leads to the course catalogue."),
    )
    # Chosen rather than looked up, so that core needs no knowledge of courses.
    catalogue = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("course catalogue"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The catalogue page the button and the menu lead to."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("headline"),
        FieldPanel("intro"),
        FieldPanel("call_to_action"),
        PageChooserPanel("catalogue", page_type="courses.CourseIndexPage"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["catalogue"] = self.live_catalogue()
        return context

    def route(self, request, path_components):
        if not path_components:
            return super().route(request, path_components)
        result = route_by_url_path(self, request, path_components)
        if result is None:
            raise Http404
        return result

    def live_catalogue(self) -> Page | None:
        """Return the chosen catalogue page while it is live."""
        catalogue = self.catalogue
        return catalogue if catalogue is not None and catalogue.live else None


@register_setting(icon="site")
class SiteSettings(BaseGenericSetting):
    organisation = models.CharField(
        _("running organisation"),
        max_length=200,
        blank=True,
        help_text=_("The body that runs this platform, shown in the footer."),
    )
    contact = models.CharField(
        _("contact"),
        max_length=200,
        blank=True,
        help_text=_("A phone number or email learners can ask for help."),
    )

    panels = [FieldPanel("organisation"), FieldPanel("contact")]

    class Meta:
        verbose_name = _("site settings")
