"""Measuring tools the benchmark modules share."""

import gzip
import os
import statistics
import time
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def get_ok(client: Client, url: str, **extra):
    """GET the address and return the response, or fail unless it is a 200."""
    response = client.get(url, **extra)
    if response.status_code != 200:
        raise AssertionError(
            f"GET {url} answered {response.status_code}, not 200: "
            f"{response.content[:300]!r}"
        )
    return response


def median_ms(func, *, runs: int, warmup: int = 1, log=None) -> float:
    """Call func warmup times, then time it runs times; return the median wall
    time in ms.

    With log, also report the spread, the median CPU time of this process and the
    machine's load: on a busy machine wall time grows while CPU time does not.
    """
    for _ in range(warmup):
        func()
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        func()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    if log:
        load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
        log(
            f"  wall ms: median {statistics.median(wall):.2f}, min {min(wall):.2f}, "
            f"max {max(wall):.2f} over {runs} runs; CPU ms median "
            f"{statistics.median(cpu):.2f}; load average {load} "
            f"on {os.cpu_count()} CPUs"
        )
    return statistics.median(wall)


def captured_queries(func, *, warmup: int = 1) -> list[dict]:
    """Call func warmup times, then once more; return the SQL queries of that call."""
    for _ in range(warmup):
        func()
    with CaptureQueriesContext(connection) as captured:
        func()
    return list(captured.captured_queries)


def format_queries(queries: list[dict]) -> str:
    return "\n".join(
        f"{number:3}. ({query['time']} s) {query['sql']}"
        for number, query in enumerate(queries, start=1)
    )


def gzip_size(data: bytes) -> int:
    """Return the size of the data gzip-compressed at level 6, as servers send it."""
    return len(gzip.compress(data, compresslevel=6, mtime=0))


class _AssetParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.assets: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        rel = (attrs.get("rel") or "").lower().split()
        if tag == "link" and "stylesheet" in rel and attrs.get("href"):
            self.assets.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.assets.append(attrs["src"])


def linked_assets(html: str) -> list[str]:
    """Return the addresses of the stylesheets and scripts the HTML links, once
    each, in order."""
    parser = _AssetParser()
    parser.feed(html)
    return list(dict.fromkeys(parser.assets))


def static_file(url: str) -> Path:
    """Return the source file of a static address, found as collectstatic would."""
    path = url.split("?", 1)[0].split("#", 1)[0]
    if not path.startswith(settings.STATIC_URL):
        raise AssertionError(
            f"{url} is not a static file of this site (STATIC_URL is "
            f"{settings.STATIC_URL}); the page may only load its own assets."
        )
    found = finders.find(path.removeprefix(settings.STATIC_URL))
    if not found:
        raise AssertionError(f"{url} is linked from the page but no finder has it.")
    return Path(found)
