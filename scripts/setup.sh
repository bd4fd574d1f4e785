#!/usr/bin/env bash
# One idempotent setup for `npm start`, `npm test` and `npm run bench`: installs what a bare
# machine lacks (Debian packages, npm dependencies, wasm-pack and the matching wasm-bindgen CLI)
# and builds the native addon, the WASM module and the TypeScript bundles. Each step is skipped
# when its inputs have not changed since it last succeeded, so a second run takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
cache=$root/.cache
mkdir -p "$cache/stamps" "$cache/tools"

log() { printf '[setup] %s\n' "$*" >&2; }

# --- helpers -------------------------------------------------------------------------------------
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=
apt_install() {
  if [ -z "$apt_updated" ]; then as_root apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}
# Hash of the files under the given paths: a step reruns only when this changes.
inputs_hash() {
  find "$@" -type f -not -path '*/node_modules/*' -not -path '*/target/*' -print0 2>/dev/null \
    | sort -z | xargs -0 sha1sum | sha1sum | cut -c1-40
}
fresh() { [ -f "$cache/stamps/$1" ] && [ "$(cat "$cache/stamps/$1")" = "$2" ]; }
stamp() { printf '%s' "$2" > "$cache/stamps/$1"; }

# --- Rust for wasm32: rustup's target where it can be had, else Debian's compiler + build-std ----
# MONGE_WASM_ROUTE=rustup|debian forces a route (to test the other one on a machine that has both).
wasm_route=${MONGE_WASM_ROUTE:-}
if [ -n "$wasm_route" ]; then
  :
elif rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  wasm_route=rustup
elif timeout 120 rustup target add wasm32-unknown-unknown >/dev/null 2>&1; then
  wasm_route=rustup
else
  wasm_route=debian
fi

# --- Debian packages ------------------------------------------------------------------------------
need=()
command -v chromium >/dev/null || need+=(chromium)
if [ "$wasm_route" = debian ]; then
  [ -x /usr/bin/rustc ] && [ -d /usr/lib/rustlib/src/rust/library ] || need+=(rustc-web cargo-web rust-web-src)
  command -v wasm-ld-16 >/dev/null || need+=(lld-16)
fi
if [ ${#need[@]} -gt 0 ]; then
  log "installing Debian packages: ${need[*]}"
  apt_install "${need[@]}"
fi

# --- npm dependencies -----------------------------------------------------------------------------
if ! fresh npm "$(inputs_hash package.json package-lock.json)" || [ ! -d node_modules ]; then
  log "installing npm dependencies"
  # `npm ci` rejects this lockfile (npm drops the optional platform packages of @napi-rs/cli
  # from it); `npm install` honours the locked versions all the same.
  npm install --no-audit --no-fund --loglevel=error
  stamp npm "$(inputs_hash package.json package-lock.json)"
fi
export PATH="$root/node_modules/.bin:$PATH"

# --- wasm-pack and the wasm-bindgen CLI of the exact crate version, cached in .cache/tools -------
wasm_pack_version=0.15.1
bindgen_version=$(sed -n 's/^wasm-bindgen = "=\(.*\)"/\1/p' crates/monge-wasm/Cargo.toml)
install_tool() { # crate version binary
  local dir="$cache/tools/$1-$2"
  if [ ! -x "$dir/bin/$3" ]; then
    log "building $1 $2 (once; cached in .cache/tools)"
    cargo install "$1" --version "$2" --root "$dir" --quiet
  fi
  export PATH="$dir/bin:$PATH"
}
install_tool wasm-pack "$wasm_pack_version" wasm-pack
install_tool wasm-bindgen-cli "$bindgen_version" wasm-bindgen

# --- native addon (napi-rs) -----------------------------------------------------------------------
rust_inputs=(Cargo.toml Cargo.lock crates/surface.rs crates/monge-core crates/monge-node crates/monge-wasm/src crates/monge-wasm/Cargo.toml)
h=$(inputs_hash "${rust_inputs[@]}")
if ! fresh native "$h" || ! ls native/*.node >/dev/null 2>&1; then
  log "building the native addon"
  napi build --platform --release --manifest-path crates/monge-node/Cargo.toml \
    --package-json-path package.json --output-dir native --js index.cjs --dts index.d.cts >&2
  stamp native "$h"
fi

# --- WASM module (wasm-pack, SIMD128) -------------------------------------------------------------
h=$(inputs_hash "${rust_inputs[@]}")-$wasm_route
if ! fresh wasm "$h" || [ ! -f wasm/monge_wasm_bg.wasm ]; then
  log "building the WASM module ($wasm_route route)"
  wasm_pack=(wasm-pack build crates/monge-wasm --target web --mode force --release --out-dir ../../wasm --no-pack)
  if [ "$wasm_route" = rustup ]; then
    RUSTFLAGS="-C target-feature=+simd128" "${wasm_pack[@]}" >&2
  else
    # Debian's rustc ships std's source, so std is rebuilt for wasm32 (see README, "Toolchain").
    RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR="$root/target/wasm-debian" \
      CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld-16 RUSTFLAGS="-C target-feature=+simd128" \
      "${wasm_pack[@]}" -Zbuild-std=std,panic_abort >&2
  fi
  wasm-opt -O3 --enable-simd --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals --enable-multivalue --enable-reference-types \
    wasm/monge_wasm_bg.wasm -o wasm/monge_wasm_bg.wasm
  stamp wasm "$h"
fi

# --- TypeScript bundles (tsup) --------------------------------------------------------------------
h=$(inputs_hash ts wasm native/index.cjs tsup.config.ts tsconfig.json package.json)
if ! fresh ts "$h" || [ ! -f dist/node.js ]; then
  log "building the TypeScript package"
  tsup >&2
  stamp ts "$h"
fi
log "ready (wasm route: $wasm_route)"
