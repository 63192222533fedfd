"""Writing question banks as Moodle XML (quizzes.interchange.export). No database."""

from decimal import Decimal
from pathlib import Path

import pytest
from defusedxml import ElementTree
from django.utils import translation

from quizzes.interchange import (
    ESSAY,
    MULTIPLE,
    SHORT_TEXT,
    SINGLE,
    TRUE_FALSE,
    ImportedChoice,
    ImportedQuestion,
    parse_gift,
    parse_moodle_xml,
    platform_fractions,
    to_moodle_xml,
)

DATA = Path(__file__).parent / "data" / "interchange"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("filename", "parser"),
    [
        ("ngan_hang_cau_hoi.xml", parse_moodle_xml),
        ("ngan_hang_cau_hoi.gift", parse_gift),
    ],
)
def test_export_then_import_gives_the_same_questions(filename, parser):
    """parse(export(parse(file))) == parse(file) for every supported question."""
    first = parser((DATA / filename).read_bytes())
    again = parse_moodle_xml(to_moodle_xml(first.questions))
    assert again.problems == []
    # Notes on the questions exported; those saying why a question is not
    # supported leave with it.
    unsupported = {item.source_ref for item in first.unsupported}
    kept = [n.message for n in first.notes if n.source_ref not in unsupported]
    assert [n.message for n in again.notes] == kept
    assert again.unsupported == []
    assert again.questions == first.questions
    assert len(again.questions) in (9, 11)


def test_the_gift_partial_answer_survives_the_round_trip():
    """A 50% short answer is written with its grade, so it is noted again."""
    first = parse_gift((DATA / "ngan_hang_cau_hoi.gift").read_bytes())
    again = parse_moodle_xml(to_moodle_xml(first.questions))
    assert len(first.notes) == 1
    assert again.notes[0].message == first.notes[0].message
    assert again.notes[0].source_ref == "question 4 «Địa chỉ Cổng»"


def test_one_category_entry_before_each_change_of_category():
    """Moodle files questions under the category entry that comes before them."""
    bank = parse_moodle_xml((DATA / "ngan_hang_cau_hoi.xml").read_bytes())
    root = ElementTree.fromstring(to_moodle_xml(bank.questions))
    categories = [
        element.findtext("category/text")
        for element in root.findall("question")
        if element.get("type") == "category"
    ]
    assert categories == [
        "$course$/top/Dịch vụ công/VNeID",
        "$course$/top/Dịch vụ công/Thanh toán trực tuyến",
        "$course$/top/An toàn số/Bảo vệ dữ liệu cá nhân",
    ]
    assert [element.get("type") for element in root.findall("question")] == [
        "category",
        "multichoice",
        "truefalse",
        "category",
        "multichoice",
        "shortanswer",
        "category",
        "essay",
        "matching",
        "numerical",
        "gapselect",
        "ordering",
    ]


def test_empty_categories_can_be_declared():
    """categories= writes category entries that hold no question."""
    data = to_moodle_xml([], categories=[("Kỹ năng số", "Thư điện tử 1/2")])
    assert b"$course$/top/K\xe1\xbb\xb9 n\xc4\x83ng s\xe1\xbb\x91/Th" in data
    assert parse_moodle_xml(data).categories == [("Kỹ năng số", "Thư điện tử 1/2")]


def bank_question(kind, **fields):
    """Return a question as the bank would give it: no Moodle grades."""
    defaults = {
        "name": "Câu hỏi",
        "text": "<p>Câu hỏi?</p>",
        "category": ("Kỹ năng số",),
    }
    return ImportedQuestion(kind=kind, **(defaults | fields))


def test_grades_follow_this_platform_rule_when_the_bank_has_none():
    """Each right answer is worth 100% ÷ the right answers, each wrong one minus
    as much, so Moodle marks multiple answers as this platform does."""
    question = bank_question(
        MULTIPLE,
        choices=(
            ImportedChoice("Mật khẩu mạnh", True),
            ImportedChoice("Mã OTP", True),
            ImportedChoice("Dùng chung mật khẩu", False),
        ),
    )
    (again,) = parse_moodle_xml(to_moodle_xml([question])).questions
    assert [(c.is_correct, c.fraction) for c in again.choices] == [
        (True, Decimal(50)),
        (True, Decimal(50)),
        (False, Decimal(-50)),
    ]
    assert platform_fractions(SINGLE, [False, True]) == [Decimal(0), Decimal(100)]
    assert platform_fractions(MULTIPLE, [True, True, True, False]) == [
        Decimal("33.33333"),
        Decimal("33.33333"),
        Decimal("33.33333"),
        Decimal("-33.33333"),
    ]


def test_a_single_choice_from_the_bank_gets_a_hundred_for_its_right_answer():
    question = bank_question(
        SINGLE,
        choices=(ImportedChoice("VNeID", True), ImportedChoice("Zalo", False)),
    )
    (again,) = parse_moodle_xml(to_moodle_xml([question])).questions
    assert [c.fraction for c in again.choices] == [Decimal(100), Decimal(0)]


def test_short_text_from_accepted_answers_only():
    """A short text with accepted answers and no graded choices is written whole,
    case rule included."""
    question = bank_question(
        SHORT_TEXT, accepted_answers=("Hà Nội", "Ha Noi"), case_sensitive=True
    )
    (again,) = parse_moodle_xml(to_moodle_xml([question])).questions
    assert again.accepted_answers == ("Hà Nội", "Ha Noi")
    assert again.case_sensitive is True


def test_true_false_and_essay_are_written_as_moodle_types():
    true_false = bank_question(
        TRUE_FALSE,
        choices=(
            ImportedChoice("Đúng", False, feedback="Chưa đúng."),
            ImportedChoice("Sai", True, feedback="Chính xác."),
        ),
    )
    essay = bank_question(ESSAY, grader_info="<p>Chấm theo đáp án.</p>")
    data = to_moodle_xml([true_false, essay])
    root = ElementTree.fromstring(data)
    answers = root.findall("question[@type='truefalse']/answer")
    assert [(a.findtext("text"), a.get("fraction")) for a in answers] == [
        ("true", "0"),
        ("false", "100"),
    ]
    assert answers[1].findtext("feedback/text") == "Chính xác."
    (again_tf, again_essay) = parse_moodle_xml(data).questions
    assert [c.is_correct for c in again_tf.choices] == [False, True]
    assert again_essay.grader_info == "<p>Chấm theo đáp án.</p>"


def test_text_that_would_close_cdata_and_markup_in_names_survive():
    """ "]]>" inside a text and "&" or "<" in a name or tag are written safely."""
    question = bank_question(
        ESSAY,
        name="Hỏi & đáp <VNeID>",
        text="<p>Mã ]]> lạ</p>",
        tags=("an toàn & bảo mật",),
    )
    (again,) = parse_moodle_xml(to_moodle_xml([question])).questions
    assert again.name == "Hỏi & đáp <VNeID>"
    assert again.text == "<p>Mã ]]> lạ</p>"
    assert again.tags == ("an toàn & bảo mật",)


def test_files_travel_with_the_text_that_shows_them():
    """An image shown in the feedback is written in the feedback, as Moodle needs;
    one no text shows is kept with the question text."""
    question = bank_question(
        SINGLE,
        text="<p>Chọn màn hình đúng.</p>",
        choices=(
            ImportedChoice(
                "A", True, Decimal(100), '<img src="@@PLUGINFILE@@/dung.png">'
            ),
            ImportedChoice("B", False),
        ),
        files=(("dung.png", b"\x89PNG-1"), ("thua.png", b"\x89PNG-2")),
    )
    data = to_moodle_xml([question])
    root = ElementTree.fromstring(data)
    element = root.find("question[@type='multichoice']")
    assert [f.get("name") for f in element.findall("questiontext/file")] == ["thua.png"]
    assert [f.get("name") for f in element.findall("answer/feedback/file")] == [
        "dung.png"
    ]
    (again,) = parse_moodle_xml(data).questions
    assert sorted(again.files) == sorted(question.files)


def test_an_unknown_kind_cannot_be_exported():
    with pytest.raises(ValueError, match="calculated"):
        to_moodle_xml([bank_question("calculated")])
