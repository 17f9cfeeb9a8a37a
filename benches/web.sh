#!/usr/bin/env bash
# Latency of a search page view (the HTML page with every facet, the snippets and the
# expansions) next to the JSON search it renders, on the same server, sequentially over one
# keep-alive connection. The result cache is off (every request runs the engine), then on (the
# default: a repeated request is a lookup, so what is left is the rendering).
# Usage: benches/web.sh [requests per URL]   (needs curl). Prints numbers only; nothing here
# is a test.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-200}
port=${CONSULEX_BENCH_PORT:-18081}
cargo build --release --quiet
idx=$(mktemp -d)
pid=
trap 'kill $pid 2>/dev/null || true; rm -rf "$idx"' EXIT
start() {  # result-cache size
  [ -n "$pid" ] && { kill "$pid"; wait "$pid" 2>/dev/null || true; }
  CONSULEX_INDEX="$idx" ./target/release/consulex serve --addr "127.0.0.1:$port" --result-cache "$1" 2>/dev/null &
  pid=$!
  for _ in $(seq 1 600); do curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && return; sleep 0.2; done
  echo "server did not start" >&2; exit 1
}
run() {  # label path
  local url="http://127.0.0.1:$port$2" args=() i
  for i in $(seq 1 "$n"); do args+=(-o /dev/null "$url"); done
  curl -s "$url" -o "$idx/body"   # warm up
  local bytes; bytes=$(wc -c <"$idx/body")
  curl -s -w '%{time_total}\n' "${args[@]}" | sort -n | awk -v l="$1" -v b="$bytes" '
    { t[NR] = $1 * 1000 } END {
      printf "%-58s p50 %6.2f ms   p90 %6.2f ms   %7d bytes\n", l, t[int(NR*0.5)], t[int(NR*0.9)], b }'
}
q1="q=assist%C3%AAncia%20consular%20a%20presos"
q2="q=pasaporte"
echo "$n sequential requests per URL, one connection, $(nproc) cores"
for cache in 0 1024; do
  start "$cache"
  echo "result cache: $cache"
  run "JSON  /v1/search?$q1 (pt, expanded)" "/v1/search?$q1"
  run "page  /?$q1" "/?$q1"
  run "JSON  /v1/search?$q2&country=AR,CO" "/v1/search?$q2&country=AR,CO"
  run "page  /?$q2&country=AR&country=CO" "/?$q2&country=AR&country=CO"
  run "JSON  /v1/search (no query: every provision)" "/v1/search"
  run "page  / (no query: every provision)" "/"
done
