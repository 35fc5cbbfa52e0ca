#!/usr/bin/env bash
# The seeded-bug recall benchmark in one command: generate the mutants (outside
# the repo, in $MAPGUARD_SEEDED_WORK), run clang-tidy with the mapguard plugin
# on each mutant and on each unmutated TU, and rewrite the marked section of
# docs/benchmarks.md.
#   bench/seeded/run.sh [--max-per-corpus N] [--seed S] [NAME...]
# Environment: MAPGUARD_CORPORA (default /work/corpora), MAPGUARD_BUILD (the
# plugin's build dir), MAPGUARD_SEEDED_WORK, JOBS (default 2), MAX_PER_CORPUS
# (default 80), SEED (default 14). See bench/seeded/README.md.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
exec python3 "$here/seeded.py" all "$@"
