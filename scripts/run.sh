#!/usr/bin/env bash
# Installs what is missing, builds, and launches the inspector on the configured database
# (./data/app.db by default, created on first use). Extra arguments go to dbdeck.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
dbdeck_install_missing
# The same build settings as scripts/test.sh, so that switching between the two rebuilds nothing;
# but only what it launches (the inspector and the library it links), not the tests and benchmarks.
dbdeck_build "${DBDECK_WERROR:-ON}" dbdeck
cd "$DBDECK_ROOT"
if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" && -z "${QT_QPA_PLATFORM:-}" ]]; then
  echo "No display (DISPLAY and WAYLAND_DISPLAY are unset): starting the inspector under xvfb-run, on a virtual" >&2
  echo "screen nobody sees; it runs until you stop it (Ctrl+C). Set DISPLAY, or use dbdeck-cli, to see it." >&2
  exec xvfb-run -a "$DBDECK_BUILD/src/gui/dbdeck" "$@"
fi
exec "$DBDECK_BUILD/src/gui/dbdeck" "$@"
