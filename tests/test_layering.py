"""The apps are layered one way (DESIGN.md, "Architecture"): an app imports
nothing from the apps its rule forbids, not even inside a function.

Every module of an app is parsed, tests/ and migrations/ left out: tests may
build worlds from any app, and migrations name other apps' models by label.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT_APPS = {
    "core",
    "users",
    "regions",
    "courses",
    "quizzes",
    "classes",
    "certificates",
    "outreach",
    "reports",
    "demo",
}
SKIPPED_DIRS = {"tests", "migrations", "__pycache__"}

# What each app may not import. Only rules the code keeps today are listed.
FORBIDDEN = {
    "core": PROJECT_APPS - {"core"},
    "regions": {
        "users",
        "courses",
        "quizzes",
        "classes",
        "certificates",
        "outreach",
        "reports",
    },
    # People and their roles; each app above decides who sees its own rows.
    "users": {
        "courses",
        "quizzes",
        "classes",
        "certificates",
        "outreach",
        "reports",
        "demo",
    },
    # Completion announces itself (courses.signals, courses.completion): the
    # apps above listen, courses knows none of them.
    "courses": {"quizzes", "classes", "certificates", "outreach", "reports", "demo"},
    "quizzes": {"certificates", "outreach", "reports", "demo"},
    "classes": {"certificates", "outreach", "reports", "demo"},
    # Helped-person records sit above certificates (who may record is who holds
    # a valid one); certificates prints a giấy khen through its own registry.
    "certificates": {"outreach", "reports", "demo"},
    "outreach": {"reports", "demo"},
    "reports": {"demo"},
}


def app_modules(app: str):
    """Yield every .py file of the app, outside its tests and migrations."""
    for path in sorted((ROOT / app).rglob("*.py")):
        if SKIPPED_DIRS.isdisjoint(path.relative_to(ROOT / app).parts[:-1]):
            yield path


def imported_apps(path: Path):
    """Yield (line, top-level package) for every absolute import in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module.split(".")[0]


def forbidden_imports(app: str) -> list[str]:
    """Return "file:line imports app" for each import the app's rule forbids."""
    found = []
    for path in app_modules(app):
        for line, package in imported_apps(path):
            if package in FORBIDDEN[app]:
                found.append(f"{path.relative_to(ROOT)}:{line} imports {package}")
    return found


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_app_imports_none_of_its_forbidden_apps(app):
    """The app imports none of the apps above it."""
    offending = forbidden_imports(app)
    assert not offending, (
        f"{app} may not import {', '.join(sorted(FORBIDDEN[app]))}:\n"
        + "\n".join(offending)
    )


def test_the_check_sees_imports_inside_functions(tmp_path, monkeypatch):
    """An import inside a function, or of a submodule, is found with its line."""
    module = tmp_path / "core" / "late.py"
    module.parent.mkdir()
    module.write_text(
        "import os\n\n\ndef f():\n    from courses.models import CoursePage\n"
        "    import users.scopes\n"
    )
    (tmp_path / "core" / "tests").mkdir()
    (tmp_path / "core" / "tests" / "test_late.py").write_text("import courses\n")
    monkeypatch.setitem(globals(), "ROOT", tmp_path)

    assert forbidden_imports("core") == [
        "core/late.py:5 imports courses",
        "core/late.py:6 imports users",
    ]
