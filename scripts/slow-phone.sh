#!/usr/bin/env bash
# `make slow-phone` (issue 16): the member list and the badge editor on a slow phone — Chrome's
# "Slow 4G" network and a CPU four times slower — timed from navigation until an interaction
# works, on a first visit and again with the cache filled. A release server on a throwaway
# SQLite database with an owner and SLOW_PHONE_MEMBERS (2,000) seeded members; the figures are
# printed as a table and kept in target/slow-phone.md. Expects the release build
# (`make build-release`).
set -euo pipefail
cd "$(dirname "$0")/.."

bin=target/release/insignia
site=target/site
members=${SLOW_PHONE_MEMBERS:-2000}
email=owner@phone.example
password=phone-password-$RANDOM-$RANDOM
[ -x "$bin" ] && [ -f "$site/pkg/insignia.wasm.br" ] || {
  echo "slow-phone: no release build; run make build-release first" >&2
  exit 1
}

work=$(mktemp -d "${TMPDIR:-/tmp}/insignia-phone.XXXXXX")
. scripts/serve-lib.sh
cleanup() {
  stop_server
  rm -rf "$work"
}
trap cleanup EXIT

unset DATABASE_URL
db=(--database-url "sqlite://$work/insignia.db" --data-dir "$work")
"$bin" "${db[@]}" create-owner --email "$email" <<<"$password" >/dev/null
"$bin" "${db[@]}" seed --members "$members" >/dev/null 2>&1
serve "$work/server.log" "$bin" "${db[@]}" --site-root "$site"

SLOW_PHONE_URL="http://127.0.0.1:$port" SLOW_PHONE_EMAIL=$email SLOW_PHONE_PASSWORD=$password \
  SLOW_PHONE_OUT="$work/times.jsonl" npx playwright test --config end2end/slow-phone.config.ts

echo
node --input-type=module -e '
  import { readFileSync } from "node:fs";
  const [file] = process.argv.slice(1);
  const lines = readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l));
  const sent = lines.find((l) => l.bundle)?.bundle ?? "not seen";
  const rows = lines.filter((l) => l.page);
  console.log(`Slow 4G and a 4x slower CPU; the WASM bundle as sent on a first visit: ${sent}`);
  console.log();
  console.log("| page | visit | what works | after |");
  console.log("|---|---|---|---|");
  for (const r of rows) console.log(`| ${r.page} | ${r.cache} | ${r.what} | ${(r.ms / 1000).toFixed(1)} s |`);
' "$work/times.jsonl" | tee target/slow-phone.md
