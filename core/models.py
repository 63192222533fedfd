from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, PageChooserPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page

from .pagecache import mark_anonymous_cacheable
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
        verbose_name_plural = _("home pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["catalogue"] = self.live_catalogue()
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if not request.user.is_authenticated:
            mark_anonymous_cacheable(response)
        return response

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


class TaskWorker(models.Model):
    """A task worker (the project's ``db_worker``) as its last heartbeat left it.

    Written by the worker itself (``core.workers``), read to tell which task rows
    still have a worker and by /healthz. Never edited by people.
    """

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    # Boot and PID namespace of the machine (Linux): equal only where the pid
    # below names the same process, so another worker may check it is alive.
    pid_space = models.CharField(max_length=100, blank=True)
    pid = models.PositiveIntegerField()
    queues = models.CharField(max_length=255, blank=True)
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)
    # Set when the worker stopped of its own accord (a signal or --batch).
    stopped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("task worker")

    def __str__(self):
        return f"{self.worker_id} ({self.hostname}:{self.pid})"
