"""Between the question bank's models and ``quizzes.interchange``'s plain data.

A bank question's texts are plain text, shown with their line breaks and with any
HTML escaped; a file's texts may be HTML, Moodle's auto-format, plain text or
Markdown. ``plain_text`` turns a file's text into the bank's form and
``html_text`` the bank's text into HTML for a file, so an export imports back
unchanged. ``imported_from_question`` builds what ``to_moodle_xml`` writes.
"""

import html
import posixpath
import re
from decimal import ROUND_HALF_UP, Decimal

from .interchange import (
    MULTIPLE,
    SHORT_TEXT,
    SINGLE,
    TRUE_FALSE,
    ImportedChoice,
    ImportedQuestion,
    ImportedRegion,
)
from .models import Question, QuestionCategory, QuestionType

_TAG = re.compile(r"<[^>]*>")
# Tags that look like HTML in a text whose format says otherwise (Moodle writes
# answers as HTML even when the question text is in its auto-format).
_HTML_LIKE = re.compile(
    r"</?(?:p|br|div|span|strong|b|em|i|u|img|a|ul|ol|li|sub|sup|table|h[1-6])\b",
    re.IGNORECASE,
)
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_BLOCK_END = re.compile(r"</(?:p|div|h[1-6]|ul|ol|table|tr|blockquote)\s*>", re.I)
_ITEM = re.compile(r"<li\b[^>]*>", re.IGNORECASE)
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_PLUGINFILE_SRC = re.compile(
    r"""src\s*=\s*["']@@PLUGINFILE@@/([^"'?#]+)""", re.IGNORECASE
)
_ALT = re.compile(r"""\balt\s*=\s*(["'])(.*?)\1""", re.IGNORECASE | re.DOTALL)
_SRC = re.compile(r"""\bsrc\s*=\s*(["'])(.*?)\1""", re.IGNORECASE | re.DOTALL)
_MEDIA = re.compile(r"<(audio|video|iframe|object|embed)\b([^>]*)>", re.IGNORECASE)
_SOURCE = re.compile(r"<source\b([^>]*)>", re.IGNORECASE)
# A link whose text is not its address: its address is kept after the text.
_LINK = re.compile(
    r"""<a\b[^>]*?\bhref\s*=\s*(["'])(.*?)\1[^>]*>(.*?)</a\s*>""",
    re.IGNORECASE | re.DOTALL,
)
_IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".bmp", ".avif"}
_MARKDOWN_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
# Moodle's names for the values of a true-or-false question, in the languages a
# bank is written in; a bank choice whose text is one of these says which it is.
_FALSE_WORDS = {"false", "f", "sai", "không đúng"}


def looks_like_html(text: str) -> bool:
    return bool(_HTML_LIKE.search(text))


def plain_text(text: str, text_format: str) -> str:
    """Return a file's text as the bank keeps it: plain text with line breaks.

    HTML loses its tags (paragraphs and ``<br>`` become line breaks, list items
    lines starting with "- ") and its entities are decoded; Markdown loses its
    bold and italic marks. Plain text is kept as it is, and so is Moodle's
    auto-format unless it holds HTML tags, which that format allows.
    """
    if text_format == "markdown":
        return _MARKDOWN_EMPHASIS.sub(r"\2", text).strip()
    if text_format == "plain" or (text_format != "html" and not looks_like_html(text)):
        return text.strip()
    text = " ".join(text.split())
    text = _LINK.sub(_link_text, text)
    text = _BREAK.sub("\n", text)
    text = _ITEM.sub("\n- ", text)
    text = _BLOCK_END.sub("\n\n", text)
    text = html.unescape(_TAG.sub("", text)).replace("\xa0", " ")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _link_text(match) -> str:
    """Return a link as its text followed by its address, which the bank's
    plain text would otherwise lose."""
    href = html.unescape(match.group(2)).strip()
    label = match.group(3)
    shown = html.unescape(_TAG.sub("", label)).strip()
    if (
        not href
        or href.startswith(("#", "javascript:", "@@PLUGINFILE@@"))
        or href == shown
    ):
        # A file of the question itself is named in the report (media_in).
        return label
    return f"{label} ({html.escape(href)})"


def html_text(text: str) -> str:
    """Return a bank text as HTML: a paragraph per block, ``<br>`` per line break."""
    paragraphs = [part for part in re.split(r"\n\s*\n", text.strip()) if part.strip()]
    return "".join(
        "<p>" + "<br>".join(html.escape(line) for line in part.split("\n")) + "</p>"
        for part in paragraphs
    )


def referenced_images(text: str) -> list[str]:
    """Return the names of the embedded files a text shows with ``<img>``."""
    names = []
    for tag in _IMG.findall(text):
        match = _PLUGINFILE_SRC.search(tag)
        if match:
            names.append(html.unescape(match.group(1)))
    return names


def image_alts(text: str) -> dict[str, str]:
    """Return the alternative text of each embedded file a text shows, by name."""
    alts = {}
    for tag in _IMG.findall(text):
        match = _PLUGINFILE_SRC.search(tag)
        if match:
            alt = _ALT.search(tag)
            name = html.unescape(match.group(1))
            alts.setdefault(name, html.unescape(alt.group(2)).strip() if alt else "")
    return alts


def image_file_name(image) -> str:
    """Return the name an image is exported under: the file name it was imported
    with (its title), not the stored file's name, which storage may have given
    a random suffix; so a round trip keeps the name."""
    title = (image.title or "").strip()
    if posixpath.splitext(title)[1].lower() in _IMAGE_SUFFIXES and "/" not in title:
        return title
    return posixpath.basename(image.file.name)


def media_in(text: str) -> dict[str, list[str]]:
    """Return what a text holds that the bank cannot show: sound and video
    (by source), and embedded frames or objects."""
    found: dict[str, list[str]] = {}
    for tag, attrs in _MEDIA.findall(text):
        src = _SRC.search(attrs)
        found.setdefault(tag.lower(), []).append(
            html.unescape(src.group(2)) if src else ""
        )
    for match in _LINK.finditer(text):
        href = html.unescape(match.group(2)).strip()
        if href.startswith("@@PLUGINFILE@@/"):
            found.setdefault("a", []).append(href)
    for attrs in _SOURCE.findall(text):
        src = _SRC.search(attrs)
        if src and found:
            last = list(found)[-1]
            found[last].append(html.unescape(src.group(2)))
    return found


def has_images(text: str) -> bool:
    return bool(_IMG.search(text))


def images(text: str) -> list[str]:
    """Return the ``<img>`` tags of a text."""
    return _IMG.findall(text)


def number(value: Decimal) -> str:
    return format(Decimal(value).normalize(), "f")


def whole_points(points: Decimal) -> tuple[int, bool]:
    """Return a mark as the bank's whole number of points (at least 1), and
    whether it had to be rounded."""
    whole = max(1, int(points.to_integral_value(rounding=ROUND_HALF_UP)))
    return whole, whole != points


def category_paths() -> dict[int, tuple[str, ...]]:
    """Return the path of names from the top of the bank of every category."""
    rows = {
        pk: (name, parent)
        for pk, name, parent in QuestionCategory.objects.values_list(
            "pk", "name", "parent_id"
        )
    }
    paths = {}
    for pk in rows:
        names, seen, current = [], set(), pk
        while current is not None and current not in seen:
            seen.add(current)
            name, parent = rows[current]
            names.append(name)
            current = parent
        paths[pk] = tuple(reversed(names))
    return paths


def imported_from_question(
    question: Question, path: tuple[str, ...]
) -> ImportedQuestion:
    """Return a bank question as ``to_moodle_xml`` takes it, texts in HTML.

    The question's image is embedded under the text, as Moodle does.
    """
    text = html_text(question.text)
    files = ()
    if question.image_id:
        image = question.image
        name = image_file_name(image)
        try:
            with image.open_file() as handle:
                files = ((name, handle.read()),)
        except OSError:
            files = ()
        if files and question.kind != QuestionType.HOTSPOT:
            source = html.escape(f"@@PLUGINFILE@@/{name}")
            alt = html.escape(getattr(image, "description", "") or "")
            text += f'<p><img src="{source}" alt="{alt}"></p>'
    choices = list(question.choices.all())
    if question.kind == TRUE_FALSE and len(choices) == 2:
        # Moodle's true-or-false lists True first.
        if choices[0].text.strip().lower() in _FALSE_WORDS:
            choices.reverse()
    imported_choices = tuple(
        ImportedChoice(
            # True and False keep their names, which Moodle writes itself.
            c.text if question.kind == TRUE_FALSE else html_text(c.text),
            c.is_correct,
            feedback=html_text(c.feedback),
        )
        for c in choices
        if question.kind in (SINGLE, MULTIPLE, TRUE_FALSE)
    )
    accepted = ()
    if question.kind == SHORT_TEXT:
        accepted = tuple(answer.text for answer in question.accepted_answers.all())
    return ImportedQuestion(
        kind=question.kind,
        name=question.name or str(question),
        text=text,
        category=path,
        choices=imported_choices,
        accepted_answers=accepted,
        explanation=html_text(question.explanation),
        text_format="html",
        points=Decimal(question.points),
        files=files,
        **procedure_parts(question),
    )


def procedure_parts(question: Question) -> dict:
    """Return the fields of ``ImportedQuestion`` that hold a procedure
    question's rows, texts in HTML as the rest of the export."""
    kind = question.kind
    if kind == QuestionType.ORDERING:
        return {"steps": tuple(html_text(step.text) for step in question.steps.all())}
    if kind == QuestionType.MATCHING:
        return {
            "pairs": tuple(
                (html_text(pair.prompt), pair.answer) for pair in question.pairs.all()
            )
        }
    if kind == QuestionType.GAP_SELECT:
        return {
            "gap_words": tuple(
                (word.text, word.group) for word in question.gap_words.all()
            )
        }
    if kind == QuestionType.NUMERICAL:
        return {
            "numbers": tuple(
                (
                    number.value.normalize(),
                    number.tolerance.normalize(),
                    Decimal(number.grade),
                )
                for number in question.numbers.all()
            ),
            "unit": question.unit,
        }
    if kind == QuestionType.HOTSPOT:
        return {
            "regions": tuple(
                ImportedRegion(
                    region.label,
                    region.is_correct,
                    region.x,
                    region.y,
                    region.width,
                    region.height,
                )
                for region in question.regions.all()
            )
        }
    return {}


def procedure_rows(item: ImportedQuestion, text_format: str) -> tuple[list, dict]:
    """Return the rows an imported procedure question is stored with, as
    (relation, unsaved row), and what ``answer_key_errors`` checks of them."""
    from .models import GapWord, HotspotRegion, MatchPair, NumericAnswer, OrderingStep

    rows: list = []
    if item.kind == QuestionType.ORDERING:
        rows = [
            ("steps", OrderingStep(text=plain_text(step, text_format), sort_order=n))
            for n, step in enumerate(item.steps)
        ]
        return rows, {"steps": len(rows)}
    if item.kind == QuestionType.MATCHING:
        pairs = [
            (plain_text(prompt, text_format), answer) for prompt, answer in item.pairs
        ]
        rows = [
            ("pairs", MatchPair(prompt=prompt, answer=answer, sort_order=n))
            for n, (prompt, answer) in enumerate(pairs)
        ]
        return rows, {"pairs": pairs}
    if item.kind == QuestionType.GAP_SELECT:
        rows = [
            ("gap_words", GapWord(text=word, group=group, sort_order=n))
            for n, (word, group) in enumerate(item.gap_words)
        ]
        return rows, {"gap_words": len(rows)}
    if item.kind == QuestionType.NUMERICAL:
        rows = [
            (
                "numbers",
                NumericAnswer(
                    value=value, tolerance=tolerance, grade=int(grade), sort_order=n
                ),
            )
            for n, (value, tolerance, grade) in enumerate(item.numbers)
        ]
        numbers = [
            (value, tolerance, int(grade)) for value, tolerance, grade in item.numbers
        ]
        return rows, {"numbers": numbers}
    if item.kind == QuestionType.HOTSPOT:
        rows = [
            (
                "regions",
                HotspotRegion(
                    label=region.label[:120],
                    is_correct=region.is_correct,
                    x=region.x,
                    y=region.y,
                    width=region.width,
                    height=region.height,
                    sort_order=n,
                ),
            )
            for n, region in enumerate(item.regions)
        ]
        regions = [(region.is_correct,) for region in item.regions]
        return rows, {"regions": regions}
    return [], {}
