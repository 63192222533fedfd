"""What reaches the browser of the procedure types before an answer is submitted
(issue 18 §1): no key, region, accepted number or right order, on any rendering
of the questions a learner can reach — the quiz page, every screen of both
layouts, the htmx fragments of answers saved as they are given, the page asking
to confirm the submit, the results list, the data download (JSON and XLSX) and
the editor's picture address — and the markers do reach the result after the
submit, so their absence before means something."""

import json
import re
from io import BytesIO

from django.test import TestCase
from django.urls import reverse
from openpyxl import load_workbook

from ..models import QuizAttempt, QuizLayout, ShowAnswers
from ..procedures import opaque_id
from .factories import UserFactory, course_create, quiz_create
from .procedure_factories import (
    FEE,
    REGION_X,
    gap_question,
    hotspot_question,
    matching_question,
    numerical_question,
    ordering_question,
)

MARKERS = {
    "ordering": "MARKER-ORDER-3c1f",
    "matching": "MARKER-MATCH-8e2a",
    "gap_select": "MARKER-GAPS-51d7",
    "numerical": "MARKER-NUMBER-0b94",
    "hotspot": "MARKER-HOTSPOT-d6e3",
}
# Region places, accepted numbers (as typed and as shown) and flags of a right
# answer; "[[" would be the gaps' key markup.
KEYS = (
    REGION_X,
    REGION_X.replace(".", ","),
    FEE,
    "1.234.567",
    "1234000",
    "1.234.000",
    "is_correct",
    "data-correct",
    "answer-review",
    "[[",
)


class ProcedureIntegrityTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.course = course_create()
        cls.ordering = ordering_question(explanation=MARKERS["ordering"])
        cls.matching = matching_question(explanation=MARKERS["matching"])
        cls.gaps = gap_question(explanation=MARKERS["gap_select"])
        cls.number = numerical_question(explanation=MARKERS["numerical"])
        cls.hotspot = hotspot_question(explanation=MARKERS["hotspot"])
        cls.questions = [cls.ordering, cls.matching, cls.gaps, cls.number, cls.hotspot]

    def setUp(self):
        self.learner = UserFactory()
        self.client.force_login(self.learner)

    def assert_key_free(self, content, what):
        text = content if isinstance(content, str) else content.decode()
        for secret in (*MARKERS.values(), *KEYS):
            self.assertNotIn(secret, text, f"{secret} reached the browser in {what}")
        # The steps never appear in their right order.
        steps = [step.text for step in self.ordering.steps.all()]
        if all(step in text for step in steps):
            places = [text.index(step) for step in steps]
            self.assertNotEqual(places, sorted(places), f"right order in {what}")
        # Every item of a matching question offers the same list, in the same
        # order: no list starts with, or lacks, the right answer of its item.
        lists = re.findall(
            rf'<select name="q-{self.matching.pk}-\d+">(.*?)</select>', text, re.S
        )
        self.assertEqual(len(set(lists)), min(len(lists), 1), what)

    def wrong_answers(self, attempt) -> dict:
        """Return an answer to each question, wrong or partly wrong, as posted."""
        seed = attempt.seed
        answers = {}
        shown = attempt.snapshot_item(self.ordering.pk)["choices"]
        name = f"q-{self.ordering.pk}"
        answers[self.ordering.pk] = {
            name: [opaque_id(seed, pk) for pk in shown],
            **{
                f"{name}-at-{opaque_id(seed, pk)}": place
                for place, pk in enumerate(shown, 1)
            },
        }
        options = attempt.snapshot_item(self.matching.pk)["choices"]
        prompts = attempt.snapshot_item(self.matching.pk)["prompts"]
        answers[self.matching.pk] = {
            f"q-{self.matching.pk}-{n}": opaque_id(seed, options[0])
            for n in range(len(prompts))
        }
        zalo = self.gaps.gap_words.get(text="Zalo")
        answers[self.gaps.pk] = {f"q-{self.gaps.pk}-0": opaque_id(seed, zalo.pk)}
        answers[self.number.pk] = {f"q-{self.number.pk}": "999"}
        answers[self.hotspot.pk] = {f"q-{self.hotspot.pk}-tap": "1;1"}
        return answers

    def walk(self, layout, show_answers=ShowAnswers.AT_END):
        """Take a quiz of the five types, checking every rendering before the
        submit; return the result page."""
        quiz = quiz_create(
            course=self.course,
            questions=self.questions,
            layout=layout,
            show_answers=show_answers,
        )
        self.assert_key_free(self.client.get(quiz.url).content, "the quiz page")
        response = self.client.post(quiz.url + "start/", follow=True)
        self.assert_key_free(response.content, "the start")
        attempt = QuizAttempt.objects.get(user=self.learner, quiz=quiz)
        url = f"{quiz.url}attempt/{attempt.pk}/"
        screens = [url] + [f"{url}?q={n}" for n in range(1, 6)]

        def every_rendering(when):
            for screen in [*screens, url + "submit/", url + "result/"]:
                response = self.client.get(screen, follow=True)
                self.assertEqual(response.status_code, 200, screen)
                self.assert_key_free(response.content, f"{screen} {when}")
            for name in ("quizzes:my_results", "users:data_json"):
                response = self.client.get(reverse(name))
                self.assertEqual(response.status_code, 200, name)
                self.assert_key_free(response.content, f"{name} {when}")
            response = self.client.get(reverse("users:data_xlsx"))
            self.assertEqual(response.status_code, 200)
            book = load_workbook(BytesIO(response.content), read_only=True)
            cells = " ".join(
                str(value)
                for sheet in book.worksheets
                for row in sheet.iter_rows(values_only=True)
                for value in row
                if value is not None
            )
            self.assert_key_free(cells, f"the XLSX download {when}")

        every_rendering("before answering")
        answers = self.wrong_answers(attempt)
        for question in self.questions:
            # Saved as the learner answers, by htmx: the fragment tells nothing.
            response = self.client.post(
                url,
                {"shown": [question.pk], **answers[question.pk]},
                headers={"HX-Request": "true"},
            )
            self.assertEqual(response.status_code, 200)
            self.assert_key_free(response.content, f"the htmx save of {question}")
        self.assertEqual(attempt.answers.count(), 5)
        # The same answers by a plain POST.
        everything = {"shown": [q.pk for q in self.questions]}
        for question in self.questions:
            everything.update(answers[question.pk])
        response = self.client.post(url, everything, follow=True)
        self.assert_key_free(response.content, "the answers saved by POST")
        every_rendering("after answering")
        response = self.client.post(quiz.url + "start/", follow=True)
        self.assert_key_free(response.content, "the resume")
        return self.client.post(url + "submit/", follow=True)

    def assert_markers_on(self, result):
        for marker in MARKERS.values():
            self.assertContains(result, marker)

    def test_one_per_screen(self):
        self.assert_markers_on(self.walk(QuizLayout.ONE_PER_SCREEN))

    def test_all_on_one_page(self):
        self.assert_markers_on(self.walk(QuizLayout.ALL_ON_ONE_PAGE))

    def test_never_shown(self):
        """With answers never shown, not even the result or the download tells."""
        result = self.walk(QuizLayout.ALL_ON_ONE_PAGE, ShowAnswers.NEVER)
        self.assert_key_free(result.content, "the result")
        download = self.client.get(reverse("users:data_json")).content.decode()
        self.assert_key_free(download, "the download after the submit")
        self.assertNotIn('"correct": true', download)
        self.assertNotIn('"correct": false', download)
        json.loads(download)

    def test_the_editors_picture_address_is_not_the_learners(self):
        """The admin's picture address for drawing regions refuses a learner."""
        url = reverse("quizzes_hotspot_picture", args=[self.hotspot.image_id])
        response = self.client.get(url)
        self.assertNotEqual(response.status_code, 200)
        self.assertNotIn(b'"url"', response.content)
