"""Print the load test's table and JSON object from what a run left in its folder.

    python bench/load/summary.py RUN_FOLDER

Reads locust's per-page figures (locust_stats.csv), the database's count of
the learners' attempts (check.json, from ``load_prepare --check``), the
answers the site's limits refused (extra.json) and the run's settings
(run.json); writes result.json beside them.

Exit status: 0 when the thresholds below hold; 1 when one does not (for
information: timings on a shared machine are no gate); 2 when an attempt was
lost or counted twice, or the run left no figures (the harness failed).
"""

import csv
import json
import sys
from pathlib import Path

# Informational thresholds: share of failed requests, and the 95th percentile
# of every page (login, one password check each, has its own).
MAX_ERROR_SHARE = 0.01
MAX_P95_MS = 3000
MAX_LOGIN_P95_MS = 5000


def _number(text: str) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def read_pages(path: Path) -> tuple[list[dict], dict | None]:
    pages, total = [], None
    with path.open(newline="", encoding="utf-8") as file:
        for row in csv.DictReader(file):
            page = {
                "page": row["Name"],
                "method": row["Type"],
                "requests": int(row["Request Count"]),
                "errors": int(row["Failure Count"]),
                "rps": round(_number(row["Requests/s"]) or 0, 2),
                "p50_ms": _number(row["50%"]),
                "p95_ms": _number(row["95%"]),
                "p99_ms": _number(row["99%"]),
            }
            if row["Name"] == "Aggregated":
                total = page
            else:
                pages.append(page)
    return pages, total


def read_failures(path: Path) -> list[dict]:
    """Return locust's failures, the most frequent first."""
    if not path.exists():
        return []
    with path.open(newline="", encoding="utf-8") as file:
        rows = [
            {
                "page": row["Name"],
                "error": row["Error"],
                "count": int(row["Occurrences"]),
            }
            for row in csv.DictReader(file)
        ]
    return sorted(rows, key=lambda row: -row["count"])


def verdict(pages, total, check) -> tuple[int, list[str]]:
    """Return the exit status and what went wrong."""
    if total is None or not total["requests"]:
        return 2, ["no request was made: the harness failed"]
    if check is None:
        return 2, ["the attempts were not counted in the database"]
    problems, status = [], 0
    logins = next((p for p in pages if p["page"] == "login"), None)
    if logins and logins["errors"] == logins["requests"]:
        return 2, ["every login failed: the harness could not log in"]
    if check["lost_attempts"]:
        problems.append(f"{check['lost_attempts']} attempts lost")
        status = 2
    if check["extra_attempts"]:
        problems.append(f"{check['extra_attempts']} attempts counted twice")
        status = 2
    share = total["errors"] / total["requests"]
    if share > MAX_ERROR_SHARE:
        problems.append(f"{share:.1%} of requests failed (over {MAX_ERROR_SHARE:.0%})")
        status = max(status, 1)
    for page in pages:
        limit = MAX_LOGIN_P95_MS if page["page"] == "login" else MAX_P95_MS
        if page["p95_ms"] is not None and page["p95_ms"] > limit:
            problems.append(
                f"{page['page']}: p95 {page['p95_ms']:.0f} ms (over {limit} ms)"
            )
            status = max(status, 1)
    return status, problems


def table(pages, total) -> str:
    rows = [("page", "method", "requests", "errors", "req/s", "p50", "p95", "p99")]
    for page in [*sorted(pages, key=lambda p: p["page"]), total]:
        rows.append(
            (
                page["page"],
                page["method"],
                str(page["requests"]),
                str(page["errors"]),
                f"{page['rps']:.1f}",
                *(
                    "-" if page[k] is None else f"{page[k]:.0f}"
                    for k in ("p50_ms", "p95_ms", "p99_ms")
                ),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for number, row in enumerate(rows):
        cells = [
            cell.ljust(widths[i]) if i < 2 else cell.rjust(widths[i])
            for i, cell in enumerate(row)
        ]
        lines.append("  ".join(cells))
        if number == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n(times in ms)"


def _read_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def main(folder: Path) -> int:
    stats = folder / "locust_stats.csv"
    if not stats.exists():
        print(f"{stats} is missing: locust did not finish.", file=sys.stderr)
        return 2
    pages, total = read_pages(stats)
    check = _read_json(folder / "check.json")
    extra = _read_json(folder / "extra.json") or {}
    failures = read_failures(folder / "locust_failures.csv")
    status, problems = verdict(pages, total, check)
    result = {
        **(_read_json(folder / "run.json") or {}),
        "rps": total["rps"] if total else 0,
        "requests": total["requests"] if total else 0,
        "errors": total["errors"] if total else 0,
        "pages": {
            p["page"]: {k: v for k, v in p.items() if k != "page"} for p in pages
        },
        "limited": extra.get("limited", {}),
        "failures": failures[:20],
        **(check or {}),
        "thresholds": {
            "max_error_share": MAX_ERROR_SHARE,
            "max_p95_ms": MAX_P95_MS,
            "max_login_p95_ms": MAX_LOGIN_P95_MS,
        },
        "problems": problems,
        "status": ["ok", "thresholds missed", "failed"][status],
    }
    (folder / "result.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    print(table(pages, total or {}) if total else "No requests.")
    if check:
        print(
            f"Attempts: {check['attempts_started']} started, {check['submits_sent']} "
            f"submits sent, {check['results_seen']} results seen; in the database "
            f"{check['submitted_in_db']} submitted, {check['lost_attempts']} lost, "
            f"{check['extra_attempts']} counted twice."
        )
    if extra.get("limited", {}).get("verify"):
        print(
            f"/verify/ answered 429 {extra['limited']['verify']} times: the simulated "
            "public shares one address unless the site trusts X-Forwarded-For."
        )
    for failure in failures[:10]:
        print(f"Failed {failure['count']} times: {failure['page']}: {failure['error']}")
    for problem in problems:
        print(f"NOTE: {problem}")
    print(json.dumps(result, ensure_ascii=False))
    return status


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(Path(sys.argv[1])))
