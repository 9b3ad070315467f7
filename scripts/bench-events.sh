#!/usr/bin/env bash
# Webhook throughput and live-dashboard latency (issue 13), on SQLite and then PostgreSQL: a
# throwaway database with an owner, a badges.manage key and BENCH_EVENTS_MEMBERS seeded members
# (10,000), a release server on it, and scripts/bench-events.mjs against it. Run beside a
# throwaway cluster (scripts/with-postgres.sh scripts/bench-events.sh); expects the release
# build (`make build-release`).
set -euo pipefail
cd "$(dirname "$0")/.."

bin=target/release/insignia
export BENCH_EVENTS_MEMBERS=${BENCH_EVENTS_MEMBERS:-10000}
email=owner@bench.example
password=bench-password-$RANDOM-$RANDOM
: "${INSIGNIA_TEST_PG_URL:?run beside a PostgreSQL cluster: scripts/with-postgres.sh scripts/bench-events.sh}"
[ -x "$bin" ] || { echo "bench-events: no release build; run make build-release first" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/insignia-events.XXXXXX")
. scripts/serve-lib.sh
cleanup() {
  stop_server
  rm -rf "$work"
}
trap cleanup EXIT

bench() {
  local label=$1 url=$2 key
  local -a db=(--database-url "$url" --data-dir "$work/$label")
  mkdir -p "$work/$label"
  echo "$label: owner, key and $BENCH_EVENTS_MEMBERS seeded members" >&2
  "$bin" "${db[@]}" create-owner --email "$email" <<<"$password" >/dev/null
  key=$("$bin" "${db[@]}" api-key create --name bench --scopes badges.manage)
  "$bin" "${db[@]}" seed --members "$BENCH_EVENTS_MEMBERS" >/dev/null 2>&1
  serve "$work/$label.log" "$bin" "${db[@]}" --site-root target/site --api-rate-limit 1000000
  echo "$label:"
  node scripts/bench-events.mjs "http://127.0.0.1:$port" "$email" "$password" "$key" "$bin" \
    "$(python3 -c 'import json, sys; print(json.dumps(sys.argv[1:]))' "${db[@]}")" "$work/$label.json"
  stop_server
}

unset DATABASE_URL
bench sqlite "sqlite://$work/sqlite/insignia.db"
bench postgres "$INSIGNIA_TEST_PG_URL"
