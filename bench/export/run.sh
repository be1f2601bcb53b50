#!/usr/bin/env bash
# Mirror export benchmark (issue 14): generates ARTICLES articles (default 10,000) into a temporary
# data directory, makes a key pair, exports the whole site as a signed mirror, then publishes one
# article and exports again. Reports pages per second of the full export (the command's own count,
# without the site's start) and the wall time of the incremental run.
#
#   bash bench/export/run.sh                      # the full run (Release build)
#   ARTICLES=1000 bash bench/export/run.sh        # a quick one
#   BENCH_DATA=/tmp/dir bash bench/export/run.sh  # reuse a generated data directory (kept afterwards)
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

articles=${ARTICLES:-10000}
keep=${BENCH_DATA:+1}
data=${BENCH_DATA:-$(mktemp -d /tmp/kiosque-bench-export.XXXXXX)}
mkdir -p "$data"
work=$(mktemp -d /tmp/kiosque-bench-work.XXXXXX)
cleanup() {
  rm -rf "$work"
  if [ -z "$keep" ]; then rm -rf "$data"; fi
}
trap cleanup EXIT
trap 'echo "failed at line $LINENO"' ERR

echo "== Release build"
dotnet build src/Kiosque -c Release --nologo -v quiet >/dev/null
bin=$(pwd)/src/Kiosque/bin/Release/net10.0
kiosque() { (cd "$bin" && dotnet kiosque.dll "$@"); }
config=("--Kiosque:DataDirectory=$data" "--Kiosque:PublicUrl=https://journal.example")
now() { date +%s.%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

if [ ! -f "$data/kiosque.db" ]; then
  echo "== Generating $articles articles into $data"
  kiosque demo generate --articles "$articles" "${config[@]}" | tail -n 1
  kiosque media render "${config[@]}" | tail -n 1
fi

export KIOSQUE_MINISIGN_PASSWORD=bench-passphrase
kiosque keys generate --out "$work/keys" >/dev/null
key=("--key" "$work/keys/minisign.key")

echo "== Full export"
start=$(now)
kiosque export mirror "$work/mirror" "${key[@]}" "${config[@]}" | tail -n 1 | tee "$work/full.out"
echo "full export: $(seconds "$start" "$(now)") s wall"
minisign -Vm "$work/mirror/SHA256SUMS" -p "$work/keys/minisign.pub" >/dev/null && echo "minisign: verified"

echo "== Incremental export after one publish"
slug=$(sqlite3 "$data/kiosque.db" "SELECT Slug FROM Articles ORDER BY Id LIMIT 1" 2>/dev/null || true)
if [ -n "$slug" ]; then
  kiosque demo publish --slug "$slug" --headline "Mise à jour du banc d'essai" "${config[@]}" >/dev/null
fi
start=$(now)
kiosque export mirror "$work/mirror" "${key[@]}" "${config[@]}" | tail -n 1
echo "incremental export: $(seconds "$start" "$(now)") s wall (including the process and site start)"
