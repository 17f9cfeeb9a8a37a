#!/usr/bin/env bash
# HTTP throughput of `consulex serve` under wrk, next to the throughput of a trivial axum handler
# (GET /health: reads an Arc, returns a small JSON) measured in the same run on the same server.
# Usage: benches/http.sh [seconds]   (needs wrk: apt-get install wrk). Prints numbers only;
# nothing here is a test.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
port=${CONSULEX_BENCH_PORT:-18080}
command -v wrk >/dev/null || { echo "wrk not found: apt-get install wrk" >&2; exit 2; }
cargo build --release --quiet
idx=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$idx"' EXIT
CONSULEX_INDEX="$idx" ./target/release/consulex serve --addr "127.0.0.1:$port" 2>/dev/null &
pid=$!
for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.2; done
run() {  # label path
  local out rps p50 p99
  out=$(wrk -t2 -c32 -d"${secs}s" --latency "http://127.0.0.1:$port$2")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  printf '%-48s %10s req/s   p50 %8s   p99 %8s\n' "$1" "$rps" "$p50" "$p99"
  echo "$rps"  > "$idx/last"
}
echo "wrk -t2 -c32 -d${secs}s on $(nproc) cores"
run "trivial handler (GET /health)" "/health"
base=$(cat "$idx/last")
run "search, all facets, 10 snippets (pt, expanded)" "/v1/search?q=assist%C3%AAncia%20consular%20a%20presos&limit=10"
s1=$(cat "$idx/last")
run "search with filters (es, country=AR,CO)" "/v1/search?q=pasaporte&country=AR,CO&limit=10"
s2=$(cat "$idx/last")
awk -v b="$base" -v a="$s1" -v c="$s2" 'BEGIN { printf "search throughput as a share of the trivial handler: %.1f%% and %.1f%%\n", 100*a/b, 100*c/b }'
