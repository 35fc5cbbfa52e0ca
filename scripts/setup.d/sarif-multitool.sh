#!/usr/bin/env bash
# quickstart hook: the SARIF multitool for test/tool/sarif-schema.test.
# Optional: skipped (the test is then UNSUPPORTED) when npm is missing or the
# registry cannot be reached.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${BUILD_DIR:-$here/build}
[[ -x "$build/tools/node_modules/.bin/sarif-multitool" ]] && exit 0
command -v npm >/dev/null || { echo "quickstart: npm not found; SARIF schema test skipped" >&2; exit 0; }
"$here/scripts/install-sarif-multitool.sh" "$build" >/dev/null 2>&1 ||
  echo "quickstart: could not install @microsoft/sarif-multitool; SARIF schema test skipped" >&2
exit 0
