#!/usr/bin/env bash
# Mutation testing with cosmic-ray: change the code one small step at a time
# (a `<` for a `<=`, a `True` for a `False`, ...) and check that the tests fail.
#
#   scripts/mutation.sh                 # every module, one after the other
#   scripts/mutation.sh scoring checkin # only these (names: scripts/mutation/*.toml)
#   scripts/mutation.sh --survivors scoring  # try the survivors again (new tests)
#
# Each module's configuration names the tests that exercise it. They run once
# on the unchanged code, recording which test runs which line
# (scripts/mutation_trace.py); then each mutant runs only the tests that run
# the code it changes, in a child forked from a server that has the libraries
# loaded (scripts/mutation_server.py). The tool lives in its own virtualenv (.venv-mutation, from
# requirements-mutation.txt) so it never touches the project's .venv; the tests
# run on the project's .venv. Sessions (SQLite) and reports go to .mutation/;
# a session already there is resumed, so an interrupted run picks up where it
# stopped (delete .mutation/NAME.sqlite to start over). Each module's outcomes
# are also kept as text in docs/mutation/results/NAME.tsv (scripts/mutation_keep.py),
# which a new session reads after `cosmic-ray init`: it runs only the mutants
# not kept there for the file's present source.
#
# cosmic-ray changes the source files in place, one mutant at a time, and puts
# them back: do not edit the code while it runs, and run it on a clean tree.
set -euo pipefail
cd "$(dirname "$0")/.."

TOOL_VENV=${MUTATION_VENV:-.venv-mutation}
if [ ! -x "$TOOL_VENV/bin/cosmic-ray" ]; then
    python3 -m venv "$TOOL_VENV"
    "$TOOL_VENV/bin/pip" install --quiet -r requirements-mutation.txt
fi
test -x .venv/bin/python || { echo "Build the project's .venv first (make setup)." >&2; exit 1; }

export DJANGO_SETTINGS_MODULE=lms.settings.test
# Building the test database takes half a minute of CPU, far longer than most
# modules' tests: on PostgreSQL it is built by the first run and kept (pytest
# --reuse-db; a new migration is applied to it) for every mutant after.
# MUTATION_DATABASE_URL= (empty) runs on the in-memory SQLite of the test
# settings instead, rebuilding it for each mutant.
MUTATION_DATABASE_URL=${MUTATION_DATABASE_URL-postgres://postgres@127.0.0.1:5432/lms_mutation}
if [ -n "$MUTATION_DATABASE_URL" ]; then
    export DATABASE_URL=$MUTATION_DATABASE_URL
fi
mkdir -p .mutation
retry_survivors=
if [ "${1:-}" = "--survivors" ]; then
    retry_survivors=1
    shift
fi
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
    # Smallest and most critical first.
    names=(scoring checkin users-scopes classes-scopes certificates-scopes
           regions-scopes certificates-services quizzes-services
           report-selectors spreadsheets)
fi
NICE=${MUTATION_NICE:-15}
server=
stop_server() { if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; server=; fi; }
trap stop_server EXIT
for name in "${names[@]}"; do
    config=scripts/mutation/$name.toml
    session=.mutation/$name.sqlite
    test -f "$config" || { echo "No $config" >&2; exit 1; }
    read -r module_path tests < <("$TOOL_VENV/bin/python" -c 'import sys, tomllib
config = tomllib.load(open(sys.argv[1], "rb"))
print(config["cosmic-ray"]["module-path"], config["mutation"]["tests"])' "$config")
    # Which tests run which lines of the unchanged module (mutation_trace.py):
    # each mutant then runs only the tests that run the function it changes.
    # The tests must pass here, on the unchanged code, or every mutant looks killed.
    # shellcheck disable=SC2086 # $tests is a list of paths
    PYTHONPATH=scripts nice -n "$NICE" .venv/bin/python -m pytest -q -p no:cacheprovider \
        --reuse-db -p mutation_trace --mutation-trace=".mutation/$name.tests.json" \
        --mutation-paths="$module_path" $tests \
        || { echo "$name: the tests fail on the unchanged code" >&2; exit 1; }
    # The server that forks a test run for each mutant, Django's libraries loaded.
    module=${module_path%.py}
    nice -n "$NICE" .venv/bin/python scripts/mutation_server.py serve \
        ".mutation/$name.sock" "${module//\//.}" > ".mutation/$name.server.log" 2>&1 &
    server=$!
    until grep -q ready ".mutation/$name.server.log"; do
        kill -0 "$server" 2>/dev/null || { cat ".mutation/$name.server.log" >&2; exit 1; }
        sleep 1
    done
    "$TOOL_VENV/bin/cosmic-ray" baseline "$config" \
        || { echo "$name: the tests fail on the unchanged code (server)" >&2; exit 1; }
    if [ ! -f "$session" ]; then
        "$TOOL_VENV/bin/cosmic-ray" init "$config" "$session"
        "$TOOL_VENV/bin/cr-filter-operators" "$session" "$config"
        # Mutants that change only a function's annotation: equivalent, unrun.
        "$TOOL_VENV/bin/python" scripts/mutation_annotations.py "$session"
        # Outcomes kept from earlier sessions for the same source of each file
        # (docs/mutation/results/NAME.tsv): only the other mutants are run.
        "$TOOL_VENV/bin/python" scripts/mutation_keep.py import "$name"
    fi
    if [ -n "$retry_survivors" ] && [ -f "$session" ]; then
        # Forget the survivors' results: exec runs them again as pending.
        "$TOOL_VENV/bin/python" -c 'import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("DELETE FROM work_results WHERE test_outcome = ?", ("SURVIVED",))
db.commit()' "$session"
    fi
    # Low priority: mutation runs are long and should not starve anything else.
    nice -n "$NICE" "$TOOL_VENV/bin/cosmic-ray" exec "$config" "$session"
    stop_server
    "$TOOL_VENV/bin/cr-report" --show-diff --surviving-only "$session" > ".mutation/$name.txt"
    # Keep the outcomes as text, to commit (docs/mutation.md, "Keeping results
    # between sessions"); the sources are unchanged again once exec is done.
    "$TOOL_VENV/bin/python" scripts/mutation_keep.py export "$name"
    tail -n 3 ".mutation/$name.txt"
done
"$TOOL_VENV/bin/python" scripts/mutation_summary.py "${names[@]}"
