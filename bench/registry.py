"""The registry of benchmarks: each metric is a function that returns one number.

A benchmark module (``bench/lessons.py``, ``bench/quizzes.py``...) declares its
metrics with the decorator and ``bench/run.py`` finds the module by itself::

    @metric("lesson_page_queries", at_most=10, unit="queries")
    def lesson_page_queries(ctx: Context) -> float:
        ...

The budget is ``at_most`` (the value may equal it), ``under`` (it must stay
below) or ``at_least`` (a rate, which may equal it or exceed it), as DESIGN.md
words each budget. Data a module's metrics share is built
once by a ``functools.cache``d function in that module, on first use, so
``--only`` builds only what the chosen metrics need.
"""

import sys
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Context:
    """What the command line asked for, handed to every metric."""

    runs: int = 30
    explain_queries: bool = False

    def log(self, *parts) -> None:
        print(*parts, file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Metric:
    name: str
    func: Callable[[Context], float]
    unit: str
    module: str
    at_most: float | None = None
    under: float | None = None
    at_least: float | None = None

    @property
    def budget(self) -> str:
        if self.at_most is not None:
            return f"<= {self.at_most:g}"
        if self.under is not None:
            return f"< {self.under:g}"
        if self.at_least is not None:
            return f">= {self.at_least:g}"
        return ""

    def within_budget(self, value: float) -> bool | None:
        """Whether the value keeps to the budget, or None when there is none."""
        if self.at_most is not None:
            return value <= self.at_most
        if self.under is not None:
            return value < self.under
        if self.at_least is not None:
            return value >= self.at_least
        return None


METRICS: dict[str, Metric] = {}


class MetricSkipped(Exception):
    """Raised by a metric that cannot be measured here (say, one that needs
    PostgreSQL on a run without DATABASE_URL_BENCH); the message says why."""


def metric(
    name: str,
    *,
    unit: str,
    at_most: float | None = None,
    under: float | None = None,
    at_least: float | None = None,
) -> Callable:
    """Register the decorated function as the benchmark of the named metric."""
    if sum(limit is not None for limit in (at_most, under, at_least)) > 1:
        raise ValueError(f"{name}: give one of at_most, under and at_least.")

    def register(func: Callable[[Context], float]) -> Callable[[Context], float]:
        if name in METRICS:
            raise ValueError(f"Metric {name!r} is registered twice.")
        module = func.__module__.rpartition(".")[2]
        METRICS[name] = Metric(
            name=name,
            func=func,
            unit=unit,
            module=module,
            at_most=at_most,
            under=under,
            at_least=at_least,
        )
        return func

    return register
