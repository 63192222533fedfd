"""Content the benchmarks build for themselves: a course of realistic lessons with
phone screenshots, and learners. Nothing here depends on the demo data."""

import io
import json
import uuid
from functools import cache

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.images import get_image_model

from core.site_tree import ensure_site_tree
from courses.models import CourseIndexPage, CoursePage, LessonPage
from users.models import LearnerKind, User
from users.services import consent_record

SCREEN_SIZE = (1080, 1920)
# The backend the site's own logins name in the session (users.views.auth):
# a bench's logged-in client is logged in as a person who used the login page.
SITE_LOGIN_BACKEND = "users.backends.PhoneOrEmailBackend"

LESSON_TITLES = [
    "Tạo tài khoản trên Cổng Dịch vụ công quốc gia",
    "Đăng nhập bằng tài khoản định danh điện tử VNeID",
    "Tìm đúng thủ tục hành chính cần làm",
    "Nộp hồ sơ đăng ký khai sinh trực tuyến",
    "Thanh toán lệ phí trực tuyến",
    "Theo dõi tình trạng hồ sơ",
    "Nhận kết quả và đánh giá mức độ hài lòng",
    "Hướng dẫn người dân nộp hồ sơ tại nhà",
]

STEP_TITLES = [
    "Mở trang dichvucong.gov.vn trên điện thoại",
    "Chọn “Đăng nhập” ở góc trên bên phải",
    "Chọn tài khoản định danh điện tử VNeID",
    "Nhập số định danh cá nhân và mật khẩu",
    "Nhập mã xác thực gửi về ứng dụng VNeID",
]


@cache
def _font(size: int):
    for path in (
        "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    ):
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def screenshot(*, title: str, number: int) -> bytes:
    """Return a PNG that looks like a phone screenshot of a public-service form."""
    width, height = SCREEN_SIZE
    image = PILImage.new("RGB", SCREEN_SIZE, (245, 246, 250))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width, 80), fill=(20, 20, 20))
    draw.text((40, 20), f"09:4{number % 10}", fill="white", font=_font(36))
    draw.rectangle((0, 80, width, 260), fill=(176, 30, 35))
    draw.text((40, 130), "Cổng Dịch vụ công quốc gia", fill="white", font=_font(52))
    draw.text((40, 320), title, fill=(30, 30, 30), font=_font(44))
    y = 440
    for field in range(6):
        draw.text(
            (40, y), f"Trường thông tin {field + 1}", fill=(90, 90, 90), font=_font(34)
        )
        draw.rounded_rectangle(
            (40, y + 50, width - 40, y + 160),
            radius=16,
            outline=(190, 190, 200),
            width=3,
            fill="white",
        )
        draw.text(
            (70, y + 80),
            f"Giá trị mẫu {number}-{field}",
            fill=(40, 40, 40),
            font=_font(38),
        )
        y += 210
    draw.rounded_rectangle(
        (40, y + 40, width - 40, y + 170), radius=24, fill=(0, 94, 184)
    )
    draw.text((width // 2 - 150, y + 80), "Tiếp tục", fill="white", font=_font(48))
    if number % 2:
        # Where the screenshot asks the learner to tap.
        draw.ellipse(
            (width - 260, 90, width - 40, 250), outline=(255, 200, 0), width=12
        )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def wagtail_image(*, title: str, number: int, slug: str):
    Image = get_image_model()
    data = screenshot(title=title, number=number)
    image = Image(title=title, file=ImageFile(io.BytesIO(data), name=f"{slug}.png"))
    image._set_image_file_metadata()
    image.save()
    return image


def _block(block_type: str, value) -> dict:
    return {"type": block_type, "value": value, "id": str(uuid.uuid4())}


def lesson_body(*, title: str, lesson_number: int, slug: str) -> str:
    """Return the raw StreamField JSON of a lesson written as editors write them:
    paragraphs, five numbered steps with screenshots, a warning, a captioned image
    and a button to the real service."""
    screenshots = [
        wagtail_image(
            title=f"Bài {lesson_number} – bước {step + 1}",
            number=lesson_number * 10 + step,
            slug=f"{slug}-buoc-{step + 1}",
        )
        for step in range(len(STEP_TITLES))
    ]
    result_image = wagtail_image(
        title=f"Bài {lesson_number} – kết quả",
        number=lesson_number * 10 + 9,
        slug=f"{slug}-ket-qua",
    )
    steps = [
        {
            "type": "item",
            "id": str(uuid.uuid4()),
            "value": {
                "title": step_title,
                "text": (
                    f"<p>Ở bước {step + 1}, hãy đọc kỹ từng dòng trên màn hình trước "
                    "khi bấm. Nếu trang tải chậm, <b>đừng bấm nhiều lần</b>: chờ vài "
                    "giây cho đến khi nút đổi màu.</p>"
                ),
                "screenshot": screenshots[step].pk,
            },
        }
        for step, step_title in enumerate(STEP_TITLES)
    ]
    body = [
        _block(
            "paragraph",
            f"<p>Bài này hướng dẫn <b>{title.lower()}</b> ngay trên điện thoại, từng "
            "bước một, với hình chụp màn hình của trang thật. Bạn cần có điện thoại "
            "kết nối Internet, căn cước công dân gắn chip và tài khoản định danh "
            "điện tử mức 2.</p><p>Người dân thường gặp khó ở bước xác thực: mã gửi "
            "về chỉ dùng được trong vài phút. Hãy chuẩn bị sẵn giấy tờ trước khi "
            "bắt đầu để không phải làm lại từ đầu.</p>",
        ),
        _block("heading", "Các bước thực hiện"),
        _block("steps", {"title": title, "steps": steps}),
        _block(
            "callout",
            {
                "kind": "warning",
                "text": "<p>Không chia sẻ mật khẩu hay mã xác thực cho bất kỳ ai, kể "
                "cả người tự xưng là cán bộ. Cán bộ không bao giờ hỏi mã này.</p>",
            },
        ),
        _block(
            "paragraph",
            "<p>Khi hoàn tất, hệ thống hiển thị mã hồ sơ. Hãy ghi lại mã này hoặc "
            "chụp màn hình: bạn sẽ dùng nó để tra cứu tình trạng hồ sơ ở các bài "
            "sau.</p><ul><li>Mã hồ sơ gồm chữ và số.</li><li>Tin nhắn xác nhận "
            "được gửi về số điện thoại đã đăng ký.</li><li>Thời hạn giải quyết "
            "được ghi ngay dưới mã hồ sơ.</li></ul>",
        ),
        _block(
            "image",
            {
                "image": result_image.pk,
                "alt": "Màn hình báo nộp hồ sơ thành công, có mã hồ sơ",
                "caption": "Màn hình báo nộp thành công, với mã hồ sơ ở dòng đầu.",
            },
        ),
        _block(
            "paragraph",
            "<p>Nếu gặp lỗi, hãy hỏi tổ công nghệ số cộng đồng ở thôn, tổ dân phố "
            'của bạn, hoặc xem <a href="https://dichvucong.gov.vn/p/home/'
            'dvc-cau-hoi-pho-bien.html">các câu hỏi thường gặp</a>.</p>',
        ),
        _block(
            "link_button",
            {
                "label": "Mở Cổng Dịch vụ công quốc gia",
                "url": "https://dichvucong.gov.vn/",
                "note": "Chuẩn bị sẵn căn cước công dân và điện thoại đã cài VNeID.",
            },
        ),
    ]
    return json.dumps(body, ensure_ascii=False)


def course_with_lessons(*, slug: str, lesson_count: int = 8) -> CoursePage:
    """Create a live course of realistic lessons under the catalogue."""
    home = ensure_site_tree()
    index = CourseIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(
            instance=CourseIndexPage(title="Khóa học", slug="khoa-hoc")
        )
        home.catalogue = index
        home.save_revision().publish()
    course = index.add_child(
        instance=CoursePage(
            title="Dùng dịch vụ công trực tuyến",
            slug=slug,
            summary=(
                "Tạo tài khoản, nộp hồ sơ, thanh toán lệ phí và nhận kết quả trên "
                "Cổng Dịch vụ công quốc gia, ngay trên điện thoại."
            ),
            estimated_minutes=lesson_count * 8,
            cover_image=wagtail_image(
                title="Ảnh bìa khóa học", number=0, slug=f"{slug}-bia"
            ),
            outcomes=json.dumps(
                [
                    _block("outcome", "Tự nộp một hồ sơ trực tuyến từ đầu đến cuối."),
                    _block("outcome", "Hướng dẫn người thân làm theo."),
                ],
                ensure_ascii=False,
            ),
        )
    )
    for number, title in enumerate(LESSON_TITLES[:lesson_count], start=1):
        lesson_slug = f"bai-{number}"
        course.add_child(
            instance=LessonPage(
                title=title,
                slug=lesson_slug,
                intro=f"Bài {number}: {title.lower()}, từng bước có hình minh họa.",
                estimated_minutes=8,
                body=lesson_body(
                    title=title, lesson_number=number, slug=f"{slug}-{lesson_slug}"
                ),
            )
        )
    return course


def learner(*, username: str) -> User:
    """A learner who logs in, and so has agreed to the current consent text."""
    user = User.objects.create_user(
        username=username,
        password="mat-khau-bench-2025",
        full_name="Nguyễn Thị Lan",
        kind=LearnerKind.VOLUNTEER,
        email=f"{username}@example.org",
    )
    consent_record(user=user)
    return user
