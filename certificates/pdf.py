"""Certificates as PDF: turns certificates into bytes and knows nothing else.

Everything printed comes from ``certificate.printed`` (filled at issue time), its
issue date (``issued_at``, on the site's calendar, as ``printed["issue_date"]``
was written), the template's pictures and page orientation, the typed code and a
QR code of the verification address. The certificate is always printed in the
site's language (Vietnamese), whoever asks for it.

Speed: WeasyPrint laying out each certificate as its own document is about ten a
second on two cores. Here the stylesheet is parsed and the fonts loaded once per
process, many certificates are laid out as pages of one document, and the
individual PDFs are written page by page, by a pool of processes that receive only
HTML strings and file paths (``pdf_worker``).
"""

import atexit
import io
import logging
import math
import multiprocessing
import os
import re
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from datetime import date
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from . import pdf_worker
from .images import template_image_uris

logger = logging.getLogger(__name__)

FONTS = Path(settings.BASE_DIR) / "static" / "fonts"
# Certificates per document a worker lays out: large enough that the per-document
# cost vanishes, small enough that both cores stay busy to the end.
CHUNK_SIZE = 20
# Fewer certificates than this are not worth starting a pool of processes for.
POOL_THRESHOLD = 2 * CHUNK_SIZE


def verification_url(certificate) -> str:
    """Return the absolute address the certificate's QR code opens."""
    path = reverse("certificates:verify_token", args=[certificate.token])
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


def certificate_pdf(certificate) -> bytes:
    """Return the PDF of one certificate, one page."""
    return pdf_worker.render_document(_chunk([certificate]))


def certificates_print_pdf(
    certificates: Iterable, *, workers: int | None = None
) -> bytes:
    """Return one print-ready PDF, one page per certificate, in the given order.

    Many certificates are laid out in parts by ``workers`` processes (all cores
    when None) and the parts joined with pikepdf; each part carries its own copy
    of the fonts and pictures, so there are few parts.
    """
    certificates = _with_templates(certificates)
    title, author = _print_metadata(certificates)
    workers = workers or os.cpu_count() or 1
    if workers == 1 or len(certificates) < POOL_THRESHOLD:
        return pdf_worker.render_document(
            _chunk(certificates, title=title, author=author, credentials=False)
        )
    size = math.ceil(len(certificates) / (2 * workers))
    groups = [
        certificates[start : start + size]
        for start in range(0, len(certificates), size)
    ]
    with _pool(workers) as pool:
        futures = [
            pool.submit(
                pdf_worker.render_document,
                _chunk(group, title=title, author=author, credentials=False),
            )
            for group in groups
        ]
        return _join([future.result() for future in futures])


def certificates_pdfs(
    certificates: Iterable, *, workers: int | None = None
) -> Iterator[tuple[object, bytes]]:
    """Yield (certificate, its PDF) for each certificate, in the given order.

    Chunks of certificates are laid out in ``workers`` processes (all cores when
    None); the HTML is made here, so the workers need no database.
    """
    certificates = _with_templates(certificates)
    workers = workers or os.cpu_count() or 1
    chunks = [
        certificates[start : start + CHUNK_SIZE]
        for start in range(0, len(certificates), CHUNK_SIZE)
    ]
    if workers == 1 or len(certificates) < POOL_THRESHOLD:
        for group in chunks:
            yield from zip(group, pdf_worker.render_pages(_chunk(group)), strict=True)
        return
    with _pool(min(workers, len(chunks))) as pool:
        futures = []
        try:
            # Each chunk goes to work as soon as its HTML is made, so the workers
            # render while the next chunks are made here.
            for group in chunks:
                futures.append(pool.submit(pdf_worker.render_pages, _chunk(group)))
            for group, future in zip(chunks, futures, strict=True):
                yield from zip(group, future.result(), strict=True)
        finally:
            for future in futures:
                future.cancel()


_pools: dict[int, ProcessPoolExecutor] = {}


@contextmanager
def _pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    """Yield this process's pool of ``workers`` rendering processes.

    The pool outlives the call, as the stylesheet and fonts its processes loaded
    do: a task worker's second bulk run, or the print PDF after the individual
    ones, starts at once instead of spawning and warming two new processes. A
    pool broken by a crashed process is replaced on the next call.
    """
    pool = _pools.get(workers)
    if pool is None or getattr(pool, "_broken", False):
        # Spawned, not forked: a fork would copy this process's database
        # connections and any thread's locks; the workers import only WeasyPrint.
        # Its processes end with this one, even killed (pdf_worker.die_with_parent).
        pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=pdf_worker.die_with_parent,
            initargs=(
                os.getpid(),
                threading.current_thread() is threading.main_thread(),
            ),
        )
        _pools[workers] = pool
    yield pool


@atexit.register
def _shut_pools() -> None:
    for pool in _pools.values():
        pool.shutdown(wait=False, cancel_futures=True)
    _pools.clear()


def _join(parts: list[bytes]) -> bytes:
    """Return one PDF of the pages of the parts, in order, with the first part's
    metadata."""
    import pikepdf

    with pikepdf.open(io.BytesIO(parts[0])) as whole:
        for part in parts[1:]:
            with pikepdf.open(io.BytesIO(part)) as pages:
                whole.pages.extend(pages.pages)
        output = io.BytesIO()
        whole.save(output)
    return output.getvalue()


def template_preview_pdf(template) -> bytes:
    """Return the real PDF of the template, filled with sample Vietnamese data."""
    sample = SimpleNamespace(
        template=template,
        printed=printed_for_preview(template),
        code="K7QM-4XPD-9HT2",
        issued_at=timezone.now(),
        token="mau-xem-truoc-khong-co-that",
        is_preview=True,
        is_merit=template.kind == "merit",
    )
    return pdf_worker.render_document(_chunk([sample]))


def printed_for_preview(template) -> dict[str, str]:
    """Return what a certificate of the template would print, for a sample learner."""
    today = timezone.localdate()
    values = {
        "learner_name": "Nguyễn Thị Hồng Nhung",
        "date_of_birth": "17/05/1990",
        "course": "Sử dụng dịch vụ công trực tuyến trên Cổng Dịch vụ công quốc gia",
        "hours": "8",
        "class": "Lớp Tổ công nghệ số cộng đồng phường Hoàn Kiếm",
        "unit": "Phường Hoàn Kiếm, Thành phố Hà Nội",
        "issue_date": today.strftime("%d/%m/%Y"),
        "place": template.place,
    }
    if template.kind == "merit":
        values = {
            "learner_name": values["learner_name"],
            "date_of_birth": values["date_of_birth"],
            "reason": "Đã hướng dẫn 57 người dân sử dụng dịch vụ công trực tuyến "
            "trong chiến dịch “92 ngày đêm chuyển đổi số”",
            "helped": "57",
            "period": "từ 01/09/2026 đến 01/12/2026",
            "campaign": "92 ngày đêm chuyển đổi số",
            "unit": values["unit"],
            "issue_date": values["issue_date"],
            "place": template.place,
        }
    return template.printed_with(values)


def _with_templates(certificates: Iterable) -> list:
    """Return the certificates as a list, their templates loaded in one query."""
    from .models import CertificateTemplate

    certificates = list(certificates)
    missing = {
        certificate.template_id
        for certificate in certificates
        if not type(certificate)._meta.get_field("template").is_cached(certificate)
    }
    if missing:
        templates = CertificateTemplate.objects.in_bulk(missing)
        for certificate in certificates:
            if certificate.template_id in templates:
                certificate.template = templates[certificate.template_id]
    return certificates


@lru_cache(maxsize=1)
def _stylesheet() -> str:
    return render_to_string("certificates/pdf/certificate.css")


def _chunk(
    certificates: list,
    *,
    title: str | None = None,
    author: str | None = None,
    credentials: bool = True,
) -> pdf_worker.Chunk:
    """Return the document of the certificates, one page each, for a worker.

    Written whole, the PDF has the given title and author, by default those of
    its first certificate; written page by page, each page has its own. With
    ``credentials``, each valid certificate's page carries its signed Open
    Badges credential as an attachment (not the print-ready PDF: paper has no
    use for it).
    """
    with translation.override(settings.LANGUAGE_CODE):
        sections = []
        metadata = []
        attachments = []
        for certificate in certificates:
            sections.append(mark_safe(_section(certificate)))
            metadata.append(_metadata(certificate))
            attachments.append(_credential_files(certificate) if credentials else ())
        first_title, first_author = metadata[0] if metadata else ("", "")
        html = render_to_string(
            "certificates/pdf/document.html",
            {
                "sections": sections,
                "title": first_title if title is None else title,
                "author": first_author if author is None else author,
            },
        )
    return pdf_worker.Chunk(
        html=html,
        css=_stylesheet(),
        base_url=FONTS.as_uri() + "/",
        metadata=tuple(metadata),
        attachments=tuple(attachments),
    )


def credential_filename(certificate) -> str:
    # The code is Crockford base32 and dashes: safe in a header as it is.
    return f"open-badge-{certificate.code}.jwt"


def _credential_files(certificate) -> tuple:
    """Return the attachment of the certificate's signed credential, or none for
    a preview, a certificate not valid, or a site without its signing key
    (``manage.py check --deploy`` names the setting)."""
    from .credentials import credential_jwt
    from .signing import KeyUnavailable

    if getattr(certificate, "is_preview", False) or certificate.pk is None:
        return ()
    if getattr(certificate, "is_merit", False):
        # A certificate of merit is checked at /verify/ only: no Open Badge.
        return ()
    if not certificate.is_valid or certificate.withdrawn_at is not None:
        return ()
    try:
        token = credential_jwt(certificate)
    except KeyUnavailable:
        logger.warning("certificate PDF without its credential: no signing key")
        return ()
    return (
        (
            credential_filename(certificate),
            _("Open Badges 3.0 credential (VC-JWT), verifiable offline"),
            token.encode(),
        ),
    )


def _print_metadata(certificates: list) -> tuple[str, str]:
    """Return the title and author of a print-ready PDF of the certificates."""
    courses = {certificate.printed.get("course", "") for certificate in certificates}
    issuers = {certificate.printed.get("issuer", "") for certificate in certificates}
    with translation.override(settings.LANGUAGE_CODE):
        if len(courses) == 1:
            title = _("Certificates – %(course)s – %(count)s") % {
                "course": courses.pop(),
                "count": len(certificates),
            }
        else:
            title = _("Certificates – %(count)s") % {"count": len(certificates)}
    return title, issuers.pop() if len(issuers) == 1 else ""


def _metadata(certificate) -> tuple[str, str]:
    printed = certificate.printed
    if getattr(certificate, "is_merit", False):
        title = _("Certificate of merit – %(name)s") % {
            "name": printed.get("learner_name", "")
        }
        return title, printed.get("issuer", "")
    title = _("Certificate – %(learner)s – %(course)s") % {
        "learner": printed.get("learner_name", ""),
        "course": printed.get("course", ""),
    }
    return title, printed.get("issuer", "")


def _section(certificate) -> str:
    printed = certificate.printed
    template = certificate.template
    url = verification_url(certificate)
    return render_to_string(
        "certificates/pdf/certificate.html",
        {
            "p": printed,
            "orientation": template.orientation,
            "images": template_image_uris(
                template, remember=not getattr(certificate, "is_preview", False)
            ),
            "qr": pdf_worker.QR_SCHEME + url,
            "code": certificate.code,
            "merit": getattr(certificate, "is_merit", False),
            "url": url,
            "date_line": _date_line(
                printed.get("place", ""),
                timezone.localdate(
                    certificate.issued_at, timezone.get_default_timezone()
                ),
            ),
            # "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC" is printed on two lines.
            "signatory_title": [
                line.strip()
                for line in re.split(r"[/\n]", printed.get("signatory_title", ""))
                if line.strip()
            ],
        },
    )


def _date_line(place: str, issued_on: date) -> str:
    """Return "Hưng Yên, ngày 21 tháng 11 năm 2026"; the day and month in two
    digits, as the printed ``issue_date`` (dd/mm/yyyy) has them."""
    date_text = _("day %(day)s month %(month)s year %(year)s") % {
        "day": f"{issued_on:%d}",
        "month": f"{issued_on:%m}",
        "year": f"{issued_on:%Y}",
    }
    return f"{place}, {date_text}" if place else date_text
