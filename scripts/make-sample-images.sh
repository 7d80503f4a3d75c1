#!/usr/bin/env bash
# Draws the sample editions' figure images into samples/img/ (see make-sample-images.cpp):
# generated, never committed. Needs a C++ compiler, Cairo and libjpeg (scripts/setup-deps.sh
# installs them). Same bytes on every run. Run by scripts/setup.sh and by the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
out=samples/img
mkdir -p "$out" build/tools
tool=build/tools/make-sample-images
if [[ ! -x $tool || scripts/make-sample-images.cpp -nt $tool ]]; then
  c++ -std=c++20 -O1 -o "$tool.tmp" scripts/make-sample-images.cpp \
    $(pkg-config --cflags --libs cairo libjpeg)
  mv "$tool.tmp" "$tool"
fi
"$tool" "$out"
