#!/usr/bin/env python3
"""Runs mapguard checks through stock clang-tidy on one test file and checks
the result with FileCheck, in the spirit of clang-tidy's check_clang_tidy.py.

Usage (as the lit substitution %check_mapguard):
  %check_mapguard [-check-suffix=S[,S...]] [-std=c++NN] <source> <checks> <temp>
                  [-- <clang-tidy args> [-- <compiler args>]]

The test file holds its expectations as comments:
  // CHECK-MESSAGES: :[[@LINE+1]]:3: warning: ... [mapguard-...]
  // CHECK-NOTES: :[[@LINE-2]]:12: note: lookup here
  // CHECK-FIXES: fixed line
CHECK-MESSAGES fails on any warning or error it does not name; CHECK-NOTES
also on any note. A file (or suffix) with neither expects no diagnostic at all.
"""

import argparse
import os
import re
import shlex
import subprocess
import sys


def fail(msg, output=None):
    if output is not None:
        sys.stderr.write("------------------------ clang-tidy output ----------"
                         "--------------\n" + output +
                         "\n------------------------------------------------"
                         "--------------------\n")
    sys.stderr.write("check_mapguard: error: " + msg + "\n")
    sys.exit(1)


def split_args(rest):
    tidy, compiler = [], []
    if rest and rest[0] == "--":
        rest = rest[1:]
        if "--" in rest:
            i = rest.index("--")
            tidy, compiler = rest[:i], rest[i + 1:]
        else:
            tidy = rest
    elif rest:
        fail("unexpected arguments before '--': " + " ".join(rest))
    return tidy, compiler


def run_filecheck(filecheck, check_file, input_text, prefixes, extra):
    cmd = [filecheck, check_file, "--input-file=-",
           "--check-prefixes=" + ",".join(prefixes)] + extra
    proc = subprocess.run(cmd, input=input_text, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if proc.returncode != 0:
        fail("FileCheck failed (" + " ".join(shlex.quote(c) for c in cmd) +
             "):\n" + proc.stdout, input_text)


def split_top(text, sep=","):
    """Splits a YAML flow collection's body at top-level separators."""
    parts, depth, quote, cur = [], 0, None, ""
    for c in text:
        if quote:
            quote = None if c == quote else quote
        elif c in "'\"":
            quote = c
        elif c in "{[":
            depth += 1
        elif c in "}]":
            depth -= 1
        elif c == sep and depth == 0:
            parts.append(cur)
            cur = ""
            continue
        cur += c
    if cur.strip():
        parts.append(cur)
    return parts


def check_options_as_list(config):
    """clang-tidy before 15 reads CheckOptions only as a list of
    {key: K, value: V}; the tests write the dictionary form of 15+. Rewrites
    `CheckOptions: {K: V, ...}` in an inline -config (docs/llvm-versions.md)."""
    m = re.search(r"CheckOptions:\s*\{", config)
    if not m:
        return config
    depth, end = 1, m.end()
    while end < len(config) and depth:
        depth += {"{": 1, "}": -1}.get(config[end], 0)
        end += 1
    items = []
    for entry in split_top(config[m.end():end - 1]):
        key, _, value = entry.partition(":")
        items.append("{key: %s, value: %s}" % (key.strip(), value.strip()))
    return config[:m.start()] + "CheckOptions: [" + ", ".join(items) + "]" + \
        config[end:]


def main():
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--clang-tidy", required=True)
    parser.add_argument("--plugin", required=True)
    parser.add_argument("--filecheck", required=True)
    parser.add_argument("--default-include", action="append", default=[])
    parser.add_argument("--clang-tidy-major", type=int, default=0)
    parser.add_argument("-check-suffix", "-check-suffixes", default="")
    parser.add_argument("-std", default="c++20")
    parser.add_argument("source")
    parser.add_argument("checks")
    parser.add_argument("temp")
    # argparse would swallow the first '--': split it off ourselves.
    argv = sys.argv[1:]
    tail = argv[argv.index("--"):] if "--" in argv else []
    head = argv[:len(argv) - len(tail)]
    args, rest = parser.parse_known_args(head)
    tidy_args, compiler_args = split_args(rest + tail)

    suffixes = [s for s in args.check_suffix.split(",") if s] or [""]
    for s in suffixes:
        if not re.fullmatch(r"[A-Z0-9\-]*", s):
            fail("check suffix '%s' must be upper case letters, digits, '-'" % s)

    with open(args.source, encoding="utf-8") as f:
        text = f.read()

    def prefixes_of(kind):
        names = [kind + ("-" + s if s else "") for s in suffixes]
        return [n for n in names if re.search(r"\b" + re.escape(n) + r":", text)]

    messages = prefixes_of("CHECK-MESSAGES")
    notes = prefixes_of("CHECK-NOTES")
    fixes = prefixes_of("CHECK-FIXES")
    if messages and notes:
        fail("use CHECK-MESSAGES or CHECK-NOTES for one suffix, not both")

    # The copy that clang-tidy sees: expectations blanked so that fixes
    # cannot touch them and CHECK-FIXES cannot match itself; lines kept.
    ext = os.path.splitext(args.source)[1] or ".cpp"
    temp = args.temp + ext
    os.makedirs(os.path.dirname(os.path.abspath(temp)), exist_ok=True)
    cleaned = re.sub(r"// *CHECK-[A-Z0-9\-]*:[^\r\n]*", "//", text)
    with open(temp, "w", encoding="utf-8") as f:
        f.write(cleaned)

    if not any(a.startswith(("-config", "--config")) for a in tidy_args):
        tidy_args = ["--config={}"] + tidy_args
    if 0 < args.clang_tidy_major < 15:
        tidy_args = [check_options_as_list(a)
                     if a.startswith(("-config=", "--config=")) else a
                     for a in tidy_args]
    cmd = [args.clang_tidy, "--load=" + args.plugin, temp,
           "--checks=-*," + args.checks, "--quiet"]
    if fixes:
        cmd.append("--fix")
    cmd += tidy_args
    cmd += ["--", "-std=" + args.std,
            "-I" + os.path.dirname(os.path.abspath(args.source))]
    cmd += ["-I" + d for d in args.default_include]
    cmd += compiler_args
    print("Running: " + " ".join(shlex.quote(c) for c in cmd), flush=True)
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True)
    output = proc.stdout
    print(output)
    # clang-tidy exits non-zero on compiler errors; those fail the test below
    # through the implicit check for 'error:', unless the test expects them.
    if re.search(r"^Error: no checks enabled", output, re.M):
        fail("no check matches '%s': is it registered in the plugin?"
             % args.checks, output)
    if proc.returncode not in (0, 1):
        fail("clang-tidy exited with %d" % proc.returncode, output)
    if "error: " in output and not (messages or notes):
        fail("clang-tidy reported an error", output)

    diag_lines = [l for l in output.splitlines()
                  if "note: FIX-IT applied" not in l
                  and not re.match(r"^\d+ (warning|error)s? generated", l)]
    diagnostics = "\n".join(diag_lines) + "\n"

    if messages:
        run_filecheck(args.filecheck, args.source, diagnostics, messages,
                      ["-implicit-check-not={{warning|error}}:"])
    if notes:
        run_filecheck(args.filecheck, args.source, diagnostics, notes,
                      ["-implicit-check-not={{note|warning|error}}:"])
    if not messages and not notes:
        if re.search(r"(warning|error): ", diagnostics):
            fail("the test expects no diagnostic, but clang-tidy reported some",
                 output)
    if fixes:
        with open(temp, encoding="utf-8") as f:
            fixed = f.read()
        run_filecheck(args.filecheck, args.source, fixed, fixes,
                      ["-strict-whitespace"])


if __name__ == "__main__":
    main()
