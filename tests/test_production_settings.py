"""manage.py runs on the production settings wherever the secret key is in the
environment (the development settings in a bare checkout), those refuse
to start without the site's public address, and every variable the README's
production section names is read from the environment."""

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str, tmp_path: Path, **environ) -> subprocess.CompletedProcess:
    """Run manage.py as an operator would, with no DJANGO_SETTINGS_MODULE and
    the given environment (None: the variable is not set)."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name
        not in {
            "DJANGO_SETTINGS_MODULE",
            "PUBLIC_BASE_URL",
            "REDIS_URL",
            "LOG_FORMAT",
            "SENTRY_DSN",
        }
    }
    env |= {
        "DJANGO_SECRET_KEY": "k" * 64,
        "DJANGO_ALLOWED_HOSTS": "kynangso.example.gov.vn",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        **environ,
    }
    env = {name: value for name, value in env.items() if value is not None}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("public_base_url", [None, "https://kynangso.example.gov.vn"])
def test_manage_py_defaults_to_production_which_needs_the_public_address(
    tmp_path, public_base_url
):
    """Without DJANGO_SETTINGS_MODULE, on a machine with the secret key in its
    environment, manage.py reads the production settings (DEBUG off); their
    system check stops it, naming PUBLIC_BASE_URL, until the environment gives
    the address."""
    environ = {"PUBLIC_BASE_URL": public_base_url}
    script = "from django.conf import settings; print('DEBUG', settings.DEBUG)"

    checked = manage("check", tmp_path=tmp_path, **environ)
    shell = manage("shell", "-c", script, tmp_path=tmp_path, **environ)

    assert "DEBUG False" in shell.stdout, shell.stderr
    if public_base_url:
        assert checked.returncode == 0, checked.stderr
    else:
        assert checked.returncode == 1
        assert "core.E001" in checked.stderr
        assert "PUBLIC_BASE_URL" in checked.stderr


def test_manage_py_without_a_secret_key_names_it(tmp_path):
    """The production settings refuse to start without DJANGO_SECRET_KEY, and
    say so."""
    result = manage(
        "check",
        tmp_path=tmp_path,
        DJANGO_SECRET_KEY=None,
        DJANGO_SETTINGS_MODULE="lms.settings.production",
    )

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_a_bare_checkout_runs_manage_py_on_the_development_settings(tmp_path):
    """No secret key and no DJANGO_SETTINGS_MODULE: a fresh clone, where
    `manage.py check` works as is (DEBUG on)."""
    script = "from django.conf import settings; print('DEBUG', settings.DEBUG)"

    checked = manage("check", tmp_path=tmp_path, DJANGO_SECRET_KEY=None)
    shell = manage("shell", "-c", script, tmp_path=tmp_path, DJANGO_SECRET_KEY=None)

    assert checked.returncode == 0, checked.stderr
    assert "DEBUG True" in shell.stdout, shell.stderr


def production_section_names() -> set[str]:
    """The upper-case names the README's production section writes in code."""
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## Running in production") :]
    section = section[: section.index("\n## ", 5)]
    return set(re.findall(r"`([A-Z][A-Z0-9_]{2,})`", section))


def test_every_setting_the_production_section_names_is_read_from_the_environment():
    """Each variable the README tells an operator to set is read by the
    settings with django-environ (DJANGO_SETTINGS_MODULE by manage.py and WSGI)."""
    settings_source = "\n".join(
        path.read_text() for path in (ROOT / "lms" / "settings").glob("*.py")
    )
    # gunicorn's own settings are read by deploy/gunicorn.conf.py, the
    # backups' by their systemd unit.
    gunicorn_source = (ROOT / "deploy" / "gunicorn.conf.py").read_text()
    units_source = "\n".join(
        path.read_text() for path in (ROOT / "deploy" / "systemd").glob("*.service")
    )
    names = production_section_names() - {"DJANGO_SETTINGS_MODULE"}

    assert {"COVERAGE_FEED_PUBLIC", "REPORTS_PARALLEL_QUERIES"} <= names
    unread = {
        name
        for name in names
        if not re.search(rf'env(\.\w+)?\(\s*"{name}"', settings_source)
        and not re.search(rf'os\.environ\.get\(\s*"{name}"', gunicorn_source)
        and not re.search(rf"\$\$\{{{name}[:}}]", units_source)
    }
    assert unread == set()


def read_base_settings(monkeypatch, **environ) -> ModuleType:
    """Execute lms/settings/base.py afresh in the given environment."""
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location(
        "base_settings_under_test", ROOT / "lms" / "settings" / "base.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_reports_settings_come_from_the_environment(monkeypatch):
    for name in (
        "COVERAGE_FEED_PUBLIC",
        "REPORTS_PARALLEL_QUERIES",
        "REPORTS_PARALLEL_MIN_UNITS",
    ):
        monkeypatch.delenv(name, raising=False)
    default = read_base_settings(monkeypatch)
    assert default.COVERAGE_FEED_PUBLIC is False
    assert default.REPORTS_PARALLEL_QUERIES == 5
    assert default.REPORTS_PARALLEL_MIN_UNITS == 50

    chosen = read_base_settings(
        monkeypatch,
        COVERAGE_FEED_PUBLIC="true",
        REPORTS_PARALLEL_QUERIES="2",
        REPORTS_PARALLEL_MIN_UNITS="120",
    )
    assert chosen.COVERAGE_FEED_PUBLIC is True
    assert chosen.REPORTS_PARALLEL_QUERIES == 2
    assert chosen.REPORTS_PARALLEL_MIN_UNITS == 120


@pytest.mark.parametrize(("log_format", "expected"), [(None, "json"), ("text", "text")])
def test_production_logs_json_lines_unless_told_otherwise(
    tmp_path, log_format, expected
):
    """The production settings write one JSON object a line (LOG_FORMAT=text
    for lines a person reads), each with its request's id."""
    script = (
        "from django.conf import settings; "
        "print('FORMAT', settings.LOG_FORMAT, "
        "settings.LOGGING['handlers']['console']['filters'])"
    )

    shell = manage(
        "shell",
        "-c",
        script,
        tmp_path=tmp_path,
        PUBLIC_BASE_URL="https://kynangso.example.gov.vn",
        LOG_FORMAT=log_format,
    )

    assert f"FORMAT {expected} ['request_id']" in shell.stdout, shell.stderr


# The private values come from the environment, so that the script's own
# source, which Sentry sends as the context of a frame, does not hold them.
SENTRY_PROBE = """
import os
import sys
from unittest import mock
loaded = "sentry_sdk" in sys.modules
import sentry_sdk
client = sentry_sdk.get_client()
print("SENTRY", loaded, client.is_active())
if client.is_active():
    import json
    from django.test import Client
    options = client.options
    print("OPTIONS", options["environment"], options["release"])
    events = []

    class Keep(sentry_sdk.transport.Transport):
        def capture_envelope(self, envelope):
            events.extend(item.payload.json for item in envelope.items
                          if item.type == "event")

    client.transport = Keep()
    browser = Client(raise_request_exception=False)
    browser.cookies["sessionid"] = os.environ["PROBE_COOKIE"]
    with mock.patch("core.views._database", side_effect=RuntimeError("boom")):
        answer = browser.get(
            "/healthz?phone=" + os.environ["PROBE_PHONE"],
            headers={"X-Request-ID": "req-sentry-1",
                     "X-Forwarded-For": os.environ["PROBE_ADDRESS"]},
        )
    sentry_sdk.flush()
    print("STATUS", answer.status_code)
    print("EVENT", json.dumps(events[-1]))
"""


PROBE_VALUES = {
    "PROBE_COOKIE": "secret-session-4f1e",
    "PROBE_PHONE": "0900000001",
    "PROBE_ADDRESS": "203.0.113.7",
}


def test_without_sentry_dsn_nothing_is_sent_nor_loaded(tmp_path):
    """The production settings load no Sentry SDK when SENTRY_DSN is unset."""
    shell = manage(
        "shell",
        "-c",
        SENTRY_PROBE,
        tmp_path=tmp_path,
        PUBLIC_BASE_URL="https://kynangso.example.gov.vn",
        SENTRY_DSN=None,
        **PROBE_VALUES,
    )

    assert "SENTRY False False" in shell.stdout, shell.stderr


def test_with_sentry_dsn_errors_are_sent_without_personal_data(tmp_path):
    """With SENTRY_DSN, a 500 is reported with its environment, release and
    request id, and without the session cookie, the client's address or the
    query string."""
    shell = manage(
        "shell",
        "-c",
        SENTRY_PROBE,
        tmp_path=tmp_path,
        PUBLIC_BASE_URL="https://kynangso.example.gov.vn",
        # Port 9 (discard): nothing could be delivered even if it were sent.
        SENTRY_DSN="https://publickey@127.0.0.1:9/1",
        SENTRY_ENVIRONMENT="staging",
        SENTRY_RELEASE="lms@2026.12",
        **PROBE_VALUES,
    )

    assert "SENTRY True True" in shell.stdout, shell.stderr
    assert "OPTIONS staging lms@2026.12" in shell.stdout
    assert "STATUS 500" in shell.stdout
    event = json.loads(shell.stdout.split("EVENT ", 1)[1])
    assert event["exception"]["values"][-1]["value"] == "boom"
    assert event["tags"]["request_id"] == "req-sentry-1"
    sent = json.dumps(event)
    for private in PROBE_VALUES.values():
        assert private not in sent
    assert "user" not in event or not event["user"].get("ip_address")


def test_a_wrong_sentry_dsn_names_the_setting(tmp_path):
    """A value that is no DSN stops the start with a message naming SENTRY_DSN."""
    result = manage(
        "check",
        tmp_path=tmp_path,
        PUBLIC_BASE_URL="https://kynangso.example.gov.vn",
        SENTRY_DSN="sentry-project-42",
    )

    assert result.returncode != 0
    assert "SENTRY_DSN is not a Sentry DSN" in result.stderr
