#!/bin/sh
# Installs the pinned pdf.js (package.json beside this script) into PREFIX, normally a
# folder of the build tree, from the npm registry. Does nothing when it is already there.
# usage: install-pdfjs.sh PREFIX
set -eu
here=$(cd "$(dirname "$0")" && pwd)
prefix=${1:?usage: install-pdfjs.sh PREFIX}
# Test processes run in parallel (ctest -j) and each asks for pdf.js: one installs while the
# others wait, then find it there. Without the lock a second npm rewrote the files a first
# test's node was running from (node died of SIGBUS).
mkdir -p "$(dirname "$prefix")"
exec 9>"$prefix.lock"
flock 9
want=$(sed -n 's/.*"pdfjs-dist": "\(.*\)".*/\1/p' "$here/package.json")
have=$(sed -n 's/^  "version": "\(.*\)",$/\1/p' "$prefix/node_modules/pdfjs-dist/package.json" 2>/dev/null || true)
if [ "$have" = "$want" ] && [ -d "$prefix/node_modules/@napi-rs" ]; then exit 0; fi
command -v npm >/dev/null || { echo "install-pdfjs.sh: npm not found (Debian: npm)" >&2; exit 1; }
mkdir -p "$prefix"
cp "$here/package.json" "$prefix/package.json"
npm install --prefix "$prefix" --include=optional --no-audit --no-fund --loglevel=error >&2
