#!/usr/bin/env bash
# The clang-tidy plugin against each supported LLVM: for every version, build
# only the plugin in build-NN/ (-DMAPGUARD_LLVM_PREFIX=/usr/lib/llvm-NN) and run
# the checker and plugin lit tests (test/checkers, test/plugin) with that
# version's clang-tidy. See docs/llvm-versions.md.
#
#   scripts/test-llvm-matrix.sh [--install] [VERSION...]   (default: 14 16 19 22)
#
#   --install   apt-get install a missing version (clang-tidy-NN llvm-NN-dev
#               libclang-NN-dev; needs root); without it a missing version is
#               reported as skipped
# Environment: JOBS (default 2), MATRIX_BUILD_ROOT (default: the source tree;
# build dirs are $MATRIX_BUILD_ROOT/build-NN), MATRIX_REQUIRE_ALL=1 makes a
# skipped version a failure.
# Exit status: 0 when every tested version built and passed, 1 otherwise.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
root=${MATRIX_BUILD_ROOT:-$here}
jobs=${JOBS:-2}
install=0
versions=()
for a in "$@"; do
  case "$a" in
    --install) install=1 ;;
    -h|--help) sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    [0-9]*) versions+=("$a") ;;
    *) echo "test-llvm-matrix: unknown argument '$a'" >&2; exit 2 ;;
  esac
done
((${#versions[@]})) || versions=(14 16 19 22)

results=()
status=0
for v in "${versions[@]}"; do
  prefix=/usr/lib/llvm-$v
  pkgs="clang-tidy-$v llvm-$v-dev libclang-$v-dev"
  if [[ ! -f $prefix/lib/cmake/clang/ClangConfig.cmake || ! -x $prefix/bin/clang-tidy ]]; then
    if ((install)); then
      echo "test-llvm-matrix: installing $pkgs"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $pkgs >/dev/null
    else
      results+=("LLVM $v: skipped (not installed: apt-get install $pkgs)")
      [[ ${MATRIX_REQUIRE_ALL:-0} == 1 ]] && status=1
      continue
    fi
  fi
  build=$root/build-$v
  echo "=== LLVM $v: $build"
  start=$SECONDS
  # Only the plugin: the tools are LLVM 22's (and quickstart builds those).
  mkdir -p "$build"
  if ! cmake -S "$here" -B "$build" -G Ninja -DMAPGUARD_LLVM_PREFIX="$prefix" \
        -DMAPGUARD_BUILD_TOOLS=OFF -DMAPGUARD_BUILD_CLANGD=OFF >"$build/configure.log" 2>&1; then
    tail -20 "$build/configure.log" >&2
    results+=("LLVM $v: configure FAILED (see $build/configure.log)"); status=1; continue
  fi
  grep -m1 '^-- mapguard: LLVM' "$build/configure.log" || true
  if ! cmake --build "$build" --target MapGuardTidyPlugin -j "$jobs"; then
    results+=("LLVM $v: build FAILED"); status=1; continue
  fi
  lit=$(sed -n 's/^MAPGUARD_LIT:FILEPATH=//p' "$build/CMakeCache.txt")
  log=$build/lit-matrix.log
  if "$lit" -sv "$build/test/checkers" "$build/test/plugin" 2>&1 | tee "$log"; then
    verdict=passed
  else
    verdict=FAILED; status=1
  fi
  summary=$(grep -E '^ *(Passed|Failed|Unsupported|Expectedly Failed)' "$log" | tr -s ' ' | tr '\n' ' ')
  results+=("LLVM $v: $($prefix/bin/clang-tidy --version | grep -o 'version [0-9.]*' | head -1), tests $verdict: ${summary:-no summary} ($((SECONDS - start)) s)")
done

echo
echo "test-llvm-matrix: results"
printf '  %s\n' "${results[@]}"
exit $status
