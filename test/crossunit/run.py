#!/usr/bin/env python3
"""Runs mapguard over test/crossunit/project and compares with its EXPECT lines.

  run.py --mode scan|plugin|clangd|shards --work DIR --mapguard BIN
         [--clang-tidy BIN --plugin SO] [--clangd BIN --lsp-session PY]

The project is copied to DIR/src, configured with CMake into DIR/build (its
compile_commands.json), and analysed:
  scan     `mapguard scan -p build` (which builds the project index itself);
  plugin   `mapguard index -p build`, then stock clang-tidy with the plugin
           and the ProjectIndex option on every .cpp;
  clangd   `mapguard index -p build`, then mapguard-clangd in an LSP session
           on every .cpp;
  shards   4 `mapguard index --shard I/4` jobs, `mapguard index --merge`,
           4 `mapguard scan --shard I/4 --index merged`: the union of the
           findings must equal the single run's, and the merged index the
           single index (same bytes).
A line `// EXPECT: <check> "<text>"` must get exactly one warning of that
check whose message or one of whose notes contains <text>; any other mapguard
warning in the project is an error. Prints the findings, then "ok" or the
differences (exit 1).
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
EXPECT = re.compile(r'//\s*EXPECT:\s*(\S+)\s+"([^"]*)"')


def run(cmd, ok=(0,), **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=900, **kw)
    if p.returncode not in ok:
        sys.stderr.write("run.py: %s exited %d\n%s%s" % (
            " ".join(cmd), p.returncode, p.stdout[-4000:], p.stderr[-4000:]))
        sys.exit(1)
    return p


def setup(work):
    src = os.path.join(work, "src")
    build = os.path.join(work, "build")
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(os.path.join(HERE, "project"), src)
    run(["cmake", "-S", src, "-B", build])
    return src, build


def expectations(src):
    out = {}
    for root, _, files in os.walk(src):
        for name in files:
            if not name.endswith((".cpp", ".h")):
                continue
            path = os.path.join(root, name)
            rel = os.path.relpath(path, src)
            with open(path) as f:
                for number, line in enumerate(f, 1):
                    m = EXPECT.search(line)
                    if m:
                        out[(rel, number, m.group(1))] = m.group(2)
    return out


def sources(src):
    return sorted(os.path.join(src, "src", n)
                  for n in os.listdir(os.path.join(src, "src"))
                  if n.endswith(".cpp"))


def from_json(report, src):
    """(file, line, check) -> [message and notes] from a scan's JSON."""
    found = {}
    for f in json.load(open(report))["findings"]:
        key = (os.path.relpath(f["file"], src), f["line"], f["check"])
        found.setdefault(key, []).append(
            [f["message"]] + [n["message"] for n in f.get("notes", [])])
    return found


DIAG = re.compile(r"^(.*?):(\d+):(\d+): (warning|error|note): (.*?)(?: \[([\w\-,.]+)\])?$")


def from_tidy(text, src, found):
    last = None
    for line in text.splitlines():
        m = DIAG.match(line)
        if not m:
            continue
        path, number, _, kind, message, check = m.groups()
        if kind == "note" and last is not None:
            last.append(message)
            continue
        last = None
        if kind == "warning" and check and check.startswith("mapguard-"):
            key = (os.path.relpath(os.path.abspath(path), src), int(number),
                   check)
            last = [message]
            found.setdefault(key, []).append(last)


def from_lsp(text, rel, found):
    last = None
    for line in text.splitlines():
        m = re.match(r"^(\d+):(\d+): (\w+): (.*) \[(.*)\]$", line)
        if m:
            number, _, severity, message, code = m.groups()
            last = None
            if code.startswith("mapguard-"):
                last = [message]
                found.setdefault((rel, int(number), code), []).append(last)
        elif line.startswith("  note: ") and last is not None:
            last.append(line[len("  note: "):])


def compare(found, expected):
    problems = []
    for key, text in sorted(expected.items()):
        hits = found.get(key, [])
        if len(hits) != 1:
            problems.append("%s:%d: expected one %s, found %d" % (
                key[0], key[1], key[2], len(hits)))
        elif not any(text.lower() in m.lower() for m in hits[0]):
            problems.append("%s:%d: %s has no note with %r: %s" % (
                key[0], key[1], key[2], text, hits[0]))
    for key, hits in sorted(found.items()):
        if key not in expected:
            problems.append("%s:%d: unexpected %s: %s" % (
                key[0], key[1], key[2], hits[0][0]))
    return problems


def show(found):
    for (rel, number, check), hits in sorted(found.items()):
        for h in hits:
            print("%s:%d: %s: %s" % (rel, number, check, " | ".join(h)))


def scan_json(args, build, out, extra=()):
    p = run([args.mapguard, "scan", "-p", build, "--no-cache", "--quiet",
             "--format", "json", "-o", out] + list(extra), ok=(0, 1))
    return p


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", required=True,
                    choices=["scan", "plugin", "clangd", "shards"])
    ap.add_argument("--work", required=True)
    ap.add_argument("--mapguard", required=True)
    ap.add_argument("--clang-tidy")
    ap.add_argument("--plugin")
    ap.add_argument("--clangd")
    ap.add_argument("--lsp-session")
    args = ap.parse_args()
    for name in ("mapguard", "clang_tidy", "plugin", "clangd", "lsp_session"):
        value = getattr(args, name)
        if value and os.path.exists(value):
            setattr(args, name, os.path.abspath(value))

    src, build = setup(os.path.abspath(args.work))
    expected = expectations(src)
    found = {}
    if args.mode == "scan":
        report = os.path.join(args.work, "scan.json")
        scan_json(args, build, report)
        found = from_json(report, src)
    elif args.mode == "plugin":
        run([args.mapguard, "index", "-p", build, "--no-cache"])
        for cpp in sources(src):
            p = run([args.clang_tidy, "--load=" + args.plugin, "-p", build,
                     "--checks=-*,mapguard-*",
                     "--config={CheckOptions: {ProjectIndex: "
                     "mapguard-index.json}}", cpp], ok=(0, 1))
            from_tidy(p.stdout, src, found)
    elif args.mode == "clangd":
        run([args.mapguard, "index", "-p", build, "--no-cache"])
        with open(os.path.join(src, ".clang-tidy"), "w") as f:
            f.write("Checks: '-*,mapguard-*'\nCheckOptions:\n"
                    "  ProjectIndex: mapguard-index.json\n")
        for cpp in sources(src):
            p = run([sys.executable, args.lsp_session, "--clangd",
                     args.clangd, "--file", cpp, "--timeout", "240"],
                    cwd=build)
            from_lsp(p.stdout, os.path.relpath(cpp, src), found)
    else:
        single = os.path.join(args.work, "single.json")
        run([args.mapguard, "index", "-p", build, "--no-cache", "-o",
             os.path.join(args.work, "single-index.json")])
        scan_json(args, build, single,
                  ["--index", os.path.join(args.work, "single-index.json")])
        shards = []
        for i in range(1, 5):
            shard = os.path.join(args.work, "index-%d.json" % i)
            run([args.mapguard, "index", "-p", build, "--no-cache",
                 "--shard", "%d/4" % i, "-o", shard])
            shards.append(shard)
        merged = os.path.join(args.work, "merged-index.json")
        run([args.mapguard, "index", "--merge"] + shards[::-1] +
            ["-o", merged])
        if open(merged, "rb").read() != open(
                os.path.join(args.work, "single-index.json"), "rb").read():
            print("the merged index differs from the single run's")
            return 1
        for i in range(1, 5):
            out = os.path.join(args.work, "scan-%d.json" % i)
            scan_json(args, build, out,
                      ["--shard", "%d/4" % i, "--index", merged])
            for key, hits in from_json(out, src).items():
                found.setdefault(key, []).extend(hits)
        if found != from_json(single, src):
            print("the 4 shards' findings differ from the single run's")
            show(found)
            return 1
    show(found)
    problems = compare(found, expected)
    for p in problems:
        print("error: " + p)
    if problems:
        return 1
    print("ok: %d findings as expected" % len(expected))
    return 0


if __name__ == "__main__":
    sys.exit(main())
