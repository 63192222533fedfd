"""The vocabulary the demo courses are written in.

A ``Screen`` describes a stylised phone screen as a list of elements (a field, a
button, a menu...); ``screens.render_screen`` draws it. Lesson bodies are lists of
``(block type, value)`` pairs whose values may name a ``Screen``, a ``Cover`` or a
``Handout``; the loader turns those into Wagtail images and documents and the pairs
into StreamField data.

A course's ``Quiz`` lists its ``Question`` items, written with ``single``,
``multiple``, ``true_false``, ``short_text`` and ``essay``; the loader files them in
the question bank under the quiz's category and puts the quiz after the lessons.
"""

from dataclasses import dataclass, field

# --- Screen elements -------------------------------------------------------------


@dataclass(frozen=True)
class Title:
    text: str


@dataclass(frozen=True)
class Text:
    text: str
    muted: bool = False


@dataclass(frozen=True)
class Field:
    label: str
    value: str = ""
    placeholder: str = ""
    secret: bool = False
    highlight: bool = False
    dropdown: bool = False


@dataclass(frozen=True)
class Button:
    label: str
    primary: bool = True
    highlight: bool = False


@dataclass(frozen=True)
class Menu:
    items: tuple[str, ...]
    highlight: int | None = None


@dataclass(frozen=True)
class Tiles:
    """A grid of app shortcuts, two per row."""

    items: tuple[str, ...]
    highlight: int | None = None


@dataclass(frozen=True)
class Otp:
    digits: str


@dataclass(frozen=True)
class Qr:
    caption: str = ""


@dataclass(frozen=True)
class Timeline:
    """Steps of a dossier: (label, date or note, state) with state done/now/todo."""

    rows: tuple[tuple[str, str, str], ...]


@dataclass(frozen=True)
class Notice:
    text: str
    kind: str = "info"  # info, ok, warn, danger


@dataclass(frozen=True)
class Sms:
    sender: str
    text: str
    time: str = ""
    danger: bool = False


@dataclass(frozen=True)
class Call:
    number: str
    label: str


@dataclass(frozen=True)
class Card:
    """A document in a wallet, or a dossier in a list."""

    title: str
    lines: tuple[str, ...]
    colour: str = "#1d4ed8"
    highlight: bool = False


@dataclass(frozen=True)
class Check:
    label: str
    checked: bool = True
    highlight: bool = False


@dataclass(frozen=True)
class Attachment:
    name: str
    size: str


@dataclass(frozen=True)
class Spacer:
    height: int = 16


# --- Pictures ----------------------------------------------------------------------

APP_PORTAL = "portal"  # dichvucong.gov.vn in the phone's browser
APP_VNEID = "vneid"
APP_BANK = "bank"
APP_SMS = "sms"
APP_CALL = "call"
APP_STORE = "store"
APP_BROWSER = "browser"  # any other web site (a phishing page, for one)


@dataclass(frozen=True)
class Screen:
    """A phone-screen mock-up; ``title`` is the Wagtail image title and its key."""

    title: str
    app: str
    elements: tuple = ()
    address: str = ""  # the browser's address bar, for web screens
    header: str = ""  # overrides the app's own header text


@dataclass(frozen=True)
class Cover:
    """A course's cover picture."""

    title: str
    heading: str
    subheading: str
    colour: str
    motif: str  # id-card, portal, dossier, shield


@dataclass(frozen=True)
class Handout:
    """A one-page PDF: a title, an introduction and sections of check-box lines."""

    title: str
    filename: str
    heading: str
    intro: str
    sections: tuple[tuple[str, tuple[str, ...]], ...]
    footer: str = ""


# --- Lessons -----------------------------------------------------------------------


@dataclass
class Lesson:
    slug: str
    title: str
    intro: str
    minutes: int
    body: list


# --- Quizzes -----------------------------------------------------------------------

# Question types and when answers are shown, as quizzes.models spells them.
SINGLE = "single"
MULTIPLE = "multiple"
TRUE_FALSE = "true_false"
SHORT_TEXT = "short_text"
ESSAY = "essay"
ORDERING = "ordering"
MATCHING = "matching"
GAP_SELECT = "gap_select"
NUMERICAL = "numerical"
HOTSPOT = "hotspot"
AFTER_EACH = "after_each"
AT_END = "at_end"


@dataclass(frozen=True)
class Option:
    """A choice of a question, with what a learner who picks it is told."""

    text: str
    correct: bool = False
    feedback: str = ""


@dataclass(frozen=True)
class Question:
    kind: str
    text: str
    explanation: str
    options: tuple[Option, ...] = ()
    accepted: tuple[str, ...] = ()
    points: int = 1
    # The procedure types: steps in the right order; (item, answer) pairs;
    # (word, group) of missing words; (value, tolerance) and unit of a number;
    # the screen of a hotspot and the labels of its buttons or fields that are
    # regions, (label, right place).
    steps: tuple[str, ...] = ()
    pairs: tuple[tuple[str, str], ...] = ()
    gap_words: tuple[tuple[str, int], ...] = ()
    numbers: tuple[tuple[str, str], ...] = ()
    unit: str = ""
    screen: "Screen | None" = None
    regions: tuple[tuple[str, bool], ...] = ()


@dataclass
class Quiz:
    """A course's final quiz: its questions and its rules.

    With ``draw`` set, each attempt draws that many questions at random from the
    quiz's category; otherwise the quiz lists its questions in this order.
    """

    slug: str
    title: str
    intro: str
    category: str  # the sub-category of the demo's bank holding the questions
    questions: list[Question]
    pass_message: str
    fail_message: str
    pass_mark: int = 70
    max_attempts: int | None = 3
    time_limit_minutes: int | None = None
    shuffle_questions: bool = False
    shuffle_choices: bool = False
    draw: int | None = None
    show_answers: str = AT_END
    # Whether passing the quiz is part of completing the course.
    required: bool = False


def right(text: str, feedback: str = "") -> Option:
    return Option(text, True, feedback)


def wrong(text: str, feedback: str = "") -> Option:
    return Option(text, False, feedback)


def single(text: str, *options: Option, explanation: str) -> Question:
    return Question(SINGLE, text, explanation, options)


def multiple(text: str, *options: Option, explanation: str) -> Question:
    return Question(MULTIPLE, text, explanation, options)


def true_false(
    text: str,
    answer: bool,
    *,
    explanation: str,
    if_true: str = "",
    if_false: str = "",
) -> Question:
    """A statement to judge; ``if_true`` and ``if_false`` are the feedback of the
    choices "Đúng" and "Sai"."""
    return Question(
        TRUE_FALSE,
        text,
        explanation,
        (Option("Đúng", answer, if_true), Option("Sai", not answer, if_false)),
    )


def short_text(text: str, *accepted: str, explanation: str) -> Question:
    """A question answered in a few words; tone marks and capitals never matter."""
    return Question(SHORT_TEXT, text, explanation, accepted=accepted)


def essay(text: str, *, explanation: str, points: int = 2) -> Question:
    """A question answered in a few sentences, marked by a person."""
    return Question(ESSAY, text, explanation, points=points)


def ordering(text: str, *steps: str, explanation: str) -> Question:
    """Steps of a procedure, given in the right order; learners see them shuffled."""
    return Question(ORDERING, text, explanation, steps=steps)


def matching(text: str, *pairs: tuple[str, str], explanation: str) -> Question:
    return Question(MATCHING, text, explanation, pairs=pairs)


def gap_select(text: str, *words: tuple[str, int], explanation: str) -> Question:
    """A text with gaps [[1]], [[2]]…; word n fills gap n, its group its list."""
    return Question(GAP_SELECT, text, explanation, gap_words=words)


def numerical(
    text: str, value: str, *, tolerance: str = "0", unit: str = "", explanation: str
) -> Question:
    return Question(
        NUMERICAL, text, explanation, numbers=((value, tolerance),), unit=unit
    )


def hotspot(
    text: str, screen: "Screen", *regions: tuple[str, bool], explanation: str
) -> Question:
    """Tap the right button of a screen; ``regions`` name its buttons and fields."""
    return Question(HOTSPOT, text, explanation, screen=screen, regions=regions)


# --- Courses -----------------------------------------------------------------------


@dataclass
class Course:
    slug: str
    title: str
    summary: str
    cover: Cover
    audiences: tuple[str, ...]
    minutes: int
    outcomes: tuple[str, ...]
    lessons: list[Lesson] = field(default_factory=list)
    quiz: Quiz | None = None


# --- Lesson blocks -----------------------------------------------------------------


def p(*paragraphs: str) -> str:
    """Return rich-text HTML of one paragraph per argument."""
    return "".join(f"<p>{text}</p>" for text in paragraphs)


def ul(*items: str) -> str:
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def ol(*items: str) -> str:
    return "<ol>" + "".join(f"<li>{item}</li>" for item in items) + "</ol>"


def heading(text: str):
    return ("heading", text)


def paragraph(*parts: str):
    """A text block; parts that are not already HTML become paragraphs."""
    html = "".join(part if part.startswith("<") else p(part) for part in parts)
    return ("paragraph", html)


def _callout(kind: str, parts):
    html = "".join(part if part.startswith("<") else p(part) for part in parts)
    return ("callout", {"kind": kind, "text": html})


def tip(*parts: str):
    return _callout("tip", parts)


def warning(*parts: str):
    return _callout("warning", parts)


def note(*parts: str):
    return _callout("note", parts)


def image(picture: Screen | Cover, *, alt: str, caption: str = ""):
    return ("image", {"image": picture, "alt": alt, "caption": caption})


def step(title: str, text: str = "", screen: Screen | None = None) -> dict:
    html = text if not text or text.startswith("<") else p(text)
    return {"title": title, "text": html, "screenshot": screen}


def steps(title: str, *items: dict):
    return ("steps", {"title": title, "steps": list(items)})


def link_button(label: str, url: str, note: str = ""):
    return ("link_button", {"label": label, "url": url, "note": note})


def document(handout: Handout, label: str = ""):
    return ("document", {"document": handout, "label": label})
