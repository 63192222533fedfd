"""Course: filing a dossier online, tracking it, paying its fees, receiving results."""

from ..spec import (
    APP_BANK,
    APP_PORTAL,
    APP_SMS,
    Attachment,
    Button,
    Card,
    Check,
    Course,
    Cover,
    Field,
    Handout,
    Lesson,
    Menu,
    Notice,
    Otp,
    Quiz,
    Screen,
    Sms,
    Text,
    Tiles,
    Timeline,
    Title,
    document,
    heading,
    hotspot,
    image,
    link_button,
    multiple,
    note,
    ol,
    ordering,
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

PORTAL = "dichvucong.gov.vn"
CODE = "G33.15-250915-0042"

CHECKLIST = Handout(
    title="Danh sách chuẩn bị trước khi nộp hồ sơ trực tuyến",
    filename="danh-sach-chuan-bi-nop-ho-so-truc-tuyen.pdf",
    heading="Danh sách chuẩn bị trước khi nộp hồ sơ trực tuyến",
    intro=(
        "Đánh dấu từng dòng trước khi bắt đầu kê khai trên Cổng Dịch vụ công quốc "
        "gia (dichvucong.gov.vn). Chuẩn bị đủ giúp nộp một lần là xong, không bị yêu "
        "cầu bổ sung."
    ),
    sections=(
        (
            "Tài khoản và điện thoại",
            (
                "Tài khoản định danh điện tử VNeID mức 2 đã kích hoạt, nhớ mật khẩu và "
                "passcode.",
                "Điện thoại dùng số đã đăng ký với VNeID, đang có sóng để nhận mã OTP.",
                "Pin còn trên 30% và kết nối Internet ổn định (Wi-Fi hoặc 4G).",
            ),
        ),
        (
            "Giấy tờ cho hồ sơ liên thông khai sinh, thường trú, thẻ BHYT",
            (
                "Giấy chứng sinh của trẻ do cơ sở y tế cấp (ảnh chụp hoặc bản scan).",
                "Giấy chứng nhận kết hôn của cha mẹ, nếu có.",
                "Số định danh cá nhân của cha, mẹ (in trên thẻ căn cước).",
                "Tên dự định đặt cho trẻ, đã thống nhất trong gia đình, viết có dấu.",
                "Nơi đăng ký thường trú của trẻ (thường là nơi thường trú của cha hoặc "
                "mẹ).",
                "Văn bản ủy quyền có chứng thực, nếu người khác đi đăng ký thay.",
            ),
        ),
        (
            "Ảnh chụp giấy tờ",
            (
                "Chụp thẳng, đủ bốn góc, không bị cắt chữ.",
                "Đủ sáng, không lóa đèn, không rung mờ; đặt giấy trên nền tối màu.",
                "Mỗi tệp dưới dung lượng cho phép của Cổng (thường vài MB).",
                "Đặt tên tệp dễ nhận, ví dụ giay-chung-sinh.jpg.",
            ),
        ),
        (
            "Sau khi nộp",
            (
                "Ghi lại mã hồ sơ hoặc chụp màn hình trang nộp thành công.",
                "Theo dõi tin nhắn, thư điện tử và mục Quản lý hồ sơ đã nộp.",
                "Thanh toán phí, lệ phí (nếu có) khi Cổng báo yêu cầu thanh toán.",
            ),
        ),
    ),
    footer=(
        "Tài liệu của khóa học Nộp hồ sơ và thanh toán trực tuyến. Thủ tục và giấy "
        "tờ cụ thể xem ở mục Thành phần hồ sơ của từng thủ tục trên Cổng."
    ),
)

LINKED_MENU = Screen(
    "Cổng DVCQG – mục Dịch vụ công liên thông",
    APP_PORTAL,
    (
        Notice("Xin chào, NGUYỄN THỊ HOA", "ok"),
        Menu(
            (
                "Dịch vụ công nổi bật",
                "Dịch vụ công liên thông: khai sinh, khai tử",
                "Thanh toán trực tuyến",
                "Quản lý hồ sơ đã nộp",
            ),
            highlight=1,
        ),
    ),
    address=PORTAL,
)

LINKED_CHOICE = Screen(
    "Cổng DVCQG – chọn nhóm thủ tục liên thông khai sinh",
    APP_PORTAL,
    (
        Title("Dịch vụ công liên thông"),
        Menu(
            (
                "Đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ "
                "em dưới 6 tuổi",
                "Đăng ký khai tử, xóa đăng ký thường trú, hưởng chế độ tử tuất, hỗ "
                "trợ chi phí mai táng",
            ),
            highlight=0,
        ),
    ),
    address=PORTAL,
)

CHILD_FORM = Screen(
    "Cổng DVCQG – tờ khai thông tin của trẻ",
    APP_PORTAL,
    (
        Title("Thông tin của trẻ"),
        Field("Họ, chữ đệm và tên", "TRẦN MINH AN"),
        Field("Ngày, tháng, năm sinh", "02/09/2025"),
        Field("Giới tính", "Nam", dropdown=True),
        Field("Nơi sinh", "Bệnh viện Đa khoa tỉnh Hưng Yên"),
        Field("Quê quán", "Xã Đông Hưng, Tỉnh Hưng Yên", highlight=True),
        Button("Tiếp tục"),
    ),
    address=PORTAL,
)

PARENTS_FORM = Screen(
    "Cổng DVCQG – thông tin cha, mẹ",
    APP_PORTAL,
    (
        Title("Thông tin cha, mẹ"),
        Notice(
            "Thông tin của người nộp được lấy từ Cơ sở dữ liệu quốc gia về dân cư.",
            "info",
        ),
        Field("Họ tên mẹ", "NGUYỄN THỊ HOA"),
        Field("Số định danh cá nhân của mẹ", "033190001234"),
        Field("Họ tên cha", "TRẦN VĂN BÌNH"),
        Field("Số định danh cá nhân của cha", "033188004567", highlight=True),
    ),
    address=PORTAL,
)

ATTACH = Screen(
    "Cổng DVCQG – đính kèm giấy tờ",
    APP_PORTAL,
    (
        Title("Giấy tờ đính kèm"),
        Attachment("giay-chung-sinh.jpg", "Giấy chứng sinh · 1,2 MB"),
        Attachment("giay-chung-nhan-ket-hon.jpg", "Giấy chứng nhận kết hôn · 0,9 MB"),
        Button("Chọn tệp", primary=False, highlight=True),
        Text("Định dạng cho phép: JPG, PNG, PDF.", muted=True),
    ),
    address=PORTAL,
)

SUBMIT = Screen(
    "Cổng DVCQG – chọn cách nhận kết quả và nộp hồ sơ",
    APP_PORTAL,
    (
        Title("Nhận kết quả"),
        Check("Nhận bản điện tử trong tài khoản"),
        Check("Nhận bản giấy qua dịch vụ bưu chính", checked=False),
        Check("Nhận bản giấy tại Bộ phận một cửa", checked=False),
        Check("Tôi cam đoan những thông tin khai trên là đúng sự thật."),
        Button("Nộp hồ sơ", highlight=True),
    ),
    address=PORTAL,
)

SUBMITTED = Screen(
    "Cổng DVCQG – nộp hồ sơ thành công",
    APP_PORTAL,
    (
        Notice("Nộp hồ sơ thành công!", "ok"),
        Text("Mã hồ sơ của bạn:"),
        Title(CODE),
        Text("Hãy ghi lại mã này để tra cứu. Kết quả dự kiến: 18/09/2025.", muted=True),
        Button("Về Quản lý hồ sơ đã nộp", primary=False),
    ),
    address=PORTAL,
)

MANAGE = Screen(
    "Cổng DVCQG – Quản lý hồ sơ đã nộp",
    APP_PORTAL,
    (
        Title("Quản lý hồ sơ đã nộp"),
        Card(
            "Liên thông khai sinh – thường trú – BHYT",
            (f"Mã hồ sơ: {CODE}", "Ngày nộp: 15/09/2025", "Trạng thái: Đang xử lý"),
            colour="#1d4ed8",
            highlight=True,
        ),
        Card(
            "Cấp bản sao trích lục hộ tịch",
            ("Ngày nộp: 02/08/2025", "Trạng thái: Hoàn thành"),
            colour="#047857",
        ),
    ),
    address=PORTAL,
)

PROGRESS = Screen(
    "Cổng DVCQG – tiến độ xử lý hồ sơ",
    APP_PORTAL,
    (
        Title("Tiến độ hồ sơ"),
        Text(f"Mã hồ sơ: {CODE}", muted=True),
        Timeline(
            (
                ("Đã nộp", "15/09/2025 20:14", "done"),
                ("Đã tiếp nhận", "16/09/2025 08:05 · UBND xã Đông Hưng", "done"),
                ("Đang xử lý", "Khai sinh, thường trú, thẻ BHYT", "now"),
                ("Có kết quả", "Dự kiến 18/09/2025", "todo"),
            )
        ),
    ),
    address=PORTAL,
)

SUPPLEMENT = Screen(
    "Cổng DVCQG – yêu cầu bổ sung hồ sơ",
    APP_PORTAL,
    (
        Title("Yêu cầu bổ sung"),
        Notice(
            "Ảnh giấy chứng sinh bị mờ phần ngày sinh. Đề nghị chụp lại rõ nét và gửi "
            "bổ sung.",
            "warn",
        ),
        Attachment("giay-chung-sinh-chup-lai.jpg", "Giấy chứng sinh · 1,4 MB"),
        Button("Gửi bổ sung", highlight=True),
    ),
    address=PORTAL,
)

SMS_UPDATE = Screen(
    "Tin nhắn – thông báo tiến độ hồ sơ",
    APP_SMS,
    (
        Sms(
            "DichVuCong",
            f"Ho so {CODE} cua ong/ba da duoc tiep nhan. Tra cuu tai "
            "dichvucong.gov.vn.",
            "16/09 08:05",
        ),
        Sms(
            "DichVuCong",
            f"Ho so {CODE} da co ket qua. Vui long dang nhap dichvucong.gov.vn de "
            "nhan ket qua.",
            "18/09 15:40",
        ),
    ),
    header="DichVuCong",
)

PAY_REQUEST = Screen(
    "Cổng DVCQG – hồ sơ chờ thanh toán",
    APP_PORTAL,
    (
        Title("Quản lý hồ sơ đã nộp"),
        Card(
            "Cấp bản sao trích lục hộ tịch",
            (
                "Mã hồ sơ: G33.15-250916-0107",
                "Phí: 16.000 đ (2 bản sao)",
                "Trạng thái: Chờ thanh toán",
            ),
            colour="#b45309",
        ),
        Button("Thanh toán", highlight=True),
    ),
    address=PORTAL,
)

PAY_METHOD = Screen(
    "Nền tảng thanh toán – chọn phương thức",
    APP_PORTAL,
    (
        Title("Chọn phương thức thanh toán"),
        Text("Số tiền: 16.000 đ", muted=True),
        Menu(
            (
                "Tài khoản hoặc thẻ ngân hàng",
                "Ví điện tử, trung gian thanh toán",
                "Quét mã QR bằng ứng dụng ngân hàng",
            ),
            highlight=0,
        ),
    ),
    address=PORTAL,
    header="THANH TOÁN TRỰC TUYẾN",
)

PAY_BANK = Screen(
    "Nền tảng thanh toán – chọn ngân hàng",
    APP_PORTAL,
    (
        Title("Chọn ngân hàng"),
        Tiles(("Agribank", "BIDV", "VietinBank", "Vietcombank"), highlight=0),
        Text(
            "Chọn ngân hàng nơi bạn có tài khoản và đã đăng ký ngân hàng điện tử.",
            muted=True,
        ),
    ),
    address=PORTAL,
    header="THANH TOÁN TRỰC TUYẾN",
)

BANK_CONFIRM = Screen(
    "Ngân hàng – kiểm tra thông tin thanh toán",
    APP_BANK,
    (
        Title("Xác nhận thanh toán"),
        Field("Đơn vị thụ hưởng", "UBND xã Đông Hưng"),
        Field("Nội dung", "Phí cấp bản sao trích lục hộ tịch"),
        Field("Số tiền", "16.000 đ", highlight=True),
        Button("Xác nhận"),
    ),
    header="Ngân hàng của bạn",
)

BANK_OTP = Screen(
    "Ngân hàng – nhập mã OTP để thanh toán",
    APP_BANK,
    (
        Title("Nhập mã OTP"),
        Text(
            "Mã OTP đã gửi tới số 0900 *** 001. Chỉ nhập khi số tiền và đơn vị thụ "
            "hưởng đúng như bạn đang thanh toán."
        ),
        Otp("291745"),
        Button("Thanh toán", highlight=True),
    ),
    header="Ngân hàng của bạn",
)

PAY_DONE = Screen(
    "Cổng DVCQG – thanh toán thành công, tải biên lai",
    APP_PORTAL,
    (
        Notice("Giao dịch thành công", "ok"),
        Card(
            "Biên lai điện tử",
            ("Phí cấp bản sao trích lục hộ tịch", "Số tiền: 16.000 đ", "16/09/2025"),
            colour="#047857",
        ),
        Button("Tải biên lai", highlight=True),
    ),
    address=PORTAL,
)

RESULT = Screen(
    "Cổng DVCQG – hồ sơ đã có kết quả",
    APP_PORTAL,
    (
        Title("Kết quả hồ sơ"),
        Text(f"Mã hồ sơ: {CODE}", muted=True),
        Card(
            "Giấy khai sinh (bản điện tử)",
            (
                "TRẦN MINH AN",
                "Số định danh cá nhân: 033225000321",
                "Cơ quan cấp: UBND xã Đông Hưng",
            ),
            colour="#047857",
        ),
        Card(
            "Thẻ bảo hiểm y tế của trẻ",
            ("Đã cấp, xem trong kết quả",),
            colour="#0e7490",
        ),
        Button("Tải về", highlight=True),
    ),
    address=PORTAL,
)

STORE = Screen(
    "Cổng DVCQG – Kho dữ liệu cá nhân",
    APP_PORTAL,
    (
        Title("Kho dữ liệu cá nhân"),
        Menu(
            (
                "Giấy khai sinh – Trần Minh An",
                "Biên lai – Phí cấp bản sao trích lục hộ tịch",
                "Bản sao trích lục khai sinh – Trần Minh An",
            ),
            highlight=0,
        ),
    ),
    address=PORTAL,
)


COURSE = Course(
    slug="nop-ho-so-va-thanh-toan-truc-tuyen",
    title="Nộp hồ sơ và thanh toán trực tuyến",
    summary=(
        "Làm trọn một thủ tục trên Cổng Dịch vụ công quốc gia: chuẩn bị giấy tờ, nộp "
        "hồ sơ liên thông khai sinh cho trẻ, theo dõi trạng thái, thanh toán phí, lệ "
        "phí và nhận kết quả bản điện tử."
    ),
    cover=Cover(
        "Ảnh bìa – Nộp hồ sơ và thanh toán trực tuyến",
        "Nộp hồ sơ và thanh toán trực tuyến",
        "Từ kê khai, theo dõi, nộp phí đến nhận kết quả",
        "#1d4ed8",
        "dossier",
    ),
    audiences=("volunteer", "citizen", "official"),
    minutes=45,
    outcomes=(
        "Chuẩn bị đủ giấy tờ và ảnh chụp trước khi kê khai.",
        "Nộp hồ sơ liên thông đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo "
        "hiểm y tế cho trẻ em dưới 6 tuổi.",
        "Theo dõi trạng thái hồ sơ và bổ sung khi được yêu cầu.",
        "Thanh toán phí, lệ phí qua nền tảng thanh toán của Cổng và tải biên lai.",
        "Nhận kết quả bản điện tử và tìm lại trong kho dữ liệu cá nhân.",
    ),
)

COURSE.lessons = [
    Lesson(
        slug="chuan-bi-truoc-khi-nop",
        title="Chuẩn bị trước khi nộp hồ sơ",
        intro=(
            "Những gì cần có trong tay trước khi kê khai, để nộp một lần là xong. Kèm "
            "danh sách in ra để đánh dấu."
        ),
        minutes=5,
        body=[
            paragraph(
                "Phần lớn hồ sơ bị trả lại vì thiếu giấy tờ hoặc ảnh chụp mờ. Mười "
                "phút chuẩn bị giúp bạn không phải quay lại bổ sung."
            ),
            heading("Bốn thứ cần có"),
            paragraph(
                ol(
                    "Tài khoản VNeID mức 2 đã kích hoạt, nhớ mật khẩu và passcode.",
                    "Điện thoại dùng số đã đăng ký với VNeID để nhận mã OTP.",
                    "Ảnh chụp rõ nét các giấy tờ trong mục <b>Thành phần hồ sơ</b> của "
                    "thủ tục.",
                    "Thông tin cần khai: với khai sinh là tên đặt cho trẻ, ngày sinh, "
                    "nơi sinh, số định danh cá nhân của cha, mẹ.",
                )
            ),
            document(CHECKLIST, "Tải danh sách chuẩn bị (PDF, 1 trang)"),
            tip(
                "Chụp giấy tờ bằng camera điện thoại: đặt giấy trên mặt bàn tối màu "
                "gần cửa sổ, giữ máy song song với tờ giấy, chạm vào màn hình để lấy "
                "nét rồi mới chụp."
            ),
            note(
                "Người dân nộp hồ sơ bằng tài khoản của chính mình. Khi hỗ trợ người "
                "khác, thành viên Tổ công nghệ số cộng đồng ngồi cạnh hướng dẫn, để "
                "người dân tự đăng nhập và tự nhập mã OTP."
            ),
        ],
    ),
    Lesson(
        slug="nop-ho-so-lien-thong-khai-sinh",
        title="Nộp hồ sơ liên thông khai sinh cho trẻ",
        intro=(
            "Một lần nộp trên Cổng cho ba thủ tục: đăng ký khai sinh, đăng ký thường "
            "trú và cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi."
        ),
        minutes=12,
        body=[
            paragraph(
                "Nhóm thủ tục liên thông giúp cha mẹ không phải đi ba nơi. Hồ sơ được "
                "chuyển lần lượt tới UBND cấp xã (khai sinh), cơ quan Công an (thường "
                "trú) và cơ quan Bảo hiểm xã hội (thẻ BHYT). Đăng ký khai sinh đúng "
                "hạn không mất lệ phí."
            ),
            steps(
                "Nộp hồ sơ",
                step(
                    "Đăng nhập Cổng, chọn Dịch vụ công liên thông: khai sinh, khai tử",
                    "",
                    LINKED_MENU,
                ),
                step(
                    "Chọn nhóm thủ tục khai sinh, thường trú, thẻ BHYT",
                    "Sau đó chọn tỉnh và xã, phường nơi đăng ký khai sinh cho trẻ.",
                    LINKED_CHOICE,
                ),
                step(
                    "Khai thông tin của trẻ",
                    "Viết họ tên có dấu, đúng như gia đình đã thống nhất. Kiểm tra kỹ "
                    "ngày sinh với giấy chứng sinh.",
                    CHILD_FORM,
                ),
                step(
                    "Kiểm tra thông tin cha, mẹ",
                    "Thông tin của người nộp được điền sẵn; nhập số định danh cá nhân "
                    "của người còn lại.",
                    PARENTS_FORM,
                ),
                step(
                    "Đính kèm giấy chứng sinh và giấy tờ khác",
                    "Chọn ảnh đã chụp sẵn. Mỗi giấy tờ một tệp, tên tệp dễ nhận.",
                    ATTACH,
                ),
                step(
                    "Chọn cách nhận kết quả, cam đoan và bấm Nộp hồ sơ",
                    "Bản điện tử nhận ngay trong tài khoản; muốn có bản giấy, chọn "
                    "nhận qua bưu chính hoặc tại Bộ phận một cửa.",
                    SUBMIT,
                ),
                step(
                    "Ghi lại mã hồ sơ",
                    "Mã hồ sơ dùng để tra cứu và khi cần hỏi cán bộ. Chụp màn hình "
                    "trang này là cách nhanh nhất.",
                    SUBMITTED,
                ),
            ),
            warning(
                "Cam đoan sai sự thật trong tờ khai có thể bị xử lý theo quy định. Nếu "
                "chưa chắc thông tin nào, hãy dừng lại hỏi cán bộ tư pháp – hộ tịch "
                "của xã trước khi bấm Nộp hồ sơ."
            ),
            tip(
                "Mạng chập chờn khi bấm Nộp hồ sơ? Đừng bấm lại ngay: mở Quản lý hồ sơ "
                "đã nộp xem hồ sơ đã vào chưa, tránh nộp trùng hai hồ sơ."
            ),
        ],
    ),
    Lesson(
        slug="theo-doi-va-bo-sung-ho-so",
        title="Theo dõi trạng thái và bổ sung hồ sơ",
        intro=(
            "Xem hồ sơ đang ở bước nào, hiểu các trạng thái và gửi bổ sung khi cán bộ "
            "yêu cầu."
        ),
        minutes=7,
        body=[
            steps(
                "Xem tiến độ hồ sơ",
                step(
                    "Đăng nhập, mở Quản lý hồ sơ đã nộp",
                    "Mỗi hồ sơ hiện mã, ngày nộp và trạng thái hiện tại.",
                    MANAGE,
                ),
                step(
                    "Chạm vào hồ sơ để xem từng bước",
                    "Các bước đã xong có dấu tích xanh; bước đang làm được tô màu.",
                    PROGRESS,
                ),
            ),
            heading("Các trạng thái thường gặp"),
            paragraph(
                ul(
                    "<b>Đã nộp</b> / <b>Chờ tiếp nhận</b>: cơ quan chưa mở hồ sơ.",
                    "<b>Đã tiếp nhận</b>: hồ sơ hợp lệ, bắt đầu tính thời hạn giải "
                    "quyết.",
                    "<b>Đang xử lý</b>: cán bộ đang giải quyết.",
                    "<b>Yêu cầu bổ sung</b>: cần gửi thêm hoặc sửa giấy tờ.",
                    "<b>Có kết quả</b> / <b>Hoàn thành</b>: xem và tải kết quả.",
                    "<b>Từ chối</b>: đọc lý do ghi kèm để biết cách làm lại.",
                ),
                "Tên trạng thái có thể khác đôi chút giữa các cổng, nhưng thứ tự các "
                "bước là như vậy.",
            ),
            image(
                SMS_UPDATE,
                alt=(
                    "Hai tin nhắn từ DichVuCong: hồ sơ đã được tiếp nhận, rồi hồ sơ đã "
                    "có kết quả."
                ),
                caption=(
                    "Tin nhắn báo tiến độ chỉ thông báo, không bao giờ đòi mã OTP hay "
                    "tiền (ảnh minh họa)."
                ),
            ),
            steps(
                "Khi có yêu cầu bổ sung",
                step(
                    "Đọc kỹ nội dung yêu cầu",
                    "Cán bộ ghi rõ giấy tờ nào thiếu hoặc chưa đạt và vì sao.",
                ),
                step(
                    "Đính kèm giấy tờ mới và bấm Gửi bổ sung",
                    "Chỉ gửi đúng thứ được yêu cầu; hồ sơ giữ nguyên mã cũ.",
                    SUPPLEMENT,
                ),
            ),
            tip(
                "Không đăng nhập được? Vẫn tra cứu được tiến độ: ở trang chủ Cổng chọn "
                "<b>Tra cứu hồ sơ</b> và nhập mã hồ sơ."
            ),
        ],
    ),
    Lesson(
        slug="thanh-toan-phi-le-phi",
        title="Thanh toán phí, lệ phí trực tuyến",
        intro=(
            "Trả phí, lệ phí của hồ sơ qua nền tảng thanh toán của Cổng Dịch vụ công "
            "quốc gia và tải biên lai điện tử."
        ),
        minutes=8,
        body=[
            paragraph(
                "Khi hồ sơ có phí, lệ phí, Cổng báo <b>yêu cầu thanh toán</b> ngay khi "
                "nộp hoặc sau khi cơ quan tiếp nhận. Bạn trả qua tài khoản ngân hàng, "
                "ví điện tử hoặc mã QR; tiền chuyển thẳng tới cơ quan giải quyết và "
                "biên lai điện tử có ngay trong tài khoản. Ví dụ dưới đây là phí cấp "
                "hai bản sao trích lục khai sinh.",
            ),
            steps(
                "Thanh toán một hồ sơ",
                step(
                    "Trong Quản lý hồ sơ đã nộp, chọn hồ sơ chờ thanh toán, bấm Thanh "
                    "toán",
                    "",
                    PAY_REQUEST,
                ),
                step(
                    "Chọn phương thức thanh toán",
                    "Cổng chuyển sang trang của nền tảng thanh toán. Kiểm tra địa chỉ "
                    "trang: chỉ là trang của Cổng hoặc của chính ngân hàng bạn chọn.",
                    PAY_METHOD,
                ),
                step(
                    "Chọn ngân hàng hoặc ví của bạn",
                    "Bạn cần tài khoản đã đăng ký dịch vụ ngân hàng điện tử.",
                    PAY_BANK,
                ),
                step(
                    "Kiểm tra đơn vị thụ hưởng và số tiền",
                    "Đơn vị thụ hưởng là cơ quan giải quyết hồ sơ của bạn; số tiền "
                    "đúng như trên Cổng.",
                    BANK_CONFIRM,
                ),
                step(
                    "Nhập mã OTP của ngân hàng",
                    "Mã OTP này xác nhận giao dịch bạn đang làm. Chỉ nhập vào trang "
                    "hoặc ứng dụng ngân hàng, không đọc cho ai.",
                    BANK_OTP,
                ),
                step(
                    "Tải biên lai điện tử",
                    "Biên lai lưu trong tài khoản; tải về khi cần xuất trình.",
                    PAY_DONE,
                ),
            ),
            warning(
                "Cơ quan nhà nước không bao giờ gọi điện hay nhắn tin yêu cầu bạn "
                "chuyển khoản phí, lệ phí vào tài khoản cá nhân. Chỉ thanh toán trong "
                "mục hồ sơ của bạn trên Cổng."
            ),
            note(
                "Mục <b>Thanh toán trực tuyến</b> ở trang chủ Cổng còn dùng để nộp một "
                "số khoản khác như tiền phạt vi phạm giao thông đã có quyết định xử "
                "phạt. Các bước chọn ngân hàng và xác nhận giống hệt như trên."
            ),
            link_button(
                "Thanh toán trực tuyến trên Cổng",
                "https://dichvucong.gov.vn",
                "Đăng nhập, rồi mở Quản lý hồ sơ đã nộp hoặc mục Thanh toán trực "
                "tuyến.",
            ),
        ],
    ),
    Lesson(
        slug="nhan-ket-qua",
        title="Nhận kết quả và lưu giấy tờ điện tử",
        intro=(
            "Tải kết quả bản điện tử, tìm lại trong kho dữ liệu cá nhân và dùng lại "
            "cho những lần nộp sau."
        ),
        minutes=6,
        body=[
            paragraph(
                "Khi hồ sơ có kết quả, bạn nhận tin nhắn hoặc thư điện tử. Kết quả bản "
                "điện tử có giá trị sử dụng như bản giấy; bản giấy (nếu bạn chọn) được "
                "gửi qua bưu chính hoặc nhận tại Bộ phận một cửa."
            ),
            steps(
                "Nhận kết quả",
                step(
                    "Mở hồ sơ trong Quản lý hồ sơ đã nộp",
                    "Hồ sơ có kết quả hiện trạng thái <b>Hoàn thành</b>.",
                ),
                step(
                    "Xem và tải kết quả",
                    "Với hồ sơ liên thông khai sinh, kết quả gồm giấy khai sinh bản "
                    "điện tử, thông tin đăng ký thường trú và thẻ bảo hiểm y tế của "
                    "trẻ.",
                    RESULT,
                ),
                step(
                    "Tìm lại trong Kho dữ liệu cá nhân",
                    "Kết quả và biên lai được lưu ở đây. Lần sau nộp hồ sơ cần giấy tờ "
                    "này, bạn chọn từ kho thay vì chụp lại.",
                    STORE,
                ),
            ),
            tip(
                "Số định danh cá nhân của trẻ có ngay trên giấy khai sinh. Hãy ghi "
                "lại: số này dùng khi làm thủ tục cho con sau này, như nhập học."
            ),
        ],
    ),
]

# The screen of the hotspot question: nothing on it marks the button to tap.
SUBMIT_SCREEN = Screen(
    "Cổng DVCQG – xác nhận nộp hồ sơ",
    APP_PORTAL,
    (
        Title("Xác nhận thông tin hồ sơ"),
        Text("Liên thông đăng ký khai sinh, đăng ký thường trú, cấp thẻ BHYT"),
        Field("Email nhận thông báo", "hoa.nguyen@gmail.com"),
        Check("Tôi cam đoan thông tin khai là đúng sự thật"),
        Button("Quay lại", primary=False),
        Button("Lưu nháp", primary=False),
        Button("Nộp hồ sơ"),
    ),
    address=PORTAL,
)

COURSE.quiz = Quiz(
    slug="kiem-tra-cuoi-khoa",
    title="Kiểm tra cuối khóa",
    intro=(
        "Mỗi lần làm bài, bạn nhận 8 câu rút ngẫu nhiên từ ngân hàng câu hỏi của "
        "khóa: nộp hồ sơ liên thông khai sinh, theo dõi và bổ sung, thanh toán phí, "
        "lệ phí, nhận kết quả. Thời gian 15 phút, đúng từ 70% là đạt, tối đa 3 lần. "
        "Đạt bài này mới hoàn thành khóa học."
    ),
    category="Nộp hồ sơ và thanh toán trực tuyến",
    pass_mark=70,
    max_attempts=3,
    time_limit_minutes=15,
    shuffle_questions=True,
    shuffle_choices=True,
    draw=8,
    required=True,
    pass_message=(
        "Chúc mừng, bạn đã đạt! Bạn đã có thể tự nộp hồ sơ, theo dõi, thanh toán và "
        "nhận kết quả trên Cổng, và hướng dẫn người khác làm theo."
    ),
    fail_message=(
        "Bạn chưa đạt lần này. Xem lại giải thích của các câu sai; lần làm sau sẽ "
        "có những câu hỏi khác rút từ cùng ngân hàng câu hỏi."
    ),
    questions=[
        single(
            "Hồ sơ liên thông cho trẻ em dưới 6 tuổi gộp những thủ tục nào vào một "
            "lần nộp?",
            right(
                "Đăng ký khai sinh, đăng ký thường trú và cấp thẻ bảo hiểm y tế",
                "Đúng. Cha mẹ không phải đi ba nơi.",
            ),
            wrong(
                "Đăng ký khai sinh, cấp thẻ căn cước và cấp hộ chiếu",
                "Chưa đúng. Nhóm liên thông này không gồm thẻ căn cước hay hộ chiếu.",
            ),
            wrong(
                "Đăng ký khai tử, xóa đăng ký thường trú và hỗ trợ chi phí mai táng",
                "Chưa đúng. Đó là nhóm thủ tục liên thông khai tử.",
            ),
            wrong(
                "Đăng ký khai sinh và nhập học mầm non",
                "Chưa đúng. Nhập học không thuộc nhóm thủ tục liên thông này.",
            ),
            explanation=(
                "Nhóm thủ tục liên thông gồm đăng ký khai sinh, đăng ký thường trú và "
                "cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi. Trên Cổng, chọn Dịch vụ "
                "công liên thông: khai sinh, khai tử."
            ),
        ),
        multiple(
            "Hồ sơ liên thông khai sinh được chuyển tới những cơ quan nào? (Chọn tất "
            "cả ý đúng.)",
            right("UBND cấp xã, để đăng ký khai sinh"),
            right("Cơ quan Công an, để đăng ký thường trú"),
            right("Cơ quan Bảo hiểm xã hội, để cấp thẻ bảo hiểm y tế"),
            wrong(
                "Ngân hàng nơi cha mẹ có tài khoản",
                "Chưa đúng. Ngân hàng chỉ dùng khi bạn thanh toán phí, lệ phí.",
            ),
            wrong(
                "Trường mầm non gần nhà",
                "Chưa đúng. Trường học không nhận hồ sơ này.",
            ),
            explanation=(
                "Hồ sơ được chuyển lần lượt tới UBND cấp xã (khai sinh), cơ quan Công "
                "an (thường trú) và cơ quan Bảo hiểm xã hội (thẻ BHYT)."
            ),
        ),
        true_false(
            "Đăng ký khai sinh đúng hạn không mất lệ phí.",
            True,
            explanation=(
                "Đăng ký khai sinh đúng hạn không mất lệ phí. Một số thủ tục khác, như "
                "cấp bản sao trích lục hộ tịch, có phí và được thanh toán trực tuyến "
                "trên Cổng."
            ),
            if_true="Đúng: khai sinh đúng hạn không mất lệ phí.",
            if_false="Chưa đúng: khai sinh đúng hạn được miễn lệ phí.",
        ),
        short_text(
            "Nộp xong, Cổng hiện một dãy như G33.15-250915-0042 để bạn ghi lại và tra "
            "cứu. Dãy đó gọi là gì?",
            "mã hồ sơ",
            "mã số hồ sơ",
            "số hồ sơ",
            explanation=(
                "Đó là mã hồ sơ. Ghi lại hoặc chụp màn hình trang nộp thành công: mã "
                "này dùng để tra cứu tiến độ và khi cần hỏi cán bộ."
            ),
        ),
        single(
            "Mạng chập chờn đúng lúc bạn bấm Nộp hồ sơ và màn hình không báo gì. Bạn "
            "làm gì?",
            right(
                "Mở Quản lý hồ sơ đã nộp xem hồ sơ đã vào chưa, rồi mới nộp lại nếu "
                "cần",
                "Đúng. Như vậy tránh được nộp trùng hai hồ sơ.",
            ),
            wrong(
                "Bấm Nộp hồ sơ thêm vài lần cho chắc",
                "Không nên: dễ thành hai hồ sơ trùng nhau.",
            ),
            wrong(
                "Khai lại từ đầu một hồ sơ mới ngay",
                "Chưa nên: hồ sơ cũ có thể đã vào, hãy kiểm tra trước.",
            ),
            explanation=(
                "Đừng bấm lại ngay: mở Quản lý hồ sơ đã nộp xem hồ sơ đã vào chưa, "
                "tránh nộp trùng hai hồ sơ."
            ),
        ),
        single(
            "Hồ sơ của bạn chuyển sang trạng thái “Yêu cầu bổ sung”. Điều đó nghĩa là "
            "gì?",
            right(
                "Cần gửi thêm hoặc sửa giấy tờ theo nội dung cán bộ ghi",
                "Đúng. Chỉ gửi đúng thứ được yêu cầu, hồ sơ giữ nguyên mã cũ.",
            ),
            wrong(
                "Hồ sơ bị từ chối, phải nộp hồ sơ mới",
                "Chưa đúng. Bổ sung ngay trong hồ sơ cũ; trạng thái Từ chối mới là "
                "bị từ chối.",
            ),
            wrong("Hồ sơ đã có kết quả", "Chưa đúng. Đó là trạng thái Hoàn thành."),
            wrong(
                "Cơ quan chưa mở hồ sơ",
                "Chưa đúng. Đó là trạng thái Đã nộp hoặc Chờ tiếp nhận.",
            ),
            explanation=(
                "Yêu cầu bổ sung nghĩa là cần gửi thêm hoặc sửa giấy tờ. Đọc kỹ nội "
                "dung cán bộ ghi, đính kèm giấy tờ mới và bấm Gửi bổ sung; hồ sơ giữ "
                "nguyên mã cũ."
            ),
        ),
        true_false(
            "Không đăng nhập được thì vẫn tra cứu được tiến độ hồ sơ: ở trang chủ Cổng "
            "chọn Tra cứu hồ sơ và nhập mã hồ sơ.",
            True,
            explanation=(
                "Mục Tra cứu hồ sơ ở trang chủ Cổng chỉ cần mã hồ sơ. Khi đăng nhập, "
                "bạn xem từng bước trong Quản lý hồ sơ đã nộp."
            ),
            if_true="Đúng: chỉ cần mã hồ sơ là tra cứu được.",
            if_false="Chưa đúng: chỉ cần mã hồ sơ là tra cứu được.",
        ),
        single(
            "Một người gọi điện tự xưng cán bộ xã, đề nghị bạn chuyển khoản lệ phí hồ "
            "sơ vào một tài khoản cá nhân cho nhanh. Bạn làm gì?",
            right(
                "Từ chối; chỉ thanh toán trong mục hồ sơ của mình trên Cổng",
                "Đúng. Tiền trả trên Cổng đi thẳng tới cơ quan giải quyết.",
            ),
            wrong(
                "Chuyển ngay để hồ sơ không bị chậm",
                "Không được: cơ quan nhà nước không thu phí, lệ phí vào tài khoản cá "
                "nhân.",
            ),
            wrong(
                "Chuyển trước một nửa, nửa còn lại khi có kết quả",
                "Không được: đây là dấu hiệu lừa đảo.",
            ),
            explanation=(
                "Cơ quan nhà nước không bao giờ gọi điện hay nhắn tin yêu cầu chuyển "
                "khoản phí, lệ phí vào tài khoản cá nhân. Tiền trả qua nền tảng thanh "
                "toán của Cổng đi thẳng tới cơ quan giải quyết."
            ),
        ),
        multiple(
            "Khi thanh toán lệ phí, bạn kiểm tra những gì trước khi nhập mã OTP của "
            "ngân hàng? (Chọn tất cả ý đúng.)",
            right("Đơn vị thụ hưởng là cơ quan giải quyết hồ sơ của bạn"),
            right("Số tiền đúng như trên Cổng"),
            right("Trang đang mở là trang của Cổng hoặc của chính ngân hàng bạn chọn"),
            wrong(
                "Đã đọc mã OTP cho cán bộ xã để họ xác nhận giúp",
                "Không được: mã OTP chỉ nhập vào trang hoặc ứng dụng ngân hàng, không "
                "đọc cho ai.",
            ),
            explanation=(
                "Trước khi nhập OTP, kiểm tra đơn vị thụ hưởng, số tiền và địa chỉ "
                "trang. Mã OTP xác nhận đúng giao dịch bạn đang làm, nên chỉ nhập vào "
                "trang hoặc ứng dụng ngân hàng."
            ),
        ),
        single(
            "Kết quả bản điện tử, như giấy khai sinh của trẻ, được lưu ở đâu để lần "
            "sau nộp hồ sơ bạn chọn lại thay vì chụp lại?",
            right(
                "Kho dữ liệu cá nhân trên Cổng",
                "Đúng. Lần sau bạn chọn giấy tờ từ kho thay vì chụp lại.",
            ),
            wrong(
                "Chỉ trong tin nhắn báo có kết quả",
                "Chưa đúng. Tin nhắn chỉ thông báo; kết quả lưu trong tài khoản.",
            ),
            wrong(
                "Ví giấy tờ của ứng dụng ngân hàng",
                "Chưa đúng. Ứng dụng ngân hàng không lưu kết quả hồ sơ.",
            ),
            wrong(
                "Không lưu được, mỗi lần phải chụp lại giấy tờ",
                "Chưa đúng. Kết quả và biên lai được lưu lại để dùng lần sau.",
            ),
            explanation=(
                "Kết quả và biên lai điện tử được lưu trong Kho dữ liệu cá nhân. Kết "
                "quả bản điện tử có giá trị sử dụng như bản giấy."
            ),
        ),
        ordering(
            "Sắp xếp các bước nộp một hồ sơ trực tuyến trên Cổng Dịch vụ công quốc "
            "gia theo đúng thứ tự.",
            "Đăng nhập Cổng bằng tài khoản định danh điện tử VNeID",
            "Tìm và chọn thủ tục cần làm",
            "Chọn cơ quan thực hiện thủ tục",
            "Điền tờ khai và đính kèm giấy tờ",
            "Kiểm tra lại thông tin rồi bấm Nộp hồ sơ",
            "Lưu mã hồ sơ để tra cứu tiến độ",
            explanation=(
                "Đăng nhập trước, rồi chọn thủ tục và nơi thực hiện; tờ khai và giấy "
                "tờ đính kèm đi cùng nhau; chỉ bấm Nộp hồ sơ sau khi kiểm tra lại; mã "
                "hồ sơ nhận được dùng để tra cứu và bổ sung sau này."
            ),
        ),
        hotspot(
            "Bạn đã điền xong tờ khai và kiểm tra lại. Chạm vào chỗ bạn bấm để gửi "
            "hồ sơ đi.",
            SUBMIT_SCREEN,
            ("Nộp hồ sơ", True),
            ("Lưu nháp", False),
            ("Quay lại", False),
            ("Email nhận thông báo", False),
            explanation=(
                "Nút Nộp hồ sơ gửi hồ sơ tới cơ quan giải quyết. Lưu nháp chỉ giữ hồ "
                "sơ trong tài khoản của bạn, chưa ai nhận được; Quay lại để sửa tờ "
                "khai."
            ),
        ),
    ],
)
