"""Plain data exchanged between the file formats and the question-bank importer.

Nothing here knows the database: a parser turns a file into a ``ParseResult``, the
importer turns a result without problems into questions, and the exporter turns
``ImportedQuestion`` values back into a file.
"""

from dataclasses import dataclass, field
from decimal import Decimal

# The kinds a parser may give; they are the values of ``quizzes.models.QuestionType``,
# repeated here so that parsing imports no model.
SINGLE = "single"
MULTIPLE = "multiple"
TRUE_FALSE = "true_false"
SHORT_TEXT = "short_text"
ESSAY = "essay"
ORDERING = "ordering"
MATCHING = "matching"
HOTSPOT = "hotspot"
GAP_SELECT = "gap_select"
NUMERICAL = "numerical"
PROCEDURE_KINDS = (ORDERING, MATCHING, HOTSPOT, GAP_SELECT, NUMERICAL)
KINDS = (SINGLE, MULTIPLE, TRUE_FALSE, SHORT_TEXT, ESSAY, *PROCEDURE_KINDS)

# How a text is written, by the short names GIFT uses: "html", "moodle" (Moodle's
# auto-format: plain text whose line breaks count), "plain" and "markdown".
TEXT_FORMATS = ("html", "moodle", "plain", "markdown")


@dataclass(frozen=True)
class ImportedChoice:
    """One answer of a question as the file gives it.

    ``fraction`` is Moodle's grade for the answer in percent, from -100 to 100;
    ``is_correct`` is what it means on this platform: for a single choice, the
    answer worth 100%; for multiple answers, every answer worth more than 0%;
    for a short text, an answer worth 100% (those are also ``accepted_answers``).
    """

    text: str
    is_correct: bool
    fraction: Decimal = Decimal(0)
    feedback: str = ""
    # How the answer's own text is written when it says so (GIFT's "[html]"
    # before an answer); empty when it is written as the question's text.
    text_format: str = ""


@dataclass(frozen=True)
class ImportedRegion:
    """A region of a hotspot question's picture, in per cent of its width and
    height (a Moodle circle or polygon becomes the rectangle around it)."""

    label: str
    is_correct: bool
    x: Decimal
    y: Decimal
    width: Decimal
    height: Decimal


@dataclass(frozen=True)
class ImportedQuestion:
    """A question of a supported kind, ready to be stored in the bank.

    ``category`` is the path of category names from the top of the bank, without
    Moodle's context markers (``$course$``, ``top``...). ``choices`` holds the
    answers of single, multiple and true-or-false questions (True first, then
    False) and, for short texts, every answer the file gave with its grade and
    feedback. ``files`` are the images embedded in the texts, as (name, bytes);
    the texts refer to them as ``@@PLUGINFILE@@/name``.
    """

    kind: str
    name: str
    text: str
    category: tuple[str, ...] = ()
    choices: tuple[ImportedChoice, ...] = ()
    accepted_answers: tuple[str, ...] = ()
    case_sensitive: bool = False
    explanation: str = ""
    source_ref: str = field(default="", compare=False)
    text_format: str = "html"
    points: Decimal = Decimal(1)
    files: tuple[tuple[str, bytes], ...] = ()
    # Moodle's "information for graders" of an essay, for the person marking it.
    grader_info: str = ""
    tags: tuple[str, ...] = ()
    # The procedure kinds (``interchange.procedures``): ordering steps in the
    # right order; matching (item, answer) pairs, an empty item for an extra
    # wrong answer; (word, group) of missing words, word n filling gap [[n]];
    # accepted numbers (value, tolerance, grade %) and their unit; the regions
    # of a hotspot, whose picture is the first image of the text.
    steps: tuple[str, ...] = ()
    pairs: tuple[tuple[str, str], ...] = ()
    gap_words: tuple[tuple[str, int], ...] = ()
    numbers: tuple[tuple[Decimal, Decimal, Decimal], ...] = ()
    unit: str = ""
    regions: tuple[ImportedRegion, ...] = ()


@dataclass(frozen=True)
class UnsupportedQuestion:
    """A question of a kind this platform cannot hold, listed in the import report.

    ``type_name`` is Moodle's name for the kind (``matching``, ``numerical``...).
    """

    type_name: str
    name: str
    source_ref: str
    category: tuple[str, ...] = ()


@dataclass(frozen=True)
class LeftOutQuestion:
    """A question the file holds but asks not to use (hidden in Moodle): listed
    in the import report by name, with ``reason``, and not imported."""

    name: str
    source_ref: str
    reason: str
    category: tuple[str, ...] = ()


@dataclass(frozen=True)
class RejectedQuestion:
    """A question whose own content is wrong (grades that do not add up, no right
    answer...), while the file around it reads well. Its ``problems`` are also in
    ``ParseResult.problems``; an import of the valid questions only leaves it out
    and lists it with them."""

    name: str
    source_ref: str
    problems: tuple["ImportProblem", ...]
    category: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportProblem:
    """What is wrong with the file, and where: "line 12", "question 3 «Name»"."""

    source_ref: str
    message: str

    def __str__(self):
        return f"{self.source_ref}: {self.message}"


@dataclass
class ParseResult:
    """Everything a file holds, and everything wrong with it.

    A result with any ``problems`` must import nothing: ``ok`` is false and
    ``questions_to_import`` is empty, although ``questions`` still lists what could
    be read so that the report can say how much the file holds. ``notes`` are
    things the import changes without refusing the file (a partial grade that
    this platform cannot give, for instance); the report shows them too.
    ``categories`` lists every category path the file declares, in file order,
    including categories that hold no question.
    """

    questions: list[ImportedQuestion] = field(default_factory=list)
    unsupported: list[UnsupportedQuestion] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    notes: list[ImportProblem] = field(default_factory=list)
    categories: list[tuple[str, ...]] = field(default_factory=list)
    rejected: list[RejectedQuestion] = field(default_factory=list)
    left_out: list[LeftOutQuestion] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def questions_to_import(self) -> list[ImportedQuestion]:
        """Return the questions to store: all of them, or none if anything is wrong."""
        return list(self.questions) if self.ok else []

    @property
    def file_problems(self) -> list[ImportProblem]:
        """Return the problems of the file itself: those of no rejected question.
        A file with any adds nothing, even when only valid questions are asked."""
        theirs = {id(problem) for q in self.rejected for problem in q.problems}
        return [problem for problem in self.problems if id(problem) not in theirs]

    def reject(self, name, source_ref, problems, category=()) -> None:
        """Record a question refused for its own content (see RejectedQuestion)."""
        problems = tuple(problems)
        self.problems.extend(problems)
        self.rejected.append(RejectedQuestion(name, source_ref, problems, category))

    def add_category(self, path: tuple[str, ...]) -> None:
        if path not in self.categories:
            self.categories.append(path)
