"""Reading Moodle XML question banks (quizzes.interchange.moodle_xml). No database."""

import base64
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

from quizzes.interchange import (
    ESSAY,
    MOODLE_XML,
    MULTIPLE,
    SHORT_TEXT,
    SINGLE,
    TRUE_FALSE,
    guess_format,
    parse,
    parse_moodle_xml,
    unsupported_label,
)

DATA = Path(__file__).parent / "data" / "interchange"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9aw"
    "AAAABJRU5ErkJggg=="
)


@pytest.fixture(autouse=True)
def _english():
    """Compare messages with their English source, whatever the catalogue says."""
    with translation.override("en"):
        yield


@pytest.fixture(scope="module")
def bank():
    with translation.override("en"):
        return parse_moodle_xml((DATA / "ngan_hang_cau_hoi.xml").read_bytes())


def question(bank, name):
    return next(q for q in bank.questions if q.name == name)


def test_the_sample_bank_reads_every_supported_type(bank):
    """multichoice (single and multiple), truefalse, shortanswer and essay, and
    the procedure types."""
    assert bank.ok is True
    assert bank.problems == []
    assert [(q.kind, q.name) for q in bank.questions] == [
        (SINGLE, "Đăng nhập Cổng bằng VNeID"),
        (TRUE_FALSE, "Tích hợp giấy tờ"),
        (MULTIPLE, "Cách thanh toán lệ phí"),
        (SHORT_TEXT, "Mã hồ sơ"),
        (ESSAY, "Tình huống lừa đảo"),
        ("matching", "Ghép ứng dụng với công dụng"),
        ("numerical", "Số chữ số của số định danh"),
        ("gap_select", "Chọn từ còn thiếu"),
        ("ordering", "Sắp xếp các bước"),
    ]
    assert [q.source_ref for q in bank.questions] == [
        "question 1 «Đăng nhập Cổng bằng VNeID»",
        "question 2 «Tích hợp giấy tờ»",
        "question 3 «Cách thanh toán lệ phí»",
        "question 4 «Mã hồ sơ»",
        "question 5 «Tình huống lừa đảo»",
        "question 6 «Ghép ứng dụng với công dụng»",
        "question 7 «Số chữ số của số định danh»",
        "question 11 «Chọn từ còn thiếu»",
        "question 15 «Sắp xếp các bước»",
    ]


def test_every_unsupported_type_is_listed_by_its_moodle_name(bank):
    """Nothing is dropped silently: six unsupported questions, six in the list
    (matching, numerical, gapselect and ordering are read: see
    test_interchange_procedures; a Cloze with a short answer is not)."""
    assert [(u.type_name, u.name) for u in bank.unsupported] == [
        ("calculated", "Tính lệ phí"),
        ("calculatedsimple", "Tính phần trăm hồ sơ trực tuyến"),
        ("ddwtos", "Kéo thả bước nộp hồ sơ"),
        ("multianswer", "Điền vào chỗ trống (Cloze)"),
        ("description", "Giới thiệu phần thi"),
        ("randomsamatch", "Ghép ngẫu nhiên"),
    ]
    assert bank.unsupported[0].source_ref == "question 8 «Tính lệ phí»"
    assert unsupported_label("multianswer") == "Embedded answers (Cloze)"
    assert unsupported_label("qtype_unknown") == "qtype_unknown"


def test_categories_nest_and_empty_ones_are_declared(bank):
    """Category entries set the path of the questions after them."""
    assert bank.categories == [
        ("Dịch vụ công", "VNeID"),
        ("Dịch vụ công", "Thanh toán trực tuyến"),
        ("An toàn số",),
        ("An toàn số", "Bảo vệ dữ liệu cá nhân"),
    ]
    assert question(bank, "Tích hợp giấy tờ").category == ("Dịch vụ công", "VNeID")
    assert question(bank, "Tình huống lừa đảo").category == (
        "An toàn số",
        "Bảo vệ dữ liệu cá nhân",
    )


def test_single_choice_keeps_html_feedback_explanation_image_and_tags(bank):
    """The HTML is kept as given; the embedded image comes decoded, by name."""
    q = question(bank, "Đăng nhập Cổng bằng VNeID")
    assert q.text_format == "html"
    assert q.text.startswith("<p>Trên màn hình đăng nhập của Cổng Dịch vụ công")
    assert '<img src="@@PLUGINFILE@@/dang-nhap.png"' in q.text
    assert q.files == (("dang-nhap.png", PNG),)
    assert q.explanation == (
        "<p>Từ năm 2024, Cổng chỉ cho đăng nhập bằng tài khoản "
        "<strong>VNeID</strong>.</p>"
    )
    assert q.points == Decimal(2)
    assert [(c.is_correct, c.feedback) for c in q.choices] == [
        (True, "<p>Đúng.</p>"),
        (False, "<p>Cổng không còn cấp tài khoản riêng.</p>"),
    ]
    assert q.tags == ("VNeID", "đăng nhập")


def test_true_false_reads_the_answer_and_both_feedbacks(bank):
    """The answer worth 100% is the right one; True always comes first."""
    q = question(bank, "Tích hợp giấy tờ")
    assert q.text_format == "moodle"
    true, false = q.choices
    assert (true.text, true.is_correct) == ("True", True)
    assert (false.text, false.is_correct) == ("False", False)
    assert false.feedback == "Chưa đúng: giấy tờ đã tích hợp có giá trị sử dụng."


def test_multiple_answers_take_every_positive_grade_as_right(bank):
    """Three thirds (33.33333%) are right and the -100% answer is wrong."""
    q = question(bank, "Cách thanh toán lệ phí")
    assert [(c.is_correct, c.fraction) for c in q.choices] == [
        (True, Decimal("33.33333")),
        (True, Decimal("33.33333")),
        (True, Decimal("33.33333")),
        (False, Decimal(-100)),
    ]


def test_short_answer_keeps_its_case_rule(bank):
    """<usecase>1</usecase> makes a case-sensitive short text."""
    q = question(bank, "Mã hồ sơ")
    assert q.accepted_answers == ("MHS", "MÃ HỒ SƠ")
    assert q.case_sensitive is True
    assert q.choices[0].feedback == "Đúng: mã hồ sơ."


def test_essay_keeps_the_information_for_graders(bank):
    """An essay's graderinfo and general feedback are both kept."""
    q = question(bank, "Tình huống lừa đảo")
    assert q.points == Decimal(5)
    assert q.grader_info == "<p>Mỗi việc đúng được 2,5 điểm.</p>"
    assert q.explanation.startswith("<p>Không bấm đường dẫn lạ")


@pytest.fixture(scope="module")
def broken():
    with translation.override("en"):
        return parse_moodle_xml((DATA / "loi.xml").read_bytes())


def test_a_file_with_problems_imports_nothing(broken):
    """One good question among broken ones: the result says import nothing."""
    assert broken.ok is False
    assert broken.questions_to_import == []
    assert [q.name for q in broken.questions] == ["Câu đúng"]


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("question 2 «Không có đáp án đúng»", "No answer is marked right"),
        ("question 3 «Trọng số sai»", "The positive grades add up to 90%"),
        (
            "question 4 «Điểm không hợp lệ»",
            "The answer «VNeID» has the grade «một trăm», which is not a percentage",
        ),
        ("question 5 «Thiếu đáp án sai»", "exactly the answers “true” and “false”"),
        ("question 6 «Không có nội dung»", "The question has no text."),
        (
            "question 7 «Ảnh hỏng»",
            "The embedded file «hong.png» is damaged (invalid base64).",
        ),
        ("question 8 «Không có loại»", "The question has no type."),
        ("question 9 «Không có đáp án chấp nhận»", "No accepted answer is worth 100%."),
    ],
)
def test_each_problem_names_its_question(broken, where, message):
    """Every broken question is reported once, by its position and name."""
    found = [p.message for p in broken.problems if p.source_ref == where]
    assert len(found) == 1, [str(p) for p in broken.problems]
    assert message in found[0]


def test_nothing_else_is_reported(broken):
    """Eight broken questions, eight problems, and no notes for refused ones."""
    assert len(broken.problems) == 8
    assert broken.notes == []


def test_malformed_xml_is_refused_with_its_line():
    """An unclosed tag is reported at the line of the mismatch, nothing is read."""
    result = parse_moodle_xml((DATA / "hong.xml").read_bytes())
    assert result.questions == result.unsupported == []
    (problem,) = result.problems
    assert problem.source_ref == "line 5"
    assert problem.message.startswith("The file is not well-formed XML")


def test_an_external_entity_is_refused_not_read():
    """<!ENTITY xxe SYSTEM "file:///etc/passwd"> is refused before any reading."""
    result = parse_moodle_xml((DATA / "xxe.xml").read_bytes())
    assert result.questions == result.unsupported == []
    (problem,) = result.problems
    assert problem.source_ref == "the file"
    assert "refused for safety" in problem.message
    assert "root:" not in repr(result)


def test_an_entity_expansion_bomb_is_refused():
    """The "billion laughs" file is refused instead of expanded."""
    result = parse_moodle_xml((DATA / "billion_laughs.xml").read_bytes())
    assert result.questions == []
    assert "refused for safety" in result.problems[0].message


def test_a_doctype_without_entities_is_refused_too():
    """Moodle never writes a DOCTYPE, so any DOCTYPE is refused."""
    result = parse_moodle_xml(b'<?xml version="1.0"?><!DOCTYPE quiz><quiz></quiz>')
    assert "refused for safety" in result.problems[0].message


def test_xml_that_is_not_a_question_export_is_refused():
    """A well-formed file whose root is not <quiz> is not a Moodle export."""
    result = parse_moodle_xml(b"<workbook><sheet/></workbook>")
    assert result.problems[0].message == (
        "The file is XML but not a Moodle question export: it starts with "
        "<workbook> instead of <quiz>."
    )


def test_a_byte_order_mark_is_accepted():
    """Moodle XML saved with a UTF-8 BOM reads like any other."""
    data = b"\xef\xbb\xbf" + (DATA / "ngan_hang_cau_hoi.xml").read_bytes()
    assert len(parse_moodle_xml(data).questions) == 9


def test_a_partial_grade_in_a_single_choice_is_noted():
    """A 50% answer in a single choice counts as wrong here; the report says so."""
    result = parse_moodle_xml(
        """<quiz><question type="multichoice"><name><text>Gần đúng</text></name>
        <questiontext><text>Câu hỏi?</text></questiontext><single>1</single>
        <answer fraction="100"><text>Có</text></answer>
        <answer fraction="50"><text>Gần như có</text></answer>
        </question></quiz>"""
    )
    assert result.ok is True
    assert result.questions[0].text_format == "moodle"
    assert result.notes[0].source_ref == "question 1 «Gần đúng»"
    assert "«Gần như có» is worth 50%" in result.notes[0].message


def test_the_format_is_recognised_from_the_content_not_the_name():
    """A Moodle XML file named .txt is Moodle XML; GIFT is GIFT whatever its name;
    a CSV file is neither, and says so with None."""
    assert guess_format("ngan_hang.txt", b"<?xml") == MOODLE_XML
    assert guess_format("tai-ve", b"\xef\xbb\xbf<?xml version") == MOODLE_XML
    assert guess_format("ngan_hang.xml", b"::Tieu de::Hoi?{=a ~b}") == "gift"
    assert guess_format("x.gift", b"// chu thich\n$CATEGORY: A\n") == "gift"
    assert guess_format("ngan_hang.txt", b"cau hoi,dap an\nA,B\n") is None
    assert guess_format("ngan_hang.gift", b"") is None
    data = (DATA / "ngan_hang_cau_hoi.xml").read_bytes()
    assert parse(data, format=MOODLE_XML).questions == parse_moodle_xml(data).questions
