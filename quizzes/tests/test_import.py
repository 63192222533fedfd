import base64
import tempfile
from decimal import Decimal
from io import StringIO
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings
from django.urls import reverse
from wagtail.images import get_image_model

from core.testing import vi

from .. import services
from ..interchange import GIFT, MOODLE_XML, ImportedChoice, ImportedQuestion
from ..models import Question, QuestionCategory, QuestionType
from ..services import QUESTION_FILE_MAX_BYTES, _ready, question_bank_import
from .factories import UserFactory

DATA = Path(__file__).parent / "data" / "interchange"
XML = DATA / "ngan_hang_cau_hoi.xml"
GIFT_FILE = DATA / "ngan_hang_cau_hoi.gift"
MEDIA = Path(__file__).resolve().parents[2] / ".test-media"


def _import(path: Path, **kwargs):
    return question_bank_import(source=path.read_bytes(), filename=path.name, **kwargs)


@override_settings(MEDIA_ROOT=MEDIA)
class MoodleXmlImportTests(TestCase):
    def test_every_supported_type_is_stored_in_its_category(self):
        """Each supported question of the Moodle XML file is added in its
        category, texts in plain text, the first image attached to the question."""
        report = _import(XML)
        self.assertIs(report.applied, True)
        self.assertEqual(report.format, MOODLE_XML)
        self.assertEqual(report.created, 9)
        self.assertEqual(
            sorted(Question.objects.values_list("kind", flat=True)),
            sorted(
                [
                    QuestionType.SINGLE,
                    QuestionType.TRUE_FALSE,
                    QuestionType.MULTIPLE,
                    QuestionType.SHORT_TEXT,
                    QuestionType.ESSAY,
                    QuestionType.MATCHING,
                    QuestionType.NUMERICAL,
                    QuestionType.GAP_SELECT,
                    QuestionType.ORDERING,
                ]
            ),
        )
        login = Question.objects.get(kind=QuestionType.SINGLE)
        self.assertEqual(str(login.category), "Dịch vụ công › VNeID")
        self.assertTrue(login.text.startswith("Trên màn hình đăng nhập"))
        self.assertNotIn("<", login.text)
        self.assertEqual(login.points, 2)
        self.assertEqual(
            login.explanation,
            "Từ năm 2024, Cổng chỉ cho đăng nhập bằng tài khoản VNeID.",
        )
        right = login.choices.get(is_correct=True)
        self.assertEqual(
            (right.text, right.feedback),
            ("Đăng nhập bằng tài khoản định danh điện tử VNeID", "Đúng."),
        )
        self.assertEqual(login.image.title, "dang-nhap.png")
        self.assertEqual((login.image.width, login.image.height), (1, 1))
        payment = Question.objects.get(kind=QuestionType.MULTIPLE)
        self.assertEqual(payment.choices.filter(is_correct=True).count(), 3)
        code = Question.objects.get(kind=QuestionType.SHORT_TEXT)
        self.assertEqual(
            list(code.accepted_answers.values_list("text", flat=True)),
            ["MHS", "MÃ HỒ SƠ"],
        )
        self.assertIs(code.ignore_accents, False)
        essay = Question.objects.get(kind=QuestionType.ESSAY)
        self.assertEqual(essay.points, 5)
        # A category the file declares without questions is created too.
        self.assertTrue(
            QuestionCategory.objects.filter(
                name="An toàn số", parent__isnull=True
            ).exists()
        )

    def test_unsupported_types_are_listed_by_type_and_name(self):
        """Every question of a type the bank lacks is listed by what an editor
        calls its type and by its name; none is dropped silently."""
        report = _import(XML)
        self.assertEqual(
            [(row.kind, row.name) for row in report.unsupported],
            [
                (vi("Calculated"), "Tính lệ phí"),
                (vi("Simple calculated"), "Tính phần trăm hồ sơ trực tuyến"),
                (vi("Drag and drop into text"), "Kéo thả bước nộp hồ sơ"),
                (vi("Embedded answers (Cloze)"), "Điền vào chỗ trống (Cloze)"),
                (vi("Description (no answer)"), "Giới thiệu phần thi"),
                (vi("Random short-answer matching"), "Ghép ngẫu nhiên"),
            ],
        )
        self.assertEqual(len(report.rows), 15)

    def test_case_sensitive_answer_is_noted(self):
        """Moodle's case-sensitive short answer is imported with a note that
        capitals never matter here."""
        report = _import(XML)
        messages = [note.message for note in report.notes]
        self.assertIn(
            vi(
                "Moodle told capitals apart in this question; here capitals never "
                "matter, so an answer typed in other capitals is accepted."
            ),
            messages,
        )

    def test_importing_twice_adds_nothing(self):
        """A second import skips every question already in its category."""
        _import(XML)
        report = _import(XML)
        self.assertEqual(report.created, 0)
        self.assertEqual(len(report.skipped), 9)
        self.assertEqual(Question.objects.count(), 9)

    def test_each_row_says_what_became_of_its_question(self):
        """A question added has its row marked so, without a message; one
        skipped says why."""
        first = _import(XML)
        added = [row for row in first.rows if row.status == "created"]
        self.assertEqual(len(added), 9)
        self.assertEqual({row.message for row in added}, {""})

        second = _import(XML)
        skipped = [row for row in second.rows if row.status == "skipped"]
        self.assertEqual(len(skipped), 9)
        self.assertEqual(
            {row.message for row in skipped},
            {vi("A question of the same type and text is there.")},
        )


@override_settings(MEDIA_ROOT=MEDIA)
class ImportPauseTests(TestCase):
    """On SQLite, whose writers take the whole database, an import pauses
    between two batches so that logins and answers get the lock; on PostgreSQL
    it does not."""

    def imported_on(self, vendor):
        with (
            mock.patch.object(services, "IMPORT_BATCH", 4),
            mock.patch.object(services, "connection", SimpleNamespace(vendor=vendor)),
            mock.patch.object(services.time, "sleep") as sleep,
        ):
            report = _import(GIFT_FILE)
        self.assertEqual(report.created, 11)
        return sleep

    def test_sqlite_pauses_between_batches(self):
        """The pause outlasts a waiting writer's sleep between two tries
        (100 ms), or the next batch would take the lock again first."""
        sleep = self.imported_on("sqlite")
        self.assertEqual(sleep.call_args_list, [mock.call(services.IMPORT_PAUSE)] * 2)
        self.assertGreater(services.IMPORT_PAUSE, 0.1)

    def test_postgresql_does_not_pause(self):
        self.imported_on("postgresql").assert_not_called()


class GiftImportTests(TestCase):
    def test_every_supported_type_is_stored(self):
        """The GIFT file's questions are added in their categories; the
        unsupported ones are listed; Markdown and HTML become plain text."""
        report = _import(GIFT_FILE)
        self.assertIs(report.applied, True)
        self.assertEqual(report.format, GIFT)
        self.assertEqual(report.created, 11)
        self.assertEqual(
            [(row.kind, row.name) for row in report.unsupported],
            [
                (vi("Numerical"), "Năm thông qua luật"),
                (vi("Matching"), "Ghép ứng dụng"),
                (vi("Description (no answer)"), "Giới thiệu phần an toàn số"),
            ],
        )
        first = Question.objects.get(text__startswith="Tài khoản định danh")
        self.assertEqual(str(first.category), "Dịch vụ công › VNeID")
        self.assertEqual(first.choices.get(is_correct=True).text, "VNeID")
        self.assertTrue(first.explanation.startswith("Người dân đăng ký"))
        protect = Question.objects.get(
            kind=QuestionType.MULTIPLE, text__contains="bảo vệ"
        )
        self.assertEqual(protect.text, "Những việc nào giúp bảo vệ tài khoản VNeID?")
        scam = Question.objects.get(text__contains="lừa đảo?")
        self.assertEqual(
            scam.text, "Những dấu hiệu nào cho thấy một tin nhắn có thể là lừa đảo?"
        )
        otp = Question.objects.get(text__contains="mã OTP để")
        self.assertEqual(
            list(otp.choices.values_list("text", "is_correct")),
            [(vi("True"), False), (vi("False"), True)],
        )
        address = Question.objects.get(text__startswith="Địa chỉ trang web")
        self.assertEqual(
            list(address.accepted_answers.values_list("text", flat=True)),
            ["dichvucong.gov.vn", "https://dichvucong.gov.vn"],
        )
        self.assertEqual(Question.objects.filter(kind=QuestionType.ESSAY).count(), 1)

    def test_partial_grade_is_noted(self):
        """An answer worth part of the mark is left out with a note, not dropped
        silently."""
        report = _import(GIFT_FILE)
        self.assertIn(
            vi(
                "The answer «%(answer)s» is worth %(fraction)s%% in the file; here "
                "only answers worth 100%% are accepted.",
                answer="dichvucong",
                fraction="50",
            ),
            [note.message for note in report.notes],
        )


class BadFileTests(TestCase):
    def assertNothingImported(self, report):
        self.assertIs(report.applied, False)
        self.assertEqual(Question.objects.count(), 0)
        self.assertEqual(QuestionCategory.objects.count(), 0)
        self.assertEqual(get_image_model().objects.count(), 0)

    def test_malformed_gift_lists_every_problem_with_its_line(self):
        """A GIFT file with mistakes adds nothing, not even its valid question,
        and names the line of each mistake in Vietnamese."""
        report = _import(DATA / "loi.gift")
        self.assertNothingImported(report)
        # Mistakes in the file's structure are the file's problems...
        where = [problem.source_ref for problem in report.problems]
        self.assertEqual(
            where, [vi("line %(line)d", line=line) for line in (7, 17, 20, 26)]
        )
        # ...mistakes in one question's content refuse that question.
        refused = {row.where: row.message for row in report.refused}
        self.assertEqual(len(refused), 5)
        self.assertEqual(
            refused[vi("line %(line)d", line=11)],
            vi(
                "No answer is right: mark the right answer with “=” (GIFT) or give "
                "each right answer a positive grade, such as %50%."
            ),
        )
        self.assertEqual(report.rows[0].status, "not_applied")
        # Even asked for the valid questions only, a file whose structure is
        # broken adds nothing: where one question ends is not sure.
        report = _import(DATA / "loi.gift", all_or_nothing=False)
        self.assertNothingImported(report)

    def test_malformed_moodle_xml_lists_every_problem_by_question(self):
        """A Moodle XML file with a question with no right answer adds nothing and
        names each faulty question."""
        report = _import(DATA / "loi.xml")
        self.assertNothingImported(report)
        self.assertIn(
            (
                vi(
                    "question %(index)d «%(name)s»",
                    index=2,
                    name="Không có đáp án đúng",
                ),
                vi(
                    "No answer is marked right: mark the right answer with “=” "
                    "(GIFT) or give it the grade 100%."
                ),
            ),
            [(row.where, row.message) for row in report.refused],
        )
        self.assertEqual(report.problems, [])

    def test_xml_that_is_not_well_formed(self):
        """A broken XML file is refused with the line of the mistake."""
        report = _import(DATA / "hong.xml")
        self.assertNothingImported(report)
        self.assertEqual(report.problems[0].source_ref, vi("line %(line)d", line=5))

    def test_external_entities_are_refused(self):
        """A file declaring entities (XXE, entity expansion) is refused unread."""
        for name in ("xxe.xml", "billion_laughs.xml"):
            with self.subTest(name):
                report = _import(DATA / name)
                self.assertNothingImported(report)
                self.assertEqual(len(report.problems), 1)
                self.assertIn("<!DOCTYPE>", report.problems[0].message)

    def test_a_file_of_unsupported_questions_only_holds_questions(self):
        """A file whose only question is of a type the bank lacks lists it, and
        is not called a file without questions."""
        source = (
            '<?xml version="1.0" encoding="UTF-8"?><quiz>'
            '<question type="description"><name><text>Giới thiệu</text></name>'
            '<questiontext format="html"><text>Phần thi</text></questiontext>'
            "</question></quiz>"
        ).encode()
        report = question_bank_import(source=source, format=MOODLE_XML)
        self.assertEqual([row.name for row in report.unsupported], ["Giới thiệu"])
        self.assertNotIn(
            vi("The file holds no question."),
            [problem.message for problem in report.problems],
        )

    def test_a_category_name_too_long_is_a_problem(self):
        """A category name longer than the bank holds is named as a problem."""
        name = "x" * (QuestionCategory._meta.get_field("name").max_length + 1)
        source = f"$CATEGORY: {name}\n\nCâu?{{=Có ~Không}}\n".encode()
        report = question_bank_import(source=source, format=GIFT)
        self.assertIs(report.applied, False)
        self.assertEqual(
            [(problem.source_ref, problem.message) for problem in report.problems],
            [
                (
                    vi("category %(path)s", path=name),
                    vi(
                        "A category name has at most %(max)d characters.",
                        max=len(name) - 1,
                    ),
                )
            ],
        )

    def test_empty_file(self):
        """A file without a question is an error, not a silent success."""
        report = question_bank_import(source=b"// nothing\n", format=GIFT)
        self.assertNothingImported(report)
        self.assertEqual(report.problems[0].message, vi("The file holds no question."))

    def test_refused_question_and_all_or_nothing(self):
        """A question the bank refuses (an answer too long) adds nothing by
        default; asked for the valid ones only, the others are added."""
        long_answer = "x" * 501
        source = (
            "::Dài::Câu có đáp án quá dài?{=" + long_answer + " ~Ngắn}\n\n"
            "::Ngắn::Câu bình thường?{=Có ~Không}\n"
        ).encode()
        report = question_bank_import(source=source, format=GIFT)
        self.assertNothingImported(report)
        self.assertEqual(
            [(row.name, row.status) for row in report.rows],
            [("Dài", "refused"), ("Ngắn", "not_applied")],
        )
        self.assertEqual(
            report.refused[0].message,
            vi(
                "The answer «%(answer)s…» has %(length)d characters; an answer "
                "here holds at most %(max)d.",
                answer="x" * 40,
                length=501,
                max=500,
            ),
        )
        report = question_bank_import(source=source, format=GIFT, all_or_nothing=False)
        self.assertIs(report.applied, True)
        self.assertEqual(report.created, 1)
        self.assertEqual(Question.objects.get().text, "Câu bình thường?")


class ReadyTests(TestCase):
    def _ready(self, **fields):
        notes = []
        question = ImportedQuestion(
            **{"kind": QuestionType.SINGLE, "name": "C", "text": "Câu?", **fields}
        )
        ready, refusals = _ready(question, None, notes.append)
        return ready, refusals, notes

    choices = (ImportedChoice("Có", True), ImportedChoice("Không", False))

    def test_fractional_mark_is_rounded_with_a_note(self):
        """A mark of 1.5 becomes 2 points, and the report says so."""
        ready, _refusals, notes = self._ready(
            choices=self.choices, points=Decimal("1.5")
        )
        self.assertEqual(ready.question.points, 2)
        self.assertEqual(
            notes,
            [
                vi(
                    "The mark %(points)s becomes %(whole)d: marks here are whole "
                    "numbers.",
                    points="1.5",
                    whole=2,
                )
            ],
        )

    def test_a_report_read_back_is_the_one_written(self):
        """An import job keeps its report as data; read back, it is the same."""
        report = services.ImportReport(format=GIFT, applied=True)
        self.assertEqual(services.ImportReport.from_data(report.as_data()), report)

    def test_a_mark_too_large_is_refused(self):
        """A mark above the bank's largest is refused, named as written."""
        ready, refusals, _notes = self._ready(
            choices=self.choices, points=Decimal(services._MAX_POINTS + 1)
        )
        self.assertIsNone(ready)
        self.assertEqual(
            refusals,
            [
                vi(
                    "The mark %(points)s is too large: at most %(max)d points.",
                    points=str(services._MAX_POINTS + 1),
                    max=services._MAX_POINTS,
                )
            ],
        )

    def test_no_correct_answer_is_refused(self):
        """A question without a right answer is refused in Vietnamese."""
        ready, refusals, _notes = self._ready(
            choices=(ImportedChoice("Có", False), ImportedChoice("Không", False))
        )
        self.assertIsNone(ready)
        self.assertEqual(refusals, [vi("Mark exactly one choice as correct.")])

    def test_plain_text_keeps_html_characters(self):
        """A plain-text question keeps “<” and its line breaks as written."""
        ready, _refusals, _notes = self._ready(
            choices=self.choices, text="a <b> c\nd", text_format="plain"
        )
        self.assertEqual(ready.question.text, "a <b> c\nd")

    def test_html_paragraphs_become_lines(self):
        """HTML paragraphs and breaks become line breaks, entities characters."""
        ready, _refusals, _notes = self._ready(
            choices=self.choices,
            text="<p>Một &amp; hai</p>\n<p>ba<br>bốn</p>",
            text_format="html",
        )
        self.assertEqual(ready.question.text, "Một & hai\n\nba\nbốn")

    # A picture of one pixel, as Moodle embeds it.
    PNG = base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    )

    def test_the_first_image_is_kept_and_every_other_noted(self):
        """The question keeps the first image its text shows; a second one, one
        the file does not hold, one from another website and a file no text
        shows are each named in a note."""
        ready, refusals, notes = self._ready(
            choices=self.choices,
            text=(
                '<p>Câu?</p><img src="@@PLUGINFILE@@/thieu.png">'
                '<img src="@@PLUGINFILE@@/a.png" alt="Màn hình">'
                '<img src="@@PLUGINFILE@@/b.png">'
                '<img src="https://example.com/x.png">'
            ),
            files=(("a.png", self.PNG), ("b.png", self.PNG), ("c.png", self.PNG)),
        )
        self.assertEqual(refusals, [])
        self.assertEqual(ready.image, ("a.png", self.PNG, "Màn hình"))
        self.assertEqual(
            notes,
            [
                vi(
                    "The text shows the image «%(name)s», which the file does not "
                    "hold.",
                    name="thieu.png",
                ),
                vi(
                    "Only the first image of a question is kept, under its text; "
                    "«%(name)s» is left out.",
                    name="b.png",
                ),
                vi("An image linked from another website is left out."),
                vi(
                    "Embedded files that no text shows are left out: %(names)s.",
                    names="c.png",
                ),
            ],
        )

    def test_images_in_the_feedback_are_noted_once(self):
        """Images in the answers or the feedback are not kept, in one note that
        covers their files too; a text whose images are all embedded gets no
        note of images from another website."""
        ready, _refusals, notes = self._ready(
            choices=self.choices,
            text='<p>Câu?</p><img src="@@PLUGINFILE@@/a.png">',
            explanation='<img src="@@PLUGINFILE@@/giai-thich.png">',
            files=(("a.png", self.PNG), ("giai-thich.png", self.PNG)),
        )
        self.assertEqual(ready.image, ("a.png", self.PNG, ""))
        self.assertEqual(
            notes, [vi("Images in the answers and the feedback are not kept.")]
        )

    def test_an_embedded_file_that_is_not_an_image_is_refused(self):
        ready, refusals, _notes = self._ready(
            choices=self.choices,
            text='<p>Câu?</p><img src="@@PLUGINFILE@@/a.png">',
            files=(("a.png", b"not a picture"),),
        )
        self.assertIsNone(ready)
        self.assertEqual(
            refusals,
            [vi("The embedded file «%(name)s» is not an image.", name="a.png")],
        )


class ImportCommandTests(TestCase):
    def test_command_imports_and_reports(self):
        """The command adds the questions and lists what it did not add."""
        out = StringIO()
        call_command("import_questions", str(GIFT_FILE), stdout=out)
        self.assertIn("11 question(s) added.", out.getvalue())
        self.assertIn("Ghép ứng dụng", out.getvalue())
        self.assertEqual(Question.objects.count(), 11)

    def test_command_refuses_a_malformed_file(self):
        """A malformed file makes the command fail and adds nothing."""
        err = StringIO()
        with self.assertRaisesMessage(CommandError, "Nothing was imported."):
            call_command(
                "import_questions", str(DATA / "loi.xml"), stdout=StringIO(), stderr=err
            )
        self.assertIn("Không có đáp án đúng", err.getvalue())
        self.assertEqual(Question.objects.count(), 0)

    def test_the_command_refuses_an_oversized_file_unread(self):
        """The command refuses a file over the admin page's limit with the same
        message, before reading it."""
        with tempfile.NamedTemporaryFile(suffix=".gift") as handle:
            # Sparse: as large as the limit plus one byte, without writing it.
            handle.truncate(QUESTION_FILE_MAX_BYTES + 1)
            with (
                mock.patch.object(
                    Path, "read_bytes", side_effect=AssertionError("read")
                ),
                self.assertRaisesMessage(
                    CommandError,
                    vi(
                        "The file is larger than %(max)d MB, the most an import takes.",
                        max=10,
                    ),
                ),
            ):
                call_command("import_questions", handle.name, stdout=StringIO())
        self.assertEqual(Question.objects.count(), 0)

    def test_a_file_at_the_limit_is_read(self):
        """A file exactly at the limit is not refused for its size."""
        content = GIFT_FILE.read_bytes()
        padding = b"\n" * (QUESTION_FILE_MAX_BYTES - len(content))
        with tempfile.NamedTemporaryFile(suffix=".gift") as handle:
            handle.write(content + padding)
            handle.flush()
            out = StringIO()
            call_command("import_questions", handle.name, stdout=out)
        self.assertIn("11 question(s) added.", out.getvalue())


class ImportPageTests(TestCase):
    def setUp(self):
        editor = UserFactory()
        editor.user_permissions.add(
            Permission.objects.get(codename="access_admin"),
            Permission.objects.get(codename="add_question"),
        )
        self.client.force_login(editor)

    def _post(self, path: Path, **data):
        """Upload the file and follow the redirect to the import's page, where
        the import (run at once by the tests' task backend) is reported."""
        upload = SimpleUploadedFile(path.name, path.read_bytes())
        return self.client.post(
            reverse("quizzes_import"), {"file": upload, **data}, follow=True
        )

    def test_editor_uploads_a_gift_file(self):
        """An editor uploads a GIFT file and sees what was added and which
        questions are of a type not supported."""
        response = self._post(GIFT_FILE)
        self.assertContains(
            response,
            vi(
                "%(counter)s question added.",
                "%(counter)s questions added.",
                11,
                counter=11,
            ),
        )
        self.assertContains(response, "Ghép ứng dụng")
        self.assertContains(response, vi("Matching"))
        self.assertContains(response, vi("type not supported"))
        self.assertEqual(Question.objects.count(), 11)

    def test_malformed_file_changes_nothing(self):
        """A malformed file adds nothing and each problem is shown with its line."""
        response = self._post(DATA / "loi.gift", format=GIFT)
        self.assertContains(
            response,
            vi(
                "Nothing was added: the file has errors. Correct them and import "
                "the file again."
            ),
        )
        self.assertContains(response, vi("line %(line)d", line=7))
        self.assertEqual(Question.objects.count(), 0)

    def test_needs_permission(self):
        """Someone who cannot add questions cannot import."""
        self.client.force_login(UserFactory())
        response = self.client.get(reverse("quizzes_import"))
        self.assertNotEqual(response.status_code, 200)
