#!/usr/bin/env bash
# The install, as a user sees it: `cmake --install <build> --prefix <tmp>`,
# then this directory's project configured against <tmp> (find_package), built
# and run under ctest (the program, and mapguard confirm when installed); then
# the same program built with pkg-config's flags only.
#   test/install/run.sh <mapguard build dir> [<work dir>]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=$(cd "$1" && pwd)
work=${2:-$(mktemp -d)}
rm -rf "$work/prefix" "$work/consumer"
mkdir -p "$work"

echo "--- cmake --install $build --prefix $work/prefix"
cmake --install "$build" --prefix "$work/prefix" >"$work/install.log"
p=$work/prefix
for f in lib/mapguard/MapGuardTidyPlugin.so lib/libmapguard_shim.a include/mapguard/shim.h \
         lib/cmake/mapguard/mapguardConfig.cmake lib/cmake/mapguard/mapguardTargets.cmake \
         lib/pkgconfig/mapguard-shim.pc share/mapguard/cmake/MapguardConfirm.cmake \
         share/mapguard/docs/checks/miss-default-use.md share/mapguard/docs/llvm-versions.md; do
  [[ -e $p/$f ]] || { echo "install: missing $f" >&2; exit 1; }
done
if [[ -x $build/bin/mapguard ]]; then
  [[ -x $p/bin/mapguard ]] || { echo "install: missing bin/mapguard" >&2; exit 1; }
fi
if [[ -x $build/bin/mapguard-clangd ]]; then
  [[ -x $p/bin/mapguard-clangd ]] || { echo "install: missing bin/mapguard-clangd" >&2; exit 1; }
fi

echo "--- find_package(mapguard) from $here"
cmake -S "$here" -B "$work/consumer" -G Ninja -DCMAKE_PREFIX_PATH="$p"
cmake --build "$work/consumer"
ctest --test-dir "$work/consumer" --output-on-failure

echo "--- pkg-config mapguard-shim"
flags=$(PKG_CONFIG_PATH=$p/lib/pkgconfig pkg-config --cflags --libs mapguard-shim)
echo "$flags"
# shellcheck disable=SC2086
${CXX:-c++} "$here/counter.cpp" -o "$work/counter-pc" $flags
"$work/counter-pc" | grep -q "hits: 2"
echo "install: OK"
