#!/usr/bin/env bash
# Run the tests that read from a replica against a real PostgreSQL streaming
# replica: a primary of its own (port 5441) and a replica made from it with
# pg_basebackup (port 5442), in a temporary folder, stopped and deleted at the
# end. The machine's own PostgreSQL (5432) is not touched. Run as root (the
# clusters run as the postgres user) from the project's folder:
#   bash scripts/ci-replica.sh
set -euo pipefail

PRIMARY_PORT=${CI_REPLICA_PRIMARY_PORT:-5441}
REPLICA_PORT=${CI_REPLICA_PORT:-5442}
version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
bin=/usr/lib/postgresql/$version/bin
base=$(mktemp -d /tmp/lms-ci-replica.XXXXXX)
chown postgres "$base"
as_postgres() { runuser -u postgres -- "$@"; }

stop() {
  as_postgres "$bin/pg_ctl" -D "$base/replica" -m immediate stop >/dev/null 2>&1 || true
  as_postgres "$bin/pg_ctl" -D "$base/primary" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$base"
}
trap stop EXIT

echo "PostgreSQL $version: primary on port $PRIMARY_PORT, replica on $REPLICA_PORT"
as_postgres "$bin/initdb" -D "$base/primary" -A trust -U postgres >/dev/null
cat >>"$base/primary/postgresql.conf" <<CONF
port = $PRIMARY_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$base'
wal_level = replica
max_wal_senders = 4
fsync = off
CONF
echo "host replication postgres 127.0.0.1/32 trust" >>"$base/primary/pg_hba.conf"
as_postgres "$bin/pg_ctl" -D "$base/primary" -l "$base/primary.log" -w start >/dev/null

# The replica: a base backup of the primary that follows it (-R writes
# standby.signal and the connection to stream from).
as_postgres "$bin/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres \
  -D "$base/replica" -R -X stream
echo "port = $REPLICA_PORT" >>"$base/replica/postgresql.conf"
as_postgres "$bin/pg_ctl" -D "$base/replica" -l "$base/replica.log" -w start >/dev/null
in_recovery=$(psql -h 127.0.0.1 -p "$REPLICA_PORT" -U postgres -Atc "SELECT pg_is_in_recovery()")
if [ "$in_recovery" != "t" ]; then
  echo "The replica is not in recovery: it is not following the primary." >&2
  exit 1
fi
echo "The replica follows the primary."

# The tests create test_lms_replica on the primary; the replica receives it.
DJANGO_SETTINGS_MODULE=lms.settings.test \
  DATABASE_URL="postgres://postgres@127.0.0.1:$PRIMARY_PORT/lms_replica" \
  DATABASE_REPLICA_URL="postgres://postgres@127.0.0.1:$REPLICA_PORT/lms_replica" \
  .venv/bin/python -m pytest -q -p no:cacheprovider -rfEs core/tests/test_db.py reports
