"""Moodle XML of the procedure types: ordering, matching, ddmarker (the hotspot),
gapselect, numerical and Cloze, read in the shapes of Moodle's own fixtures,
and a bank of each type exported and imported back unchanged."""

from decimal import Decimal
from pathlib import Path

from django.test import SimpleTestCase, TestCase, override_settings
from wagtail.images import get_image_model

from core.testing import vi

from ..interchange import MOODLE_XML, parse, to_moodle_xml
from ..models import Question, QuestionCategory, QuestionType
from ..services import question_bank_export, question_bank_import
from .procedure_factories import (
    gap_question,
    hotspot_question,
    matching_question,
    numerical_question,
    ordering_question,
)

DATA = Path(__file__).parent / "data" / "interchange"
MEDIA = Path(__file__).resolve().parents[2] / ".test-media"


class ParseTests(SimpleTestCase):
    def setUp(self):
        self.result = parse((DATA / "thu_tuc.xml").read_bytes(), format=MOODLE_XML)
        self.by_name = {question.name: question for question in self.result.questions}

    def notes_of(self, name):
        return [note.message for note in self.result.notes if name in note.source_ref]

    def test_ordering_follows_the_fractions(self):
        question = self.by_name["Moodle"]
        self.assertEqual(question.kind, "ordering")
        self.assertEqual(
            question.steps,
            ("Modular", "Object", "Oriented", "Dynamic", "Learning", "Environment"),
        )
        # Moodle graded by absolute position; the report says what changes.
        self.assertTrue(any("ABSOLUTE_POSITION" in n for n in self.notes_of("Moodle")))

    def test_matching_keeps_the_extra_wrong_answer(self):
        question = self.by_name["Giấy tờ"]
        self.assertEqual(question.kind, "matching")
        self.assertEqual(
            [answer for _prompt, answer in question.pairs],
            ["Nhân thân", "Khai sinh", "Nộp thuế"],
        )
        self.assertEqual(question.pairs[2][0], "")

    def test_gapselect_words_and_groups(self):
        question = self.by_name["Đăng nhập"]
        self.assertEqual(question.kind, "gap_select")
        self.assertEqual(
            question.gap_words, (("VNeID", 1), ("Nộp hồ sơ", 2), ("Zalo", 1))
        )

    def test_numerical_tolerance_grades_and_unit(self):
        question = self.by_name["Lệ phí"]
        self.assertEqual(question.kind, "numerical")
        self.assertEqual(
            question.numbers,
            (
                (Decimal(50000), Decimal(0), Decimal(100)),
                (Decimal(50000), Decimal(5000), Decimal(50)),
            ),
        )
        self.assertEqual(question.unit, "đồng")
        self.assertTrue(self.notes_of("Lệ phí"))

    def test_ddmarker_with_one_marker_is_a_hotspot(self):
        question = self.by_name["Nút nộp"]
        self.assertEqual(question.kind, "hotspot")
        first, second = question.regions
        # 120,70;60,20 on a 200x100 picture.
        self.assertEqual(
            (first.x, first.y, first.width, first.height),
            (Decimal(60), Decimal(70), Decimal(30), Decimal(20)),
        )
        self.assertTrue(first.is_correct and second.is_correct)
        # The circle 20,20;10 becomes the square around it, which is noted.
        self.assertEqual((second.x, second.width), (Decimal(5), Decimal(10)))
        self.assertTrue(self.notes_of("Nút nộp"))
        self.assertIn("@@PLUGINFILE@@/cong.png", question.text)

    def test_ddmarker_with_several_markers_is_listed(self):
        unsupported = {item.name: item for item in self.result.unsupported}
        self.assertIn("Milton Keynes landmarks", unsupported)
        self.assertTrue(self.notes_of("Milton Keynes"))

    def test_cloze_of_choices_is_select_missing_words(self):
        question = self.by_name["Cloze chọn"]
        self.assertEqual(question.kind, "gap_select")
        self.assertIn("[[1]]", question.text)
        self.assertIn("[[2]]", question.text)
        self.assertEqual(question.gap_words[:2], (("VNeID", 1), ("định danh", 2)))
        self.assertEqual(set(question.gap_words[2:]), {("Zalo", 1), ("nhắn tin", 2)})

    def test_cloze_of_one_number_is_numerical(self):
        question = self.by_name["Cloze số"]
        self.assertEqual(question.kind, "numerical")
        self.assertEqual(
            question.numbers, ((Decimal(30000), Decimal(1000), Decimal(100)),)
        )

    def test_cloze_with_a_short_answer_is_listed(self):
        self.assertIn("Cloze lẫn", {item.name for item in self.result.unsupported})
        self.assertTrue(any("SHORTANSWER" in n for n in self.notes_of("Cloze lẫn")))


NEGATIVE = b"""<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="numerical">
    <name><text>Sai</text></name>
    <questiontext format="html"><text>Bao nhi\xc3\xaau?</text></questiontext>
    <answer fraction="100"><text>10</text><tolerance>-2</tolerance></answer>
  </question>
  <question type="ordering">
    <name><text>Mot buoc</text></name>
    <questiontext format="html"><text>Sap xep</text></questiontext>
    <answer fraction="1"><text>Chi mot</text></answer>
  </question>
</quiz>
"""


@override_settings(MEDIA_ROOT=MEDIA)
class ImportTests(TestCase):
    def test_the_file_imports_what_it_can(self):
        report = question_bank_import(
            source=(DATA / "thu_tuc.xml").read_bytes(),
            format=MOODLE_XML,
            all_or_nothing=False,
        )
        kinds = sorted(Question.objects.values_list("kind", flat=True))
        self.assertEqual(
            kinds,
            sorted(
                [
                    "ordering",
                    "matching",
                    "gap_select",
                    "gap_select",
                    "numerical",
                    "numerical",
                    "hotspot",
                ]
            ),
            report.rows,
        )
        hotspot = Question.objects.get(kind="hotspot")
        self.assertIsNotNone(hotspot.image)
        self.assertEqual(hotspot.regions.count(), 2)
        self.assertEqual(hotspot.text, "Chạm vào nút Nộp hồ sơ.")
        number = Question.objects.get(text="Lệ phí là bao nhiêu?")
        self.assertEqual(number.unit, "đồng")
        self.assertEqual(number.numbers.count(), 2)
        for question in Question.objects.all():
            self.assertEqual(question.answer_key_errors(), [], question)

    def test_bad_keys_are_refused_with_the_reason(self):
        report = question_bank_import(
            source=NEGATIVE, format=MOODLE_XML, all_or_nothing=False
        )
        self.assertFalse(Question.objects.exists())
        messages = " ".join(row.message for row in report.rows)
        self.assertIn(vi("A tolerance cannot be negative."), messages)
        self.assertIn(
            vi("An ordering question needs at least two steps to put in order."),
            messages,
        )


@override_settings(MEDIA_ROOT=MEDIA)
class RoundTripTests(TestCase):
    def snapshot(self):
        rows = []
        for question in Question.objects.order_by("kind", "text"):
            rows.append(
                (
                    question.kind,
                    question.text,
                    question.unit,
                    tuple(question.steps.values_list("text", flat=True)),
                    tuple(question.pairs.values_list("prompt", "answer")),
                    tuple(question.gap_words.values_list("text", "group")),
                    tuple(question.numbers.values_list("value", "tolerance", "grade")),
                    tuple(
                        question.regions.values_list(
                            "label", "is_correct", "x", "y", "width", "height"
                        )
                    ),
                    bool(question.image_id),
                )
            )
        return rows

    def test_export_then_import_keeps_every_type(self):
        for make in (ordering_question, matching_question, gap_question):
            make()
        numerical_question()
        hotspot_question()
        before = self.snapshot()
        exported = question_bank_export()
        Question.objects.all().delete()
        get_image_model().objects.all().delete()
        while QuestionCategory.objects.exists():
            QuestionCategory.objects.filter(children__isnull=True).delete()
        report = question_bank_import(source=exported, format=MOODLE_XML)
        self.assertTrue(report.applied, report.problems)
        after = self.snapshot()
        # Regions go through Moodle's whole pixels: 37.125% of 400 px is 148.5.
        self.assertEqual(len(after), len(before))
        for old, new in zip(before, after, strict=True):
            if old[0] == QuestionType.HOTSPOT:
                for a, b in zip(old[7], new[7], strict=True):
                    self.assertEqual(a[:2], b[:2])
                    for x, y in zip(a[2:], b[2:], strict=True):
                        self.assertLessEqual(abs(x - y), Decimal("0.25"))
                self.assertEqual(old[:7] + old[8:], new[:7] + new[8:])
            else:
                self.assertEqual(old, new)

    def test_moodle_reads_what_is_written(self):
        """The XML written holds Moodle's own elements for each type."""
        ordering_question()
        hotspot_question()
        xml = question_bank_export().decode()
        self.assertIn('<question type="ordering">', xml)
        self.assertIn("<gradingtype>RELATIVE_NEXT_EXCLUDE_LAST</gradingtype>", xml)
        self.assertIn('<question type="ddmarker">', xml)
        self.assertIn("<shape>rectangle</shape>", xml)
        self.assertIn("<choice>1</choice>", xml)
        self.assertIsInstance(to_moodle_xml([]), bytes)
