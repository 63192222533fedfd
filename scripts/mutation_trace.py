"""Record which tests run which lines of the mutated modules (a pytest plugin).

Run once per module on the unchanged code, before the mutants:

    PYTHONPATH=scripts .venv/bin/python -m pytest -p mutation_trace \
        --mutation-trace=.mutation/NAME.tests.json \
        --mutation-paths=quizzes/services.py TESTS...

It writes, for each file under --mutation-paths (a file or a folder of them),
its source and, for each line run during a test, the tests that ran it, and
the order of all tests and how long each took (traced: slower than untraced,
but in proportion). scripts/mutation_server.py reads it to run, for a
mutant, only the tests that run the function it changes: a test that never
calls the function cannot notice the change.

A line run while a fixture of a wider scope than the test is set up (a module's
spreadsheet, built once) counts for every test that uses that fixture, not only
for the first one, which happens to build it.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from pathlib import Path

import pytest


def pytest_addoption(parser):
    parser.addoption("--mutation-trace", help="where to write the map of tests")
    parser.addoption(
        "--mutation-paths", help="the mutated file or folder (comma separated)"
    )


class Tracer:
    def __init__(self, files: set[str]):
        self.files = files
        self.lines: set[tuple[str, int]] = set()

    def global_trace(self, frame, event, arg):
        if frame.f_code.co_filename in self.files:
            self.lines.add((frame.f_code.co_filename, frame.f_lineno))
            return self.local_trace
        return None

    def local_trace(self, frame, event, arg):
        if event == "line":
            self.lines.add((frame.f_code.co_filename, frame.f_lineno))
        return self.local_trace

    def take(self) -> set[tuple[str, int]]:
        lines, self.lines = self.lines, set()
        return lines


class Plugin:
    def __init__(self, config):
        root = Path(config.rootpath)
        self.output = Path(config.getoption("mutation_trace"))
        self.sources: dict[str, str] = {}
        for part in config.getoption("mutation_paths").split(","):
            path = root / part
            for file in [path] if path.is_file() else sorted(path.rglob("*.py")):
                self.sources[str(file.resolve())] = str(file.relative_to(root))
        self.tracer = Tracer(set(self.sources))
        # Lines run while a fixture wider than a test was set up, by fixture.
        self.fixture_lines: dict[str, set[tuple[str, int]]] = {}
        self.by_test: dict[str, set[tuple[str, int]]] = {}
        self.order: list[str] = []
        self.durations: dict[str, float] = {}
        sys.settrace(self.tracer.global_trace)
        threading.settrace(self.tracer.global_trace)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_fixture_setup(self, fixturedef, request):
        if fixturedef.scope == "function":
            yield
            return
        before = self.tracer.take()
        yield
        self.fixture_lines.setdefault(fixturedef.argname, set()).update(
            self.tracer.take()
        )
        self.tracer.lines |= before

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item, nextitem):
        self.tracer.take()
        started = time.perf_counter()
        yield
        self.durations[item.nodeid] = round(time.perf_counter() - started, 3)
        lines = self.tracer.take()
        for name in item.fixturenames:
            lines |= self.fixture_lines.get(name, set())
        self.by_test[item.nodeid] = lines
        self.order.append(item.nodeid)

    def pytest_sessionfinish(self, session, exitstatus):
        sys.settrace(None)
        threading.settrace(None)
        files = {
            relative: {"source": Path(absolute).read_text(), "lines": {}}
            for absolute, relative in self.sources.items()
        }
        for test in self.order:
            for absolute, line in self.by_test[test]:
                tests = files[self.sources[absolute]]["lines"]
                tests.setdefault(str(line), []).append(test)
        self.output.parent.mkdir(parents=True, exist_ok=True)
        self.output.write_text(
            json.dumps(
                {"tests": self.order, "durations": self.durations, "files": files}
            )
        )


def pytest_configure(config):
    if config.getoption("mutation_trace"):
        config.pluginmanager.register(Plugin(config), "mutation-trace-plugin")
