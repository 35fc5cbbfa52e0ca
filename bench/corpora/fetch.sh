#!/usr/bin/env bash
# Fetches the pinned Debian source packages listed in corpora.txt and writes a
# compile_commands.json for each (configure only, no build).
#
#   bench/corpora/fetch.sh [NAME...]      default: every corpus in corpora.txt
#
# Environment:
#   MAPGUARD_CORPORA  where corpora go (default /work/corpora); outside the repo.
#   NO_APT=1          do not touch apt (sources, update, installs); fail if missing.
# Layout: $MAPGUARD_CORPORA/<name>/src            unpacked source package
#         $MAPGUARD_CORPORA/<name>/build          build dir with compile_commands.json
#         $MAPGUARD_CORPORA/<name>/VERSION        "<srcpkg> <version>"
# Idempotent: a corpus whose VERSION already matches is not fetched again.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
corpora=${MAPGUARD_CORPORA:-/work/corpora}
list=$here/corpora.txt

die() { echo "fetch.sh: error: $*" >&2; exit 2; }
log() { echo "fetch.sh: $*" >&2; }

# Only what configuring the corpora needs (apt-get build-dep would pull
# documentation toolchains: asciidoc, doxygen, xmlto, ...).
build_deps=(dpkg-dev cmake ninja-build pkgconf g++ libsnappy-dev libfmt-dev libzstd-dev
            unicode-data)

# --- 1. deb-src for the mirror and suite the machine already uses -------------
src_file=/etc/apt/sources.list.d/mapguard-deb-src.sources
have_deb_src() {
  grep -rqsE '^(Types:.*deb-src|deb-src )' /etc/apt/sources.list /etc/apt/sources.list.d/
}
as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

if [[ -z "${NO_APT:-}" ]]; then
  if ! have_deb_src; then
    # Same URIs/Suites as debian.sources, Types: deb-src (deb822 format).
    uri=$(awk '/^URIs:/ && /debian\/?$/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
    suites=$(awk '/^Suites:/ {sub(/^Suites: */, ""); print; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
    uri=${uri:-http://deb.debian.org/debian}
    suites=${suites:-bookworm bookworm-updates}
    log "adding $src_file ($uri $suites)"
    as_root tee "$src_file" >/dev/null <<SRC
# Added by mapguard bench/corpora/fetch.sh: source packages for the real-code corpora.
Types: deb-src
URIs: $uri
Suites: $suites
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    as_root apt-get update -qq
  elif ! apt-cache showsrc leveldb >/dev/null 2>&1 || [[ -z "$(apt-cache showsrc leveldb 2>/dev/null)" ]]; then
    as_root apt-get update -qq
  fi
  missing=()
  for p in "${build_deps[@]}"; do
    [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" == "install ok installed" ]] || missing+=("$p")
  done
  if ((${#missing[@]})); then
    log "installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

# --- 2. fetch + configure each corpus ------------------------------------------
mkdir -p "$corpora"
want=("$@")
found=0
while read -r name pin buildsys args; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  if ((${#want[@]})) && [[ ! " ${want[*]} " == *" $name "* ]]; then continue; fi
  found=$((found + 1))
  pkg=${pin%%=*}; ver=${pin#*=}
  dir=$corpora/$name
  if [[ -f "$dir/VERSION" && "$(cat "$dir/VERSION")" == "$pkg $ver" && -f "$dir/build/compile_commands.json" ]]; then
    log "$name: $pkg $ver already present"
    continue
  fi
  log "$name: fetching $pkg=$ver"
  rm -rf "$dir"; mkdir -p "$dir/dl"
  (cd "$dir/dl" && apt-get source -qq "$pin" >/dev/null 2>"$dir/dl/apt-source.log") ||
    { cat "$dir/dl/apt-source.log" >&2; die "$name: apt-get source $pin failed"; }
  srcdir=$(find "$dir/dl" -mindepth 1 -maxdepth 1 -type d | head -1)
  [[ -n "$srcdir" ]] || die "$name: no unpacked source in $dir/dl"
  mv "$srcdir" "$dir/src"
  rm -rf "$dir/dl"
  # Per-corpus fix-ups (regenerating files a +dfsg source drops, ...).
  if [[ -f "$here/prepare/$name.sh" ]]; then
    (cd "$dir/src" && bash "$here/prepare/$name.sh") >"$dir/prepare.log" 2>&1 ||
      { tail -30 "$dir/prepare.log" >&2; die "$name: prepare/$name.sh failed"; }
  fi
  case "$buildsys" in
    cmake)
      # shellcheck disable=SC2086  # args are word lists from corpora.txt
      cmake -S "$dir/src" -B "$dir/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
        -DCMAKE_EXPORT_COMPILE_COMMANDS=ON -DCMAKE_CXX_COMPILER=g++ -DCMAKE_C_COMPILER=gcc \
        $args >"$dir/configure.log" 2>&1 ||
        { tail -30 "$dir/configure.log" >&2; die "$name: cmake configure failed (see $dir/configure.log)"; } ;;
    *) die "$name: unknown build system $buildsys" ;;
  esac
  [[ -f "$dir/build/compile_commands.json" ]] || die "$name: no compile_commands.json"
  echo "$pkg $ver" >"$dir/VERSION"
  n=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$dir/build/compile_commands.json")
  log "$name: $pkg $ver, $n compile commands"
done <"$list"
((found)) || die "no corpus named: ${want[*]}"
