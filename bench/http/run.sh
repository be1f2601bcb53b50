#!/usr/bin/env bash
# HTTP benchmark: Kiosque's cached article page against nginx serving the same bytes as a static
# file, the uncached render rate, publish-to-visible latency, and start-up time and resident
# memory at 100,000 articles. Everything runs on 127.0.0.1 and every load run is bounded in time.
#
#   bash bench/http/run.sh                 # full run (about 10 minutes, most of it generating 100k articles)
#   DURATION=5s ROUNDS=1 BIG=0 bash bench/http/run.sh   # quick look
#
# Settings (environment): DURATION (per wrk run, 15s), ROUNDS (alternations, 3), CONNECTIONS (64),
# THREADS (wrk threads, 2), ARTICLES (10000), BIG (total articles for the memory run, 100000; 0 skips it),
# PUBLISHES (publish-to-visible samples, 10), ENCODING (what wrk accepts: "br", "gzip" or "identity"; default "br"), KEEP (keep the work folder).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

DURATION=${DURATION:-15s}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
ARTICLES=${ARTICLES:-10000}
BIG=${BIG:-100000}
PUBLISHES=${PUBLISHES:-10}
ENCODING=${ENCODING:-br}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# --- Tools, from Debian's packages when missing ------------------------------------------------
source bench/lib.sh
install_missing wrk:wrk nginx:nginx-light /usr/lib/nginx/modules/ngx_http_brotli_static_module.so:libnginx-mod-http-brotli-static curl:curl sqlite3:sqlite3

work=$(mktemp -d /tmp/kiosque-bench.XXXXXX)
chmod 755 "$work" # nginx's workers run as an unprivileged user
app_pid="" nginx_pid=""
stop_app() {
  if [ -n "$app_pid" ]; then kill "$app_pid" 2>/dev/null || true; wait "$app_pid" 2>/dev/null || true; app_pid=""; fi
}
cleanup() {
  stop_app
  if [ -n "$nginx_pid" ]; then kill "$nginx_pid" 2>/dev/null || true; fi
  if [ -z "${KEEP:-}" ]; then rm -rf "$work"; else echo "Work folder kept: $work"; fi
}
trap cleanup EXIT

free_port() { local p=$1; while (echo >/dev/tcp/127.0.0.1/"$p") 2>/dev/null; do p=$((p + 1)); done; echo "$p"; }
now_ms() { date +%s%3N; }

# --- Build and data ----------------------------------------------------------------------------
echo "== Release build"
# ReadyToRun, as docs/operations.md recommends for production: less JIT at start-up.
dotnet publish src/Kiosque -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$work/app" --nologo -v quiet >/dev/null
kiosque() { (cd "$work" && "$work/app/kiosque" "$@" "--Kiosque:DataDirectory=$work/data" "--Logging:LogLevel:Default=Warning"); }
db="$work/data/kiosque.db"

echo "== Generating $ARTICLES articles"
started=$(now_ms)
kiosque demo generate --articles "$ARTICLES" | tail -n 1
generate_ms=$(( $(now_ms) - started ))
# The pictures' renditions now, so the server's background worker is not encoding AVIF while we measure.
kiosque media render | tail -n 1

port=$(free_port 18080)
base="http://127.0.0.1:$port"
# Starts the server with extra settings; sets first_response_ms (process start to first article page).
start_app() {
  local probe=$1; shift
  local t0; t0=$(now_ms)
  # MALLOC_ARENA_MAX=2, as docs/operations.md asks of production.
  (cd "$work" && MALLOC_ARENA_MAX=2 exec "$work/app/kiosque" --urls "$base" --contentRoot "$work/app" "--Kiosque:DataDirectory=$work/data" "--Kiosque:PublicUrl=https://journal.example" \
      "--Logging:LogLevel:Default=Warning" "$@" >"$work/app.log" 2>&1) &
  app_pid=$!
  until curl -fso /dev/null "$base$probe"; do
    kill -0 "$app_pid" 2>/dev/null || { cat "$work/app.log"; echo "Kiosque did not start" >&2; exit 1; }
    sleep 0.02
  done
  first_response_ms=$(( $(now_ms) - t0 ))
  # CPU the process used until then: what the start costs whatever else the machine runs.
  first_response_cpu_ms=$(awk -v hz="$(getconf CLK_TCK)" '{ printf "%d", ($14 + $15) * 1000 / hz }' "/proc/$app_pid/stat")
}
# Asks for every page of a list once, four at a time, so the cache holds them all before a measurement.
warm() { xargs -P 4 -I{} curl -so /dev/null -H "Accept-Encoding: $ENCODING" "$base{}" <"$1"; }
rss_mb() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

sql() { sqlite3 -cmd ".timeout 5000" "$db" "$@"; }
# A page from the middle of the archive: not the home page's lead, not the oldest.
slug=$(sql "SELECT Slug FROM Articles WHERE Status = 'Published' ORDER BY PublishedAt DESC LIMIT 1 OFFSET $((ARTICLES / 2));")
article="/article/$slug"
sql "SELECT '/article/' || Slug FROM Articles WHERE Status = 'Published' ORDER BY random() LIMIT 2000;" >"$work/paths.txt"

# --- nginx with the very bytes Kiosque sends ----------------------------------------------------
start_app "$article"
mkdir -p "$work/www"
curl -fs "$base$article" -o "$work/www/article.html"
curl -fs -H "Accept-Encoding: gzip" "$base$article" -o "$work/www/article.html.gz"
curl -fs -H "Accept-Encoding: br" "$base$article" -o "$work/www/article.html.br"
curl -fs -D "$work/kiosque-headers.txt" -o /dev/null -H "Accept-Encoding: $ENCODING" "$base$article"
nginx_port=$(free_port $((port + 1)))
mkdir -p "$work/nginx"
cat >"$work/nginx/nginx.conf" <<CONF
load_module /usr/lib/nginx/modules/ngx_http_brotli_static_module.so;
worker_processes auto;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  types { text/html html; }
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/www;
    client_body_temp_path $work/nginx;
    proxy_temp_path $work/nginx;
    fastcgi_temp_path $work/nginx;
    uwsgi_temp_path $work/nginx;
    scgi_temp_path $work/nginx;
    location = /article {
      default_type "text/html; charset=utf-8";
      gzip_static on;
      brotli_static on;
      gzip_vary on;
      add_header Cache-Control "public, max-age=10, stale-while-revalidate=30, stale-if-error=86400";
      try_files /article.html =404;
    }
  }
}
CONF
nginx -e "$work/nginx/error.log" -c "$work/nginx/nginx.conf" -p "$work/nginx" &
nginx_pid=$!
until curl -fso /dev/null "http://127.0.0.1:$nginx_port/article"; do sleep 0.05; done
case "$ENCODING" in br) served=article.html.br ;; gzip) served=article.html.gz ;; *) served=article.html ;; esac
size_k=$(stat -c %s "$work/www/$served")
nginx_size=$(curl -fs -H "Accept-Encoding: $ENCODING" "http://127.0.0.1:$nginx_port/article" | wc -c)
[ "$nginx_size" = "$size_k" ] || { echo "nginx does not serve the same bytes ($nginx_size vs $size_k)" >&2; exit 1; }

# CPU time (ticks) used so far by a server: the process and its children (nginx's workers).
cpu_ticks() { local t=0 p; for p in "$@" $(pgrep -P "$1" || true); do t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0))); done; echo $t; }
# Runs wrk against the server whose pid is $server and prints "requests/s p50_ms p99_ms cpu_ms_per_request".
# CPU per request does not depend on what else the machine runs, unlike requests/s on a shared machine.
bench() {
  local url=$1; shift
  local before; before=$(cpu_ticks "$server")
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "Accept-Encoding: $ENCODING" "$@" "$url" >"$work/wrk.txt"
  local after; after=$(cpu_ticks "$server")
  awk -v ticks=$((after - before)) -v hz="$(getconf CLK_TCK)" '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /requests in/ { n = $1 }
    /Requests\/sec/ { rps = $2 }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    /Non-2xx/ { bad = $NF }
    END { if (bad > 0) print "ERROR non-2xx=" bad; printf "%.0f %.2f %.2f %.3f\n", rps, p50, p99, ticks * 1000 / hz / n }' "$work/wrk.txt"
}

echo "== Cached article page vs nginx: $ROUNDS rounds of $DURATION, $CONNECTIONS connections, $THREADS wrk threads, Accept-Encoding: $ENCODING, $size_k bytes"
curl -fso /dev/null "$base$article"
server=$app_pid
bench "$base$article" >/dev/null # warm-up (JIT, tiering)
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
results="$work/results.txt"
: >"$results"
for round in $(seq 1 "$ROUNDS"); do
  server=$nginx_pid; echo "nginx $(bench "http://127.0.0.1:$nginx_port/article")" | tee -a "$results"
  server=$app_pid; echo "kiosque $(bench "$base$article")" | tee -a "$results"
done
echo "== Cached, 2,000 different article pages (all stored first; they fit the cache)"
warm "$work/paths.txt"
cached_many=$(PATHS_FILE="$work/paths.txt" bench "$base" -s bench/http/paths.lua)
echo "kiosque-many $cached_many"
rss_cached=$(rss_mb "$app_pid")

# --- Publish to visible -------------------------------------------------------------------------
echo "== Publish to visible ($PUBLISHES publishes; another process commits, as another node would)"
latencies=()
for i in $(seq 1 "$PUBLISHES"); do
  row=$(sql "SELECT a.Slug, s.Slug FROM Articles a JOIN Sections s ON s.Id = a.SectionId WHERE a.Status = 'Published' ORDER BY a.PublishedAt LIMIT 1 OFFSET $((i * 7));")
  pslug=${row%%|*}; psection=${row##*|}
  headline="Bench $i $(date +%s%N)"
  pages=("/" "/rubrique/$psection" "/article/$pslug")
  for p in "${pages[@]}"; do curl -fso /dev/null "$base$p"; done
  pollers=()
  for j in "${!pages[@]}"; do
    # grep reads the whole page (no -q), so curl is never cut off mid-page.
    (until curl -fs "$base${pages[$j]}" | grep -F "$headline" >/dev/null; do :; done; now_ms >"$work/fresh.$j") &
    pollers+=($!)
  done
  published=$(kiosque demo publish --slug "$pslug" --headline "$headline" | sed -n 's/^published-at-ms=//p')
  ok=1
  for pid in "${pollers[@]}"; do
    # Bounded: a page not fresh within 10 s is a failure, not a hang.
    for _ in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    if kill -0 "$pid" 2>/dev/null; then kill "$pid"; ok=0; fi
  done
  [ $ok = 1 ] || { echo "publish $i: not visible within 10 s" >&2; exit 1; }
  worst=0
  for j in "${!pages[@]}"; do t=$(( $(cat "$work/fresh.$j") - published )); [ $t -gt $worst ] && worst=$t; done
  latencies+=("$worst")
  echo "publish $i: home, section and article fresh after ${worst} ms"
done
stop_app

# --- Uncached render rate -----------------------------------------------------------------------
echo "== Uncached render rate (Kiosque:OutputCache=false), the same 2,000 article pages"
start_app "$article" --Kiosque:OutputCache=false
server=$app_pid
PATHS_FILE="$work/paths.txt" bench "$base" -s bench/http/paths.lua >/dev/null
uncached_many=$(PATHS_FILE="$work/paths.txt" bench "$base" -s bench/http/paths.lua)
echo "uncached-many $uncached_many"
uncached_one=$(bench "$base$article")
echo "uncached-one $uncached_one"
stop_app

# --- 100,000 articles: start-up and memory --------------------------------------------------------
if [ "$BIG" -gt "$ARTICLES" ]; then
  echo "== Growing the archive to $BIG articles"
  started=$(now_ms)
  kiosque demo generate --articles $((BIG - ARTICLES)) | tail -n 1
  generate_big_ms=$(( $(now_ms) - started ))
  sql "SELECT '/article/' || Slug FROM Articles WHERE Status = 'Published' ORDER BY random() LIMIT 20000;" >"$work/paths-big.txt"
  big_slug=$(head -n 1 "$work/paths-big.txt")
  start_app "$big_slug"
  first_big_ms=$first_response_ms first_big_cpu_ms=$first_response_cpu_ms
  rss_start=$(rss_mb "$app_pid")
  echo "first response after start: ${first_big_ms} ms (${first_big_cpu_ms} ms of CPU); resident memory ${rss_start} MB"
  echo "== Serving 20,000 different pages of the $BIG-article archive for $DURATION (the page cache fills to its budget)"
  server=$app_pid
  big_many=$(PATHS_FILE="$work/paths-big.txt" bench "$base" -s bench/http/paths.lua)
  echo "kiosque-big $big_many"
  rss_big=$(rss_mb "$app_pid")
  echo "resident memory after: ${rss_big} MB"
  stop_app
fi

# --- Summary -------------------------------------------------------------------------------------
echo
echo "== Summary (load average $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores, $(awk '/model name/ { $1=$2=$3=""; print; exit }' /proc/cpuinfo | sed 's/^ *//'), $(free -g | awk '/Mem:/ { print $2 }') GB, $(dotnet --version) SDK)"
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
line() { read -r r a b c <<<"$2"; printf "%-30s %8s req/s  p50 %7s ms  p99 %7s ms  CPU %6s ms/request\n" "$1" "$r" "$a" "$b" "$c"; }
for who in nginx kiosque; do
  rps=$(awk -v w=$who '$1 == w { print $2 }' "$results" | median)
  p50=$(awk -v w=$who '$1 == w { print $3 }' "$results" | median)
  p99=$(awk -v w=$who '$1 == w { print $4 }' "$results" | median)
  cpu=$(awk -v w=$who '$1 == w { print $5 }' "$results" | median)
  line "$who (one article, $ENCODING)" "$rps $p50 $p99 $cpu"
  eval "${who}_rps=$rps ${who}_cpu=$cpu"
done
awk -v k="$kiosque_rps" -v n="$nginx_rps" -v kc="$kiosque_cpu" -v nc="$nginx_cpu" 'BEGIN { printf "ratio kiosque/nginx            %.2f by requests/s, %.2f by CPU per request (medians of %s rounds)\n", k / n, nc / kc, '"$ROUNDS"' }'
line "cached, 2,000 articles" "$cached_many"
line "uncached, 2,000 articles" "$uncached_many"
line "uncached, one article" "$uncached_one"
printf "publish to visible           median %s ms, max %s ms (%s samples)\n" \
  "$(printf '%s\n' "${latencies[@]}" | median)" "$(printf '%s\n' "${latencies[@]}" | sort -n | tail -n 1)" "${#latencies[@]}"
printf "generate %s articles         %s s\n" "$ARTICLES" "$(awk -v t=$generate_ms 'BEGIN { printf "%.1f", t / 1000 }')"
printf "resident memory, 10k cached  %s MB\n" "$rss_cached"
if [ "$BIG" -gt "$ARTICLES" ]; then
  printf "generate %s more             %s s\n" $((BIG - ARTICLES)) "$(awk -v t=$generate_big_ms 'BEGIN { printf "%.1f", t / 1000 }')"
  printf "first response at %s       %s ms, %s ms of CPU (process start to first article page)\n" "$BIG" "$first_big_ms" "$first_big_cpu_ms"
  line "$BIG, 20,000 articles" "$big_many"
  printf "resident memory at %s      %s MB after start, %s MB after serving\n" "$BIG" "$rss_start" "$rss_big"
fi
