#!/usr/bin/env bash
# Search benchmark (docs/performance.md, "Search"): generates ARTICLES articles (default 100,000)
# into a temporary data directory, rebuilds the index with `kiosque reindex`, starts the server on
# loopback, runs a fixed set of French queries through /api/recherche and the article pages
# (related articles), and reports index build time, p50/p95/p99 latency and resident memory.
#
#   bash bench/search/run.sh                      # the full run (Release build)
#   ARTICLES=5000 bash bench/search/run.sh        # a quick one
#   BENCH_DATA=/tmp/dir bash bench/search/run.sh  # reuse a generated data directory (kept afterwards)
#   ROUNDS=20                                     # passes over the query set (default 20)
#   REINDEX=0                                     # keep the index already in BENCH_DATA
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

articles=${ARTICLES:-100000}
rounds=${ROUNDS:-20}
keep=${BENCH_DATA:+1}
data=${BENCH_DATA:-$(mktemp -d /tmp/kiosque-bench-search.XXXXXX)}
mkdir -p "$data"
work=$(mktemp -d /tmp/kiosque-bench-work.XXXXXX)
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
  if [ -z "$keep" ]; then rm -rf "$data"; fi
}
trap cleanup EXIT
# Whatever stops the run, say where and show the server's last words.
trap 'echo "failed at line $LINENO"; [ -f "$work/server.log" ] && tail -n 20 "$work/server.log"' ERR

echo "== Release build"
dotnet build src/Kiosque -c Release --nologo -v quiet >/dev/null
# Run from the build output, so the published appsettings.json (log levels…) applies, as in production.
bin=$(pwd)/src/Kiosque/bin/Release/net10.0
kiosque() { (cd "$bin" && dotnet kiosque.dll "$@"); }
config=("--Kiosque:DataDirectory=$data")

now() { date +%s.%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

if [ ! -f "$data/kiosque.db" ]; then
  echo "== Generating $articles articles into $data"
  start=$(now)
  kiosque demo generate --articles "$articles" "${config[@]}" | tail -n 1
  echo "generation: $(seconds "$start" "$(now)") s"
  # The pictures' renditions now, so the server's background worker is not encoding AVIF while we measure.
  kiosque media render "${config[@]}" | tail -n 1
fi

build="not rebuilt"
if [ "${REINDEX:-1}" != "0" ]; then
  echo "== Rebuilding the index (kiosque reindex)"
  start=$(now)
  # CPU time of the children this shell has waited for (fields 16 and 17 of /proc/$$/stat, in ticks).
  ticks() { awk '{ print $16 + $17 }' "/proc/$$/stat"; }
  before=$(ticks)
  kiosque reindex "${config[@]}" >"$work/reindex.out"
  tail -n 2 "$work/reindex.out"
  build="$(seconds "$start" "$(now)") s"
  cpu=$(awk -v a="$before" -v b="$(ticks)" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", (b - a) / hz }')
  echo "index build: $build wall, $cpu s of CPU (process start to swap)"
fi
size=$(du -sh "$data/search/$(cat "$data/search/current")" | cut -f1)
echo "index size: $size"

port=${PORT:-5391}
while (echo >/dev/tcp/127.0.0.1/"$port") 2>/dev/null; do port=$((port + 1)); done
base="http://127.0.0.1:$port"
(cd "$bin" && exec dotnet kiosque.dll "${config[@]}" --urls "$base") >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 240); do
  code=$(curl -s -o /dev/null -w '%{http_code}' "$base/api/recherche?q=test" || true)
  [ "$code" = "200" ] && break
  sleep 0.5
done
[ "$code" = "200" ] || { echo "the server did not answer"; cat "$work/server.log"; exit 1; }

# A fixed set: single words, elisions, accents left out, phrases, several words, filters, date sort,
# a deep page and a query that finds nothing.
queries=(
  "q=repression"
  "q=manifestants"
  "q=l%27arm%C3%A9e"
  "q=mineurs%20en%20gr%C3%A8ve"
  "q=%22conseil%20municipal%22"
  "q=gouvernement%20s%C3%A9curit%C3%A9"
  "q=videosurveillance"
  "q=syndicats%20emplois"
  "q=libertes%20numeriques"
  "q=%22faire%20feu%22"
  "q=journalistes%20presse%20r%C3%A9gionale"
  "q=tribunal%20justice"
  "q=coop%C3%A9rative"
  "q=observatoire%20donn%C3%A9es"
  "q=enqu%C3%AAte%20Drevno"
  "q=fermeture%20usine"
  "q=%C3%A9lections"
  "q=minist%C3%A8re%20de%20l%E2%80%99int%C3%A9rieur"
  "q=gouvernement&rubrique=international"
  "q=mineurs&tri=date"
  "q=syndicats&du=2025-01-01&au=2025-12-31"
  "q=habitants&page=20"
  "q=zzqintrouvablezz"
)

measure() { # name, output file, urls...
  local file=$1; shift
  for url in "$@"; do printf '%s ' "${url#"$base"}" >>"$file"; curl -s -o /dev/null --max-time 30 -w '%{time_total}\n' "$url" >>"$file"; done
}
percentiles() { # file -> "p50 p95 p99" in ms
  awk '{ print $2 }' "$1" | sort -n | awk '{ v[NR] = $1 * 1000 } END {
    n = NR; split("50 95 99", q, " ");
    for (i = 1; i <= 3; i++) { k = int((q[i] / 100) * n + 0.999999); if (k < 1) k = 1; if (k > n) k = n; printf "%s%.1f", (i > 1 ? " " : ""), v[k] }
    printf "\n" }'
}

echo "== Warming up"
urls=()
for q in "${queries[@]}"; do urls+=("$base/api/recherche?$q"); done
# Ten passes: the runtime recompiles hot code in the background for a while after a start
# (tiered compilation); what is measured is the server as it runs for days.
for _ in $(seq 1 10); do measure "$work/warm" "${urls[@]}"; done

echo "== Searching: ${#queries[@]} queries x $rounds rounds through /api/recherche"
server_ticks() { awk '{ print $14 + $15 }' "/proc/$server/stat"; }
hz=$(getconf CLK_TCK)
t0=$(server_ticks)
for _ in $(seq 1 "$rounds"); do measure "$work/api" "${urls[@]}"; done
api_cpu=$(awk -v a="$t0" -v b="$(server_ticks)" -v n="$(wc -l <"$work/api")" -v hz="$hz" 'BEGIN { printf "%.1f", (b - a) * 1000 / hz / n }')
read -r p50 p95 p99 < <(percentiles "$work/api")
echo "search /api/recherche: $(wc -l <"$work/api") requests, p50 $p50 ms, p95 $p95 ms, p99 $p99 ms"
echo "server CPU per search: $api_cpu ms"
echo "median by query (ms):"
sort -k1,1 -k2,2n "$work/api" | awk '{ t[$1] = t[$1] " " $2 } END { for (q in t) { n = split(substr(t[q], 2), v, " "); printf "  %7.1f  %s\n", v[int((n + 1) / 2)] * 1000, q } }' | sort -rn

html=()
for q in "${queries[@]}"; do html+=("$base/recherche?$q"); done
for _ in $(seq 1 5); do measure "$work/html" "${html[@]}"; done
read -r h50 h95 h99 < <(percentiles "$work/html")
echo "search page /recherche: $(wc -l <"$work/html") requests, p50 $h50 ms, p95 $h95 ms, p99 $h99 ms"

# Article pages: their related list is a MoreLikeThis query on the index.
pages=()
for url in $(curl -s "$base/api/recherche?q=habitants&tri=date" | grep -o '"url":"[^"]*"' | cut -d'"' -f4 | head -n 12); do
  pages+=("$url")
done
for page in "${pages[@]}"; do
  code=$(curl -s -o /dev/null -w '%{http_code}' "$page")
  [ "$code" = "200" ] || { echo "$page answered $code"; exit 1; }
done
measure "$work/warm" "${pages[@]}"
t0=$(server_ticks)
for _ in $(seq 1 10); do measure "$work/article" "${pages[@]}"; done
article_cpu=$(awk -v a="$t0" -v b="$(server_ticks)" -v n="$(wc -l <"$work/article")" -v hz="$hz" 'BEGIN { printf "%.1f", (b - a) * 1000 / hz / n }')
read -r a50 a95 a99 < <(percentiles "$work/article")
echo "article page with related (MoreLikeThis): $(wc -l <"$work/article") requests, p50 $a50 ms, p95 $a95 ms, p99 $a99 ms, server CPU $article_cpu ms per page"

rss=$(awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$server/status")
# Resident memory is the process's own (anonymous) memory plus the index files' pages it has mapped.
anon=$(awk '/RssAnon/ { printf "%.0f", $2 / 1024 }' "/proc/$server/status")
mapped=$(awk '/RssFile/ { printf "%.0f", $2 / 1024 }' "/proc/$server/status")
hwm=$(awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$server/status")
count=$(curl -s "$base/api/recherche?rubrique=international" | grep -o '"total":[0-9]*' | head -n 1)
echo "server resident memory after the run: $rss MB (peak $hwm MB): $anon MB of its own, $mapped MB of mapped files"
echo
echo "| articles | index build | index size | search p50 | p95 | p99 | CPU per search | search page p95 | article page p95 | RSS (peak) |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
echo "| $articles | $build (${cpu:-?} s CPU) | $size | $p50 ms | $p95 ms | $p99 ms | $api_cpu ms | $h95 ms | $a95 ms | $rss MB ($hwm MB) |"
echo "(load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); $count in International)"
