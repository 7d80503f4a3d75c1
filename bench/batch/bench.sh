#!/usr/bin/env bash
# `warraq batch` throughput: a batch of generated editions (default 50 editions of 20
# articles, PDF and EPUB each) built with -j 1 and -j 2 from a cold cache: editions per
# minute, the speed-up, CPU time, and peak memory (whole process, and per extra worker).
#
# usage: bench/batch/bench.sh [BUILD_DIR] [EDITIONS] [ARTICLES]   (default build/release 50 20)
# Needs: a built warraq, python3, /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/../.."

build=${1:-build/release}
editions=${2:-50}
articles=${3:-20}
warraq="$build/warraq"
[[ -x "$warraq" ]] || { echo "bench: no $warraq; build first (cmake --preset release && cmake --build --preset release)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SOURCE_DATE_EPOCH=1732492800

# One generated edition, copied under the batch's names: every edition is the same size, so
# the figures do not depend on which edition lands on which worker.
python3 bench/generate_edition.py "$articles" "$work/edition.xml"
mkdir "$work/in"
for i in $(seq -w 1 "$editions"); do
  sed "s/<title>/<title>$i /" "$work/edition.xml" >"$work/in/edition-$i.xml"
done

printf 'batch: %d editions x %d articles, PDF + EPUB each, %d hardware threads, load %s\n' \
  "$editions" "$articles" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-4s %9s %12s %9s %10s %16s %10s\n' jobs seconds editions/min speed-up "cpu s" \
  "editions/cpu-min" "peak MiB"
base_rate=""
base_kib=""
for j in 1 2; do
  rm -rf "$work/out"
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" \
    "$warraq" batch "$work/in" -o "$work/out" -j "$j" --report "$work/report-$j.json" 2>"$work/log"
  read -r secs user sys kib <"$work/time"
  rate=$(bc -l <<<"$editions * 60 / $secs")
  [[ -z "$base_rate" ]] && base_rate=$rate && base_kib=$kib
  printf '%-4s %9.2f %12.1f %8.2fx %10.1f %16.1f %10.1f\n' "$j" "$secs" "$rate" \
    "$(bc -l <<<"$rate / $base_rate")" "$(bc -l <<<"$user + $sys")" \
    "$(bc -l <<<"$editions * 60 / ($user + $sys)")" "$(bc -l <<<"$kib / 1024")"
  last_kib=$kib
done
printf 'peak memory per worker: %.1f MiB (the -j 1 process), %.1f MiB for each worker added\n' \
  "$(bc -l <<<"$base_kib / 1024")" "$(bc -l <<<"($last_kib - $base_kib) / 1024")"
# On a machine busy with other work the wall-clock speed-up says little; CPU time per
# edition (about the same for -j 1 and -j 2 when workers do not contend) still does.
if (( $(cut -d' ' -f1 /proc/loadavg | cut -d. -f1) >= $(nproc) )); then
  echo "note: the load average was at or above the number of hardware threads; wall-clock"
  echo "      figures are shared with other processes, see editions/cpu-min"
fi
# The outputs do not depend on -j: the two reports agree apart from timings.
if cmp -s <(grep -v '"seconds"\|"read"\|"pdf":\|"epub":\|"total"\|"workers"\|"editions-per-minute"\|"run"' "$work/report-1.json") \
          <(grep -v '"seconds"\|"read"\|"pdf":\|"epub":\|"total"\|"workers"\|"editions-per-minute"\|"run"' "$work/report-2.json"); then
  echo "outputs with -j 1 and -j 2: identical (SHA-256 in the reports)"
else
  echo "outputs with -j 1 and -j 2: DIFFER" >&2
  exit 1
fi
