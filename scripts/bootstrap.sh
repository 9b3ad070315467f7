#!/usr/bin/env bash
# Installs what Insignia needs, pinned, from the project's own files. Idempotent: a step that is
# already satisfied is skipped in a moment. A step that fails says what failed and how to fix it.
#
#   scripts/bootstrap.sh run    what building and running needs
#   scripts/bootstrap.sh test   that, plus Chromium and PostgreSQL for the tests
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-run}
case "$mode" in run | test) ;; *) echo "usage: $0 run|test" >&2; exit 2 ;; esac

CARGO_LEPTOS_VERSION=0.3.10 # 0.3.11 needs rustc 1.96
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

step() { printf '\033[1mbootstrap:\033[0m [%dm%02ds] %s\n' $((SECONDS / 60)) $((SECONDS % 60)) "$*" >&2; }
fail() { printf 'bootstrap: FAILED: %s\n' "$*" >&2; exit 1; }

# --- Debian packages ------------------------------------------------------------------------
apt_needed=()
command -v cargo >/dev/null || fail "cargo not found. Fix: install Rust with rustup (https://rustup.rs), then rerun."
command -v npm >/dev/null || apt_needed+=(nodejs npm)
command -v pkg-config >/dev/null || apt_needed+=(pkg-config)
dpkg -s libssl-dev >/dev/null 2>&1 || apt_needed+=(libssl-dev) # cargo-leptos links OpenSSL
if [ "$mode" = test ]; then
  [ -x /usr/bin/chromium ] || apt_needed+=(chromium)
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || apt_needed+=(postgresql)
fi
if [ ${#apt_needed[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || fail "missing Debian packages: ${apt_needed[*]}. Fix: sudo apt-get install -y ${apt_needed[*]}"
  step "installing Debian packages: ${apt_needed[*]}"
  apt-get update -qq || fail "apt-get update failed (is the Debian mirror reachable?)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${apt_needed[@]}" >/dev/null ||
    fail "apt-get install ${apt_needed[*]} failed; run it by hand to see why"
fi

# --- Rust: the WASM target, cargo-leptos, wasm-bindgen --------------------------------------
if [ "$mode" = test ]; then
  # `make check` formats and lints: rustup's default profile has both; a minimal one has not
  for component in rustfmt clippy; do
    if ! rustup component list --installed | grep -q "^$component"; then
      step "adding the $component component"
      rustup component add "$component" || fail "rustup component add $component failed"
    fi
  done
fi
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown || fail "rustup target add wasm32-unknown-unknown failed"
fi

# The build tools are installed with a lighter release profile than their own: cargo-leptos ships
# fat LTO with one codegen unit, 32 minutes on 2 cores; without LTO at full optimization still 17.
# Its own speed hardly matters (it waits for cargo, wasm-bindgen and wasm-opt), so it is built
# unoptimized but for the compressors `--precompress` runs over the bundle. wasm-bindgen keeps
# full optimization (it rewrites the whole bundle on every build) without LTO. Config beats the
# manifest's [profile], and `--config` applies to this `cargo install` only, at pinned versions.
tool_install() {
  local opt=$1
  shift
  cargo --config "profile.release.opt-level=$opt" --config profile.release.lto=false \
    --config profile.release.codegen-units=16 --config profile.release.debug=false \
    --config profile.release.package.brotli.opt-level=3 \
    --config profile.release.package.miniz_oxide.opt-level=3 \
    --config profile.release.package.libflate.opt-level=3 \
    install "$@"
}

if [ "$(cargo leptos --version 2>/dev/null)" != "cargo-leptos $CARGO_LEPTOS_VERSION" ]; then
  step "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 6 minutes on 2 cores)"
  tool_install 0 cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked ||
    fail "cargo install cargo-leptos $CARGO_LEPTOS_VERSION failed (it needs pkg-config and libssl-dev)"
fi

[ -n "$WASM_BINDGEN_VERSION" ] || fail "no wasm-bindgen version in Cargo.lock"
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  # Must equal the wasm-bindgen crate in Cargo.lock exactly. Not --locked: one of its locked
  # dependencies is missing from the registry mirror.
  step "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 2 minutes)"
  tool_install 3 wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" ||
    fail "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION failed"
fi

# --- npm: Tailwind CLI, wasm-opt (binaryen), Playwright, the SDK the REST tests drive ------
stamp=node_modules/.insignia-lock
if ! cmp -s package-lock.json "$stamp" 2>/dev/null; then
  step "installing npm tools from package-lock.json"
  # Playwright drives Debian's Chromium; it must not try to download a browser of its own.
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error ||
    fail "npm ci failed; check that the npm registry is reachable"
  cp package-lock.json "$stamp"
fi
for tool in tailwindcss wasm-opt; do
  command -v "$tool" >/dev/null || fail "$tool missing from node_modules/.bin after npm ci"
done
[ "$mode" = run ] || [ -x node_modules/.bin/playwright ] || fail "playwright missing from node_modules/.bin after npm ci"
[ "$mode" = run ] || [ -d node_modules/@wix/sdk ] || fail "the SDK packages for the REST tests are missing after npm ci"

step "ready ($mode)"
