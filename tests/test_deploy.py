"""The files of deploy/ name what the code has: every setting the environment
gives is in the example environment file, every scheduled command exists and
has its timer, and the workers are supervised as the README says."""

import re
from pathlib import Path

import pytest
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
UNITS = DEPLOY / "systemd"
# Read by the test settings only.
TEST_ONLY = {"AXES_ENABLED"}
# Meant to run on a schedule (their help or the README says so).
SCHEDULED = {
    "expire_quiz_attempts",
    "erase_unclaimed_accounts",
    "resume_certificate_batches",
    "make_campaign_reports",
    "publish_scheduled",
    "clearsessions",
    "backup",
}


def settings_read_from_environment() -> set[str]:
    source = "\n".join(
        path.read_text() for path in (ROOT / "lms" / "settings").glob("*.py")
    )
    gunicorn = (DEPLOY / "gunicorn.conf.py").read_text()
    return (
        set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z0-9_]+)"', source))
        | set(re.findall(r'os\.environ\.get\(\s*"([A-Z0-9_]+)"', gunicorn))
    ) - TEST_ONLY


def test_the_example_environment_lists_every_setting():
    """Each variable the settings or gunicorn read is in lms.env.example, set
    or commented out with its default."""
    example = (DEPLOY / "lms.env.example").read_text()
    listed = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", example, re.MULTILINE))
    names = settings_read_from_environment()

    assert {"DATABASE_URL", "METRICS_ALLOWED_NETWORKS", "GUNICORN_WORKERS"} <= names
    assert names - listed == set()


def unit_commands() -> dict[str, str]:
    """The management command each unit runs, by unit file name."""
    commands = {}
    for unit in UNITS.glob("*.service"):
        found = re.search(r"manage\.py (\w+)", unit.read_text())
        if found:
            commands[unit.name] = found.group(1)
    return commands


def test_every_unit_runs_a_command_that_exists():
    known = get_commands()
    commands = unit_commands()

    assert commands["lms-worker@.service"] == "db_worker"
    assert {command for command in commands.values() if command not in known} == set()


@pytest.mark.parametrize("command", sorted(SCHEDULED))
def test_every_scheduled_command_has_a_timer(command):
    """A timer starts the service that runs the command."""
    services = [name for name, run in unit_commands().items() if run == command]

    assert services, f"no unit runs {command}"
    for service in services:
        timer = UNITS / service.replace(".service", ".timer")
        assert timer.exists(), f"{service} has no timer"
        assert "OnCalendar=" in timer.read_text()


def test_the_workers_are_restarted_and_stopped_whole():
    worker = (UNITS / "lms-worker@.service").read_text()

    assert "\nRestart=always\n" in worker
    assert "\nKillMode=control-group\n" in worker
    assert "--worker-id %H-%i" in worker


def test_nginx_tells_the_application_who_asked_and_how():
    """The proxy sets the headers the settings trust (one proxy: the last
    X-Forwarded-For entry; X-Forwarded-Proto for HTTPS), passes its request
    id, answers /healthz over plain HTTP and hides /metrics from outside."""
    params = (DEPLOY / "nginx" / "lms_proxy_params").read_text()
    site = (DEPLOY / "nginx" / "lms.conf").read_text()

    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in params
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in params
    assert "proxy_set_header X-Request-ID $request_id;" in params
    plain_http = site[site.index("listen 80;") : site.index("listen 443")]
    assert "location = /healthz" in plain_http
    metrics = site[site.index("location = /metrics") :]
    assert "return 404;" in metrics[: metrics.index("}")]
