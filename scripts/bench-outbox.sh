#!/usr/bin/env bash
# The outbox's cost on "assign to all matching" (issue 13): the same run over BENCH_MEMBERS
# seeded members (100,000) by a release build without the outbox and by this one, on SQLite and
# on PostgreSQL, in one sitting, alternating builds so the machine's drift falls on both. Prints
# each run's time, the medians and their ratio.
#
#   scripts/with-postgres.sh scripts/bench-outbox.sh BASE_BINARY
#
# BASE_BINARY is a release server of the commit before the outbox (3e0f313), built into this
# checkout's target directory so that only Insignia's own crate compiles again, then copied out
# before this tree's release is built (which is target/release/insignia):
#   git worktree add /tmp/base 3e0f313
#   (cd /tmp/base && CARGO_TARGET_DIR=/path/to/this/checkout/target cargo build --release --features ssr --bin insignia)
#   cp target/release/insignia /tmp/insignia-base && cargo build --release --features ssr --bin insignia
set -euo pipefail
cd "$(dirname "$0")/.."

base=${1:?usage: scripts/with-postgres.sh scripts/bench-outbox.sh BASE_BINARY}
new=target/release/insignia
members=${BENCH_MEMBERS:-100000}
rounds=${BENCH_ROUNDS:-3}
email=owner@bench.example
password=bench-password-$RANDOM-$RANDOM
: "${INSIGNIA_TEST_PG_URL:?run beside a PostgreSQL cluster: scripts/with-postgres.sh scripts/bench-outbox.sh BASE_BINARY}"
[ -x "$base" ] && [ -x "$new" ] || { echo "bench-outbox: need $base and $new" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/insignia-outbox.XXXXXX")
. scripts/serve-lib.sh
cleanup() {
  stop_server
  rm -rf "$work"
}
trap cleanup EXIT

# a fresh PostgreSQL database per server: the base build has no events table to share
pg_url() {
  local name=bench_$1_$RANDOM
  psql "$INSIGNIA_TEST_PG_URL" -qc "create database $name" >/dev/null
  echo "${INSIGNIA_TEST_PG_URL%/*}/$name"
}

# run LABEL BINARY: seeds a fresh database of the label's backend, serves it, times one "assign
# to all matching" run; appends "LABEL seconds"
run() {
  local label=$1 bin=$2 dir=$work/$1-$RANDOM url
  mkdir -p "$dir"
  case $label in
    sqlite-*) url="sqlite://$dir/insignia.db" ;;
    *) url=$(pg_url "${label#*-}") ;;
  esac
  local -a db=(--database-url "$url" --data-dir "$dir")
  "$bin" "${db[@]}" create-owner --email "$email" <<<"$password" >/dev/null
  "$bin" "${db[@]}" seed --members "$members" >/dev/null 2>&1
  serve "$dir.log" "$bin" "${db[@]}" --site-root target/site
  node --input-type=module -e '
    import { assignAllMatching, client } from "./scripts/bench-lib.mjs";
    const [base, email, password] = process.argv.slice(1);
    const fail = (m) => { console.error(`bench-outbox: ${m}`); process.exit(1); };
    const http = client(base, fail);
    const { times } = await assignAllMatching(http, await http.login(email, password), 1, fail);
    console.log(times[0]);
  ' "http://127.0.0.1:$port" "$email" "$password" | sed "s/^/$label /" | tee -a "$work/times"
  stop_server
}

unset DATABASE_URL
for round in $(seq 1 "$rounds"); do
  echo "round $round of $rounds ($members members)" >&2
  run sqlite-without "$base"
  run sqlite-with "$new"
  run postgres-without "$base"
  run postgres-with "$new"
done

echo
node --input-type=module -e '
  import { readFileSync } from "node:fs";
  const times = {};
  for (const line of readFileSync(process.argv[1], "utf8").trim().split("\n")) {
    const [label, s] = line.split(" ");
    (times[label] ??= []).push(Number(s));
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`| backend | without the outbox | with it | ratio |`);
  console.log(`|---|---|---|---|`);
  for (const backend of ["sqlite", "postgres"]) {
    const [a, b] = [median(times[`${backend}-without`]), median(times[`${backend}-with`])];
    const runs = (xs) => xs.map((x) => x.toFixed(1)).join(", ");
    console.log(`| ${backend} | ${a.toFixed(1)} s (${runs(times[`${backend}-without`])}) | ${b.toFixed(1)} s (${runs(times[`${backend}-with`])}) | ${(b / a).toFixed(2)} |`);
  }
' "$work/times"
