#!/usr/bin/env bash
# The README's "Step by step, on a fresh Debian 12 machine", followed on one.
#
# The machine is a Debian 12 made by debootstrap in a folder and entered with
# chroot: its base system and nothing else. The shell blocks of the README's
# steps are read from README.md and run as written, with only these changes,
# each of which must still find its text (an edit of the README that one of
# them no longer matches fails this script, so the two cannot drift apart):
#   - step 2 clones this checkout instead of the project's public address;
#   - step 3 sets the database user's password without a prompt;
#   - step 4 (prose in the README) fills /etc/lms/env as it says, by sed;
#   - step 5 makes the superuser without a prompt;
#   - step 6: there is no systemd in a chroot, so each unit that step 6
#     enables is started as its file says (User, WorkingDirectory,
#     EnvironmentFile, Environment, RuntimeDirectory, ExecStart), and each
#     timer's service is run once and must succeed;
#   - step 7: a self-signed certificate where certbot would put Let's
#     Encrypt's, and nginx started instead of reloaded.
# Steps 1 and 2 (apt-get and pip) use the network; from step 3 on, everything
# runs in a network namespace of its own, so the machine's own PostgreSQL,
# Redis and ports are neither used nor disturbed. Step 8 then checks it through
# nginx: /healthz ok with two workers alive, the pages, a login, a certificate
# verified by its code, /metrics closed to the public; and check --deploy.
#
# Needs root, debootstrap (installed when missing) and Debian's mirror.
# About 10 minutes. Leaves nothing behind. Usage: bash deploy/ci/fresh-debian.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
SRC=$PWD
SITE=kynangso.example.gov.vn
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

[ "$(id -u)" -eq 0 ] || { echo "fresh-debian.sh needs root (debootstrap, chroot)." >&2; exit 1; }

# Mounts made here are this script's own, gone with it.
if [ -z "${FRESH_DEBIAN_UNSHARED:-}" ]; then
  export FRESH_DEBIAN_UNSHARED=1
  exec unshare --mount --propagation private bash "$0" "$@"
fi

if ! command -v debootstrap >/dev/null; then
  echo "Installing debootstrap..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
fi

root=$(mktemp -d /tmp/fresh-debian.XXXXXX)
chmod 755 "$root"
cleanup() {
  set +e
  # Every process whose root is the machine (PostgreSQL, Redis, the units).
  local proc
  for proc in /proc/[0-9]*; do
    [ "$(readlink "$proc/root" 2>/dev/null)" = "$root" ] && kill -9 "${proc#/proc/}" 2>/dev/null
  done
  sleep 1
  umount -R -l "$root/proc" "$root/sys" "$root/dev" "$root/mnt/src" 2>/dev/null
  # FRESH_DEBIAN_KEEP=1: leave the machine's folder to look into.
  [ "${FRESH_DEBIAN_KEEP:-}" = 1 ] && { echo "Kept $root."; return; }
  rm -rf --one-file-system "$root"
}
trap cleanup EXIT

fail() {
  echo "FAILED: $*" >&2
  exit 1
}

echo "--- A fresh Debian 12 (debootstrap bookworm, the default set of packages)"
started=$SECONDS
debootstrap bookworm "$root" "$MIRROR" >"$root.debootstrap.log" 2>&1 ||
  { tail -n 30 "$root.debootstrap.log"; rm -f "$root.debootstrap.log"; fail "debootstrap"; }
rm -f "$root.debootstrap.log"
echo "debootstrap: $((SECONDS - started)) s"
cp /etc/resolv.conf "$root/etc/resolv.conf"
# Package scripts must not start services (there is no init to own them); the
# steps below start what the site needs.
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"
mount -t proc proc "$root/proc"
mount --rbind /sys "$root/sys"
mount --rbind /dev "$root/dev"
mkdir -p "$root/mnt/src"
# The certificate authorities this machine trusts, for pip: where the network
# inspects TLS (as here, and behind some provinces' proxies), its own authority
# is among them, as an operator would configure pip there.
install -D -m 644 /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/host-ca.crt"
printf '[global]\ncert = /etc/ssl/host-ca.crt\n' >"$root/etc/pip.conf"
mount --bind "$SRC" "$root/mnt/src"

# in_machine SCRIPT: run the script with bash in the machine, as root, with a
# root's login environment.
in_machine() {
  chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    DEBIAN_FRONTEND=noninteractive bash -euo pipefail -c "$1"
}

# The README's shell blocks of "Step by step", in order (steps 1, 2, 3, 5, 6, 7).
"${PY:-python3}" - "$SRC/README.md" "$root/steps" <<'EOF'
import pathlib
import re
import sys

text = pathlib.Path(sys.argv[1]).read_text()
section = text.split("### Step by step", 1)[1].split("\n### ", 1)[0]
blocks = re.findall(r"\n   ```sh\n(.*?)\n   ```", section, re.S)
out = pathlib.Path(sys.argv[2])
out.mkdir()
for number, block in zip((1, 2, 3, 5, 6, 7), blocks, strict=True):
    lines = [line[3:] if line.startswith("   ") else line for line in block.splitlines()]
    (out / f"step{number}.sh").write_text("\n".join(lines) + "\n")
EOF

# change STEP OLD NEW: replace OLD by NEW in the step's script; fail when OLD
# is not in it any more.
change() {
  local file="$root/steps/step$1.sh"
  grep -qF -- "$2" "$file" || fail "README step $1 no longer says: $2"
  OLD=$2 NEW=$3 "${PY:-python3}" -c '
import os, sys
path = sys.argv[1]
text = open(path).read().replace(os.environ["OLD"], os.environ["NEW"])
open(path, "w").write(text)
' "$file"
}

step() {
  echo "--- README step $1"
  sed 's/^/    /' "$root/steps/step$1.sh"
  local started=$SECONDS
  in_machine "set -x; $(cat "$root/steps/step$1.sh")" >"$root/steps/step$1.log" 2>&1 ||
    { tail -n 40 "$root/steps/step$1.log"; fail "README step $1"; }
  echo "    ($((SECONDS - started)) s)"
}

step 1
change 2 "git clone https://example.org/lms.git /srv/lms" "git clone -q /mnt/src /srv/lms"
step 2

# From here on, a network of its own: 127.0.0.1 is the machine's alone.
cat >"$root/steps/rest.sh" <<'EOF'
ip link set lo up
# An address of the public internet's documentation range, to ask as a visitor
# from outside would (127.0.0.1 is the machine itself, which may read /metrics).
ip addr add 203.0.113.7/32 dev lo
exec chroot "$ROOT" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  SITE="$SITE" bash -euo pipefail /steps/rest-in-machine.sh
EOF

DB_PASSWORD=$("${PY:-python3}" -c 'import secrets; print(secrets.token_hex(16))')
change 3 "createuser --pwprompt lms      # type a password" "createuser lms"
change 5 "lms-manage createsuperuser" \
  "DJANGO_SUPERUSER_PASSWORD=hoc-thu-2025 lms-manage createsuperuser --noinput --username admin --email admin@$SITE"
change 7 "certbot certonly --standalone -d kynangso.example.gov.vn \\
  --pre-hook 'systemctl stop nginx' --post-hook 'systemctl start nginx'" \
  "install -d /etc/letsencrypt/live/$SITE
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=$SITE \\
  -keyout /etc/letsencrypt/live/$SITE/privkey.pem \\
  -out /etc/letsencrypt/live/$SITE/fullchain.pem 2>/dev/null"
change 7 "s/kynangso.example.gov.vn/YOUR.NAME/g" "s/kynangso.example.gov.vn/$SITE/g"
change 7 "nginx -t && systemctl reload nginx" "nginx -t && nginx"
# Step 6's units, started as their files say (units.py, below), since a
# chroot has no systemd.
change 6 "cp deploy/systemd/* /etc/systemd/system/ && systemctl daemon-reload" \
  "cp deploy/systemd/* /etc/systemd/system/"
change 6 "systemctl enable --now lms-web lms-worker@1 lms-worker@2" \
  "python3 /steps/units.py start lms-web lms-worker@1 lms-worker@2"
change 6 "systemctl enable --now lms-expire-quiz-attempts.timer" \
  "python3 /steps/units.py once lms-expire-quiz-attempts.timer"
grep -q "systemctl" "$root/steps/step6.sh" "$root/steps/step7.sh" &&
  fail "steps 6 and 7 name a systemctl command this script does not know"

cat >"$root/steps/units.py" <<'EOF'
"""Start systemd units as their files say, where there is no systemd.

units.py start UNIT...   start each service in the background
units.py once TIMER...   run each timer's service once; fail when it fails
Reads /etc/systemd/system/<unit>: User, Group, WorkingDirectory,
EnvironmentFile, Environment, RuntimeDirectory, ExecStartPre, ExecStart,
ExecStartPost, with the specifiers %i, %H, %% and $$.
"""

import os
import pwd
import shlex
import socket
import subprocess
import sys

UNITS = "/etc/systemd/system"


def read(name):
    template = name
    instance = ""
    if "@" in name and not name.endswith("@.service"):
        prefix, rest = name.split("@", 1)
        instance, suffix = rest.rsplit(".", 1)
        template = f"{prefix}@.{suffix}"
    keys = {}
    with open(f"{UNITS}/{template}") as file:
        for line in file:
            line = line.strip()
            if not line or line.startswith(("#", ";", "[")):
                continue
            key, value = line.split("=", 1)
            value = (
                value.replace("%%", "\0")
                .replace("%i", instance)
                .replace("%H", socket.gethostname())
                .replace("\0", "%")
            )
            keys.setdefault(key, []).append(value)
    return keys


def environment(keys):
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"}
    for path in keys.get("EnvironmentFile", []):
        with open(path.lstrip("-")) as file:
            for line in file:
                line = line.strip()
                if line and not line.startswith("#") and "=" in line:
                    key, value = line.split("=", 1)
                    env[key] = shlex.split(value)[0] if value else ""
    for assignment in keys.get("Environment", []):
        for pair in shlex.split(assignment):
            key, value = pair.split("=", 1)
            env[key] = value
    return env


def command(line):
    return [part.replace("$$", "$") for part in shlex.split(line.lstrip("-"))]


def run_as(keys):
    user = pwd.getpwnam(keys["User"][0])
    for directory in keys.get("RuntimeDirectory", []):
        path = f"/run/{directory}"
        os.makedirs(path, exist_ok=True)
        os.chown(path, user.pw_uid, user.pw_gid)
    env = environment(keys)
    env.update(HOME=user.pw_dir, USER=user.pw_name, LOGNAME=user.pw_name)

    def demote():
        os.setgid(user.pw_gid)
        os.initgroups(user.pw_name, user.pw_gid)
        os.setuid(user.pw_uid)

    return {
        "cwd": keys.get("WorkingDirectory", ["/"])[0],
        "env": env,
        "preexec_fn": demote,
    }


def start(name):
    keys = read(f"{name}.service" if "." not in name else name)
    options = run_as(keys)
    for line in keys.get("ExecStartPre", []):
        subprocess.run(command(line), check=True, **options)
    log = open(f"/var/log/{name}.log", "ab")
    subprocess.Popen(
        command(keys["ExecStart"][0]),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        **options,
    )
    print(f"started {name}")


def once(timer):
    keys = read(timer)
    service = keys.get("Unit", [timer.rsplit(".", 1)[0] + ".service"])[0]
    keys = read(service)
    options = run_as(keys)
    for key in ("ExecStartPre", "ExecStart", "ExecStartPost"):
        for line in keys.get(key, []):
            result = subprocess.run(command(line), capture_output=True, **options)
            if result.returncode:
                sys.stderr.write(result.stdout.decode() + result.stderr.decode())
                sys.exit(f"{service}: {line} exited {result.returncode}")
    print(f"ran {service} once (for {timer})")


if __name__ == "__main__":
    action, names = sys.argv[1], sys.argv[2:]
    for name in names:
        # Step 6 names the timers after "enable --now", one line each.
        if name.endswith("\\"):
            continue
        (start if action == "start" else once)(name)
EOF

cat >"$root/steps/rest-in-machine.sh" <<EOF
set -x
# The services step 1 installed, started as their packages' units would. Step
# 1 ran beside this machine's own PostgreSQL, so Debian's package gave the
# cluster the next free port; on a machine of its own (as here now) it is 5432.
pg_conftool 15 main set port 5432
pg_ctlcluster 15 main start
redis-server /etc/redis/redis.conf --daemonize yes --supervised no
for _ in \$(seq 50); do redis-cli ping >/dev/null 2>&1 && break; sleep 0.2; done
bash -e /steps/step3.sh
runuser -u postgres -- psql -q -c "ALTER USER lms PASSWORD '$DB_PASSWORD'"
# Step 4: the environment, filled in as the README says.
install -d /etc/lms && cp /srv/lms/deploy/lms.env.example /etc/lms/env
sed -i \
  -e "s|^DJANGO_SECRET_KEY=.*|DJANGO_SECRET_KEY=\$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')|" \
  -e "s|postgres://lms:PASSWORD@|postgres://lms:$DB_PASSWORD@|" \
  -e "s|^EMAIL_URL=.*|EMAIL_URL=smtp://127.0.0.1:25|" \
  /etc/lms/env
chown root:lms /etc/lms/env && chmod 640 /etc/lms/env
cd /srv/lms
bash -e /steps/step5.sh
bash -e /steps/step6.sh
bash -e /steps/step7.sh
bash -e /steps/step8.sh
EOF

# Step 8: check it, as the README says, and the smoke flows.
cat >"$root/steps/step8.sh" <<'EOF'
set +x
curl_site() {
  curl -sS --resolve "$SITE:443:127.0.0.1" --resolve "$SITE:80:127.0.0.1" -k "$@"
}
for _ in $(seq 120); do
  health=$(curl_site "https://$SITE/healthz" || true)
  echo "$health" | python3 -c '
import json, sys
health = json.load(sys.stdin)
assert health["status"] == "ok", health
assert health["workers"]["alive"] == 2, health
' 2>/dev/null && break
  sleep 1
done
echo "healthz: $health"
echo "$health" | python3 -c '
import json, sys
health = json.load(sys.stdin)
assert health["status"] == "ok" and health["workers"]["alive"] == 2, health
'
code() { curl_site -o /dev/null -w '%{http_code}' "$@"; }
[ "$(code "http://$SITE/")" = 301 ] || { echo "http:// is not sent to https://"; exit 1; }
for path in / /tai-khoan/dang-nhap/ /verify/ /admin/login/; do
  status=$(code "https://$SITE$path")
  echo "GET $path: $status"
  [ "$status" = 200 ] || exit 1
done
status=$(code "https://$SITE/metrics")
echo "GET /metrics from the machine itself: $status"
[ "$status" = 200 ] || exit 1
status=$(curl -sS --resolve "$SITE:443:203.0.113.7" -k -o /dev/null -w '%{http_code}' \
  "https://$SITE/metrics")
echo "GET /metrics from outside: $status"
[ "$status" = 403 ] || [ "$status" = 404 ] || { echo "/metrics is public"; exit 1; }
# A login through nginx: the CSRF cookie and token, then the session.
jar=$(mktemp)
token=$(curl_site -c "$jar" "https://$SITE/admin/login/" |
  sed -n 's/.*name="csrfmiddlewaretoken" value="\([^"]*\)".*/\1/p' | head -n 1)
status=$(curl_site -b "$jar" -c "$jar" -o /dev/null -w '%{http_code}' \
  -e "https://$SITE/admin/login/" \
  --data-urlencode "csrfmiddlewaretoken=$token" --data-urlencode username=admin \
  --data-urlencode password=hoc-thu-2025 "https://$SITE/admin/login/")
echo "POST /admin/login/: $status"
[ "$status" = 302 ] || exit 1
# Logged in: the admin, or first the personal-data consent every account gives
# once (users.middleware.ConsentMiddleware), which only a session asks.
status=$(curl_site -b "$jar" -o /dev/null -w '%{http_code} %{redirect_url}' \
  "https://$SITE/admin/")
echo "GET /admin/ once logged in: $status"
case "$status" in
  "200 "* | "302 https://$SITE/tai-khoan/dong-y/?next=%2Fadmin%2F") ;;
  *) echo "the login did not hold"; exit 1 ;;
esac
# A certificate issued on the machine verifies through nginx, by the address
# its QR code holds.
token=$(lms-manage shell -c '
from certificates.tests.factories import CertificateFactory
print(CertificateFactory().token)' | tail -n 1)
status=$(code "https://$SITE/verify/$token/")
echo "GET /verify/<its QR token>/: $status"
[ "$status" = 200 ] || exit 1
lms-manage check --deploy --fail-level WARNING
echo "ok: the README's steps made a working site on a fresh Debian 12"
EOF

echo "--- README steps 3 to 8, in a network of the machine's own"
started=$SECONDS
ROOT=$root SITE=$SITE unshare --net bash "$root/steps/rest.sh" >"$root/steps/rest.log" 2>&1 || {
  tail -n 60 "$root/steps/rest.log"
  for log in "$root"/var/log/lms-*.log "$root"/var/log/postgresql/*.log \
    "$root"/var/log/redis/*.log "$root"/var/log/nginx/error.log; do
    [ -f "$log" ] && { echo "--- $log"; tail -n 20 "$log"; }
  done
  fail "README steps 3 to 8"
}
grep -E '^(healthz|GET|POST|ok|started|ran) ' "$root/steps/rest.log" | sed 's/^/    /'
echo "    ($((SECONDS - started)) s)"
