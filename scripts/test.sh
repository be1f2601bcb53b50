#!/usr/bin/env bash
# The whole test suite, as CI runs it: formatting, a warning-free build, then every test on
# SQLite and on a throwaway PostgreSQL (Debian's package, loopback only, removed afterwards).
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# Installs Debian packages the tests need when they are missing (CI machines start bare).
need_packages=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_packages+=(postgresql)
command -v vips >/dev/null 2>&1 || true # NetVips.Native ships libvips itself.
# The browser tests: Debian's Chromium driven by Playwright, the Nu HTML Checker (Java) and axe-core (npm).
[ -x /usr/bin/chromium ] || need_packages+=(chromium)
command -v java >/dev/null 2>&1 || need_packages+=(default-jre-headless)
command -v npm >/dev/null 2>&1 || need_packages+=(nodejs npm)
# Signed mirrors are checked with Debian's minisign, as readers check them.
command -v minisign >/dev/null 2>&1 || need_packages+=(minisign)
if [ ${#need_packages[@]} -gt 0 ]; then
  echo "== Installing ${need_packages[*]}"
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need_packages[@]}" >/dev/null
fi

# A throwaway PostgreSQL cluster in a temporary folder. PostgreSQL refuses to run as root, so
# root (CI) runs it as the postgres user the package creates; anyone else runs it as themselves.
pg_dir=""
as_pg=()
if [ "$(id -u)" -eq 0 ]; then as_pg=(runuser -u postgres --); fi
pg() { ${as_pg[@]+"${as_pg[@]}"} "$@"; }
cleanup() {
  if [ -n "$pg_dir" ]; then
    pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
  fi
}
trap cleanup EXIT
pg_bin=$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
pg_port=${KIOSQUE_TEST_PG_PORT:-55432}
while (echo >/dev/tcp/127.0.0.1/"$pg_port") 2>/dev/null; do pg_port=$((pg_port + 1)); done
pg_dir=$(mktemp -d /tmp/kiosque-pg.XXXXXX)
if [ ${#as_pg[@]} -gt 0 ]; then chown postgres "$pg_dir"; fi
echo "== PostgreSQL on 127.0.0.1:$pg_port"
pg "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U postgres --no-sync >/dev/null
pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -w -l "$pg_dir/log" \
  -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
export KIOSQUE_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=postgres"

echo "== npm tools for the browser tests (vnu-jar, axe-core)"
# --ignore-scripts: vnu-jar's install script would try to download a Java; the machine's is used.
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
echo "== Newsroom editor packages (npm ci)"
(cd src/Kiosque && npm ci --no-audit --no-fund --loglevel=error)

echo "== Format"
dotnet format Kiosque.slnx --verify-no-changes

echo "== Build (warnings are errors)"
dotnet build Kiosque.slnx -c Release --nologo -v quiet

echo "== Tests (SQLite and PostgreSQL; browser tests in Chromium)"
log=$(mktemp)
status=0
dotnet test --solution Kiosque.slnx -c Release --no-build 2>&1 | tee "$log" || status=$?
# One plain closing line that any CI reads: "N passed, N failed, N skipped".
passed=$(grep -E '^\s+succeeded: [0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -E '^\s+failed: [0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -E '^\s+skipped: [0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
if [ "$failed" != 0 ]; then
  # CI logs keep only the tail: repeat each failing test's report there.
  echo "== Failed tests"
  awk '/^failed /{n=40} n>0{print; n--}' "$log"
fi
rm -f "$log"

echo "== The change log's door: a bypass must not build"
bash scripts/check-change-log-door.sh || status=1

echo "$passed passed, $failed failed, $skipped skipped"
exit $status
