#!/usr/bin/env python3
"""Runs `mapguard confirm --format json` on every program of the confirm corpus
and compares the outcome with the checked-in table (expected.txt).

  run_corpus.py --mapguard build/bin/mapguard [--jobs 2] [--update] [NAME...]

One line per program:
  <program> <confirmed> <static_only> <runtime_only> [<item>...]
where an item is
  C:<check>@<line>=<kind>@<lines>   a confirmed finding and its event
  S:<check>@<line>(<reason>)        a static-only finding: not-executed,
                                    not-reproduced, or no-event (no coverage)
  R:<kind>@<lines>                  a runtime-only event (a miss of the checks)
with <lines> the event's line and its origin's, sorted ("15/17").
(checks without their "mapguard-" prefix). A regression in either half -- a
finding lost or gained, an event lost or gained, a pair no longer matched --
changes a line and fails the test. --update rewrites the table.
"""
import argparse
import concurrent.futures
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def short(check):
    return check[len("mapguard-"):] if check.startswith("mapguard-") else check


def lines(event):
    """An event's line and its origin's (same file), sorted: which of two racing
    accesses the shim sees second depends on the schedule."""
    found = {event["line"]}
    origin = event.get("origin")
    if origin and origin["file"] == event["file"]:
        found.add(origin["line"])
    return "/".join(str(n) for n in sorted(found))


def outcome(mapguard, source, timeout):
    """The table line of one program."""
    name = os.path.basename(source)
    try:
        p = subprocess.run([mapguard, "confirm", "--format", "json", source],
                           capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return name + " ERROR timeout"
    if p.returncode not in (0, 1):
        return name + " ERROR " + (p.stderr.strip().splitlines() or ["?"])[-1]
    doc = json.loads(p.stdout)
    if (p.returncode == 1) != (doc["runtime_only"] > 0):
        return name + " ERROR exit status %d with %d runtime-only events" % (
            p.returncode, doc["runtime_only"])
    items = []
    for pair in doc["pairs"]:
        f, e = pair["finding"], pair["event"]
        items.append("C:%s@%d=%s@%s" % (short(f["check"]), f["line"],
                                        e["kind"], lines(e)))
    for s in doc["static_only_findings"]:
        f = s["finding"]
        items.append("S:%s@%d(%s)" % (short(f["check"]), f["line"],
                                      s["reason"].replace(" ", "-")))
    for e in doc["runtime_only_events"]:
        items.append("R:%s@%s" % (e["kind"], lines(e)))
    return " ".join([name, str(doc["confirmed"]), str(doc["static_only"]),
                     str(doc["runtime_only"])] + sorted(set(items)))


def read_table(path):
    lines = {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                line = line.strip()
                if line and not line.startswith("#"):
                    lines[line.split()[0]] = line
    return lines


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mapguard", required=True)
    ap.add_argument("--expected", default=os.path.join(HERE, "expected.txt"))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=int, default=300)
    ap.add_argument("--update", action="store_true")
    ap.add_argument("names", nargs="*")
    args = ap.parse_args()

    sources = sorted(os.path.join(HERE, n) for n in os.listdir(HERE)
                     if n.endswith(".cpp"))
    if args.names:
        wanted = {n if n.endswith(".cpp") else n + ".cpp" for n in args.names}
        unknown = wanted - {os.path.basename(s) for s in sources}
        if unknown:
            print("run_corpus.py: error: no such program: %s" % ", ".join(sorted(unknown)),
                  file=sys.stderr)
            return 2
        sources = [s for s in sources if os.path.basename(s) in wanted]
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        actual = list(pool.map(
            lambda s: outcome(args.mapguard, s, args.timeout), sources))

    expected = read_table(args.expected)
    if args.update:
        table = dict(expected) if args.names else {}
        for line in actual:
            table[line.split()[0]] = line
        with open(args.expected, "w") as f:
            f.write("# The confirm corpus: mapguard confirm on each program "
                    "(test/confirm/run_corpus.py --update rewrites it).\n"
                    "# program confirmed static_only runtime_only items "
                    "(C: confirmed pair, S: static only, R: runtime only)\n")
            for name in sorted(table):
                f.write(table[name] + "\n")
        print("wrote %s (%d programs)" % (args.expected, len(table)))
        return 0

    failures = 0
    totals = [0, 0, 0]
    for line in actual:
        name = line.split()[0]
        want = expected.get(name)
        fields = line.split()
        if len(fields) >= 4 and fields[1] != "ERROR":
            for i in range(3):
                totals[i] += int(fields[i + 1])
        if want != line:
            failures += 1
            print("MISMATCH %s\n  expected: %s\n  actual:   %s" % (name, want,
                                                                  line))
    if not args.names:
        for name in sorted(set(expected) - {l.split()[0] for l in actual}):
            failures += 1
            print("MISSING %s: in the table, not in the corpus" % name)
    print("%d programs: %d confirmed, %d static only, %d runtime only; "
          "%d mismatches" % (len(actual), totals[0], totals[1], totals[2],
                             failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
