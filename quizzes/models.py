"""Quizzes: a question bank, quiz pages, and what learners did in them.

Editorial content: ``QuestionCategory`` (a tree) holds ``Question`` snippets, each
with its ``Choice`` rows or ``AcceptedAnswer`` rows; a ``QuizPage`` under a course
either lists its questions (``QuizQuestion``) or draws some at random from
categories of the bank.

Imports: a ``QuestionImport`` is one upload of a Moodle XML or GIFT file to the
bank, kept with its bytes and run in the background (``quizzes.imports``).

Learner activity: a ``QuizAttempt`` snapshots, when it starts, everything an editor
may change later (the questions and their order, each question's choice order and
answer key, the pass mark, the time limit), so it is scored by the rules it was
taken under. An ``AnswerLog`` row holds one answer as it was given; its score is
computed on the server when the attempt is submitted, or by a person for essays.
"""

import re
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Orderable, Page
from wagtail.search import index

from core.slugs import AsciiSlugMixin

from .interchange import GIFT, MOODLE_XML
from .panels import PaperCountPanel


class QuestionType(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple answers")
    TRUE_FALSE = "true_false", _("True or false")
    SHORT_TEXT = "short_text", _("Short text")
    ESSAY = "essay", _("Essay (marked by a person)")
    ORDERING = "ordering", _("Ordering: put the steps in order")
    MATCHING = "matching", _("Matching: pair items")
    HOTSPOT = "hotspot", _("Hotspot: tap the right place on a picture")
    GAP_SELECT = "gap_select", _("Select missing words")
    NUMERICAL = "numerical", _("Numerical (with a tolerance)")


CHOICE_TYPES = {QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.TRUE_FALSE}
ONE_ANSWER_TYPES = {QuestionType.SINGLE, QuestionType.TRUE_FALSE}
# The question types that test a procedure (``quizzes.procedures``); their answers
# refer to rows through opaque per-attempt ids, never through database keys.
PROCEDURE_TYPES = {
    QuestionType.ORDERING,
    QuestionType.MATCHING,
    QuestionType.HOTSPOT,
    QuestionType.GAP_SELECT,
    QuestionType.NUMERICAL,
}
# A gap in the text of a "select missing words" question: [[1]] is filled by the
# first word of the list, [[2]] by the second...
GAP_PATTERN = re.compile(r"\[\[(\d+)\]\]")


def gap_numbers(text: str) -> list[int]:
    """Return the numbers of the gaps of a text, in reading order."""
    return [int(number) for number in GAP_PATTERN.findall(text or "")]


def answer_key_errors(
    *,
    kind: str,
    correct_flags: list[bool],
    accepted_count: int,
    steps: int = 0,
    pairs: list[tuple[str, str]] | tuple = (),
    gap_text: str = "",
    gap_words: int = 0,
    numbers: list[tuple] | tuple = (),
    regions: list[tuple] | tuple = (),
    has_image: bool = False,
):
    """Return the messages that make a question's answer key unusable, if any.

    Shared by the admin form (which sees unsaved choices) and by the checks made
    when an attempt starts (which see the stored ones). ``pairs`` are (prompt,
    answer); ``numbers`` (value, tolerance, grade in per cent); ``regions``
    (is_correct, x, y, width, height) in per cent of the picture.
    """
    errors = []
    correct = sum(1 for flag in correct_flags if flag)
    if kind in CHOICE_TYPES and len(correct_flags) < 2:
        errors.append(_("Give at least two choices."))
    if kind == QuestionType.TRUE_FALSE and len(correct_flags) != 2:
        errors.append(_("A true-or-false question has exactly two choices."))
    if kind in ONE_ANSWER_TYPES and correct != 1:
        errors.append(_("Mark exactly one choice as correct."))
    if kind == QuestionType.MULTIPLE and correct < 1:
        errors.append(_("Mark at least one choice as correct."))
    if kind == QuestionType.SHORT_TEXT and accepted_count < 1:
        errors.append(_("Give at least one accepted answer."))
    errors += procedure_key_errors(
        kind=kind,
        steps=steps,
        pairs=pairs,
        gap_text=gap_text,
        gap_words=gap_words,
        numbers=numbers,
        regions=regions,
        has_image=has_image,
    )
    return errors


def procedure_key_errors(
    *, kind, steps, pairs, gap_text, gap_words, numbers, regions, has_image
) -> list:
    """The answer-key rules of the procedure question types."""
    errors = []
    if kind == QuestionType.ORDERING and steps < 2:
        errors.append(
            _("An ordering question needs at least two steps to put in order.")
        )
    if kind == QuestionType.MATCHING:
        prompts = [prompt for prompt, _answer in pairs if prompt.strip()]
        if len(prompts) < 2:
            errors.append(_("A matching question needs at least two pairs."))
        if any(not answer.strip() for _prompt, answer in pairs):
            errors.append(_("Every pair needs the answer it is matched with."))
    if kind == QuestionType.GAP_SELECT:
        found = gap_numbers(gap_text)
        if not found:
            errors.append(
                _(
                    "Mark each missing word in the question as [[1]], [[2]]…: the "
                    "number is that of the right word in the list of words."
                )
            )
        elif any(number < 1 or number > gap_words for number in found):
            errors.append(
                _("A gap [[%(number)d]] has no word %(number)d in the list of words.")
                % {"number": next(n for n in found if n < 1 or n > gap_words)}
            )
        elif len(set(found)) != len(found):
            errors.append(_("Each gap number may appear only once in the text."))
    if kind == QuestionType.NUMERICAL:
        if not numbers:
            errors.append(_("Give at least one accepted number."))
        if any(
            tolerance is not None and tolerance < 0 for _v, tolerance, _g in numbers
        ):
            errors.append(_("A tolerance cannot be negative."))
        if numbers and not any(grade == 100 for _v, _t, grade in numbers):
            errors.append(_("At least one accepted number must be worth 100%."))
    if kind == QuestionType.HOTSPOT:
        if not has_image:
            errors.append(_("A hotspot question needs a picture to tap on."))
        if not any(region[0] for region in regions):
            errors.append(
                _(
                    "A hotspot question needs at least one region marked as the "
                    "right place to tap: draw it on the picture."
                )
            )
    return errors


class QuestionCategory(models.Model):
    name = models.CharField(_("name"), max_length=120)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    panels = [FieldPanel("name"), FieldPanel("parent")]

    class Meta:
        verbose_name = _("question category")
        verbose_name_plural = _("question categories")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"], name="question_category_unique_name"
            ),
        ]

    def __str__(self):
        names = [self.name]
        seen = {self.pk}
        parent = self.parent
        while parent is not None and parent.pk not in seen:
            names.append(parent.name)
            seen.add(parent.pk)
            parent = parent.parent
        return " › ".join(reversed(names))

    def clean(self):
        ancestor = self.parent
        while ancestor is not None:
            if self.pk is not None and ancestor.pk == self.pk:
                raise ValidationError(
                    {"parent": _("A category cannot sit inside itself.")}
                )
            ancestor = ancestor.parent

    @classmethod
    def subtree_ids(cls, ids) -> set[int]:
        """Return the ids of the categories and of all their sub-categories."""
        found = set(ids)
        frontier = set(found)
        while frontier:
            frontier = (
                set(
                    cls.objects.filter(parent_id__in=frontier).values_list(
                        "pk", flat=True
                    )
                )
                - found
            )
            found |= frontier
        return found


class Question(index.Indexed, ClusterableModel):
    category = models.ForeignKey(
        QuestionCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="questions",
    )
    # The name Moodle and GIFT files give a question (its "::Title::"), kept so
    # that an export names it as the file did; editors may name questions too.
    name = models.CharField(
        _("name"),
        max_length=255,
        blank=True,
        help_text=_(
            "A short name to find the question by in the bank; learners do not see it."
        ),
    )
    kind = models.CharField(
        _("type"),
        max_length=20,
        choices=QuestionType.choices,
        default=QuestionType.SINGLE,
        help_text=_(
            "With multiple answers, the score of a question is (correct choices "
            "ticked − wrong choices ticked) ÷ all correct choices, never below zero. "
            "Ordering: the share of neighbouring pairs of steps in the right order "
            "(A just before B). Matching: the share of items paired rightly. "
            "Select missing words: the share of gaps filled rightly. Numerical: the "
            "grade of the accepted number whose tolerance holds the answer. "
            "Hotspot: all points for a tap inside a right region, else none."
        ),
    )
    text = models.TextField(_("question"))
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    explanation = models.TextField(
        _("explanation"),
        blank=True,
        help_text=_("Shown to the learner once their answer is submitted."),
    )
    # The weight of the question in the attempt's percentage.
    points = models.PositiveSmallIntegerField(
        _("points"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("How much the question weighs in the score."),
    )
    ignore_accents = models.BooleanField(
        _("accept answers without accents"),
        default=False,
        help_text=_(
            "Short text only. Capitals and extra spaces never matter; when ticked, "
            "tone marks and punctuation do not either, so “ha noi” counts as "
            "“Hà Nội”."
        ),
    )

    # Numerical only: shown after the answer box; the answer is a number.
    unit = models.CharField(
        _("unit"),
        max_length=30,
        blank=True,
        help_text=_("Numerical only: the unit shown after the answer, e.g. “đồng”."),
    )

    panels = [
        FieldPanel("category"),
        FieldPanel("name"),
        FieldPanel("kind"),
        FieldPanel(
            "text",
            help_text=_(
                "For “select missing words”, write each gap as [[1]], [[2]]…: the "
                "number is that of the right word in the list of words below."
            ),
        ),
        FieldPanel(
            "image",
            help_text=_(
                "For a hotspot question, the screenshot the learner taps on; save "
                "once after choosing it, then draw the regions on it."
            ),
        ),
        FieldRowPanel([FieldPanel("points"), FieldPanel("ignore_accents")]),
        InlinePanel("choices", heading=_("Choices"), label=_("Choice")),
        InlinePanel(
            "accepted_answers",
            heading=_("Accepted answers (short text)"),
            label=_("Accepted answer"),
        ),
        InlinePanel(
            "steps",
            heading=_("Steps, in the right order (ordering)"),
            label=_("Step"),
            help_text=_(
                "Learners see the steps shuffled. Score: the share of neighbouring "
                "pairs they put in the right order, so one step out of place costs "
                "little and a reversed list earns nothing."
            ),
        ),
        InlinePanel(
            "pairs",
            heading=_("Pairs (matching)"),
            label=_("Pair"),
            help_text=_(
                "Each item is matched with its answer from a shuffled list. An "
                "answer without an item is an extra wrong answer. Score: the share "
                "of items matched rightly."
            ),
        ),
        InlinePanel(
            "gap_words",
            heading=_("Words (select missing words)"),
            label=_("Word"),
            help_text=_(
                "Gap [[n]] is filled rightly by word n; its list offers every word of "
                "the same group. Score: the share of gaps filled rightly."
            ),
        ),
        FieldPanel("unit"),
        InlinePanel(
            "numbers",
            heading=_("Accepted numbers (numerical)"),
            label=_("Accepted number"),
            help_text=_(
                "An answer within the tolerance of a number earns that number's "
                "grade; the best such grade counts. Learners may write 1.500.000 or "
                "1500000."
            ),
        ),
        InlinePanel(
            "regions",
            heading=_("Regions on the picture (hotspot)"),
            label=_("Region"),
            help_text=_(
                "Draw a rectangle on the picture with the mouse or a finger, or type "
                "its place in per cent. Label every region: learners who cannot tap "
                "choose from the list of labels, so add a few wrong regions (other "
                "buttons) too. Score: all points for a tap inside a right region."
            ),
        ),
        FieldPanel("explanation"),
    ]
    search_fields = [
        index.SearchField("text"),
        index.AutocompleteField("text"),
        index.FilterField("category"),
        index.FilterField("kind"),
    ]

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["category", "pk"]

    def __str__(self):
        return self.text if len(self.text) <= 80 else f"{self.text[:79]}…"

    def answer_key_errors(self) -> list:
        """Return what is wrong with the stored answer key, if anything."""
        return answer_key_errors(
            kind=self.kind,
            correct_flags=[choice.is_correct for choice in self.choices.all()],
            accepted_count=len(self.accepted_answers.all()),
            steps=len(self.steps.all()),
            pairs=[(pair.prompt, pair.answer) for pair in self.pairs.all()],
            gap_text=self.text,
            gap_words=len(self.gap_words.all()),
            numbers=[
                (number.value, number.tolerance, number.grade)
                for number in self.numbers.all()
            ],
            regions=[
                (region.is_correct, region.x, region.y, region.width, region.height)
                for region in self.regions.all()
            ],
            has_image=self.image_id is not None,
        )


class Choice(Orderable):
    question = ParentalKey(
        Question,
        verbose_name=_("question"),
        on_delete=models.CASCADE,
        related_name="choices",
    )
    text = models.CharField(_("text"), max_length=500)
    is_correct = models.BooleanField(_("correct"), default=False)
    feedback = models.TextField(
        _("feedback"),
        blank=True,
        help_text=_("Shown to a learner who chose it, once the answer is submitted."),
    )

    panels = [FieldPanel("text"), FieldPanel("is_correct"), FieldPanel("feedback")]

    class Meta(Orderable.Meta):
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        # Choices added in code (imports, demo content) may have no sort_order;
        # their creation order then decides, the same on every database.
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.text


class AcceptedAnswer(Orderable):
    question = ParentalKey(
        Question,
        verbose_name=_("question"),
        on_delete=models.CASCADE,
        related_name="accepted_answers",
    )
    text = models.CharField(_("text"), max_length=255)

    panels = [FieldPanel("text")]

    class Meta(Orderable.Meta):
        verbose_name = _("accepted answer")
        verbose_name_plural = _("accepted answers")
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.text


class OrderingStep(Orderable):
    """A step of an ordering question; the editor's order is the right one."""

    question = ParentalKey(
        Question,
        verbose_name=_("question"),
        on_delete=models.CASCADE,
        related_name="steps",
    )
    text = models.CharField(_("text"), max_length=500)

    panels = [FieldPanel("text")]

    class Meta(Orderable.Meta):
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.text


class MatchPair(Orderable):
    """An item of a matching question and the answer it is matched with; an
    answer without an item is an extra wrong answer offered to every item."""

    question = ParentalKey(
        Question,
        verbose_name=_("question"),
        on_delete=models.CASCADE,
        related_name="pairs",
    )
    prompt = models.CharField(
        _("item"),
        max_length=500,
        blank=True,
        help_text=_("Leave empty to add a wrong answer only."),
    )
    answer = models.CharField(_("matched with"), max_length=255)

    panels = [FieldRowPanel([FieldPanel("prompt"), FieldPanel("answer")])]

    class Meta(Orderable.Meta):
        verbose_name = _("pair")
        verbose_name_plural = _("pairs")
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return f"{self.prompt} → {self.answer}"


class GapWord(Orderable):
    """A word of a "select missing words" question: word n fills gap [[n]]; a gap
    offers every word of its word's group."""

    question = ParentalKey(
        Question,
        verbose_name=_("question"),
        on_delete=models.CASCADE,
        related_name="gap_words",
    )
    text = models.CharField(_("word"), max_length=255)
    group = models.PositiveSmallIntegerField(
        _("group"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("Words of one group are offered together in a gap."),
    )

    panels = [FieldRowPanel([FieldPanel("text"), FieldPanel("group")])]

    class Meta(Orderable.Meta):
        verbose_name = _("word")
        verbose_name_plural = _("words")
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.text


class NumericAnswer(Orderable):
    """A number a numerical question accepts, give or take its tolerance."""

    question = ParentalKey(
        Question,
        verbose_name=_("question"),
        on_delete=models.CASCADE,
        related_name="numbers",
    )
    value = models.DecimalField(_("number"), max_digits=20, decimal_places=6)
    # Accepted: value − tolerance ≤ answer ≤ value + tolerance.
    tolerance = models.DecimalField(
        _("tolerance (±)"),
        max_digits=20,
        decimal_places=6,
        default=Decimal(0),
        validators=[MinValueValidator(0, message=_("A tolerance cannot be negative."))],
        help_text=_("How far from the number an answer may be and still count."),
    )
    grade = models.PositiveSmallIntegerField(
        _("grade (%)"),
        default=100,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("The share of the points such an answer earns."),
    )

    panels = [
        FieldRowPanel(
            [FieldPanel("value"), FieldPanel("tolerance"), FieldPanel("grade")]
        )
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("accepted number")
        verbose_name_plural = _("accepted numbers")
        ordering = ["sort_order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(tolerance__gte=0),
                name="numeric_answer_tolerance_gte_0",
            ),
        ]

    def __str__(self):
        return f"{self.value} ± {self.tolerance}"


def _percent_validators():
    return [MinValueValidator(0), MaxValueValidator(100)]


class HotspotRegion(Orderable):
    """A labelled rectangle on a hotspot question's picture, in per cent of the
    picture's width and height, so it fits the picture at any size."""

    question = ParentalKey(
        Question,
        verbose_name=_("question"),
        on_delete=models.CASCADE,
        related_name="regions",
    )
    label = models.CharField(
        _("label"),
        max_length=120,
        help_text=_("What is there, e.g. “Nộp hồ sơ button”; listed for learners."),
    )
    is_correct = models.BooleanField(_("right place"), default=True)
    x = models.DecimalField(
        _("left (%)"), max_digits=6, decimal_places=3, validators=_percent_validators()
    )
    y = models.DecimalField(
        _("top (%)"), max_digits=6, decimal_places=3, validators=_percent_validators()
    )
    width = models.DecimalField(
        _("width (%)"),
        max_digits=6,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(100)],
    )
    height = models.DecimalField(
        _("height (%)"),
        max_digits=6,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(100)],
    )

    panels = [
        FieldRowPanel([FieldPanel("label"), FieldPanel("is_correct")]),
        FieldRowPanel(
            [
                FieldPanel("x"),
                FieldPanel("y"),
                FieldPanel("width"),
                FieldPanel("height"),
            ]
        ),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.label

    def holds(self, x: Decimal, y: Decimal) -> bool:
        return (
            self.x <= x <= self.x + self.width and self.y <= y <= self.y + self.height
        )


class QuestionImport(models.Model):
    """An import of a question-bank file, run in the background.

    The file's bytes are kept in the row, since the database is what every app
    machine and task worker shares; they are cleared once the import is done.
    ``outcomes`` is committed with each batch of questions written, so a re-run
    goes on after the last one (see ``quizzes.imports``).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("question import", "Waiting to start")
        RUNNING = "running", pgettext_lazy("question import", "Running")
        DONE = "done", pgettext_lazy("question import", "Finished")
        FAILED = "failed", pgettext_lazy("question import", "Stopped by an error")

    class Format(models.TextChoices):
        GIFT = GIFT, "GIFT"
        MOODLE_XML = MOODLE_XML, "Moodle XML"

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    file_name = models.CharField(_("file name"), max_length=255)
    # Empty until the file is read when the uploader left the format to be
    # recognised; then the format it was read as.
    format = models.CharField(
        _("format"), max_length=20, choices=Format.choices, blank=True
    )
    # The uploaded file; emptied once the import is done.
    content = models.BinaryField(_("file content"), default=b"")
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    # {"root": id of the category to import beneath or null, "all_or_nothing": bool}
    options = models.JSONField(_("options"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    task_id = models.CharField(max_length=64, blank=True, editable=False)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Touched as the import goes; a running import whose heartbeat is old was
    # stopped (its worker killed) and may be resumed.
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    # Questions of the file to be written (known once it is read), and written.
    total = models.PositiveIntegerField(_("questions to add"), default=0)
    done = models.PositiveIntegerField(_("questions written"), default=0)
    added = models.PositiveIntegerField(_("questions added"), default=0)
    # "created" or "skipped" for each question written so far, in file order.
    outcomes = models.JSONField(_("outcomes"), default=list, blank=True)
    # The finished import's report: ``services.ImportReport.as_data()``.
    report = models.JSONField(_("report"), default=dict, blank=True)

    class Meta:
        verbose_name = _("question import")
        verbose_name_plural = _("question imports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(done__lte=models.F("total")),
                name="question_import_done_lte_total",
            ),
        ]

    def __str__(self):
        return (
            f"{self.file_name} · {timezone.localtime(self.created_at):%d/%m/%Y %H:%M}"
        )

    @property
    def all_or_nothing(self) -> bool:
        return self.options.get("all_or_nothing", True)

    @property
    def root_id(self) -> int | None:
        return self.options.get("root")

    def root(self) -> QuestionCategory | None:
        """Return the category to import beneath, or None for the top level (or
        when it has been deleted since)."""
        if self.root_id is None:
            return None
        return QuestionCategory.objects.filter(pk=self.root_id).first()

    @property
    def percent(self) -> int:
        """Return how far the import is: 100 only once it is finished."""
        if self.status == self.Status.DONE:
            return 100
        if not self.total:
            return 0
        return min(99, self.done * 100 // self.total)


class QuestionSelection(models.TextChoices):
    FIXED = "fixed", _("The questions listed below")
    DRAWN = "drawn", _("Questions drawn at random from categories")


class ShowAnswers(models.TextChoices):
    AFTER_EACH = "after_each", _("After each question")
    AT_END = "at_end", _("At the end of the attempt")
    NEVER = "never", _("Never")


class QuizLayout(models.TextChoices):
    ONE_PER_SCREEN = "one_per_screen", _("One question per screen")
    ALL_ON_ONE_PAGE = "all_on_one_page", _("All questions on one page")


class QuizPageForm(WagtailAdminPageForm):
    """Check the question source against the rows being saved, which the page's
    own ``clean()`` cannot see yet."""

    # A new quiz draws each learner's questions from a pool by default, so that
    # one shared answer key does not fit every paper.
    NEW_QUIZ_DRAW_COUNT = 10

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None and not self.is_bound:
            self.initial.update(
                selection=QuestionSelection.DRAWN,
                draw_count=self.NEW_QUIZ_DRAW_COUNT,
                shuffle_questions=True,
                shuffle_choices=True,
            )

    def clean(self):
        cleaned_data = super().clean()
        selection = cleaned_data.get("selection")
        if selection == QuestionSelection.FIXED:
            formset = self.formsets["quiz_questions"]
            formset.is_valid()
            kept = [
                form
                for form in formset.forms
                if getattr(form, "cleaned_data", None)
                and not form.cleaned_data.get("DELETE")
            ]
            if not kept:
                self.add_error(None, _("Add at least one question to the quiz."))
        elif selection == QuestionSelection.DRAWN:
            categories = cleaned_data.get("draw_categories")
            count = cleaned_data.get("draw_count") or 0
            if not categories:
                self.add_error(
                    "draw_categories", _("Choose the categories to draw from.")
                )
            else:
                ids = QuestionCategory.subtree_ids(c.pk for c in categories)
                available = Question.objects.filter(category_id__in=ids).count()
                if count > available:
                    self.add_error(
                        "draw_count",
                        _("These categories hold only %(available)s questions.")
                        % {"available": available},
                    )
        return cleaned_data


class QuizPage(AsciiSlugMixin, RoutablePageMixin, Page):
    intro = models.TextField(
        _("introduction"),
        blank=True,
        max_length=500,
        help_text=_("What the quiz covers and how it is marked."),
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        default=80,
        validators=[MaxValueValidator(100)],
        help_text=_("The lowest score, in per cent, that passes the quiz."),
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("maximum attempts"),
        null=True,
        blank=True,
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("1 allows a single attempt. Leave empty for no limit."),
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty for no time limit."),
    )
    # Allowance for a slow phone connection: answers arriving this long after the
    # deadline still count.
    grace_seconds = models.PositiveSmallIntegerField(
        _("grace (seconds)"),
        default=30,
        validators=[MaxValueValidator(600)],
        help_text=_("Answers sent this many seconds after the time limit still count."),
    )
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(
        _("closes at"),
        null=True,
        blank=True,
        help_text=_("Attempts still open at this time take no more answers."),
    )
    shuffle_questions = models.BooleanField(
        _("random question order"),
        default=False,
        help_text=_("Each attempt gets its own order of questions."),
    )
    shuffle_choices = models.BooleanField(
        _("random choice order"),
        default=False,
        help_text=_("Each attempt gets its own order of choices in each question."),
    )
    selection = models.CharField(
        _("questions"),
        max_length=10,
        choices=QuestionSelection.choices,
        default=QuestionSelection.FIXED,
    )
    draw_count = models.PositiveSmallIntegerField(
        _("number of questions to draw"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("With questions drawn at random: how many each attempt gets."),
    )
    draw_categories = ParentalManyToManyField(
        QuestionCategory,
        verbose_name=_("categories to draw from"),
        blank=True,
        related_name="+",
        help_text=_("Sub-categories are included."),
    )
    show_answers = models.CharField(
        _("show answers"),
        max_length=12,
        choices=ShowAnswers.choices,
        default=ShowAnswers.AT_END,
        help_text=_("When the learner sees the correct answers and explanations."),
    )
    layout = models.CharField(
        _("layout"),
        max_length=20,
        choices=QuizLayout.choices,
        default=QuizLayout.ONE_PER_SCREEN,
    )
    pass_message = models.TextField(_("message on passing"), blank=True)
    fail_message = models.TextField(_("message on failing"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("selection"),
                InlinePanel("quiz_questions", label=_("Question")),
                FieldPanel("draw_count"),
                FieldPanel("draw_categories"),
                PaperCountPanel(heading=_("Distinct papers")),
                FieldRowPanel(
                    [FieldPanel("shuffle_questions"), FieldPanel("shuffle_choices")]
                ),
            ],
            heading=_("Questions"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("pass_mark"), FieldPanel("max_attempts")]),
                FieldRowPanel(
                    [FieldPanel("time_limit_minutes"), FieldPanel("grace_seconds")]
                ),
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldPanel("show_answers"),
                FieldPanel("layout"),
            ],
            heading=_("Rules"),
        ),
        MultiFieldPanel(
            [FieldPanel("pass_message"), FieldPanel("fail_message")],
            heading=_("Messages"),
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    base_form_class = QuizPageForm

    parent_page_types = ["courses.CoursePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pass_mark__lte=100), name="quiz_pass_mark_lte_100"
            ),
        ]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["course"] = self.get_course()
        return context

    @path("")
    def overview(self, request):
        from .views import quiz_overview_view

        return quiz_overview_view(request, quiz=self)

    @path("start/", name="start")
    def start(self, request):
        from .views import quiz_start

        return quiz_start(request, quiz=self)

    @path("attempt/<int:attempt_id>/", name="attempt")
    def attempt(self, request, attempt_id):
        from .views import quiz_attempt_view

        return quiz_attempt_view(request, quiz=self, attempt_id=attempt_id)

    @path("attempt/<int:attempt_id>/submit/", name="submit")
    def submit(self, request, attempt_id):
        from .views import quiz_submit

        return quiz_submit(request, quiz=self, attempt_id=attempt_id)

    @path("attempt/<int:attempt_id>/result/", name="result")
    def result(self, request, attempt_id):
        from .views import quiz_result

        return quiz_result(request, quiz=self, attempt_id=attempt_id)

    def clean(self):
        super().clean()
        errors = {}
        if self.pass_mark is not None and self.pass_mark > 100:
            errors["pass_mark"] = _("The pass mark is a percentage: at most 100.")
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = _("The quiz must close after it opens.")
        if self.selection == QuestionSelection.DRAWN and not self.draw_count:
            errors["draw_count"] = _("Say how many questions each attempt draws.")
        if errors:
            raise ValidationError(errors)

    def get_course(self):
        from courses.models import CoursePage

        return CoursePage.objects.parent_of(self).first()


class QuizQuestion(Orderable):
    """A question of a quiz with a fixed list of questions, in the editor's order."""

    page = ParentalKey(
        QuizPage,
        verbose_name=_("quiz"),
        on_delete=models.CASCADE,
        related_name="quiz_questions",
    )
    question = models.ForeignKey(
        Question,
        verbose_name=_("question"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    panels = [FieldPanel("question")]

    class Meta(Orderable.Meta):
        verbose_name = _("quiz question")
        verbose_name_plural = _("quiz questions")


class AttemptState(models.TextChoices):
    # In context: the catalogue of the project says "Đang học" for a course.
    IN_PROGRESS = "in_progress", pgettext_lazy("quiz attempt", "In progress")
    AWAITING_MARKING = "awaiting_marking", _("Awaiting marking")
    FINISHED = "finished", _("Finished")


class QuizAttempt(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="quiz_attempts",
    )
    quiz = models.ForeignKey(
        QuizPage,
        verbose_name=_("quiz"),
        on_delete=models.PROTECT,
        related_name="attempts",
    )
    # 1 for the learner's first attempt at the quiz, 2 for the second...
    number = models.PositiveSmallIntegerField(_("attempt number"))
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=AttemptState.choices,
        default=AttemptState.IN_PROGRESS,
    )
    started_at = models.DateTimeField(_("started at"))
    # The end of the time limit or the quiz's closing time, whichever is first;
    # null when there is neither. Answers count until deadline + grace.
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # Percentage, 0-100, set once every answer is scored.
    score = models.DecimalField(
        _("score (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    pass_mark = models.PositiveSmallIntegerField(_("pass mark (%)"))
    seed = models.BigIntegerField(_("random seed"))
    # {"questions": [{"id", "kind", "points", "choices": [ids in shown order],
    # "correct": [ids], "accepted": [texts], "ignore_accents"}], "pass_mark",
    # "time_limit_minutes", "grace_seconds", "show_answers", "revision_id"}.
    # Holds the answer key: never send it to the browser as it is.
    snapshot = models.JSONField(_("snapshot"), default=dict)
    # Where the attempt was started from, as keyed hashes only (see
    # quizzes.integrity.client_hashes): the same address or device gives the
    # same hash, and the hash gives back neither. Empty when not known.
    address_hash = models.CharField(
        _("address (hashed)"), max_length=16, blank=True, editable=False
    )
    device_hash = models.CharField(
        _("device (hashed)"), max_length=16, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        ordering = ["-started_at"]
        permissions = [
            ("view_all_results", _("Can see other people's quiz results")),
            ("mark_essays", _("Can mark essay answers")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "quiz", "number"], name="quiz_attempt_unique_number"
            ),
            # One unfinished attempt per learner and quiz: a second start resumes it.
            models.UniqueConstraint(
                fields=["user", "quiz"],
                condition=models.Q(state="in_progress"),
                name="quiz_attempt_one_in_progress",
            ),
            models.CheckConstraint(
                condition=models.Q(number__gte=1), name="quiz_attempt_number_gte_1"
            ),
        ]
        indexes = [models.Index(fields=["quiz", "state"])]

    def __str__(self):
        return f"{self.user} · {self.quiz} · {self.number}"

    @property
    def question_ids(self) -> list[int]:
        return [item["id"] for item in self.snapshot.get("questions", [])]

    def snapshot_item(self, question_id: int) -> dict | None:
        for item in self.snapshot.get("questions", []):
            if item["id"] == question_id:
                return item
        return None

    @property
    def grace_seconds(self) -> int:
        return self.snapshot.get("grace_seconds", 0)

    def is_open_at(self, when) -> bool:
        """Whether answers may still be saved at that time."""
        if self.state != AttemptState.IN_PROGRESS:
            return False
        if self.deadline is None:
            return True
        return when <= self.deadline + timedelta(seconds=self.grace_seconds)


class AnswerLog(models.Model):
    attempt = models.ForeignKey(
        QuizAttempt,
        verbose_name=_("attempt"),
        on_delete=models.CASCADE,
        related_name="answers",
    )
    question = models.ForeignKey(
        Question,
        verbose_name=_("question"),
        on_delete=models.PROTECT,
        related_name="answers",
    )
    # Ids of the chosen Choice rows, checked against the attempt's snapshot.
    choice_ids = models.JSONField(_("chosen choices"), default=list, blank=True)
    text = models.TextField(_("written answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"))
    # Fraction of the question's points earned, 0-1, set at submit or marking.
    score = models.DecimalField(
        _("score"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    is_correct = models.BooleanField(_("correct"), null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    marked_at = models.DateTimeField(_("marked at"), null=True, blank=True)
    marker_comment = models.TextField(_("marker's comment"), blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["attempt", "answered_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "question"], name="answer_log_unique_question"
            ),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True)
                | models.Q(score__gte=0, score__lte=1),
                name="answer_log_score_fraction",
            ),
        ]

    def __str__(self):
        return f"{self.attempt} · {self.question_id}"
