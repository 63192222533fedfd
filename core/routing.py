"""Serve a page in a handful of queries.

Wagtail finds the Site, its root page, then walks the tree one level at a time,
two queries per level. Here the Site and its home page come from the cache
(purged whenever a Site changes or a page is published, unpublished or moved),
and the home page routes any path with one lookup of the deepest page whose
``url_path`` matches a prefix of the path, leaving the rest of the path to that
page's own routing (RoutablePageMixin sub-routes such as ``enrol/``).
"""

import hashlib

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

SITE_CACHE_KEY = "core:site:{host}:{port}"
# The deepest page routing found for a path, kept for the site's generation
# (core.pagecache): purged by anything published, moved or saved.
ROUTE_CACHE_KEY = "core:route:{generation}:{root}:{digest}"
SITE_KEYS_KEY = "core:site-keys"
RESTRICTIONS_CACHE_KEY = "core:any-view-restrictions"
TIMEOUT = 60 * 60


class CachedSiteMiddleware:
    """Put the request's Site, with its specific root page, on the request from the
    cache, so Wagtail's Site.find_for_request finds it there."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(("/admin/", "/django-admin/", "/static/")):
            self._attach_site(request)
        return self.get_response(request)

    def _attach_site(self, request):
        from .pagecache import GENERATION_KEY, request_memo

        host = request._get_raw_host().split(":")[0]
        key = SITE_CACHE_KEY.format(host=host, port=request.get_port())
        # The site's generation and whether any page is restricted come in the
        # same round trip: routing asks for both next (core.pagecache).
        found = cache.get_many([key, GENERATION_KEY, RESTRICTIONS_CACHE_KEY])
        memo = request_memo()
        if memo is not None:
            if found.get(GENERATION_KEY) is not None:
                memo["generation"] = found[GENERATION_KEY]
            if found.get(RESTRICTIONS_CACHE_KEY) is not None:
                memo["restrictions"] = found[RESTRICTIONS_CACHE_KEY]
        site = found.get(key)
        if site is None:
            site = Site._find_for_request(request)
            if site is None:
                return
            # Load the specific root page now, so the cached copy carries it.
            site.root_page = site.root_page.specific
            cache.set(key, site, TIMEOUT)
            keys = cache.get(SITE_KEYS_KEY, set())
            cache.set(SITE_KEYS_KEY, keys | {key}, TIMEOUT)
        request._wagtail_site = site


def route_by_url_path(root: Page, request, path_components: list[str]):
    """Route path_components below root in two queries, as Wagtail would."""
    if not path_components:
        return None
    prefixes = [
        root.url_path + "/".join(path_components[:depth]) + "/"
        for depth in range(1, len(path_components) + 1)
    ]
    deepest = _deepest_page(root, prefixes)
    if deepest is None:
        return None
    consumed = deepest.depth - root.depth
    return deepest.route(request, path_components[consumed:])


def _deepest_page(root: Page, prefixes: list[str]) -> Page | None:
    """Return the specific page of the longest prefix, from the cache when it
    holds it. A path that names no page is not kept, so that made-up addresses
    do not fill the cache."""
    from .pagecache import generation

    key = ROUTE_CACHE_KEY.format(
        generation=generation(),
        root=root.pk,
        digest=hashlib.sha256(prefixes[-1].encode()).hexdigest()[:40],
    )
    page = cache.get(key)
    if page is None:
        deepest = Page.objects.filter(url_path__in=prefixes).order_by("-depth").first()
        if deepest is None:
            return None
        page = deepest.specific
        cache.set(key, page, TIMEOUT)
    return page


def any_view_restrictions() -> bool:
    """Whether any page has a view restriction (cached until one changes)."""
    from .pagecache import request_memo

    memo = request_memo()
    if memo is not None and "restrictions" in memo:
        return memo["restrictions"]
    exists = cache.get(RESTRICTIONS_CACHE_KEY)
    if exists is None:
        exists = PageViewRestriction.objects.exists()
        cache.set(RESTRICTIONS_CACHE_KEY, exists, TIMEOUT)
    return exists


class FastViewRestrictionsMixin:
    """Skip the per-request ancestor lookup of view restrictions while the site has
    none at all, which is the common case."""

    def get_view_restrictions(self):
        if not any_view_restrictions():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


def purge_site_cache(**kwargs) -> None:
    keys = cache.get(SITE_KEYS_KEY, set())
    cache.delete_many([*keys, SITE_KEYS_KEY])


def purge_restrictions_cache(**kwargs) -> None:
    from .pagecache import request_memo

    cache.delete(RESTRICTIONS_CACHE_KEY)
    memo = request_memo()
    if memo is not None:
        memo.pop("restrictions", None)


def connect_signals() -> None:
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(purge_site_cache, dispatch_uid=f"site-cache-{signal!r}")
    for signal in (post_save, post_delete):
        signal.connect(purge_site_cache, sender=Site, dispatch_uid=f"site-{signal!r}")
        signal.connect(
            purge_restrictions_cache,
            sender=PageViewRestriction,
            dispatch_uid=f"restrictions-{signal!r}",
        )
