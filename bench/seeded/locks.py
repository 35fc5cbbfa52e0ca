#!/usr/bin/env python3
"""Seeded lock-removal benchmark of mapguard-concurrent-write (issue 15).

  locks.py [--build DIR] [--json OUT] TARGETS   (e.g. bench/seeded/locks-targets.txt)

TARGETS lists real translation units that start threads, one a line:
    NAME  SOURCE  [+HEADER...]  [COMPILER ARGS...]
('#' starts a comment; $MUDUO, $CORPORA expand from the environment). A
`+HEADER` is a header of the TU whose guards are mutated too (the class that
starts the thread is often defined there); a mutated header reaches clang
through clang-tidy's --vfsoverlay, so that paths and lines stay the original's.
For each, every lock guard declared in a block that also touches a map (or
calls a function of the target's files that does)
(`std::lock_guard<...> g(mu);`, `std::unique_lock`, `std::scoped_lock`, or a
project's guard class: any `Type name(args);` whose type name contains
lock/guard) is deleted, one at a time: a mutant. Mutants are written to a
temporary directory (never into the source tree, never committed) and
compiled with the original directory first on the quote include path. A
mutant is killed when the check reports a finding (a warning with its
notes) that the original does not have; a deletion that breaks the code
(`cv.wait(lock)` without the lock) is not a mutant and is not counted.
Prints one line per mutant and the kill rate; --json writes the
details.

  locks.py --cost RUNS [--against PLUGIN] [--json OUT] TARGETS

times the unmodified targets instead (issue 15: only TUs that start a thread
pay): clang-tidy with a trivial built-in check and no plugin, with the plugin
and `-*,mapguard-*`, and with --against's plugin and the same checks,
interleaved, RUNS times each; prints the median user+sys CPU seconds of each
and their ratios per TU and in total.
"""

import argparse, json, os, re, shlex, shutil, statistics, subprocess, sys, tempfile

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CLANG_TIDY = os.environ.get("CLANG_TIDY", "clang-tidy-22")

GUARD = re.compile(
    r"^(\s*)((?:std::)?(?:lock_guard|unique_lock|scoped_lock)\b[^;]*|"
    r"[\w:]*(?:[Ll]ock|[Gg]uard)[\w:]*(?:<[^;>]*>)?\s+\w+\s*[({][^;]*[)}])\s*;")
MAP_DECL = re.compile(r"\b(?:std::)?(?:unordered_)?(?:multi)?map\s*<[^;\n]*>\s+(\w+)\s*(?:;|=|\{)")
# A name for a map type: `typedef std::map<...> WatchMap;`, `using NodeMap = std::map<...>;`.
MAP_ALIAS = re.compile(r"\btypedef\s+(?:std::)?(?:unordered_)?(?:multi)?map\s*<[^;]*>\s+(\w+)\s*;|"
                       r"\busing\s+(\w+)\s*=\s*(?:std::)?(?:unordered_)?(?:multi)?map\s*<")
ACCESS = (r"(?:\b%(m)s\s*(?:\[|\.(?:insert|emplace|erase|find|count|at|clear|try_emplace|"
          r"insert_or_assign|size|begin|end)\b|->)|:\s*%(m)s\s*\))")  # a use, or `for (x : m)`


def block_end(lines, start):
    """The line where the block enclosing line `start` closes."""
    depth = 0
    for i in range(start, len(lines)):
        for ch in lines[i].split("//")[0]:
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
                if depth < 0:
                    return i
    return len(lines) - 1


FUNC_DEF = re.compile(r"(?:^|[\s:*&])(\w+)\s*\([^;{}]*\)\s*(?:const\s*)?(?:override\s*)?\{")


def helpers_touching(files, maps):
    """Names of functions defined in `files` whose bodies access one of
    `maps` directly: a guard whose block calls one protects that access."""
    out = {}
    for path in files:
        lines = open(path, errors="ignore").read().split("\n")
        text = "\n".join(lines)
        for m in FUNC_DEF.finditer(text):
            name = m.group(1)
            if name in ("if", "for", "while", "switch", "catch", "return"):
                continue
            line = text.count("\n", 0, m.end())
            body = "\n".join(lines[line:block_end(lines, line + 1) + 1])
            touched = {n for n in maps if re.search(ACCESS % {"m": re.escape(n)}, body)}
            if touched:
                out.setdefault(name, set()).update(touched)
    return out


def map_names(path, args):
    """Map variables and fields declared in the TU and the project headers it includes."""
    names, aliases, texts, seen, work = set(), set(), [], set(), [path]
    dirs = [os.path.dirname(path)] + [a[2:] for a in args if a.startswith("-I")]
    while work:
        p = work.pop()
        if p in seen or not os.path.isfile(p):
            continue
        seen.add(p)
        text = open(p, errors="ignore").read()
        names |= set(MAP_DECL.findall(text))
        aliases |= {a or b for a, b in MAP_ALIAS.findall(text)}
        texts.append(text)
        # Quoted includes, and angle includes found on the -I path (the
        # project's own headers; system headers are not on it).
        for inc in re.findall(r'#\s*include\s+["<]([^">]+)[">]', text):
            for d in dirs:
                if os.path.isfile(os.path.join(d, inc)):
                    work.append(os.path.join(d, inc))
                    break
    # Fields and variables declared with an alias (`WatchMap mWatches;`).
    for alias in aliases:
        decl = re.compile(r"\b%s\s+(\w+)\s*(?:;|=|\{)" % re.escape(alias))
        # (a `GUARDED_BY` field does not match: clang's -Wthread-safety owns it)
        for text in texts:
            names |= set(decl.findall(text))
    return names


def own_maps(files, maps):
    """Drops a name the target's own files declare with a type that is not a
    map (muduo's chat servers: a `std::set` called `connections_`, like
    TcpServer's map), or declare `GUARDED_BY` (clang's -Wthread-safety owns
    it): names are matched across files, declarations decide."""
    keep = set()
    texts = [open(f, errors="ignore").read() for f in files]
    for name in maps:
        decls = []
        for text in texts:
            decls += re.findall(r"^\s*(?:mutable\s+)?([\w:]+(?:<[^;\n]*>)?)\s+%s\b([^;\n]*);"
                                % re.escape(name), text, re.M)
        # A declaration, not a statement (`return m.find(k) ...;`).
        decls = [(t, rest) for t, rest in decls
                 if t not in ("return", "delete", "throw", "else", "case", "goto", "co_return")
                 and re.match(r"\s*(?:GUARDED_BY\([^)]*\)\s*|PT_GUARDED_BY\([^)]*\)\s*)?(?:=.*|\{.*)?$", rest)]
        if any("GUARDED_BY" in rest for _, rest in decls):
            continue
        if decls and not any(re.search(r"map\b|Map\b|map<", t) for t, _ in decls):
            continue
        keep.add(name)
    return keep


def overlay(tmp, mapping):
    """A VFS overlay file that shows each original path with a mutant's text."""
    path = os.path.join(tmp, "overlay.yaml")
    roots = [{"name": orig, "type": "file", "external-contents": mutant}
             for orig, mutant in mapping.items()]
    json.dump({"version": 0, "use-external-names": False, "roots": roots}, open(path, "w"))
    return path


def findings(src, args, build, vfs=None):
    cmd = [CLANG_TIDY, "--quiet", "--load=" + os.path.join(build, "lib", "MapGuardTidyPlugin.so"),
           "--config=" + json.dumps({"Checks": "-*,mapguard-concurrent-write",
                                     "HeaderFilterRegex": ".*"})]
    if vfs:
        cmd.append("--vfsoverlay=" + vfs)
    cmd += [src, "--", "-iquote", os.path.dirname(os.path.abspath(args["orig"]))] + args["cflags"]
    out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                         timeout=300).stdout
    if re.search(r"error: .*\[clang-diagnostic-error\]", out):
        return None
    # A finding is its warning and its notes (the thread start, the
    # conflicting access): a mutant that adds a racing pair on a line the
    # original already reports is told apart by the pair.
    res, cur = set(), None
    for m in re.finditer(r"^(.*?):(\d+):(\d+): (warning|note): (.*?)(?: \[mapguard-concurrent-write\])?$",
                         out, re.M):
        where = "%s:%s" % (os.path.basename(m.group(1)), m.group(2))
        if m.group(4) == "warning":
            if cur:
                res.add(tuple(cur))
            cur = [where, m.group(5).strip()]
        elif cur:
            cur.append(where)
    if cur:
        res.add(tuple(cur))
    return res


BASELINE_CHECK = "readability-braces-around-statements"  # as bench/corpora/corpora.py


def cpu_seconds(cmd):
    """(exit status, user+sys CPU seconds of the child)."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, usage.ru_utime + usage.ru_stime


def targets_of(path):
    """(name, source, headers, compiler args) for each line of TARGETS."""
    for line in open(path):
        line = os.path.expandvars(line.split("#")[0]).strip()
        if not line:
            continue
        parts = shlex.split(line)
        yield (parts[0], parts[1], [p[1:] for p in parts[2:] if p.startswith("+")],
               [p for p in parts[2:] if not p.startswith("+")])


def cost(a):
    plugins = {"mapguard": os.path.join(a.build, "lib", "MapGuardTidyPlugin.so")}
    if a.against:
        plugins["previous"] = a.against
    for p in plugins.values():
        if not os.path.isfile(p):
            sys.exit("locks.py: error: no plugin at %s" % p)
    rows, totals = [], {}
    for name, src, _, cflags in targets_of(a.targets):
        tail = [src, "--", "-iquote", os.path.dirname(os.path.abspath(src))] + cflags
        cmds = {"base": [CLANG_TIDY, "--quiet", "--checks=-*," + BASELINE_CHECK] + tail}
        for key, plugin in plugins.items():
            cmds[key] = [CLANG_TIDY, "--quiet", "--load=" + plugin,
                         "--checks=-*,mapguard-*"] + tail
        runs = {k: [] for k in cmds}
        for _ in range(a.cost):
            for key, cmd in cmds.items():  # interleaved: drift hits all alike
                rc, cpu = cpu_seconds(cmd)
                if rc < 0:
                    sys.exit("locks.py: error: %s: clang-tidy died (signal %d)" % (name, -rc))
                runs[key].append(cpu)
        row = {"target": name, "runs": runs}
        for key, vals in runs.items():
            row[key] = statistics.median(vals)
            totals[key] = totals.get(key, 0.0) + row[key]
        rows.append(row)
        print("%-24s base %6.2fs  mapguard %6.2fs (%.3fx)%s" % (
            name, row["base"], row["mapguard"], row["mapguard"] / row["base"],
            "  previous %6.2fs (now/previous %.3fx)" % (row["previous"], row["mapguard"] / row["previous"])
            if "previous" in row else ""))
    if not rows:
        sys.exit("locks.py: error: no targets in %s" % a.targets)
    print("total: base %.2fs, mapguard %.2fs (%.3fx)%s" % (
        totals["base"], totals["mapguard"], totals["mapguard"] / totals["base"],
        ", previous %.2fs (now/previous %.3fx)" % (totals["previous"], totals["mapguard"] / totals["previous"])
        if "previous" in totals else ""))
    if a.json:
        json.dump({"runs": a.cost, "against": a.against, "totals": totals, "targets": rows},
                  open(a.json, "w"), indent=1)


def main():
    # Targets may name files of this directory (thrift's config.h).
    os.environ.setdefault("SEEDED_DIR", os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.environ.get("MAPGUARD_BUILD", os.path.join(REPO, "build")))
    ap.add_argument("--json")
    ap.add_argument("--cost", type=int, metavar="RUNS",
                    help="time the unmodified targets RUNS times instead of mutating them")
    ap.add_argument("--against", help="with --cost: another build's plugin, timed alongside")
    ap.add_argument("targets")
    a = ap.parse_args()
    if a.against and not a.cost:
        ap.error("--against needs --cost")
    if a.cost is not None:
        if a.cost < 1:
            ap.error("--cost needs at least one run")
        return cost(a)
    results, killed, total = [], 0, 0
    tmp = tempfile.mkdtemp(prefix="mapguard-seeded-")
    for name, src, headers, cflags in targets_of(a.targets):
        maps = map_names(src, cflags)
        for h in headers:
            maps |= map_names(h, cflags)
        copy = os.path.join(tmp, os.path.basename(src))
        shutil.copyfile(src, copy)
        base = findings(copy, {"orig": src, "cflags": cflags}, a.build)
        if base is None:
            print("%s: does not compile, skipped" % name)
            continue
        maps = own_maps([src] + headers, maps)
        helpers = helpers_touching([src] + headers, maps)
        for target in [src] + headers:
            lines = open(target, errors="ignore").read().split("\n")
            for i, l in enumerate(lines):
                m = GUARD.match(l)
                if not m or l.lstrip().startswith(("return", "//")):
                    continue
                end = block_end(lines, i)
                body = "\n".join(lines[i + 1:end + 1])
                touched = {n for n in maps if re.search(ACCESS % {"m": re.escape(n)}, body)}
                # Or through a helper of the TU the block calls.
                for h, hm in helpers.items():
                    if re.search(r"\b%s\s*\(" % re.escape(h), body):
                        touched |= hm
                touched = sorted(touched)
                if not touched:
                    continue
                mutant = lines[:i] + [m.group(1) + "/* lock removed */"] + lines[i + 1:]
                if target == src:
                    open(copy, "w").write("\n".join(mutant))
                    got = findings(copy, {"orig": src, "cflags": cflags}, a.build)
                    shutil.copyfile(src, copy)
                else:
                    mpath = os.path.join(tmp, "mutant-" + os.path.basename(target))
                    open(mpath, "w").write("\n".join(mutant))
                    got = findings(copy, {"orig": src, "cflags": cflags}, a.build,
                                   vfs=overlay(tmp, {os.path.abspath(target): mpath}))
                where = "%s:%d" % (os.path.basename(target), i + 1)
                if got is None:
                    # Deleting the guard broke the code (`cv.wait(lock)`):
                    # not a mutant.
                    print("%s %s does not compile without %s, not counted"
                          % (name, where, m.group(2).strip()))
                    continue
                new = sorted(got - base)
                total += 1
                killed += bool(new)
                results.append({"target": name, "file": where, "line": i + 1,
                                "guard": m.group(2).strip(), "maps": touched,
                                "killed": bool(new),
                                "new": [" ".join(f) for f in new]})
                print("%s %s %s %s [%s]" % (name, where, "KILLED " if new else "SURVIVED",
                                            m.group(2).strip(), ", ".join(touched)))
        os.remove(copy)
    rate = 100.0 * killed / total if total else 0.0
    print("mutants %d, killed %d (%.0f%%)" % (total, killed, rate))
    if a.json:
        json.dump({"mutants": total, "killed": killed, "results": results}, open(a.json, "w"),
                  indent=1)


if __name__ == "__main__":
    main()
