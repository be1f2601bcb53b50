#!/usr/bin/env bash
# Memory benchmark: resident memory of a Kiosque server that keeps serving different article pages
# of a large archive, with the shipped settings and with variants side by side in one run.
#
#   bash bench/memory/run.sh                              # 100,000 articles, shipped settings
#   BENCH_DATA=/tmp/dir bash bench/memory/run.sh          # reuse (or keep) a generated data folder
#   bash bench/memory/run.sh "shipped:" "no-cache:Kiosque__OutputCache=false"   # variants: label:VAR=value,...
#
# Settings (environment): ARTICLES (100000), REQUESTS (different article pages each variant serves,
# 10000: more than the page cache holds, so it reaches its budget and evicts), CONNECTIONS (16).
# The load is a fixed list of requests, not a duration: every variant does the same work however
# busy the machine is, so their memory figures compare.
# For each variant it prints the resident set (VmRSS) after start, its peak and its value at the end
# of the load, split at the end into anonymous memory (the process's own: GC heap, native allocations,
# thread stacks), file pages (assemblies, native libraries, the search index) and the runtime's
# double-mapped code; plus requests/s and CPU per request, so a saving is weighed against its cost.
set -euo pipefail
cd "$(dirname "$0")/../.."
ARTICLES=${ARTICLES:-100000}
REQUESTS=${REQUESTS:-10000}
CONNECTIONS=${CONNECTIONS:-16}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

source bench/lib.sh
install_missing curl:curl sqlite3:sqlite3

work=$(mktemp -d /tmp/kiosque-bench-memory.XXXXXX)
data=${BENCH_DATA:-$work/data}
app_pid=""
stop_app() { if [ -n "$app_pid" ]; then kill "$app_pid" 2>/dev/null || true; wait "$app_pid" 2>/dev/null || true; app_pid=""; fi; }
cleanup() { stop_app; rm -rf "$work"; }
trap cleanup EXIT
free_port() { local p=$1; while (echo >/dev/tcp/127.0.0.1/"$p") 2>/dev/null; do p=$((p + 1)); done; echo "$p"; }

echo "== Release build (ReadyToRun, as docs/operations.md recommends)"
dotnet publish src/Kiosque -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$work/app" --nologo -v quiet >/dev/null
kiosque() { (cd "$work" && "$work/app/kiosque" "$@" "--Kiosque:DataDirectory=$data" "--Logging:LogLevel:Default=Warning"); }
db="$data/kiosque.db"
have=0
[ -f "$db" ] && have=$(sqlite3 "$db" "SELECT count(*) FROM Articles;")
if [ "$have" -lt "$ARTICLES" ]; then
  echo "== Generating $((ARTICLES - have)) articles into $data"
  kiosque demo generate --articles $((ARTICLES - have)) | tail -n 1
  kiosque media render | tail -n 1
fi
sqlite3 "$db" "SELECT '/article/' || Slug FROM Articles WHERE Status = 'Published' ORDER BY random() LIMIT $((REQUESTS + 1));" >"$work/paths.txt"
first=$(head -n 1 "$work/paths.txt")
# One curl for the whole list (its own parallel transfers): no process per request.
tail -n +2 "$work/paths.txt" | awk -v base="http://127.0.0.1:PORT" '{ print "url = \"" base $0 "\"\noutput = /dev/null" }' >"$work/urls.template"

port=$(free_port 18180)
base="http://127.0.0.1:$port"
sed "s/PORT/$port/" "$work/urls.template" >"$work/urls.cfg"
kb() { awk -v k="$2" '$1 == k":" { print $2 }' "/proc/$1/$3"; }
# The runtime maps generated code twice (W^X); those pages show as a shared memfd, counted apart.
doublemapped_kb() { awk '/memfd:doublemapper/ { m = 1; next } /^[0-9a-f]+-[0-9a-f]+ / { m = 0 } m && $1 == "Rss:" { s += $2 } END { print s + 0 }' "/proc/$1/smaps"; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

[ $# -gt 0 ] || set -- "shipped:"
summary="$work/summary.txt"
: >"$summary"
for variant in "$@"; do
  label=${variant%%:*}; settings=${variant#*:}
  # MALLOC_ARENA_MAX=2 as docs/operations.md asks of production; a variant's settings come after and win.
  envs=(MALLOC_ARENA_MAX=2)
  if [ -n "$settings" ]; then IFS=, read -r -a extra <<<"$settings"; envs+=("${extra[@]}"); fi
  echo "== $label (${envs[*]}): $REQUESTS different article pages, $CONNECTIONS at a time"
  (cd "$work" && exec env "${envs[@]}" "$work/app/kiosque" --urls "$base" --contentRoot "$work/app" "--Kiosque:DataDirectory=$data" \
      "--Kiosque:PublicUrl=https://journal.example" "--Logging:LogLevel:Default=Warning" >"$work/app.log" 2>&1) &
  app_pid=$!
  until curl -fso /dev/null "$base$first"; do
    kill -0 "$app_pid" 2>/dev/null || { cat "$work/app.log"; echo "Kiosque did not start" >&2; exit 1; }
    sleep 0.05
  done
  sleep 2
  rss_start=$(kb "$app_pid" VmRSS status)
  peak=$rss_start
  before=$(cpu_ticks "$app_pid")
  t0=$(date +%s%3N)
  curl --parallel --parallel-immediate --parallel-max "$CONNECTIONS" --no-progress-meter -H 'Accept-Encoding: br' -K "$work/urls.cfg" -w '%{http_code}\n' >"$work/codes.txt" &
  load_pid=$!
  while kill -0 "$load_pid" 2>/dev/null; do
    r=$(kb "$app_pid" VmRSS status); [ "$r" -gt "$peak" ] && peak=$r
    sleep 1
  done
  wait "$load_pid" || true
  elapsed_ms=$(( $(date +%s%3N) - t0 ))
  after=$(cpu_ticks "$app_pid")
  rss_end=$(kb "$app_pid" VmRSS status)
  anon=$(kb "$app_pid" RssAnon status); file=$(kb "$app_pid" RssFile status); shmem=$(kb "$app_pid" RssShmem status)
  dm=$(doublemapped_kb "$app_pid")
  n=$(wc -l <"$work/codes.txt")
  bad=$(grep -vc '^200$' "$work/codes.txt" || true); [ "$bad" = 0 ] || echo "WARNING: $bad answers other than 200" >&2
  rps=$(awk -v n="$n" -v t="$elapsed_ms" 'BEGIN { printf "%.0f", n * 1000 / t }')
  cpu=$(awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v n="$n" 'BEGIN { printf "%.2f", t * 1000 / hz / n }')
  printf "%-14s RSS after start %4d MB, peak %4d MB, end %4d MB (own %d, files %d, shared %d of which double-mapped code %d) | %s req/s, %s ms CPU/request\n" \
    "$label" $((rss_start / 1024)) $((peak / 1024)) $((rss_end / 1024)) $((anon / 1024)) $((file / 1024)) $((shmem / 1024)) $((dm / 1024)) "$rps" "$cpu" | tee -a "$summary"
  stop_app
done
echo
echo "== Summary ($(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(dotnet --version) SDK, $ARTICLES articles)"
cat "$summary"
