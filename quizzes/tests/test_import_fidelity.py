"""Imports that keep everything (issue 18 §2): each found with a file built like
one of Moodle's own test fixtures (question/format/xml/tests/fixtures)."""

import re
import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.images import get_image_model

from core.testing import vi

from ..interchange import GIFT, parse_gift, parse_moodle_xml
from ..models import Question, QuestionCategory, QuestionType
from ..services import question_bank_export, question_bank_import

DATA = Path(__file__).parent / "data" / "interchange"
MOODLE = DATA / "moodle"
MEDIA = Path(__file__).resolve().parents[2] / ".test-media"


def _import(path: Path, **kwargs):
    return question_bank_import(source=path.read_bytes(), filename=path.name, **kwargs)


def _command(path: Path, *args):
    out, err = StringIO(), StringIO()
    call_command("import_questions", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


class ValidOnlyTests(TestCase):
    def test_valid_only_adds_the_valid_questions_and_lists_the_rest(self):
        """One question whose grades add up to 99.67% no longer stops the valid
        one: --valid-only adds it and lists the refused one by name."""
        out, err = _command(MOODLE / "diem_khong_cong_du.xml", "--valid-only")
        self.assertEqual(Question.objects.count(), 1)
        self.assertEqual(Question.objects.get().name, "Mã OTP")
        self.assertIn("Điểm <strong>không cộng đủ</strong>", err)
        self.assertIn(vi("refused"), err)
        self.assertIn("1 question(s) added.", out)
        self.assertIn("1 question(s) refused", out)

    def test_without_valid_only_the_refused_question_adds_nothing(self):
        with self.assertRaisesMessage(CommandError, "Nothing was imported."):
            _command(MOODLE / "diem_khong_cong_du.xml")
        self.assertEqual(Question.objects.count(), 0)
        self.assertEqual(QuestionCategory.objects.count(), 0)

    def test_a_penalty_on_a_single_choice_answer_is_noted(self):
        """Moodle's -33.3% on a wrong single-choice answer is named in the report,
        since here a wrong answer takes nothing away."""
        report = _import(MOODLE / "diem_khong_cong_du.xml", all_or_nothing=False)
        messages = [str(note.message) for note in report.notes]
        self.assertIn(
            vi(
                "The answer «%(answer)s» is worth %(fraction)s%% in the file, a "
                "penalty; here a wrong answer scores 0 and takes nothing away.",
                answer="Có",
                fraction="-33.33333",
            ),
            messages,
        )


class FormatDetectionTests(TestCase):
    def test_a_moodle_xml_file_named_txt_is_read_as_moodle_xml(self):
        xml = (DATA / "ngan_hang_cau_hoi.xml").read_bytes()
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "ngan_hang.txt"
            path.write_bytes(xml)
            out, _err = _command(path)
        # Read as Moodle XML: every question of a type the bank has (nine,
        # the procedure types among them), none read as GIFT.
        self.assertIn("9 question(s) added.", out)
        self.assertEqual(Question.objects.count(), 9)

    def test_a_csv_file_is_refused_as_an_unknown_format(self):
        """A CSV is not read as GIFT answering "done": it is named as neither
        format, nothing is created, and the command fails."""
        csv = "Câu hỏi,Đáp án đúng,Đáp án sai\nThủ đô?,Hà Nội,Huế\n".encode()
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "cau_hoi.txt"
            path.write_bytes(csv)
            err = StringIO()
            with self.assertRaisesMessage(CommandError, "Nothing was imported."):
                call_command(
                    "import_questions", str(path), stdout=StringIO(), stderr=err
                )
        self.assertIn(
            vi(
                "The file is neither Moodle XML nor GIFT, the formats an import "
                "reads (a spreadsheet or CSV file, for instance, is not). Export "
                "the questions from Moodle as Moodle XML or GIFT."
            ),
            err.getvalue(),
        )
        self.assertEqual(QuestionCategory.objects.count(), 0)


class GiftAnswerFormatTests(TestCase):
    def test_answer_prefixes_are_applied_not_kept_in_the_text(self):
        """[html] is read as HTML, [plain] kept as typed, [markdown] loses its
        marks; none of the prefixes reaches the answer's text."""
        source = (
            "::Định dạng::Chọn đáp án đúng.{"
            "=[html]<b>Nộp</b> hồ sơ ~[plain]<i>Hủy</i> ~[markdown]**Lưu** nháp}"
        ).encode()
        result = parse_gift(source)
        self.assertEqual(
            [(c.text, c.text_format) for c in result.questions[0].choices],
            [
                ("<b>Nộp</b> hồ sơ", "html"),
                ("<i>Hủy</i>", "plain"),
                ("**Lưu** nháp", "markdown"),
            ],
        )
        report = question_bank_import(source=source, format=GIFT)
        self.assertEqual(report.created, 1)
        self.assertEqual(
            list(Question.objects.get().choices.values_list("text", flat=True)),
            ["Nộp hồ sơ", "<i>Hủy</i>", "Lưu nháp"],
        )

    def test_short_answer_prefix(self):
        source = "Viết tắt của dịch vụ công?{=[html]<p>DVC</p> =[plain]dvc}".encode()
        question_bank_import(source=source, format=GIFT)
        self.assertEqual(
            list(
                Question.objects.get().accepted_answers.values_list("text", flat=True)
            ),
            ["DVC", "dvc"],
        )


@override_settings(MEDIA_ROOT=MEDIA)
class NothingDroppedSilentlyTests(TestCase):
    def setUp(self):
        self.report = _import(MOODLE / "bo_sot.xml")

    def notes(self):
        return [str(note.message) for note in self.report.notes]

    def test_a_hidden_question_is_named_as_left_out(self):
        (row,) = self.report.left_out
        self.assertEqual(row.name, "Câu đã ẩn")
        self.assertEqual(row.status_label, vi("left out"))
        self.assertFalse(Question.objects.filter(text__contains="ẩn").exists())

    def test_multilang_keeps_the_site_language(self):
        """Spans in English and Vietnamese give the Vietnamese text, not
        "CapitalThủ đô" or "HanoiHà Nội"."""
        question = Question.objects.get(kind=QuestionType.SHORT_TEXT)
        self.assertEqual(question.name, "Thủ đô")
        self.assertEqual(question.text, "Thủ đô của Việt Nam là?")
        self.assertEqual(
            list(question.accepted_answers.values_list("text", flat=True)), ["Hà Nội"]
        )
        self.assertIn(
            vi(
                "The text is written in several languages; only the %(language)s "
                "version is kept (or the first one when there is none).",
                language="vi",
            ),
            self.notes(),
        )

    def test_multilang_falls_back_when_the_site_language_is_missing(self):
        result = parse_gift(
            '<span lang\\="en" class\\="multilang">Hanoi</span>'
            '<span lang\\="fr" class\\="multilang">Hanoï</span> là?{=Có ~Không}'
        )
        self.assertEqual(result.questions[0].text, "Hanoi là?")

    def test_a_moodle_19_picture_becomes_the_question_image(self):
        question = Question.objects.get(name="Ảnh Moodle 1.9")
        self.assertEqual(question.image.title, "bieu-tuong.png")
        self.assertEqual(question.text, "Biểu tượng này là của ứng dụng nào?")

    def test_a_link_to_an_embedded_file_is_named_not_leaked(self):
        """As in Moodle's multichoice.xml fixture: a link to the question's own
        sound file keeps its words, and the report names the file."""
        report = question_bank_import(
            source=(
                '<?xml version="1.0" encoding="UTF-8"?><quiz>'
                '<question type="truefalse"><name><text>Chào</text></name>'
                '<questiontext format="html"><text><![CDATA[<p><a href="'
                '@@PLUGINFILE@@/xin-chao.mp3">Nghe lời chào:</a> Đây là tiếng '
                "Việt?</p>]]></text></questiontext>"
                '<answer fraction="100"><text>true</text></answer>'
                '<answer fraction="0"><text>false</text></answer>'
                "</question></quiz>"
            ).encode(),
            filename="chao.xml",
        )
        self.assertEqual(report.created, 1)
        self.assertEqual(
            Question.objects.get(name="Chào").text, "Nghe lời chào: Đây là tiếng Việt?"
        )
        self.assertIn(
            vi(
                "The question text holds %(what)s, which the bank cannot play; it "
                "is left out%(sources)s.",
                what=vi("a link to a file of the question"),
                sources=" (@@PLUGINFILE@@/xin-chao.mp3)",
            ),
            [str(note.message) for note in report.notes],
        )

    def test_audio_is_named_and_a_link_keeps_its_address(self):
        question = Question.objects.get(kind=QuestionType.TRUE_FALSE)
        self.assertIn(
            "câu hỏi thường gặp "
            "(https://dichvucong.gov.vn/p/home/dvc-cau-hoi-pho-bien.html)",
            question.text,
        )
        self.assertIn(
            vi(
                "The question text holds %(what)s, which the bank cannot play; it "
                "is left out%(sources)s.",
                what=vi("a sound"),
                sources=" (@@PLUGINFILE@@/huong-dan.mp3)",
            ),
            self.notes(),
        )


class EncodingTests(TestCase):
    def test_latin1_declared_utf8_is_named_in_vietnamese(self):
        result = parse_moodle_xml((MOODLE / "latin1_khai_utf8.xml").read_bytes())
        (problem,) = result.problems
        self.assertEqual(problem.source_ref, vi("line %(line)d", line=4))
        self.assertNotIn("invalid token", problem.message)
        self.assertIn("Latin-1", problem.message)
        self.assertIn("0xE9", problem.message)

    def test_a_syntax_error_is_explained_not_the_parser_message(self):
        result = parse_moodle_xml(b"<quiz><question></quiz>")
        (problem,) = result.problems
        self.assertNotIn("mismatched tag", problem.message)
        self.assertIn(
            vi("a closing tag does not match the tag it should close."),
            problem.message,
        )


class NothingImportableTests(TestCase):
    def test_says_so_creates_nothing_and_fails(self):
        """Only a description and a hidden question: no empty category, and the
        command exits non-zero, listing both."""
        err = StringIO()
        out = StringIO()
        with self.assertRaisesMessage(CommandError, "Nothing was imported."):
            call_command(
                "import_questions",
                str(MOODLE / "chi_co_cau_khong_ho_tro.xml"),
                stdout=out,
                stderr=err,
            )
        self.assertEqual(QuestionCategory.objects.count(), 0)
        self.assertIn("Giới thiệu", out.getvalue())
        self.assertIn("Đã ẩn", out.getvalue())
        self.assertIn(
            vi(
                "No question of the file can be added: each is refused, left out or "
                "of a type the bank cannot hold (see the list). Nothing was created."
            ),
            err.getvalue(),
        )


@override_settings(MEDIA_ROOT=MEDIA)
class RoundTripTests(TestCase):
    def test_names_images_and_alt_texts_survive_two_round_trips(self):
        """Question names are kept and exported; the image keeps its file name
        (no random suffix) and its alternative text, trip after trip."""
        source = (DATA / "ngan_hang_cau_hoi.xml").read_bytes()
        for _trip in range(2):
            Question.objects.all().delete()
            report = question_bank_import(source=source, filename="x.xml")
            self.assertEqual(report.created, 9)  # the procedure types too
            login = Question.objects.get(kind=QuestionType.SINGLE)
            self.assertEqual(login.name, "Đăng nhập Cổng bằng VNeID")
            self.assertEqual(login.image.description, "Màn hình đăng nhập")
            source = question_bank_export()
            text = source.decode()
            self.assertIn("<name><text>Đăng nhập Cổng bằng VNeID</text></name>", text)
            self.assertIn('src="@@PLUGINFILE@@/dang-nhap.png"', text)
            self.assertIn('alt="Màn hình đăng nhập"', text)
            self.assertIn('<file name="dang-nhap.png"', text)
        # The storage did give the second file another name; the export did not.
        self.assertGreater(get_image_model().objects.count(), 1)


def _bank(count: int) -> bytes:
    questions = "\n".join(
        f"::Câu {n}::Câu hỏi số {n}?{{=Đúng {n} ~Sai {n} ~Khác {n}}}\n"
        for n in range(count)
    )
    return ("$CATEGORY: $course$/top/Lớn\n\n" + questions).encode()


class LinearImportTests(TestCase):
    def test_queries_do_not_grow_with_the_number_of_questions(self):
        """A bank of 300 questions takes hardly more queries than one of 30: no
        query per question (each would scan a table that grows)."""
        counts = []
        for size in (30, 300):
            with CaptureQueriesContext(connection) as queries:
                report = question_bank_import(source=_bank(size), format=GIFT)
            self.assertEqual(report.created, size)
            counts.append(len(queries))
            Question.objects.all().delete()
            QuestionCategory.objects.all().delete()
        # 270 more questions: a query per question would make 270 more queries.
        # Bulk inserts add a few (SQLite splits a large insert by its limit on
        # parameters), far fewer than one per ten questions.
        self.assertLess(counts[1] - counts[0], 270 // 10)

    def test_a_second_import_skips_every_question(self):
        question_bank_import(source=_bank(40), format=GIFT)
        report = question_bank_import(source=_bank(40), format=GIFT)
        self.assertEqual((report.created, len(report.skipped)), (0, 40))
        self.assertEqual(Question.objects.count(), 40)
        self.assertTrue(re.match(r"Câu \d+", Question.objects.first().name))
