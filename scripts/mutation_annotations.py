"""Mark the mutants that change only a type annotation as equivalent, unrun.

Run with the tool's virtualenv after `cosmic-ray init` and the operator filter,
before `cosmic-ray exec`: .venv-mutation/bin/python scripts/mutation_annotations.py
.mutation/NAME.sqlite

In a module that starts with `from __future__ import annotations`, the
annotations of a function's parameters and of its result are never evaluated
(`QuerySet | None` turned into `QuerySet & None` changes nothing), so running the
tests on such a mutant is a minute of CPU for a known answer (docs/mutation.md,
"Survivors judged equivalent"). A pending mutant whose code, once the function
annotations are taken out, is the same as the unchanged module's is recorded as
SKIPPED with the output "Equivalent: annotation only", which
scripts/mutation_summary.py counts apart. Annotations of variables and class
attributes are left alone: a dataclass reads them.
"""

import ast
import sqlite3
import sys

from cosmic_ray.mutating import mutate_code
from cosmic_ray.plugins import get_operator

OUTPUT = "Equivalent: annotation only"


def _without_function_annotations(source: str) -> str | None:
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            node.returns = None
        elif isinstance(node, ast.arg):
            node.annotation = None
    return ast.dump(tree)


def _postponed(source: str) -> bool:
    return any(
        isinstance(node, ast.ImportFrom)
        and node.module == "__future__"
        and any(alias.name == "annotations" for alias in node.names)
        for node in ast.parse(source).body
    )


def pending_mutants(db: sqlite3.Connection) -> list[tuple]:
    """Return (job id, module path, operator, occurrence) of every mutant of
    the session not run yet (also used by mutation_keep.py)."""
    return db.execute(
        "SELECT s.job_id, s.module_path, s.operator_name, s.occurrence"
        " FROM mutation_specs s LEFT JOIN work_results r ON r.job_id = s.job_id"
        " WHERE r.job_id IS NULL"
    ).fetchall()


def mark(session: str) -> int:
    db = sqlite3.connect(session)
    pending = pending_mutants(db)
    sources: dict[str, str] = {}
    marked = 0
    for job_id, path, operator, occurrence in pending:
        if path not in sources:
            with open(path, encoding="utf-8") as file:
                sources[path] = file.read()
        source = sources[path]
        if not _postponed(source):
            continue
        try:
            mutated = mutate_code(source, get_operator(operator)(), occurrence)
        except Exception:  # noqa: BLE001 - an operator cosmic-ray cannot apply here
            continue
        if mutated is None or mutated == source:
            continue
        try:
            same = _without_function_annotations(
                mutated
            ) == _without_function_annotations(source)
        except SyntaxError:
            continue
        if same:
            db.execute(
                "INSERT INTO work_results (worker_outcome, output, test_outcome,"
                " diff, job_id) VALUES ('SKIPPED', ?, NULL, NULL, ?)",
                (OUTPUT, job_id),
            )
            marked += 1
    db.commit()
    return marked


if __name__ == "__main__":
    for session in sys.argv[1:]:
        print(f"{session}: {mark(session)} annotation-only mutants marked equivalent")
