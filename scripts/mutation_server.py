"""Run a mutant's tests in a forked copy of a process that has Django loaded.

Starting Python, Django, Wagtail and pytest takes longer than most mutants'
tests. A server started once per mutation run pays it once:

    .venv/bin/python scripts/mutation_server.py serve SOCKET MODULE...

imports pytest, pytest-django and the third-party modules (Django, Wagtail,
WeasyPrint, openpyxl...) that django.setup() would load, as far as they can be
imported before it, and checks that none of the MODULEs being mutated (as
`quizzes.services` or the package `reports.selectors`) is among them. The
project's own modules are left to each test run, so they are read from disk
again, mutated. (django.setup() itself cannot run in the server: the apps'
ready() imports the services and selectors.) For each request it forks a
child that runs pytest.main() and answers with the child's exit code and
output. If the client goes away (cosmic-ray's timeout), the child is killed.

cosmic-ray's test-command is the client:

    .venv/bin/python scripts/mutation_server.py run SOCKET MAP -- PYTEST_OPTIONS...

MAP is the file scripts/mutation_trace.py wrote on the unchanged code. The
client compares the files on disk with their sources there, finds the lines
the mutant changed, and runs, by their ids in MAP, only the tests that ran the
statement holding them (the simple statement, or the header of an `if`, `for`,
`while` or `with`), or else the function holding them (an `except` clause), or
else all the tests (a module constant, a default argument, a decorator). Code
that is not run cannot change what the tests see: a mutant of a statement no
test runs survives without running anything, as it would with every test.
"""

from __future__ import annotations

import ast
import difflib
import json
import os
import select
import signal
import socket
import sys
import tempfile
from pathlib import Path


def _receive(connection: socket.socket) -> bytes:
    chunks = []
    while chunk := connection.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


# Prints the third-party modules django.setup() loads, in the order it loads them.
_LIST_MODULES = """
import os, sys
import django
django.setup()
own = {entry.name for entry in os.scandir(".") if entry.is_dir()}
for name in list(sys.modules):
    if name.split(".")[0] not in own and not name.startswith("_"):
        print(name)
"""


def _preload() -> None:
    import subprocess

    import pytest  # noqa: F401
    import pytest_django.plugin  # noqa: F401

    names = subprocess.run(
        [sys.executable, "-c", _LIST_MODULES],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    for name in names:
        before = set(sys.modules)
        try:
            __import__(name)
        except Exception:  # noqa: BLE001 - needs the apps loaded: left to the run
            # Forget what the failed import half did, so the run imports it whole.
            for added in set(sys.modules) - before:
                del sys.modules[added]


def serve(path: str, forbidden: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")
    sys.path.insert(0, os.getcwd())
    import pytest

    _preload()
    loaded = [
        name
        for name in sys.modules
        for module in forbidden
        if name == module or name.startswith(module + ".")
    ]
    if loaded:
        sys.exit(f"Preloaded {loaded}: they could not be mutated")
    if os.path.exists(path):
        os.unlink(path)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(1)
    print(f"ready on {path}", flush=True)
    while True:
        connection, _ = listener.accept()
        with connection:
            request = json.loads(connection.makefile("rb").readline())
            output = tempfile.TemporaryFile()
            child = os.fork()
            if child == 0:
                listener.close()
                connection.close()
                os.setsid()
                os.dup2(output.fileno(), 1)
                os.dup2(output.fileno(), 2)
                os.chdir(request["cwd"])
                code = 3
                try:
                    code = pytest.main(request["args"])
                except BaseException:  # noqa: BLE001 - printed, for the report
                    import traceback

                    traceback.print_exc()
                finally:
                    sys.stdout.flush()
                    sys.stderr.flush()
                    os._exit(int(code))
            code = _wait(child, connection)
            if code is None:  # the client went away: nobody to answer
                continue
            output.seek(0)
            answer = {"code": code, "output": output.read().decode(errors="replace")}
            try:
                connection.sendall(json.dumps(answer).encode())
            except OSError:
                pass


def _wait(child: int, connection: socket.socket) -> int | None:
    """The child's exit code, or None once the client has hung up."""
    exited = os.pidfd_open(child)
    try:
        while True:
            ready, _, _ = select.select([exited, connection], [], [])
            if exited in ready:
                _, status = os.waitpid(child, 0)
                return os.waitstatus_to_exitcode(status)
            if not connection.recv(1, socket.MSG_PEEK):
                os.killpg(child, signal.SIGKILL)
                os.waitpid(child, 0)
                return None
    finally:
        os.close(exited)


def _function_bodies(tree: ast.AST) -> list[tuple[int, int]]:
    """The first and last lines of each function's body, innermost last."""
    bodies = [
        (node.body[0].lineno, node.end_lineno)
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    ]
    return sorted(bodies, key=lambda body: (body[0], -body[1]))


def _statement_lines(tree: ast.AST, line: int) -> tuple[int, int] | None:
    """Lines of which one is run whenever the code on ``line`` is: the simple
    statement holding it, or the header of the compound one (`if ...:`, `for
    ...:`, a nested `def` and its decorators). None on a line of neither (an
    `except` clause, which is run only when an exception is raised)."""
    found = None
    for node in ast.walk(tree):  # outer statements first: the last found is inmost
        if not isinstance(node, ast.stmt):
            continue
        first = min(
            [node.lineno]
            + [item.lineno for item in getattr(node, "decorator_list", [])]
        )
        if first <= line <= node.end_lineno and (
            found is None or node.end_lineno - first <= found[1] - found[0]
        ):
            found = (first, node.end_lineno, getattr(node, "body", None))
    if found is None:
        return None
    first, last, body = found
    if not body:
        return first, last
    if line < body[0].lineno or line == first:
        return first, max(first, body[0].lineno - 1)
    return None


def _changed_lines(before: str, after: str) -> set[int]:
    lines = set()
    matcher = difflib.SequenceMatcher(
        None, before.splitlines(), after.splitlines(), autojunk=False
    )
    for tag, start, end, _, _ in matcher.get_opcodes():
        if tag != "equal":
            lines.update(range(start + 1, max(end, start + 1) + 1))
    return lines


def select_tests(test_map: dict) -> list[str] | None:
    """The tests to run for the files as they are on disk; None for all (as for
    the unchanged code, cosmic-ray's baseline)."""
    chosen: set[str] = set()
    changed = False
    for path, recorded in test_map["files"].items():
        source = recorded["source"]
        current = Path(path).read_text()
        if current == source:
            continue
        changed = True
        ran = {int(line): tests for line, tests in recorded["lines"].items()}
        tree = ast.parse(source)
        bodies = _function_bodies(tree)
        for line in _changed_lines(source, current):
            enclosing = [body for body in bodies if body[0] <= line <= body[1]]
            if not enclosing:
                # Run on import, before any test: which tests see it is unknown.
                return None
            lines = _statement_lines(tree, line) or enclosing[-1]
            for number in range(lines[0], lines[1] + 1):
                chosen.update(ran.get(number, ()))
    if not changed:
        return None
    # The quickest first: the run stops at the first test that fails.
    durations = test_map.get("durations", {})
    chosen_tests = [test for test in test_map["tests"] if test in chosen]
    return sorted(chosen_tests, key=lambda test: durations.get(test, 0))


def run(path: str, map_path: str, args: list[str]) -> int:
    test_map = json.loads(Path(map_path).read_text())
    tests = select_tests(test_map)
    if tests is None:
        tests = test_map["tests"]
    elif not tests:
        print("No test runs the changed code: survived without a run.")
        return 0
    args = [*args, *tests]
    print(f"pytest: {len(tests)} of {len(test_map['tests'])} tests", flush=True)
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    client.connect(path)
    # The request is one line; the connection stays open both ways, since the
    # server takes its closing for the client's end (a timeout) and kills the run.
    client.sendall(json.dumps({"cwd": os.getcwd(), "args": args}).encode() + b"\n")
    answer = json.loads(_receive(client))
    print(answer["output"])
    return answer["code"]


if __name__ == "__main__":
    command, socket_path, *rest = sys.argv[1:]
    if command == "serve":
        serve(socket_path, rest)
    elif command == "run":
        map_file, separator, *pytest_args = rest
        assert separator == "--"
        sys.exit(run(socket_path, map_file, pytest_args))
    else:
        sys.exit(__doc__)
