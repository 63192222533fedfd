"""bench/load/summary.py: the load test's verdict (a lost attempt fails the run,
a slow page only says so)."""

from bench.load.summary import MAX_P95_MS, main, verdict

CHECK = {"lost_attempts": 0, "extra_attempts": 0}


def _page(name, *, requests=100, errors=0, p95=200.0):
    return {
        "page": name,
        "method": "GET",
        "requests": requests,
        "errors": errors,
        "rps": 1.0,
        "p50_ms": 100.0,
        "p95_ms": p95,
        "p99_ms": p95,
    }


def test_a_run_within_every_threshold_is_ok():
    """No lost attempt, no error, every page quick: status 0."""
    pages = [_page("login"), _page("lesson")]
    assert verdict(pages, _page("Aggregated", requests=200), CHECK) == (0, [])


def test_a_slow_page_or_errors_only_miss_a_threshold():
    """A page over its p95 or more than 1% of requests failed: status 1."""
    slow = [_page("lesson", p95=MAX_P95_MS + 1)]
    assert verdict(slow, _page("Aggregated"), CHECK)[0] == 1
    failing = [_page("lesson", errors=5)]
    status, problems = verdict(failing, _page("Aggregated", errors=5), CHECK)
    assert status == 1
    assert problems == ["5.0% of requests failed (over 1%)"]


def test_a_lost_or_double_attempt_fails_the_run():
    """One attempt lost, or counted twice, is status 2 however quick the pages."""
    pages = [_page("lesson")]
    lost = {**CHECK, "lost_attempts": 1}
    assert verdict(pages, _page("Aggregated"), lost) == (2, ["1 attempts lost"])
    double = {**CHECK, "extra_attempts": 2}
    assert verdict(pages, _page("Aggregated"), double)[0] == 2


def test_a_harness_that_could_not_log_in_or_count_fails():
    """Every login refused, no requests, or no count from the database: status 2."""
    pages = [_page("login", errors=100)]
    assert verdict(pages, _page("Aggregated"), CHECK)[0] == 2
    assert verdict([], None, CHECK)[0] == 2
    assert verdict([_page("lesson")], _page("Aggregated"), None)[0] == 2


def test_a_run_without_locust_figures_fails(tmp_path):
    """A folder where locust left no figures: status 2."""
    assert main(tmp_path) == 2
