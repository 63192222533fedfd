"""The demo's certificate template, its pictures, and the certificates earned.

One template of a provincial Department of Science and Technology, with a border,
a logo, a signature and a seal drawn here with Pillow (no real emblem or seal is
copied), and a template of merit (giấy khen) with the same pictures, which the
officials and team leaders award the top helpers with. Each demo course names
the first; the demo learners who completed a course get
their certificate through the issuing service, as a real learner would.
"""

import io
import math

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image, ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Collection

from certificates.marks import MARK_FIELDS, marks_collection
from certificates.models import (
    Certificate,
    CertificateTemplate,
    Orientation,
    TemplateKind,
)
from certificates.selectors import course_policy
from certificates.services import certificate_issue_if_eligible, certificate_policy_set
from courses.models import CoursePage, Enrolment

from .drawing import font, jpeg_bytes, nfc

# The template's pictures, kept apart from the courses' pictures.
COLLECTION_NAME = "Giấy chứng nhận mẫu"
TEMPLATE_NAME = "Giấy chứng nhận hoàn thành khóa học – Sở KH&CN (mẫu)"
BODY = (
    "Đã hoàn thành khóa bồi dưỡng “{course}” với thời lượng {hours} giờ, "
    "thuộc chương trình phổ cập kỹ năng sử dụng dịch vụ công trực tuyến cho người "
    "dân, thành viên Tổ công nghệ số cộng đồng {unit}."
)
MERIT_TEMPLATE_NAME = "Giấy khen người hỗ trợ dịch vụ công trực tuyến – Sở KH&CN (mẫu)"
MERIT_BODY = (
    "{reason}.\n"
    "Đã có thành tích xuất sắc trong phong trào Tổ công nghệ số cộng đồng, góp "
    "phần đưa dịch vụ công trực tuyến đến với người dân {unit}."
)
# Per course slug: (valid months or None, hours or None).
RULES = {
    "tai-khoan-dinh-danh-dien-tu-vneid": (24, None),
}
NAVY = (22, 54, 110)
GOLD = (184, 144, 54)
RED = (200, 30, 36)


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def render_border() -> bytes:
    """An A4 landscape page (150 dpi) with a double gold frame and corner knots."""
    width, height = 1754, 1240
    image = Image.new("RGB", (width, height), (255, 253, 246))
    draw = ImageDraw.Draw(image)
    for inset, line in ((40, 14), (70, 3), (84, 2)):
        draw.rectangle(
            (inset, inset, width - inset, height - inset), outline=GOLD, width=line
        )
    for cx, cy in (
        (77, 77),
        (width - 77, 77),
        (77, height - 77),
        (width - 77, height - 77),
    ):
        for r in (26, 16):
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=NAVY, width=4)
        draw.regular_polygon((cx, cy, 9), 4, rotation=45, fill=GOLD)
    # A faint guilloche under the text, as on printed diplomas.
    for step in range(0, 360, 6):
        angle = math.radians(step)
        x = width / 2 + 330 * math.cos(angle)
        y = height / 2 + 330 * math.sin(angle)
        draw.ellipse(
            (x - 150, y - 150, x + 150, y + 150), outline=(244, 236, 214), width=1
        )
    return jpeg_bytes(image, quality=80)


def render_logo() -> bytes:
    """A round logo: an atom over an open book, in the department's colours."""
    size = 360
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    c = size / 2
    draw.ellipse((8, 8, size - 8, size - 8), fill=NAVY)
    draw.ellipse((26, 26, size - 26, size - 26), outline=GOLD, width=6)
    for rotation in (0, 60, 120):
        orbit = Image.new("RGBA", (size, size), (0, 0, 0, 0))
        ImageDraw.Draw(orbit).ellipse(
            (c - 110, c - 42, c + 110, c + 42), outline=(255, 255, 255), width=7
        )
        image.alpha_composite(
            orbit.rotate(rotation, center=(c, c), resample=Image.BICUBIC)
        )
    draw = ImageDraw.Draw(image)
    draw.ellipse((c - 20, c - 20, c + 20, c + 20), fill=GOLD)
    face = font(30, bold=True)
    text = "KH&CN"
    draw.text((c - face.getlength(text) / 2, size - 96), text, font=face, fill=GOLD)
    return _png(image)


def render_signature() -> bytes:
    """A handwritten-looking signature in blue ink."""
    width, height = 600, 240
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    ink = (24, 45, 140, 255)
    points = []
    for i in range(420):
        t = i / 419
        x = 40 + 500 * t
        y = 130 - 55 * math.sin(7 * math.pi * t) * (1 - t) - 30 * t
        points.append((x, y))
    draw.line(points, fill=ink, width=5, joint="curve")
    draw.line([(60, 175), (300, 160), (560, 150)], fill=ink, width=4, joint="curve")
    return _png(image)


def render_seal() -> bytes:
    """A red round seal with the issuer's name around a star, half transparent."""
    size = 400
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    c = size / 2
    ink = (*RED, 210)
    draw.ellipse((10, 10, size - 10, size - 10), outline=ink, width=10)
    draw.ellipse((40, 40, size - 40, size - 40), outline=ink, width=4)
    draw.ellipse((c - 95, c - 95, c + 95, c + 95), outline=ink, width=4)
    star = [
        (
            c
            + (60 if point % 2 == 0 else 24) * math.cos(math.radians(-90 + 36 * point)),
            c
            + (60 if point % 2 == 0 else 24) * math.sin(math.radians(-90 + 36 * point)),
        )
        for point in range(10)
    ]
    draw.polygon(star, fill=ink)
    # The issuer's name around the ring, letter by letter.
    text = nfc("SỞ KHOA HỌC VÀ CÔNG NGHỆ • TỈNH HƯNG YÊN • ")
    face = font(24, bold=True)
    radius = 128
    for index, letter in enumerate(text):
        angle = -90 + index * 360 / len(text)
        glyph = Image.new("RGBA", (40, 40), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((10, 4), letter, font=face, fill=ink)
        glyph = glyph.rotate(-angle - 90, resample=Image.BICUBIC)
        x = c + radius * math.cos(math.radians(angle)) - 20
        y = c + radius * math.sin(math.radians(angle)) - 20
        image.alpha_composite(glyph, (round(x), round(y)))
    return _png(image)


PICTURES = {
    "background": ("Giấy chứng nhận – khung viền", render_border, "jpg"),
    "logo": ("Giấy chứng nhận – biểu trưng Sở KH&CN", render_logo, "png"),
    "signature": ("Giấy chứng nhận – chữ ký", render_signature, "png"),
    "seal": ("Giấy chứng nhận – con dấu", render_seal, "png"),
}


def _picture(title: str, render, extension: str, collection, summary):
    Image_ = get_image_model()
    image = Image_.objects.filter(title=title, collection=collection).first()
    if image is not None:
        return image
    image = Image_(title=title, collection=collection)
    image.file = ImageFile(
        ContentFile(render()), name=f"giay-chung-nhan-{extension}.{extension}"
    )
    image._set_image_file_metadata()
    image.save()
    summary.add("images")
    return image


def _template(name: str, collection, summary, **fields) -> CertificateTemplate:
    """Return the demo template of this name, made with its pictures if missing."""
    template = CertificateTemplate.objects.filter(name=name).first()
    if template is not None:
        return template
    # Seals and signatures in their own collection, out of the lessons' chooser.
    pictures = {
        field: _picture(
            title,
            render,
            extension,
            marks_collection() if field in MARK_FIELDS else collection,
            summary,
        )
        for field, (title, render, extension) in PICTURES.items()
    }
    template = CertificateTemplate.objects.create(
        name=name,
        issuer_parent="UBND TỈNH HƯNG YÊN",
        issuer="SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        place="Hưng Yên",
        signatory_name="Nguyễn Văn Thành",
        signatory_title="KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC",
        orientation=Orientation.LANDSCAPE,
        **fields,
        **pictures,
    )
    summary.add("certificate templates")
    return template


def demo_template(collection, summary) -> CertificateTemplate:
    """Return the demo's certificate template, made with its pictures if missing."""
    return _template(
        TEMPLATE_NAME, collection, summary, title="GIẤY CHỨNG NHẬN", body=BODY
    )


def demo_merit_template(collection, summary) -> CertificateTemplate:
    """Return the demo's template of merit (giấy khen), made if missing."""
    return _template(
        MERIT_TEMPLATE_NAME,
        collection,
        summary,
        kind=TemplateKind.MERIT,
        title="GIẤY KHEN",
        body=MERIT_BODY,
    )


def assign_template(courses: dict[str, CoursePage], template, summary) -> None:
    """Name the template on every demo course that has none yet."""
    for slug, course in courses.items():
        if course_policy(course) is not None:
            continue
        valid_months, hours = RULES.get(slug, (None, None))
        certificate_policy_set(
            course=course, template=template, valid_months=valid_months, hours=hours
        )
        summary.add("certificate rules")


def issue_earned(courses: dict[str, CoursePage], summary) -> None:
    """Issue the certificates the demo learners earned and do not have yet (a
    database loaded before certificates existed)."""
    enrolments = Enrolment.objects.filter(
        course__in=list(courses.values()),
        completed_at__isnull=False,
        course__certificate_policies__isnull=False,
    ).select_related("course", "user")
    for enrolment in enrolments:
        if Certificate.objects.filter(
            user_id=enrolment.user_id,
            course_id=enrolment.course_id,
            completed_at=enrolment.completed_at,
        ).exists():
            continue
        if certificate_issue_if_eligible(enrolment=enrolment) is not None:
            summary.add("certificates")


def _collection(summary) -> Collection:
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=COLLECTION_NAME).first()
    if collection is None:
        collection = root.add_child(name=COLLECTION_NAME)
        summary.add("collections")
    return collection


def load_certificates(courses: dict[str, CoursePage], summary) -> None:
    """Make the demo template and name it on the demo courses."""
    template = demo_template(_collection(summary), summary)
    assign_template(courses, template, summary)
    demo_merit_template(_collection(summary), summary)
