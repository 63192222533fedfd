"""What a learner finds by typing a few words: live courses and lessons they may
see, found with or without accents, the ones with every word in their title
first.

Wagtail's search backend (PostgreSQL's full text search, SQLite's FTS5) finds
and ranks; titles are weighted above text there (``TITLE_BOOST``), and the
order is made sure of here, since each backend weighs fields its own way.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from wagtail.models import Page, PageViewRestriction

from core.routing import any_view_restrictions
from core.search import query_words
from core.text import fold, fold_each

from .models import CoursePage, LessonPage

# Results shown at most: a learner refines the words rather than page on.
LIMIT = 30
# Letters of text shown under a result.
SNIPPET_LENGTH = 160


@dataclass
class SearchHit:
    page: CoursePage | LessonPage
    snippet: str
    # The lesson's course; None for a course.
    course: CoursePage | None = None

    @property
    def is_course(self) -> bool:
        return self.course is None


@dataclass
class SearchResults:
    query: str
    hits: list[SearchHit]
    # Whether no page has every word, and these have some of them.
    partial: bool = False
    # Whether there were more than LIMIT.
    more: bool = False


def visible_pages(pages, request):
    """Return pages without those a view restriction keeps from the visitor
    (a password not given in this session, a login, a group)."""
    if not any_view_restrictions():
        return pages
    for restriction in PageViewRestriction.objects.select_related("page"):
        if not restriction.accept_request(request):
            pages = pages.not_descendant_of(restriction.page, inclusive=True)
    return pages


def learning_search(*, query: str, request) -> SearchResults:
    """Return the live courses and lessons the visitor may see that have the
    words of query, accents or not, every word if any page has them all."""
    words = query_words(query)
    if not words:
        return SearchResults(query=query, hits=[])
    pages = visible_pages(Page.objects.live().type(CoursePage, LessonPage), request)
    partial = False
    found = _search(pages, words, "and")
    if not found and len(words) > 1:
        found, partial = _search(pages, words, "or"), True
    hits = _hits(found[:LIMIT], words)
    return SearchResults(
        query=query, hits=hits, partial=partial and bool(hits), more=len(found) > LIMIT
    )


def _search(pages, words: list[str], operator: str) -> list[int]:
    results = pages.search(" ".join(words), operator=operator)[: LIMIT + 1]
    return [page.pk for page in results]


def _title_rank(page, words: list[str]) -> int:
    """0 when the title has every word, 1 when it has some, 2 when none."""
    title = set(fold(page.title).split())
    have = sum(word in title for word in words)
    return 0 if have == len(words) else 1 if have else 2


def _hits(ids: list[int], words: list[str]) -> list[SearchHit]:
    by_id = {page.pk: page for page in Page.objects.filter(pk__in=ids).specific()}
    pages = [by_id[pk] for pk in ids if pk in by_id]
    steplen = Page.steplen
    courses = {
        course.path: course
        for course in CoursePage.objects.live().filter(
            path__in={
                page.path[:-steplen] for page in pages if isinstance(page, LessonPage)
            }
        )
    }
    hits = []
    for page in pages:
        if isinstance(page, LessonPage):
            course = courses.get(page.path[:-steplen])
            if course is None:  # a live lesson of a course taken down
                continue
            texts = [page.intro, *_body_texts(page)]
        else:
            course, texts = None, [page.summary]
        hits.append(SearchHit(page=page, course=course, snippet=snippet(texts, words)))
    # Stable: the backend's order within each rank.
    hits.sort(key=lambda hit: _title_rank(hit.page, words))
    return hits


def _body_texts(lesson: LessonPage) -> list[str]:
    field = LessonPage._meta.get_field("body")
    return [text for text in field.get_searchable_content(lesson.body) if text]


def snippet(texts: list[str], words: list[str], length: int = SNIPPET_LENGTH) -> str:
    """Return a short passage of the first text that has one of the words (at
    the start of a word of its own), around it; else the start of the first
    text."""
    texts = [
        " ".join(unicodedata.normalize("NFC", text).split()) for text in texts if text
    ]
    if not texts:
        return ""
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")")
    for text in texts:
        found = pattern.search(fold_each(text))
        if found:
            return _window(text, found.start(), length)
    return _window(texts[0], 0, length)


def _window(text: str, at: int, length: int) -> str:
    if len(text) <= length:
        return text
    start = max(0, at - length // 4)
    if start:
        # From the start of a word.
        space = text.rfind(" ", 0, start + 1)
        start = space + 1 if space >= 0 else 0
    end = start + length
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
