"""The rendering processes of a bulk run end with the process that started
them, even when it is killed."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Starts the pool as a task worker does, prints its processes, and waits.
STARTER = """
import json, multiprocessing, os, time
import django
django.setup()
from certificates import pdf
with pdf._pool(2) as pool:
    for future in [pool.submit(time.sleep, 0.5) for _ in range(4)]:
        future.result()
print(json.dumps([p.pid for p in multiprocessing.active_children()]), flush=True)
time.sleep(120)
"""


def is_running(pid: int) -> bool:
    """Return whether the process exists and has not ended (a zombie has)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def test_the_rendering_processes_exit_when_their_worker_is_killed():
    """SIGKILL to the process that started the pool: both rendering processes
    are gone within a few seconds, none is left without a parent."""
    starter = subprocess.Popen(
        [sys.executable, "-c", STARTER],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "lms.settings.test"},
        stdout=subprocess.PIPE,
        text=True,
    )
    children = []
    try:
        children = json.loads(starter.stdout.readline())
        assert len(children) == 2
        assert all(is_running(pid) for pid in children)

        starter.send_signal(signal.SIGKILL)
        starter.wait(timeout=10)
        deadline = time.monotonic() + 5
        while any(map(is_running, children)) and time.monotonic() < deadline:
            time.sleep(0.1)

        assert [pid for pid in children if is_running(pid)] == []
    finally:
        starter.kill()
        for pid in children:
            if is_running(pid):
                os.kill(pid, signal.SIGKILL)
