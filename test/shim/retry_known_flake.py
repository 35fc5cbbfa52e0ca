#!/usr/bin/env python3
"""Runs a sanitizer test binary; reruns it once, and only once, when it died of
glibc's `__pthread_tpp_change_priority` assertion (tpp.c), an abort seen once
under ThreadSanitizer on a loaded 2-core machine (test OrderedAccesses.GoStart,
not reproduced in 3 reruns). Any other failure, or a second such abort, fails.
The retry is announced on stderr so the flake stays visible in CI logs.
usage: retry_known_flake.py BINARY [ARGS...]"""
import subprocess
import sys

SIGNATURE = "__pthread_tpp_change_priority: Assertion"


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       errors="replace")
    sys.stdout.write(p.stdout)
    sys.stdout.flush()
    return p.returncode, p.stdout


def main():
    if len(sys.argv) < 2:
        print("retry_known_flake.py: error: expected a test binary", file=sys.stderr)
        return 2
    rc, out = run(sys.argv[1:])
    if rc != 0 and SIGNATURE in out:
        print("retry_known_flake.py: known glibc/TSan tpp.c abort; rerunning once",
              file=sys.stderr)
        rc, out = run(sys.argv[1:])
    return rc


if __name__ == "__main__":
    sys.exit(main())
