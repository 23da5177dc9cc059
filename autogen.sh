#!/bin/sh
# Regenerate the build system from a git checkout.
set -e
cd "$(dirname "$0")"
mkdir -p build-aux m4
autoreconf --force --install
# Automake's TAP driver is used for both the C unit tests and the bats suites.
cp -f "$(automake --print-libdir)/tap-driver.sh" build-aux/tap-driver.sh
