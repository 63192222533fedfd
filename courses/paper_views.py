"""Lessons on paper for editors, in the Wagtail admin: a lesson's leaflet as PDF
for a print shop, and a poster of lessons' QR codes (courses.paper).

Rendering a PDF costs CPU, so only people who may edit pages ask for one: the
lesson's own editors for its leaflet, anyone who may edit some page for a poster
(the URLs sit under /admin/, which asks for admin access first).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext, gettext_lazy
from django.views import View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.permission_policies.pages import PagePermissionPolicy

from .forms import PosterFilterForm, QrPosterForm
from .models import LessonPage
from .paper import POSTER_MAX, lesson_leaflet_pdf, qr_poster_pdf
from .selectors import poster_lessons

POSTER_FILENAME = "ap-phich-ma-qr.pdf"


def can_print_posters(user) -> bool:
    """Return whether the user may edit some page, and so make QR posters."""
    return PagePermissionPolicy().user_has_any_permission(
        user, ["add", "change", "publish"]
    )


def _pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    # The file names are ASCII (slugs are, core.slugs).
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def lesson_leaflet(request, pk: int):
    """Download the lesson's A4 leaflet as published, as a PDF."""
    lesson = get_object_or_404(LessonPage, pk=pk)
    if not lesson.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    if not lesson.live:
        messages.error(
            request,
            gettext(
                "“%(title)s” is not published: publish it first, so that its QR "
                "code opens it."
            )
            % {"title": lesson.title},
        )
        return redirect("wagtailadmin_pages:edit", lesson.pk)
    return _pdf_response(lesson_leaflet_pdf(lesson), f"bai-hoc-{lesson.slug}.pdf")


class QrPosterView(WagtailAdminTemplateMixin, View):
    """Pick lessons (by course, by a word of their title) and download an A4
    poster of their QR codes with their titles."""

    template_name = "courses/admin/qr_poster.html"
    page_title = gettext_lazy("QR code poster")
    header_icon = "doc-full"

    def dispatch(self, request, *args, **kwargs):
        if not can_print_posters(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def _forms(self, data, bound: bool):
        filters = PosterFilterForm(data)
        course, q = None, ""
        if filters.is_valid():
            course, q = filters.cleaned_data["course"], filters.cleaned_data["q"]
        shown = poster_lessons(course=course, q=q)
        poster = QrPosterForm(
            data if bound else None,
            shown=shown,
            initial={"title": data["title"]} if data.get("title") else None,
        )
        return filters, poster

    def get(self, request):
        filters, poster = self._forms(request.GET, bound=False)
        return self.render_to_response(
            self.get_context_data(filters=filters, form=poster, max=POSTER_MAX)
        )

    def post(self, request):
        filters, poster = self._forms(request.POST, bound=True)
        if poster.is_valid():
            data = qr_poster_pdf(
                title=poster.cleaned_data["title"],
                lessons=poster.cleaned_data["chosen"],
            )
            return _pdf_response(data, POSTER_FILENAME)
        return self.render_to_response(
            self.get_context_data(filters=filters, form=poster, max=POSTER_MAX)
        )
