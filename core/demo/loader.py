"""Put the demo content in the database, once.

Everything is looked up before it is made (pages by slug under their parent,
pictures and documents by title in the demo collection, people by username), so a
second run finds it all and changes nothing. Nothing an editor changed since is
overwritten.
"""

import json
from dataclasses import dataclass, field
from functools import lru_cache

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils.text import slugify
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from core.models import HomePage
from core.site_tree import ensure_site_tree
from courses.models import (
    Audience,
    CourseIndexPage,
    CoursePage,
    Enrolment,
    LessonPage,
    LessonProgress,
)
from courses.services import enrolment_create, lesson_progress_record
from regions.models import Region
from regions.text import fold
from users.models import User
from users.phone import normalise_phone
from users.services import consent_record

from . import people, spec
from .content import COURSES

COLLECTION_NAME = "Khóa học mẫu"
CATALOGUE_SLUG = "khoa-hoc"
HOME_HEADLINE = "Học dùng dịch vụ công trực tuyến, ngay trên điện thoại"
HOME_INTRO = (
    "<p>Những bài học ngắn, từng bước có ảnh minh họa: kích hoạt tài khoản "
    "<b>VNeID</b>, đăng nhập <b>Cổng Dịch vụ công quốc gia</b>, nộp hồ sơ, thanh toán "
    "phí, lệ phí và giữ an toàn trên mạng. Dành cho người dân, học sinh và thành viên "
    "Tổ công nghệ số cộng đồng.</p>"
)
HOME_CALL_TO_ACTION = "Xem các khóa học"

# Communes the demo people live in, most wanted first; any commune of the
# province, then any commune at all, when the full list of units is not loaded.
PREFERRED_PROVINCE = "Hưng Yên"
PREFERRED_COMMUNES = ["Xã Đông Hưng", "Phường Phố Hiến"]

# (person, course slug, how many of its lessons are done; None for all of them)
PROGRESS = [
    (people.LEARNER, "tai-khoan-dinh-danh-dien-tu-vneid", None),
    (people.LEARNER, "nop-ho-so-va-thanh-toan-truc-tuyen", 2),
    (people.STUDENT, "an-toan-so-co-ban", 1),
]


class DemoError(Exception):
    """The database lacks something the demo needs (the administrative units)."""


@dataclass
class Summary:
    created: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, n: int = 1) -> None:
        self.created[what] = self.created.get(what, 0) + n

    def __str__(self):
        if not self.created:
            return "Nothing to do: the demo content is already there."
        return "Created " + ", ".join(f"{n} {what}" for what, n in self.created.items())


def demo_commune() -> Region:
    """Return the commune the demo people live in."""
    communes = Region.objects.current().filter(level=Region.Level.COMMUNE)
    province = (
        Region.objects.current()
        .filter(level=Region.Level.PROVINCE)
        .search(PREFERRED_PROVINCE)
        .first()
    )
    if province is not None:
        in_province = communes.filter(path__startswith=province.path + ".")
        for name in PREFERRED_COMMUNES:
            # "Đông Hưng" also finds "Nam Đông Hưng": keep the one named exactly.
            for candidate in in_province.search(name).order_by("path"):
                if fold(candidate.name) == fold(name):
                    return candidate
        commune = in_province.order_by("path").first()
        if commune is not None:
            return commune
    commune = communes.order_by("path").first()
    if commune is None:
        raise DemoError(
            "No administrative units found. Run `python manage.py load_regions` "
            "first, then `python manage.py load_demo` again."
        )
    return commune


class _Media:
    """Find or make the demo's pictures and documents, by title."""

    def __init__(self, summary: Summary):
        self.summary = summary
        root = Collection.get_first_root_node()
        self.collection = root.get_children().filter(
            name=COLLECTION_NAME
        ).first() or root.add_child(name=COLLECTION_NAME)
        Image = get_image_model()
        Document = get_document_model()
        self.images = {
            image.title: image
            for image in Image.objects.filter(collection=self.collection)
        }
        self.documents = {
            doc.title: doc
            for doc in Document.objects.filter(collection=self.collection)
        }

    def image(self, picture: spec.Screen | spec.Cover):
        if picture.title in self.images:
            return self.images[picture.title]
        # Imported here: Pillow drawing is only needed on a first run.
        if isinstance(picture, spec.Cover):
            from .covers import render_cover

            data, extension = render_cover(picture), "jpg"
        else:
            from .screens import render_screen

            data, extension = render_screen(picture), "png"
        image = get_image_model()(title=picture.title, collection=self.collection)
        image.file = ImageFile(
            ContentFile(data), name=f"{_filename(picture.title)}.{extension}"
        )
        image._set_image_file_metadata()
        image.save()
        self.images[picture.title] = image
        self.summary.add("images")
        return image

    def document(self, handout: spec.Handout):
        if handout.title in self.documents:
            return self.documents[handout.title]
        from .documents import render_handout

        document = get_document_model()(title=handout.title, collection=self.collection)
        document.file = ContentFile(render_handout(handout), name=handout.filename)
        document._set_document_file_metadata()
        document.save()
        self.documents[handout.title] = document
        self.summary.add("documents")
        return document


def _filename(title: str) -> str:
    return slugify(fold(title))[:60] or "demo"


def _stream_data(body: list, media: _Media) -> str:
    """Return a lesson body as StreamField JSON, pictures and handouts saved first."""
    data = []
    for block_type, value in body:
        if block_type == "image":
            value = {**value, "image": media.image(value["image"]).pk}
        elif block_type == "document":
            value = {**value, "document": media.document(value["document"]).pk}
        elif block_type == "steps":
            value = {
                "title": value["title"],
                "steps": [
                    {
                        **item,
                        "screenshot": (
                            media.image(item["screenshot"]).pk
                            if item["screenshot"]
                            else None
                        ),
                    }
                    for item in value["steps"]
                ],
            }
        data.append({"type": block_type, "value": value})
    return json.dumps(data, ensure_ascii=False)


def _home(summary: Summary) -> HomePage:
    home = ensure_site_tree()
    if home.intro:
        return home
    home.headline = home.headline or HOME_HEADLINE
    home.intro = HOME_INTRO
    home.call_to_action = home.call_to_action or HOME_CALL_TO_ACTION
    home.save_revision().publish()
    summary.add("home page text")
    return home


def _catalogue(home: HomePage, summary: Summary) -> CourseIndexPage:
    index = CourseIndexPage.objects.child_of(home).filter(slug=CATALOGUE_SLUG).first()
    if index is None:
        index = CourseIndexPage.objects.child_of(home).first()
    if index is not None:
        return index
    index = CourseIndexPage(
        title="Khóa học",
        slug=CATALOGUE_SLUG,
        intro=(
            "<p>Chọn một khóa học, học từng bài trên điện thoại và đánh dấu bài đã "
            "học. Khóa nào cũng miễn phí.</p>"
        ),
    )
    home.add_child(instance=index)
    index.save_revision().publish()
    summary.add("catalogue page")
    return index


def _course(
    index: CourseIndexPage, course: spec.Course, media: _Media, summary: Summary
):
    page = CoursePage.objects.child_of(index).filter(slug=course.slug).first()
    if page is None:
        page = CoursePage(
            title=course.title,
            slug=course.slug,
            summary=course.summary,
            cover_image=media.image(course.cover),
            estimated_minutes=course.minutes,
            outcomes=json.dumps(
                [{"type": "outcome", "value": text} for text in course.outcomes],
                ensure_ascii=False,
            ),
        )
        index.add_child(instance=page)
        page.audiences.set(Audience.objects.filter(kind__in=course.audiences))
        page.save_revision().publish()
        summary.add("courses")
    existing = set(LessonPage.objects.child_of(page).values_list("slug", flat=True))
    for lesson in course.lessons:
        if lesson.slug in existing:
            continue
        lesson_page = LessonPage(
            title=lesson.title,
            slug=lesson.slug,
            intro=lesson.intro,
            estimated_minutes=lesson.minutes,
            body=_stream_data(lesson.body, media),
        )
        page.add_child(instance=lesson_page)
        lesson_page.save_revision().publish()
        summary.add("lessons")
    return page


def demo_username(person: people.DemoPerson) -> str:
    """Return the username of a demo person: the phone as stored, else the name or
    email given."""
    if person.phone:
        return normalise_phone(person.phone)
    return person.username or person.email.lower()


@lru_cache(maxsize=8)
def _password_hash(password: str) -> str:
    # Hashing is slow on purpose, and the demo people share one known password.
    return make_password(password)


def _person(person: people.DemoPerson, commune: Region, summary: Summary) -> User:
    phone = normalise_phone(person.phone) if person.phone else None
    username = demo_username(person)
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(
            username=username,
            full_name=person.full_name,
            phone=phone,
            email=person.email,
            kind=person.kind,
            home_region=None if person.is_staff else commune,
            is_staff=person.is_staff,
            is_superuser=person.is_superuser,
        )
        user.password = _password_hash(person.password)
        user.save()
        summary.add("people")
    if person.editor:
        editors, _created = Group.objects.get_or_create(name="Editors")
        editors.permissions.add(
            Permission.objects.get(
                content_type__app_label="wagtailadmin", codename="access_admin"
            )
        )
        user.groups.add(editors)
    if not user.consents.exists():
        consent_record(user=user)
    return user


def _progress(users: dict[str, User], courses: dict[str, CoursePage], summary: Summary):
    for person, slug, done in PROGRESS:
        user, course = users[person.login], courses[slug]
        enrolment = Enrolment.objects.filter(user=user, course=course).first()
        if enrolment is None:
            enrolment = enrolment_create(user=user, course=course)
            summary.add("enrolments")
        lessons = list(course.lessons())
        already = set(
            LessonProgress.objects.filter(
                enrolment=enrolment, completed_at__isnull=False
            ).values_list("lesson_id", flat=True)
        )
        for lesson in lessons if done is None else lessons[:done]:
            if lesson.pk not in already:
                lesson_progress_record(user=user, lesson=lesson, course=course)
                summary.add("lessons done")


@transaction.atomic
def load_demo() -> Summary:
    """Create whatever part of the demo is missing; return what was created."""
    summary = Summary()
    commune = demo_commune()
    home = _home(summary)
    Audience.ensure_all()
    index = _catalogue(home, summary)
    media = _Media(summary)
    courses = {
        course.slug: _course(index, course, media, summary) for course in COURSES
    }
    users = {
        person.login: _person(person, commune, summary) for person in people.PEOPLE
    }
    _progress(users, courses, summary)
    return summary
