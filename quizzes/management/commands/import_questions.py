from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from quizzes.models import QuestionCategory
from quizzes.services import question_bank_import


class Command(BaseCommand):
    help = "Add the questions of a Moodle XML export to the question bank."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--category",
            type=int,
            help="Id of the bank category to import beneath (default: top level).",
        )
        parser.add_argument(
            "--all-or-nothing",
            action="store_true",
            help="Add no question at all if any is refused.",
        )

    def handle(self, *args, path, category, all_or_nothing, **options):
        root = None
        if category is not None:
            root = QuestionCategory.objects.filter(pk=category).first()
            if root is None:
                raise CommandError(f"No question category has the id {category}.")
        try:
            report = question_bank_import(
                source=path.read_bytes(), root=root, all_or_nothing=all_or_nothing
            )
        except (OSError, ValidationError) as error:
            raise CommandError(str(error)) from error
        for row in report.rows:
            if row.status != "created":
                self.stdout.write(
                    f"#{row.position} {row.name}: {row.status}. {row.message}".strip()
                )
        self.stdout.write(
            f"{report.created} question(s) added"
            + ("" if report.applied else "; nothing applied")
            + "."
        )
