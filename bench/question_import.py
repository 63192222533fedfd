"""A large question bank imported from Moodle XML (issue 18 §2): 10,000
questions, as the background task does it (read, checked, then written in batches
with the job's progress), timed from the upload to the finished job.

The file is generated: 20 categories of 500 questions each, of the kinds a Moodle
bank mostly holds (single choice, multiple answers, true or false, short answer)
and one question in 100 with a small picture embedded in its text.
"""

import base64
import io
import time
from xml.sax.saxutils import escape

from PIL import Image as PILImage

from quizzes import imports
from quizzes.models import Question, QuestionImport
from users.models import User

from .registry import Context, metric

QUESTIONS = 10_000
CATEGORIES = 20


def _small_png() -> bytes:
    """A small screenshot-like PNG: the file must stay under the 10 MB limit."""
    out = io.BytesIO()
    PILImage.new("RGB", (36, 64), (245, 246, 250)).save(out, format="PNG")
    return out.getvalue()


def moodle_bank(count: int = QUESTIONS) -> bytes:
    """Return a Moodle XML file of ``count`` questions in CATEGORIES categories."""
    picture = base64.b64encode(_small_png()).decode("ascii")
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<quiz>"]
    per_category = max(1, count // CATEGORIES)
    for number in range(count):
        if number % per_category == 0:
            path = f"$course$/top/Ngân hàng lớn/Chủ đề {number // per_category + 1}"
            out.append(
                f'<question type="category"><category><text>{path}</text>'
                "</category></question>"
            )
        name = f"Câu {number + 1}"
        text = f"<p>Câu hỏi số {number + 1} về thủ tục hành chính trực tuyến?</p>"
        files = ""
        if number % 100 == 0:
            text += f'<p><img src="@@PLUGINFILE@@/man-hinh-{number}.png" alt="Ảnh"></p>'
            files = (
                f'<file name="man-hinh-{number}.png" path="/" encoding="base64">'
                f"{picture}</file>"
            )
        head = (
            f"<name><text>{escape(name)}</text></name>"
            f'<questiontext format="html"><text><![CDATA[{text}]]></text>{files}'
            "</questiontext><defaultgrade>1</defaultgrade><hidden>0</hidden>"
        )
        kind = number % 10
        if kind < 7:
            answers = "".join(
                f'<answer fraction="{100 if n == 0 else 0}" format="html">'
                f"<text>Phương án {n} của câu {number}</text>"
                "<feedback><text></text></feedback></answer>"
                for n in range(4)
            )
            body = f'<question type="multichoice">{head}<single>true</single>{answers}'
        elif kind == 7:
            answers = "".join(
                f'<answer fraction="{50 if n < 2 else -50}" format="html">'
                f"<text>Lựa chọn {n} của câu {number}</text></answer>"
                for n in range(4)
            )
            body = f'<question type="multichoice">{head}<single>false</single>{answers}'
        elif kind == 8:
            body = (
                f'<question type="truefalse">{head}'
                '<answer fraction="100"><text>true</text></answer>'
                '<answer fraction="0"><text>false</text></answer>'
            )
        else:
            body = (
                f'<question type="shortanswer">{head}<usecase>0</usecase>'
                f'<answer fraction="100"><text>MHS{number}</text></answer>'
            )
        out.append(body + "</question>")
    out.append("</quiz>")
    return "\n".join(out).encode("utf-8")


@metric("question_import_10k_s", under=20, unit="s")
def question_import_10k_s(ctx: Context) -> float:
    """Import a generated 10,000-question Moodle XML bank through the import
    job, as the task worker runs it; seconds from the upload to the finished job."""
    source = moodle_bank()
    ctx.log(f"  a Moodle XML bank of {QUESTIONS} questions, {len(source):,} bytes")
    editor = User.objects.create_superuser(
        username="bench-nhap-cau-hoi", password="mat-khau-bench-2025"
    )
    before = Question.objects.count()
    started = time.perf_counter()
    job = imports.question_import_start(
        source=source, filename="ngan-hang-lon.xml", created_by=editor
    )
    # What the task worker does with the queued job.
    job = imports.question_import_run(import_id=job.pk)
    elapsed = time.perf_counter() - started
    if job is None or job.status != QuestionImport.Status.DONE:
        raise RuntimeError(f"The import did not finish: {job and job.error}")
    added = Question.objects.count() - before
    if added != QUESTIONS:
        raise RuntimeError(f"{added} questions added instead of {QUESTIONS}.")
    return elapsed
