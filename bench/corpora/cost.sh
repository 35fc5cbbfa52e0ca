#!/usr/bin/env bash
# bench/corpora/cost.sh [options] [NAME...] — see corpora.py --help and 'corpora.py cost --help'.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
exec python3 "$here/corpora.py" cost "$@"
