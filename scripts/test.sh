#!/usr/bin/env bash
# The whole test suite (run by `npm test`, after setup): Rust tests, lints and docs, the
# TypeScript format, lint and type check, then one vitest tree three times: Node + native, Node +
# WASM, Chromium + WASM; last the tests that measure time, alone (see vitest.config.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
step() { printf '\n== %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check
step "cargo clippy -D warnings"
cargo clippy --workspace --all-targets --quiet -- -D warnings
step "cargo doc (warnings denied)"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --quiet
step "cargo test"
cargo test --workspace --exclude monge-node --quiet
step "biome ci (format and lint of the TypeScript and JavaScript, see biome.json)"
biome ci --error-on-warnings
step "tsc (strict type check of ts/ and test/)"
tsc -p tsconfig.json
step "vitest: native, wasm (Node) and browser (headless Chromium)"
report=$(mktemp)
status=0
vitest run --reporter=default --reporter=json --outputFile.json="$report" || status=$?
# One plain closing line for the whole suite.
node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(`\nvitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);' "$report" || true
rm -f "$report"
step "vitest: the timing tests (cancellation latency, CPU use), one project at a time"
for project in native wasm browser; do
  MONGE_TIMING=1 vitest run --project "$project" || status=$?
done
exit "$status"
