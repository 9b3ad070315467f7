#!/usr/bin/env bash
# `make bench`: for SQLite and then PostgreSQL, a throwaway database with an owner and
# BENCH_MEMBERS seeded members (100,000), a release server on it, scripts/bench.mjs against it
# (which also fills in 1,000,000 assignments through ten "assign to all matching" runs), and at
# the end one table of both. Run beside a throwaway cluster: scripts/with-postgres.sh scripts/bench.sh
# (make bench does). Expects the release build (`make build-release`).
set -euo pipefail
cd "$(dirname "$0")/.."

bin=target/release/insignia
site=target/site
members=${BENCH_MEMBERS:-100000}
runs=${BENCH_RUNS:-100}
badges=${BENCH_BADGES:-10}
email=owner@bench.example
password=bench-password-$RANDOM-$RANDOM
: "${INSIGNIA_TEST_PG_URL:?run beside a PostgreSQL cluster: scripts/with-postgres.sh scripts/bench.sh}"
[ -x "$bin" ] && [ -f "$site/pkg/insignia.wasm.br" ] || {
  echo "bench: no release build; run make build-release first" >&2
  exit 1
}

work=$(mktemp -d "${TMPDIR:-/tmp}/insignia-bench.XXXXXX")
. scripts/serve-lib.sh
cleanup() {
  stop_server
  if [ -n "${BENCH_KEEP:-}" ]; then
    echo "bench: databases and server logs kept in $work (the PostgreSQL cluster is not)" >&2
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT
started=$SECONDS
say() { printf '[bench %dm%02ds] %s\n' $(((SECONDS - started) / 60)) $(((SECONDS - started) % 60)) "$*"; }

# bench LABEL DATABASE_URL: seeds, serves and measures one backend into $work/LABEL.json
bench() {
  local label=$1 url=$2
  local -a db=(--database-url "$url" --data-dir "$work/$label")
  mkdir -p "$work/$label"
  say "$label: owner and $members seeded members"
  "$bin" "${db[@]}" create-owner --email "$email" <<<"$password" >/dev/null
  "$bin" "${db[@]}" seed --members "$members" 2>&1 | tail -n 1
  serve "$work/$label.log" "$bin" "${db[@]}" --site-root "$site"
  say "$label: measuring"
  node scripts/bench.mjs "http://127.0.0.1:$port" "$email" "$password" "$server" "$site" "$work/$label.json" "$runs" "$badges"
  stop_server
}

unset DATABASE_URL
bench sqlite "sqlite://$work/sqlite/insignia.db"
bench postgres "$INSIGNIA_TEST_PG_URL"
say "done"
echo
node scripts/bench-table.mjs "sqlite=$work/sqlite.json" "postgres=$work/postgres.json" | tee "${BENCH_OUT:-target/bench.md}"
