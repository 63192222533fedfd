"""Drive the production topology that deploy/ci/topology.sh starts.

Flows through the front (haproxy, round robin over two gunicorns that share
PostgreSQL, Redis and the object store, and nothing on disk):

- the /verify/ limit is counted across both nodes;
- a write through one node (a learner enrolling) shows at once in the
  coverage figures read through the other;
- a check-in code shown by one node is accepted by the other;

then, under a light load through the front, faults:

- Redis stopped for 20 s: no answer is a 5xx;
- PostgreSQL restarted: 5xx only while it is down and a few seconds after;
- the task worker killed: it is back, beating, within seconds;
- the worker killed again in the middle of a teacher's bulk run started
  through node 0: no process of it is left, the run finishes with one
  certificate a person, and its ZIP is downloaded through node 1.

Exits 1 with what went wrong. Environment: TOPOLOGY_FRONT, TOPOLOGY_NODES,
TOPOLOGY_WORK, TOPOLOGY_PG_CTL, TOPOLOGY_REDIS_PORT, DATABASE_URL.
"""

import io
import json
import os
import re
import subprocess
import sys
import threading
import time
import zipfile
from http.cookies import SimpleCookie
from urllib.parse import urljoin

import psycopg
import requests

HOST = "lms.topology"
FRONT = os.environ["TOPOLOGY_FRONT"]
NODES = os.environ["TOPOLOGY_NODES"].split(",")
WORK = os.environ["TOPOLOGY_WORK"]
PASSWORD = "hoc-thu-2025"
# PostgreSQL's own restart: answers may fail until it is back, and a little after.
PG_GRACE_SECONDS = 10


class Failed(Exception):
    pass


def say(line, stream=sys.stdout):
    stream.write(line + "\n")
    stream.flush()


def check(condition, message):
    if not condition:
        raise Failed(message)


class Browser:
    """A browser of the site behind an HTTPS proxy: sends the cookies the site
    marks Secure (requests' jar keeps them for https only) and a Referer, as
    Django's CSRF check asks of HTTPS requests."""

    def __init__(self, base=FRONT):
        self.base = base
        self.cookies = {}
        self.http = requests.Session()

    def request(self, method, path, *, base=None, **kwargs):
        url = urljoin(base or self.base, path)
        headers = {
            "Host": HOST,
            "X-Forwarded-Proto": "https",
            "Referer": f"https://{HOST}{path}",
            **kwargs.pop("headers", {}),
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        response = self.http.request(
            method, url, headers=headers, allow_redirects=False, timeout=30, **kwargs
        )
        for header in response.raw.headers.getlist("Set-Cookie"):
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
        return response

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def csrf_token(self, path, base=None):
        """GET the page and return the CSRF token of its form."""
        page = self.get(path, base=base)
        check(page.status_code == 200, f"GET {path}: {page.status_code}")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        check(token, f"{path} has no CSRF token")
        return token.group(1)

    def post_form(self, path, data, *, token=None, **kwargs):
        """POST the form (after a GET of the page for its CSRF token)."""
        token = token or self.csrf_token(path, kwargs.get("base"))
        return self.request(
            "POST", path, data={"csrfmiddlewaretoken": token, **data}, **kwargs
        )

    def login(self, phone, *, base=None):
        response = self.post_form(
            "/tai-khoan/dang-nhap/",
            {"username": phone, "password": PASSWORD},
            base=base,
        )
        check(response.status_code == 302, f"login of {phone}: {response.status_code}")


def verify_limit_is_shared():
    """Wrong codes typed through the front, answered by both nodes in turn:
    the limit (30 a client) counts them together."""
    browser = Browser()
    # One form, posted again and again: round robin sends the posts to each
    # node in turn.
    token = browser.csrf_token("/verify/")
    nodes, statuses = set(), []
    for attempt in range(31):
        response = browser.post_form(
            "/verify/", {"code": f"SAI-{attempt:04d}-XXXX"}, token=token
        )
        statuses.append(response.status_code)
        nodes.add(response.headers.get("X-Node"))
    check(nodes == {"node0", "node1"}, f"the front used {nodes}, not both nodes")
    # An unknown code is answered 404, as a page that does not exist.
    check(statuses[:30] == [404] * 30, f"the first 30 lookups answered {statuses[:30]}")
    check(statuses[30] == 429, f"the 31st lookup answered {statuses[30]}, not 429")
    say("ok: /verify/ limited after 30 wrong codes counted on both nodes")


def manage(*args, env=None):
    """Run manage.py as the nodes run (with env's variables over theirs);
    return the last line it printed."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )
    check(result.returncode == 0, f"manage.py {args[0]}: {result.stderr[-2000:]}")
    return result.stdout.strip().splitlines()[-1]


def queue_drained(seconds: float = 120) -> None:
    """Wait until the worker has run every queued task (the demo site's
    refreshes of the reports' counts among them)."""
    started = time.monotonic()
    while True:
        waiting = int(
            manage(
                "shell",
                "-c",
                "from django_tasks_db.models import DBTaskResult; "
                "print(DBTaskResult.objects.filter(status='READY').count())",
            )
        )
        if not waiting:
            return
        check(
            time.monotonic() - started < seconds,
            f"{waiting} tasks still queued after {seconds:.0f} s",
        )
        time.sleep(1)


def figure_crosses_nodes():
    """A learner enrols through node 0; the official's coverage feed, read
    through node 1, counts the enrolment once the worker has refreshed the
    reports' counts after the enrolment committed (within seconds; the
    dashboards' shared figures are made stale through Redis)."""
    course_url, unit = json.loads(
        manage(
            "shell",
            "-c",
            """
import json
from courses.models import CoursePage, Enrolment
from users.models import RegionRole, User
student = User.objects.get(phone="+84900000002")
taken = Enrolment.objects.filter(user=student).values_list("course_id", flat=True)
course = CoursePage.objects.live().exclude(pk__in=list(taken)).first()
role = RegionRole.objects.filter(user__phone="+84900000004").first()
print(json.dumps([course.url, role.region.code]))
""",
        ).strip()
    )
    official = Browser(NODES[1])
    official.login("0900000004")

    def enrolled():
        response = official.get(f"/api/v1/coverage/{unit}/")
        check(response.status_code == 200, f"the feed answered {response.status_code}")
        return response.json()["totals"]["enrolled"]

    queue_drained()
    before = enrolled()
    student = Browser(NODES[0])
    student.login("0900000002")
    token = student.csrf_token(course_url)
    response = student.post_form(f"{course_url}enrol/", {}, token=token)
    check(response.status_code == 302, f"enrolling answered {response.status_code}")
    waited = time.monotonic()
    after = enrolled()
    while after != before + 1 and time.monotonic() - waited < 30:
        time.sleep(0.5)
        after = enrolled()
    check(after == before + 1, f"node 1 counts {after} enrolled, not {before} + 1")
    say(
        f"ok: an enrolment through node 0 counted through node 1 ({before} -> "
        f"{after}, {time.monotonic() - waited:.1f} s after it)"
    )


CLASS_SETUP = """
import json
from datetime import timedelta
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from certificates import bulk
from certificates.models import CertificatePolicy
from classes.models import ClassMembership, ClassSession
from classes.scopes import classes_managed_by
from courses.models import Enrolment
from users.models import User
teacher = User.objects.get(phone="+84900000003")
student = User.objects.get(phone="+84900000002")
klass = next(
    c for c in classes_managed_by(teacher).order_by("pk")
    if bulk.certificate_courses(c.courses.all()).exists()
)
course = bulk.certificate_courses(klass.courses.all()).first()
# Everyone who completed the course gets a certificate, attended or not: the
# run's length is what this flow needs, not the attendance rule.
CertificatePolicy.objects.filter(pk=bulk.course_policy(course).pk).update(min_attendance=0)
now = timezone.now()
password = make_password(None)
people = User.objects.bulk_create(
    User(username=f"topology-{n}", full_name=f"Học viên thử {n:03d}", password=password,
         home_region=klass.region)
    for n in range(LEARNERS)
)
ClassMembership.objects.bulk_create(
    ClassMembership(training_class=klass, user=u, source=ClassMembership.Source.ROSTER)
    for u in people
)
Enrolment.objects.bulk_create(
    Enrolment(user=u, course=course, completed_at=now) for u in people
)
ClassMembership.objects.get_or_create(
    training_class=klass, user=student,
    defaults={"source": ClassMembership.Source.ROSTER},
)
session = ClassSession.objects.create(
    training_class=klass, title="Topology", starts_at=now - timedelta(minutes=5),
    ends_at=now + timedelta(minutes=55),
)
print(json.dumps([klass.pk, course.pk, session.pk]))
"""


# People in the class's bulk run: enough that the run lasts while the worker
# is killed in its middle.
LEARNERS = 120


def sql(query, *params):
    """One row of a query on the topology's database (what the nodes write)."""
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as connection:
        return connection.execute(query, params).fetchone()


def class_world():
    """A class of the demo teacher with LEARNERS more members who completed its
    certificate course, and a session going on now; return their ids."""
    return json.loads(
        manage("shell", "-c", CLASS_SETUP.replace("LEARNERS", str(LEARNERS)))
    )


def checkin_crosses_nodes(session_id):
    """The code on the teacher's screen, shown by node 0, checks a learner in
    through node 1 (the code is derived from the shared secret, not kept on a
    node)."""
    teacher = Browser(NODES[0])
    teacher.login("0900000003")
    screen = teacher.get(f"/lop-hoc/buoi-hoc/{session_id}/ma-qr/")
    check(
        screen.status_code == 200, f"the check-in screen answered {screen.status_code}"
    )
    code = re.search(r'class="checkin-qr__code">\s*(\d{6})\s*<', screen.text)
    check(code, "the check-in screen shows no six-digit code")
    student = Browser(NODES[1])
    student.login("0900000002")
    path = f"/lop-hoc/buoi-hoc/{session_id}/co-mat/"
    token = student.csrf_token(f"{path}?ma={code.group(1)}")
    answer = student.post_form(path, {"ma": code.group(1)}, token=token)
    check(
        answer.status_code in (200, 302), f"checking in answered {answer.status_code}"
    )
    (attended,) = sql(
        "SELECT count(*) FROM classes_attendance a"
        " JOIN users_user u ON u.id = a.user_id"
        " WHERE a.session_id = %s AND u.phone = %s AND a.source = 'self_check_in'",
        session_id,
        "+84900000002",
    )
    check(attended == 1, f"the check-in through node 1 recorded {attended} attendances")
    say("ok: a check-in code shown by node 0 accepted by node 1")


def children(pid):
    """The ids of the processes whose parent is pid."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as file:
                stat = file.read()
        except OSError:
            continue
        # The parent is the 2nd field after the command, which sits in brackets.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry))
    return found


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def batch_state(batch_id):
    """The run's row and its tasks' rows, for a failure's message."""
    batch = sql(
        "SELECT status, heartbeat_at, task_id, error, (SELECT json_object_agg("
        "status, n) FROM (SELECT status, count(*) AS n FROM"
        " certificates_certificatebatchitem WHERE batch_id = %s GROUP BY status) s)"
        " FROM certificates_certificatebatch WHERE id = %s",
        batch_id,
        batch_id,
    )
    tasks = sql(
        "SELECT json_agg(json_build_array(id, status, worker_ids, enqueued_at,"
        " started_at, finished_at, exception_class_path) ORDER BY enqueued_at)"
        " FROM django_tasks_database_dbtaskresult"
        " WHERE task_path = 'certificates.tasks.certificate_batch_task'"
    )
    return f"run {batch}; tasks {tasks}"


def bulk_run_survives_worker_kill(class_id, course_id):
    """A teacher's bulk run started through node 0 is killed with its worker in
    its middle; the restarted worker finishes it within a minute of the kill
    plus the work left, with one certificate per person, no process of the
    dead worker left, and its ZIP is downloaded through node 1."""
    teacher = Browser(NODES[0])
    teacher.login("0900000003")
    path = f"/chung-chi/lop/{class_id}/cap-hang-loat/"
    started = teacher.post_form(
        path, {"course": course_id}, token=teacher.csrf_token(path)
    )
    check(
        started.status_code == 302, f"starting the run answered {started.status_code}"
    )
    batch_id = int(
        re.search(r"/cap-hang-loat/(\d+)/", started.headers["Location"]).group(1)
    )
    deadline = time.monotonic() + 120
    while True:
        status, done = sql(
            "SELECT b.status, (SELECT count(*) FROM certificates_certificatebatchitem i"
            " WHERE i.batch_id = b.id AND i.status IN ('issued', 'rendered'))"
            " FROM certificates_certificatebatch b WHERE b.id = %s",
            batch_id,
        )
        if status == "running" and done >= 5:
            break
        check(status != "done", "the run was done before the worker could be killed")
        check(
            time.monotonic() < deadline, f"the run never got going ({status}, {done})"
        )
        time.sleep(0.1)
    with open(f"{WORK}/worker.pid") as file:
        pid = int(file.read())
    helpers = children(pid)
    # The task the killed worker runs; the resumed run has another.
    (old_task,) = sql(
        "SELECT task_id FROM certificates_certificatebatch WHERE id = %s", batch_id
    )
    os.kill(pid, 9)
    killed = time.monotonic()
    say(f"ok: the worker ({pid}) killed with {done} of {LEARNERS} done")
    time.sleep(5)
    left = [child for child in helpers if alive(child)]
    check(not left, f"processes of the killed worker are left: {left}")
    # Resumed: a task of the run started within a minute of the kill (the
    # restarted worker finds the dead one's task and queues the run again).
    while True:
        (resumed,) = sql(
            "SELECT r.started_at IS NOT NULL FROM certificates_certificatebatch b"
            " JOIN django_tasks_database_dbtaskresult r ON r.id::text = b.task_id"
            " WHERE b.id = %s AND b.task_id <> %s",
            batch_id,
            old_task,
        ) or (False,)
        if resumed:
            break
        check(
            time.monotonic() - killed < 60,
            f"the run did not resume within a minute: {batch_state(batch_id)}",
        )
        time.sleep(0.5)
    resumed_after = time.monotonic() - killed
    # Then done, however slow this machine renders (the CI machine is shared).
    deadline = killed + 600
    while True:
        (status,) = sql(
            "SELECT status FROM certificates_certificatebatch WHERE id = %s", batch_id
        )
        if status == "done":
            break
        check(status != "failed", f"the resumed run failed: {batch_state(batch_id)}")
        check(
            time.monotonic() < deadline,
            f"the run is {status} 10 min after the kill: {batch_state(batch_id)}",
        )
        time.sleep(1)
    took = time.monotonic() - killed
    certificates, people, items = sql(
        "SELECT count(*), count(DISTINCT c.user_id),"
        " (SELECT count(*) FROM certificates_certificatebatchitem"
        "  WHERE batch_id = %s AND status = 'rendered')"
        " FROM certificates_certificate c JOIN users_user u ON u.id = c.user_id"
        " WHERE c.course_id = %s AND u.username LIKE 'topology-%%'",
        batch_id,
        course_id,
    )
    check(people == LEARNERS, f"{people} of {LEARNERS} people got a certificate")
    check(
        certificates == LEARNERS, f"{certificates} certificates for {LEARNERS} people"
    )
    check(items >= LEARNERS, f"{items} PDFs rendered for {LEARNERS} people")
    other = Browser(NODES[1])
    other.login("0900000003")
    download = other.get(f"/chung-chi/cap-hang-loat/{batch_id}/chung-chi.zip")
    check(
        download.status_code in (200, 302),
        f"the ZIP through node 1: {download.status_code}",
    )
    if download.status_code == 302:  # a signed URL of the object store
        download = requests.get(download.headers["Location"], timeout=60)
        check(
            download.status_code == 200, f"the ZIP's signed URL: {download.status_code}"
        )
    with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
        pdfs = [name for name in archive.namelist() if name.endswith(".pdf")]
    check(len(pdfs) >= LEARNERS, f"the ZIP holds {len(pdfs)} PDFs")
    say(
        f"ok: the bulk run resumed within {resumed_after:.0f} s of its worker being "
        f"killed and finished {took:.0f} s after it, one "
        f"certificate each for {people} people; its ZIP ({len(pdfs)} PDFs) "
        "downloaded through node 1"
    )


def backup_restore_through_bucket():
    """One command backs the site up into a bucket of the object store;
    another rebuilds it in a new database and a new bucket: the same rows, the
    same files, and a certificate still verifies by its code through the
    restored site."""
    import boto3

    restored = "lms_restored"
    s3 = boto3.client(
        "s3", endpoint_url=os.environ["AWS_S3_ENDPOINT_URL"], region_name="us-east-1"
    )
    for bucket in ("lms-topology-backups", "lms-topology-restored"):
        s3.create_bucket(Bucket=bucket)
    target = "s3://lms-topology-backups/drill"
    # Files the site writes meanwhile (a PDF kept at its first download, a
    # picture's new size) are not in the backup: those are told apart by time.
    started = time.time()
    manage("backup", target)
    server = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {restored}")
    other = {
        "DATABASE_URL": f"{server}/{restored}",
        "AWS_STORAGE_BUCKET_NAME": "lms-topology-restored",
    }
    say(f"ok: {manage('restore', target, env=other)}")
    count = """
import json
from django.apps import apps
from django.core.files.storage import storages
from certificates.models import Certificate
counts = {m._meta.db_table: m._default_manager.count() for m in apps.get_models()
          if m._meta.managed and not m._meta.proxy}
def walk(storage, folder=""):
    folders, names = storage.listdir(folder)
    found = [f"{folder}{name}" for name in names]
    for name in folders:
        found += walk(storage, f"{folder}{name}/")
    return found
files = {
    alias: {
        name: storages[alias].get_modified_time(name).timestamp()
        for name in walk(storages[alias])
    }
    for alias in ("default", "private")
}
certificate = Certificate.objects.filter(revoked_at__isnull=True).order_by("pk").first()
print(json.dumps([counts, files, certificate.token]))
"""
    before = json.loads(manage("shell", "-c", count))
    after = json.loads(manage("shell", "-c", count, env=other))
    # The drill's own task rows and worker beats go on in the source meanwhile.
    moving = {"django_tasks_database_dbtaskresult", "core_taskworker"}
    differ = {
        table: (before[0][table], after[0].get(table))
        for table in before[0]
        if table not in moving and before[0][table] != after[0].get(table)
    }
    check(not differ, f"restored rows differ (source, restored): {differ}")
    # Every file of the source older than the backup is restored, and nothing
    # else; the object store's times are whole seconds.
    for alias, source in before[1].items():
        restored_names = set(after[1][alias])
        missing = {name for name, at in source.items() if at < started - 1} - set(
            restored_names
        )
        extra = restored_names - set(source)
        check(
            not missing and not extra,
            f"restored files differ ({alias}): missing {sorted(missing)}, "
            f"not in the source {sorted(extra)}",
        )
    check(before[2] == after[2], f"restored certificate: {before[2]} {after[2]}")
    token = after[2]
    verified = manage(
        "shell",
        "-c",
        "from django.test import Client; "
        f"r = Client().get('/verify/{token}/', HTTP_HOST='{HOST}', secure=True); "
        "print(r.status_code)",
        env=other,
    )
    check(verified == "200", f"the restored site verifies {token} with {verified}")
    say(
        f"ok: backed up into a bucket and restored into a new database and bucket: "
        f"{sum(after[0].values())} rows alike, a certificate verifies by its address"
    )


class Load(threading.Thread):
    """A light load through the front: pages and the health check, every 50 ms."""

    PATHS = ("/", "/healthz", "/verify/")

    def __init__(self):
        super().__init__(daemon=True)
        self.answers = []  # (time, path, status or None)
        self.stopping = threading.Event()

    def run(self):
        browser = Browser()
        n = 0
        while not self.stopping.is_set():
            path = self.PATHS[n % len(self.PATHS)]
            n += 1
            try:
                status = browser.get(path).status_code
            except requests.RequestException:
                status = None
            self.answers.append((time.monotonic(), path, status))
            time.sleep(0.05)

    def failures(self, start, end=None):
        return [
            (round(t - start, 1), path, status)
            for t, path, status in self.answers
            if t >= start
            and (end is None or t <= end)
            and (status is None or status >= 500)
        ]


def redis_outage(load):
    """Redis stopped for 20 s: pages and the health check still answer."""
    port = os.environ["TOPOLOGY_REDIS_PORT"]
    start = time.monotonic()
    subprocess.run(["redis-cli", "-p", port, "shutdown", "nosave"], check=False)
    time.sleep(20)
    subprocess.run(
        [
            "redis-server",
            "--port",
            port,
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "yes",
            "--pidfile",
            f"{WORK}/redis.pid",
            "--dir",
            WORK,
            "--logfile",
            f"{WORK}/redis.log",
        ],
        check=True,
    )
    time.sleep(3)
    failed = load.failures(start)
    served = [a for a in load.answers if a[0] >= start]
    check(not failed, f"with Redis down, {len(failed)} answers failed: {failed[:10]}")
    say(f"ok: Redis down 20 s, {len(served)} answers, none a 5xx")


def postgres_restart(load):
    """PostgreSQL restarted: 5xx only while it is down, then every answer."""
    pg_ctl = os.environ["TOPOLOGY_PG_CTL"]
    start = time.monotonic()
    subprocess.run(
        [
            "runuser",
            "-u",
            "postgres",
            "--",
            pg_ctl,
            "-D",
            f"{WORK}/pg",
            "-l",
            f"{WORK}/pglog/pg.log",
            "-m",
            "fast",
            "-w",
            "restart",
        ],
        check=True,
        capture_output=True,
    )
    back = time.monotonic()
    time.sleep(PG_GRACE_SECONDS + 5)
    late = load.failures(back + PG_GRACE_SECONDS)
    during = load.failures(start, back + PG_GRACE_SECONDS)
    check(not late, f"after PostgreSQL was back, answers failed: {late[:10]}")
    say(
        f"ok: PostgreSQL restarted in {back - start:.1f} s; {len(during)} failed "
        "answers in that window, none after"
    )


def health(base=FRONT):
    return Browser(base).get("/healthz").json()


def worker_killed():
    """The worker killed with SIGKILL is started again and beats."""
    with open(f"{WORK}/worker.pid") as file:
        pid = int(file.read())
    os.kill(pid, 9)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        time.sleep(1)
        with open(f"{WORK}/worker.pid") as file:
            new_pid = int(file.read())
        workers = health().get("workers", {})
        if (
            new_pid != pid
            and isinstance(workers, dict)
            and (workers.get("last_heartbeat_seconds_ago") or 99) <= 5
        ):
            say(f"ok: the worker killed ({pid}) is back ({new_pid}) and beats")
            return
    raise Failed("the killed worker did not come back within 30 s")


def main():
    for base in NODES:
        for _ in range(120):
            try:
                if Browser(base).get("/healthz").status_code == 200:
                    break
            except requests.RequestException:
                pass
            time.sleep(0.5)
        else:
            raise Failed(f"{base} never answered /healthz")
    # The front sends requests once its own checks found both nodes up.
    deadline = time.monotonic() + 60
    seen = set()
    while seen != {"node0", "node1"}:
        check(time.monotonic() < deadline, f"the front answered only through {seen}")
        try:
            response = Browser().get("/healthz")
        except requests.RequestException:
            response = None
        if response is not None and response.status_code == 200:
            seen.add(response.headers.get("X-Node"))
        else:
            time.sleep(0.5)
    verify_limit_is_shared()
    figure_crosses_nodes()
    class_id, course_id, session_id = class_world()
    checkin_crosses_nodes(session_id)
    load = Load()
    load.start()
    time.sleep(2)
    try:
        redis_outage(load)
        postgres_restart(load)
        worker_killed()
        bulk_run_survives_worker_kill(class_id, course_id)
        calm = time.monotonic()
        time.sleep(3)
        check(
            not load.failures(calm), f"answers failed at the end: {load.failures(calm)}"
        )
    finally:
        load.stopping.set()
        load.join()
    say(f"ok: {len(load.answers)} answers through the front under faults")
    backup_restore_through_bucket()


if __name__ == "__main__":
    try:
        main()
    except Failed as failure:
        say(f"FAILED: {failure}", sys.stderr)
        sys.exit(1)
