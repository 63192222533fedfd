"""manage.py runs on the production settings wherever the secret key is in the
environment (the development settings in a bare checkout), those refuse
to start without the site's public address, and every variable the README's
production section names is read from the environment."""

import importlib.util
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
        not in {"DJANGO_SETTINGS_MODULE", "PUBLIC_BASE_URL", "REDIS_URL", "LOG_FORMAT"}
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
    # gunicorn's own settings are read by deploy/gunicorn.conf.py.
    gunicorn_source = (ROOT / "deploy" / "gunicorn.conf.py").read_text()
    names = production_section_names() - {"DJANGO_SETTINGS_MODULE"}

    assert {"COVERAGE_FEED_PUBLIC", "REPORTS_PARALLEL_QUERIES"} <= names
    unread = {
        name
        for name in names
        if not re.search(rf'env(\.\w+)?\(\s*"{name}"', settings_source)
        and not re.search(rf'os\.environ\.get\(\s*"{name}"', gunicorn_source)
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
