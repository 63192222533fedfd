"""Course: basic digital safety (scam calls and messages, OTP, passwords, phishing)."""

from ..spec import (
    AFTER_EACH,
    APP_BROWSER,
    APP_CALL,
    APP_SMS,
    APP_VNEID,
    Button,
    Call,
    Course,
    Cover,
    Field,
    Handout,
    Lesson,
    Notice,
    Quiz,
    Screen,
    Sms,
    Text,
    Title,
    document,
    gap_select,
    heading,
    image,
    link_button,
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

REMINDER = Handout(
    title="Bảy điều ghi nhớ để an toàn trên mạng",
    filename="bay-dieu-ghi-nho-an-toan-tren-mang.pdf",
    heading="Bảy điều ghi nhớ để an toàn trên mạng",
    intro=(
        "In ra, dán cạnh nơi để điện thoại hoặc tại điểm hỗ trợ của Tổ công nghệ số "
        "cộng đồng. Đọc lại mỗi khi nhận một cuộc gọi hay tin nhắn lạ."
    ),
    sections=(
        (
            "Cuộc gọi và tin nhắn",
            (
                "Công an, Tòa án, Viện kiểm sát không làm việc qua điện thoại và không "
                "yêu cầu chuyển tiền để “xác minh”.",
                "Cán bộ không gọi điện hướng dẫn cài ứng dụng hay “nâng cấp” VNeID.",
                "Không bao giờ đọc, nhắn hay chụp mã OTP cho bất kỳ ai.",
            ),
        ),
        (
            "Đường link và ứng dụng",
            (
                "Trang của cơ quan nhà nước kết thúc bằng .gov.vn. Tự gõ địa chỉ, "
                "không bấm link trong tin nhắn lạ.",
                "Chỉ cài ứng dụng từ CH Play hoặc App Store; không cài tệp .apk người "
                "khác gửi.",
            ),
        ),
        (
            "Mật khẩu",
            (
                "Mật khẩu dài, khác nhau cho VNeID, ngân hàng và thư điện tử.",
                "Bị lừa hoặc nghi bị lừa: gọi ngay ngân hàng để khóa tài khoản, báo "
                "Công an xã, phường nơi gần nhất hoặc gọi 113.",
            ),
        ),
    ),
    footer="Tài liệu của khóa học An toàn số cơ bản.",
)

POLICE_CALL = Screen(
    "Cuộc gọi giả danh công an",
    APP_CALL,
    (
        Call("0812 345 678", "Cuộc gọi đến · Không có trong danh bạ"),
        Notice(
            "“Tôi là cán bộ Công an. Chị liên quan đến một đường dây rửa tiền, phải "
            "chuyển tiền vào tài khoản tạm giữ để xác minh.”",
            "danger",
        ),
    ),
)

FAKE_VNEID_SMS = Screen(
    "Tin nhắn giả mạo – cập nhật VNeID",
    APP_SMS,
    (
        Sms(
            "0938 *** 214",
            "Cong an xa thong bao: tai khoan dinh danh dien tu cua ban se bi khoa do "
            "chua dong bo muc 2. Cap nhat ngay tai http://vneid-capnhat.com",
            "Hôm nay 08:15",
            danger=True,
        ),
        Sms(
            "Zalo: Cán bộ hỗ trợ",
            "Anh tai ung dung VNeID ban moi de kich hoat: "
            "http://vneid-gov.vip/VNeID.apk",
            "Hôm nay 08:21",
            danger=True,
        ),
    ),
    header="0938 *** 214",
)

FAKE_BILL_SMS = Screen(
    "Tin nhắn giả mạo – cắt điện, phạt nguội",
    APP_SMS,
    (
        Sms(
            "DIENLUC-VN",
            "Quy khach no tien dien thang 8, se bi cat dien sau 2 gio. Thanh toan tai "
            "https://evn-thanhtoan.vip",
            "Hôm qua 19:02",
            danger=True,
        ),
        Sms(
            "CSGT",
            "Phuong tien cua ban co bien ban phat nguoi chua nop. Tra cuu tai "
            "https://csgt-tracuu.vip truoc 17h hom nay.",
            "Hôm nay 07:58",
            danger=True,
        ),
    ),
    header="Tin nhắn",
)

BANK_OTP_SMS = Screen(
    "Tin nhắn mã OTP thật của ngân hàng",
    APP_SMS,
    (
        Sms(
            "NganHang",
            "Ma OTP cua Quy khach la 291745 de thanh toan 16.000 VND. TUYET DOI KHONG "
            "cung cap ma OTP cho bat ky ai, ke ca nhan vien ngan hang.",
            "09:41",
        ),
        Sms(
            "0705 *** 882",
            "Chi oi em gui nham ma OTP vao so chi, chi doc lai giup em ma vua nhan "
            "voi a. Em cam on chi nhieu!",
            "09:42",
            danger=True,
        ),
    ),
    header="Tin nhắn",
)

STRONG_PASSWORD = Screen(
    "VNeID – đổi sang mật khẩu mạnh",
    APP_VNEID,
    (
        Title("Đổi mật khẩu"),
        Field("Mật khẩu hiện tại", "aaaaaaaa", secret=True),
        Field("Mật khẩu mới", "Lua-chin-vang.2025", secret=True),
        Notice("Độ mạnh: Mạnh · 18 ký tự, có chữ hoa, chữ số, ký tự đặc biệt.", "ok"),
        Button("Lưu mật khẩu"),
    ),
    header="Cài đặt tài khoản",
)

PHISHING_PAGE = Screen(
    "Trang giả mạo Cổng Dịch vụ công",
    APP_BROWSER,
    (
        Title("Xác thực hoàn tiền lệ phí"),
        Field("Số tài khoản ngân hàng", placeholder="Nhập số tài khoản"),
        Field("Mật khẩu ngân hàng điện tử", placeholder="Nhập mật khẩu"),
        Field("Mã OTP", placeholder="Nhập mã OTP vừa nhận"),
        Notice(
            "Địa chỉ không kết thúc bằng .gov.vn, lại đòi mật khẩu ngân hàng và mã "
            "OTP: đây là trang giả.",
            "danger",
        ),
    ),
    address="dichvucong-gov.vn-hoantien.top",
    header="CỔNG DỊCH VỤ CÔNG",
)

UNKNOWN_APP = Screen(
    "Cảnh báo cài ứng dụng không rõ nguồn gốc",
    APP_BROWSER,
    (
        Title("Cài đặt ứng dụng không rõ nguồn gốc?"),
        Text(
            "Tệp VNeID.apk được tải từ vneid-gov.vip. Vì lý do bảo mật, điện thoại "
            "chặn cài ứng dụng từ nguồn này."
        ),
        Notice("Ứng dụng thật chỉ có trên CH Play và App Store.", "warn"),
        Button("Hủy", highlight=True),
        Button("Cài đặt", primary=False),
    ),
    address="vneid-gov.vip/VNeID.apk",
)


COURSE = Course(
    slug="an-toan-so-co-ban",
    title="An toàn số cơ bản",
    summary=(
        "Nhận ra cuộc gọi, tin nhắn giả danh công an, cán bộ; giữ kín mã OTP; đặt mật "
        "khẩu mạnh và tránh đường link, ứng dụng giả mạo. Ba bài ngắn cho người dân, "
        "học sinh và thành viên Tổ công nghệ số cộng đồng."
    ),
    cover=Cover(
        "Ảnh bìa – An toàn số cơ bản",
        "An toàn số cơ bản",
        "Nhận diện lừa đảo, giữ kín mã OTP, đặt mật khẩu mạnh",
        "#047857",
        "shield",
    ),
    audiences=("volunteer", "student", "teacher", "official", "citizen"),
    minutes=25,
    outcomes=(
        "Nhận ra dấu hiệu của cuộc gọi, tin nhắn giả danh công an, cán bộ, điện lực, "
        "ngân hàng.",
        "Hiểu mã OTP là gì và không bao giờ đưa mã cho người khác.",
        "Đặt mật khẩu mạnh, khác nhau cho từng tài khoản quan trọng.",
        "Kiểm tra đường link trước khi bấm và chỉ cài ứng dụng từ kho chính thức.",
        "Biết báo cho ai khi bị lừa hoặc nghi bị lừa.",
    ),
)

COURSE.lessons = [
    Lesson(
        slug="nhan-dien-cuoc-goi-tin-nhan-lua-dao",
        title="Nhận diện cuộc gọi, tin nhắn giả danh công an, cán bộ",
        intro=(
            "Những kịch bản lừa đảo hay gặp nhất và ba câu hỏi giúp bạn nhận ra chúng "
            "trong vài giây."
        ),
        minutes=8,
        body=[
            paragraph(
                "Kẻ lừa đảo thường tự xưng là công an, cán bộ xã, nhân viên điện lực, "
                "ngân hàng hay giáo viên. Chúng biết họ tên, số căn cước, thậm chí địa "
                "chỉ của bạn, vì thông tin cá nhân bị lộ ở nhiều nơi. Biết tên bạn "
                "không chứng minh họ là cán bộ thật."
            ),
            image(
                POLICE_CALL,
                alt=(
                    "Màn hình cuộc gọi đến từ số lạ, kèm lời tự xưng là cán bộ Công an "
                    "yêu cầu chuyển tiền vào tài khoản tạm giữ."
                ),
                caption=(
                    "Kịch bản quen thuộc: giả danh công an, dọa liên quan vụ án rồi "
                    "đòi chuyển tiền (ảnh minh họa)."
                ),
            ),
            heading("Những kịch bản hay gặp"),
            paragraph(
                ul(
                    "<b>Giả danh công an</b>: báo bạn liên quan vụ án, rửa tiền, ma "
                    "túy; đòi chuyển tiền vào “tài khoản tạm giữ” hoặc giữ bí mật với "
                    "gia đình.",
                    "<b>Giả danh cán bộ hỗ trợ VNeID</b>: đòi “cập nhật”, “đồng bộ” "
                    "tài khoản mức 2, gửi link cài ứng dụng giả.",
                    "<b>Giả danh điện lực, CSGT</b>: báo cắt điện, phạt nguội, kèm "
                    "đường link thanh toán.",
                    "<b>Giả danh giáo viên, bệnh viện</b>: báo con đang cấp cứu, cần "
                    "chuyển tiền ngay.",
                    "<b>Nhắn “gửi nhầm mã”</b>: nhờ bạn đọc lại mã OTP vừa nhận.",
                )
            ),
            image(
                FAKE_VNEID_SMS,
                alt=(
                    "Tin nhắn giả mạo đòi cập nhật tài khoản định danh mức 2 qua đường "
                    "link lạ, và tin Zalo gửi tệp VNeID.apk."
                ),
                caption=(
                    "Tin nhắn giả: hối thúc, dọa khóa tài khoản và kèm đường link lạ "
                    "(ảnh minh họa)."
                ),
            ),
            heading("Ba câu hỏi trước khi làm theo"),
            paragraph(
                ul(
                    "Họ có <b>đòi tiền, mã OTP, mật khẩu</b> hay bắt cài ứng dụng "
                    "không?",
                    "Họ có <b>hối thúc</b>, dọa nạt, bắt giữ bí mật không?",
                    "Đường link có kết thúc bằng <b>.gov.vn</b> hay là tên miền lạ?",
                ),
                "Chỉ một câu trả lời “có” là đủ để dừng lại.",
            ),
            warning(
                "Công an không làm việc, không lấy lời khai qua điện thoại hay video "
                "call, không yêu cầu chuyển tiền để xác minh. Gặp cuộc gọi như vậy, "
                "hãy cúp máy và báo Công an xã, phường nơi gần nhất."
            ),
            image(
                FAKE_BILL_SMS,
                alt=(
                    "Hai tin nhắn giả: điện lực báo cắt điện và CSGT báo phạt nguội, "
                    "đều kèm đường link thanh toán lạ."
                ),
                caption=(
                    "Tin nhắn giả điện lực, CSGT: tên người gửi trông thật nhưng đường "
                    "link thì không (ảnh minh họa)."
                ),
            ),
            tip(
                "Muốn kiểm tra? Cúp máy rồi tự gọi lại số tổng đài chính thức in trên "
                "hóa đơn, trên thẻ ngân hàng, hoặc đến trụ sở Công an xã. Đừng gọi lại "
                "số vừa gọi cho bạn."
            ),
        ],
    ),
    Lesson(
        slug="ma-otp-va-mat-khau-manh",
        title="Mã OTP và mật khẩu mạnh",
        intro=(
            "Mã OTP là chữ ký của bạn cho một giao dịch. Học cách giữ kín mã OTP và "
            "đặt mật khẩu khó đoán mà vẫn dễ nhớ."
        ),
        minutes=7,
        body=[
            paragraph(
                "OTP là mã dùng một lần, thường 6 chữ số, do ngân hàng, VNeID hay Cổng "
                "Dịch vụ công gửi khi bạn đăng nhập hoặc xác nhận giao dịch. Ai có mã "
                "OTP của bạn có thể chuyển tiền hay đăng nhập thay bạn, dù không biết "
                "mật khẩu."
            ),
            image(
                BANK_OTP_SMS,
                alt=(
                    "Tin nhắn mã OTP thật của ngân hàng có dòng cảnh báo không cung "
                    "cấp cho ai, bên dưới là tin nhắn lạ nhờ đọc lại mã."
                ),
                caption=(
                    "Tin OTP thật luôn nhắc: không cung cấp mã cho bất kỳ ai (ảnh minh "
                    "họa)."
                ),
            ),
            warning(
                "Không ai có quyền hỏi mã OTP của bạn: không nhân viên ngân hàng, "
                "không cán bộ, không “người gửi nhầm”. Đọc kỹ nội dung tin OTP: nếu số "
                "tiền hay việc được xác nhận không phải việc bạn đang làm, đừng nhập "
                "mã."
            ),
            note(
                "Từ tháng 7/2024, ngân hàng yêu cầu xác thực khuôn mặt cho các lần "
                "chuyển tiền lớn. Kẻ gian vì thế hay đòi bạn “quay video khuôn mặt” "
                "hay “xác thực sinh trắc học” qua đường link lạ: đừng làm theo."
            ),
            heading("Đặt mật khẩu mạnh"),
            paragraph(
                ul(
                    "<b>Dài</b>: từ 12 ký tự trở lên. Một cụm từ chỉ bạn biết, như "
                    "<i>Lua-chin-vang.2025</i>, vừa dài vừa dễ nhớ.",
                    "<b>Không đoán được</b>: tránh ngày sinh, số điện thoại, tên con, "
                    "123456.",
                    "<b>Mỗi tài khoản một mật khẩu</b>: VNeID, ngân hàng và thư điện "
                    "tử không dùng chung. Một nơi bị lộ không kéo theo nơi khác.",
                    "<b>Không lưu mật khẩu trong ảnh hay tin nhắn</b> trên điện thoại.",
                )
            ),
            steps(
                "Đổi mật khẩu VNeID",
                step(
                    "Mở VNeID, vào Cá nhân, chọn đổi mật khẩu",
                    "Nhập mật khẩu hiện tại, rồi mật khẩu mới hai lần.",
                    STRONG_PASSWORD,
                ),
                step(
                    "Nhập passcode hoặc mã OTP để xác nhận",
                    "Sau khi đổi, bạn đăng nhập lại bằng mật khẩu mới.",
                ),
            ),
            tip(
                "Bật khóa màn hình điện thoại bằng mã số hoặc vân tay. Mất máy mà "
                "không khóa màn hình thì người nhặt được đọc được cả mã OTP gửi tới."
            ),
        ],
    ),
    Lesson(
        slug="duong-link-va-ung-dung-gia-mao",
        title="Đường link lừa đảo và ứng dụng giả mạo",
        intro=(
            "Đọc một địa chỉ trang web trước khi bấm, nhận ra trang giả và không cài "
            "ứng dụng lạ. Kèm phiếu ghi nhớ để in."
        ),
        minutes=8,
        body=[
            paragraph(
                "Trang giả bắt chước màu sắc, logo của trang thật, chỉ khác ở địa chỉ. "
                "Phần quan trọng nhất của địa chỉ là phần <b>ngay trước dấu / đầu "
                "tiên</b>: trang thật kết thúc bằng <b>.gov.vn</b>."
            ),
            paragraph(
                ul(
                    "<b>dichvucong.gov.vn</b>: trang thật.",
                    "<b>dichvucong-gov.vn-hoantien.top</b>: trang giả, thực chất thuộc "
                    "tên miền .top.",
                    "<b>vneid-gov.vip</b>: trang giả, thuộc tên miền .vip.",
                )
            ),
            image(
                PHISHING_PAGE,
                alt=(
                    "Trang web giả có tiêu đề Cổng Dịch vụ công, địa chỉ kết thúc bằng "
                    ".top, đòi số tài khoản, mật khẩu ngân hàng và mã OTP."
                ),
                caption=(
                    "Trang giả đòi mật khẩu ngân hàng và OTP để “hoàn tiền”: Cổng thật "
                    "không bao giờ hỏi (ảnh minh họa)."
                ),
            ),
            steps(
                "Khi nhận được một đường link",
                step(
                    "Đừng bấm ngay",
                    "Đọc tên người gửi và nội dung: có hối thúc, dọa nạt, hứa hoàn "
                    "tiền không?",
                ),
                step(
                    "Đọc địa chỉ đến dấu / đầu tiên",
                    "Trang của cơ quan nhà nước kết thúc bằng .gov.vn. Tên miền lạ như "
                    ".top, .vip, .xyz là dấu hiệu xấu.",
                ),
                step(
                    "Tự gõ địa chỉ trang thật vào trình duyệt",
                    "Muốn xem hồ sơ hay nộp phạt, tự mở dichvucong.gov.vn rồi đăng "
                    "nhập, không đi qua link trong tin nhắn.",
                ),
            ),
            heading("Ứng dụng giả mạo"),
            paragraph(
                "Kẻ gian gửi tệp cài đặt (đuôi .apk) mang tên VNeID, Dịch vụ công hay "
                "tên ngân hàng. Cài vào, ứng dụng giả đòi quyền điều khiển điện thoại, "
                "đọc tin nhắn OTP và rút tiền trong tài khoản."
            ),
            image(
                UNKNOWN_APP,
                alt=(
                    "Hộp thoại điện thoại cảnh báo cài ứng dụng không rõ nguồn gốc, "
                    "nút Hủy được khoanh tròn."
                ),
                caption=(
                    "Điện thoại cảnh báo nguồn không rõ: chọn Hủy (ảnh minh họa)."
                ),
            ),
            warning(
                "Đã lỡ bấm link, nhập mật khẩu hoặc cài ứng dụng lạ? Tắt mạng điện "
                "thoại, gọi ngay tổng đài ngân hàng để khóa tài khoản, đổi mật khẩu từ "
                "một máy khác, rồi báo Công an xã, phường nơi gần nhất hoặc gọi 113."
            ),
            document(REMINDER, "Tải phiếu Bảy điều ghi nhớ (PDF, 1 trang)"),
            link_button(
                "Trang cảnh báo an toàn thông tin",
                "https://khonggianmang.gov.vn",
                "Tra cứu các cảnh báo lừa đảo mới và cách phản ánh trang web giả mạo.",
            ),
        ],
    ),
]

COURSE.quiz = Quiz(
    slug="kiem-tra-cuoi-khoa",
    title="Kiểm tra cuối khóa",
    intro=(
        "9 tình huống thường gặp: cuộc gọi giả danh, mã OTP, mật khẩu, đường link và "
        "ứng dụng giả. Trả lời xong mỗi câu, bạn xem ngay đáp án và lời giải thích. "
        "Cần đúng từ 80% để đạt; bạn có 3 lần làm bài. Đạt bài này mới hoàn thành "
        "khóa học."
    ),
    category="An toàn số cơ bản",
    pass_mark=80,
    max_attempts=3,
    shuffle_choices=True,
    show_answers=AFTER_EACH,
    required=True,
    pass_message=(
        "Chúc mừng, bạn đã đạt! Hãy chia sẻ “Bảy điều ghi nhớ” với người thân, nhất "
        "là ông bà, cha mẹ: họ là những người kẻ gian hay nhắm tới."
    ),
    fail_message=(
        "Bạn chưa đạt lần này. Với an toàn số, một lần nhầm có thể mất tiền: đọc lại "
        "ba bài học, nhất là “Mã OTP và mật khẩu mạnh”, rồi làm lại."
    ),
    questions=[
        single(
            "Một người gọi điện tự xưng cán bộ Công an, nói bạn liên quan đến đường "
            "dây rửa tiền và yêu cầu chuyển tiền vào “tài khoản tạm giữ”. Bạn làm gì?",
            right(
                "Cúp máy và báo Công an xã, phường nơi gần nhất",
                "Đúng. Công an không làm việc qua điện thoại.",
            ),
            wrong(
                "Chuyển tiền để được xác minh cho nhanh",
                "Không được: đây là kịch bản lừa đảo quen thuộc nhất.",
            ),
            wrong(
                "Làm theo và giữ bí mật với gia đình như họ dặn",
                "Không được: bắt giữ bí mật là một dấu hiệu lừa đảo.",
            ),
            wrong(
                "Gọi lại đúng số vừa gọi để hỏi cho rõ",
                "Chưa đúng: số đó là của kẻ gian. Hãy tự gọi số tổng đài chính thức "
                "hoặc đến trụ sở Công an xã.",
            ),
            explanation=(
                "Công an không làm việc, không lấy lời khai qua điện thoại hay video "
                "call, không yêu cầu chuyển tiền để xác minh. Hãy cúp máy và báo Công "
                "an xã, phường nơi gần nhất."
            ),
        ),
        true_false(
            "Người gọi biết họ tên, số căn cước và địa chỉ của bạn thì chắc chắn là "
            "cán bộ thật.",
            False,
            explanation=(
                "Thông tin cá nhân bị lộ ở nhiều nơi, nên kẻ lừa đảo thường biết họ "
                "tên, số căn cước, cả địa chỉ của bạn. Biết tên bạn không chứng minh "
                "họ là cán bộ thật."
            ),
            if_true="Chưa đúng: kẻ gian cũng có thể biết những thông tin này.",
            if_false="Đúng: biết thông tin của bạn không chứng minh được gì.",
        ),
        multiple(
            "Dấu hiệu nào cho thấy một cuộc gọi hay tin nhắn có thể là lừa đảo? (Chọn "
            "tất cả ý đúng.)",
            right("Đòi tiền, mã OTP hoặc mật khẩu"),
            right("Hối thúc, dọa nạt, bắt giữ bí mật"),
            right("Kèm đường link có tên miền lạ, không kết thúc bằng .gov.vn"),
            wrong(
                "Tin nhắn OTP của ngân hàng có dòng nhắc không cung cấp mã cho ai",
                "Chưa đúng: tin OTP thật luôn có lời nhắc này.",
            ),
            explanation=(
                "Ba câu hỏi trước khi làm theo: họ có đòi tiền, mã OTP, mật khẩu hay "
                "bắt cài ứng dụng không; có hối thúc, dọa nạt, bắt giữ bí mật không; "
                "đường link có kết thúc bằng .gov.vn không. Chỉ một câu trả lời “có” "
                "là đủ để dừng lại."
            ),
        ),
        short_text(
            "Mã dùng một lần, thường gồm 6 chữ số, mà ngân hàng, VNeID hay Cổng Dịch "
            "vụ công gửi khi bạn đăng nhập hoặc xác nhận giao dịch, gọi là mã gì?",
            "OTP",
            "mã OTP",
            "mật khẩu một lần",
            "mã xác thực OTP",
            explanation=(
                "Đó là mã OTP. Ai có mã OTP của bạn có thể chuyển tiền hay đăng nhập "
                "thay bạn, dù không biết mật khẩu: không bao giờ đọc, nhắn hay chụp mã "
                "cho bất kỳ ai."
            ),
        ),
        single(
            "Một số lạ nhắn: “Em gửi nhầm mã OTP vào số chị, chị đọc lại giúp em mã "
            "vừa nhận với.” Bạn làm gì?",
            right(
                "Không đọc mã cho ai và xóa tin nhắn lạ",
                "Đúng. Không ai có quyền hỏi mã OTP của bạn.",
            ),
            wrong(
                "Đọc lại mã vì người ta chỉ nhờ giúp",
                "Không được: đọc mã là cho kẻ gian xác nhận giao dịch bằng tài khoản "
                "của bạn.",
            ),
            wrong(
                "Chụp màn hình tin OTP gửi cho họ, không đọc thành lời",
                "Không được: chụp mã gửi đi cũng như đọc mã.",
            ),
            explanation=(
                "“Gửi nhầm mã” là một kịch bản lừa đảo: mã đó xác nhận một giao dịch "
                "hay lần đăng nhập bằng tài khoản của bạn. Không ai có quyền hỏi mã "
                "OTP của bạn, kể cả nhân viên ngân hàng hay cán bộ."
            ),
        ),
        multiple(
            "Cách đặt mật khẩu nào đúng? (Chọn tất cả ý đúng.)",
            right("Dùng một cụm từ dài từ 12 ký tự trở lên, chỉ mình bạn biết"),
            right("Mỗi tài khoản quan trọng một mật khẩu khác nhau"),
            wrong(
                "Dùng chung một mật khẩu cho VNeID, ngân hàng và thư điện tử",
                "Không nên: một nơi bị lộ sẽ kéo theo các nơi khác.",
            ),
            wrong(
                "Dùng ngày sinh hoặc số điện thoại cho dễ nhớ",
                "Không nên: đây là những thứ kẻ gian đoán đầu tiên.",
            ),
            wrong(
                "Chụp ảnh mật khẩu lưu trong điện thoại phòng khi quên",
                "Không nên: mất máy là lộ luôn mật khẩu.",
            ),
            explanation=(
                "Mật khẩu mạnh thì dài (từ 12 ký tự), không đoán được, mỗi tài khoản "
                "một mật khẩu và không lưu trong ảnh hay tin nhắn trên điện thoại. Một "
                "cụm từ như Lua-chin-vang.2025 vừa dài vừa dễ nhớ."
            ),
        ),
        single(
            "Địa chỉ dichvucong-gov.vn-hoantien.top thực chất thuộc tên miền nào?",
            right(
                ".top: đây là trang giả",
                "Đúng. Đọc đến dấu / đầu tiên: địa chỉ kết thúc bằng .top.",
            ),
            wrong(
                ".gov.vn: đây là trang thật",
                "Chưa đúng: chữ gov.vn nằm giữa địa chỉ, phần cuối trước dấu / là "
                ".top.",
            ),
            wrong(
                ".vn: đây là trang của một cơ quan Việt Nam",
                "Chưa đúng: phần cuối của địa chỉ là .top.",
            ),
            explanation=(
                "Phần quan trọng nhất của địa chỉ là phần ngay trước dấu / đầu tiên. "
                "Trang của cơ quan nhà nước kết thúc bằng .gov.vn; tên miền lạ như "
                ".top, .vip, .xyz là dấu hiệu xấu."
            ),
        ),
        single(
            "Bạn nhận qua Zalo tệp VNeID.apk kèm lời nhắn “tải bản mới để kích hoạt "
            "tài khoản”. Bạn làm gì?",
            right(
                "Không cài; chỉ cài VNeID từ CH Play hoặc App Store",
                "Đúng. Nhà phát triển phải là Trung tâm dữ liệu quốc gia về dân cư.",
            ),
            wrong(
                "Cài vì tên tệp đúng là VNeID",
                "Không được: ứng dụng giả mang tên thật để đánh lừa bạn.",
            ),
            wrong(
                "Cài thử, thấy lạ thì gỡ ngay",
                "Không được: vừa cài, ứng dụng giả có thể đã đọc tin nhắn OTP của bạn.",
            ),
            explanation=(
                "Tệp cài đặt .apk do người khác gửi có thể là ứng dụng giả: nó đòi "
                "quyền điều khiển điện thoại, đọc tin nhắn OTP và rút tiền. Ứng dụng "
                "thật chỉ có trên CH Play và App Store."
            ),
        ),
        multiple(
            "Bạn lỡ bấm một đường link lạ và đã nhập mật khẩu ngân hàng. Bạn cần làm "
            "ngay những việc nào? (Chọn tất cả ý đúng.)",
            right("Tắt mạng điện thoại"),
            right("Gọi ngay tổng đài ngân hàng để khóa tài khoản"),
            right("Đổi mật khẩu từ một máy khác"),
            right("Báo Công an xã, phường nơi gần nhất hoặc gọi 113"),
            wrong(
                "Chờ xem có bị mất tiền không rồi mới báo",
                "Không nên: càng chậm, kẻ gian càng có thời gian rút tiền.",
            ),
            explanation=(
                "Đã lỡ bấm link, nhập mật khẩu hoặc cài ứng dụng lạ: tắt mạng điện "
                "thoại, gọi ngay tổng đài ngân hàng để khóa tài khoản, đổi mật khẩu từ "
                "một máy khác, rồi báo Công an xã, phường nơi gần nhất hoặc gọi 113."
            ),
        ),
        gap_select(
            "Mã [[1]] gửi qua tin nhắn chỉ dùng để xác nhận giao dịch của chính "
            "bạn. Không đọc mã này cho [[2]], kể cả người xưng là nhân viên ngân "
            "hàng hay Công an.",
            ("OTP", 1),
            ("bất kỳ ai", 2),
            ("QR", 1),
            ("người gọi đến lần đầu", 2),
            explanation=(
                "Mã OTP là chìa khóa của giao dịch: ai có mã là người đó chuyển được "
                "tiền. Ngân hàng và Công an không bao giờ hỏi mã OTP của bạn."
            ),
        ),
    ],
)
