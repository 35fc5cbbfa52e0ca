#!/usr/bin/env bash
# Installs Microsoft's SARIF multitool (npm @microsoft/sarif-multitool) under
# <build dir>/tools, where the lit suite looks for it; the SARIF schema test
# (test/tool/sarif-schema.test) runs only when it is there.
#   scripts/install-sarif-multitool.sh [BUILD_DIR]    (default: build)
set -euo pipefail
build_dir="${1:-build}"
mkdir -p "$build_dir/tools"
npm install --no-audit --no-fund --prefix "$build_dir/tools" \
  @microsoft/sarif-multitool@5.7.0
# npm may skip the package's postinstall (chmod of the .NET binary).
chmod u+x "$build_dir"/tools/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool 2>/dev/null || true
"$build_dir/tools/node_modules/.bin/sarif-multitool" --version >/dev/null 2>&1 || {
  echo "install-sarif-multitool: the multitool does not run" >&2; exit 1; }
