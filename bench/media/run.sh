#!/usr/bin/env bash
# Media benchmark: how fast renditions are made, and the memory it takes, for a batch of large
# photos. Generates COUNT photo-like JPEGs of WIDTH×HEIGHT with the `vips` command, adds them with
# `kiosque media add` into a throwaway data directory (ingest + renditions inline, as an operator
# would), and reports renditions per second and peak resident memory.
#
#   bench/media/run.sh [COUNT] [WIDTH] [HEIGHT]      (default: 12 photos of 6000×4000, 24 MP)
set -euo pipefail
cd "$(dirname "$0")/../.."

count=${1:-12}
width=${2:-6000}
height=${3:-4000}

source bench/lib.sh
install_missing vips:libvips-tools /usr/bin/time:time

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
echo "== Build (Release)"
dotnet build src/Kiosque -c Release --nologo -v quiet >/dev/null
kiosque="src/Kiosque/bin/Release/net10.0/kiosque.dll"

work=$(mktemp -d /tmp/kiosque-bench-media.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/photos"

echo "== Generating $count photos of ${width}×${height} with vips $(vips --version | cut -d- -f2)"
for i in $(seq 1 "$count"); do
  # Soft colour fields (a noise field blown up with a smooth kernel) plus film grain: encoders
  # work on it as on a photo, unlike flat colour or pure noise.
  vips gaussnoise "$work/base.v" $((width / 16)) $((height / 16)) --sigma 50 --mean 128 --seed "$i"
  vips resize "$work/base.v" "$work/smooth.v" 16 --kernel cubic
  vips gaussnoise "$work/grain.v" "$width" "$height" --sigma 6 --mean 0 --seed $((i + 1000))
  vips add "$work/smooth.v" "$work/grain.v" "$work/sum.v"
  vips linear "$work/sum.v" "$work/g.v" 0.8 20
  vips linear "$work/sum.v" "$work/b.v" 0.6 40
  vips bandjoin "$work/sum.v $work/g.v $work/b.v" "$work/rgb.v"
  vips cast "$work/rgb.v" "$work/rgb8.v" uchar
  vips copy "$work/rgb8.v" "$work/photos/photo-$i.jpg[Q=90]" --interpretation srgb
done
rm -f "$work"/*.v
echo "   $(du -sh "$work/photos" | cut -f1) of JPEG"

echo "== kiosque media add (ingest, then every rendition inline)"
/usr/bin/time -f "%e %M %U %S" -o "$work/time" \
  dotnet "$kiosque" media add "$work/photos/"*.jpg --credit "Bench / Kiosque" --caption "Benchmark photo." --alt "A generated photo." \
  --Kiosque:DataDirectory="$work/data" --Kiosque:Culture=en > "$work/out" 2>&1 || { cat "$work/out"; exit 1; }
read -r elapsed peak_kb user_s sys_s < "$work/time"
summary=$(tr '\n' ' ' < "$work/out" | grep -o '[0-9]* image(s) rendered: .* MB\.' | tr -s ' ')
files=$(echo "$summary" | sed -E 's/.*rendered: ([0-9]+) files in ([0-9.]+) s \(([0-9.]+) files per second.*/\1 \2 \3/')
read -r rendered render_seconds per_second <<< "$files"
size=$(du -sh "$work/data/media" | cut -f1)

echo
echo "Photos:                 $count × ${width}×${height} ($(( width * height / 1000000 )) MP) JPEG"
echo "Renditions made:        $rendered files (AVIF, WebP, JPEG widths + 3 crops) in ${render_seconds} s"
echo "Renditions per second:  $per_second"
echo "Photos per second:      $(echo "scale=2; $count / $render_seconds" | bc) (renditions only)"
echo "Whole command:          ${elapsed} s (start, migrations, ingest of $count photos, renditions)"
echo "CPU time of the command: $(echo "$user_s + $sys_s" | bc) s (user + system, all threads)"
echo "Peak resident memory:   $(( peak_kb / 1024 )) MB"
echo "Public files written:   $size"
# On a machine shared with other work the wall-clock figures above drop; CPU time does not.
echo "Machine:                $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
