"""gunicorn's settings for the site: ``gunicorn -c deploy/gunicorn.conf.py lms.wsgi``.

Read from the environment (the systemd unit's EnvironmentFile, /etc/lms/env):
GUNICORN_BIND (default 127.0.0.1:8000, nginx in front), GUNICORN_WORKERS
(default 2 per CPU + 1), GUNICORN_TIMEOUT (seconds, default 60), LOG_FORMAT
(json by default, as the application's lines), PROMETHEUS_MULTIPROC_DIR
(a folder of this gunicorn's own, emptied at start: each worker process
writes its metrics there and /metrics adds them up; the systemd unit sets it
to its RuntimeDirectory). Its access log and its own
lines go to the console (journald under systemd) in the application's format,
each access line with the request id the application answered (core.log).
"""

import multiprocessing
import os
import sys
from pathlib import Path

# The project's folder, so core.log is importable whatever the working folder.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.log import gunicorn_logging

wsgi_app = "lms.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
# A request running longer is killed: an export too large for a request goes
# to the task workers.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after about this many requests, so a slow leak cannot
# grow for ever; the jitter keeps them from restarting together. A new worker
# loads the whole site again (about 2.5 s of CPU, and its first requests load
# templates and translations): every 2,000 requests that was about 1.3 ms of
# CPU a request, as much again as a cached page costs; every 20,000, a tenth
# of that.
max_requests = 20000
max_requests_jitter = 2000
# nginx on the same machine; it sets X-Forwarded-For and X-Forwarded-Proto,
# which Django reads (TRUSTED_PROXY_COUNT, SECURE_PROXY_SSL_HEADER).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# gunicorn's control socket is not used; two instances on one machine would
# share its default path.
control_socket_disable = True
accesslog = "-"
errorlog = "-"
logconfig_dict = gunicorn_logging(log_format=os.environ.get("LOG_FORMAT", "json"))

# Each worker process writes its metrics there from its first request: the
# folder must exist before any worker (or `--check-config`) loads the site.
if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)


def on_starting(server):
    """Start the metrics folder empty: figures of processes of an earlier run
    would be added to this one's."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not folder:
        return
    for name in os.listdir(folder):
        if name.endswith(".db"):
            os.remove(os.path.join(folder, name))


def child_exit(server, worker):
    """Forget the live figures (gauges) of a worker that exited."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
