from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from quizzes.interchange import FORMATS
from quizzes.models import QuestionCategory
from quizzes.services import question_bank_import, question_file_size_check


class Command(BaseCommand):
    help = (
        "Add the questions of a GIFT or Moodle XML file to the question bank. "
        "A file whose structure is broken adds nothing; by default neither does "
        "one refused question (--valid-only adds the others and lists it). A file "
        "with nothing to add fails. Files over "
        "services.QUESTION_FILE_MAX_BYTES (10 MB) "
        "are refused, as on the admin page."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--format",
            choices=FORMATS,
            help="The file's format (default: recognised from its content).",
        )
        parser.add_argument(
            "--category",
            type=int,
            help="Id of the bank category to import beneath (default: top level).",
        )
        parser.add_argument(
            "--valid-only",
            action="store_true",
            help="Add the valid questions even when others are refused.",
        )

    def handle(self, *args, path, format, category, valid_only, **options):
        root = None
        if category is not None:
            root = QuestionCategory.objects.filter(pk=category).first()
            if root is None:
                raise CommandError(f"No question category has the id {category}.")
        try:
            # Checked before the file is read, with the admin page's limit.
            question_file_size_check(size=path.stat().st_size)
            source = path.read_bytes()
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        except OSError as error:
            raise CommandError(str(error)) from error
        report = question_bank_import(
            source=source,
            format=format,
            filename=path.name,
            root=root,
            all_or_nothing=not valid_only,
        )
        for problem in report.problems:
            self.stderr.write(f"{problem.source_ref}: {problem.message}")
        for row in report.rows:
            if row.status != "created":
                kind = f" [{row.kind}]" if row.kind else ""
                line = f"{row.where}{kind} {row.name}: {row.status_label}"
                out = self.stderr if row.status == "refused" else self.stdout
                out.write(f"{line}. {row.message}".strip())
        for note in report.notes:
            self.stdout.write(f"{note.source_ref}: {note.message}")
        if not report.applied:
            raise CommandError("Nothing was imported.")
        self.stdout.write(f"{report.created} question(s) added.")
        if report.refused:
            self.stdout.write(
                f"{len(report.refused)} question(s) refused, listed above."
            )
