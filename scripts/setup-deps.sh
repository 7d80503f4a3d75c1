#!/usr/bin/env bash
# Installs, idempotently, every Debian 12 package that building Warraq, its fonts and its
# test suite need. Run as root on a fresh machine. Packages already present are skipped,
# so a second run does not touch apt at all.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config git clang-format
  # engine libraries
  libcairo2-dev libpango1.0-dev libharfbuzz-dev libharfbuzz-subset0 libzip-dev libdeflate-dev
  libtinyxml2-dev libicu-dev libcli11-dev libgumbo-dev libpng-dev libjpeg-dev
  # tests
  catch2 libxml2-utils qpdf poppler-utils mupdf-tools python3-pdfminer
  epubcheck default-jre-headless pandoc
  # importer fuzzers (fuzz/, WARRAQ_FUZZ=ON): clang and its libFuzzer runtime
  clang libclang-rt-14-dev
  # fonts the layouts name
  fonts-hosny-amiri fonts-noto-core
)

missing=()
# The machine image ships Node.js 20 with its own npm (pdf.js needs 20); Debian's nodejs
# conflicts with it, so it is only installed where no node exists at all.
command -v node >/dev/null 2>&1 || packages+=(nodejs npm)
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "setup: all Debian packages present"
fi
