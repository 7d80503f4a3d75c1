#!/usr/bin/env bash
# EPUB digests of 10, 100 and 1000 generated articles: `warraq epub` against pandoc on the
# same content (pandoc reads it as one HTML file, the way a newsroom would feed it), side
# by side: wall time, peak memory, file size, and — with --validate — epubcheck's verdict.
#
# usage: bench/epub/bench.sh [--validate] [BUILD_DIR]     (default BUILD_DIR: build/release)
# Needs: a built warraq, python3, pandoc, /usr/bin/time; epubcheck for --validate.
set -euo pipefail
cd "$(dirname "$0")/../.."

validate=0
if [[ "${1:-}" == "--validate" ]]; then validate=1; shift; fi
build=${1:-build/release}
warraq="$build/warraq"
[[ -x "$warraq" ]] || { echo "bench: no $warraq; build first (cmake --preset release && cmake --build --preset release)" >&2; exit 2; }
command -v pandoc >/dev/null || { echo "bench: pandoc is missing (scripts/setup-deps.sh installs it)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SOURCE_DATE_EPOCH=1732492800

# Runs a command under /usr/bin/time; prints "seconds peak-KiB".
measure() {
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>"$work/stderr" || {
    cat "$work/stderr" >&2
    return 1
  }
  cat "$work/time"
}

verdict() {
  local out
  out=$(java -jar /usr/share/java/epubcheck.jar "$1" 2>&1 || true)
  sed -n 's/^Messages: \([0-9]*\) fatals* \/ \([0-9]*\) errors* \/ \([0-9]*\) warnings*.*/\1F\/\2E\/\3W/p' <<<"$out" | head -1
}

printf '%-9s %-7s %9s %9s %11s %12s\n' articles tool seconds "peak MiB" "size KiB" epubcheck
for n in 10 100 1000; do
  python3 bench/generate_edition.py "$n" "$work/edition-$n.xml"
  python3 bench/epub/edition_to_html.py "$work/edition-$n.xml" "$work/edition-$n.html"

  read -r secs kib < <(measure "$warraq" epub "$work/edition-$n.xml" -o "$work/warraq-$n.epub")
  check=-; ((validate)) && check=$(verdict "$work/warraq-$n.epub")
  printf '%-9s %-7s %9s %9.1f %11d %12s\n' "$n" warraq "$secs" "$(bc -l <<<"$kib/1024")" \
    "$(( $(stat -c %s "$work/warraq-$n.epub") / 1024 ))" "$check"

  read -r secs kib < <(measure pandoc -f html -t epub3 --metadata "title=edition $n" \
    --metadata lang=ar --metadata dir=rtl -o "$work/pandoc-$n.epub" "$work/edition-$n.html")
  check=-; ((validate)) && check=$(verdict "$work/pandoc-$n.epub")
  printf '%-9s %-7s %9s %9.1f %11d %12s\n' "$n" pandoc "$secs" "$(bc -l <<<"$kib/1024")" \
    "$(( $(stat -c %s "$work/pandoc-$n.epub") / 1024 ))" "$check"
done
echo "(warraq embeds subset fonts and draws a cover; pandoc embeds no font and has no cover.)"
