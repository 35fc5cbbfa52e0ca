#!/usr/bin/env bash
# The whole real-code benchmark in one command; regenerates docs/benchmarks.md.
#   bench/corpora/run-all.sh [NAME...]
# Environment: MAPGUARD_CORPORA (default /work/corpora), MAPGUARD_BUILD (default
# <repo>/build), JOBS for the scan (default 2), RUNS (default 3) and SAMPLE
# (TUs per corpus, default 6) for the cost runs, which are sequential.
# Exit status: non-zero if any TU crashed or hung.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
"$here/fetch.sh" "$@"
status=0
python3 "$here/corpora.py" scan "$@" || status=$?
python3 "$here/corpora.py" cost "$@"
python3 "$here/corpora.py" report
exit "$status"
