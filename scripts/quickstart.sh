#!/usr/bin/env bash
# mapguard quick start. Two commands, both idempotent:
#   scripts/quickstart.sh demo   install what is missing, build, scan docs/examples/
#   scripts/quickstart.sh test   install what is missing, build, run the whole test suite
# Environment: BUILD_DIR (default: build), JOBS (default: number of cores),
# LLVM_MATRIX (test only; default "19"): the older LLVM versions whose plugin is
# also built and checker-tested (scripts/test-llvm-matrix.sh); "" skips them.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BUILD_DIR:-$here/build}
jobs=${JOBS:-$(nproc)}
mode=${1:-}

die() { echo "quickstart: error: $*" >&2; exit 2; }

case "$mode" in
  demo|test) ;;
  *) die "usage: scripts/quickstart.sh demo|test" ;;
esac

# --- 1. Debian packages ------------------------------------------------------
mapfile -t wanted < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$here/scripts/packages.txt")
missing=()
for pkg in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "quickstart: these Debian packages are missing; install them with:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 2
  fi
  echo "quickstart: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Extra setup that individual parts of the project need (npm tools, ...).
for extra in "$here"/scripts/setup.d/*.sh; do
  [[ -e "$extra" ]] || continue
  MAPGUARD_QUICKSTART_MODE=$mode bash "$extra"
done

# --- 2. Configure and build -------------------------------------------------
if [[ ! -f "$build/build.ninja" ]]; then
  cmake -S "$here" -B "$build" -G Ninja
fi
cmake --build "$build" -j "$jobs"

# --- 3. Demo or tests --------------------------------------------------------
if [[ "$mode" == demo ]]; then
  echo "quickstart: scanning docs/examples/"
  if [[ -x "$build/bin/mapguard" ]]; then
    "$build/bin/mapguard" scan -p "$build" "$here/docs/examples" || [[ $? -eq 1 ]]
  else
    for f in "$here"/docs/examples/*.cpp; do
      /usr/lib/llvm-22/bin/clang-tidy --quiet --load="$build/lib/MapGuardTidyPlugin.so" \
        --checks='-*,mapguard-*' -p "$build" "$f" 2>/dev/null || true
    done
  fi
else
  ctest --test-dir "$build" --output-on-failure -j "$jobs"
  # The plugin against the older LLVMs CI covers (docs/llvm-versions.md).
  read -r -a matrix <<<"${LLVM_MATRIX-19}"
  if ((${#matrix[@]})); then
    MATRIX_BUILD_ROOT=$(dirname "$build") MATRIX_REQUIRE_ALL=1 JOBS=$jobs \
      "$here/scripts/test-llvm-matrix.sh" "${matrix[@]}"
  fi
fi
