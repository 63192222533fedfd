"""Build the small site the cross-app flows run against.

A live-server test flushes the database, taking with it the page tree and Site
that Wagtail's migrations create, so everything here is rebuilt from nothing and
is safe to call on a database that still has them.
"""

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from wagtail.models import Site

from classes.models import Organisation, TrainingClass
from core.models import HomePage
from core.site_tree import ensure_site_tree
from core.text import fold, search_key
from courses.models import (
    Audience,
    CompletionRule,
    CourseIndexPage,
    CoursePage,
    LessonPage,
)
from courses.services import lesson_progress_record
from quizzes.models import (
    AcceptedAnswer,
    Choice,
    Question,
    QuestionCategory,
    QuestionType,
    QuizLayout,
    QuizPage,
    QuizQuestion,
    ShowAnswers,
)
from regions.models import Region
from users.models import LearnerKind, User
from users.phone import normalise_phone
from users.services import user_register


@dataclass
class Course:
    index: CourseIndexPage
    page: CoursePage
    lessons: list[LessonPage]
    quiz: QuizPage | None = None


@dataclass
class Place:
    province: Region
    commune: Region


# A guide to a real procedure, in the shape editors write them: a lead, numbered
# steps, a tip or a warning.
LESSONS = [
    {
        "title": "Tạo tài khoản trên Cổng Dịch vụ công quốc gia",
        "intro": "Đăng ký tài khoản bằng số điện thoại và căn cước công dân.",
        "body": [
            (
                "paragraph",
                "<p>Cổng Dịch vụ công quốc gia cho phép người dân nộp hồ sơ, "
                "theo dõi kết quả và thanh toán lệ phí trực tuyến, không cần "
                "đến trụ sở.</p>",
            ),
            (
                "steps",
                {
                    "title": "Các bước đăng ký",
                    "steps": [
                        {
                            "title": "Mở trang dichvucong.gov.vn",
                            "text": "<p>Bấm <b>Đăng ký</b> ở góc trên.</p>",
                        },
                        {
                            "title": "Chọn đăng ký bằng tài khoản VNeID",
                            "text": "<p>Đăng nhập VNeID mức độ 2 trên điện "
                            "thoại và quét mã QR hiện trên màn hình.</p>",
                        },
                        {"title": "Xác nhận thông tin và hoàn tất", "text": ""},
                    ],
                },
            ),
            (
                "callout",
                {
                    "kind": "tip",
                    "text": "<p>Dùng số điện thoại chính chủ để nhận mã OTP.</p>",
                },
            ),
        ],
    },
    {
        "title": "Tìm thủ tục và điền tờ khai",
        "intro": "Tìm đúng thủ tục, điền tờ khai điện tử và đính kèm giấy tờ.",
        "body": [
            ("heading", "Tìm thủ tục"),
            (
                "paragraph",
                "<p>Gõ tên thủ tục vào ô tìm kiếm, ví dụ “đăng ký khai sinh”, "
                "rồi chọn cơ quan giải quyết là UBND xã nơi cư trú.</p>",
            ),
            (
                "callout",
                {
                    "kind": "warning",
                    "text": "<p>Ảnh chụp giấy tờ phải rõ nét, đủ bốn góc, "
                    "không bị lóa.</p>",
                },
            ),
        ],
    },
    {
        "title": "Theo dõi hồ sơ và nhận kết quả",
        "intro": "Xem hồ sơ đang ở bước nào và nhận kết quả qua bưu điện.",
        "body": [
            (
                "paragraph",
                "<p>Vào mục <b>Quản lý hồ sơ đã nộp</b> để xem trạng thái. Khi "
                "hồ sơ có kết quả, Cổng gửi tin nhắn về số điện thoại của "
                "bạn.</p>",
            ),
            (
                "callout",
                {
                    "kind": "note",
                    "text": "<p>Có thể chọn nhận kết quả tại nhà qua dịch vụ "
                    "bưu chính công ích.</p>",
                },
            ),
        ],
    },
]


def _publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def build_site(*, hostname: str = "localhost", port: int = 80) -> HomePage:
    """Return the home page, the page tree and default Site rebuilt if missing,
    the Site answering at hostname:port."""
    home = ensure_site_tree()
    Site.objects.filter(is_default_site=True).update(hostname=hostname, port=port)
    Audience.ensure_all()
    # Wagtail caches the Site's root paths and the catalogue's address; both may
    # point at pages of a database that has since been flushed.
    cache.clear()
    return home


def build_course(
    *,
    home: HomePage,
    lesson_count: int = len(LESSONS),
    completion_rule: str = CompletionRule.ALL_LESSONS,
) -> Course:
    """Return a published catalogue > course > lessons (three unless told) of
    Vietnamese content."""
    index = _publish(
        home.add_child(
            instance=CourseIndexPage(
                title="Khóa học",
                slug="khoa-hoc",
                intro="<p>Học dùng dịch vụ công trực tuyến.</p>",
            )
        )
    )
    home.catalogue = index
    _publish(home)
    course = _publish(
        index.add_child(
            instance=CoursePage(
                title="Nộp hồ sơ trực tuyến trên Cổng Dịch vụ công",
                slug="nop-ho-so-truc-tuyen",
                summary=(
                    "Từ tạo tài khoản đến nhận kết quả: vài bài ngắn để tự nộp "
                    "hồ sơ hành chính trên điện thoại."
                ),
                estimated_minutes=20,
                completion_rule=completion_rule,
                outcomes=[
                    ("outcome", "Tự tạo tài khoản Dịch vụ công."),
                    ("outcome", "Nộp một hồ sơ và theo dõi kết quả."),
                ],
            )
        )
    )
    course.audiences.set(Audience.objects.all())
    course = _publish(course)
    lessons = [
        _publish(
            course.add_child(
                instance=LessonPage(
                    title=lesson["title"],
                    slug=fold(lesson["title"]).replace(" ", "-"),
                    intro=lesson["intro"],
                    body=lesson["body"],
                    estimated_minutes=5,
                )
            )
        )
        for lesson in LESSONS[:lesson_count]
    ]
    return Course(index=index, page=course, lessons=lessons)


# The final quiz: one question of each kind a learner meets on a phone. For each,
# the text, the choices (text, right?) or the accepted answers.
QUIZ_QUESTIONS = [
    {
        "kind": QuestionType.SINGLE,
        "text": "Địa chỉ của Cổng Dịch vụ công quốc gia là gì?",
        "choices": [
            ("dichvucong.gov.vn", True),
            ("dichvucong.com.vn", False),
            ("dichvucong.vn", False),
        ],
        "explanation": "Trang chính thức có tên miền .gov.vn.",
    },
    {
        "kind": QuestionType.MULTIPLE,
        "text": "Cần những gì để đăng ký tài khoản bằng VNeID?",
        "choices": [
            ("Số điện thoại chính chủ", True),
            ("Sổ hộ khẩu giấy", False),
            ("Tài khoản VNeID mức độ 2", True),
            ("Giấy giới thiệu của UBND xã", False),
        ],
    },
    {
        "kind": QuestionType.TRUE_FALSE,
        "text": "Có thể nộp hồ sơ trên Cổng Dịch vụ công mà không cần đến trụ sở.",
        "choices": [("Đúng", True), ("Sai", False)],
    },
    {
        "kind": QuestionType.SHORT_TEXT,
        "text": "Văn phòng Chính phủ, nơi vận hành Cổng Dịch vụ công quốc gia, "
        "đặt trụ sở ở thành phố nào?",
        "accepted": ["Hà Nội"],
        "ignore_accents": True,
    },
]


def build_final_quiz(*, course: Course, **rules) -> QuizPage:
    """Return the course's final quiz, published, of the four QUIZ_QUESTIONS:
    pass mark 75%, three attempts, ten minutes, one question per screen and the
    answers shown at the end, unless rules say otherwise."""
    category = QuestionCategory.objects.create(name="Dịch vụ công trực tuyến")
    quiz = QuizPage(
        title="Bài kiểm tra cuối khóa",
        slug="kiem-tra-cuoi-khoa",
        intro="Bốn câu hỏi về những gì đã học. Đạt từ 75% để hoàn thành khóa học.",
        pass_mark=75,
        max_attempts=3,
        time_limit_minutes=10,
        layout=QuizLayout.ONE_PER_SCREEN,
        show_answers=ShowAnswers.AT_END,
        pass_message="Chúc mừng! Bạn đã nắm vững cách nộp hồ sơ trực tuyến.",
        fail_message="Chưa đạt. Hãy xem lại các bài học rồi làm lại.",
    )
    for field, value in rules.items():
        setattr(quiz, field, value)
    for spec in QUIZ_QUESTIONS:
        question = Question(
            category=category,
            kind=spec["kind"],
            text=spec["text"],
            explanation=spec.get("explanation", ""),
            ignore_accents=spec.get("ignore_accents", False),
        )
        for text, is_correct in spec.get("choices", []):
            question.choices.add(Choice(text=text, is_correct=is_correct))
        for text in spec.get("accepted", []):
            question.accepted_answers.add(AcceptedAnswer(text=text))
        question.save()
        quiz.quiz_questions.add(QuizQuestion(question=question))
    quiz = _publish(course.page.add_child(instance=quiz))
    course.quiz = quiz
    return quiz


def build_learner(
    *,
    place: Place,
    phone: str,
    password: str,
    lessons_done=(),
    full_name: str = "Trần Văn Minh",
    kind: str = LearnerKind.VOLUNTEER,
) -> User:
    """Return a volunteer (unless told) living in the place, with the phone written
    any common way, who has finished the given lessons (and so is enrolled in
    their course)."""
    learner = user_register(
        full_name=full_name,
        phone=normalise_phone(phone),
        kind=kind,
        home_region=place.commune,
        password=password,
    )
    for lesson in lessons_done:
        lesson_progress_record(
            user=learner, lesson=lesson, course=lesson.get_parent().specific
        )
    return learner


def build_place() -> Place:
    """Return a current province and one of its communes, searchable by name."""
    province = Region.objects.create(
        code="33",
        level=Region.Level.PROVINCE,
        name="Tỉnh Hưng Yên",
        division_type="tỉnh",
        path="33",
        search_name=search_key("Tỉnh Hưng Yên"),
    )
    commune = Region.objects.create(
        code="12345",
        level=Region.Level.COMMUNE,
        name="Xã Đông Hưng",
        division_type="xã",
        parent=province,
        path="33.12345",
        search_name=search_key("Xã Đông Hưng", "Tỉnh Hưng Yên"),
    )
    return Place(province=province, commune=commune)


def build_communes(place: Place, names: list[str]) -> list[Region]:
    """Return more communes of the place's province, searchable by name, with
    codes following the place's own."""
    province = place.province
    communes = []
    for offset, name in enumerate(names, start=1):
        code = str(int(place.commune.code) + offset)
        communes.append(
            Region.objects.create(
                code=code,
                level=Region.Level.COMMUNE,
                name=name,
                division_type=name.split()[0].lower(),
                parent=province,
                path=f"{province.path}.{code}",
                search_name=search_key(name, province.name),
            )
        )
    return communes


TEACHER_GROUP = "Giáo viên"


def build_teacher(*, place: Place, phone: str, password: str) -> User:
    """Return a teacher in the “Giáo viên” group, which may create classes.

    The group comes from a data migration, which a live-server test's flush
    undoes: it is made again here, with its permission."""
    group, _created = Group.objects.get_or_create(name=TEACHER_GROUP)
    permission, _created = Permission.objects.get_or_create(
        content_type=ContentType.objects.get_for_model(TrainingClass),
        codename="add_trainingclass",
        defaults={"name": "Can add class"},
    )
    group.permissions.add(permission)
    teacher = build_learner(
        place=place,
        phone=phone,
        password=password,
        full_name="Cô Nguyễn Thị Mai",
        kind=LearnerKind.TEACHER,
    )
    teacher.groups.add(group)
    return teacher


def build_organisation(*, place: Place) -> Organisation:
    """Return a school in the place's commune."""
    return Organisation.objects.create(
        name="Trường THPT Đông Hưng",
        kind=Organisation.Kind.SCHOOL,
        region=place.commune,
    )
