#!/usr/bin/env bash
# Screenshots of an EPUB's pages in headless Chromium, to look at them (not a test).
#
#   bench/epub/screenshots.sh EPUB OUTDIR [DOCUMENT...]
#
# Unzips EPUB into a temporary folder and writes OUTDIR/<name>.png for each DOCUMENT (a
# path inside the EPUB, e.g. OEBPS/text/a002.xhtml). Without DOCUMENT: the cover page,
# the contents (nav) and the first two articles in reading order, plus the first article
# that holds a <figure>, if any.
#
# Each page is shot once its web fonts have loaded (screenshot_pages.py drives Chromium
# through the DevTools protocol and waits for document.fonts.ready; a bare
# `chromium --screenshot` can shoot before the @font-face files are read, with the text
# still invisible). It prints each page's @font-face rules and whether each loaded.
#
# Chromium sees only the book's own fonts plus one fallback, a monospaced Latin face with
# no Arabic (a private fontconfig configuration, FONTCONFIG_FILE): a character the
# embedded subset fonts lack shows as a box or in typewriter Latin, instead of being drawn
# quietly from the host's copy of the same family. WARRAQ_SHOT_HOST_FONTS=1 gives it the
# host's fonts. WARRAQ_SHOT_SIZE=WxH sets the window (default 800x1200).
#
# Needs the Debian package chromium (apt-get install chromium); nothing in the build or
# the tests needs it.
set -euo pipefail

if [[ $# -lt 2 ]]; then
  sed -n '4,9p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
epub=$(realpath "$1")
outdir=$2
shift 2
browser=$(command -v chromium || command -v chromium-browser || true)
if [[ -z "$browser" ]]; then
  echo "screenshots.sh: chromium not found (apt-get install chromium)" >&2
  exit 2
fi
mkdir -p "$outdir"
outdir=$(realpath "$outdir")
size=${WARRAQ_SHOT_SIZE:-800x1200}

work=$(mktemp -d "${TMPDIR:-/tmp}/warraq-shots.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/book" "$work/profile"
unzip -q "$epub" -d "$work/book"

documents=("$@")
if [[ ${#documents[@]} -eq 0 ]]; then
  # Reading order from the package document: spine idrefs -> manifest hrefs.
  mapfile -t documents < <(python3 - "$work/book" <<'EOF'
import sys, re, os
import xml.etree.ElementTree as ET
root = sys.argv[1]
container = ET.parse(os.path.join(root, "META-INF/container.xml")).getroot()
ns = {"c": "urn:oasis:names:tc:opendocument:xmlns:container", "o": "http://www.idpf.org/2007/opf"}
opf_path = container.find(".//c:rootfile", ns).get("full-path")
opf = ET.parse(os.path.join(root, opf_path)).getroot()
base = os.path.dirname(opf_path)
items = {i.get("id"): i for i in opf.find("o:manifest", ns)}
spine = [os.path.join(base, items[r.get("idref")].get("href")) for r in opf.find("o:spine", ns)]
nav = [os.path.join(base, i.get("href")) for i in items.values()
       if "nav" in (i.get("properties") or "").split()]
cover = [p for p in spine if os.path.basename(p).startswith("cover")]
articles = [p for p in spine if p not in cover and p not in nav]
chosen = cover[:1] + nav[:1] + articles[:2]
for p in articles:
    if "<figure" in open(os.path.join(root, p), encoding="utf-8").read():
        if p not in chosen:
            chosen.append(p)
        break
print("\n".join(chosen))
EOF
)
fi

if [[ "${WARRAQ_SHOT_HOST_FONTS:-0}" != 1 ]]; then
  # The only host font Chromium may fall back to: a monospaced Latin face with no Arabic,
  # so a fallback shows (typewriter Latin, boxes for Arabic) instead of hiding.
  mkdir "$work/fallback"
  for f in /usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf \
           /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf; do
    if [[ -f "$f" ]]; then ln -s "$f" "$work/fallback/"; break; fi
  done
  cat > "$work/fonts.conf" <<EOF
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig><dir>$work/fallback</dir><cachedir>$work/fc-cache</cachedir></fontconfig>
EOF
  export FONTCONFIG_FILE="$work/fonts.conf"
fi

files=()
for doc in "${documents[@]}"; do
  if [[ ! -f "$work/book/$doc" ]]; then
    echo "screenshots.sh: $doc is not in $epub" >&2
    exit 1
  fi
  files+=("$work/book/$doc")
done
python3 "$(dirname "$(realpath "$0")")/screenshot_pages.py" "$browser" "$size" "$outdir" \
  "${files[@]}" | sed "s|$work/book/||"
