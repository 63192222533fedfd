"""The certificate as a PDF, checked the way a reader's tools see it: poppler's
``pdffonts``, ``pdftotext``, ``pdfinfo`` and ``pdftoppm``, ``qpdf --check`` and
``zbarimg`` for the QR code.

Most certificates here are unsaved model instances: the PDF needs only what was
printed, the issue date, the template and the two secrets, so the slow renders
can be shared by a whole module.
"""

import datetime
import io
import re
import subprocess
import unicodedata

import pytest
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

from certificates import pdf
from certificates.models import Certificate, CertificateTemplate, Orientation

# Every Vietnamese vowel with each of the five tone marks and none, and đ.
VOWELS = ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"]
TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]


def _toned(vowel: str) -> str:
    return "".join(unicodedata.normalize("NFC", vowel + tone) for tone in TONES)


LOWER = " ".join([_toned(vowel) for vowel in VOWELS] + ["đ"])
UPPER = " ".join([_toned(vowel.upper()) for vowel in VOWELS] + ["Đ"])


def _template(**fields) -> CertificateTemplate:
    values = {
        "name": "Mẫu thử",
        "title": "GIẤY CHỨNG NHẬN",
        "issuer_parent": "UBND TỈNH HƯNG YÊN",
        "issuer": "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        "body": "Đã hoàn thành khóa học “{course}”.",
        "place": "Hưng Yên",
        "signatory_name": "Trần Văn Quyết",
        "signatory_title": "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC",
        "orientation": Orientation.LANDSCAPE,
        **fields,
    }
    return CertificateTemplate(**values)


# The printed issue_date below: half past midnight on 21/11/2026 in Vietnam, still
# the 20th in UTC, so the date line is on the site's calendar.
ISSUED_AT = datetime.datetime(2026, 11, 20, 17, 30, tzinfo=datetime.UTC)


def _certificate(template=None, **printed) -> Certificate:
    values = {
        "learner_name": "Nguyễn Thị Hồng Nhung",
        "date_of_birth": "17/05/1990",
        "course": "Nộp hồ sơ trực tuyến",
        "hours": "8",
        "class": "",
        "unit": "Phường Hoàn Kiếm, Thành phố Hà Nội",
        "issue_date": "21/11/2026",
        "place": "Hưng Yên",
        "issuer": "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        "issuer_parent": "UBND TỈNH HƯNG YÊN",
        "signatory_name": "Trần Văn Quyết",
        "signatory_title": "GIÁM ĐỐC",
        "title": "GIẤY CHỨNG NHẬN",
        "motto_country": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "motto": "Độc lập - Tự do - Hạnh phúc",
        "body": "Đã hoàn thành khóa học “Nộp hồ sơ trực tuyến” (8 giờ).",
        **printed,
    }
    return Certificate(
        template=template or _template(), printed=values, issued_at=ISSUED_AT
    )


def _run(*args, data: bytes | None = None, tmp_path=None) -> str:
    """Return the output of a command run on the PDF data."""
    path = tmp_path / "certificate.pdf"
    path.write_bytes(data)
    return subprocess.run(
        [*args, str(path)], capture_output=True, check=True, text=True
    ).stdout


def _text(data: bytes, tmp_path, page: int | None = None) -> str:
    """Return the text of the PDF (or one page), NFC, whitespace made single."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    path = tmp_path / "text.pdf"
    path.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", *pages, str(path), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    return " ".join(unicodedata.normalize("NFC", text).split())


def _info(data: bytes, tmp_path) -> dict[str, str]:
    path = tmp_path / "info.pdf"
    path.write_bytes(data)
    output = subprocess.run(
        ["pdfinfo", "-enc", "UTF-8", str(path)],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    return {
        key.strip(): value.strip()
        for key, value in (line.split(":", 1) for line in output.splitlines())
    }


def decoded_qr(data: bytes, tmp_path) -> str:
    """Return what the QR code on the PDF's page says, rasterised at 150 dpi."""
    (tmp_path / "qr.pdf").write_bytes(data)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-singlefile", "qr.pdf", "page"],
        cwd=tmp_path,
        check=True,
    )
    return subprocess.run(
        ["zbarimg", "--raw", "-q", str(tmp_path / "page.png")],
        capture_output=True,
        check=True,
        text=True,
    ).stdout.strip()


@pytest.fixture(scope="module")
def alphabet():
    """A certificate whose name and body hold every Vietnamese letter and its PDF."""
    certificate = _certificate(
        learner_name=UPPER,
        body=f"{LOWER} — {UPPER}",
    )
    return certificate, pdf.certificate_pdf(certificate)


@pytest.fixture(scope="module")
def three():
    """Three certificates, one of them portrait, in a known order."""
    return [
        _certificate(learner_name="Lê Văn Một"),
        _certificate(
            _template(orientation=Orientation.PORTRAIT), learner_name="Phạm Thị Hai"
        ),
        _certificate(learner_name="Hoàng Đức Ba"),
    ]


def test_the_alphabet_set_is_complete():
    """The test text holds 12 vowels x 6 tones and đ, in each case: 73 letters."""
    letters = set(LOWER.replace(" ", ""))
    assert len(letters) == 73
    assert {"ự", "ỡ", "ẳ", "ậ", "ỷ", "đ"} <= letters
    assert {"Ự", "Ỡ", "Ẳ", "Ậ", "Ỷ", "Đ"} <= set(UPPER)


def test_every_font_is_embedded(alphabet, tmp_path):
    """pdffonts lists Noto Serif's regular, bold and italic, every one embedded."""
    _, data = alphabet
    output = _run("pdffonts", data=data, tmp_path=tmp_path)
    rows = output.splitlines()[2:]
    names = sorted(row.split()[0].partition("+")[2] for row in rows)
    assert names == ["Noto-Serif", "Noto-Serif-Bold", "Noto-Serif-Italic"]
    for row in rows:
        # name, type (two words), encoding, emb, sub, uni, object, id
        assert row.split()[-5] == "yes", row


def test_every_vietnamese_letter_round_trips(alphabet, tmp_path):
    """pdftotext gives back the name and the body exactly, every tone mark on
    every vowel in both cases."""
    _, data = alphabet
    text = _text(data, tmp_path)
    assert UPPER in text
    assert f"{LOWER} — {UPPER}" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text


def test_the_qr_code_opens_the_verification_page(alphabet, tmp_path):
    """The QR code, rasterised at 150 dpi, decodes to the certificate's address."""
    certificate, data = alphabet
    decoded = decoded_qr(data, tmp_path)
    assert decoded == pdf.verification_url(certificate)
    assert decoded.endswith(f"/verify/{certificate.token}/")
    assert decoded.startswith("http")


def test_code_and_address_are_printed(alphabet, tmp_path):
    """The typed code and the verification address are printed under the QR."""
    certificate, data = alphabet
    text = _text(data, tmp_path)
    assert certificate.code in text
    # The address may wrap anywhere; the text holds it once spaces are removed.
    assert pdf.verification_url(certificate) in text.replace(" ", "")


def test_the_date_line_is_written_out(alphabet, tmp_path):
    """The place and the issue date as day, month and year."""
    _, data = alphabet
    text = _text(data, tmp_path)
    assert re.search(r"Hưng Yên, \D*21\D+11\D+2026", text)


def test_metadata_and_structure(alphabet, tmp_path):
    """The PDF has a title naming the learner and course, the issuer as author,
    one A4 landscape page, and passes qpdf's check."""
    _, data = alphabet
    info = _info(data, tmp_path)
    assert UPPER in info["Title"]
    assert "Nộp hồ sơ trực tuyến" in info["Title"]
    assert info["Author"] == "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
    assert info["Pages"] == "1"
    assert info["Page size"].startswith("841.89 x 595.276")
    (tmp_path / "check.pdf").write_bytes(data)
    check = subprocess.run(
        ["qpdf", "--check", str(tmp_path / "check.pdf")],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout + check.stderr


def test_portrait_template_gives_a_portrait_page(tmp_path):
    """A portrait template prints on A4 portrait, the signatory title on two
    lines as "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC" asks."""
    certificate = _certificate(
        _template(orientation=Orientation.PORTRAIT),
        signatory_title="KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC",
    )
    data = pdf.certificate_pdf(certificate)
    assert _info(data, tmp_path)["Page size"].startswith("595.276 x 841.89")
    assert "KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC" in _text(data, tmp_path)


def test_an_overlong_body_stays_on_one_page(tmp_path):
    """A body far too long for the page is cut, not spilled onto a second page."""
    data = pdf.certificate_pdf(_certificate(body="Rất dài. " * 400))
    assert _info(data, tmp_path)["Pages"] == "1"


def test_print_pdf_has_one_page_per_certificate_in_order(three, tmp_path):
    """The print-ready PDF has a page per certificate, in the order given, each
    page in its template's orientation."""
    data = pdf.certificates_print_pdf(three)
    info = _info(data, tmp_path)
    assert info["Pages"] == "3"
    for number, name in enumerate(["Lê Văn Một", "Phạm Thị Hai", "Hoàng Đức Ba"], 1):
        page = _text(data, tmp_path, page=number)
        assert name in page
        others = {"Lê Văn Một", "Phạm Thị Hai", "Hoàng Đức Ba"} - {name}
        assert not any(other in page for other in others)
    sizes = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "3", str(tmp_path / "info.pdf")],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    assert re.findall(r"Page +\d+ size: +([\d.]+ x [\d.]+)", sizes) == [
        "841.89 x 595.276",
        "595.276 x 841.89",
        "841.89 x 595.276",
    ]


def test_print_pdf_made_in_parts_by_a_pool_of_processes(monkeypatch, tmp_path):
    """Laid out in parts by two processes and joined, the print-ready PDF has
    every page in order, a title naming the course and count, and passes qpdf."""
    monkeypatch.setattr(pdf, "POOL_THRESHOLD", 1)
    names = [f"Trịnh Thị Trang {n}" for n in range(1, 8)]
    certificates = [_certificate(learner_name=name) for name in names]

    data = pdf.certificates_print_pdf(certificates, workers=2)

    info = _info(data, tmp_path)
    assert info["Pages"] == "7"
    assert "Nộp hồ sơ trực tuyến" in info["Title"]
    assert "7" in info["Title"]
    assert info["Author"] == "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
    for number, name in enumerate(names, 1):
        page = _text(data, tmp_path, page=number)
        assert name in page
        assert all(other not in page for other in names if other != name)
    check = subprocess.run(
        ["qpdf", "--check", str(tmp_path / "text.pdf")], capture_output=True
    )
    assert check.returncode == 0


def _check_individual(results, certificates, tmp_path):
    assert [certificate for certificate, _ in results] == certificates
    for certificate, data in results:
        info = _info(data, tmp_path)
        assert info["Pages"] == "1"
        assert certificate.printed["learner_name"] in info["Title"]
        assert certificate.printed["learner_name"] in _text(data, tmp_path)
        check = subprocess.run(
            ["qpdf", "--check", str(tmp_path / "info.pdf")], capture_output=True
        )
        assert check.returncode == 0


def test_individual_pdfs_one_per_certificate_in_order(three, tmp_path):
    """certificates_pdfs gives each certificate its own valid one-page PDF,
    titled after its learner, in the order given."""
    _check_individual(list(pdf.certificates_pdfs(three)), three, tmp_path)


def test_individual_pdfs_from_a_pool_of_processes(monkeypatch, tmp_path):
    """Spread over two worker processes, the PDFs still come back in order."""
    monkeypatch.setattr(pdf, "CHUNK_SIZE", 2)
    monkeypatch.setattr(pdf, "POOL_THRESHOLD", 1)
    certificates = [_certificate(learner_name=f"Vũ Thị Số {n}") for n in range(5)]
    results = list(pdf.certificates_pdfs(certificates, workers=2))
    _check_individual(results, certificates, tmp_path)


def test_template_preview_uses_sample_vietnamese_data(tmp_path):
    """The preview is the real PDF with a sample learner and the template's text."""
    template = _template(body="Hoàn thành “{course}” tại {unit}, {hours} giờ.")
    data = pdf.template_preview_pdf(template)
    text = _text(data, tmp_path)
    assert "Nguyễn Thị Hồng Nhung" in text
    assert "Phường Hoàn Kiếm, Thành phố Hà Nội" in text
    assert "{" not in text
    assert "SỞ KHOA HỌC VÀ CÔNG NGHỆ" in text


def _image(name: str, picture: PILImage.Image, kind: str):
    buffer = io.BytesIO()
    picture.save(buffer, kind, quality=92) if kind == "JPEG" else picture.save(
        buffer, kind
    )
    return get_image_model().objects.create(
        title=name, file=ImageFile(io.BytesIO(buffer.getvalue()), name=name)
    )


@pytest.mark.django_db
def test_a_photo_background_keeps_the_pdf_small(tmp_path):
    """A 4000x3000 noisy photo as background, with logo, signature and seal,
    still gives a PDF under 150 KB, with every picture drawn."""
    width, height = 4000, 3000
    gradient = PILImage.linear_gradient("L").resize((width, height)).convert("RGB")
    noise = PILImage.effect_noise((width, height), 40).convert("RGB")
    photo = PILImage.blend(gradient, noise, 0.3)
    stamp = PILImage.new("RGBA", (1200, 1200), (200, 20, 20, 0))
    stamp.paste((200, 20, 20, 255), (100, 100, 1100, 1100))
    template = _template(
        background=_image("nen.jpg", photo, "JPEG"),
        logo=_image("logo.png", stamp, "PNG"),
        signature=_image("chu-ky.png", stamp, "PNG"),
        seal=_image("con-dau.png", stamp, "PNG"),
    )
    template.save()
    assert template.background.file.size > 1_000_000

    data = pdf.certificate_pdf(_certificate(template))

    assert len(data) < 150 * 1024, len(data)
    images = _run("pdfimages", "-list", data=data, tmp_path=tmp_path).splitlines()[2:]
    sizes = sorted((int(row.split()[3]), int(row.split()[4])) for row in images)
    # The background at print size, not the upload's 4000 pixels.
    assert (1600, 1200) in sizes
    assert max(width for width, _ in sizes) <= 1600


@pytest.mark.django_db
def test_a_warm_render_of_the_same_template_does_not_query(
    django_assert_num_queries, tmp_path
):
    """Once a template's pictures are resized, another certificate of it needs
    no query."""
    stamp = PILImage.new("RGBA", (500, 500), (20, 20, 200, 255))
    template = _template(seal=_image("dau.png", stamp, "PNG"))
    template.save()
    pdf.certificate_pdf(_certificate(template))
    with django_assert_num_queries(0):
        data = pdf.certificate_pdf(_certificate(template))
    assert _info(data, tmp_path)["Pages"] == "1"


@pytest.mark.django_db
def test_the_demo_template_with_all_its_pictures_stays_small(tmp_path):
    """The demo's template (border picture, logo, signature and seal drawn with
    soft edges) gives a PDF under 150 KB: the drawings are quantised."""
    from wagtail.models import Collection

    from demo.certificates import demo_template

    class Summary:
        def add(self, *_):
            pass

    template = demo_template(Collection.get_first_root_node(), Summary())

    data = pdf.certificate_pdf(_certificate(template))

    assert len(data) < 150 * 1024, len(data)
    images = _run("pdfimages", "-list", data=data, tmp_path=tmp_path).splitlines()[2:]
    # Border, logo, QR code, signature and seal, three with their masks.
    assert len(images) == 8
