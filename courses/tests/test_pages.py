from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from core.blocks import RICH_TEXT_FEATURES
from core.models import HomePage
from core.site_tree import ensure_site_tree
from courses.models import Audience, CourseIndexPage, CoursePage, LessonPage
from quizzes.models import QuizPage
from users.tests.factories import UserFactory, consent_given

from .factories import CourseIndexPageFactory, CoursePageFactory, LessonPageFactory


class CoursePageTreeTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = ensure_site_tree()
        cls.catalogue = CourseIndexPageFactory(parent=cls.home)
        cls.course = CoursePageFactory(
            parent=cls.catalogue, title="Dùng VNeID", audiences=["student"]
        )
        cls.lesson = LessonPageFactory(parent=cls.course, title="Cài ứng dụng")
        cls.learner = UserFactory()

    def setUp(self):
        consent_given(self.login())

    # Where each page may go

    def test_catalogue_sits_under_the_home_page(self):
        """The course catalogue can be created only beneath the home page, and
        holds only courses."""
        self.assertAllowedParentPageTypes(CourseIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(CourseIndexPage, {CoursePage})

    def test_one_catalogue_per_home_page(self):
        """A home page has at most one course catalogue."""
        self.assertIs(CourseIndexPage.can_create_at(self.home), False)

    def test_course_sits_in_the_catalogue(self):
        """A course can be created only beneath the catalogue, and holds only
        lessons and quizzes."""
        self.assertAllowedParentPageTypes(CoursePage, {CourseIndexPage})
        self.assertAllowedSubpageTypes(CoursePage, {LessonPage, QuizPage})

    def test_lesson_sits_in_a_course(self):
        """A lesson can be created only beneath a course, and holds nothing."""
        self.assertAllowedParentPageTypes(LessonPage, {CoursePage})
        self.assertAllowedSubpageTypes(LessonPage, set())
        self.assertCanNotCreateAt(CourseIndexPage, LessonPage)
        self.assertCanNotCreateAt(HomePage, CoursePage)

    # Editors can create each page in the admin

    def test_editor_can_create_the_catalogue(self):
        """An editor can create the catalogue on a home page that has none."""
        Page.objects.get(pk=self.catalogue.pk).delete()

        self.assertCanCreate(
            self.home,
            CourseIndexPage,
            nested_form_data(
                {
                    "title": "Khóa học",
                    "slug": "khoa-hoc",
                    "intro": rich_text("<p>Học miễn phí, trên điện thoại.</p>"),
                }
            ),
        )

        self.assertEqual(CourseIndexPage.objects.child_of(self.home).count(), 1)

    def test_editor_can_create_a_course(self):
        """An editor can create a course with outcomes and audiences."""
        data = nested_form_data(
            {
                "title": "Nộp hồ sơ cấp đổi căn cước",
                "summary": "Các bước nộp hồ sơ trên Cổng Dịch vụ công quốc gia.",
                "cover_image": "",
                "outcomes": streamfield(
                    [
                        ("outcome", "Tạo tài khoản Cổng Dịch vụ công"),
                        ("outcome", "Nộp hồ sơ và theo dõi kết quả"),
                    ]
                ),
                "estimated_minutes": "45",
                "completion_rule": "all_lessons",
                # No certificate rule (certificates adds the inline panel).
                "certificate_policies": inline_formset([]),
            }
        )
        audiences = Audience.objects.filter(kind__in=["volunteer", "citizen"])
        data["audiences"] = [str(audience.pk) for audience in audiences]

        self.assertCanCreate(self.catalogue, CoursePage, data)

        course = CoursePage.objects.get(slug="nop-ho-so-cap-oi-can-cuoc")
        self.assertEqual(
            {audience.kind for audience in course.audiences.all()},
            {"volunteer", "citizen"},
        )
        self.assertEqual(len(course.outcomes), 2)
        self.assertIs(course.live, True)

    def test_editor_can_create_a_lesson(self):
        """An editor can create a lesson of headings, text, numbered steps, tips
        and outside links."""
        data = nested_form_data(
            {
                "title": "Đăng nhập bằng VNeID",
                "intro": "Đăng nhập Cổng Dịch vụ công bằng tài khoản định danh.",
                "estimated_minutes": "10",
                "body": streamfield(
                    [
                        ("heading", "Chuẩn bị"),
                        (
                            "paragraph",
                            rich_text(
                                "<p>Điện thoại đã cài <b>VNeID</b>.</p>",
                                features=RICH_TEXT_FEATURES,
                            ),
                        ),
                        (
                            "steps",
                            {
                                "title": "Các bước",
                                "steps": streamfield(
                                    [
                                        (
                                            "item",
                                            {
                                                "title": "Mở VNeID",
                                                "text": rich_text(
                                                    "<p>Chạm vào biểu tượng.</p>",
                                                    features=RICH_TEXT_FEATURES,
                                                ),
                                                "screenshot": "",
                                            },
                                        )
                                    ]
                                ),
                            },
                        ),
                        (
                            "callout",
                            {
                                "kind": "warning",
                                "text": rich_text(
                                    "<p>Không đưa mã OTP cho ai.</p>",
                                    features=RICH_TEXT_FEATURES,
                                ),
                            },
                        ),
                        (
                            "link_button",
                            {
                                "label": "Mở Cổng Dịch vụ công",
                                "url": "https://dichvucong.gov.vn/",
                                "note": "",
                            },
                        ),
                    ]
                ),
            }
        )

        self.assertCanCreate(self.course, LessonPage, data)

        lesson = LessonPage.objects.child_of(self.course).get(
            title="Đăng nhập bằng VNeID"
        )
        self.assertEqual(
            [block.block_type for block in lesson.body],
            ["heading", "paragraph", "steps", "callout", "link_button"],
        )
        self.assertEqual(lesson.body[2].value["steps"][0]["title"], "Mở VNeID")

    # Each page renders

    def test_catalogue_renders(self):
        """The catalogue renders, also filtered by an audience."""
        self.client.logout()
        self.assertPageIsRenderable(self.catalogue)
        self.assertPageIsRenderable(self.catalogue, query_data={"audience": "student"})

    def test_course_renders(self):
        """The course page renders for a visitor and for a learner."""
        self.client.logout()
        self.assertPageIsRenderable(self.course)
        self.client.force_login(self.learner)
        self.assertPageIsRenderable(self.course)

    def test_lesson_renders(self):
        """The lesson page renders for a visitor and for a learner."""
        self.client.logout()
        self.assertPageIsRenderable(self.lesson)
        self.client.force_login(self.learner)
        self.assertPageIsRenderable(self.lesson)

    def test_a_draft_lesson_is_not_public(self):
        """A lesson not yet published is not shown to learners."""
        draft = LessonPageFactory(parent=self.course, title="Bản nháp", live=False)
        self.client.logout()

        response = self.client.get(draft.url)

        self.assertEqual(response.status_code, 404)
