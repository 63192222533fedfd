"""Course: the VNeID electronic identity, from installing to integrated documents."""

from ..spec import (
    APP_STORE,
    APP_VNEID,
    Button,
    Card,
    Check,
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
    heading,
    image,
    link_button,
    matching,
    multiple,
    note,
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

HOME_TILES = (
    "Ví giấy tờ",
    "Thủ tục hành chính",
    "Quét mã QR",
    "Thông báo",
    "Tiện ích",
    "Cá nhân",
)

HOME = Screen(
    "VNeID – màn hình chính của tài khoản mức 2",
    APP_VNEID,
    (
        Title("Xin chào, Nguyễn Thị Hoa"),
        Notice("Tài khoản định danh điện tử mức 2", "ok"),
        Tiles(HOME_TILES),
    ),
)

STORE = Screen(
    "VNeID – tìm ứng dụng trong kho ứng dụng",
    APP_STORE,
    (
        Title("VNeID"),
        Text("Trung tâm dữ liệu quốc gia về dân cư"),
        Text("Ứng dụng định danh điện tử quốc gia · Bộ Công an", muted=True),
        Button("Cài đặt", highlight=True),
        Notice(
            "Kiểm tra tên nhà phát triển trước khi cài. Ứng dụng thật không được gửi "
            "qua đường link trong tin nhắn.",
            "warn",
        ),
    ),
    header="VNeID",
)

WELCOME = Screen(
    "VNeID – chọn Kích hoạt tài khoản định danh điện tử",
    APP_VNEID,
    (
        Title("Chào mừng đến với VNeID"),
        Text("Ứng dụng định danh điện tử quốc gia."),
        Button("Đăng nhập"),
        Button("Kích hoạt tài khoản định danh điện tử", primary=False, highlight=True),
        Button("Đăng ký", primary=False),
    ),
)

ACTIVATE = Screen(
    "VNeID – nhập số định danh cá nhân và số điện thoại",
    APP_VNEID,
    (
        Title("Kích hoạt tài khoản"),
        Field("Số định danh cá nhân", "033190001234"),
        Field("Số điện thoại", "0900 000 001"),
        Text(
            "Số điện thoại phải là số bạn đã khai khi đăng ký tại cơ quan Công an.",
            muted=True,
        ),
        Button("Gửi yêu cầu", highlight=True),
    ),
)

OTP = Screen(
    "VNeID – nhập mã kích hoạt gửi qua tin nhắn",
    APP_VNEID,
    (
        Title("Nhập mã kích hoạt"),
        Text("Mã gồm 6 chữ số đã được gửi tới số 0900 *** 001."),
        Otp("482913"),
        Text("Gửi lại mã sau 60 giây", muted=True),
        Button("Xác nhận", highlight=True),
    ),
)

PASSWORD = Screen(
    "VNeID – thiết lập mật khẩu",
    APP_VNEID,
    (
        Title("Thiết lập mật khẩu"),
        Field("Mật khẩu", "Hoa@DongHung25", secret=True),
        Field("Nhập lại mật khẩu", "Hoa@DongHung25", secret=True),
        Notice(
            "Từ 8 đến 20 ký tự, có chữ hoa, chữ thường, chữ số và ký tự đặc biệt.",
            "info",
        ),
        Button("Tiếp tục", highlight=True),
    ),
)

PASSCODE = Screen(
    "VNeID – thiết lập passcode 6 số",
    APP_VNEID,
    (
        Title("Thiết lập passcode"),
        Text(
            "Passcode gồm 6 chữ số, dùng để xác nhận khi bạn mở giấy tờ hoặc làm "
            "thủ tục trong ứng dụng."
        ),
        Otp("••••••"),
        Notice("Không dùng ngày sinh, số điện thoại hay 123456.", "warn"),
    ),
)

WALLET = Screen(
    "VNeID – mở Ví giấy tờ",
    APP_VNEID,
    (Title("Xin chào, Nguyễn Thị Hoa"), Tiles(HOME_TILES, highlight=0)),
)

WALLET_MENU = Screen(
    "VNeID – Ví giấy tờ, mục Tích hợp thông tin",
    APP_VNEID,
    (
        Title("Ví giấy tờ"),
        Menu(
            (
                "Thẻ căn cước",
                "Thẻ bảo hiểm y tế",
                "Mã số thuế",
                "Tích hợp thông tin",
            ),
            highlight=3,
        ),
    ),
    header="Ví giấy tờ",
)

NEW_REQUEST = Screen(
    "VNeID – tạo mới yêu cầu tích hợp",
    APP_VNEID,
    (
        Title("Tích hợp thông tin"),
        Text("Chưa có yêu cầu tích hợp nào.", muted=True),
        Button("Tạo mới yêu cầu", highlight=True),
    ),
    header="Ví giấy tờ",
)

LICENCE_FORM = Screen(
    "VNeID – khai thông tin giấy phép lái xe",
    APP_VNEID,
    (
        Title("Tạo mới yêu cầu"),
        Field("Loại giấy tờ", "Giấy phép lái xe", dropdown=True),
        Field("Số giấy phép lái xe", "330123456789"),
        Field("Hạng", "A1", dropdown=True),
        Check("Tôi xác nhận thông tin trên là đúng."),
        Button("Gửi yêu cầu", highlight=True),
    ),
    header="Ví giấy tờ",
)

CONFIRM_PASSCODE = Screen(
    "VNeID – xác nhận bằng passcode",
    APP_VNEID,
    (
        Title("Nhập mã passcode"),
        Text("Nhập passcode 6 số để gửi yêu cầu tích hợp."),
        Otp("••••••"),
    ),
)

LICENCE_DONE = Screen(
    "VNeID – giấy phép lái xe đã tích hợp",
    APP_VNEID,
    (
        Title("Ví giấy tờ"),
        Card(
            "Giấy phép lái xe",
            ("Nguyễn Thị Hoa", "Hạng: A1", "Tình trạng: Đã xác thực"),
            colour="#1d4ed8",
        ),
        Notice("Yêu cầu tích hợp đã được phê duyệt.", "ok"),
    ),
    header="Ví giấy tờ",
)

LICENCE_SHOW = Screen(
    "VNeID – xuất trình giấy phép lái xe bằng mã QR",
    APP_VNEID,
    (
        Card(
            "Giấy phép lái xe",
            ("Nguyễn Thị Hoa", "Số: 330123456789 · Hạng: A1"),
            colour="#1d4ed8",
        ),
        Qr("Đưa mã này cho cán bộ kiểm tra quét."),
    ),
    header="Ví giấy tờ",
)

FORGOT = Screen(
    "VNeID – màn hình đăng nhập, nút Quên mật khẩu",
    APP_VNEID,
    (
        Title("Đăng nhập"),
        Field("Số định danh cá nhân", "033190001234"),
        Field("Mật khẩu", placeholder="Nhập mật khẩu"),
        Button("Đăng nhập"),
        Button("Quên mật khẩu?", primary=False, highlight=True),
    ),
)


COURSE = Course(
    slug="tai-khoan-dinh-danh-dien-tu-vneid",
    title="Tài khoản định danh điện tử VNeID",
    summary=(
        "Cài ứng dụng VNeID đúng nguồn, kích hoạt tài khoản định danh điện tử mức 2 "
        "và dùng giấy tờ đã tích hợp thay cho bản giấy. Tài khoản này là chìa khóa "
        "để đăng nhập Cổng Dịch vụ công quốc gia và làm thủ tục trực tuyến."
    ),
    cover=Cover(
        "Ảnh bìa – Tài khoản định danh điện tử VNeID",
        "Tài khoản định danh điện tử VNeID",
        "Cài đặt, kích hoạt mức 2 và dùng giấy tờ tích hợp",
        "#c2410c",
        "id-card",
    ),
    audiences=("volunteer", "citizen", "student", "teacher"),
    minutes=35,
    outcomes=(
        "Phân biệt tài khoản định danh điện tử mức 1 và mức 2, biết mỗi mức dùng "
        "vào việc gì.",
        "Cài ứng dụng VNeID từ kho ứng dụng chính thức và kích hoạt tài khoản mức 2.",
        "Tích hợp giấy phép lái xe, thẻ bảo hiểm y tế vào Ví giấy tờ và xuất trình "
        "khi được yêu cầu.",
        "Lấy lại mật khẩu và đăng nhập trên điện thoại mới mà không mất tài khoản.",
    ),
)

COURSE.lessons = [
    Lesson(
        slug="vneid-la-gi",
        title="VNeID là gì? Tài khoản mức 1 và mức 2",
        intro=(
            "Ứng dụng VNeID dùng để làm gì, và vì sao cần tài khoản định danh điện tử "
            "mức 2 trước khi làm dịch vụ công trực tuyến."
        ),
        minutes=6,
        body=[
            paragraph(
                "VNeID là ứng dụng định danh điện tử do Trung tâm dữ liệu quốc gia về "
                "dân cư (Bộ Công an) phát triển. Tài khoản VNeID giúp bạn chứng minh "
                "mình là ai trên môi trường số: đăng nhập Cổng Dịch vụ công quốc gia, "
                "nộp hồ sơ, xuất trình giấy tờ.",
                "Từ ngày 01/7/2024, theo Nghị định 69/2024/NĐ-CP về định danh và xác "
                "thực điện tử, người dân dùng tài khoản định danh điện tử để đăng nhập "
                "Cổng Dịch vụ công quốc gia và cổng dịch vụ công của các bộ, ngành, "
                "địa phương. Tài khoản cá nhân tạo riêng trên Cổng trước đây không còn "
                "dùng.",
            ),
            heading("Hai mức tài khoản"),
            paragraph(
                ul(
                    "<b>Mức 1</b>: tự đăng ký trên ứng dụng bằng số định danh cá nhân, "
                    "số điện thoại và ảnh chân dung chụp qua ứng dụng. Dùng được một "
                    "số tiện ích cơ bản.",
                    "<b>Mức 2</b>: đăng ký tại cơ quan Công an, có đối chiếu ảnh chân "
                    "dung và vân tay, thường làm cùng lúc khi làm thẻ căn cước. Có giá "
                    "trị như thẻ căn cước khi xuất trình, dùng được cho hầu hết thủ "
                    "tục hành chính trực tuyến và để tích hợp giấy tờ.",
                )
            ),
            image(
                HOME,
                alt=(
                    "Màn hình chính ứng dụng VNeID: dòng chữ Tài khoản định danh điện "
                    "tử mức 2 và các ô Ví giấy tờ, Thủ tục hành chính, Quét mã QR."
                ),
                caption=(
                    "Màn hình chính VNeID khi đã có tài khoản mức 2 (ảnh minh họa)."
                ),
            ),
            note(
                "Nếu bạn đã làm thẻ căn cước hoặc căn cước công dân gắn chip, rất có "
                "thể cán bộ đã đăng ký tài khoản mức 2 cho bạn cùng lúc. Hãy tìm tin "
                "nhắn báo hồ sơ đăng ký tài khoản định danh điện tử đã được phê duyệt, "
                "rồi kích hoạt theo bài tiếp theo."
            ),
            heading("Bạn cần chuẩn bị"),
            paragraph(
                ul(
                    "Thẻ căn cước hoặc thẻ căn cước công dân gắn chip còn hạn.",
                    "Điện thoại thông minh dùng số thuê bao đứng tên chính bạn.",
                    "Số điện thoại đó phải đúng là số đã khai khi đăng ký tài khoản ở "
                    "cơ quan Công an.",
                )
            ),
            warning(
                "Tài khoản VNeID là của riêng mỗi người. Thành viên Tổ công nghệ số "
                "cộng đồng chỉ hướng dẫn, không giữ hộ mật khẩu, passcode hay mã OTP "
                "của người dân."
            ),
        ],
    ),
    Lesson(
        slug="cai-dat-va-kich-hoat-vneid",
        title="Cài đặt VNeID và kích hoạt tài khoản mức 2",
        intro=(
            "Cài ứng dụng VNeID chính thức và kích hoạt tài khoản định danh điện tử "
            "mức 2 sau khi đã đăng ký tại cơ quan Công an."
        ),
        minutes=10,
        body=[
            paragraph(
                "Bạn kích hoạt được tài khoản mức 2 khi hồ sơ đăng ký tại cơ quan Công "
                "an đã được phê duyệt. Lúc đó số điện thoại đã đăng ký nhận được tin "
                "nhắn mời truy cập ứng dụng VNeID hoặc trang vneid.gov.vn để kích hoạt."
            ),
            steps(
                "Cài ứng dụng",
                step(
                    "Mở kho ứng dụng và tìm VNeID",
                    "Điện thoại Android mở <b>CH Play</b>, iPhone mở <b>App Store</b>. "
                    "Gõ <b>VNeID</b> vào ô tìm kiếm.",
                    STORE,
                ),
                step(
                    "Kiểm tra nhà phát triển rồi bấm Cài đặt",
                    "Nhà phát triển phải là <b>Trung tâm dữ liệu quốc gia về dân "
                    "cư</b>. Không cài VNeID từ đường link hay tệp do người khác gửi "
                    "qua tin nhắn, Zalo, Facebook.",
                ),
            ),
            steps(
                "Kích hoạt tài khoản",
                step(
                    "Mở VNeID, chọn Kích hoạt tài khoản định danh điện tử",
                    "Nút này ở màn hình đầu tiên khi mở ứng dụng.",
                    WELCOME,
                ),
                step(
                    "Nhập số định danh cá nhân và số điện thoại, bấm Gửi yêu cầu",
                    "Số định danh cá nhân là dãy 12 chữ số in trên thẻ căn cước.",
                    ACTIVATE,
                ),
                step(
                    "Nhập mã kích hoạt (OTP) nhận qua tin nhắn",
                    "Mã gồm 6 chữ số, chỉ dùng một lần và hết hạn sau ít phút. Chỉ "
                    "nhập mã vào ứng dụng VNeID, không đọc mã cho ai.",
                    OTP,
                ),
                step(
                    "Đặt mật khẩu",
                    "Mật khẩu dài 8 đến 20 ký tự, có chữ hoa, chữ thường, chữ số và ký "
                    "tự đặc biệt như @ hay #.",
                    PASSWORD,
                ),
                step(
                    "Đặt passcode 6 số",
                    "Passcode dùng để xác nhận khi bạn mở giấy tờ hoặc làm thủ tục "
                    "trong ứng dụng.",
                    PASSCODE,
                ),
                step(
                    "Chọn và trả lời câu hỏi bảo mật",
                    "Ghi nhớ câu trả lời: chúng giúp bạn lấy lại tài khoản khi cần.",
                ),
                step(
                    "Đăng nhập lại và kiểm tra mức tài khoản",
                    "Màn hình chính hiện dòng <b>Tài khoản định danh điện tử mức 2</b> "
                    "là bạn đã xong.",
                    HOME,
                ),
            ),
            tip(
                "Không nhận được mã? Kiểm tra sóng điện thoại và hộp tin nhắn, chờ một "
                "phút rồi bấm gửi lại. Nếu ứng dụng báo số điện thoại không khớp, hãy "
                "đến Công an xã, phường nơi cư trú để cập nhật số điện thoại."
            ),
            warning(
                "Cán bộ Công an không gọi điện hướng dẫn kích hoạt VNeID và không gửi "
                "đường link để bạn cài ứng dụng. Ai làm vậy là kẻ lừa đảo: hãy cúp máy."
            ),
            link_button(
                "Trang định danh điện tử VNeID",
                "https://vneid.gov.vn",
                "Trang chính thức của Bộ Công an về tài khoản định danh điện tử.",
            ),
        ],
    ),
    Lesson(
        slug="tich-hop-giay-to-vneid",
        title="Tích hợp và xuất trình giấy tờ trên VNeID",
        intro=(
            "Đưa giấy phép lái xe, thẻ bảo hiểm y tế và giấy tờ khác vào Ví giấy tờ "
            "của VNeID, rồi xuất trình khi được yêu cầu."
        ),
        minutes=9,
        body=[
            paragraph(
                "Với tài khoản mức 2, VNeID có mục <b>Ví giấy tờ</b>: thẻ căn cước "
                "điện tử và các giấy tờ đã tích hợp như giấy phép lái xe, đăng ký xe, "
                "thẻ bảo hiểm y tế, mã số thuế. Một số giấy tờ được đưa vào tự động; "
                "số khác bạn gửi yêu cầu tích hợp."
            ),
            steps(
                "Gửi yêu cầu tích hợp giấy phép lái xe",
                step(
                    "Mở Ví giấy tờ",
                    "Ở màn hình chính, chạm ô <b>Ví giấy tờ</b>.",
                    WALLET,
                ),
                step(
                    "Chọn Tích hợp thông tin",
                    "Giấy tờ đã có hiện ở đầu danh sách; mục tích hợp ở cuối.",
                    WALLET_MENU,
                ),
                step("Bấm Tạo mới yêu cầu", "", NEW_REQUEST),
                step(
                    "Chọn loại giấy tờ và khai thông tin",
                    "Chọn <b>Giấy phép lái xe</b>, nhập số giấy phép và hạng đúng như "
                    "trên bản giấy, đánh dấu xác nhận rồi bấm <b>Gửi yêu cầu</b>.",
                    LICENCE_FORM,
                ),
                step("Nhập passcode để xác nhận", "", CONFIRM_PASSCODE),
                step(
                    "Chờ duyệt và kiểm tra lại trong Ví giấy tờ",
                    "Khi yêu cầu được duyệt, giấy tờ hiện trong Ví giấy tờ kèm dòng "
                    "<b>Đã xác thực</b>.",
                    LICENCE_DONE,
                ),
            ),
            heading("Xuất trình giấy tờ khi được yêu cầu"),
            paragraph(
                "Khi đi khám chữa bệnh bảo hiểm y tế, bạn có thể đưa thẻ căn cước hoặc "
                "mở thẻ bảo hiểm y tế trong VNeID thay cho thẻ giấy. Khi Cảnh sát giao "
                "thông kiểm tra, giấy phép lái xe và đăng ký xe đã tích hợp trên tài "
                "khoản mức 2 được xuất trình thay bản giấy.",
                "Mở giấy tờ cần xuất trình, nhập passcode, rồi đưa màn hình cho cán bộ "
                "xem hoặc để cán bộ quét mã QR.",
            ),
            image(
                LICENCE_SHOW,
                alt="Giấy phép lái xe trong Ví giấy tờ của VNeID, bên dưới là mã QR.",
                caption=(
                    "Giấy phép lái xe trong Ví giấy tờ, kèm mã QR để cán bộ kiểm tra "
                    "(ảnh minh họa)."
                ),
            ),
            tip(
                "Sạc đầy pin và mở sẵn VNeID trước khi đến quầy: xuất trình trên điện "
                "thoại chỉ nhanh khi điện thoại còn pin."
            ),
            note(
                "Giấy tờ chỉ có giá trị khi mở trong ứng dụng VNeID của chính bạn. Ảnh "
                "chụp màn hình không thay được giấy tờ."
            ),
        ],
    ),
    Lesson(
        slug="giu-tai-khoan-vneid",
        title="Quên mật khẩu, đổi điện thoại: giữ tài khoản VNeID",
        intro=(
            "Lấy lại mật khẩu, đăng nhập trên điện thoại mới và những việc không bao "
            "giờ làm với tài khoản VNeID."
        ),
        minutes=6,
        body=[
            paragraph(
                "Mỗi tài khoản VNeID chỉ đăng nhập trên một điện thoại tại một thời "
                "điểm. Đăng nhập trên máy mới thì máy cũ tự đăng xuất, và ứng dụng sẽ "
                "gửi mã OTP tới số điện thoại đã đăng ký để xác thực."
            ),
            steps(
                "Lấy lại mật khẩu khi quên",
                step(
                    "Ở màn hình đăng nhập, bấm Quên mật khẩu",
                    "",
                    FORGOT,
                ),
                step(
                    "Nhập số định danh cá nhân và số điện thoại đã đăng ký",
                    "Hai thông tin này phải khớp với hồ sơ tài khoản.",
                ),
                step(
                    "Nhập mã OTP, rồi đặt mật khẩu mới",
                    "Chọn mật khẩu khác hẳn mật khẩu cũ.",
                ),
            ),
            heading("Khi đổi hoặc mất điện thoại"),
            paragraph(
                ul(
                    "<b>Đổi máy, giữ số</b>: cài VNeID trên máy mới, đăng nhập bằng số "
                    "định danh và mật khẩu, nhập mã OTP gửi tới số điện thoại.",
                    "<b>Đổi số điện thoại</b>: đến Công an xã, phường nơi cư trú để "
                    "cập nhật số mới trước, vì mã OTP chỉ gửi tới số đã đăng ký.",
                    "<b>Mất điện thoại</b>: báo nhà mạng khóa sim ngay và làm lại sim "
                    "cùng số, rồi đăng nhập VNeID trên máy khác (máy bị mất tự đăng "
                    "xuất) và đổi mật khẩu.",
                )
            ),
            warning(
                "Không cho ai mượn tài khoản, không đăng nhập VNeID của mình trên điện "
                "thoại người khác, kể cả người tự xưng là cán bộ hỗ trợ. Ai có mật "
                "khẩu và passcode của bạn có thể nhân danh bạn làm thủ tục."
            ),
            tip(
                "Khi hỗ trợ người cao tuổi, để họ tự nhập mật khẩu và passcode; bạn "
                "chỉ chỉ chỗ bấm. Nếu họ muốn ghi mật khẩu ra giấy, khuyên họ cất ở "
                "nơi kín đáo, không để chung với điện thoại."
            ),
        ],
    ),
]

COURSE.quiz = Quiz(
    slug="kiem-tra-cuoi-khoa",
    title="Kiểm tra cuối khóa",
    intro=(
        "9 câu hỏi về tài khoản định danh điện tử: mức 1 và mức 2, kích hoạt, mật "
        "khẩu, Ví giấy tờ và giữ tài khoản an toàn. Đúng từ 70% là đạt; bạn có 3 "
        "lần làm bài, thứ tự câu hỏi mỗi lần một khác. Đạt bài này mới hoàn thành "
        "khóa học."
    ),
    category="VNeID",
    pass_mark=70,
    max_attempts=3,
    shuffle_questions=True,
    shuffle_choices=True,
    required=True,
    pass_message=(
        "Chúc mừng, bạn đã đạt! Bạn đã nắm được cách kích hoạt và giữ tài khoản "
        "VNeID. Hãy giúp một người trong gia đình kích hoạt tài khoản mức 2 của họ."
    ),
    fail_message=(
        "Bạn chưa đạt lần này. Xem lại phần giải thích của từng câu, đọc lại bài "
        "“Cài đặt VNeID và kích hoạt tài khoản mức 2” rồi làm lại."
    ),
    questions=[
        single(
            "Ứng dụng VNeID do cơ quan nào phát triển?",
            right(
                "Trung tâm dữ liệu quốc gia về dân cư (Bộ Công an)",
                "Đúng. Khi cài, hãy kiểm tra tên nhà phát triển này trong kho ứng "
                "dụng.",
            ),
            wrong(
                "Ủy ban nhân dân cấp xã",
                "Chưa đúng. UBND xã giải quyết nhiều thủ tục, nhưng không phát "
                "triển VNeID.",
            ),
            wrong(
                "Ngân hàng Nhà nước Việt Nam",
                "Chưa đúng. VNeID không phải ứng dụng ngân hàng.",
            ),
            wrong(
                "Một công ty công nghệ tư nhân",
                "Chưa đúng. Ứng dụng nào mang tên VNeID mà nhà phát triển không "
                "phải Trung tâm dữ liệu quốc gia về dân cư là ứng dụng giả.",
            ),
            explanation=(
                "VNeID là ứng dụng định danh điện tử do Trung tâm dữ liệu quốc gia về "
                "dân cư (Bộ Công an) phát triển. Chỉ cài từ CH Play hoặc App Store, "
                "sau khi kiểm tra đúng tên nhà phát triển."
            ),
        ),
        single(
            "Tài khoản định danh điện tử mức 2 được đăng ký ở đâu?",
            right(
                "Tại cơ quan Công an, có đối chiếu ảnh chân dung và vân tay",
                "Đúng. Thường làm cùng lúc khi làm thẻ căn cước.",
            ),
            wrong(
                "Tự đăng ký trên ứng dụng, chỉ cần số điện thoại và ảnh chân dung",
                "Chưa đúng. Tự đăng ký trên ứng dụng chỉ được tài khoản mức 1.",
            ),
            wrong(
                "Trên Cổng Dịch vụ công quốc gia",
                "Chưa đúng. Cổng dùng tài khoản định danh điện tử để đăng nhập, "
                "không cấp tài khoản này.",
            ),
            wrong(
                "Tại cửa hàng của nhà mạng điện thoại",
                "Chưa đúng. Nhà mạng chỉ quản lý số thuê bao của bạn.",
            ),
            explanation=(
                "Mức 1 tự đăng ký trên ứng dụng và chỉ dùng được một số tiện ích cơ "
                "bản. Mức 2 đăng ký tại cơ quan Công an, có đối chiếu ảnh chân dung "
                "và vân tay, dùng được cho hầu hết thủ tục trực tuyến và để tích hợp "
                "giấy tờ."
            ),
        ),
        true_false(
            "Từ ngày 01/7/2024, người dân vẫn đăng nhập Cổng Dịch vụ công quốc gia "
            "bằng tài khoản riêng đã tạo trên Cổng trước đây.",
            False,
            explanation=(
                "Theo Nghị định 69/2024/NĐ-CP, từ ngày 01/7/2024 người dân dùng tài "
                "khoản định danh điện tử để đăng nhập Cổng Dịch vụ công quốc gia và "
                "cổng dịch vụ công của các bộ, ngành, địa phương. Tài khoản tạo riêng "
                "trên Cổng trước đây không còn dùng."
            ),
            if_true="Chưa đúng: tài khoản tạo riêng trên Cổng không còn dùng.",
            if_false="Đúng: giờ chỉ đăng nhập bằng tài khoản định danh điện tử.",
        ),
        short_text(
            "Khi kích hoạt tài khoản, bạn nhập số định danh cá nhân in trên thẻ căn "
            "cước. Số này gồm bao nhiêu chữ số? (Gõ con số.)",
            "12",
            "12 chữ số",
            "12 số",
            "mười hai",
            explanation=(
                "Số định danh cá nhân là dãy 12 chữ số in trên thẻ căn cước. Bạn nhập "
                "số này cùng số điện thoại đã đăng ký khi kích hoạt, khi đăng nhập và "
                "khi lấy lại mật khẩu."
            ),
        ),
        multiple(
            "Mật khẩu VNeID phải thế nào? (Chọn tất cả ý đúng.)",
            right("Dài từ 8 đến 20 ký tự"),
            right("Có cả chữ hoa và chữ thường"),
            right("Có chữ số và ký tự đặc biệt như @ hay #"),
            wrong(
                "Trùng với ngày sinh để khỏi quên",
                "Không nên: ngày sinh là thứ kẻ gian đoán đầu tiên.",
            ),
            wrong(
                "Giống passcode 6 số cho dễ nhớ",
                "Không nên: mật khẩu và passcode là hai lớp bảo vệ khác nhau.",
            ),
            explanation=(
                "Mật khẩu VNeID dài 8 đến 20 ký tự, có chữ hoa, chữ thường, chữ số và "
                "ký tự đặc biệt. Passcode là 6 chữ số riêng, dùng để xác nhận trong "
                "ứng dụng."
            ),
        ),
        single(
            "Trong Ví giấy tờ, bạn chọn mục nào để gửi yêu cầu tích hợp giấy phép lái "
            "xe?",
            right(
                "Tích hợp thông tin",
                "Đúng. Sau đó bấm Tạo mới yêu cầu và chọn Giấy phép lái xe.",
            ),
            wrong(
                "Quét mã QR",
                "Chưa đúng. Quét mã QR dùng để đăng nhập trên web hoặc đọc mã của "
                "người khác.",
            ),
            wrong(
                "Thủ tục hành chính",
                "Chưa đúng. Mục tích hợp giấy tờ nằm trong Ví giấy tờ.",
            ),
            wrong(
                "Thông báo", "Chưa đúng. Mục này chỉ hiện các thông báo gửi tới bạn."
            ),
            explanation=(
                "Mở Ví giấy tờ, chọn Tích hợp thông tin, bấm Tạo mới yêu cầu, khai "
                "số và hạng giấy phép đúng như bản giấy, nhập passcode rồi chờ duyệt. "
                "Giấy tờ được duyệt hiện dòng Đã xác thực."
            ),
        ),
        true_false(
            "Khi Cảnh sát giao thông kiểm tra, ảnh chụp màn hình giấy phép lái xe "
            "trong VNeID dùng được thay cho bản giấy.",
            False,
            explanation=(
                "Giấy tờ chỉ có giá trị khi mở trong ứng dụng VNeID của chính bạn: mở "
                "giấy tờ, nhập passcode, rồi đưa màn hình cho cán bộ xem hoặc để cán "
                "bộ quét mã QR. Ảnh chụp màn hình không thay được giấy tờ."
            ),
            if_true="Chưa đúng: phải mở giấy tờ trong ứng dụng VNeID của bạn.",
            if_false="Đúng: ảnh chụp màn hình không thay được giấy tờ.",
        ),
        single(
            "Bạn đổi sang số điện thoại mới. Muốn nhận mã OTP của VNeID ở số mới, "
            "trước hết bạn cần làm gì?",
            right(
                "Đến Công an xã, phường nơi cư trú để cập nhật số mới",
                "Đúng. Mã OTP chỉ gửi tới số đã đăng ký.",
            ),
            wrong(
                "Nhờ nhà mạng chuyển tài khoản VNeID sang số mới",
                "Chưa đúng. Nhà mạng không quản lý tài khoản định danh điện tử.",
            ),
            wrong(
                "Đăng ký một tài khoản VNeID mới bằng số mới",
                "Chưa đúng. Mỗi người một tài khoản; chỉ cần cập nhật số điện thoại.",
            ),
            wrong(
                "Nhờ thành viên Tổ công nghệ số đăng nhập hộ trên máy của họ",
                "Không nên: không đăng nhập VNeID của mình trên điện thoại người khác.",
            ),
            explanation=(
                "Mã OTP chỉ gửi tới số điện thoại đã đăng ký, nên đổi số thì phải đến "
                "Công an xã, phường nơi cư trú cập nhật số mới trước. Đổi máy mà giữ "
                "số thì chỉ cần cài VNeID trên máy mới và đăng nhập."
            ),
        ),
        true_false(
            "Để tiện hỗ trợ người cao tuổi, thành viên Tổ công nghệ số cộng đồng có "
            "thể giữ hộ mật khẩu và passcode VNeID của họ.",
            False,
            explanation=(
                "Tài khoản VNeID là của riêng mỗi người. Thành viên Tổ công nghệ số "
                "cộng đồng chỉ hướng dẫn, để người dân tự nhập mật khẩu, passcode và "
                "mã OTP; ai có mật khẩu và passcode có thể nhân danh họ làm thủ tục."
            ),
            if_true="Chưa đúng: không giữ hộ mật khẩu, passcode hay mã OTP của ai.",
            if_false="Đúng: bạn chỉ chỉ chỗ bấm, người dân tự nhập.",
        ),
        matching(
            "Ghép mỗi mục với điều đúng về nó.",
            ("Tài khoản định danh mức 1", "Tự đăng ký trên ứng dụng VNeID"),
            (
                "Tài khoản định danh mức 2",
                "Đăng ký tại cơ quan Công an, có thu ảnh chân dung và vân tay",
            ),
            ("Mã kích hoạt tài khoản", "Gửi về số điện thoại qua tin nhắn SMS"),
            ("", "Mua tại cửa hàng điện thoại"),
            explanation=(
                "Mức 1 tự đăng ký trên ứng dụng; mức 2 đăng ký tại Công an vì cần "
                "thu ảnh chân dung và vân tay; mã kích hoạt gửi qua SMS về số điện "
                "thoại đã đăng ký. Không ai bán tài khoản VNeID."
            ),
        ),
    ],
)
