from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from quizzes.models import QuestionCategory
from quizzes.services import question_bank_export


class Command(BaseCommand):
    help = "Write the question bank, or one category of it, as a Moodle XML file."

    def add_arguments(self, parser):
        parser.add_argument(
            "--category",
            type=int,
            help="Id of the category to export, with its sub-categories "
            "(default: the whole bank).",
        )
        parser.add_argument(
            "-o",
            "--output",
            type=Path,
            help="The file to write (default: standard output).",
        )

    def handle(self, *args, category, output, **options):
        categories = None
        if category is not None:
            categories = list(QuestionCategory.objects.filter(pk=category))
            if not categories:
                raise CommandError(f"No question category has the id {category}.")
        content = question_bank_export(categories=categories)
        if output is None:
            self.stdout.write(content.decode("utf-8"), ending="")
            return
        try:
            output.write_bytes(content)
        except OSError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Wrote {output}.")
