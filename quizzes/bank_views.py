"""Admin views of the question bank as a whole: its export to Moodle XML."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

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
