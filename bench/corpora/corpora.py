#!/usr/bin/env python3
"""Runs mapguard over the real-code corpora that fetch.sh prepared.

  corpora.py scan [--jobs N] [--sample N] [NAME...]   crashes, hangs, findings
  corpora.py cost [--runs N] [--sample N] [NAME...]   mapguard vs a trivial check
  corpora.py report                                   docs/benchmarks.md from both
  corpora.py slice --expected F NAME FILE...          the CI slice (test/realworld)

The shell front-ends scan.sh, cost.sh and run-all.sh call this file; the
environment they pass:
  MAPGUARD_CORPORA  corpora and results (default /work/corpora)
  MAPGUARD_BUILD    mapguard build dir holding lib/MapGuardTidyPlugin.so
                    (default <repo>/build)
  CLANG_TIDY        clang-tidy binary (default clang-tidy-22)
  MAPGUARD_CHECKS   the --checks of the mapguard runs (default -*,mapguard-*)

Every clang-tidy run ignores the corpus' own .clang-tidy (explicit --config),
reports findings in the corpus' own headers (HeaderFilterRegex = its source
dir), and runs under a timeout so a hang is a failure, not a stall.
Results go to $MAPGUARD_CORPORA/results/<name>/: scan.json, findings.txt
(one finding per line, paths relative to the corpus source, deduplicated
across translation units), logs/ (output of every failed file), cost.json.
"""

import argparse
import datetime
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
CORPORA = os.environ.get("MAPGUARD_CORPORA", "/work/corpora")
BUILD = os.environ.get("MAPGUARD_BUILD", os.path.join(REPO, "build"))
CLANG_TIDY = os.environ.get("CLANG_TIDY", "clang-tidy-22")
PLUGIN = os.path.join(BUILD, "lib", "MapGuardTidyPlugin.so")
RESULTS = os.path.join(CORPORA, "results")

MAPGUARD_CHECKS = os.environ.get("MAPGUARD_CHECKS", "-*,mapguard-*")
# The baseline: stock clang-tidy with one cheap built-in check, so that both
# runs parse the same translation unit and differ only in the checks.
BASELINE_CHECK = "readability-braces-around-statements"
CXX_SUFFIXES = (".cc", ".cpp", ".cxx", ".c++", ".C")
TIMEOUT = int(os.environ.get("MAPGUARD_TIMEOUT", "120"))

FINDING = re.compile(r"^(?P<file>[^:\s][^:]*):(?P<line>\d+):(?P<col>\d+): "
                     r"warning: (?P<msg>.*) \[(?P<check>mapguard-[\w-]+)\]$")
CRASH_MARKERS = ("Stack dump:", "PLEASE submit a bug report",
                 "LLVM ERROR:", "Segmentation fault", "Assertion `")


def die(msg):
    sys.stderr.write("corpora.py: error: " + msg + "\n")
    sys.exit(2)


def log(msg):
    sys.stderr.write("corpora.py: " + msg + "\n")
    sys.stderr.flush()


# --- corpora ----------------------------------------------------------------

def corpus_list():
    """[(name, srcpkg, version)] from corpora.txt, in file order."""
    out = []
    with open(os.path.join(HERE, "corpora.txt")) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            name, pin = line.split()[:2]
            pkg, ver = pin.split("=", 1)
            out.append((name, pkg, ver))
    return out


def selected(names):
    known = corpus_list()
    if names:
        unknown = set(names) - {c[0] for c in known}
        if unknown:
            die("unknown corpus: " + " ".join(sorted(unknown)))
        known = [c for c in known if c[0] in names]
    present = []
    for name, pkg, ver in known:
        vfile = os.path.join(CORPORA, name, "VERSION")
        if not os.path.exists(vfile):
            log("%s: not fetched (run bench/corpora/fetch.sh %s); skipped" % (name, name))
            continue
        have = open(vfile).read().strip()
        if have != "%s %s" % (pkg, ver):
            die("%s: %s holds '%s', corpora.txt pins '%s %s'; rerun fetch.sh"
                % (name, vfile, have, pkg, ver))
        present.append(name)
    if not present:
        die("no corpus present under " + CORPORA)
    return present


def source_dir(name):
    return os.path.join(CORPORA, name, "src")


def build_dir(name):
    return os.path.join(CORPORA, name, "build")


def db_dir(name):
    """A directory whose compile_commands.json has one command per C++ file.

    CMake lists a file once per target that compiles it (leveldb's
    util/testutil.cc is in 30 test targets), and clang-tidy runs every
    command it finds for a file; the first one is enough here."""
    out = os.path.join(CORPORA, name, "db")
    src = os.path.join(build_dir(name), "compile_commands.json")
    dst = os.path.join(out, "compile_commands.json")
    if os.path.exists(dst) and os.path.getmtime(dst) >= os.path.getmtime(src):
        return out
    with open(src) as f:
        db = json.load(f)
    seen, kept = set(), []
    for entry in db:
        path = os.path.normpath(os.path.join(entry["directory"], entry["file"]))
        if path.endswith(CXX_SUFFIXES) and path not in seen:
            seen.add(path)
            kept.append(entry)
    os.makedirs(out, exist_ok=True)
    with open(dst + ".tmp", "w") as f:
        json.dump(kept, f, indent=1)
    os.replace(dst + ".tmp", dst)
    return out


def cxx_files(name):
    """The C++ translation units of a corpus, sorted, each once."""
    with open(os.path.join(db_dir(name), "compile_commands.json")) as f:
        db = json.load(f)
    return sorted(os.path.normpath(os.path.join(e["directory"], e["file"])) for e in db)


def sample(files, n):
    """n files spread evenly over the sorted list (deterministic); all if n<=0."""
    if n <= 0 or n >= len(files):
        return files
    step = len(files) / n
    return [files[int(i * step)] for i in range(n)]


def rel(name, path):
    src = source_dir(name)
    return os.path.relpath(path, src) if path.startswith(src + os.sep) else path


# --- one clang-tidy run ---------------------------------------------------------

def tidy_cmd(name, path, checks, load, extra=(), plugin=None):
    config = {"Checks": checks,
              "HeaderFilterRegex": "^" + re.escape(source_dir(name)) + "/",
              "WarningsAsErrors": ""}
    cmd = [CLANG_TIDY, "--quiet", "--allow-no-checks", "--config=" + json.dumps(config),
           "-p", db_dir(name)]
    if load:
        cmd.append("--load=" + (plugin or PLUGIN))
    return cmd + list(extra) + [path]


def run_cpu(cmd, timeout=TIMEOUT):
    """(returncode or 'timeout', output, child user+sys CPU seconds, wall seconds)."""
    start = time.monotonic()
    with tempfile.TemporaryFile(mode="w+") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                status = None
                break
            time.sleep(0.01)
        proc.returncode = 0  # reaped by wait4; keep Popen from waiting again
        wall = time.monotonic() - start
        out.seek(0)
        text = out.read()
    if status is None:
        rc = "timeout"
    else:
        rc = os.waitstatus_to_exitcode(status)
    return rc, text, usage.ru_utime + usage.ru_stime, wall


def plugin_checks():
    """The mapguard checks the plugin registers, as clang-tidy lists them."""
    out = subprocess.run([CLANG_TIDY, "--load=" + PLUGIN, "--checks=" + MAPGUARD_CHECKS,
                          "--list-checks"], text=True, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT).stdout
    return sorted(set(re.findall(r"^\s+(mapguard-[\w-]+)\s*$", out, re.M)))


def classify(rc, out):
    """'ok', 'crash', 'hang' or 'compile-error' for one clang-tidy run."""
    if rc == "timeout":
        return "hang"
    if (isinstance(rc, int) and rc < 0) or any(m in out for m in CRASH_MARKERS):
        return "crash"
    if rc != 0 or "error:" in out:
        return "compile-error"
    return "ok"


# --- scan -------------------------------------------------------------------------

def findings_in(name, out):
    """The mapguard warnings of one clang-tidy output, as stable text lines."""
    found = set()
    for line in out.splitlines():
        m = FINDING.match(line)
        if m:
            found.add("%s:%s:%s: %s [%s]" % (
                rel(name, os.path.normpath(m["file"])), m["line"], m["col"],
                m["msg"], m["check"]))
    return found


def run_mapguard(name, path):
    """(path, returncode, output, cpu, wall) of the mapguard checks on one TU."""
    rc, out, cpu, wall = run_cpu(tidy_cmd(name, path, MAPGUARD_CHECKS, True))
    return path, rc, out, cpu, wall


def scan_corpus(name, jobs, nsample):
    files = sample(cxx_files(name), nsample)
    outdir = os.path.join(RESULTS, name)
    logs = os.path.join(outdir, "logs")
    shutil.rmtree(logs, ignore_errors=True)
    os.makedirs(logs, exist_ok=True)

    t0 = time.monotonic()
    results = {}
    findings = set()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for path, rc, out, cpu, wall in pool.map(lambda p: run_mapguard(name, p), files):
            kind = classify(rc, out)
            results[rel(name, path)] = {"status": kind, "rc": rc,
                                        "cpu": round(cpu, 3), "wall": round(wall, 3)}
            if kind != "ok":
                logname = rel(name, path).replace(os.sep, "__") + ".log"
                with open(os.path.join(logs, logname), "w") as f:
                    f.write("$ " + " ".join(shlex.quote(c) for c in
                                            tidy_cmd(name, path, MAPGUARD_CHECKS, True)) + "\n")
                    f.write("exit: %s\n" % rc)
                    f.write(out)
                if kind in ("crash", "hang"):
                    log("%s: %s on %s (log: %s)" % (name, kind.upper(), rel(name, path),
                                                  os.path.join(logs, logname)))
            findings |= findings_in(name, out)
    counts = {}
    for r in results.values():
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    summary = {"corpus": name, "files": len(files), "counts": counts,
               "checks": plugin_checks(),
               "findings": len(findings), "seconds": round(time.monotonic() - t0, 1),
               "per_file": results}
    with open(os.path.join(outdir, "scan.json"), "w") as f:
        json.dump(summary, f, indent=1, sort_keys=True)
    with open(os.path.join(outdir, "findings.txt"), "w") as f:
        for line in sorted(findings):
            f.write(line + "\n")
    log("%s: %d files, %s, %d findings, %.0fs -> %s" % (
        name, len(files), ", ".join("%s %d" % kv for kv in sorted(counts.items())),
        len(findings), summary["seconds"], os.path.join(outdir, "findings.txt")))
    return summary


def tool_scan(name, jobs, nsample, clang_tidy_findings):
    """The same TUs through the standalone `mapguard scan`, if it was built:
    its exit status, and how its findings differ from clang-tidy's."""
    tool = os.path.join(BUILD, "bin", "mapguard")
    files = sample(cxx_files(name), nsample)
    config = {"Checks": MAPGUARD_CHECKS,
              "HeaderFilterRegex": "^" + re.escape(source_dir(name)) + "/"}
    cmd = [tool, "scan", "-p", db_dir(name), "-j", str(jobs), "--no-cache",
           "--progress=none", "--format=text", "--config=" + json.dumps(config)] + files
    rc, out, cpu, wall = run_cpu(cmd, timeout=TIMEOUT * max(1, len(files)))
    outdir = os.path.join(RESULTS, name)
    with open(os.path.join(outdir, "mapguard-scan.log"), "w") as f:
        f.write("$ " + " ".join(shlex.quote(c) for c in cmd) + "\nexit: %s\n" % rc + out)
    found = findings_in(name, out)
    kind = classify(rc, out)
    # exit 1 = findings or files not analysed: not a failure of the tool.
    if kind == "compile-error" and rc == 1:
        kind = "ok" if found or "error:" not in out else "compile-error"
    result = {"status": kind, "rc": rc, "findings": len(found),
              "only_tool": sorted(found - clang_tidy_findings),
              "only_clang_tidy": sorted(clang_tidy_findings - found),
              "cpu": round(cpu, 1), "wall": round(wall, 1)}
    log("%s: mapguard scan: %s (exit %s), %d findings, %d only in mapguard scan, "
        "%d only in clang-tidy, %.0fs" % (name, kind, rc, len(found), len(result["only_tool"]),
                                         len(result["only_clang_tidy"]), wall))
    return result


def cmd_scan(args):
    if not os.path.exists(PLUGIN):
        die("no plugin at %s (set MAPGUARD_BUILD)" % PLUGIN)
    log("checks in the plugin: " + (", ".join(plugin_checks()) or "NONE"))
    bad = 0
    for name in selected(args.names):
        s = scan_corpus(name, args.jobs, args.sample)
        bad += s["counts"].get("crash", 0) + s["counts"].get("hang", 0)
        if os.path.exists(os.path.join(BUILD, "bin", "mapguard")) and not args.no_tool:
            with open(os.path.join(RESULTS, name, "findings.txt")) as f:
                ct = {l.rstrip("\n") for l in f}
            s["tool"] = tool_scan(name, args.jobs, args.sample, ct)
            bad += s["tool"]["status"] in ("crash", "hang")
            with open(os.path.join(RESULTS, name, "scan.json"), "w") as f:
                json.dump(s, f, indent=1, sort_keys=True)
    if bad:
        log("%d crash(es)/hang(s); see the logs above" % bad)
    return 1 if bad else 0


# --- slice (the CI test) -----------------------------------------------------------

def cmd_slice(args):
    """Runs the checks on a few TUs of one corpus: fails on a crash, a hang, a
    compile error, or findings other than the expected list."""
    if not os.path.exists(PLUGIN):
        die("no plugin at %s (set MAPGUARD_BUILD)" % PLUGIN)
    name = selected([args.name])[0]
    if not plugin_checks():
        die("the plugin at %s registers no mapguard check" % PLUGIN)
    found, failed = set(), []
    for f in args.files:
        path, rc, out, _, _ = run_mapguard(name, os.path.join(source_dir(name), f))
        kind = classify(rc, out)
        if kind != "ok":
            failed.append(f)
            sys.stdout.write("%s: %s on %s (exit %s):\n%s\n" % (name, kind, f, rc, out))
        found |= findings_in(name, out)
    expected = set()
    if os.path.exists(args.expected):
        with open(args.expected) as fh:
            expected = {l.rstrip("\n") for l in fh if l.strip() and not l.startswith("#")}
    if args.update:
        with open(args.expected, "w") as fh:
            fh.write("# Findings of mapguard on %s %s (written by corpora.py slice --update;\n"
                     "# every line is triaged in docs/realworld.md).\n" % (args.name, " ".join(args.files)))
            for line in sorted(found):
                fh.write(line + "\n")
        log("wrote %d findings to %s" % (len(found), args.expected))
    else:
        for line in sorted(found - expected):
            sys.stdout.write("unexpected finding: %s\n" % line)
        for line in sorted(expected - found):
            sys.stdout.write("expected finding is gone (update %s if the check "
                             "improved): %s\n" % (args.expected, line))
    ok = not failed and (args.update or found == expected)
    sys.stdout.write("%s: %d files, %d failed, %d findings (%d expected): %s\n" % (
        name, len(args.files), len(failed), len(found), len(expected), "PASS" if ok else "FAIL"))
    return 0 if ok else 1


# --- cost -------------------------------------------------------------------------

def profile_checks(name, path):
    """{check: user+sys seconds} from one --enable-check-profile run."""
    with tempfile.TemporaryDirectory() as tmp:
        cmd = tidy_cmd(name, path, MAPGUARD_CHECKS, True,
                       ["--enable-check-profile", "--store-check-profile=" + tmp])
        rc, out, _, _ = run_cpu(cmd)
        times = {}
        for root, _, names in os.walk(tmp):
            for fn in names:
                if not fn.endswith(".json"):
                    continue
                with open(os.path.join(root, fn)) as f:
                    data = json.load(f)
                for key, val in data.get("profile", {}).items():
                    # "time.clang-tidy.<check>.user" / ".sys" / ".wall"
                    m = re.match(r"time\.clang-tidy\.(.+)\.(user|sys)$", key)
                    if m:
                        times[m[1]] = times.get(m[1], 0.0) + float(val)
    return classify(rc, out), times


def cmd_cost(args):
    if not os.path.exists(PLUGIN):
        die("no plugin at %s (set MAPGUARD_BUILD)" % PLUGIN)
    if args.against and not os.path.isfile(args.against):
        die("no plugin at %s (--against)" % args.against)
    for name in selected(args.names):
        files = sample(cxx_files(name), args.sample)
        per_file = {}
        checks_total = {}
        t0 = time.monotonic()
        for path in files:
            # base: stock clang-tidy; loaded: the plugin loaded, its checks off
            # (the cost of loading it); mapguard: the mapguard checks.
            cmds = {"base": tidy_cmd(name, path, "-*," + BASELINE_CHECK, False),
                    "loaded": tidy_cmd(name, path, "-*," + BASELINE_CHECK, True),
                    "mapguard": tidy_cmd(name, path, MAPGUARD_CHECKS, True)}
            if args.against:
                # The same checks from another build of the plugin (before a
                # change), interleaved with this one's.
                cmds["previous"] = tidy_cmd(name, path, MAPGUARD_CHECKS, True,
                                            plugin=args.against)
            times = {k: [] for k in cmds}
            status = "ok"
            for _ in range(args.runs):
                # Interleaved, so drift from other load hits all alike.
                for key, cmd in cmds.items():
                    rc, out, cpu, wall = run_cpu(cmd)
                    kind = classify(rc, out)
                    if kind in ("crash", "hang"):
                        status = kind
                    times[key].append((cpu, wall))
            pstatus, prof = profile_checks(name, path)
            for check, sec in prof.items():
                checks_total[check] = checks_total.get(check, 0.0) + sec
            per_file[rel(name, path)] = {"status": status, "profile": prof}
            for key, vals in times.items():
                cpus = [c for c, _ in vals]
                per_file[rel(name, path)][key + "_cpu"] = statistics.median(cpus)
                per_file[rel(name, path)][key + "_cpu_min"] = min(cpus)
                per_file[rel(name, path)][key + "_cpu_runs"] = cpus
                per_file[rel(name, path)][key + "_wall"] = statistics.median(w for _, w in vals)
        keys = ["base_cpu", "loaded_cpu", "mapguard_cpu",
                "base_cpu_min", "loaded_cpu_min", "mapguard_cpu_min",
                "base_wall", "loaded_wall", "mapguard_wall"]
        if args.against:
            keys += ["previous_cpu", "previous_cpu_min", "previous_wall"]
        total = {k: sum(r[k] for r in per_file.values()) for k in keys}
        base_cpu, mg_cpu = total["base_cpu"], total["mapguard_cpu"]
        result = {"corpus": name, "files": len(files), "runs": args.runs,
                  "enabled_checks": plugin_checks(),
                  "baseline_check": BASELINE_CHECK,
                  "ratio_cpu": mg_cpu / base_cpu if base_cpu else None,
                  "ratio_wall": (total["mapguard_wall"] / total["base_wall"]
                                 if total["base_wall"] else None),
                  "ratio_load": total["loaded_cpu"] / base_cpu if base_cpu else None,
                  "ratio_cpu_min": (total["mapguard_cpu_min"] / total["base_cpu_min"]
                                    if total["base_cpu_min"] else None),
                  "ratio_checks": (mg_cpu / total["loaded_cpu"]
                                   if total["loaded_cpu"] else None),
                  "checks": {c: {"seconds": s, "percent": 100.0 * s / base_cpu if base_cpu else None}
                             for c, s in sorted(checks_total.items())},
                  "seconds": round(time.monotonic() - t0, 1),
                  "against": args.against or None,
                  "per_file": per_file}
        result.update(total)
        outdir = os.path.join(RESULTS, name)
        os.makedirs(outdir, exist_ok=True)
        with open(os.path.join(outdir, "cost.json"), "w") as f:
            json.dump(result, f, indent=1, sort_keys=True)
        log("%s: %d files x %d runs: baseline %.2fs, plugin loaded %.2fs, mapguard %.2fs CPU "
            "-> %.3fx; %s" % (
            name, len(files), args.runs, base_cpu, total["loaded_cpu"], mg_cpu,
            result["ratio_cpu"] or 0,
            ", ".join("%s %.2f%%" % (c, v["percent"] or 0) for c, v in result["checks"].items())
            or "no check profile"))
        if args.against:
            log("%s: against %s: previous %.2fs, now %.2fs CPU -> %.3fx (minima %.3fx)" % (
                name, args.against, total["previous_cpu"], mg_cpu,
                mg_cpu / total["previous_cpu"] if total["previous_cpu"] else 0,
                total["mapguard_cpu_min"] / total["previous_cpu_min"]
                if total["previous_cpu_min"] else 0))
    return 0


# --- report -----------------------------------------------------------------------

def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, text=True, stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL).stdout.strip()
    except OSError:
        return ""


def machine():
    model = sh("lscpu | sed -n 's/^Model name: *//p'") or platform.processor()
    mem = sh("free -g | awk '/^Mem:/ {print $2}'")
    return {"nproc": os.cpu_count(), "cpu": model, "memory_gib": mem,
            "kernel": platform.release(),
            "os": sh(". /etc/os-release && echo \"$PRETTY_NAME\""),
            "clang_tidy": sh(CLANG_TIDY + " --version | sed -n 's/.*LLVM version //p'"),
            "plugin_commit": sh("git -C %s describe --always --dirty" % shlex.quote(REPO))}


def load(name, what):
    path = os.path.join(RESULTS, name, what)
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


SEEDED_BEGIN, SEEDED_END = "<!-- seeded:begin -->", "<!-- seeded:end -->"


def seeded_section(path):
    """The recall section that bench/seeded/run.sh writes between its markers:
    kept as it is when this report rewrites the file."""
    block = SEEDED_BEGIN + "\nNot measured yet (run `bench/seeded/run.sh`).\n" + SEEDED_END
    if os.path.exists(path):
        with open(path) as f:
            text = f.read()
        a, b = text.find(SEEDED_BEGIN), text.find(SEEDED_END)
        if 0 <= a < b:
            block = text[a:b + len(SEEDED_END)]
    return ["", "## Recall: seeded lookup bugs", "", block]


def cmd_report(args):
    m = machine()
    lines = [
        "# mapguard on real code: cost and robustness",
        "",
        "Generated by `bench/corpora/run-all.sh` on %s; do not edit by hand." %
        datetime.date.today().isoformat(),
        "Triage of the findings is in [realworld.md](realworld.md).",
        "",
        "## Machine and versions",
        "",
        "- CPU: %s, `nproc` = %s, memory %s GiB" % (m["cpu"], m["nproc"], m["memory_gib"]),
        "- OS: %s, kernel %s" % (m["os"], m["kernel"]),
        "- clang-tidy: %s (`%s`); mapguard plugin from commit `%s`" % (
            m["clang_tidy"], CLANG_TIDY, m["plugin_commit"]),
        "- Checks run: `%s` = %s" % (MAPGUARD_CHECKS, ", ".join(plugin_checks()) or "none"),
        "- The machine is shared: times are user+sys CPU seconds of the clang-tidy",
        "  process (less sensitive to other load than wall time), medians of N runs.",
        "",
        "## Corpora",
        "",
        "Debian bookworm source packages, pinned in `bench/corpora/corpora.txt`, fetched by",
        "`bench/corpora/fetch.sh` with `apt-get source` and configured with CMake",
        "(`compile_commands.json`; no build).",
        "",
        "| corpus | source package | version | C++ TUs |",
        "|---|---|---|---:|",
    ]
    names = [c for c in corpus_list() if os.path.exists(os.path.join(CORPORA, c[0], "VERSION"))]
    for name, pkg, ver in names:
        lines.append("| %s | %s | %s | %d |" % (name, pkg, ver, len(cxx_files(name))))
    lines += ["", "## Robustness: full scan",
              "",
              "`bench/corpora/scan.sh`: every C++ TU of every corpus through",
              "`%s --load=MapGuardTidyPlugin.so --checks='%s'`, %ds timeout per file." % (
                  CLANG_TIDY, MAPGUARD_CHECKS, TIMEOUT),
              "A crash is a signal or an LLVM stack dump; a hang is a timeout; a compile",
              "error is clang failing on the corpus' GCC flags or code (not a mapguard",
              "failure, but those TUs are only partly analysed).",
              "",
              "The last column is the standalone `mapguard scan` over the same TUs (when",
              "it was built): its status and whether its findings equal clang-tidy's.",
              "",
              "| corpus | TUs | ok | compile error | crash | hang | findings | time (s) | slowest TU (s CPU) | `mapguard scan` |",
              "|---|---:|---:|---:|---:|---:|---:|---:|---|---|"]
    all_checks = set()
    for name, _, _ in names:
        s = load(name, "scan.json")
        if not s:
            lines.append("| %s | not scanned | | | | | | | | |" % name)
            continue
        c = s["counts"]
        t = s.get("tool")
        tool = "not built" if not t else "%s, %s" % (
            t["status"], "same findings" if not t["only_tool"] and not t["only_clang_tidy"]
            else "+%d/−%d findings" % (len(t["only_tool"]), len(t["only_clang_tidy"])))
        slow = max(s["per_file"].items(), key=lambda kv: kv[1]["cpu"], default=None)
        slow = "%.1f `%s`" % (slow[1]["cpu"], slow[0]) if slow else "–"
        lines.append("| %s | %d | %d | %d | %d | %d | %d | %.0f | %s | %s |" % (
            name, s["files"], c.get("ok", 0), c.get("compile-error", 0), c.get("crash", 0),
            c.get("hang", 0), s["findings"], s["seconds"], slow, tool))
    lines += ["", "## Cost: mapguard against a trivial built-in check", "",
              "`bench/corpora/cost.sh`: for a sample of TUs per corpus, the same clang-tidy",
              "run with `--checks='-*,%s'` (no plugin) and with" % BASELINE_CHECK,
              "`--load=… --checks='%s'`, interleaved, median per TU of N runs," % MAPGUARD_CHECKS,
              "summed per corpus. *Plugin load only* is a third run with the plugin",
              "loaded and only the built-in check (a per-process constant clangd pays",
              "once, not per edit); *checks only* is mapguard over that run.",
              "Loading the plugin cannot make clang-tidy faster, so the distance of",
              "*plugin load only* from 1.000× is the noise floor of this machine at the",
              "time of the run; *ratio of minima* (fastest of N runs per TU) is the",
              "estimate least disturbed by other load.",
              "Per-check figures come from one extra",
              "`--enable-check-profile` run per TU, as a percentage of the baseline's CPU",
              "time. Check profiles cover matcher callbacks; work done at the end of the",
              "translation unit shows up only in the total ratio.",
              "Aim: total ≤ 1.03×, each check ≤ 1 %.", ""]
    costs = [(n, load(n, "cost.json")) for n, _, _ in names]
    costs = [(n, c) for n, c in costs if c]
    for _, c in costs:
        all_checks.update(k for k in c["checks"] if k.startswith("mapguard-"))
    checks = sorted(all_checks)
    if costs:
        head = ("| corpus | TUs × runs | baseline CPU (s) | mapguard CPU (s) | **ratio** (CPU) "
                "| ratio of minima | ratio (wall) | plugin load only | checks only |")
        rule = "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
        for ch in checks:
            head += " %s |" % ch.replace("mapguard-", "")
            rule += "---:|"
        lines += [head, rule]
        tb = tm = tbm = tmm = tl = 0.0
        for name, c in costs:
            tb += c["base_cpu"]
            tm += c["mapguard_cpu"]
            tl += c.get("loaded_cpu", c["base_cpu"])
            tbm += c.get("base_cpu_min", 0.0)
            tmm += c.get("mapguard_cpu_min", 0.0)
            fx = lambda v: "%.3f×" % v if v is not None else "–"
            row = "| %s | %d × %d | %.2f | %.2f | **%s** | %s | %s | %s | %s |" % (
                name, c["files"], c["runs"], c["base_cpu"], c["mapguard_cpu"],
                fx(c["ratio_cpu"]), fx(c.get("ratio_cpu_min")), fx(c["ratio_wall"]),
                fx(c.get("ratio_load")),
                fx(c.get("ratio_checks")))
            for ch in checks:
                v = c["checks"].get(ch)
                row += " %s |" % ("%.2f %%" % v["percent"] if v else "–")
            lines.append(row)
        lines += ["", "Total over all corpora: baseline %.2f s, mapguard %.2f s CPU, **%.3f×**%s." % (
            tb, tm, tm / tb if tb else 0,
            " (within the 1.03× aim)" if tb and tm / tb <= 1.03 else
            " (**above** the 1.03× aim)")]
        if tbm:
            lines += ["Ratio of minima over all corpora: **%.3f×**; plugin load only: %.3f× "
                      "(noise floor ±%.1f %%)." % (tmm / tbm, tl / tb, abs(tl / tb - 1) * 100)]
        against = [c for _, c in costs if c.get("against") and c.get("previous_cpu")]
        if against:
            lines += ["", "### Against the previous build", "",
                      "The same TUs, runs interleaved, with a second build of the plugin "
                      "(`cost.sh --against PLUGIN`, here `%s`) running the same checks: "
                      "*now / previous* below 1 means this build is cheaper. The largest "
                      "single-TU ratio (medians) shows whether one TU got dearer." %
                      os.path.basename(os.path.dirname(os.path.dirname(against[0]["against"])))
                      + "", "",
                      "| corpus | previous CPU (s) | now CPU (s) | now / previous | ratio of minima | worst TU |",
                      "|---|---:|---:|---:|---:|---|"]
            tp = tn = tpm = tnm = 0.0
            for c in against:
                worst = max(c["per_file"].items(),
                            key=lambda kv: kv[1]["mapguard_cpu"] / kv[1]["previous_cpu"]
                            if kv[1]["previous_cpu"] else 0)
                wr = (worst[1]["mapguard_cpu"] / worst[1]["previous_cpu"]
                      if worst[1]["previous_cpu"] else 0)
                tp += c["previous_cpu"]; tn += c["mapguard_cpu"]
                tpm += c["previous_cpu_min"]; tnm += c["mapguard_cpu_min"]
                lines.append("| %s | %.2f | %.2f | **%.3f×** | %.3f× | %.3f× `%s` |" % (
                    c["corpus"], c["previous_cpu"], c["mapguard_cpu"],
                    c["mapguard_cpu"] / c["previous_cpu"],
                    c["mapguard_cpu_min"] / c["previous_cpu_min"], wr, worst[0]))
            lines += ["", "Total: previous %.2f s, now %.2f s CPU, **%.3f×**; ratio of minima %.3f×." % (
                tp, tn, tn / tp if tp else 0, tnm / tpm if tpm else 0)]
        if not checks:
            lines += ["", "No mapguard check reported a profile: no check was registered in",
                      "the plugin when this ran."]
    else:
        lines.append("Not measured yet (run `bench/corpora/cost.sh`).")
    lines += seeded_section(os.path.join(REPO, "docs", "benchmarks.md"))
    lines += ["", "## Reproduce", "", "```sh",
              "bench/corpora/run-all.sh            # fetch, scan, cost, regenerate this file",
              "MAPGUARD_CORPORA=/path RUNS=5 SAMPLE=8 bench/corpora/run-all.sh",
              "```"]
    out = os.path.join(REPO, "docs", "benchmarks.md")
    # Sections below the marker are written by other benchmarks
    # (bench/seeded) and kept as they are.
    marker = "<!-- kept by corpora.py report -->"
    kept = ""
    if os.path.exists(out):
        old = open(out).read()
        if marker in old:
            kept = "\n" + old[old.index(marker):]
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n" + kept)
    log("wrote " + out)
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("scan")
    s.add_argument("--jobs", type=int, default=int(os.environ.get("JOBS", "2")))
    s.add_argument("--sample", type=int, default=int(os.environ.get("SCAN_SAMPLE", "0")),
                   help="TUs per corpus (0: all)")
    s.add_argument("--no-tool", action="store_true",
                   help="skip the standalone `mapguard scan` even if it was built")
    s.add_argument("names", nargs="*")
    c = sub.add_parser("cost")
    c.add_argument("--runs", type=int, default=int(os.environ.get("RUNS", "3")))
    c.add_argument("--sample", type=int, default=int(os.environ.get("SAMPLE", "6")),
                   help="TUs per corpus")
    c.add_argument("--against", default=os.environ.get("AGAINST", ""),
                   help="another build of the plugin to time with the same checks "
                        "(before/after a change)")
    c.add_argument("names", nargs="*")
    sub.add_parser("report")
    sl = sub.add_parser("slice")
    sl.add_argument("--expected", required=True, help="checked-in list of findings")
    sl.add_argument("--update", action="store_true", help="rewrite the expected list")
    sl.add_argument("name")
    sl.add_argument("files", nargs="+", help="TUs relative to the corpus source dir")
    args = ap.parse_args()
    return {"scan": cmd_scan, "cost": cmd_cost, "report": cmd_report,
            "slice": cmd_slice}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
