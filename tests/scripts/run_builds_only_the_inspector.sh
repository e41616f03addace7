#!/usr/bin/env bash
# scripts/run.sh builds only what it launches (the dbdeck target), not every test and benchmark.
# cmake and the inspector are replaced by stand-ins that record how they were called, so the
# test takes a second and builds nothing.
set -euo pipefail
root="$1"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin" "$work/build/src/gui"
cat > "$work/bin/cmake" <<'STUB'
#!/usr/bin/env bash
echo "cmake $*" >> "$CALLS"
STUB
cat > "$work/build/src/gui/dbdeck" <<'STUB'
#!/usr/bin/env bash
echo "dbdeck $*" >> "$CALLS"
STUB
chmod +x "$work/bin/cmake" "$work/build/src/gui/dbdeck"
touch "$work/build/build.ninja"
echo "DBDECK_WERROR:BOOL=ON" > "$work/build/CMakeCache.txt"
export CALLS="$work/calls"
PATH="$work/bin:$PATH" DBDECK_BUILD="$work/build" QT_QPA_PLATFORM=offscreen bash "$root/scripts/run.sh" --version
cat "$CALLS"
grep -qx "cmake --build $work/build --parallel [0-9]* --target dbdeck" "$CALLS" || { echo "FAIL: run.sh did not build only the dbdeck target"; exit 1; }
grep -qx "dbdeck --version" "$CALLS" || { echo "FAIL: run.sh did not launch the inspector with its arguments"; exit 1; }
echo "ok"
