from io import StringIO
from pathlib import Path

from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from ..models import Question, QuestionCategory, QuestionType
from ..services import question_bank_import
from .factories import UserFactory, vi

SAMPLE = Path(__file__).parent / "data" / "moodle_questions.xml"


class MoodleImportTests(TestCase):
    def test_imports_valid_questions_and_reports_the_rest(self):
        """Every supported, valid question is added in its category; a question
        with no correct answer and an unsupported type are reported by position."""
        report = question_bank_import(source=SAMPLE.read_bytes())
        self.assertEqual(report.created, 5)
        self.assertEqual(
            [(row.position, row.name) for row in report.refused],
            [(6, "Hỏng"), (7, "Ghép")],
        )
        self.assertEqual(
            report.refused[0].message, vi("Mark exactly one choice as correct.")
        )
        self.assertEqual(
            report.refused[1].message,
            vi(
                "Questions of the Moodle type “%(type)s” are not supported.",
                type="matching",
            ),
        )

        birth = Question.objects.get(text="Đăng ký khai sinh trực tuyến ở đâu?")
        self.assertEqual(str(birth.category), "Dịch vụ công › Hộ tịch")
        self.assertEqual(birth.kind, QuestionType.SINGLE)
        self.assertEqual(birth.points, 2)
        self.assertEqual(birth.explanation, "Trên Cổng Dịch vụ công quốc gia.")
        self.assertEqual(birth.choices.get(is_correct=True).feedback, "Đúng rồi.")
        papers = Question.objects.get(kind=QuestionType.MULTIPLE)
        self.assertEqual(papers.choices.filter(is_correct=True).count(), 2)
        capital = Question.objects.get(kind=QuestionType.SHORT_TEXT)
        self.assertEqual(str(capital.category), "Dịch vụ công")
        self.assertEqual(
            list(capital.accepted_answers.values_list("text", flat=True)), ["Hà Nội"]
        )
        self.assertEqual(Question.objects.filter(kind=QuestionType.ESSAY).count(), 1)

    def test_importing_twice_adds_nothing(self):
        """A second import of the same file skips the questions already there."""
        question_bank_import(source=SAMPLE.read_bytes())
        report = question_bank_import(source=SAMPLE.read_bytes())
        self.assertEqual(report.created, 0)
        self.assertEqual(Question.objects.count(), 5)

    def test_all_or_nothing(self):
        """Asked for all or nothing, one refused question adds none."""
        report = question_bank_import(source=SAMPLE.read_bytes(), all_or_nothing=True)
        self.assertIs(report.applied, False)
        self.assertEqual(Question.objects.count(), 0)
        self.assertEqual(QuestionCategory.objects.count(), 0)

    def test_not_moodle_xml(self):
        """A file that is not Moodle XML is refused with a message."""
        with self.assertRaisesMessage(
            ValidationError, vi("The file is not valid Moodle XML: %(error)s", error="")
        ):
            question_bank_import(source=b"<quiz><question>")
        with self.assertRaisesMessage(
            ValidationError, vi("The file is not a Moodle XML question export.")
        ):
            question_bank_import(source=b"<html></html>")

    def test_command(self):
        """The import command reports refusals and the number added."""
        out = StringIO()
        call_command("import_questions", str(SAMPLE), stdout=out)
        self.assertIn("#6 Hỏng: refused.", out.getvalue())
        self.assertIn("5 question(s) added.", out.getvalue())


class ImportPageTests(TestCase):
    def test_editor_uploads_a_file(self):
        """An editor uploads an export and sees what was refused and why."""
        editor = UserFactory()
        editor.user_permissions.add(
            Permission.objects.get(codename="access_admin"),
            Permission.objects.get(codename="add_question"),
        )
        self.client.force_login(editor)
        with SAMPLE.open("rb") as upload:
            response = self.client.post(reverse("quizzes_import"), {"file": upload})
        self.assertContains(
            response,
            vi(
                "%(counter)s question added.",
                "%(counter)s questions added.",
                5,
                counter=5,
            ),
        )
        self.assertContains(response, vi("Mark exactly one choice as correct."))
        self.assertEqual(Question.objects.count(), 5)
