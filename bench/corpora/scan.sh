#!/usr/bin/env bash
# bench/corpora/scan.sh [options] [NAME...] — see corpora.py --help and 'corpora.py scan --help'.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
exec python3 "$here/corpora.py" scan "$@"
