"""Keep mutants' outcomes in the repository as text, between sessions.

A mutation session (.mutation/NAME.sqlite) lives on one machine and is lost with
it, while a module's mutants take hours. This keeps what a session found in
docs/mutation/results/NAME.tsv, one line a mutant run: the file, cosmic-ray's
operator, the occurrence, the outcome, and the SHA-256 of the file's source the
mutant was made from. Run it with the tool's virtualenv:

    .venv-mutation/bin/python scripts/mutation_keep.py export NAME [SESSION]
    .venv-mutation/bin/python scripts/mutation_keep.py import NAME

`export` writes the session's outcomes (SESSION, by default .mutation/NAME.sqlite)
into the file, over the lines of the same mutants; it keeps the lines of mutants
the session has not run, and drops every line of a file whose source has
changed since (its operators and occurrences name other mutants now). It reads
the sources from MUTATION_SOURCES (by default the current directory), which must
be the unchanged ones the session ran on: each outcome's diff is made again from
them and must be the one the session recorded, or nothing is written.

`import` marks the pending mutants of a fresh session (after `cosmic-ray init`
and the filters) with their kept outcome when the file's source on disk has the
digest kept with it, so `cosmic-ray exec` runs only the others. A survivor stays
a survivor until it is run again (scripts/mutation.sh --survivors).
"""

import csv
import difflib
import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from cosmic_ray.mutating import mutate_code
from cosmic_ray.plugins import get_operator
from mutation_annotations import pending_mutants

RESULTS = Path("docs/mutation/results")
SESSIONS = Path(".mutation")
SOURCES = Path(os.environ.get("MUTATION_SOURCES", "."))
COLUMNS = ["module", "operator", "occurrence", "outcome", "source_sha256"]
IMPORTED = "Kept in docs/mutation/results/ from an earlier session"

# Each outcome kept, and the row of cosmic-ray's work_results it stands for:
# (worker outcome, test outcome, output). A timeout is a kill whose output is
# "timeout" (cosmic_ray.testing.run_tests), which mutation_summary.py counts apart.
OUTCOMES = {
    "killed": ("NORMAL", "KILLED", None),
    "timeout": ("NORMAL", "KILLED", "timeout"),
    "survived": ("NORMAL", "SURVIVED", None),
    "incompetent": ("NORMAL", "INCOMPETENT", None),
    "exception": ("EXCEPTION", "INCOMPETENT", None),
    "abnormal": ("ABNORMAL", None, None),
    "no-test": ("NO_TEST", None, None),
}


def digest(path: str) -> str:
    return hashlib.sha256((SOURCES / path).read_bytes()).hexdigest()


def differs_from_head(path: str) -> bool:
    """Tell whether the source read differs from the checkout's last commit.

    The diffs' check sees a mutant left on disk only near another mutant's
    lines; a copy of the tree made from this commit must match it whole.
    """
    committed = subprocess.run(
        ["git", "show", f"HEAD:{path}"], capture_output=True, check=False
    )
    return (
        committed.returncode == 0 and committed.stdout != (SOURCES / path).read_bytes()
    )


def mutant_diff(path: str, operator: str, occurrence: int) -> str:
    """Return the diff cosmic-ray's worker records for this mutant of the source."""
    source = (SOURCES / path).read_text(encoding="utf-8")
    mutated = mutate_code(source, get_operator(operator)(), occurrence)
    lines = ["--- mutation diff ---"]
    lines += difflib.unified_diff(
        source.split("\n"),
        (mutated or source).split("\n"),
        fromfile=f"a/{path}",
        tofile=f"b/{path}",
        lineterm="",
    )
    return "\n".join(lines)


def outcome_of(worker: str, test: str | None, output: str | None) -> str:
    if worker == "NORMAL" and test == "KILLED" and output == "timeout":
        return "timeout"
    if worker == "NORMAL":
        return test.lower()
    return worker.lower().replace("_", "-")


def read_kept(name: str) -> dict[tuple[str, str, int], dict]:
    path = RESULTS / f"{name}.tsv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as file:
        rows = csv.DictReader(file, delimiter="\t")
        return {
            (row["module"], row["operator"], int(row["occurrence"])): row
            for row in rows
        }


def export(name: str, session: str) -> None:
    db = sqlite3.connect(f"file:{session}?mode=ro", uri=True)
    results = db.execute(
        "SELECT s.module_path, s.operator_name, s.occurrence, r.worker_outcome,"
        " r.test_outcome, r.output, r.diff FROM mutation_specs s"
        " JOIN work_results r ON r.job_id = s.job_id"
        " WHERE r.worker_outcome != 'SKIPPED'"
    ).fetchall()
    digests: dict[str, str] = {}
    fresh = {}
    for path, operator, occurrence, worker, test, output, diff in results:
        if path not in digests:
            digests[path] = digest(path)
            if differs_from_head(path):
                print(f"Warning: {SOURCES / path} is not the one of this commit.")
        # A session stopped by a signal leaves its last mutant on disk, and a
        # tree may have moved on since: the diffs tell whether these sources
        # are the ones the mutants were made from.
        if diff and diff != mutant_diff(path, operator, occurrence):
            sys.exit(
                f"{path}: {operator} #{occurrence} differs from the session's diff;"
                f" {SOURCES} is not the source the session ran on."
            )
        fresh[(path, operator, occurrence)] = {
            "module": path,
            "operator": operator,
            "occurrence": str(occurrence),
            "outcome": outcome_of(worker, test, output),
            "source_sha256": digests[path],
        }
    kept = {
        key: row
        for key, row in read_kept(name).items()
        if digests.get(row["module"], row["source_sha256"]) == row["source_sha256"]
    }
    kept.update(fresh)
    RESULTS.mkdir(parents=True, exist_ok=True)
    with (RESULTS / f"{name}.tsv").open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(
            file, COLUMNS, delimiter="\t", lineterminator="\n", extrasaction="ignore"
        )
        writer.writeheader()
        writer.writerows(kept[key] for key in sorted(kept))
    print(f"{RESULTS / name}.tsv: {len(fresh)} from {session}, {len(kept)} in all")


def restore(name: str) -> None:
    kept = read_kept(name)
    session = SESSIONS / f"{name}.sqlite"
    db = sqlite3.connect(session)
    pending = pending_mutants(db)
    digests: dict[str, str] = {}
    marked = stale = 0
    for job_id, path, operator, occurrence in pending:
        row = kept.get((path, operator, occurrence))
        if row is None:
            continue
        if path not in digests:
            digests[path] = digest(path)
        if row["source_sha256"] != digests[path]:
            stale += 1
            continue
        worker, test, output = OUTCOMES[row["outcome"]]
        diff = mutant_diff(path, operator, occurrence) if test == "SURVIVED" else None
        db.execute(
            "INSERT INTO work_results (worker_outcome, output, test_outcome, diff,"
            " job_id) VALUES (?, ?, ?, ?, ?)",
            (worker, output or IMPORTED, test, diff, job_id),
        )
        marked += 1
    db.commit()
    print(
        f"{session}: {marked} mutants marked from {RESULTS / name}.tsv,"
        f" {stale} kept for another source of their file (run again)"
    )


def main(arguments: list[str]) -> None:
    if len(arguments) < 2 or arguments[0] not in ("export", "import"):
        sys.exit(__doc__)
    command, name = arguments[0], arguments[1]
    if command == "export":
        session = arguments[2] if len(arguments) > 2 else f"{SESSIONS / name}.sqlite"
        export(name, session)
    else:
        restore(name)


if __name__ == "__main__":
    main(sys.argv[1:])
