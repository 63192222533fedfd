from io import StringIO
from pathlib import Path

from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import TestCase, override_settings
from django.urls import reverse
from wagtail.images import get_image_model

from ..interchange import MOODLE_XML, parse
from ..models import Choice, Question, QuestionCategory, QuestionType
from ..services import question_bank_export, question_bank_import
from .factories import UserFactory

DATA = Path(__file__).parent / "data" / "interchange"
MEDIA = Path(__file__).resolve().parents[2] / ".test-media"


def _bank() -> list[tuple]:
    """Return every question of the bank as what an editor would compare."""
    return sorted(
        (
            str(question.category),
            question.kind,
            question.text,
            question.explanation,
            question.points,
            tuple(question.choices.values_list("text", "is_correct", "feedback")),
            tuple(question.accepted_answers.values_list("text", flat=True)),
            question.image.title if question.image else None,
        )
        for question in Question.objects.all()
    )


def _empty_bank() -> None:
    Question.objects.all().delete()
    get_image_model().objects.all().delete()
    while QuestionCategory.objects.exists():
        QuestionCategory.objects.filter(children__isnull=True).delete()


@override_settings(MEDIA_ROOT=MEDIA)
class RoundTripTests(TestCase):
    def test_export_then_import_gives_the_same_bank(self):
        """A bank exported to Moodle XML and imported into an empty bank holds the
        same questions: types, texts, choices, right answers, feedback,
        explanations, marks, images and categories."""
        for name in ("ngan_hang_cau_hoi.xml", "ngan_hang_cau_hoi.gift"):
            path = DATA / name
            question_bank_import(source=path.read_bytes(), filename=name)
        # A category without questions is exported and comes back too.
        QuestionCategory.objects.create(name="Trống")
        before = _bank()
        categories = sorted(map(str, QuestionCategory.objects.all()))
        self.assertEqual(len(before), 20)

        exported = question_bank_export()
        _empty_bank()
        report = question_bank_import(source=exported, format=MOODLE_XML)

        self.assertIs(report.applied, True)
        self.assertEqual(report.problems, [])
        self.assertEqual(report.unsupported, [])
        self.assertEqual(report.created, 20)
        self.assertEqual(_bank(), before)
        self.assertEqual(
            sorted(map(str, QuestionCategory.objects.all())),
            categories,
        )

    def test_plain_text_survives_as_written(self):
        """Line breaks and characters such as “<” and “&” come back unchanged."""
        category = QuestionCategory.objects.create(name="Ký tự")
        question = Question(
            category=category,
            kind=QuestionType.SINGLE,
            text="Chọn đúng:\n1 < 2 & 3 > 2\n\nĐoạn hai",
            explanation="Vì <b> không phải thẻ.",
        )
        question.choices.add(Choice(text="a < b", is_correct=True, feedback="Đ & S"))
        question.choices.add(Choice(text="<script>", is_correct=False))
        question.save()
        before = _bank()
        exported = question_bank_export()
        _empty_bank()
        question_bank_import(source=exported, format=MOODLE_XML)
        self.assertEqual(_bank(), before)

    def test_one_category_with_its_sub_categories(self):
        """Exporting a category writes its questions and its sub-categories' only."""
        question_bank_import(source=(DATA / "ngan_hang_cau_hoi.xml").read_bytes())
        public = QuestionCategory.objects.get(name="Dịch vụ công", parent=None)
        result = parse(question_bank_export(categories=[public]), format=MOODLE_XML)
        self.assertEqual(len(result.questions), 4)
        self.assertEqual(
            {question.category[0] for question in result.questions}, {"Dịch vụ công"}
        )


class ExportCommandTests(TestCase):
    def test_command_writes_the_file(self):
        """``export_questions -o`` writes a Moodle XML file of the bank."""
        question_bank_import(source=(DATA / "ngan_hang_cau_hoi.gift").read_bytes())
        target = MEDIA / "export-test.xml"
        MEDIA.mkdir(exist_ok=True)
        try:
            call_command("export_questions", "-o", str(target), stdout=StringIO())
            result = parse(target.read_bytes(), format=MOODLE_XML)
        finally:
            target.unlink(missing_ok=True)
        self.assertIs(result.ok, True)
        self.assertEqual(len(result.questions), 11)

    def test_command_exports_one_category(self):
        """``--category`` exports that category and its sub-categories only."""
        question_bank_import(source=(DATA / "ngan_hang_cau_hoi.gift").read_bytes())
        safety = QuestionCategory.objects.get(name="An toàn số", parent=None)
        out = StringIO()
        call_command("export_questions", "--category", str(safety.pk), stdout=out)
        result = parse(out.getvalue().encode(), format=MOODLE_XML)
        self.assertEqual(len(result.questions), 3)


class ExportPageTests(TestCase):
    def setUp(self):
        editor = UserFactory()
        editor.user_permissions.add(
            Permission.objects.get(codename="access_admin"),
            Permission.objects.get(codename="change_question"),
        )
        self.client.force_login(editor)

    def test_editor_downloads_the_bank(self):
        """The export page offers the categories and downloads
        ngan-hang-cau-hoi.xml."""
        question_bank_import(source=(DATA / "ngan_hang_cau_hoi.gift").read_bytes())
        url = reverse("quizzes_export")
        page = self.client.get(url)
        self.assertContains(page, "An toàn số")
        response = self.client.get(url, {"download": "1", "category": ""})
        self.assertEqual(
            response["Content-Disposition"],
            'attachment; filename="ngan-hang-cau-hoi.xml"',
        )
        result = parse(response.content, format=MOODLE_XML)
        self.assertEqual(len(result.questions), 11)

    def test_needs_permission(self):
        """Someone without access to the bank cannot download it."""
        self.client.force_login(UserFactory())
        response = self.client.get(reverse("quizzes_export"), {"download": "1"})
        self.assertNotEqual(response.status_code, 200)
