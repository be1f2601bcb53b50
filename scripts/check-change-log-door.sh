#!/usr/bin/env bash
# Proves the build refuses a write that bypasses the change log (docs/architecture.md, "The change
# log"): a file that bulk-updates articles outside src/Kiosque/ChangeLog/ must fail to compile
# with RS0030, and the same file inside that folder must compile. Run by scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
probe_outside=src/Kiosque/Jobs/ChangeLogBypassProbe.cs
probe_inside=src/Kiosque/ChangeLog/ChangeLogBypassProbe.cs
cleanup() { rm -f "$probe_outside" "$probe_inside"; }
trap cleanup EXIT
write_probe() {
  cat > "$1" <<'CS'
using Kiosque.Data;
using Microsoft.EntityFrameworkCore;

namespace Kiosque.Probe;

internal static class ChangeLogBypassProbe
{
    public static Task<int> Rename(KiosqueDb db) =>
        db.Articles.Where(a => a.Id == 1).ExecuteUpdateAsync(s => s.SetProperty(a => a.Headline, "Sans le journal"));
}
CS
}
# A configuration of its own, so neither outcome touches the Release build the tests use.
build() { dotnet build src/Kiosque -c ChangeLogProbe --nologo -v quiet 2>&1; }
write_probe "$probe_outside"
if output=$(build); then
  echo "FAIL: a bulk update outside src/Kiosque/ChangeLog/ compiled; BannedSymbols.txt no longer guards the change log."
  exit 1
fi
if ! grep -q "RS0030" <<<"$output"; then
  echo "FAIL: the probe failed to build, but not because of the banned API:"
  echo "$output" | tail -5
  exit 1
fi
rm -f "$probe_outside"
write_probe "$probe_inside"
if ! output=$(build); then
  echo "FAIL: the same update inside src/Kiosque/ChangeLog/ should build:"
  echo "$output" | grep -E "error" | head -5
  exit 1
fi
echo "The change log's door holds: a bypass outside ChangeLog/ is refused (RS0030), the same code inside builds."
