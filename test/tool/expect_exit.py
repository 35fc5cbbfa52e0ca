#!/usr/bin/env python3
"""expect_exit.py STATUS COMMAND...: runs COMMAND (its output passes through)
and fails unless it exits with STATUS. lit's shell has no `$?`."""
import subprocess
import sys

want = int(sys.argv[1])
got = subprocess.call(sys.argv[2:])
if got != want:
    sys.stderr.write("expect_exit: %s exited with %d, expected %d\n" %
                     (sys.argv[2], got, want))
    sys.exit(1)
