"""Certificates as PDF (issue 5's budgets): one in a warm process, 1,000
individual PDFs and the combined 1,000-page print-ready PDF, and how much faster
than the naive way that is; and what signing each certificate's Open Badges
credential, and carrying it in its PDF, adds.

The certificates are those of the demo's template (a border picture, logo,
signature and seal, ``demo.certificates``) with a different learner each;
they are not saved, as ``certificates.pdf`` reads nothing but what is printed, the
template, the two secrets and the primary key (for the credential's place in the
revocation list), which each is given as if it were.
"""

import itertools
import statistics
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from wagtail.models import Collection

from certificates import credentials, pdf, pdf_worker, signing
from certificates.models import Certificate, CertificateTemplate

from .measure import median_ms
from .registry import METRICS, Context, Metric, metric

COUNT = 1000
# The naive way is timed on a sample and scaled to COUNT: at about ten a second,
# all 1,000 would take minutes and tell nothing more.
NAIVE_SAMPLE = 100
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Đặng"]
MIDDLE = ["Thị", "Văn", "Đức", "Ngọc", "Thu", "Quang", "Thành", "Hữu"]
GIVEN = ["Nhung", "Hùng", "Ánh", "Dũng", "Hằng", "Phương", "Tuấn", "Yến", "Sơn"]


class _Summary:
    def add(self, *_):
        pass


@cache
def certificate_world() -> tuple[Certificate, ...]:
    """Return COUNT certificates of the demo template, each to another learner."""
    from demo.certificates import demo_template

    key = Path(settings.CREDENTIAL_SIGNING_KEY_FILE)
    if not key.exists():
        signing.key_generate(path=key)
    template = demo_template(Collection.get_first_root_node(), _Summary())
    template = CertificateTemplate.objects.get(pk=template.pk)
    names = (
        f"{family} {middle} {given}"
        for family, middle, given in itertools.product(FAMILY, MIDDLE, GIVEN)
    )
    certificates = []
    for number, name in zip(range(COUNT), itertools.cycle(names), strict=False):
        values = {
            "learner_name": name,
            "date_of_birth": f"{1 + number % 28:02d}/{1 + number % 12:02d}/1985",
            "course": "Sử dụng dịch vụ công trực tuyến trên Cổng Dịch vụ công quốc gia",
            "hours": "8",
            "class": f"Lớp Tổ công nghệ số cộng đồng số {1 + number // 40}",
            "unit": "Xã Tiên Lữ, Tỉnh Hưng Yên",
            "issue_date": "21/11/2026",
            "place": template.place,
        }
        printed = template.printed_with(values)
        certificates.append(
            Certificate(pk=number + 1, course_id=1, template=template, printed=printed)
        )
    return tuple(certificates)


@metric("cert_pdf_ms_warm", under=80, unit="ms")
def cert_pdf_ms_warm(ctx: Context) -> float:
    """One certificate's PDF in a warm process (median; another learner each run)."""
    certificates = itertools.cycle(certificate_world())
    return round(
        median_ms(
            lambda: pdf.certificate_pdf(next(certificates)),
            runs=ctx.runs,
            warmup=3,
            log=ctx.log,
        ),
        1,
    )


@metric("cert_credential_sign_ms", under=5, unit="ms")
def cert_credential_sign_ms(ctx: Context) -> float:
    """One certificate's Open Badges credential built and signed (median)."""
    certificates = itertools.cycle(certificate_world())
    return round(
        median_ms(
            lambda: credentials.credential_jwt(next(certificates)),
            runs=max(ctx.runs, 200),
            warmup=10,
            log=ctx.log,
        ),
        3,
    )


@metric("cert_pdf_credential_overhead_ms", under=8, unit="ms")
def cert_pdf_credential_overhead_ms(ctx: Context) -> float:
    """What the credential adds to one warm certificate PDF: signing it and
    writing it as an attachment (median with, less median without, the two
    timed in turns so that the machine's drift hits both alike). CPU time of
    this process, where the single PDF is made: on a shared machine wall time
    swings by more than the difference measured."""
    certificates = itertools.cycle(certificate_world())
    with_credential, without = [], []
    for _ in range(3):
        pdf_worker.render_document(pdf._chunk([next(certificates)]))
    for _ in range(max(ctx.runs, 60)):
        certificate = next(certificates)
        started = time.process_time()
        pdf_worker.render_document(pdf._chunk([certificate]))
        with_credential.append(time.process_time() - started)
        started = time.process_time()
        pdf_worker.render_document(pdf._chunk([certificate], credentials=False))
        without.append(time.process_time() - started)
    with_ms = statistics.median(with_credential) * 1000
    without_ms = statistics.median(without) * 1000
    ctx.log(f"  one PDF: {with_ms:.1f} ms CPU with credential, {without_ms:.1f} w/o")
    return round(with_ms - without_ms, 2)


@cache
def bulk_seconds(ctx: Context) -> float:
    """Return the seconds to make COUNT individual PDFs on every core."""
    certificates = certificate_world()
    started = time.perf_counter()
    sizes = [len(data) for _, data in pdf.certificates_pdfs(certificates)]
    seconds = time.perf_counter() - started
    ctx.log(
        f"  {len(sizes)} PDFs in {seconds:.1f} s, "
        f"{sum(sizes) / len(sizes) / 1000:.0f} kB each on average"
    )
    return seconds


@metric("cert_bulk_1000_s", under=40, unit="s")
def cert_bulk_1000_s(ctx: Context) -> float:
    """1,000 individual PDFs, both cores, process pool start included."""
    return round(bulk_seconds(ctx), 1)


@metric("cert_print_1000_s", under=20, unit="s")
def cert_print_1000_s(ctx: Context) -> float:
    """The combined print-ready PDF of 1,000 pages, both cores."""
    certificates = certificate_world()
    started = time.perf_counter()
    data = pdf.certificates_print_pdf(certificates)
    seconds = time.perf_counter() - started
    ctx.log(f"  {len(certificates)} pages, {len(data) / 1e6:.1f} MB")
    return round(seconds, 1)


def naive_seconds(certificates) -> float:
    """Return the seconds to make the certificates' PDFs the naive way: each its
    own document from scratch, stylesheet and fonts parsed every time, one
    process."""
    from weasyprint import HTML

    css = pdf._stylesheet()
    base_url = pdf.FONTS.as_uri() + "/"
    documents = []
    for certificate in certificates:
        chunk = pdf._chunk([certificate])
        documents.append(
            chunk.html.replace("</head>", f"<style>{css}</style></head>", 1)
        )
    started = time.perf_counter()
    for document in documents:
        HTML(
            string=document, base_url=base_url, url_fetcher=pdf_worker._fetcher()
        ).write_pdf()
    return time.perf_counter() - started


def _ratio(ctx: Context) -> float:
    """Naive time for 1,000 (timed on NAIVE_SAMPLE and scaled) over ours."""
    certificates = certificate_world()
    ours = bulk_seconds(ctx)
    naive = naive_seconds(certificates[:NAIVE_SAMPLE]) * COUNT / NAIVE_SAMPLE
    ctx.log(
        f"  naive: {naive / COUNT * 1000:.0f} ms a certificate, {naive:.0f} s for "
        f"{COUNT} (timed on {NAIVE_SAMPLE}); ours: {ours:.1f} s"
    )
    return round(naive / ours, 2)


@dataclass(frozen=True)
class _AtLeast(Metric):
    """A metric whose budget is a floor (registry.metric knows only ceilings)."""

    at_least: float = 0.0

    @property
    def budget(self) -> str:
        return f">= {self.at_least:g}"

    def within_budget(self, value: float) -> bool:
        return value >= self.at_least


METRICS["cert_bulk_vs_naive"] = _AtLeast(
    name="cert_bulk_vs_naive",
    func=_ratio,
    unit="x",
    module=__name__.rpartition(".")[2],
    at_least=3,
)
