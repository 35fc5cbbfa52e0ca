#!/usr/bin/env python3
"""limits.py [--stack KB] [--memory MB] COMMAND...: runs COMMAND with its
stack and address space limited, so that a deep recursion or a quadratic
state crashes or fails at a small, fast size instead of a huge one."""
import argparse
import os
import resource

ap = argparse.ArgumentParser()
ap.add_argument("--stack", type=int, help="stack limit in KB")
ap.add_argument("--memory", type=int, help="address-space limit in MB")
ap.add_argument("command", nargs=argparse.REMAINDER)
a = ap.parse_args()
if a.stack:
    resource.setrlimit(resource.RLIMIT_STACK, (a.stack * 1024,) * 2)
if a.memory:
    resource.setrlimit(resource.RLIMIT_AS, (a.memory << 20,) * 2)
os.execvp(a.command[0], a.command)
