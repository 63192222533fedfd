"""Admin panels of the quiz editor."""

from wagtail.admin.panels import Panel


class PaperCountPanel(Panel):
    """Say how many distinct papers the quiz's questions give: with questions
    drawn from a pool, the number of different sets of questions an attempt can
    get (n choose k), so the editor sees whether a shared answer key for one
    paper is worth anything."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "quizzes/admin/paper_count_panel.html"

        def get_context_data(self, parent_context=None):
            from .selectors import quiz_paper_count

            context = super().get_context_data(parent_context)
            context["papers"] = quiz_paper_count(quiz=self.instance)
            return context
