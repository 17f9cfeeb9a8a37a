#!/usr/bin/env bash
# Per-route cost ceilings (issue 15, point 3): for each route, the median latency of an ordinary
# request next to the most expensive request its parameters allow (the same ones tests/cost.rs
# checks for bounded answers), measured alternately on one `consulex serve` with the result
# cache off, so every request runs the engine. Prints the ratio worst / ordinary per route.
# Usage: benches/cost.sh [runs]   (default 15 per request; needs curl). Loopback only; prints
# numbers, nothing here is a test.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-15}
port=${CONSULEX_BENCH_PORT:-18081}
[ -x target/release/consulex ] || cargo build --release --quiet
idx=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$idx"' EXIT
CONSULEX_INDEX="$idx" ./target/release/consulex serve --addr "127.0.0.1:$port" --result-cache 0 2>/dev/null &
pid=$!
for _ in $(seq 1 600); do curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.2; done
base="http://127.0.0.1:$port"
enc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }
# 64 frequent words of the four languages, each its own OR clause (the parser's caps)
words="consul consular consulado cónsul consulaire consulat nacional nationals national nacionais
estado state état país country pays ley law loi lei decreto decree décret registro registry
registre registo pasaporte passport passeport passaporte visa visto derechos rights droits direitos
extranjero foreign étranger estrangeiro protección protection proteção asistencia assistance
assistência detención detention détention detenção migrantes migrants servicio service serviço
función function fonction função oficina office bureau escritório funcionario officer agent"
wide=$(enc "$(echo $words | tr ' ' '\n' | head -64 | paste -sd' ' | sed 's/ / OR /g')")
all=$(curl -fs "$base/v1/countries" | python3 -c 'import json,sys; print(",".join(c["code"] for c in json.load(sys.stdin)[:40]))')
sentence=$(enc "assistance consulaire aux ressortissants détenus à l'étranger")
id=ar-ley-25871:art_9
# route | ordinary | most expensive valid
cat > "$idx/pairs" <<PAIRS
search|/v1/search?q=pasaporte&limit=10|/v1/search?q=$wide&limit=100
search (vs a sentence)|/v1/search?q=$sentence&limit=10|/v1/search?q=$wide&limit=100
search (deep page)|/v1/search?q=pasaporte&limit=10|/v1/search?q=$wide&limit=100&offset=10000&group=off
compare|/v1/compare?category=protection/detention&countries=AR,CO,CA&limit=5|/v1/compare?category=protection&countries=$all&limit=50&q=$wide
compare (vs every country)|/v1/compare?category=protection/detention|/v1/compare?category=protection&countries=$all&limit=50&q=$wide
matrix|/v1/matrix?subsystem=SICA|/v1/matrix?format=csv
gaps|/v1/gaps?country=UY|/v1/gaps?country=UY&peers=all&exemplars=10
gaps (every peer by name)|/v1/gaps?country=UY&peers=CA|/v1/gaps?country=UY&peers=$all&exemplars=10
brief|/v1/brief?country=UY&format=md|/v1/brief?country=UY&peers=all&exemplars=10&format=html
similar|/v1/provisions/$id/similar|/v1/provisions/$id/similar?limit=50
standards|/v1/standards/vccr|/v1/standards/vccr
instruments|/v1/instruments?country=UY|/v1/instruments
provision|/v1/provisions/$id|/v1/provisions/$id
practices|/v1/practices?country=UY|/v1/practices
PAIRS
t() { curl -s -o /dev/null -w '%{http_code} %{time_total}\n' "$base$1"; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf '%-28s %12s %12s %7s\n' route ordinary worst ratio
while IFS='|' read -r route ord worst; do
  : > "$idx/o"; : > "$idx/w"
  t "$ord" >/dev/null; t "$worst" >/dev/null   # warm the page cache once
  for _ in $(seq 1 "$runs"); do
    read -r s1 a < <(t "$ord"); read -r s2 b < <(t "$worst")
    [ "$s1" = 200 ] && [ "$s2" = 200 ] || { echo "$route: status $s1 / $s2" >&2; exit 1; }
    echo "$a" >> "$idx/o"; echo "$b" >> "$idx/w"
  done
  o=$(median < "$idx/o"); w=$(median < "$idx/w")
  awk -v r="$route" -v o="$o" -v w="$w" 'BEGIN { printf "%-28s %9.1f ms %9.1f ms %6.1fx\n", r, 1000*o, 1000*w, w/o }'
done < "$idx/pairs"
