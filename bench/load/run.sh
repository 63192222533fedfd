#!/usr/bin/env bash
# The campaign-peak load test against a running deployment, in one command:
#
#   bench/load/run.sh --host http://127.0.0.1:8000 [--users 500] [--minutes 10]
#       [--seconds N] [--spawn-rate R] [--site https://lms.example]
#       [--pace F] [--manage "lms-manage"] [--out FOLDER]
#
# 1. makes .venv-load (gitignored) with bench/load/requirements.txt when it
#    is missing or the requirements changed;
# 2. `manage.py load_prepare` makes the accounts, classes, course and
#    certificates on the deployment's database and writes the plan
#    (--manage: how to run manage.py there; default this checkout's .venv
#    with the environment as it is, e.g. DATABASE_URL and
#    DJANGO_SETTINGS_MODULE of the deployment);
# 3. the course's pages are opened once (bench/load/warm_up.py), then locust runs the scenario (bench/load/locustfile.py) headless: --users
#    simulated people (80% learners, 10% teachers, 5% officials, 5% public),
#    started at --spawn-rate a second (default: all within the first minute),
#    for --minutes (default 10) or --seconds;
# 4. `load_prepare --check` counts, in the database, the attempts the
#    learners submitted;
# 5. bench/load/summary.py prints the table and the JSON object.
#
# Exit status: 0 thresholds kept; 1 a threshold missed (information); 2 an
# attempt lost or counted twice, or the harness failed.
# `manage.py load_prepare --remove` takes the load test's data away afterwards.
set -euo pipefail
# Any step that fails is the harness failing: exit 2, not a threshold's 1.
trap 'echo "bench/load/run.sh: the command at line $LINENO failed." >&2; exit 2' ERR
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
host="" site="" users=500 seconds=600 spawn="" pace=1 out=""
manage=".venv/bin/python manage.py"
while [ $# -gt 0 ]; do
  case "$1" in
    --host) host=$2; shift 2 ;;
    --site) site=$2; shift 2 ;;
    --users) users=$2; shift 2 ;;
    --minutes) seconds=$(($2 * 60)); shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --spawn-rate) spawn=$2; shift 2 ;;
    --pace) pace=$2; shift 2 ;;
    --manage) manage=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "Unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ -n "$host" ] || { echo "--host is required (see --help)." >&2; exit 2; }
# Everyone within the first minute (at least one a second).
spawn=${spawn:-$(((users + 59) / 60))}
out=${out:-bench/.results/load/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out"

requirements=bench/load/requirements.txt
stamp=.venv-load/.requirements.sha256
wanted=$(sha256sum "$requirements" | cut -d' ' -f1)
if [ ! -x .venv-load/bin/locust ] || [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  echo "--- .venv-load: pip install -r $requirements"
  python3 -m venv .venv-load
  .venv-load/bin/pip install -q --disable-pip-version-check -r "$requirements"
  echo "$wanted" >"$stamp"
fi

echo "--- load_prepare --users $users"
# shellcheck disable=SC2086 # --manage is a command line
$manage load_prepare --users "$users" --out - | tail -n 1 >"$out/plan.json"
since=$(.venv-load/bin/python -c \
  'import json, sys; print(json.load(open(sys.argv[1]))["prepared_at"])' "$out/plan.json")
.venv-load/bin/python - "$out/run.json" <<EOF
import json, sys
json.dump({"host": "$host", "site": "$site", "users": $users, "seconds": $seconds,
           "spawn_rate": $spawn, "pace": $pace}, open(sys.argv[1], "w"))
EOF

echo "--- warm-up: the course's pages once (their pictures resized)"
.venv-load/bin/python bench/load/warm_up.py "$out/plan.json" "$host" "$site" ||
  { echo "The course's pages do not answer 200: is --site right?" >&2; exit 2; }

echo "--- locust: $users users for $seconds s against $host${site:+ (as $site)}"
rc=0
LOAD_PLAN="$out/plan.json" LOAD_SITE="$site" LOAD_PACE="$pace" \
  LOAD_ATTEMPTS="$out/attempts.jsonl" LOAD_EXTRA="$out/extra.json" \
  .venv-load/bin/locust -f bench/load/locustfile.py --headless --only-summary \
  --host "$host" --users "$users" --spawn-rate "$spawn" --run-time "${seconds}s" \
  --stop-timeout 30 --exit-code-on-error 0 --csv "$out/locust" --loglevel WARNING \
  >"$out/locust.log" 2>&1 || rc=$?
if [ "$rc" -ne 0 ]; then
  tail -n 40 "$out/locust.log"
  echo "locust exited with $rc." >&2
  exit 2
fi

echo "--- load_prepare --check (attempts in the database)"
touch "$out/attempts.jsonl"
# shellcheck disable=SC2086
$manage load_prepare --check - --since "$since" <"$out/attempts.jsonl" |
  tail -n 1 >"$out/check.json"

echo "--- result ($out)"
trap - ERR
set +e
.venv-load/bin/python bench/load/summary.py "$out"
