#!/usr/bin/env bash
# Runs a command beside a throwaway PostgreSQL cluster and removes the cluster afterwards.
# The command sees INSIGNIA_TEST_PG_URL, an admin URL of that cluster. If the cluster cannot be
# started this fails loudly: the PostgreSQL half of the tests is never silently skipped.
#
#   scripts/with-postgres.sh cargo test --features ssr
set -euo pipefail

pg_bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
  echo "with-postgres: no PostgreSQL server found under /usr/lib/postgresql. Fix: apt-get install postgresql (or run scripts/bootstrap.sh)" >&2
  exit 1
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/insignia-pg.XXXXXX")
# initdb and postgres refuse to run as root; run them as the postgres user the package made.
as_pg=()
if [ "$(id -u)" = 0 ]; then
  as_pg=(runuser -u postgres --)
  chown postgres "$dir"
fi

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

stop() {
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT

if ! "${as_pg[@]}" "$pg_bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1; then
  cat "$dir/initdb.log" >&2
  echo "with-postgres: initdb failed (log above)" >&2
  exit 1
fi
# Durability is pointless for a cluster that is deleted in a minute: turn it off for speed.
if ! "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$dir/data" -w -t 60 -l "$dir/postgres.log" \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null; then
  cat "$dir/postgres.log" >&2
  echo "with-postgres: PostgreSQL did not start (log above)" >&2
  exit 1
fi

export INSIGNIA_TEST_PG_URL="postgres://postgres@127.0.0.1:$port/postgres"
echo "with-postgres: PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on port $port" >&2
set +e
"$@"
status=$?
exit $status
