"""Who gets which page: every route of the classes app for every role.

One matrix, walked route by route: a class a person may not see is a 404, a
change to a class they may only see is a 403.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from classes.models import Attendance, ClassMembership, Organisation, RosterImport
from classes.scopes import (
    can_issue_login_cards,
    can_manage_class,
    can_view_learner,
    classes_managed_by,
    classes_visible_to,
    learners_visible_to,
    organisations_managed_by,
)
from classes.tests.factories import ClassSessionFactory, TrainingClassFactory
from users.scopes import regions_under
from users.services import light_user_create
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "owner",
    "co_teacher",
    "official",
    "other_official",
    "other_teacher",
    "member",
    "superuser",
]


@pytest.fixture
def world(klass, teacher, student, official, other_official, thai_binh):
    co_teacher = UserFactory(full_name="Thầy Đồng Dạy")
    klass.co_teachers.add(co_teacher)
    other_teacher = UserFactory(full_name="Thầy Lớp Khác")
    TrainingClassFactory(owner=other_teacher, organisation__region__parent=thai_binh)
    session = ClassSessionFactory(training_class=klass)
    light = light_user_create(full_name="Em Chưa Có Mật Khẩu")
    ClassMembership.objects.create(
        training_class=klass, user=light, source="roster", created_account=True
    )
    roster_import = RosterImport.objects.create(
        training_class=klass, uploaded_by=teacher, file_name="ds.csv", rows=[]
    )
    return {
        "klass": klass,
        "session": session,
        "roster_import": roster_import,
        "student": student,
        "light": light,
        "users": {
            "anonymous": None,
            "owner": teacher,
            "co_teacher": co_teacher,
            "official": official,
            "other_official": other_official,
            "other_teacher": other_teacher,
            "member": student,
            "superuser": UserFactory(is_superuser=True, is_staff=True),
        },
    }


MANAGERS = {"owner": 200, "co_teacher": 200, "superuser": 200}
READERS = {**MANAGERS, "official": 200}
# Read routes: managers and the official of the unit read; the rest get 404.
READ = {**READERS, "official": 200}
# Change routes: the official of the unit may see the class, so is refused (403).
MANAGE = {**MANAGERS, "official": 403}
# Login cards of the light accounts the class made: its teachers and the
# officials over its unit print them.
CARDS = {**MANAGERS, "official": 200}


def route_table(w):
    k, s, r, student = w["klass"], w["session"], w["roster_import"], w["student"]
    light = w["light"]
    return [
        ("GET", reverse("classes:detail", args=[k.pk]), READ, {}),
        ("GET", reverse("classes:progress_export", args=[k.pk]), READ, {}),
        ("GET", reverse("classes:session", args=[s.pk]), READ, {}),
        ("GET", reverse("classes:roster_upload", args=[k.pk]), MANAGE, {}),
        ("GET", reverse("classes:roster_template", args=[k.pk]), MANAGE, {}),
        ("GET", reverse("classes:roster_preview", args=[k.pk, r.pk]), MANAGE, {}),
        ("GET", reverse("classes:session_create", args=[k.pk]), MANAGE, {}),
        ("GET", reverse("classes:checkin_screen", args=[s.pk]), MANAGE, {}),
        (
            "POST",
            reverse("classes:attendance_mark", args=[s.pk, student.pk]),
            {**MANAGE, "owner": 302, "co_teacher": 302, "superuser": 302},
            {"status": "present"},
        ),
        (
            "POST",
            reverse("classes:walk_in", args=[s.pk]),
            {**MANAGE, "owner": 302, "co_teacher": 302, "superuser": 302},
            {"full_name": "Bà Năm", "phone": ""},
        ),
        ("POST", reverse("classes:login_cards", args=[k.pk]), CARDS, {}),
        (
            "POST",
            reverse("classes:login_card_reissue", args=[k.pk, light.pk]),
            CARDS,
            {},
        ),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_role_by_route_matrix(client, world, role):
    """Each role gets exactly the answers the matrix says, on every route."""
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    for method, url, allowed, data in route_table(world):
        response = getattr(client, method.lower())(url, data)
        if role == "anonymous":
            assert response.status_code == 302, url
            assert reverse("users:login") in response["Location"], url
            continue
        expected = allowed.get(role, 404)
        assert response.status_code == expected, (role, method, url)


@pytest.mark.parametrize(
    ("role", "teaching", "overseeing"),
    [
        ("owner", ["Lớp 10A1 DVCTT"], []),
        ("co_teacher", ["Lớp 10A1 DVCTT"], []),
        ("official", [], ["Lớp 10A1 DVCTT"]),
        ("other_official", [], ["other"]),
        ("member", [], []),
    ],
)
def test_class_list_shows_only_the_classes_in_scope(
    client, world, role, teaching, overseeing
):
    client.force_login(world["users"][role])

    response = client.get(reverse("classes:list"))

    assert response.status_code == 200
    assert [c.name for c in response.context["teaching"]] == teaching
    names = [c.name for c in response.context["overseeing"]]
    if overseeing == ["other"]:
        assert len(names) == 1 and "Lớp 10A1 DVCTT" not in names
    else:
        assert names == overseeing


def test_create_class_needs_the_permission(client, world):
    url = reverse("classes:create")
    client.force_login(world["users"]["member"])
    assert client.get(url).status_code == 403
    client.force_login(world["users"]["owner"])
    assert client.get(url).status_code == 200


def test_learners_visible_to_each_role(world):
    users = world["users"]
    student = world["student"]
    for role in ("owner", "co_teacher", "official", "superuser"):
        assert learners_visible_to(users[role]).filter(pk=student.pk).exists(), role
    for role in ("other_official", "other_teacher"):
        assert not learners_visible_to(users[role]).filter(pk=student.pk).exists(), role
    assert list(learners_visible_to(student)) == [student]
    assert not learners_visible_to(AnonymousUser()).exists()


def test_an_official_sees_the_people_living_in_their_unit_outside_any_class(
    world, communes
):
    """A person of the official's province who is in no class is theirs to see,
    not the other province's official's, nor a teacher's."""
    users = world["users"]
    resident = UserFactory(
        full_name="Bà Sống Ở Đông Hưng", home_region=communes["dong_hung"]
    )

    assert learners_visible_to(users["official"]).filter(pk=resident.pk).exists()
    for role in ("other_official", "owner"):
        visible = learners_visible_to(users[role])
        assert not visible.filter(pk=resident.pk).exists(), role


def test_official_sees_the_subtree_read_only(world, hung_yen, communes):
    official = world["users"]["official"]
    assert set(regions_under(official)) >= {hung_yen, communes["dong_hung"]}
    assert communes["tan_tien_tb"] not in regions_under(official)
    assert list(classes_visible_to(official)) == [world["klass"]]
    assert can_manage_class(official, world["klass"]) is False


def test_only_its_teachers_manage_a_class_whoever_signed_up_first():
    """Managing a class is being its owner or a co-teacher, not having an
    account older or newer than the owner's."""
    earlier = UserFactory(full_name="Người Đăng Ký Trước")
    owner = UserFactory(full_name="Cô Chủ Lớp")
    later = UserFactory(full_name="Người Đăng Ký Sau")
    klass = TrainingClassFactory(owner=owner)

    assert can_manage_class(owner, klass) is True
    assert can_manage_class(earlier, klass) is False
    assert can_manage_class(later, klass) is False


def test_who_may_open_a_learners_record(world):
    """A class's teacher and its unit's official may open a member's record; a
    teacher of another class and another province's official may not."""
    users, student = world["users"], world["student"]

    for role in ("owner", "co_teacher", "official", "superuser", "member"):
        assert can_view_learner(users[role], student) is True, role
    for role in ("other_teacher", "other_official"):
        assert can_view_learner(users[role], student) is False, role


def test_an_official_manages_the_organisations_under_their_unit(world):
    """In the admin an official manages the schools of their province, not the
    other province's; a person with no unit (an editor) and a superuser
    manage every one."""
    users = world["users"]
    assert Organisation.objects.count() == 2

    assert list(organisations_managed_by(users["official"])) == [
        world["klass"].organisation
    ]
    other = organisations_managed_by(users["other_official"])
    assert world["klass"].organisation not in other
    assert other.count() == 1
    for role in ("owner", "superuser"):
        assert organisations_managed_by(users[role]).count() == 2, role
    assert not organisations_managed_by(AnonymousUser()).exists()


def test_a_disabled_account_sees_and_manages_nothing(world):
    """A teacher, co-teacher, official or superuser whose account was disabled
    loses every class, learner and organisation, and may neither manage the
    class nor print its login cards."""
    klass = world["klass"]
    for role in ("owner", "co_teacher", "official", "superuser"):
        user = world["users"][role]
        assert can_issue_login_cards(user, klass) is True, role
        user.is_active = False
        user.save()

        assert not classes_visible_to(user).exists(), role
        assert not classes_managed_by(user).exists(), role
        assert not learners_visible_to(user).exists(), role
        assert not organisations_managed_by(user).exists(), role
        assert can_manage_class(user, klass) is False, role
        assert can_issue_login_cards(user, klass) is False, role


def test_a_refused_change_changes_nothing(client, world):
    client.force_login(world["users"]["official"])
    client.post(
        reverse(
            "classes:attendance_mark", args=[world["session"].pk, world["student"].pk]
        ),
        {"status": "present"},
    )
    client.force_login(world["users"]["other_teacher"])
    client.post(
        reverse("classes:walk_in", args=[world["session"].pk]), {"full_name": "X"}
    )

    assert not Attendance.objects.exists()
    assert ClassMembership.objects.filter(training_class=world["klass"]).count() == 2


@pytest.mark.parametrize("role", ROLES)
def test_routes_that_show_no_learner_data(client, world, role):
    """The class list (own scope only), the join and claim pages open to
    everyone; the class list asks a visitor to log in. A session's check-in
    page shows a visitor the way to log in, and nothing of the session to
    anyone signed in who is not its class's teacher or member."""
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    session = world["session"]
    for url in [reverse("class_join"), reverse("users:claim")]:
        assert client.get(url).status_code == 200, (role, url)
    expected = 302 if user is None else 200
    assert client.get(reverse("classes:list")).status_code == expected
    check_in = reverse("classes:check_in", args=[session.pk]) + "?ma=000000"
    insiders = {"anonymous", "owner", "co_teacher", "member", "superuser"}
    expected = 200 if role in insiders else 404
    assert client.get(check_in).status_code == expected, role
