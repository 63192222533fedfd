"""Measure the budgets of DESIGN.md and compare them with their limits.

    python bench/run.py                    # a table: metric, value, budget, status
    python bench/run.py --json             # one JSON object {metric: value} on stdout
    python bench/run.py --only lessons     # one module's metrics, or --only a metric
    python bench/run.py --explain-queries  # print the SQL the query counts count
    python bench/run.py --list             # the metrics and their budgets

Runs on its own database: a fresh SQLite file in a temporary folder, or, when
DATABASE_URL_BENCH is set (postgres://postgres@127.0.0.1:5432/bench), the
PostgreSQL test database beside the one it names; both are deleted afterwards.
Exit status: 0 when every metric keeps to its budget, 1 when one is over, 2 when a
benchmark failed to run.

A new benchmark module is a file in bench/ whose functions carry the @metric
decorator of bench/registry.py; it is found without being listed here.
"""

import argparse
import contextlib
import importlib
import json
import os
import pkgutil
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
# Modules of bench/ that hold no metrics.
INFRASTRUCTURE = {"run", "settings", "registry", "measure", "fixtures"}
BASELINE = BENCH_DIR / "baseline.json"


def _prepare_environment() -> Path:
    # Run as a script, Python puts bench/ itself first on sys.path, where
    # bench/reports.py would hide the reports app; import from the repository root.
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BENCH_DIR]
    sys.path.insert(0, str(REPO_ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    tmp = Path(tempfile.mkdtemp(prefix="lms-bench-"))
    os.environ["BENCH_TMP"] = str(tmp)
    return tmp


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="bench/run.py",
        description="Measure the budgets of DESIGN.md.",
    )
    parser.add_argument(
        "--json", action="store_true", help="print one JSON object {metric: value}"
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="NAME",
        help="a metric or module (lessons, quizzes...) to run; repeat or separate "
        "with commas",
    )
    parser.add_argument(
        "--runs", type=_positive, default=30, help="timed runs per timing (default 30)"
    )
    parser.add_argument(
        "--explain-queries",
        action="store_true",
        help="print the SQL of every query count to stderr",
    )
    parser.add_argument(
        "--list", action="store_true", help="list the metrics and their budgets"
    )
    parser.add_argument(
        "--save-baseline",
        action="store_true",
        help=f"write the values measured to {BASELINE.relative_to(REPO_ROOT)}",
    )
    return parser.parse_args(argv)


def _discover() -> None:
    for module in pkgutil.iter_modules([str(BENCH_DIR)]):
        if module.name.startswith("_") or module.name in INFRASTRUCTURE:
            continue
        importlib.import_module(f"bench.{module.name}")


def _select(only: list[str]):
    from bench.registry import METRICS

    names = [name.strip() for item in only for name in item.split(",") if name.strip()]
    if not names:
        return list(METRICS.values())
    known = set(METRICS) | {m.module for m in METRICS.values()}
    unknown = [name for name in names if name not in known]
    if unknown:
        print(
            f"Unknown metric or module: {', '.join(unknown)}. "
            f"Known: {', '.join(sorted(known))}.",
            file=sys.stderr,
        )
        raise SystemExit(2)
    return [m for m in METRICS.values() if m.name in names or m.module in names]


def _load_baseline() -> dict:
    if not BASELINE.exists():
        return {}
    return json.loads(BASELINE.read_text())


def _table(
    metrics, values: dict, errors: dict, baseline: dict, skipped: dict | None = None
) -> str:
    skipped = skipped or {}
    rows = [("metric", "value", "unit", "budget", "status", "vs baseline")]
    for m in metrics:
        value = values.get(m.name)
        if m.name in errors:
            shown, status = "-", "ERROR"
        elif m.name in skipped:
            shown, status = "-", f"skipped: {skipped[m.name]}"
        else:
            shown = f"{value:g}"
            within = m.within_budget(value)
            status = "" if within is None else ("ok" if within else "OVER")
        base = baseline.get(m.name)
        ratio = f"{value / base:.2f}x" if value is not None and base else ""
        rows.append((m.name, shown, m.unit, m.budget, status, ratio))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True))
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)


def main(argv=None) -> int:
    tmp = _prepare_environment()
    try:
        args = _parse_args(argv)
        # Whatever Django, Wagtail or a benchmark prints goes to stderr, so that
        # stdout holds only the result.
        stdout = sys.stdout
        with contextlib.redirect_stdout(sys.stderr):
            values, errors, metrics, skipped = _measure(args)
        if args.list:
            for m in metrics:
                print(f"{m.name:30} {m.budget:8} {m.unit:10} {m.module}", file=stdout)
            return 0
        if args.save_baseline and not errors:
            # Keep the baseline of the metrics this run left out (--only).
            baseline = {**_load_baseline(), **values}
            BASELINE.write_text(json.dumps(baseline, indent=2) + "\n")
            print(f"Baseline written to {BASELINE}.", file=sys.stderr)
        if args.json:
            print(
                json.dumps({m.name: values.get(m.name) for m in metrics}), file=stdout
            )
        else:
            print(
                _table(metrics, values, errors, _load_baseline(), skipped),
                file=stdout,
            )
        if errors:
            return 2
        over = [
            m
            for m in metrics
            if m.name in values and m.within_budget(values[m.name]) is False
        ]
        return 1 if over else 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _measure(args):
    import django

    django.setup()
    from django.db import connection

    from bench.registry import Context, MetricSkipped

    _discover()
    metrics = _select(args.only)
    if args.list:
        return {}, {}, metrics, {}

    ctx = Context(runs=args.runs, explain_queries=args.explain_queries)
    vendor = connection.vendor
    started = time.perf_counter()
    ctx.log(f"Creating the {vendor} benchmark database and migrating it...")
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    ctx.log(
        f"  done in {time.perf_counter() - started:.1f} s "
        f"({connection.settings_dict['NAME']})."
    )
    values, errors, skipped = {}, {}, {}
    try:
        for m in metrics:
            ctx.log(f"{m.name}...")
            started = time.perf_counter()
            try:
                values[m.name] = m.func(ctx)
            except MetricSkipped as reason:
                skipped[m.name] = str(reason)
                ctx.log(f"  skipped: {reason}")
            except Exception as error:  # noqa: BLE001 - reported, then the next one
                errors[m.name] = error
                ctx.log(traceback.format_exc())
                ctx.log(f"{m.name} FAILED: {error}")
            else:
                ctx.log(
                    f"  {values[m.name]:g} {m.unit} "
                    f"({time.perf_counter() - started:.1f} s)"
                )
    finally:
        connection.creation.destroy_test_db(
            connection.settings_dict["NAME"], verbosity=0
        )
    return values, errors, metrics, skipped


if __name__ == "__main__":
    sys.exit(main())
