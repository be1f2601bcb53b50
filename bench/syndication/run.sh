#!/usr/bin/env bash
# Syndication benchmark (docs/performance.md, "Syndication"): generates ARTICLES articles (default
# 1,000,000) into a temporary data directory, starts the server on loopback and times, with curl,
# robots.txt, the sitemap index, pages.xml, the last articles-N.xml, tags-1.xml, news.xml and tag
# and author feeds: the first answer (nothing cached), a repeat, a 304 to If-None-Match, and the
# same after an article is published by another process (as another node would).
#
#   bash bench/syndication/run.sh                       # the full run (Release build); generation is most of it
#   ARTICLES=100000 bash bench/syndication/run.sh       # a smaller archive
#   BENCH_DATA=/tmp/dir bash bench/syndication/run.sh   # reuse a generated data directory (kept afterwards)
#   ROUNDS=20                                           # repeats of each cached and 304 answer (median reported)
#
# Besides the demo newsroom's lists (every tag and author has tens of thousands of articles at this
# size), the script adds the lists that used to cost a scan of the whole archive: a tag and an
# author with no published article, and a tag and an author with three old ones.
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

articles=${ARTICLES:-1000000}
rounds=${ROUNDS:-20}
keep=${BENCH_DATA:+1}
data=${BENCH_DATA:-$(mktemp -d /tmp/kiosque-bench-syndication.XXXXXX)}
mkdir -p "$data"
work=$(mktemp -d /tmp/kiosque-bench-work.XXXXXX)
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
  if [ -z "$keep" ]; then rm -rf "$data"; fi
}
trap cleanup EXIT
trap 'echo "failed at line $LINENO"; [ -f "$work/server.log" ] && tail -n 20 "$work/server.log"' ERR

source bench/lib.sh
install_missing curl:curl sqlite3:sqlite3

echo "== Release build"
# ReadyToRun, as docs/operations.md recommends for production: the first answers measure the
# work, not the JIT compiling it.
dotnet publish src/Kiosque -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$work/app" --nologo -v quiet >/dev/null
bin=$work/app
kiosque() { (cd "$bin" && ./kiosque "$@" "--Kiosque:DataDirectory=$data"); }
db="$data/kiosque.db"
sql() { sqlite3 -cmd ".timeout 10000" "$db" "$@"; }

now() { date +%s.%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

if [ ! -f "$db" ]; then
  echo "== Generating $articles articles into $data"
  start=$(now)
  kiosque demo generate --articles "$articles" | tail -n 1
  echo "generation: $(seconds "$start" "$(now)") s"
fi
if [ ! -f "$data/syndication-bench-ready" ]; then
  # The pictures' renditions and the search index now, so the server's background work (AVIF
  # encoding, building a missing index) is not competing with what we measure.
  kiosque media render | tail -n 1
  start=$(now)
  kiosque reindex | tail -n 1
  echo "search index: $(seconds "$start" "$(now)") s"
  # Written straight into the database before the server starts (nothing to tell any cache):
  # the generated archive ends two days ago, so the newest 300 pieces are moved into the news
  # sitemap's two days; and the rare and empty lists.
  sql <<'SQL'
UPDATE Articles SET PublishedAt = strftime('%Y-%m-%d %H:%M:%f', 'now', '-' || (rank * 8) || ' minutes'), UpdatedAt = strftime('%Y-%m-%d %H:%M:%f', 'now', '-' || (rank * 8) || ' minutes')
  FROM (SELECT Id AS rid, row_number() OVER (ORDER BY PublishedAt DESC) AS rank FROM Articles WHERE Status = 'Published' ORDER BY PublishedAt DESC LIMIT 300) AS newest
  WHERE Articles.Id = newest.rid;
INSERT INTO Tags (Slug, Name) VALUES ('bench-vide', 'Bench : aucun article'), ('bench-rare', 'Bench : trois articles anciens');
INSERT INTO Authors (Slug, Name, Bio) VALUES ('bench-sans-article', 'Bench Sans Article', ''), ('bench-rare', 'Bench Rare', '');
INSERT INTO ArticleTags (ArticleId, TagId) SELECT Id, (SELECT Id FROM Tags WHERE Slug = 'bench-rare') FROM Articles WHERE Status = 'Published' ORDER BY PublishedAt LIMIT 3;
INSERT INTO ArticleAuthors (ArticleId, AuthorId, Position) SELECT Id, (SELECT Id FROM Authors WHERE Slug = 'bench-rare'), 9 FROM Articles WHERE Status = 'Published' ORDER BY PublishedAt LIMIT 3;
SQL
  touch "$data/syndication-bench-ready"
fi
count=$(sql "SELECT count(*) FROM Articles WHERE Status = 'Published';")
echo "published articles: $count"

port=${PORT:-5491}
while (echo >/dev/tcp/127.0.0.1/"$port") 2>/dev/null; do port=$((port + 1)); done
base="http://127.0.0.1:$port"
start=$(now)
(cd "$bin" && MALLOC_ARENA_MAX=2 exec ./kiosque "--Kiosque:DataDirectory=$data" --urls "$base") >"$work/server.log" 2>&1 &
server=$!
# /feed answers a redirect without reading anything: every measured URL stays unasked.
for _ in $(seq 1 600); do
  code=$(curl -s -o /dev/null -w '%{http_code}' "$base/feed" || true)
  [ "$code" = "301" ] && break
  sleep 0.2
done
[ "$code" = "301" ] || { echo "the server did not answer"; cat "$work/server.log"; exit 1; }
echo "server up in $(seconds "$start" "$(now)") s"

# The last article sitemap: the id range (50,000 ids a page) of the newest published id; and the
# last full one before it (50,000 URLs), when there is one.
pages=$(sql "SELECT (max(Id) - 1) / 50000 + 1 FROM Articles WHERE Status = 'Published';")
last="sitemaps/articles-$pages.xml"
full="sitemaps/articles-$((pages > 1 ? pages - 1 : 1)).xml"

urls=(
  /robots.txt
  /sitemap.xml
  /sitemaps/pages.xml
  "/$full"
  "/$last"
  /sitemaps/tags-1.xml
  /sitemaps/news.xml
  /theme/repression/rss.xml
  /theme/bench-rare/rss.xml
  /theme/bench-vide/atom.xml
  /auteur/hugo-lemarquis/atom.xml
  /auteur/bench-rare/feed.json
  /auteur/bench-sans-article/rss.xml
)

ms() { awk -v t="$1" 'BEGIN { printf "%.1f", t * 1000 }'; }
# The server's CPU time so far, in ms (user + system; the kernel counts in ticks of 10 ms): on a
# machine shared with other work, wall times say how much CPU the server was given, CPU times
# what an answer costs.
hz=$(getconf CLK_TCK)
cpu() { awk -v hz="$hz" '{ printf "%d", ($14 + $15) * 1000 / hz }' "/proc/$server/stat"; }
median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.1f", v[int((NR + 1) / 2)] * 1000 }'; }
# One request: "time_total http_code size", accepting gzip as crawlers and feed readers do (the
# size is what went over the wire).
get() { curl -s -o /dev/null -H "Accept-Encoding: gzip" -w '%{time_total} %{http_code} %{size_download}\n' "$@"; }
etag() { curl -s -o /dev/null -H "Accept-Encoding: gzip" -D - "$base$1" | tr -d '\r' | awk 'tolower($1) == "etag:" { print $2 }'; }

echo "== Every URL from nothing, then cached, then 304 ($rounds rounds each)"
declare -A first first_cpu again again_cpu cond cond_cpu tags bytes
for url in "${urls[@]}"; do
  c0=$(cpu)
  read -r t code size < <(get "$base$url")
  [ "$code" = "200" ] || { echo "$url answered $code"; exit 1; }
  first[$url]=$(ms "$t")
  first_cpu[$url]=$(( $(cpu) - c0 ))
  bytes[$url]=$size
done
for url in "${urls[@]}"; do
  c0=$(cpu)
  again[$url]=$(for _ in $(seq 1 "$rounds"); do get "$base$url" | cut -d' ' -f1; done | median)
  again_cpu[$url]=$(( ($(cpu) - c0) / rounds ))
  tags[$url]=$(etag "$url")
  c0=$(cpu)
  cond[$url]=$(for _ in $(seq 1 "$rounds"); do
    read -r t code _ < <(get -H "If-None-Match: ${tags[$url]}" "$base$url")
    [ "$code" = "304" ] || { echo "$url answered $code to its own ETag" >&2; exit 1; }
    echo "$t"
  done | median)
  cond_cpu[$url]=$(awk -v a="$c0" -v b="$(cpu)" -v n="$rounds" 'BEGIN { printf "%.1f", (b - a) / n }')
done

echo "== An article published by another process, then each URL again with the ETag it had"
slug=$(sql "SELECT a.Slug FROM Articles a JOIN ArticleTags t ON t.ArticleId = a.Id JOIN Tags g ON g.Id = t.TagId WHERE g.Slug = 'repression' AND a.Status = 'Published' ORDER BY a.Id DESC LIMIT 1;")
kiosque demo publish --slug "$slug" --headline "Republié pour le banc d'essai" >/dev/null
sleep 1 # the change feed's poll (250 ms), with room to spare
declare -A after after_cpu status
for url in "${urls[@]}"; do
  c0=$(cpu)
  read -r t code _ < <(get -H "If-None-Match: ${tags[$url]}" "$base$url")
  after[$url]=$(ms "$t")
  after_cpu[$url]=$(( $(cpu) - c0 ))
  status[$url]=$code
done

rss=$(awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$server/status")
echo
echo "$count published articles; wall time in ms as curl saw it (loopback, gzip accepted) / the server's CPU time in ms"
echo
echo "| URL | size (gzip) | first answer (nothing cached) | again, 200 (median) | 304 (median) | after a publish elsewhere, conditional |"
echo "| --- | --- | --- | --- | --- | --- |"
for url in "${urls[@]}"; do
  echo "| \`$url\` | $(awk -v b="${bytes[$url]}" 'BEGIN { if (b > 1048576) printf "%.1f MB", b / 1048576; else printf "%.1f KB", b / 1024 }') | ${first[$url]} / ${first_cpu[$url]} | ${again[$url]} / ${again_cpu[$url]} | ${cond[$url]} / ${cond_cpu[$url]} | ${after[$url]} / ${after_cpu[$url]} (${status[$url]}) |"
done
echo
echo "server resident memory after the run: $rss MB"
echo "(load average at the end: $(cut -d' ' -f1-3 /proc/loadavg))"
