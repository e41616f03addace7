# Shared by scripts/run.sh and scripts/test.sh: install what is missing, configure, build.
# Sourced, not run. Idempotent: with everything installed and built it takes a second or two.
set -euo pipefail

DBDECK_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DBDECK_BUILD="${DBDECK_BUILD:-$DBDECK_ROOT/build}"

# Debian 12 packages: compiler and build tools, Qt 6 with both SQL drivers, SQLite (library for
# the C API, shell for the benchmarks' baselines; libpq comes with the QPSQL driver and is loaded only
# for a PostgreSQL URL),
# PostgreSQL for its test suites, AppStream and desktop-file validators, and Xvfb for screenshots.
DBDECK_PACKAGES=(
  g++ cmake ninja-build pkg-config
  qt6-base-dev qt6-base-dev-tools libqt6sql6-sqlite libqt6sql6-psql
  libsqlite3-dev sqlite3
  postgresql postgresql-client
  appstream desktop-file-utils
  xvfb xauth
)

dbdeck_missing_packages() {
  local missing=() pkg status
  for pkg in "${DBDECK_PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
  done
  echo "${missing[@]:-}"
}

dbdeck_install_missing() {
  local missing
  missing=$(dbdeck_missing_packages)
  [[ -z "$missing" ]] && return 0
  if [[ $(id -u) -ne 0 ]]; then
    echo "dbdeck needs these Debian packages, which are not installed:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y $missing" >&2
    echo "Run that line (or run this script as root), then run this command again." >&2
    exit 1
  fi
  echo "Installing: $missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing
}

# $1: ON to treat warnings as errors (the test command and CI), OFF otherwise.
# $2 (optional): the one target to build, with what it needs (run.sh builds only the inspector).
dbdeck_build() {
  local werror="${1:-OFF}"
  local target="${2:-}"
  local cached=""
  if [[ -f "$DBDECK_BUILD/CMakeCache.txt" ]]; then
    cached=$(sed -n 's/^DBDECK_WERROR:BOOL=//p' "$DBDECK_BUILD/CMakeCache.txt")
  fi
  if [[ ! -f "$DBDECK_BUILD/build.ninja" || "$cached" != "$werror" ]]; then
    local launcher=()
    # ccache is optional: when a developer has it, rebuilds of other clones and branches are fast.
    command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
    cmake -S "$DBDECK_ROOT" -B "$DBDECK_BUILD" -G Ninja \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDBDECK_WERROR="$werror" "${launcher[@]}"
  fi
  cmake --build "$DBDECK_BUILD" --parallel "$(nproc)" ${target:+--target "$target"}
}
