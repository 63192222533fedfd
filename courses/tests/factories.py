"""Factories for the course page tree: catalogue > course > lesson."""

import factory
from wagtail.test.utils.wagtail_factories import PageFactory

from core.models import HomePage
from courses.models import Audience, CourseIndexPage, CoursePage, LessonPage


class CourseIndexPageFactory(PageFactory):
    title = "Khóa học"
    slug = "khoa-hoc"

    class Meta:
        model = CourseIndexPage
        skip_postgeneration_save = True

    @factory.post_generation
    def on_home_page(self, create, extracted, **kwargs):
        """Name the catalogue on the home page beneath which it is made, when that
        names none yet, as an editor setting up the site does."""
        if not create:
            return
        HomePage.objects.filter(pk=self.get_parent().pk, catalogue__isnull=True).update(
            catalogue=self
        )


class CoursePageFactory(PageFactory):
    title = factory.Sequence(lambda n: f"Nộp hồ sơ trực tuyến {n}")
    summary = "Học cách nộp hồ sơ trên Cổng Dịch vụ công quốc gia."

    class Meta:
        model = CoursePage
        skip_postgeneration_save = True

    @factory.post_generation
    def audiences(self, create, extracted, **kwargs):
        """Take a list of learner kinds: audiences=["student"]."""
        if create and extracted:
            Audience.ensure_all()
            self.audiences.set(Audience.objects.filter(kind__in=extracted))
            self.save()


class LessonPageFactory(PageFactory):
    title = factory.Sequence(lambda n: f"Bài {n}")
    intro = "Các bước làm, kèm ảnh chụp màn hình."
    body = factory.LazyFunction(
        lambda: [
            {"type": "heading", "value": "Chuẩn bị"},
            {"type": "paragraph", "value": "<p>Mở ứng dụng VNeID trên điện thoại.</p>"},
        ]
    )

    class Meta:
        model = LessonPage


def course_with_lessons(*, parent, lessons: int = 3, **kwargs) -> CoursePage:
    """Return a live course with the given number of live lessons."""
    course = CoursePageFactory(parent=parent, **kwargs)
    for number in range(1, lessons + 1):
        LessonPageFactory(parent=course, title=f"Bài {number}")
    return course
