#!/usr/bin/env bash
# The Debian package, as a user gets it: `cpack -G DEB` in a configured and
# built tree makes mapguard_<version>_<arch>.deb; it is installed with dpkg -i
# (apt-get -f install fetches a missing dependency), its plugin is loaded by
# the clang-tidy it depends on and must find the bug of each docs/examples/
# file; then the package is removed again (KEEP=1 keeps it).
#   scripts/test-deb.sh [<build dir>]      (default: build; needs root)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$(cd "${1:-$here/build}" && pwd)
[[ $(id -u) -eq 0 ]] || { echo "test-deb: needs root (dpkg -i)" >&2; exit 2; }

major=$(sed -n 's/^LLVM_DIR:PATH=.*llvm-\([0-9]*\).*/\1/p' "$build/CMakeCache.txt")
[[ -n $major ]] || major=$(sed -n 's|^MAPGUARD_LLVM_PREFIX:PATH=.*llvm-\([0-9]*\).*|\1|p' "$build/CMakeCache.txt")
echo "--- cpack (LLVM $major)"
(cd "$build" && cpack -G DEB >cpack.log) || { cat "$build/cpack.log" >&2; exit 1; }
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")
deb=$build/mapguard_${version}_$(dpkg --print-architecture).deb
[[ -f $deb ]] || { echo "test-deb: $deb was not made" >&2; ls "$build"/*.deb >&2 || true; exit 1; }
echo "$deb: $(du -h "$deb" | cut -f1)"
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for dep in "clang-tidy-$major" "libclang-cpp$major"; do
  grep -qE "(^|, )$dep( |,|$)" <<<"$depends" || { echo "test-deb: Depends lacks $dep" >&2; exit 1; }
done

cleanup() { [[ ${KEEP:-0} == 1 ]] || dpkg -P mapguard >/dev/null 2>&1 || true; }
trap cleanup EXIT
echo "--- dpkg -i"
dpkg -i "$deb" >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -f -y -qq >/dev/null
plugin=$(dpkg -L mapguard | grep '/MapGuardTidyPlugin\.so$')
echo "plugin: $plugin"

echo "--- clang-tidy-$major --load=$plugin on docs/examples"
fail=0
for check in concurrent-write miss-default-use cleanup-on-missing unhandled-miss; do
  src=$here/docs/examples/${check//-/_}.cpp
  out=$("clang-tidy-$major" --load="$plugin" --checks="-*,mapguard-$check" --quiet "$src" \
          -- -std=c++20 -I/usr/include 2>&1 || true)
  if grep -q "warning: .*\[mapguard-$check\]" <<<"$out"; then
    echo "  $check: $(grep -c "warning: .*\[mapguard-$check\]" <<<"$out") finding(s)"
  else
    echo "  $check: NO finding in $src" >&2; echo "$out" >&2; fail=1
  fi
done
if [[ -x /usr/bin/mapguard ]] && dpkg -L mapguard | grep -q '^/usr/bin/mapguard$'; then
  /usr/bin/mapguard list-checks | grep -q '^mapguard-miss-default-use' || { echo "test-deb: /usr/bin/mapguard list-checks" >&2; fail=1; }
  echo "  /usr/bin/mapguard list-checks: OK"
fi
((fail == 0)) && echo "test-deb: OK"
exit $fail
