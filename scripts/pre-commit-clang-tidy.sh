#!/usr/bin/env bash
# pre-commit hook `mapguard-clang-tidy` (.pre-commit-hooks.yaml): clang-tidy
# with the installed mapguard plugin, on the files pre-commit passes.
# The plugin: $MAPGUARD_TIDY_PLUGIN, else the first of /usr/lib/mapguard/,
# /usr/local/lib/mapguard/. The clang-tidy: $CLANG_TIDY, else the one of the
# plugin's LLVM major (the plugin refuses any other), found as clang-tidy-NN.
# Arguments before the files (args: in the config) go to clang-tidy, e.g. -p build.
set -euo pipefail
plugin=${MAPGUARD_TIDY_PLUGIN:-}
if [[ -z $plugin ]]; then
  for p in /usr/lib/mapguard/MapGuardTidyPlugin.so /usr/local/lib/mapguard/MapGuardTidyPlugin.so; do
    [[ -f $p ]] && { plugin=$p; break; }
  done
fi
[[ -n $plugin ]] || { echo "mapguard-clang-tidy: no MapGuardTidyPlugin.so installed; set MAPGUARD_TIDY_PLUGIN" >&2; exit 2; }
tidy=${CLANG_TIDY:-}
if [[ -z $tidy ]]; then
  # The LLVM major the plugin links (libclang-cpp.so.NN).
  major=$(objdump -p "$plugin" 2>/dev/null | sed -n 's/.*NEEDED *libclang-cpp\.so\.\([0-9]*\).*/\1/p' | head -1)
  tidy=clang-tidy${major:+-$major}
fi
exec "$tidy" --load="$plugin" --checks='-*,mapguard-*' --warnings-as-errors='mapguard-*' --quiet "$@"
