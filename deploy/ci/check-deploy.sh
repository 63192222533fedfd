#!/usr/bin/env bash
# Check the files of deploy/ the way a machine would use them, on this one,
# without installing anything into the system's own configuration:
#   - systemd-analyze verify on every unit (paths pointed at this checkout);
#   - gunicorn --check-config with deploy/gunicorn.conf.py, production settings;
#   - nginx -t on deploy/nginx/lms.conf with a self-signed certificate, then
#     nginx and gunicorn started on ports of their own, and the answers a load
#     balancer, a browser and Prometheus get through them.
# Needs root (installs nginx with apt-get when missing); leaves nothing behind.
# Usage: bash deploy/ci/check-deploy.sh   (from anywhere; PY=.venv/bin/python)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT=$PWD
PY=${PY:-.venv/bin/python}
HTTP_PORT=${CHECK_HTTP_PORT:-18480}
HTTPS_PORT=${CHECK_HTTPS_PORT:-18443}
APP_PORT=${CHECK_APP_PORT:-18400}
work=$(mktemp -d)
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [ -f "$work/nginx/nginx.pid" ]; then
    kill "$(cat "$work/nginx/nginx.pid")" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "FAILED: $*" >&2
  exit 1
}

echo "--- systemd units (systemd-analyze verify)"
command -v systemd-analyze >/dev/null || fail "systemd-analyze is missing (apt-get install systemd)."
mkdir -p "$work/units"
: >"$work/env"
for unit in deploy/systemd/*; do
  # Where the units expect the site (/srv/lms, user lms, /etc/lms/env), this
  # machine has the checkout.
  sed -e "s|/srv/lms|$ROOT|g" -e "s|/etc/lms/env|$work/env|" \
    -e 's/^User=lms$/User=root/' -e 's/^Group=lms$/Group=root/' \
    "$unit" >"$work/units/$(basename "$unit")"
done
(
  cd "$work/units"
  # A template is checked through an instance of it.
  out=$(systemd-analyze verify --man=no ./*.service ./*.timer lms-worker@1.service 2>&1) ||
    { echo "$out"; exit 1; }
  # Unknown keys and bad values are only warnings to systemd: errors here.
  [ -z "$out" ] || { echo "$out"; exit 1; }
) || fail "systemd-analyze verify"
for timer in deploy/systemd/*.timer; do
  calendar=$(sed -n 's/^OnCalendar=//p' "$timer")
  systemd-analyze calendar "$calendar" >/dev/null || fail "$timer: OnCalendar=$calendar"
  [ -f "${timer%.timer}.service" ] || fail "$timer starts no unit of deploy/systemd"
done
grep -q '^Restart=always$' deploy/systemd/lms-worker@.service || fail "worker: Restart=always"
grep -q '^KillMode=control-group$' deploy/systemd/lms-worker@.service ||
  fail "worker: KillMode=control-group"
echo "ok: $(ls deploy/systemd | wc -l) unit files"

echo "--- gunicorn --check-config (production settings)"
export DJANGO_SETTINGS_MODULE=lms.settings.production
export DJANGO_SECRET_KEY
DJANGO_SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(64))')
export DJANGO_ALLOWED_HOSTS=kynangso.example.gov.vn PUBLIC_BASE_URL=https://kynangso.example.gov.vn
export DATABASE_URL="sqlite:///$work/db.sqlite3" MEDIA_ROOT="$work/media"
export PRIVATE_MEDIA_ROOT="$work/private" TRUSTED_PROXY_COUNT=1
export GUNICORN_BIND="127.0.0.1:$APP_PORT" GUNICORN_WORKERS=2
export PROMETHEUS_MULTIPROC_DIR="$work/metrics"
unset REDIS_URL AWS_STORAGE_BUCKET_NAME SENTRY_DSN
.venv/bin/gunicorn --check-config -c deploy/gunicorn.conf.py 2>"$work/check.err" ||
  { cat "$work/check.err"; fail "gunicorn --check-config"; }
echo ok

echo "--- nginx -t (deploy/nginx/lms.conf, self-signed certificate)"
if ! command -v nginx >/dev/null; then
  [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null ||
    fail "nginx is not installed and cannot be installed here (apt-get install nginx)."
  echo "Installing nginx (Debian's package, its own service not started)..."
  # policy-rc.d keeps the package's post-install from starting nginx on port 80.
  created_policy=false
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    created_policy=true
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx >/dev/null
  if $created_policy; then rm -f /usr/sbin/policy-rc.d; fi
fi
nginx -v
mkdir -p "$work/nginx/tls" "$work/nginx/logs"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=kynangso.example.gov.vn" \
  -keyout "$work/nginx/tls/privkey.pem" -out "$work/nginx/tls/fullchain.pem" 2>/dev/null
sed -e "s|/etc/letsencrypt/live/kynangso.example.gov.vn|$work/nginx/tls|" \
  -e "s|/etc/nginx/lms_proxy_params|$ROOT/deploy/nginx/lms_proxy_params|" \
  -e "s|/var/log/nginx/|$work/nginx/logs/|" -e "s|/srv/lms|$ROOT|g" \
  -e "s|listen 80;|listen 127.0.0.1:$HTTP_PORT;|" -e "/listen \[::\]:80;/d" \
  -e "s|listen 443 ssl http2;|listen 127.0.0.1:$HTTPS_PORT ssl http2;|" \
  -e "/listen \[::\]:443 ssl http2;/d" -e "s|127.0.0.1:8000|127.0.0.1:$APP_PORT|" \
  deploy/nginx/lms.conf >"$work/nginx/lms.conf"
cat >"$work/nginx/nginx.conf" <<EOF
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log;
events { worker_connections 64; }
http {
    include /etc/nginx/mime.types;
    access_log $work/nginx/logs/access.log;
    client_body_temp_path $work/nginx/body;
    proxy_temp_path $work/nginx/proxy;
    fastcgi_temp_path $work/nginx/fastcgi;
    uwsgi_temp_path $work/nginx/uwsgi;
    scgi_temp_path $work/nginx/scgi;
    include $work/nginx/lms.conf;
}
EOF
nginx -t -q -p "$work/nginx" -e "$work/nginx/logs/error.log" -c "$work/nginx/nginx.conf" ||
  fail "nginx -t"
echo ok

echo "--- gunicorn behind nginx: what a load balancer, a browser and Prometheus get"
"$PY" manage.py migrate -v 0 >/dev/null 2>"$work/migrate.err" ||
  { cat "$work/migrate.err"; fail "migrate"; }
# Pages name their static files by the manifest collectstatic writes (into
# staticfiles/ of the checkout, ignored by git; removed after when new).
if [ ! -d staticfiles ]; then
  trap 'cleanup; rm -rf "$ROOT/staticfiles"' EXIT
fi
"$PY" manage.py collectstatic --noinput -v 0
.venv/bin/gunicorn -c deploy/gunicorn.conf.py >"$work/gunicorn.out" 2>"$work/gunicorn.err" &
pids+=($!)
nginx -p "$work/nginx" -e "$work/nginx/logs/error.log" -c "$work/nginx/nginx.conf"
host=kynangso.example.gov.vn
status() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
for _ in $(seq 60); do
  [ "$(status "http://127.0.0.1:$APP_PORT/healthz")" = 200 ] && break
  sleep 0.5
done
[ "$(status "http://127.0.0.1:$APP_PORT/healthz")" = 200 ] ||
  { cat "$work/gunicorn.err"; fail "gunicorn did not answer"; }
# A load balancer asks over plain HTTP, by address: answered, not redirected.
[ "$(status "http://127.0.0.1:$HTTP_PORT/healthz")" = 200 ] || fail "/healthz over http"
[ "$(status -H "Host: $host" "http://127.0.0.1:$HTTP_PORT/")" = 301 ] ||
  fail "http is not redirected to https"
https() { curl -sk --resolve "$host:$HTTPS_PORT:127.0.0.1" "$@"; }
page=$(https -D "$work/headers" -o /dev/null -w '%{http_code}' "https://$host:$HTTPS_PORT/")
[ "$page" = 200 ] || fail "the home page over https answered $page"
grep -qi '^strict-transport-security:' "$work/headers" || fail "no HSTS header"
request_id=$(sed -n 's/^[Xx]-[Rr]equest-[Ii][Dd]: *\([^\r]*\).*/\1/p' "$work/headers")
[ -n "$request_id" ] || fail "no X-Request-ID in the answer"
grep -q "\"request_id\":\"$request_id\"" "$work/nginx/logs/lms.access.log" ||
  fail "nginx's log does not have the request id the application answered"
grep -q "\"request_id\": \"$request_id\"" "$work/gunicorn.out" ||
  fail "gunicorn's access log does not have the request id"
static=$(https -o /dev/null -w '%{http_code}' "https://$host:$HTTPS_PORT/static/css/site.css")
[ "$static" = 200 ] || fail "static files through nginx answered $static"
# Prometheus on this machine reads the metrics through nginx.
https "https://$host:$HTTPS_PORT/metrics" | grep -q '^django_http_requests_total_by_method_total' ||
  fail "/metrics through nginx from this machine"
echo "ok: /healthz over http 200, http -> https, https 200 with HSTS and request id" \
  "$request_id in nginx's and gunicorn's logs, static files, /metrics from loopback"
