#!/usr/bin/env bash
# HTTP throughput of `consulex serve` under wrk, next to the throughput of a trivial axum handler
# (GET /health: reads an Arc, returns a small JSON) measured in the same run on the same server.
# Search runs twice: with the result cache off (every request runs the engine) and with the
# default cache (repeated requests are lookups), so the report shows both.
# Usage: benches/http.sh [seconds]   (needs wrk: apt-get install wrk). Prints numbers only;
# nothing here is a test.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
port=${CONSULEX_BENCH_PORT:-18080}
command -v wrk >/dev/null || { echo "wrk not found: apt-get install wrk" >&2; exit 2; }
cargo build --release --quiet
idx=$(mktemp -d)
pid=
trap 'kill $pid 2>/dev/null || true; rm -rf "$idx"' EXIT
start() {  # result-cache size
  [ -n "$pid" ] && { kill "$pid"; wait "$pid" 2>/dev/null || true; }
  CONSULEX_INDEX="$idx" ./target/release/consulex serve --addr "127.0.0.1:$port" --result-cache "$1" 2>/dev/null &
  pid=$!
  for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && return; sleep 0.2; done
}
run() {  # label path
  local out rps p50 p99
  out=$(wrk -t2 -c32 -d"${secs}s" --latency "http://127.0.0.1:$port$2")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  printf '%-52s %10s req/s   p50 %8s   p99 %8s\n' "$1" "$rps" "$p50" "$p99"
  echo "$rps"  > "$idx/last"
}
q1="/v1/search?q=assist%C3%AAncia%20consular%20a%20presos&limit=10"
q2="/v1/search?q=pasaporte&country=AR,CO&limit=10"
q3="/v1/search?q=voto%20en%20el%20exterior&subsystem=MERCOSUR&limit=10"
echo "wrk -t2 -c32 -d${secs}s on $(nproc) cores"
start 0
run "trivial handler (GET /health)" "/health"
base=$(cat "$idx/last")
run "search, all facets, 10 snippets (pt, expanded)" "$q1"; s1=$(cat "$idx/last")
run "search with filters (es, country=AR,CO)" "$q2"; s2=$(cat "$idx/last")
run "broad search (es, subsystem=MERCOSUR, 1,200 hits)" "$q3"; s3=$(cat "$idx/last")
start 1024
run "same, result cache on: pt, expanded" "$q1"; c1=$(cat "$idx/last")
run "same, result cache on: es, country=AR,CO" "$q2"; c2=$(cat "$idx/last")
awk -v b="$base" -v a="$s1" -v c="$s2" -v f="$s3" -v d="$c1" -v e="$c2" 'BEGIN {
  printf "share of the trivial handler, engine every time: %.1f%%, %.1f%% and %.1f%%\n", 100*a/b, 100*c/b, 100*f/b
  printf "share of the trivial handler, result cache on:   %.1f%% and %.1f%%\n", 100*d/b, 100*e/b }'
