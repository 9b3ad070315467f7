#!/usr/bin/env bash
# Runs the published JavaScript SDK's clients (pinned in package-lock.json) against a real
# Insignia server: a fresh SQLite database, a site key made with the CLI, `node --test`.
# Needs the server binary that `cargo test` builds (target/debug/insignia).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=target/debug/insignia
[ -x "$bin" ] || { echo "sdk-test: $bin is missing; run make test-rust first" >&2; exit 1; }
dir=$(mktemp -d)
# node is on every machine the tests run on (python3 and curl need not be)
port=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
cleanup() { [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
export INSIGNIA_DATA_DIR="$dir" RUST_LOG=warn
INSIGNIA_KEY=$("$bin" api-key create --name "SDK tests" --scopes badges.manage)
INSIGNIA_READ_KEY=$("$bin" api-key create --name "SDK tests (read)" --scopes badges.read)
"$bin" --addr "127.0.0.1:$port" --site-root target/site > "$dir/server.log" 2>&1 &
pid=$!
for _ in $(seq 100); do
  node -e 'fetch(process.argv[1]).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "http://127.0.0.1:$port/healthz" && break
  sleep 0.1
done
export INSIGNIA_HOST="127.0.0.1:$port" INSIGNIA_KEY INSIGNIA_READ_KEY
# one file at a time: the files share the server, and display order is global
node --test --test-concurrency=1 tests/sdk/ || { echo "--- server log ---"; cat "$dir/server.log"; exit 1; }
