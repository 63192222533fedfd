"""Questions of the procedure types for tests, with a picture to tap on."""

from io import BytesIO

from django.core.files.images import ImageFile
from PIL import Image as PillowImage
from wagtail.images import get_image_model
from wagtail.models import Collection

from ..models import QuestionType
from .factories import question_create

# Places and numbers that appear nowhere else, so a test sees if they leak.
REGION_X = "37.125"
FEE = "1234567"


def picture(width=400, height=300, title="Cổng dịch vụ công"):
    """Return a saved Wagtail image of the given size."""
    buffer = BytesIO()
    PillowImage.new("RGB", (width, height), "#dddddd").save(buffer, "PNG")
    # A transactional test (the browser's) flushed the root collection its
    # migration made; the picture needs one.
    root = Collection.get_first_root_node() or Collection.add_root(name="Gốc")
    return get_image_model().objects.create(
        title=title,
        file=ImageFile(BytesIO(buffer.getvalue()), name="portal.png"),
        collection=root,
    )


def ordering_question(**fields):
    return question_create(
        kind=QuestionType.ORDERING,
        text="Sắp xếp các bước nộp hồ sơ trực tuyến.",
        steps=[
            "Đăng nhập bằng VNeID",
            "Chọn thủ tục",
            "Điền tờ khai",
            "Đính kèm giấy tờ",
            "Nộp hồ sơ",
        ],
        **fields,
    )


def matching_question(**fields):
    return question_create(
        kind=QuestionType.MATCHING,
        text="Ghép giấy tờ với mục đích của nó.",
        pairs=[
            ("Căn cước công dân", "Chứng minh nhân thân"),
            ("Giấy chứng sinh", "Đăng ký khai sinh"),
            ("Sổ hộ khẩu cũ", "Không còn dùng"),
            ("", "Nộp thuế"),
        ],
        **fields,
    )


def gap_question(**fields):
    return question_create(
        kind=QuestionType.GAP_SELECT,
        text="Đăng nhập bằng tài khoản [[1]] rồi bấm [[2]].",
        gap_words=[("VNeID", 1), ("Nộp hồ sơ", 2), ("Zalo", 1), ("Hủy", 2)],
        **fields,
    )


def numerical_question(**fields):
    return question_create(
        kind=QuestionType.NUMERICAL,
        text="Lệ phí cấp bản sao trích lục là bao nhiêu đồng?",
        numbers=[(FEE, "0", 100), ("1234000", "1000", 50)],
        unit="đồng",
        **fields,
    )


def hotspot_question(**fields):
    return question_create(
        kind=QuestionType.HOTSPOT,
        text="Chạm vào nơi bạn bấm để nộp hồ sơ.",
        image=picture(),
        regions=[
            ("Nút Nộp hồ sơ", True, REGION_X, "80", "25", "10"),
            ("Nút Lưu nháp", False, "5", "80", "25", "10"),
            ("Ô tìm kiếm", False, "5", "5", "90", "10"),
        ],
        **fields,
    )
