"""The demo: ``load_demo`` builds believable Vietnamese courses, people and progress,
once, and ``demo_logins`` tells who to log in as."""

import io
import json
from types import SimpleNamespace

import pytest
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import RequestFactory, override_settings
from PIL import Image
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, Revision

from core.demo import people, spec
from core.demo.covers import render_cover
from core.demo.drawing import FONT_DIR
from core.demo.loader import demo_commune, demo_username, load_demo
from core.demo.screens import render_screen
from core.models import HomePage
from courses.models import (
    CourseIndexPage,
    CoursePage,
    Enrolment,
    LessonPage,
    LessonProgress,
)
from regions.models import Region
from regions.text import search_key
from users.models import ConsentRecord, LearnerKind, User

BLOCK_TYPES = {
    "heading",
    "paragraph",
    "image",
    "steps",
    "callout",
    "document",
    "link_button",
}


def _province(name: str, code: str) -> Region:
    return Region.objects.create(
        code=code,
        level=Region.Level.PROVINCE,
        name=name,
        division_type=name.split()[0].lower(),
        path=code,
        search_name=search_key(name),
    )


def _commune(name: str, code: str, province: Region) -> Region:
    return Region.objects.create(
        code=code,
        level=Region.Level.COMMUNE,
        name=name,
        division_type=name.split()[0].lower(),
        parent=province,
        path=f"{province.path}.{code}",
        search_name=search_key(name, province.name),
    )


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Start and end each test with an empty cache: the site and its root paths are
    cached, and a rolled-back test must not leave its copies."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """Load the demo once for the class, on a database with only two units; the
    class's tests each run in a savepoint and the load is rolled back after them."""
    media_root = tmp_path_factory.mktemp("demo-media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media_root),
        transaction.atomic(),
    ):
        cache.clear()
        commune = _commune("Xã Đông Hưng", "12688", _province("Tỉnh Hưng Yên", "33"))
        summary = load_demo()
        yield SimpleNamespace(summary=summary, commune=commune, media_root=media_root)
        transaction.set_rollback(True)
    cache.clear()


def _user(person: people.DemoPerson) -> User:
    return User.objects.get(username=demo_username(person))


@pytest.mark.django_db
class TestLoadedDemo:
    @pytest.fixture(autouse=True)
    def _demo_media(self, demo, settings):
        """Read pictures and documents from where the class's load wrote them."""
        settings.MEDIA_ROOT = demo.media_root

    def test_catalogue_holds_the_courses_and_lessons(self):
        """The catalogue "Khóa học" sits under the home page with at least three
        live courses and twelve live lessons, each with its details filled in."""
        home = HomePage.objects.get()
        catalogue = CourseIndexPage.objects.child_of(home).get(slug="khoa-hoc")
        courses = CoursePage.objects.live().child_of(catalogue)
        lessons = LessonPage.objects.live().descendant_of(catalogue)

        assert catalogue.title == "Khóa học"
        assert home.intro and home.headline
        assert courses.count() >= 3
        assert lessons.count() >= 12
        for course in courses:
            assert course.summary and course.cover_image_id and course.estimated_minutes
            assert len(course.outcomes) >= 3
            assert course.audiences.exists()
            assert course.lessons().count() >= 3
        for lesson in lessons:
            assert lesson.intro and lesson.estimated_minutes and len(lesson.body)

    def test_pages_are_published_through_revisions(self):
        """Every demo page is live with its content in a published revision."""
        pages = Page.objects.type(CourseIndexPage, CoursePage, LessonPage)
        assert pages.exists()
        for page in pages:
            assert page.live is True
            assert page.live_revision_id is not None

    def test_every_lesson_renders(self, client):
        """The catalogue, every course and every lesson answer 200, pictures
        included."""
        urls = [CourseIndexPage.objects.get().url]
        urls += [course.url for course in CoursePage.objects.live()]
        lessons = list(LessonPage.objects.live())
        urls += [lesson.url for lesson in lessons]

        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
        html = client.get(lessons[1].url).content.decode()
        assert "<img" in html

    def test_lessons_use_every_kind_of_block(self):
        """Across the lessons there are numbered steps with screenshots, tips,
        warnings, captioned pictures with alt text, a download and a button to the
        real portal."""
        blocks = [
            block for lesson in LessonPage.objects.live() for block in lesson.body
        ]
        assert {block.block_type for block in blocks} >= BLOCK_TYPES
        callouts = {b.value["kind"] for b in blocks if b.block_type == "callout"}
        assert callouts >= {"tip", "warning", "note"}
        screenshots = [
            step["screenshot"]
            for b in blocks
            if b.block_type == "steps"
            for step in b.value["steps"]
            if step["screenshot"]
        ]
        assert len(screenshots) >= 20
        for block in blocks:
            if block.block_type == "image":
                assert block.value["alt"] and block.value["caption"]
        urls = {b.value["url"] for b in blocks if b.block_type == "link_button"}
        assert "https://dichvucong.gov.vn" in urls

    def test_downloads_are_real_pdfs(self):
        """The handouts are PDF documents in the demo collection."""
        documents = get_document_model().objects.all()
        assert documents.count() >= 1
        for document in documents:
            with document.open_file() as handle:
                assert handle.read(5) == b"%PDF-"

    def test_pictures_are_small(self):
        """The generated pictures are phone screens 720 wide or covers, and small."""
        images = get_image_model().objects.filter(collection__name="Khóa học mẫu")
        assert images.count() >= 20
        for image in images:
            assert image.width in (720, 1200)
            assert image.height <= 1280
            assert image.file_size < 100_000, image.title

    def test_no_placeholder_text(self):
        """No lorem ipsum anywhere in the courses and lessons."""
        for course in CoursePage.objects.all():
            assert "lorem" not in (course.title + course.summary).lower()
        for lesson in LessonPage.objects.all():
            text = lesson.title + lesson.intro + json.dumps(list(lesson.body.raw_data))
            assert "lorem" not in text.lower()

    def test_running_again_creates_nothing(self):
        """A second run finds everything and adds or changes nothing."""
        models = [
            Page,
            Revision,
            Collection,
            get_image_model(),
            get_document_model(),
            User,
            ConsentRecord,
            Enrolment,
            LessonProgress,
        ]
        before = {model: model.objects.count() for model in models}
        progress = list(LessonProgress.objects.values_list("completed_at", flat=True))

        summary = load_demo()
        out = io.StringIO()
        call_command("load_demo", stdout=out)

        assert summary.created == {}
        assert {model: model.objects.count() for model in models} == before
        assert (
            list(LessonProgress.objects.values_list("completed_at", flat=True))
            == progress
        )
        assert "Nothing to do" in out.getvalue()

    def test_one_person_per_role(self, demo):
        """Each role has a person who logs in with the phone or email shown, and
        gave consent."""
        request = RequestFactory().post("/tai-khoan/dang-nhap/")
        for person in people.PEOPLE:
            for login in person.logins:
                user = authenticate(request, username=login, password=person.password)
                assert user is not None, login
                assert user.full_name == person.full_name
            assert user.consents.count() == 1

        learner = _user(people.LEARNER)
        assert learner.phone == "+84900000001"
        assert learner.kind == LearnerKind.VOLUNTEER
        assert learner.home_region == demo.commune
        assert _user(people.STUDENT).kind == LearnerKind.STUDENT
        assert _user(people.TEACHER).kind == LearnerKind.TEACHER
        assert _user(people.OFFICIAL).kind == LearnerKind.OFFICIAL

        editor = _user(people.EDITOR)
        assert editor.is_staff is True
        assert editor.is_superuser is False
        assert editor.groups.filter(name="Editors").exists()
        assert editor.has_perm("wagtailadmin.access_admin") is True
        admin = User.objects.get(username="admin")
        assert admin.is_superuser is True

    def test_learner_has_progress(self):
        """The demo learner is in two courses: one complete, one half done."""
        learner = _user(people.LEARNER)
        enrolments = Enrolment.objects.filter(user=learner)
        assert enrolments.count() == 2
        assert enrolments.filter(completed_at__isnull=False).count() == 1
        unfinished = enrolments.get(completed_at__isnull=True)
        done = unfinished.lesson_progress.filter(completed_at__isnull=False).count()
        assert 0 < done < unfinished.course.lessons().count()

    def test_demo_logins_prints_the_accounts(self):
        """demo_logins lists every account with its login and password."""
        out = io.StringIO()
        call_command("demo_logins", stdout=out)
        text = out.getvalue()
        for person in people.PEOPLE:
            assert person.login in text
            assert person.password in text
        assert "Not loaded yet" not in text


@pytest.mark.django_db
def test_without_units_load_demo_asks_for_load_regions():
    """On a database without administrative units, load_demo stops with a message
    saying to run load_regions, and creates nothing."""
    pages = Page.objects.count()
    with pytest.raises(CommandError, match="load_regions"):
        call_command("load_demo", stdout=io.StringIO())
    assert Page.objects.count() == pages
    assert not User.objects.exists()


@pytest.mark.django_db
def test_demo_commune_prefers_dong_hung():
    """The demo people live in Xã Đông Hưng, Tỉnh Hưng Yên, when it is loaded, not
    in a commune whose name merely contains it."""
    _commune("Phường Ba Đình", "00004", _province("Thành phố Hà Nội", "01"))
    hung_yen = _province("Tỉnh Hưng Yên", "33")
    _commune("Xã Nam Đông Hưng", "12685", hung_yen)
    dong_hung = _commune("Xã Đông Hưng", "12688", hung_yen)

    assert demo_commune() == dong_hung


@pytest.mark.django_db
def test_demo_commune_falls_back_to_a_loaded_commune():
    """Without the preferred communes, the demo people live in a commune of Hưng
    Yên, else in the first commune there is."""
    ba_dinh = _commune("Phường Ba Đình", "00004", _province("Thành phố Hà Nội", "01"))
    assert demo_commune() == ba_dinh

    tien_lu = _commune("Xã Tiên Lữ", "12100", _province("Tỉnh Hưng Yên", "33"))
    assert demo_commune() == tien_lu


def test_screens_are_phone_sized_pngs():
    """A screen mock-up is a small PNG 720 pixels wide, at most 1280 high."""
    screen = spec.Screen(
        "Thử – đăng nhập",
        spec.APP_PORTAL,
        (
            spec.Title("Đăng nhập bằng tài khoản định danh điện tử"),
            spec.Field("Số định danh cá nhân", "033190001234"),
            spec.Button("Đăng nhập", highlight=True),
            spec.Notice("Chỉ nhập mã OTP trên trang dichvucong.gov.vn.", "warn"),
        ),
        address="dichvucong.gov.vn",
    )
    data = render_screen(screen)
    image = Image.open(io.BytesIO(data))

    assert image.format == "PNG"
    assert image.width == 720
    assert 800 <= image.height <= 1280
    assert len(data) < 80_000
    assert render_screen(screen) == data  # the same bytes every time


def test_covers_are_small_jpegs():
    """A course cover is a JPEG of 1200x675 under 100 KB."""
    cover = spec.Cover(
        "Thử", "An toàn số cơ bản", "Giữ kín mã OTP", "#047857", "shield"
    )
    data = render_cover(cover)
    image = Image.open(io.BytesIO(data))

    assert (image.format, image.size) == ("JPEG", (1200, 675))
    assert len(data) < 100_000


def test_vietnamese_font_is_vendored_with_its_licence():
    """Noto Sans regular and bold sit in static/fonts with the OFL text."""
    for name in ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"):
        assert (FONT_DIR / name).stat().st_size > 100_000
    assert "SIL OPEN FONT LICENSE" in (FONT_DIR / "OFL.txt").read_text()
