"""Summarise mutation sessions (.mutation/NAME.sqlite) as a Markdown table.

Run with the tool's virtualenv, when no mutation run is under way (the sources
must be the unchanged ones): .venv-mutation/bin/python scripts/mutation_summary.py
[NAME...]; MUTATION_SOURCES=DIR reads the sources from another copy of the tree.

Columns: mutants generated; left out by the operator filter; left out unrun
as equivalent because they change only a function's type annotation
(scripts/mutation_annotations.py); run;
mutants that do not even compile (a keyword-only `*` in a signature turned into
`-`, say: "killed" by any import, so left out of the score); killed by a failing
test; killed by the timeout; survived; not yet run. The score is killed (tests
and timeouts) over compiled mutants run, before survivors judged equivalent are
taken out (docs/mutation.md does that by hand).
"""

import os
import sqlite3
import sys
from pathlib import Path

from cosmic_ray.mutating import mutate_code
from cosmic_ray.plugins import get_operator

SESSIONS = Path(".mutation")
SOURCES = Path(os.environ.get("MUTATION_SOURCES", "."))


def compiles(module_path: str, operator_name: str, occurrence: int) -> bool:
    source = (SOURCES / module_path).read_text()
    try:
        mutated = mutate_code(source, get_operator(operator_name)(), occurrence)
    except Exception:  # noqa: BLE001 - cosmic-ray cannot apply it: judged by its run
        return True
    try:
        compile(mutated or source, module_path, "exec")
    except SyntaxError:
        return False
    return True


def summarise(name: str) -> dict:
    db = sqlite3.connect(f"file:{SESSIONS / name}.sqlite?mode=ro", uri=True)
    rows = db.execute(
        "SELECT s.module_path, s.operator_name, s.occurrence, r.worker_outcome,"
        " r.test_outcome, r.output FROM mutation_specs s"
        " LEFT JOIN work_results r ON r.job_id = s.job_id"
    ).fetchall()
    counts = dict.fromkeys(
        [
            "generated",
            "filtered",
            "annotation",
            "run",
            "no_compile",
            "killed",
            "timeout",
            "survived",
            "pending",
        ],
        0,
    )
    for path, operator, occurrence, worker, test, output in rows:
        counts["generated"] += 1
        if worker is None:
            counts["pending"] += 1
        elif worker == "SKIPPED" and (output or "").startswith("Equivalent"):
            counts["annotation"] += 1
        elif worker == "SKIPPED":
            counts["filtered"] += 1
        else:
            counts["run"] += 1
            if not compiles(path, operator, occurrence):
                counts["no_compile"] += 1
            elif test == "SURVIVED":
                counts["survived"] += 1
            elif output == "timeout":
                counts["timeout"] += 1
            else:
                counts["killed"] += 1
    return counts


def main(names: list[str]) -> None:
    names = names or sorted(path.stem for path in SESSIONS.glob("*.sqlite"))
    print(
        "| module | generated | filtered | annotation | run | no compile | killed"
        " | timeout | survived | pending | killed % |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name in names:
        c = summarise(name)
        scored = c["killed"] + c["timeout"] + c["survived"]
        score = f"{100 * (c['killed'] + c['timeout']) / scored:.1f}" if scored else "–"
        print(
            f"| {name} | {c['generated']} | {c['filtered']} | {c['annotation']}"
            f" | {c['run']}"
            f" | {c['no_compile']} | {c['killed']} | {c['timeout']}"
            f" | {c['survived']} | {c['pending']} | {score} |"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
