#!/usr/bin/env bash
# Installs what is missing, builds with warnings as errors, and runs every test suite with ctest.
# Extra arguments go to ctest (e.g. -R tst_dburl).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
dbdeck_install_missing
dbdeck_build ON
cd "$DBDECK_BUILD"
export QT_QPA_PLATFORM=offscreen
exec ctest --output-on-failure --timeout 300 -j "$(nproc)" "$@"
