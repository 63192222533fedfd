"""Admin views of the question bank as a whole: its export to Moodle XML; and
the picture the question editor draws hotspot regions on."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext, gettext_lazy
from django.views import View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.images import get_image_model

from .forms import QuestionExportForm
from .services import question_bank_export

EXPORT_FILENAME = "ngan-hang-cau-hoi.xml"


class QuestionExportView(WagtailAdminTemplateMixin, View):
    """Choose a category, or the whole bank, and download it as Moodle XML."""

    template_name = "quizzes/admin/question_export.html"
    page_title = gettext_lazy("Export questions")
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        if not any(
            request.user.has_perm(f"quizzes.{action}_question")
            for action in ("view", "add", "change")
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        form = QuestionExportForm(request.GET if "download" in request.GET else None)
        if form.is_valid():
            category = form.cleaned_data["category"]
            content = question_bank_export(
                categories=None if category is None else [category]
            )
            response = HttpResponse(content, content_type="application/xml")
            response["Content-Disposition"] = (
                f'attachment; filename="{EXPORT_FILENAME}"'
            )
            return response
        return self.render_to_response(self.get_context_data(form=form))


def hotspot_picture(request, pk: int):
    """Return, for the question editor's drawing of hotspot regions, the address
    of a picture at the size it is drawn on."""
    if not (
        request.user.has_perm("quizzes.add_question")
        or request.user.has_perm("quizzes.change_question")
    ):
        raise PermissionDenied
    image = get_object_or_404(get_image_model(), pk=pk)
    rendition = image.get_rendition("max-800x800")
    return JsonResponse(
        {
            "url": rendition.url,
            "help": gettext(
                "Drag on the picture to draw a region, then give it a label; "
                "green regions are right places to tap, red ones wrong."
            ),
        }
    )
