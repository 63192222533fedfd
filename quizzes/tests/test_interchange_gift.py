"""Reading GIFT question banks (quizzes.interchange.gift). No database."""

import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

from quizzes.interchange import (
    ESSAY,
    MULTIPLE,
    SHORT_TEXT,
    SINGLE,
    TRUE_FALSE,
    parse,
    parse_gift,
)

DATA = Path(__file__).parent / "data" / "interchange"


@pytest.fixture(autouse=True)
def _english():
    """Compare messages with their English source, whatever the catalogue says."""
    with translation.override("en"):
        yield


def line_of(filename: str, needle: str) -> str:
    """Return "line N" for the first line of a test file that is or holds needle."""
    lines = (DATA / filename).read_text(encoding="utf-8").splitlines()
    number = next(
        (n for n, line in enumerate(lines, start=1) if line == needle),
        None,
    ) or next(n for n, line in enumerate(lines, start=1) if needle in line)
    return f"line {number}"


def windows_1258(text: str) -> bytes:
    """Return text as Windows-1258 writes it: tone marks as combining characters."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for char in text:
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append(base + "".join(c for c in parts if c in tones))
    return "".join(out).encode("cp1258")


@pytest.fixture(scope="module")
def bank():
    with translation.override("en"):
        return parse_gift((DATA / "ngan_hang_cau_hoi.gift").read_bytes())


def question(bank, name):
    return next(q for q in bank.questions if q.name == name)


def test_the_sample_bank_reads_without_problems(bank):
    """The sample file gives its 11 supported questions, in file order."""
    assert bank.problems == []
    assert bank.ok is True
    assert len(bank.questions) == 11
    assert bank.questions_to_import == bank.questions
    assert [q.kind for q in bank.questions] == [
        SINGLE,
        MULTIPLE,
        TRUE_FALSE,
        SHORT_TEXT,
        SINGLE,
        SINGLE,
        TRUE_FALSE,
        SHORT_TEXT,
        MULTIPLE,
        ESSAY,
        TRUE_FALSE,
    ]


def test_unsupported_kinds_are_listed_by_name_with_their_line(bank):
    """Numerical, matching and description questions are listed, not dropped."""
    listed = [(u.type_name, u.name, u.source_ref) for u in bank.unsupported]
    assert listed == [
        (
            "numerical",
            "Năm thông qua luật",
            line_of("ngan_hang_cau_hoi.gift", "::Năm thông qua luật::"),
        ),
        (
            "matching",
            "Ghép ứng dụng",
            line_of("ngan_hang_cau_hoi.gift", "::Ghép ứng dụng::"),
        ),
        (
            "description",
            "Giới thiệu phần an toàn số",
            line_of("ngan_hang_cau_hoi.gift", "::Giới thiệu phần an toàn số::"),
        ),
    ]
    assert bank.unsupported[2].category == ("An toàn số", "Lừa đảo trực tuyến")


def test_categories_drop_moodle_markers_and_apply_to_the_questions_after(bank):
    """$CATEGORY: $course$/top/A/B files the questions after it under A > B."""
    assert bank.categories == [
        ("Dịch vụ công", "VNeID"),
        ("Dịch vụ công", "Cổng Dịch vụ công quốc gia"),
        ("An toàn số", "Lừa đảo trực tuyến"),
    ]
    assert question(bank, "VNeID mức 2").category == ("Dịch vụ công", "VNeID")
    assert question(bank, "Mã OTP").category == ("Dịch vụ công", "VNeID")
    assert question(bank, "Số định danh").category == (
        "Dịch vụ công",
        "Cổng Dịch vụ công quốc gia",
    )
    assert question(bank, "Kể lại").category == ("An toàn số", "Lừa đảo trực tuyến")


def test_single_choice_keeps_feedback_explanation_and_skips_comment_lines(bank):
    """An answer block over several lines, with a comment inside, is one question."""
    q = question(bank, "VNeID mức 2")
    assert q.source_ref == line_of("ngan_hang_cau_hoi.gift", "::VNeID mức 2::")
    assert q.text == (
        "Tài khoản định danh điện tử mức 2 được kích hoạt trên ứng dụng nào?"
    )
    assert q.text_format == "moodle"
    assert [(c.text, c.is_correct, c.fraction) for c in q.choices] == [
        ("VNeID", True, Decimal(100)),
        ("Zalo", False, Decimal(0)),
        ("Cổng Dịch vụ công quốc gia", False, Decimal(0)),
    ]
    assert q.choices[0].feedback == (
        "Đúng. VNeID là ứng dụng định danh điện tử của Bộ Công an."
    )
    assert q.explanation.startswith("Người dân đăng ký tài khoản mức 2")


def test_weights_without_an_equals_sign_make_multiple_answers(bank):
    """~%50% ~%50% ~%-100% is a question with two right answers; [html] is kept."""
    q = question(bank, "Bảo vệ tài khoản")
    assert q.kind == MULTIPLE
    assert q.text_format == "html"
    assert q.text == (
        "<p>Những việc nào giúp <strong>bảo vệ</strong> tài khoản VNeID?</p>"
    )
    assert [(c.is_correct, c.fraction) for c in q.choices] == [
        (True, Decimal(50)),
        (True, Decimal(50)),
        (False, Decimal(-100)),
    ]
    assert q.choices[2].feedback == (
        "Cơ quan công an không bao giờ hỏi mã OTP qua điện thoại."
    )


def test_thirds_that_add_up_to_a_hundred_are_accepted(bank):
    """33.33333 + 33.33333 + 33.33334 is 100%; [markdown] is recorded as such."""
    q = question(bank, "Dấu hiệu lừa đảo")
    assert q.kind == MULTIPLE
    assert q.text_format == "markdown"
    assert [c.is_correct for c in q.choices] == [True, True, True, False]


def test_true_false_gives_the_first_feedback_to_a_wrong_answer(bank):
    """{FALSE#wrong#right}: ticking True shows the first feedback, False the second."""
    q = question(bank, "Mã OTP")
    true, false = q.choices
    assert (true.text, true.is_correct) == ("True", False)
    assert (false.text, false.is_correct) == ("False", True)
    assert true.feedback == "Chưa đúng: đây là thủ đoạn lừa đảo phổ biến."
    assert false.feedback == "Chính xác: không bao giờ đọc mã OTP cho người khác."


def test_true_false_without_a_title_is_named_after_its_text(bank):
    """{T} is true; a question without ::title:: is named by its text."""
    name = (
        "Hồ sơ nộp trực tuyến được xử lý như hồ sơ nộp trực tiếp tại Bộ phận Một cửa."
    )
    q = question(bank, name)
    assert q.kind == TRUE_FALSE
    assert [c.is_correct for c in q.choices] == [True, False]
    assert question(bank, "Cảnh giác").choices[0].is_correct is True


def test_short_text_accepts_only_full_answers_and_notes_the_partial_one(bank):
    """=a =b are accepted answers; =%50%c is kept with its grade and reported."""
    q = question(bank, "Địa chỉ Cổng")
    assert q.kind == SHORT_TEXT
    assert q.accepted_answers == ("dichvucong.gov.vn", "https://dichvucong.gov.vn")
    assert q.case_sensitive is False
    assert q.choices[2].text == "dichvucong"
    assert q.choices[2].fraction == Decimal(50)
    assert [str(note) for note in bank.notes] == [
        f"{q.source_ref}: The answer «dichvucong» is worth 50% in the file; here "
        "only answers worth 100% are accepted."
    ]
    assert question(bank, "Số định danh").accepted_answers == ("12", "mười hai")


def test_answers_in_the_middle_of_the_text_leave_a_gap(bank):
    """A missing-word question is a single choice whose text shows _____."""
    q = question(bank, "Thanh toán lệ phí")
    assert q.kind == SINGLE
    assert q.text == (
        "Khi nộp lệ phí trên Cổng Dịch vụ công quốc gia, người dân có thể thanh "
        "toán qua _____ của Cổng."
    )


def test_escaped_characters_are_read_as_themselves(bank):
    r"""\= \{ \} \~ \# \: stand for the characters, not for GIFT's syntax."""
    q = question(bank, "Ký hiệu trong biểu mẫu")
    assert '"Số tiền = Đơn giá × Số lượng" có cặp dấu { }' in q.text
    assert [c.text for c in q.choices] == [
        "Ô được tính tự động, không cần nhập",
        "Ô trang trí ~ không có ý nghĩa",
        "Số thứ tự của ô, ví dụ #1",
    ]


def test_essay_keeps_its_general_feedback(bank):
    """{####...} is an essay whose general feedback is the explanation."""
    q = question(bank, "Kể lại")
    assert q.kind == ESSAY
    assert q.choices == ()
    assert q.explanation == "<p>Giáo viên chấm theo hướng dẫn chấm của bài.</p>"


def test_a_byte_order_mark_and_windows_line_ends_are_accepted():
    """A UTF-8 file saved by Notepad (BOM, CRLF) reads like any other."""
    source = (
        "// Tệp lưu bằng Notepad\r\n\r\n"
        "$CATEGORY: $course$/top/Kỹ năng số\r\n\r\n"
        "::Mật khẩu::Có nên dùng chung một mật khẩu cho mọi tài khoản?{F}\r\n"
    )
    result = parse_gift(b"\xef\xbb\xbf" + source.encode("utf-8"))
    assert result.problems == []
    (q,) = result.questions
    assert q.name == "Mật khẩu"
    assert q.category == ("Kỹ năng số",)
    assert q.source_ref == "line 5"


def test_another_encoding_is_refused_with_the_line_at_fault():
    """A file saved as Windows-1258 is refused and nothing is read."""
    source = "// Câu hỏi\n\n::Mật khẩu::Có nên chia sẻ mật khẩu?{F}\n"
    result = parse_gift(windows_1258(source))
    assert result.ok is False
    assert result.questions == []
    (problem,) = result.problems
    assert problem.source_ref == "line 1"
    assert "is not UTF-8 text" in problem.message
    assert "Save it as UTF-8" in problem.message


def test_utf16_is_refused():
    """A UTF-16 file (Excel's "Unicode text") is refused, BOM or not."""
    source = "::Mật khẩu::Có nên chia sẻ mật khẩu?{F}\n"
    with_bom = parse_gift(source.encode("utf-16"))
    without_bom = parse_gift(source.encode("utf-16-le"))
    assert "saved as UTF-16" in with_bom.problems[0].message
    assert "NUL characters" in without_bom.problems[0].message
    assert with_bom.questions == without_bom.questions == []


@pytest.fixture(scope="module")
def broken():
    with translation.override("en"):
        return parse_gift((DATA / "loi.gift").read_bytes())


def test_a_file_with_problems_imports_nothing(broken):
    """One good question among broken ones: the result says import nothing."""
    assert broken.ok is False
    assert broken.questions_to_import == []
    assert [q.name for q in broken.questions] == ["Câu đúng"]


@pytest.mark.parametrize(
    ("needle", "message"),
    [
        ("::Thiếu ngoặc đóng::", "is not closed with “}”"),
        ("::Không có đáp án đúng::", "No answer is right"),
        ("::Trọng số sai::", "The positive grades add up to 90%"),
        ("::Trọng số không phải số::", "«%năm mươi%VNeID» is not a percentage"),
        ("::Tiêu đề chưa đóng", "The title opened with “::” is not closed"),
        ("::Câu thứ hai::", "A second answer block starts here"),
        ("Đáp án trống", "One of the answers is empty."),
        ("{=Có ~Không}", "The question has no text."),
        ("dấu ngoặc đóng thừa", "A “}” closes an answer block that was never"),
    ],
)
def test_each_problem_is_reported_at_its_line(broken, needle, message):
    """Every mistake in the file is reported once, with the line it is on."""
    where = line_of("loi.gift", needle)
    found = [p.message for p in broken.problems if p.source_ref == where]
    assert len(found) == 1, (where, [str(p) for p in broken.problems])
    assert message in found[0]


def test_nothing_else_is_reported(broken):
    """The good question and the comments give no problem: nine mistakes, nine."""
    assert len(broken.problems) == 9


def test_a_single_choice_needs_a_right_answer_worth_a_hundred():
    """={%50%} alone is no right answer; two = would be two right answers."""
    none_right = parse_gift("Câu hỏi?{=%50%Có ~Không}")
    two_right = parse_gift("Câu hỏi?{=Có =Đúng ~Không}")
    assert "No answer is marked right" in none_right.problems[0].message
    assert "2 answers are worth 100%" in two_right.problems[0].message


def test_a_partial_grade_on_a_single_choice_is_noted():
    """~%50% on a single choice counts as wrong here, and the report says so."""
    result = parse_gift("::Gần đúng::Câu hỏi?{=Có ~%50%Gần như có ~Không}")
    assert result.ok is True
    assert result.questions[0].choices[1].is_correct is False
    assert "«Gần như có» is worth 50%" in result.notes[0].message


def test_a_question_needs_two_choices():
    """A choice question with a single ~ answer is refused."""
    result = parse_gift("Câu hỏi?{~Không}")
    assert result.problems[0].source_ref == "line 1"
    assert "needs at least two answers" in result.problems[0].message


def test_true_false_accepts_lower_case_and_long_forms():
    """{true} is a true-or-false question, not a short text answered "true"."""
    result = parse_gift("Câu một?{true}\n\nCâu hai?{FALSE}")
    assert [q.kind for q in result.questions] == [TRUE_FALSE, TRUE_FALSE]
    assert [q.choices[0].is_correct for q in result.questions] == [True, False]


def test_a_category_line_followed_by_a_question_without_a_blank_line():
    """Moodle would read the question as part of the category name; here it is
    the question it looks like."""
    result = parse_gift("$CATEGORY: $course$/top/VNeID\nCâu hỏi?{=Có ~Không}")
    assert result.problems == []
    assert result.questions[0].category == ("VNeID",)
    assert result.questions[0].source_ref == "line 2"


def test_a_slash_doubled_in_a_category_name_is_one_slash():
    """Moodle writes "Thủ tục 1/2" inside a path as "Thủ tục 1//2"."""
    result = parse_gift("$CATEGORY: $system$/top/Thủ tục 1//2/Hộ tịch\n\nCâu?{}")
    assert result.questions[0].category == ("Thủ tục 1/2", "Hộ tịch")


def test_parse_dispatches_on_the_format():
    """parse(..., format="gift") is parse_gift; an unknown format is an error."""
    assert parse("Câu?{}", format="gift").questions[0].kind == ESSAY
    with pytest.raises(ValueError, match="Unknown question-bank format"):
        parse("Câu?{}", format="docx")
