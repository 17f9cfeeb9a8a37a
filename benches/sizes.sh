#!/usr/bin/env bash
# Parse, annotation and index-build cost at two corpus sizes: the first sources (without the
# BR, MX, PY and 22 U.S.C. files added later) and the whole grown corpus, to show that the cost
# per provision stays flat as the corpus grows. Prints the benches' own lines; no assertions.
# Usage: benches/sizes.sh [SHARED_CORPUS]   (default ../shared/corpus)
set -euo pipefail
cd "$(dirname "$0")/.."
shared="$(realpath "${1:-../shared/corpus}")"
old="$(mktemp -d)"
trap 'rm -rf "$old"' EXIT
# The first sources, copied (the corpus reader does not follow links).
for d in "$shared"/*/; do
  cc="$(basename "$d")"
  case "$cc" in BR|MX|PY) continue ;; esac
  cp -r "$d" "$old/$cc"
done
rm -rf "$old/US/usc-t22"
cargo build --release --quiet
for corpus in "$old" "$shared"; do
  label=$([ "$corpus" = "$shared" ] && echo "grown corpus" || echo "first sources")
  echo "== $label ($corpus)"
  CONSULEX_CORPUS="$corpus" cargo bench --quiet --bench parse 2>/dev/null | grep '^parse'
  CONSULEX_CORPUS="$corpus" cargo bench --quiet --bench annotate 2>/dev/null | grep '^parse'
  idx="$(mktemp -d)"
  CONSULEX_CORPUS="$corpus" CONSULEX_INDEX="$idx" ./target/release/consulex index 2>/dev/null | tail -1
  rm -rf "$idx"
done
