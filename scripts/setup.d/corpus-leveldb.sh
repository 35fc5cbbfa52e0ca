#!/usr/bin/env bash
# quickstart hook: the leveldb corpus for the real-code slice
# (test/realworld/leveldb.test): Debian's pinned leveldb source package and its
# compile_commands.json, via bench/corpora/fetch.sh (apt-get source; about a
# minute). Optional: when the mirror cannot be reached the slice is UNSUPPORTED.
# Skipped with MAPGUARD_NO_CORPUS=1.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${BUILD_DIR:-$here/build}
[[ -n "${MAPGUARD_NO_CORPUS:-}" ]] && exit 0
[[ "${MAPGUARD_QUICKSTART_MODE:-test}" == test ]] || exit 0   # not needed for the demo
corpora=${MAPGUARD_CORPORA:-$build/corpora}
if [[ -f "$corpora/leveldb/build/compile_commands.json" ]]; then exit 0; fi
if [[ $(id -u) -ne 0 ]] && ! sudo -n true 2>/dev/null; then
  echo "quickstart: not root; leveldb corpus not fetched (real-code slice skipped)" >&2
  exit 0
fi
mkdir -p "$corpora" "$build"
MAPGUARD_CORPORA=$corpora "$here/bench/corpora/fetch.sh" leveldb >"$build/corpus-fetch.log" 2>&1 ||
  echo "quickstart: could not fetch the leveldb corpus (see $build/corpus-fetch.log); real-code slice skipped" >&2
exit 0
