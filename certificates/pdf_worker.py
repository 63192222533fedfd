"""The WeasyPrint half of ``certificates.pdf``: HTML strings in, PDF bytes out.

It needs nothing of Django but ``core.qr``, which draws QR codes, so the
processes of a pool can run it with nothing but strings and file paths: no
settings, no database. Each process parses the
stylesheet and loads the fonts once (``_engine``) and keeps WeasyPrint's image
cache, so a warm render only lays out text.

A chunk of certificates is laid out as pages of ONE document, one ``<section>``
each; the individual PDFs are then written page by page with ``Document.copy``,
each with its own title and author.
"""

import atexit
import ctypes
import gc
import os
import signal
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

# Drawn as a PNG (core.qr: segno and Pillow, nothing of Django's settings).
from core.qr import qr_png

# An <img src="qr:DATA"> is drawn as the QR code of DATA, made here in the worker
# (making a QR code costs more than laying out its page's text).
QR_SCHEME = "qr:"


# Seconds between two looks, in a rendering process, at whether the process that
# started it is still there.
PARENT_WATCH_EVERY = 0.5
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def die_with_parent(parent_pid: int, parent_is_main_thread: bool) -> None:
    """Make this rendering process end when the process that started it ends.

    The pool's initializer. A task worker that is killed (SIGKILL, the OOM
    killer) cannot shut its pool down, and its rendering processes, waiting on a
    queue whose writing end they hold too, would live on without a parent, about
    90 MB each. On Linux the kernel kills this process when its parent ends
    (PR_SET_PDEATHSIG); that is asked only when the pool was started by the main
    thread, since the kernel's "parent" is the thread that spawned the process,
    and a thread's end would kill a pool its process still uses. Everywhere, a
    thread of this process also checks that its parent is still there.
    """
    if parent_is_main_thread and sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    threading.Thread(
        target=_watch_parent, args=(parent_pid,), name="watch-parent", daemon=True
    ).start()


def _watch_parent(parent_pid: int) -> None:
    # An orphan is adopted by init (or a subreaper): its parent pid changes.
    while os.getppid() == parent_pid:
        time.sleep(PARENT_WATCH_EVERY)
    os._exit(1)


@dataclass(frozen=True)
class Chunk:
    """What one worker needs to write the PDFs of some certificates."""

    html: str  # a whole document: one <section> (one page) per certificate
    css: str
    base_url: str  # where the stylesheet's relative URLs (the fonts) point
    # One (title, author) per page, for the metadata of each individual PDF.
    metadata: tuple[tuple[str, str], ...] = ()
    # Per page, the files its PDF carries as attachments: (name, description,
    # content) each, such as the certificate's Open Badges credential.
    attachments: tuple[tuple[tuple[str, str, bytes], ...], ...] = ()


# Documents of at least this many pages are laid out with fewer collections.
MANY_PAGES = 10


def _fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class Fetcher(URLFetcher):
        """Read local files and draw QR codes; fetch nothing from the network."""

        def fetch(self, url, headers=None):
            if url.startswith(QR_SCHEME):
                return URLFetcherResponse(
                    url,
                    qr_png(url.removeprefix(QR_SCHEME)),
                    {"Content-Type": "image/png"},
                )
            return super().fetch(url, headers)

    return Fetcher(allowed_protocols={"file", "qr"})


def _remember_image_streams() -> None:
    """Make WeasyPrint encode each picture once per process, not once per PDF.

    WeasyPrint 70 turns a PNG with transparency into two freshly encoded PNG
    streams (colour and mask) every time it writes a PDF: about 40 ms of a
    certificate's 60 with a logo, signature and seal. The encoded data is the same
    each time; only the stream objects must be new for each PDF, as writing one
    numbers them and replaces the mask by a reference.
    """
    import pydyf
    from weasyprint.images import RasterImage

    if getattr(RasterImage.get_x_object, "remembers", False):
        return
    encode = RasterImage.get_x_object

    def get_x_object(self, interpolate, dpi_ratio):
        memo = self.__dict__.setdefault("_encoded_streams", {})
        key = (interpolate, dpi_ratio)
        if key not in memo:
            stream = encode(self, interpolate, dpi_ratio)
            mask = stream.extra.get("SMask")
            memo[key] = (
                stream.stream,
                dict(stream.extra),
                (mask.stream, dict(mask.extra)) if mask is not None else None,
            )
        data, extra, mask = memo[key]
        extra = pydyf.Dictionary(extra)
        if mask is not None:
            extra["SMask"] = pydyf.Stream(list(mask[0]), pydyf.Dictionary(mask[1]))
        return pydyf.Stream(list(data), extra)

    get_x_object.remembers = True
    RasterImage.get_x_object = get_x_object


class _Engine:
    def __init__(self, css: str, base_url: str):
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        _remember_image_streams()
        self.font_config = FontConfiguration()
        self.url_fetcher = _fetcher()
        self.stylesheet = CSS(
            string=css,
            base_url=base_url,
            font_config=self.font_config,
            url_fetcher=self.url_fetcher,
        )
        # URL -> decoded image: the template's pictures are read once per process.
        self.image_cache: dict = {}

    def render(self, html: str, base_url: str):
        from weasyprint import HTML

        try:
            return HTML(
                string=html, base_url=base_url, url_fetcher=self.url_fetcher
            ).render(
                stylesheets=[self.stylesheet],
                font_config=self.font_config,
                cache=self.image_cache,
            )
        finally:
            # Keep the pictures, forget each certificate's QR code.
            for url in [url for url in self.image_cache if url.startswith(QR_SCHEME)]:
                del self.image_cache[url]


@lru_cache(maxsize=4)
def _engine(css: str, base_url: str) -> _Engine:
    return _Engine(css, base_url)


# Let the fonts go before the interpreter tears down the libraries they need.
atexit.register(_engine.cache_clear)


@contextmanager
def _fewer_collections(chunk: Chunk):
    """Run the garbage collector's youngest generation less often while laying
    out many pages: WeasyPrint makes hundreds of thousands of small objects a
    document and frees them at the end, so the default threshold (700) spends
    about a quarter of the layout time scanning them (measured: 33 → 24 ms a page
    in a 250-page document). A single certificate is faster with the default
    (38 against 61 ms), so it keeps it."""
    if chunk.html.count("<section") < MANY_PAGES:
        yield
        return
    threshold = gc.get_threshold()
    gc.set_threshold(50_000, threshold[1], threshold[2])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)


def _attachments(files) -> list:
    """Return WeasyPrint attachments of (name, description, content) triples;
    each is an alternative representation of the page (ISO 32000-2, 7.11.3)."""
    from weasyprint import Attachment

    return [
        Attachment(
            string=content,
            name=name,
            description=description,
            relationship="Alternative",
        )
        for name, description, content in files
    ]


def render_document(chunk: Chunk) -> bytes:
    """Return one PDF of every page of the chunk, in order, with every page's
    attachments."""
    with _fewer_collections(chunk):
        return (
            _engine(chunk.css, chunk.base_url)
            .render(chunk.html, chunk.base_url)
            .write_pdf(
                attachments=_attachments(
                    [file for files in chunk.attachments for file in files]
                )
            )
        )


def render_pages(chunk: Chunk) -> list[bytes]:
    """Return one PDF per page of the chunk, in order, each with its metadata."""
    with _fewer_collections(chunk):
        return _render_pages(chunk)


def _render_pages(chunk: Chunk) -> list[bytes]:
    from weasyprint.pdf.metadata import DocumentMetadata

    document = _engine(chunk.css, chunk.base_url).render(chunk.html, chunk.base_url)
    if len(document.pages) != len(chunk.metadata):
        raise ValueError(
            f"{len(chunk.metadata)} certificates laid out on "
            f"{len(document.pages)} pages; each must fit on one page."
        )
    attachments = chunk.attachments or ((),) * len(chunk.metadata)
    pdfs = []
    for page, (title, author), files in zip(
        document.pages, chunk.metadata, attachments, strict=True
    ):
        single = document.copy([page])
        single.metadata = DocumentMetadata(
            title=title,
            authors=[author] if author else [],
            generator=document.metadata.generator,
            lang=document.metadata.lang,
            attachments=_attachments(files),
        )
        pdfs.append(single.write_pdf())
    return pdfs
