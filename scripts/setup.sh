#!/usr/bin/env bash
# From a fresh clone to a working Warraq: installs the Debian packages, builds the release
# preset, and renders the sample edition to out/edition-ar-MA.pdf and out/edition-ar-MA.epub.
# Run as root on Debian 12 (apt-get must work). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release

# The samples' figure images are drawn, not committed.
bash scripts/make-sample-images.sh

mkdir -p out
for edition in samples/edition-*.xml; do
  name=$(basename "$edition" .xml)
  build/release/warraq pdf "$edition" -o "out/$name.pdf"
  build/release/warraq epub "$edition" -o "out/$name.epub"
  echo "setup: rendered out/$name.pdf and out/$name.epub"
done
