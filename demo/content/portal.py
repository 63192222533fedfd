"""Course: the National Public Service Portal, logging in with VNeID, finding a
procedure."""

from ..spec import (
    APP_PORTAL,
    APP_VNEID,
    Button,
    Course,
    Cover,
    Field,
    Lesson,
    Menu,
    Notice,
    Otp,
    Qr,
    Quiz,
    Screen,
    Text,
    Tiles,
    Title,
    essay,
    heading,
    image,
    link_button,
    multiple,
    note,
    numerical,
    paragraph,
    right,
    short_text,
    single,
    step,
    steps,
    tip,
    true_false,
    ul,
    warning,
    wrong,
)
from .vneid import HOME_TILES

PORTAL = "dichvucong.gov.vn"

HOME = Screen(
    "Cổng DVCQG – trang chủ trên điện thoại",
    APP_PORTAL,
    (
        Field(
            "Tìm kiếm dịch vụ công", placeholder="Nhập tên thủ tục, ví dụ: khai sinh"
        ),
        Menu(
            (
                "Dịch vụ công nổi bật",
                "Dịch vụ công liên thông: khai sinh, khai tử",
                "Thanh toán trực tuyến",
                "Tra cứu hồ sơ",
                "Phản ánh, kiến nghị",
            )
        ),
        Button("Đăng nhập", primary=False),
    ),
    address=PORTAL,
)

HOME_LOGIN = Screen(
    "Cổng DVCQG – nút Đăng nhập",
    APP_PORTAL,
    (
        Field(
            "Tìm kiếm dịch vụ công", placeholder="Nhập tên thủ tục, ví dụ: khai sinh"
        ),
        Menu(("Dịch vụ công nổi bật", "Thanh toán trực tuyến", "Tra cứu hồ sơ")),
        Button("Đăng nhập", highlight=True),
    ),
    address=PORTAL,
)

ACCOUNT_TYPE = Screen(
    "Cổng DVCQG – chọn tài khoản định danh điện tử",
    APP_PORTAL,
    (
        Title("Đăng nhập"),
        Text("Chọn loại tài khoản:"),
        Menu(
            (
                "Tài khoản định danh điện tử cấp bởi Bộ Công an – dành cho công dân",
                "Tài khoản định danh điện tử cấp bởi Bộ Công an – dành cho tổ chức",
            ),
            highlight=0,
        ),
    ),
    address=PORTAL,
)

CREDENTIALS = Screen(
    "Cổng DVCQG – nhập số định danh và mật khẩu VNeID",
    APP_PORTAL,
    (
        Title("Đăng nhập bằng tài khoản định danh điện tử"),
        Field("Số định danh cá nhân", "033190001234"),
        Field("Mật khẩu VNeID", "Hoa@DongHung25", secret=True),
        Button("Đăng nhập", highlight=True),
        Text("Hoặc quét mã QR bằng ứng dụng VNeID", muted=True),
    ),
    address="xacthuc.dichvucong.gov.vn",
    header="ĐĂNG NHẬP MỘT LẦN",
)

PORTAL_OTP = Screen(
    "Cổng DVCQG – nhập mã OTP khi đăng nhập",
    APP_PORTAL,
    (
        Title("Xác thực OTP"),
        Text("Mã OTP đã được gửi tới số điện thoại 0900 *** 001."),
        Otp("705316"),
        Button("Xác nhận", highlight=True),
    ),
    address="xacthuc.dichvucong.gov.vn",
    header="ĐĂNG NHẬP MỘT LẦN",
)

LOGGED_IN = Screen(
    "Cổng DVCQG – đã đăng nhập",
    APP_PORTAL,
    (
        Notice("Xin chào, NGUYỄN THỊ HOA", "ok"),
        Menu(
            (
                "Thông tin tài khoản",
                "Quản lý hồ sơ đã nộp",
                "Kho dữ liệu cá nhân",
                "Thanh toán trực tuyến",
            )
        ),
    ),
    address=PORTAL,
)

QR_LOGIN = Screen(
    "Cổng DVCQG – mã QR đăng nhập",
    APP_PORTAL,
    (
        Title("Quét mã để đăng nhập"),
        Qr("Mở ứng dụng VNeID, chạm Quét mã QR và đưa camera vào mã này."),
    ),
    address="xacthuc.dichvucong.gov.vn",
    header="ĐĂNG NHẬP MỘT LẦN",
)

VNEID_SCAN = Screen(
    "VNeID – chạm Quét mã QR",
    APP_VNEID,
    (Title("Xin chào, Nguyễn Thị Hoa"), Tiles(HOME_TILES, highlight=2)),
)

VNEID_CONFIRM = Screen(
    "VNeID – xác nhận đăng nhập trên web",
    APP_VNEID,
    (
        Title("Xác nhận đăng nhập"),
        Text(
            "Cổng Dịch vụ công quốc gia đề nghị đăng nhập bằng tài khoản định danh "
            "điện tử của bạn."
        ),
        Notice(
            "Chỉ xác nhận khi chính bạn đang đăng nhập trên trang dichvucong.gov.vn.",
            "warn",
        ),
        Button("Xác nhận", highlight=True),
        Button("Từ chối", primary=False),
    ),
)

SEARCH = Screen(
    "Cổng DVCQG – tìm thủ tục khai sinh",
    APP_PORTAL,
    (
        Field("Tìm kiếm dịch vụ công", "khai sinh", highlight=True),
        Text("Kết quả tìm kiếm", muted=True),
        Menu(
            (
                "Đăng ký khai sinh",
                "Liên thông đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y "
                "tế cho trẻ em dưới 6 tuổi",
                "Đăng ký lại khai sinh",
            )
        ),
    ),
    address=PORTAL,
)

AGENCY = Screen(
    "Cổng DVCQG – chọn nơi thực hiện thủ tục",
    APP_PORTAL,
    (
        Title("Chọn cơ quan thực hiện"),
        Field("Tỉnh, thành phố", "Tỉnh Hưng Yên", dropdown=True),
        Field("Xã, phường", "Xã Đông Hưng", dropdown=True, highlight=True),
        Field("Cơ quan", "UBND xã Đông Hưng", dropdown=True),
        Button("Đồng ý"),
    ),
    address=PORTAL,
)

PROCEDURE = Screen(
    "Cổng DVCQG – trang thông tin thủ tục",
    APP_PORTAL,
    (
        Title("Đăng ký khai sinh"),
        Text("Cơ quan thực hiện: UBND cấp xã", muted=True),
        Menu(
            (
                "Trình tự thực hiện",
                "Thành phần hồ sơ",
                "Phí, lệ phí",
                "Thời hạn giải quyết",
            )
        ),
        Button("Nộp trực tuyến", highlight=True),
    ),
    address=PORTAL,
)

LOGOUT = Screen(
    "Cổng DVCQG – đăng xuất",
    APP_PORTAL,
    (
        Notice("NGUYỄN THỊ HOA", "info"),
        Menu(
            (
                "Thông tin tài khoản",
                "Quản lý hồ sơ đã nộp",
                "Kho dữ liệu cá nhân",
                "Đăng xuất",
            ),
            highlight=3,
        ),
    ),
    address=PORTAL,
)


COURSE = Course(
    slug="lam-quen-cong-dich-vu-cong-quoc-gia",
    title="Làm quen Cổng Dịch vụ công quốc gia",
    summary=(
        "Đăng nhập dichvucong.gov.vn bằng tài khoản VNeID, tìm đúng thủ tục cần làm và "
        "giữ an toàn khi dùng máy của người khác. Viết cho người lần đầu dùng Cổng "
        "trên điện thoại."
    ),
    cover=Cover(
        "Ảnh bìa – Làm quen Cổng Dịch vụ công quốc gia",
        "Làm quen Cổng Dịch vụ công quốc gia",
        "Đăng nhập bằng VNeID, tìm thủ tục, đăng xuất an toàn",
        "#b91c1c",
        "portal",
    ),
    audiences=("volunteer", "citizen", "student", "official"),
    minutes=25,
    outcomes=(
        "Nhận ra đúng địa chỉ Cổng Dịch vụ công quốc gia.",
        "Đăng nhập Cổng bằng tài khoản VNeID, bằng mật khẩu hoặc bằng mã QR.",
        "Tìm một thủ tục và đọc cơ quan thực hiện, thành phần hồ sơ, phí, lệ phí, "
        "thời hạn giải quyết.",
        "Đăng xuất khi dùng điện thoại hoặc máy tính của người khác.",
    ),
)

COURSE.lessons = [
    Lesson(
        slug="cong-dvcqg-lam-duoc-gi",
        title="Cổng Dịch vụ công quốc gia làm được gì",
        intro=(
            "Cổng Dịch vụ công quốc gia ở đâu, làm được những việc gì và cách nhận ra "
            "trang thật."
        ),
        minutes=6,
        body=[
            paragraph(
                "Cổng Dịch vụ công quốc gia ở địa chỉ <b>dichvucong.gov.vn</b> là nơi "
                "người dân và doanh nghiệp tìm thông tin, nộp hồ sơ, thanh toán phí, "
                "lệ phí và theo dõi kết quả thủ tục hành chính của các bộ, ngành, địa "
                "phương. Cổng kết nối với Cơ sở dữ liệu quốc gia về dân cư nên nhiều "
                "thông tin của bạn được điền sẵn khi kê khai."
            ),
            heading("Những việc thường làm trên Cổng"),
            paragraph(
                ul(
                    "Nộp hồ sơ trực tuyến, ví dụ đăng ký khai sinh cho con.",
                    "Tra cứu tiến độ hồ sơ bằng mã hồ sơ.",
                    "Thanh toán trực tuyến phí, lệ phí và một số khoản khác như tiền "
                    "phạt vi phạm giao thông.",
                    "Gửi phản ánh, kiến nghị về thủ tục hành chính.",
                    "Xem lại kết quả đã nhận trong kho dữ liệu cá nhân.",
                )
            ),
            image(
                HOME,
                alt=(
                    "Trang chủ Cổng Dịch vụ công quốc gia trên điện thoại: ô tìm kiếm "
                    "dịch vụ công và danh mục Thanh toán trực tuyến, Tra cứu hồ sơ."
                ),
                caption="Trang chủ Cổng trên điện thoại (ảnh minh họa).",
            ),
            heading("Nhận ra trang thật"),
            paragraph(
                "Địa chỉ trang thật kết thúc bằng <b>.gov.vn</b>: dichvucong.gov.vn. "
                "Trang giả thường có tên na ná, như dichvucong-gov.com hay "
                "dvc-quocgia.online. Hãy tự gõ địa chỉ vào trình duyệt thay vì bấm "
                "đường link trong tin nhắn."
            ),
            note(
                "Từ ngày 01/7/2025 không còn cấp huyện: chính quyền địa phương có hai "
                "cấp là tỉnh và xã. Thủ tục trước đây nộp ở huyện nay do cấp xã hoặc "
                "cơ quan cấp tỉnh giải quyết; Cổng gợi ý đúng cơ quan khi bạn chọn "
                "tỉnh và xã, phường."
            ),
            link_button(
                "Mở Cổng Dịch vụ công quốc gia",
                "https://dichvucong.gov.vn",
                "Dùng ngay trên trình duyệt điện thoại, không cần cài ứng dụng.",
            ),
        ],
    ),
    Lesson(
        slug="dang-nhap-bang-vneid",
        title="Đăng nhập bằng tài khoản VNeID",
        intro=(
            "Hai cách đăng nhập Cổng Dịch vụ công quốc gia bằng tài khoản định danh "
            "điện tử: nhập mật khẩu, hoặc quét mã QR bằng ứng dụng VNeID."
        ),
        minutes=8,
        body=[
            paragraph(
                "Bạn cần tài khoản định danh điện tử mức 2 đã kích hoạt. Lần đầu đăng "
                "nhập, Cổng tự lập tài khoản cho bạn từ Cơ sở dữ liệu quốc gia về dân "
                "cư: không phải đăng ký riêng."
            ),
            steps(
                "Cách 1: số định danh và mật khẩu",
                step(
                    "Mở dichvucong.gov.vn và bấm Đăng nhập",
                    "Không thấy nút? Mở trình đơn (biểu tượng ba gạch) ở góc trên "
                    "trang.",
                    HOME_LOGIN,
                ),
                step(
                    "Chọn tài khoản định danh điện tử dành cho công dân",
                    "",
                    ACCOUNT_TYPE,
                ),
                step(
                    "Nhập số định danh cá nhân và mật khẩu VNeID",
                    "Đây là mật khẩu tài khoản VNeID, không phải mật khẩu email hay "
                    "ngân hàng. Trang đăng nhập vẫn thuộc tên miền .gov.vn.",
                    CREDENTIALS,
                ),
                step(
                    "Nhập mã OTP",
                    "Mã được gửi tới số điện thoại đã đăng ký với VNeID và chỉ có hiệu "
                    "lực trong ít phút.",
                    PORTAL_OTP,
                ),
                step(
                    "Kiểm tra tên của bạn ở đầu trang",
                    "Từ đây bạn mở được hồ sơ đã nộp, kho dữ liệu cá nhân và thanh "
                    "toán trực tuyến.",
                    LOGGED_IN,
                ),
            ),
            steps(
                "Cách 2: quét mã QR bằng VNeID",
                step(
                    "Trên trang đăng nhập, mở mã QR",
                    "Cách này tiện khi bạn dùng máy tính ở bộ phận một cửa hay điểm hỗ "
                    "trợ: không phải gõ mật khẩu trên máy lạ.",
                    QR_LOGIN,
                ),
                step(
                    "Trên điện thoại, mở VNeID và chạm Quét mã QR",
                    "Đưa camera vào mã QR trên màn hình máy tính.",
                    VNEID_SCAN,
                ),
                step(
                    "Xác nhận đăng nhập trong VNeID",
                    "Lần đầu, VNeID hỏi bạn có cho phép đăng nhập trên web không: chọn "
                    "đồng ý, rồi nhập passcode.",
                    VNEID_CONFIRM,
                ),
            ),
            warning(
                "Chỉ quét mã QR đăng nhập khi chính bạn đang mở trang "
                "dichvucong.gov.vn. Ai gửi mã QR qua Zalo và nhờ bạn quét “để xác "
                "minh” là đang tìm cách chiếm tài khoản của bạn."
            ),
            tip(
                "Không nhận được OTP? Kiểm tra số điện thoại trên màn hình có đúng số "
                "của bạn không, chờ một phút rồi bấm gửi lại."
            ),
        ],
    ),
    Lesson(
        slug="tim-thu-tuc-va-dang-xuat",
        title="Tìm thủ tục, đọc hướng dẫn và đăng xuất an toàn",
        intro=(
            "Tìm đúng thủ tục trên Cổng, đọc những thông tin cần biết trước khi nộp, "
            "và đăng xuất khi dùng máy của người khác."
        ),
        minutes=7,
        body=[
            steps(
                "Tìm một thủ tục",
                step(
                    "Gõ tên thủ tục vào ô tìm kiếm",
                    "Gõ vài từ chính, ví dụ <i>khai sinh</i> hay <i>tạm trú</i>, rồi "
                    "chọn thủ tục trong danh sách kết quả.",
                    SEARCH,
                ),
                step(
                    "Chọn tỉnh, xã, phường nơi bạn nộp hồ sơ",
                    "Cùng một thủ tục nhưng mỗi địa phương có cơ quan tiếp nhận riêng.",
                    AGENCY,
                ),
                step(
                    "Đọc thông tin thủ tục trước khi bấm Nộp trực tuyến",
                    ul(
                        "<b>Thành phần hồ sơ</b>: giấy tờ cần chụp hoặc scan.",
                        "<b>Phí, lệ phí</b>: có phải nộp không, bao nhiêu.",
                        "<b>Thời hạn giải quyết</b>: bao lâu thì có kết quả.",
                        "<b>Cách nhận kết quả</b>: bản điện tử, qua bưu điện hay tại "
                        "quầy.",
                    ),
                    PROCEDURE,
                ),
            ),
            tip(
                "Chụp sẵn các giấy tờ cần nộp: đặt giấy trên mặt bàn tối màu, đủ sáng, "
                "không lóa, đủ bốn góc. Ảnh rõ giúp hồ sơ không bị yêu cầu bổ sung."
            ),
            heading("Đăng xuất khi dùng máy của người khác"),
            paragraph(
                "Xong việc trên máy tính ở bộ phận một cửa, ở trường hay trên điện "
                "thoại của người nhà, hãy bấm vào tên bạn ở đầu trang và chọn "
                "<b>Đăng xuất</b>. Nếu trình duyệt hỏi có lưu mật khẩu không, chọn "
                "<b>Không</b>."
            ),
            image(
                LOGOUT,
                alt="Trình đơn tài khoản trên Cổng, mục Đăng xuất được khoanh tròn.",
                caption="Bấm vào tên ở đầu trang rồi chọn Đăng xuất (ảnh minh họa).",
            ),
        ],
    ),
]

COURSE.quiz = Quiz(
    slug="kiem-tra-cuoi-khoa",
    title="Kiểm tra cuối khóa",
    intro=(
        "8 câu trắc nghiệm về địa chỉ thật của Cổng, cách đăng nhập bằng VNeID, tìm "
        "thủ tục và đăng xuất, cùng một câu tự luận ngắn do giảng viên chấm. Đúng từ "
        "70% là đạt; bạn có 3 lần làm bài."
    ),
    category="Cổng Dịch vụ công quốc gia",
    pass_mark=70,
    max_attempts=3,
    pass_message=(
        "Chúc mừng, bạn đã đạt! Bạn đã sẵn sàng dùng Cổng Dịch vụ công quốc gia. "
        "Khóa tiếp theo: Nộp hồ sơ và thanh toán trực tuyến."
    ),
    fail_message=(
        "Bạn chưa đạt lần này. Đọc lại bài “Đăng nhập bằng tài khoản VNeID” và phần "
        "giải thích của từng câu, rồi làm lại."
    ),
    questions=[
        single(
            "Địa chỉ nào là Cổng Dịch vụ công quốc gia thật?",
            right("dichvucong.gov.vn", "Đúng. Trang thật kết thúc bằng .gov.vn."),
            wrong(
                "dichvucong-gov.com",
                "Chưa đúng. Tên na ná nhưng kết thúc bằng .com: trang giả.",
            ),
            wrong(
                "dvc-quocgia.online",
                "Chưa đúng. Kết thúc bằng .online: trang giả.",
            ),
            wrong(
                "dichvucong-gov.vn-hoantien.top",
                "Chưa đúng. Đọc đến dấu / đầu tiên: địa chỉ này kết thúc bằng .top.",
            ),
            explanation=(
                "Cổng Dịch vụ công quốc gia ở địa chỉ dichvucong.gov.vn. Trang giả "
                "thường có tên na ná; hãy tự gõ địa chỉ vào trình duyệt thay vì bấm "
                "đường link trong tin nhắn."
            ),
        ),
        short_text(
            "Bạn đăng nhập Cổng Dịch vụ công quốc gia bằng tài khoản của ứng dụng "
            "nào? (Gõ tên ứng dụng.)",
            "VNeID",
            "ứng dụng VNeID",
            "tài khoản VNeID",
            "tài khoản định danh điện tử VNeID",
            explanation=(
                "Cổng dùng tài khoản định danh điện tử của ứng dụng VNeID, mức 2 đã "
                "kích hoạt: đăng nhập bằng số định danh cá nhân và mật khẩu VNeID, "
                "hoặc quét mã QR bằng ứng dụng VNeID."
            ),
        ),
        multiple(
            "Những việc nào làm được trên Cổng Dịch vụ công quốc gia? (Chọn tất cả ý "
            "đúng.)",
            right("Nộp hồ sơ trực tuyến, ví dụ đăng ký khai sinh cho con"),
            right("Tra cứu tiến độ hồ sơ bằng mã hồ sơ"),
            right("Thanh toán phí, lệ phí và tiền phạt vi phạm giao thông"),
            wrong(
                "Cập nhật số điện thoại đã đăng ký với VNeID",
                "Chưa đúng. Việc này làm tại Công an xã, phường nơi cư trú.",
            ),
            wrong(
                "Kích hoạt tài khoản định danh điện tử mức 2",
                "Chưa đúng. Tài khoản được kích hoạt trong ứng dụng VNeID.",
            ),
            explanation=(
                "Trên Cổng, bạn nộp hồ sơ, tra cứu tiến độ, thanh toán phí, lệ phí và "
                "một số khoản khác, gửi phản ánh, kiến nghị và xem lại kết quả trong "
                "kho dữ liệu cá nhân. Tài khoản VNeID thì kích hoạt trong ứng dụng "
                "VNeID và cập nhật tại cơ quan Công an."
            ),
        ),
        true_false(
            "Lần đầu đăng nhập Cổng bằng tài khoản định danh điện tử, bạn phải đăng "
            "ký thêm một tài khoản riêng trên Cổng.",
            False,
            explanation=(
                "Lần đầu đăng nhập, Cổng tự lập tài khoản cho bạn từ Cơ sở dữ liệu "
                "quốc gia về dân cư: không phải đăng ký riêng."
            ),
            if_true="Chưa đúng: Cổng tự lập tài khoản cho bạn.",
            if_false="Đúng: không phải đăng ký riêng.",
        ),
        single(
            "Bạn dùng máy tính ở bộ phận một cửa. Cách đăng nhập nào giúp bạn không "
            "phải gõ mật khẩu trên máy lạ?",
            right(
                "Mở mã QR trên trang đăng nhập, quét bằng ứng dụng VNeID trên điện "
                "thoại của mình",
                "Đúng. Xác nhận trong VNeID rồi nhập passcode trên điện thoại.",
            ),
            wrong(
                "Nhờ cán bộ đăng nhập hộ bằng tài khoản của cán bộ",
                "Chưa đúng. Hồ sơ của bạn phải nộp bằng tài khoản của chính bạn.",
            ),
            wrong(
                "Cho trình duyệt lưu mật khẩu để lần sau khỏi gõ",
                "Không nên: người dùng máy sau bạn sẽ vào được tài khoản của bạn.",
            ),
            wrong(
                "Đăng nhập bằng số điện thoại, không cần mật khẩu",
                "Chưa đúng. Cổng không có cách đăng nhập này.",
            ),
            explanation=(
                "Có hai cách đăng nhập bằng tài khoản định danh điện tử: số định danh "
                "cá nhân và mật khẩu VNeID (kèm mã OTP), hoặc quét mã QR bằng ứng "
                "dụng VNeID. Cách quét mã QR tiện trên máy lạ vì không phải gõ mật "
                "khẩu."
            ),
        ),
        true_false(
            "Một người lạ gửi mã QR qua Zalo, nhờ bạn quét bằng VNeID “để xác minh”. "
            "Bạn nên quét để tài khoản không bị khóa.",
            False,
            explanation=(
                "Chỉ quét mã QR đăng nhập khi chính bạn đang mở trang "
                "dichvucong.gov.vn. Ai gửi mã QR và nhờ quét “để xác minh” là đang tìm "
                "cách chiếm tài khoản của bạn."
            ),
            if_true="Chưa đúng: quét mã đó là đăng nhập tài khoản của bạn cho họ.",
            if_false="Đúng: không quét mã QR do người khác gửi.",
        ),
        multiple(
            "Trước khi bấm Nộp trực tuyến, bạn đọc được những gì trên trang thông tin "
            "thủ tục? (Chọn tất cả ý đúng.)",
            right("Thành phần hồ sơ: giấy tờ cần chụp hoặc scan"),
            right("Phí, lệ phí phải nộp"),
            right("Thời hạn giải quyết"),
            wrong(
                "Số điện thoại riêng của cán bộ sẽ giải quyết hồ sơ",
                "Chưa đúng. Trang thủ tục ghi cơ quan thực hiện, không ghi số riêng "
                "của cán bộ.",
            ),
            explanation=(
                "Trang thủ tục ghi cơ quan thực hiện, trình tự, thành phần hồ sơ, phí, "
                "lệ phí, thời hạn giải quyết và cách nhận kết quả. Chọn đúng tỉnh và "
                "xã, phường trước, vì mỗi địa phương có cơ quan tiếp nhận riêng."
            ),
        ),
        single(
            "Bạn dùng điện thoại của người nhà để vào Cổng. Xong việc, bạn làm gì?",
            right(
                "Bấm vào tên mình ở đầu trang, chọn Đăng xuất, và không cho trình "
                "duyệt lưu mật khẩu",
                "Đúng. Người dùng máy sau bạn không vào được tài khoản của bạn.",
            ),
            wrong(
                "Chỉ cần đóng trình duyệt",
                "Chưa đủ: đóng trình duyệt chưa chắc đã đăng xuất.",
            ),
            wrong(
                "Để nguyên cho lần sau vào nhanh hơn",
                "Không nên: người khác dùng máy sẽ thấy hồ sơ và giấy tờ của bạn.",
            ),
            explanation=(
                "Trên máy của người khác, ở bộ phận một cửa hay ở trường, luôn bấm vào "
                "tên ở đầu trang và chọn Đăng xuất. Nếu trình duyệt hỏi có lưu mật "
                "khẩu không, chọn Không."
            ),
        ),
        essay(
            "Một bác hàng xóm nhờ bạn giúp tìm thủ tục đăng ký khai sinh trên Cổng "
            "Dịch vụ công quốc gia, bằng máy tính ở nhà văn hóa thôn. Viết 3 đến 5 câu "
            "hướng dẫn bác từ lúc mở trình duyệt đến lúc đăng xuất, nói rõ những chỗ "
            "cần cẩn thận.",
            explanation=(
                "Một bài trả lời tốt nêu được: tự gõ địa chỉ dichvucong.gov.vn (kết "
                "thúc bằng .gov.vn); bác đăng nhập bằng tài khoản định danh điện tử "
                "của chính bác, trên máy lạ thì nên quét mã QR bằng VNeID; bác tự nhập "
                "mật khẩu, passcode, mã OTP; gõ “khai sinh” vào ô tìm kiếm, chọn tỉnh "
                "và xã, phường, đọc thành phần hồ sơ, phí, lệ phí, thời hạn; xong việc "
                "thì đăng xuất và không lưu mật khẩu."
            ),
        ),
        numerical(
            "Bạn xin 3 bản sao trích lục khai sinh trên Cổng, mỗi bản 8.000 đồng. "
            "Tổng số tiền phải trả là bao nhiêu đồng?",
            "24000",
            unit="đồng",
            explanation=(
                "3 bản × 8.000 đồng = 24.000 đồng. Trang thông tin của mỗi thủ tục, "
                "mục Phí, lệ phí, cho biết số tiền trước khi bạn nộp hồ sơ."
            ),
        ),
    ],
)
