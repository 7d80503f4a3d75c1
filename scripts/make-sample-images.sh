#!/usr/bin/env bash
# Draws the sample editions' figure images into samples/img/ (see make-sample-images.cpp):
# generated, never committed. Needs a C++ compiler, Cairo and libjpeg (scripts/setup-deps.sh
# installs them). Same bytes on every run. Run by scripts/setup.sh and by the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
out=samples/img
mkdir -p "$out" build/tools
tool=build/tools/make-sample-images
# Test processes run in parallel and may all ask for the images: one draws, the others wait,
# and images already drawn by the current generator are not rewritten under a reader.
exec 9>build/tools/.make-sample-images.lock
flock 9
fresh=1
for image in chart.png harbour.jpg portrait.png tram.jpg; do
  [[ -f $out/$image && $out/$image -nt scripts/make-sample-images.cpp ]] || fresh=0
done
((fresh)) && exit 0
if [[ ! -x $tool || scripts/make-sample-images.cpp -nt $tool ]]; then
  c++ -std=c++20 -O1 -o "$tool.tmp" scripts/make-sample-images.cpp \
    $(pkg-config --cflags --libs cairo libjpeg)
  mv "$tool.tmp" "$tool"
fi
"$tool" "$out"
