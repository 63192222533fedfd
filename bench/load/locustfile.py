"""The campaign-peak load test: who does what, started by bench/load/run.sh.

80% learners (log in, open the course, enrol, read some of the lessons and
mark them done, take the final quiz one question a screen, submit, read the
result; again and again), 10%
teachers (log in, open their class and today's session, tap attendance, show
the check-in QR), 5% officials (log in, open their unit's dashboard and one of
the units under it), 5% the public (open a certificate's QR link, or type its
code). Every form is posted with the CSRF token of the page it came from.

Reads the plan ``manage.py load_prepare`` wrote (LOAD_PLAN). Writes, when the
run stops, the learners' record of each attempt they started, one JSON object
a line (LOAD_ATTEMPTS), for ``load_prepare --check``, and the count of
answers refused by the site's limits (LOAD_EXTRA).

LOAD_SITE is the address the site believes it has (https://lms.example), when
it differs from locust's --host (a TLS proxy in front, a Host of its own): its
host is sent as Host, its scheme as X-Forwarded-Proto, and its cookies marked
Secure are sent back over plain HTTP to --host.

Each simulated person sends an X-Forwarded-For address of their own (in the
100.64.0.0/10 range of carrier-grade NAT, as phones have); the site believes it
only when it trusts one more proxy than stands in front of it (run.sh's local
gunicorn does), and otherwise sees every person at the load generator's address,
where the per-address limit of /verify/ answers 429 (counted as "limited").
"""

import itertools
import json
import os
import random
import re
import threading
from urllib.parse import urlsplit

import gevent
from locust import HttpUser, between, events, task
from locust.exception import StopUser

PLAN = json.loads(open(os.environ["LOAD_PLAN"], encoding="utf-8").read())
SITE = os.environ.get("LOAD_SITE", "")
ATTEMPTS_FILE = os.environ.get("LOAD_ATTEMPTS", "")
EXTRA_FILE = os.environ.get("LOAD_EXTRA", "")
# Seconds a simulated person waits between two pages, by what they do: much
# less than a person reading (minutes a lesson), so that 500 simulated people
# make the requests of several thousand real ones (docs/capacity.md).
READ = (3, 10)
ANSWER = (2, 5)
TAP = (2, 5)
LOOK = (5, 15)
# LOAD_PACE multiplies every wait (0.5: twice as fast), for short runs.
PACE = float(os.environ.get("LOAD_PACE", "1"))
# A learner answers each question right with this chance.
RIGHT = 0.8

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ATTEMPT = re.compile(r"/attempt/(\d+)/")
SCORE = re.compile(r'class="lead quiz-result__score">[^0-9]*(\d+)')
UNIT_LINK = re.compile(r'href="(/bao-cao/don-vi/\d+/)"')

_accounts = {role: itertools.count() for role in ("learner", "teacher", "official")}
_people = itertools.count(1)
_records: dict[int, dict] = {}
_limited = {"verify": 0}
_lock = threading.Lock()


def _take(role: str, items: list):
    """Give each simulated person an account of their own (round the list)."""
    return items[next(_accounts[role]) % len(items)]


class SiteUser(HttpUser):
    abstract = True
    wait_time = between(LOOK[0] * PACE, LOOK[1] * PACE)

    def on_start(self):
        number = next(_people)
        headers = {
            "X-Forwarded-For": f"100.{64 + number // 65536 % 64}."
            f"{number // 256 % 256}.{number % 256}"
        }
        if SITE:
            site = urlsplit(SITE)
            headers["Host"] = site.netloc
            headers["X-Forwarded-Proto"] = site.scheme
        self.client.headers.update(headers)
        self.origin = SITE.rstrip("/") or self.host.rstrip("/")
        self.token = ""

    def _keep_cookies(self):
        """Send cookies marked Secure back over plain HTTP too, when the TLS
        proxy the site believes it is behind is not there (LOAD_SITE)."""
        if SITE:
            for cookie in self.client.cookies:
                cookie.secure = False

    def think(self, span):
        gevent.sleep(random.uniform(*span) * PACE)

    def page(self, path, name, *, expect=(200,), htmx=False):
        """GET a page; keep its form's CSRF token; return the response."""
        headers = {"HX-Request": "true"} if htmx else {}
        with self.client.get(
            path,
            name=name,
            headers=headers,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            self._keep_cookies()
            if response.status_code not in expect:
                response.failure(f"{response.status_code} for {path}")
            elif response.status_code == 200:
                found = CSRF.search(response.text)
                if found:
                    self.token = found.group(1)
        return response

    def post(self, path, data, name, *, expect=(302,), htmx=False, referer=None):
        """POST a form with the token of the page it came from."""
        headers = {"Referer": self.origin + (referer or path)}
        if htmx:
            headers["HX-Request"] = "true"
        with self.client.post(
            path,
            data={"csrfmiddlewaretoken": self.token, **data},
            name=name,
            headers=headers,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            self._keep_cookies()
            if response.status_code not in expect:
                response.failure(f"{response.status_code} for POST {path}")
        return response

    def log_in(self, phone):
        """Log in with the phone number, as people do; the password check is
        part of the peak."""
        for _ in range(3):
            self.page("/tai-khoan/dang-nhap/", "login page")
            answer = self.post(
                "/tai-khoan/dang-nhap/",
                {"username": phone, "password": PLAN["password"]},
                "login",
            )
            if answer.status_code == 302:
                return
            gevent.sleep(5)
        raise StopUser


def _location(response) -> str:
    return urlsplit(response.headers.get("Location", "")).path


class Learner(SiteUser):
    weight = 80
    wait_time = between(READ[0] * PACE, READ[1] * PACE)

    def on_start(self):
        super().on_start()
        account = _take("learner", PLAN["learners"])
        self.username = account["username"]
        self.log_in(account["login"])

    @task
    def study(self):
        course = self.page(PLAN["course"], "course")
        if 'action="' + PLAN["course"] + 'enrol/"' in course.text:
            self.post(PLAN["course"] + "enrol/", {}, "course: enrol")
        # A session reads one to all of the lessons, from where the learner
        # stopped, then takes the quiz (the course is learnt over sessions).
        lessons = PLAN["lessons"]
        first = random.randrange(len(lessons))
        for lesson in lessons[first : first + random.randint(1, len(lessons))]:
            self.page(lesson, "lesson")
            self.think(READ)
            self.post(
                lesson + "complete/", {"done": "1"}, "lesson: done", referer=lesson
            )
        self.take_quiz()
        if random.random() < 0.3:
            self.page("/hoc-tap-cua-toi/", "my learning")

    def take_quiz(self):
        quiz = PLAN["quiz"]
        self.page(quiz, "quiz")
        self.think(ANSWER)
        started = self.post(quiz + "start/", {}, "quiz: start", referer=quiz)
        found = ATTEMPT.search(_location(started))
        if not found:
            return
        attempt = int(found.group(1))
        record = {
            "user": self.username,
            "attempt": attempt,
            "submit_sent": False,
            "result_seen": False,
        }
        with _lock:
            _records[attempt] = record
        base = f"{quiz}attempt/{attempt}/"
        total = len(PLAN["answers"])
        for position in range(1, total + 1):
            screen = self.page(f"{base}?q={position}", "quiz: question")
            if screen.status_code != 200:
                return
            self.think(ANSWER)
            action = "confirm" if position == total else "next"
            self.post(
                f"{base}?q={position}",
                {**self.answer(screen.text), "action": action},
                "quiz: answer",
            )
        self.page(f"{base}submit/?q={total}", "quiz: confirm")
        record["submit_sent"] = True
        submitted = self.post(
            f"{base}submit/", {}, "quiz: submit", referer=f"{base}submit/"
        )
        if submitted.status_code != 302:
            return
        result = self.page(_location(submitted), "quiz: result")
        score = SCORE.search(result.text or "")
        if result.status_code == 200 and score:
            record["result_seen"] = True
            record["score"] = int(score.group(1))

    def answer(self, html):
        """The form's answer to the question on the screen: right with the
        chance RIGHT, else a wrong choice or text."""
        shown = re.search(r'name="shown" value="(\d+)"', html)
        if not shown:
            return {}
        question = shown.group(1)
        key = PLAN["answers"].get(question, {})
        name = f"q-{question}"
        data = {"shown": question}
        right = random.random() < RIGHT
        if "text" in key:
            data[name] = key["text"].lower() if right else "không biết"
            return data
        offered = [int(v) for v in re.findall(rf'name="{name}" value="(\d+)"', html)]
        wrong = [c for c in offered if c not in key.get("choices", [])]
        data[name] = key.get("choices", []) if right or not wrong else wrong[:1]
        return data


class Teacher(SiteUser):
    weight = 10
    wait_time = between(TAP[0] * PACE, TAP[1] * PACE)

    def on_start(self):
        super().on_start()
        self.plan = _take("teacher", PLAN["teachers"])
        self.log_in(self.plan["login"])

    @task
    def take_attendance(self):
        session = f"/lop-hoc/buoi-hoc/{self.plan['session']}/"
        self.page("/lop-hoc/", "classes")
        self.page(f"/lop-hoc/{self.plan['class']}/", "class")
        self.page(session, "session")
        members = self.plan["members"]
        for member in random.sample(members, min(len(members), 8)):
            self.think(TAP)
            status = random.choices(["present", "late", "absent"], weights=[85, 10, 5])[
                0
            ]
            self.post(
                f"{session}diem-danh/{member}/",
                {"status": status},
                "session: attendance tap",
                expect=(200,),
                htmx=True,
                referer=session,
            )
        self.page(f"{session}ma-qr/", "session: check-in QR")
        for _ in range(3):
            gevent.sleep(5 * PACE)  # the screen's own refresh (hx-trigger every 5 s)
            self.page(f"{session}ma-qr/", "session: check-in QR refresh", htmx=True)


class Official(SiteUser):
    weight = 5

    def on_start(self):
        super().on_start()
        self.plan = _take("official", PLAN["officials"])
        self.log_in(self.plan["login"])

    @task
    def dashboards(self):
        self.page("/bao-cao/", "reports", expect=(302,))
        unit = self.page(f"/bao-cao/don-vi/{self.plan['unit']}/", "dashboard")
        below = [
            link
            for link in UNIT_LINK.findall(unit.text or "")
            if link != f"/bao-cao/don-vi/{self.plan['unit']}/"
        ]
        if below:
            self.think(LOOK)
            self.page(random.choice(below), "dashboard: unit below")


class Public(SiteUser):
    weight = 5

    def _verify(self, response):
        if response.status_code == 429:
            with _lock:
                _limited["verify"] += 1

    @task(4)
    def scan_qr(self):
        certificate = random.choice(PLAN["certificates"])
        self._verify(
            self.page(
                f"/verify/{certificate['token']}/", "verify: QR", expect=(200, 429)
            )
        )

    @task(1)
    def type_code(self):
        certificate = random.choice(PLAN["certificates"])
        self.page("/verify/", "verify: form")
        self.think(LOOK)
        self._verify(
            self.post(
                "/verify/",
                {"code": certificate["code"]},
                "verify: code",
                expect=(200, 429),
            )
        )


@events.test_stop.add_listener
def _write_records(**kwargs):
    with _lock:
        if ATTEMPTS_FILE:
            with open(ATTEMPTS_FILE, "w", encoding="utf-8") as file:
                for record in _records.values():
                    file.write(json.dumps(record) + "\n")
        if EXTRA_FILE:
            with open(EXTRA_FILE, "w", encoding="utf-8") as file:
                json.dump({"limited": dict(_limited)}, file)
