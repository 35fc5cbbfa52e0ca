#!/usr/bin/env python3
"""Seeded-bug recall benchmark: removes lookup tests from real functions of the
Debian corpora and counts how many of those mutants the mapguard checks report.

  seeded.py generate [--max-per-corpus N] [--seed S] [NAME...]   sites -> mutants
  seeded.py run [--jobs N]                                       clang-tidy on each
  seeded.py report                                               docs/benchmarks.md
  seeded.py all [...]                                            the three

Environment: MAPGUARD_CORPORA (default /work/corpora), MAPGUARD_BUILD (the
plugin's build dir; default <repo>/build if it holds the plugin, else
/work/main/build), MAPGUARD_SEEDED_WORK (mutants and results; default
$TMPDIR/mapguard-seeded, never inside the repo), CLANG_TIDY, CLANG_QUERY,
JOBS (default 2), MAPGUARD_SEEDED_TIMEOUT (per run, default 90 s).
See README.md for what a site, a mutant and a kill are.
"""

import argparse
import collections
import datetime
import hashlib
import json
import os
import random
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "bench", "corpora"))
import corpora  # noqa: E402  (corpus list, compile databases, clang-tidy runs)
import mutate  # noqa: E402

def default_build():
    own = os.path.join(REPO, "build")
    if os.path.exists(os.path.join(own, "lib", "MapGuardTidyPlugin.so")):
        return own
    return "/work/main/build"


BUILD = os.environ.get("MAPGUARD_BUILD") or default_build()
PLUGIN = os.path.join(BUILD, "lib", "MapGuardTidyPlugin.so")
WORK = os.environ.get("MAPGUARD_SEEDED_WORK") or os.path.join(
    tempfile.gettempdir(), "mapguard-seeded")
CLANG_TIDY = corpora.CLANG_TIDY
CLANG_QUERY = os.environ.get("CLANG_QUERY", "clang-query-22")
TIMEOUT = int(os.environ.get("MAPGUARD_SEEDED_TIMEOUT", "90"))
CHECKS = "-*,mapguard-*"
KINDS = ("end-test", "key-test", "null-test", "miss-exit")
REMOVED = ("end-test", "key-test", "null-test")
DOCS = os.path.join(REPO, "docs", "benchmarks.md")
BEGIN, END = "<!-- seeded:begin -->", "<!-- seeded:end -->"
SECTION = "## Recall: seeded lookup bugs"

# The map class templates of checks/analysis/core/MapModelKinds.cpp (BuiltinMapTypes),
# as clang prints them in a type.
MAP_TYPE = re.compile(
    r"^(?:const\s+)?(?:::)?(?P<name>std::(?:__debug::|__cxx1998::)?(?:map|multimap|unordered_map|"
    r"unordered_multimap)|absl::(?:flat_hash_map|node_hash_map|btree_map|btree_multimap)|"
    r"boost::(?:unordered::)?(?:unordered_map|unordered_flat_map|unordered_node_map)|"
    r"boost::container::(?:map|flat_map)|llvm::(?:DenseMap|StringMap)|mapguard::shim::Map)<")
HANDLES = ("::std::shared_ptr", "::std::unique_ptr", "::std::weak_ptr", "::std::function",
           "::std::optional", "::boost::shared_ptr", "::boost::function", "::boost::optional",
           "::absl::AnyInvocable", "::mapguard::shim::Chan", "::mapguard::shim::Ptr")
HANDLE_TYPE = re.compile(r"^(?:const\s+)?(?:::)?(?:%s)<" % "|".join(
    re.escape(h[2:]) for h in HANDLES))

_names = ",".join('"%s"' % h for h in HANDLES)
_ptr = "qualType(hasCanonicalType(pointerType()))"
_handle = "qualType(hasCanonicalType(hasDeclaration(cxxRecordDecl(hasAnyName(%s)))))" % _names
_maps = ",".join('"%s"' % m for m in (
    "::std::map", "::std::multimap", "::std::unordered_map", "::std::unordered_multimap",
    "::absl::flat_hash_map", "::absl::node_hash_map", "::absl::btree_map",
    "::absl::btree_multimap", "::boost::unordered::unordered_map",
    "::boost::unordered::unordered_flat_map", "::boost::unordered::unordered_node_map",
    "::boost::container::map", "::boost::container::flat_map", "::llvm::DenseMap",
    "::llvm::StringMap", "::mapguard::shim::Map"))
_map = "hasCanonicalType(hasDeclaration(namedDecl(hasAnyName(%s))))" % _maps
QUERIES = [
    "set output dump",
    # every call of a lookup-ish method of a class whose name looks like a map;
    # the object's type in the dump decides whether it is a map mapguard knows
    'match callExpr(isExpansionInMainFile(), callee(cxxMethodDecl(hasAnyName('
    '"find","end","cend","operator[]","at","lookup","count","contains"), ofClass(cxxRecordDecl('
    'matchesName("[Mm]ap|hash|btree"))))))',
    "set output diag",
    "match functionDecl(isExpansionInMainFile(), isDefinition(), "
    'hasBody(compoundStmt().bind("body")))',
    # references to variables of pointer or handle type inside an if
    "match declRefExpr(isExpansionInMainFile(), to(varDecl(anyOf(hasType(%s), "
    "hasType(references(%s)), hasType(%s), hasType(references(%s))))), "
    "hasAncestor(ifStmt()))" % (_ptr, _ptr, _handle, _handle),
    # calls on an object whose type (through typedefs, pointers) is a known map:
    # the same list as checks/analysis/core/MapModelKinds.cpp's BuiltinMapTypes
    "match callExpr(isExpansionInMainFile(), anyOf(cxxMemberCallExpr(on(anyOf("
    "hasType(%s), hasType(pointsTo(%s))))), cxxOperatorCallExpr("
    'hasOverloadedOperatorName("[]"), hasArgument(0, hasType(%s)))))' % (_map, _map, _map),
]

FINDING = re.compile(r"^(?P<file>[^:\s][^:]*):(?P<line>\d+):(?P<col>\d+): "
                     r"warning: (?P<msg>.*) \[(?P<check>mapguard-[\w-]+)\]$")
ERROR = re.compile(r"^(?P<file>[^:\s][^:]*):(?P<line>\d+):(?P<col>\d+): "
                   r"(?:fatal )?error: (?P<msg>.*)$")


def log(msg):
    sys.stderr.write("seeded.py: " + msg + "\n")
    sys.stderr.flush()


def die(msg):
    sys.stderr.write("seeded.py: error: " + msg + "\n")
    sys.exit(2)


def read(path):
    # latin-1: one character per byte, so offsets are clang's columns
    with open(path, encoding="latin-1") as f:
        return f.read()


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="latin-1") as f:
        f.write(text)


def db_entries(name):
    with open(os.path.join(corpora.db_dir(name), "compile_commands.json")) as f:
        db = json.load(f)
    return {os.path.normpath(os.path.join(e["directory"], e["file"])): e for e in db}


def run(cmd, timeout=TIMEOUT):
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=timeout, encoding="latin-1")
        return p.returncode, p.stdout
    except subprocess.TimeoutExpired as e:
        return "timeout", (e.stdout or b"").decode("latin-1") if isinstance(e.stdout, bytes) else (e.stdout or "")


# --- the AST side ---------------------------------------------------------------

TREE_PREFIX = re.compile(r"^[| `-]*")
QUOTED = re.compile(r"'([^']*)'(?::'([^']*)')?")
LOC = re.compile(r"<(?P<file>[^<>,\s]+?):(?P<line>\d+):(?P<col>\d+)")


def template_args(t):
    """Top-level template arguments of a printed type 'ns::X<A, B<C>, D>'."""
    i = t.find("<")
    if i < 0:
        return []
    args, depth, cur = [], 0, i + 1
    for j in range(i + 1, len(t)):
        c = t[j]
        if c in "<([":
            depth += 1
        elif c in ">)]":
            if depth == 0:
                args.append(t[cur:j].strip())
                return args
            depth -= 1
        elif c == "," and depth == 0:
            args.append(t[cur:j].strip())
            cur = j + 1
    return args


def map_info(types):
    """(map template, mapped type, mapped type is a handle) of the first
    printed type that is a known map, or None."""
    for t in types:
        t = t.strip().rstrip("&* ").strip()
        m = MAP_TYPE.match(t)
        if m:
            args = template_args(t)
            name = m.group("name")
            mapped = args[0] if name.endswith("StringMap") else (args[1] if len(args) > 1 else "")
            handle = mapped.rstrip().endswith("*") or bool(HANDLE_TYPE.match(mapped))
            return name, mapped, handle
    return None


def parse_lookups(text):
    """{(line, col): {...}} of the lookup calls in a clang-query dump."""
    out = {}
    blocks = re.split(r"\nBinding for \"root\":\n", text)
    for blk in blocks[1:]:
        lines = blk.split("\n")
        root = lines[0]
        m = re.match(r"(CXXMemberCallExpr|CXXOperatorCallExpr) 0x\w+ (<.*?>) ", root)
        loc = LOC.search(root)
        if not m or not loc:
            continue
        nodes = []  # (depth, line)
        for ln in lines[1:]:
            if not ln.strip() or ln.startswith("Match #"):
                break
            pre = TREE_PREFIX.match(ln).group(0)
            nodes.append((len(pre) // 2, ln[len(pre):]))
        method = None
        if m.group(1) == "CXXMemberCallExpr":
            mm = re.search(r"(?:\.|->)(\w+) 0x", nodes[0][1]) if nodes else None
            method = mm.group(1) if mm else None
            obj = nodes[1][1] if len(nodes) > 1 else ""
        else:
            method = "operator[]" if "'[]'" in root else None
            kids = [n for d, n in nodes if d == 1]
            obj = kids[1] if len(kids) > 1 else ""
        if method is None:
            continue
        types = [t for pair in QUOTED.findall(obj) for t in pair if t]
        rq = QUOTED.findall(root[m.end(2):])
        root_type = (rq[0][1] or rq[0][0]) if rq else ""
        info = map_info(types)
        key = (int(loc.group("line")), int(loc.group("col")))
        out[key] = {"method": method, "map": info[0] if info else None,
                    "mapped": info[1] if info else None,
                    "handle": info[2] if info else None,
                    "type": types[-1] if types else "", "root_type": root_type}
    return out


def parse_diag(text, name):
    """[(line, col)] of the "name" binds-here notes."""
    return [(int(m.group(1)), int(m.group(2))) for m in
            re.finditer(r"^[^\n]*?:(\d+):(\d+): note: \"%s\" binds here" % name, text, re.M)]


def query_tu(name, path):
    """The AST facts of one TU: lookups, function bodies, pointer references."""
    cmd = [CLANG_QUERY, "-p", corpora.db_dir(name)]
    for q in QUERIES:
        cmd += ["-c", q]
    rc, out = run(cmd + [path], timeout=TIMEOUT * 2)
    if rc == "timeout":
        return None
    # split the outputs of the three matches at the "N matches." lines
    parts = re.split(r"^\d+ match(?:es)?\.$", out, flags=re.M)
    if len(parts) < 5:
        return None
    lookups = parse_lookups(parts[0])
    fn_blocks = re.split(r"^Match #\d+:$", parts[1], flags=re.M)
    functions = []
    for blk in fn_blocks[1:]:
        body = parse_diag(blk, "body")
        root = parse_diag(blk, "root")
        if body and root:
            functions.append((root[0], body[0]))
    ptrs = set(parse_diag(parts[2], "root"))
    maps = set(parse_diag(parts[3], "root"))
    for key, look in lookups.items():
        if key in maps and not look["map"]:
            # a map behind a typedef the dump does not desugar (`NodeMap *`):
            # the mapped type from the iterator's pair<const K, V> or m[k]'s type
            look["map"] = "typedef %s" % look["type"]
            rt = look["root_type"]
            i = rt.find("pair<const ")
            args = template_args(rt[i:]) if i >= 0 else []
            mapped = args[1] if len(args) > 1 else (rt if look["method"] == "operator[]" else "")
            look["mapped"] = mapped
            look["handle"] = mapped.rstrip().endswith("*") or bool(HANDLE_TYPE.match(mapped))
        elif key not in maps and look["map"]:
            # the printed object type is a map but its declaration is not: a
            # class derived from a map (the dump shows the cast to the base)
            look["derived"] = True
    return {"lookups": lookups, "functions": sorted(set(functions)), "ptrs": ptrs}


# --- generate -------------------------------------------------------------------

def text_candidates(src):
    masked = mutate.mask(src)
    sites = mutate.find_sites(src, masked)
    return masked, [s for s in sites if s["kind"].startswith(("end", "key")) or
                    mutate.binding_before(masked, s["id"], 0, s["if"])]


def reasons_for(site, info, look, masked, body):
    """Hints, known before running, of why a mutant might survive."""
    hints = []
    if look and look.get("derived"):
        hints.append("map is a class derived from a map (`%s`)" % look["type"])
    if site["kind"].startswith(("end", "key")):
        obj = site["obj"]
        if site.get("arrow") or obj.startswith("*"):
            hints.append("map reached through a pointer (`%s->`)" % obj)
        if "(" in obj:
            hints.append("map reached through a call (`%s`)" % obj)
        elif re.search(r"\.|->", re.sub(r"^this\s*->\s*", "", obj)):
            hints.append("map is a member of another object (`%s`)" % obj)
        if re.search(r"const_iterator\s+%s\b" % re.escape(site["id"]), masked[body[0]:site["if"]]):
            hints.append("iterator held in a `const_iterator` variable (converted from "
                         "find()'s iterator by a constructor)")
        if site["endname"] == "cend":
            hints.append("compared to `cend()`")
        if not info["from_find"] and site["kind"].startswith("end"):
            hints.append("iterator not from a find() in this function (helper, parameter or member)")
        if look and not look["handle"] and site["kind"].startswith("end"):
            hints.append("find() into a map of plain values (`%s`)" % look["mapped"])
    return hints


def confirm(site, ast, starts, masked, src):
    """(body offsets, function start line, lookup facts) if the AST confirms
    the site, else (None, reason)."""
    lc = lambda off: mutate.line_col(starts, off)
    best = None
    for (rl, rc), (bl, bc) in ast["functions"]:
        a = starts[bl - 1] + bc - 1 if bl - 1 < len(starts) else -1
        if a < 0 or a >= len(masked) or masked[a] != "{":
            continue
        b = mutate.match_close(masked, a)
        if b < 0 or not (a < site["if"] < b):
            continue
        if best is None or a > best[0]:
            best = (a, b + 1, rl)
    if best is None:
        return None, "not inside a compiled function (#if'd out?)"
    body, fline = (best[0], best[1]), best[2]
    if site["kind"].startswith("end"):
        look = ast["lookups"].get(lc(site["obj_off"]))
        if not look or look["method"] not in ("end", "cend"):
            return None, "end() is not a call on a map-like class"
        if not look["map"]:
            return None, "not a known map type (%s)" % look["type"]
        return (body, fline, look), None
    if site["kind"].startswith("key"):
        look = ast["lookups"].get(lc(site["obj_off"]))
        if not look or look["method"] not in ("find", "count", "contains"):
            return None, "key test is not a call on a map-like class"
        if not look["map"]:
            return None, "not a known map type (%s)" % look["type"]
        if not look["handle"]:
            return None, "key test on a map of plain values (m[k] after it is no bug)"
        return (body, fline, look), None
    if lc(site["id_off"]) not in ast["ptrs"]:
        return None, "tested variable is not a pointer or handle"
    return (body, fline, None), None


def generate(args):
    names = corpora.selected(args.names)
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    stats = collections.Counter()
    rejected = collections.Counter()
    chosen = []
    rejected_sites = []
    for name in names:
        entries = db_entries(name)
        files = [f for f in corpora.cxx_files(name) if os.path.exists(f)]
        todo = []
        for path in files:
            src = read(path)
            masked, cands = text_candidates(src)
            stats["sites-text"] += len(cands)
            if cands:
                todo.append((path, src, masked, cands))
        log("%s: %d TUs, %d with text sites; querying the AST" % (name, len(files), len(todo)))
        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            asts = list(pool.map(lambda t: query_tu(name, t[0]), todo))
        pool_by_kind = collections.defaultdict(list)
        for (path, src, masked, cands), ast in zip(todo, asts):
            if ast is None:
                rejected["clang-query failed"] += len(cands)
                continue
            starts = mutate.offsets_to_lines(src)
            for site in cands:
                got, why = confirm(site, ast, starts, masked, src)
                if not got:
                    rejected[why.split(" (")[0]] += 1
                    rejected_sites.append("%s:%d: %s: %s" % (
                        corpora.rel(name, path), mutate.line_col(starts, site["if"])[0],
                        site["cond_text"], why))
                    continue
                body, fline, look = got
                info = mutate.plan(src, masked, site, body)
                if not info:
                    rejected["protects no dereference, no lookup binding, or an iteration cursor"] += 1
                    rejected_sites.append("%s:%d: %s: protects no dereference, no lookup binding, or a cursor" % (
                        corpora.rel(name, path), mutate.line_col(starts, site["if"])[0],
                        site["cond_text"]))
                    continue
                if site["kind"].startswith("null"):
                    s, rhs, e = info["binding"]
                    hits = [v for (l, c), v in ast["lookups"].items()
                            if rhs <= starts[l - 1] + c - 1 < e and v["map"]
                            and v["method"] in ("operator[]", "find")]
                    if not hits:
                        rejected["binding is not a lookup of a known map"] += 1
                        continue
                    look = hits[0]
                stats["sites-confirmed"] += 1
                hints = reasons_for(site, info, look, masked, body)
                if site["kind"].startswith("null") and masked[info["binding"][1]:
                                                                 info["binding"][2]].find("find") >= 0:
                    hints.append("pointer from find(k)->second")
                fend = mutate.line_col(starts, body[1] - 1)[0]
                for kind, edits, desc in info["mutants"]:
                    pool_by_kind[kind].append({
                        "corpus": name, "file": path, "rel": corpora.rel(name, path),
                        "line": mutate.line_col(starts, site["if"])[0], "kind": kind,
                        "site": site["kind"], "cond": site["cond_text"],
                        "fn": [fline, fend], "desc": desc, "edits": edits,
                        "map": look["map"] if look else None,
                        "mapped": look["mapped"] if look else None,
                        "uses": [mutate.line_col(starts, u)[0] for u in info["uses"]],
                        "hints": hints})
        rng = random.Random("%s:%s" % (args.seed, name))
        for kind in KINDS:
            lst = sorted(pool_by_kind[kind], key=lambda m: (m["rel"], m["line"]))
            stats["candidates:" + kind] += len(lst)
            rng.shuffle(lst)
            pool_by_kind[kind] = lst
        # round-robin over the kinds so a small sample still has all three
        picked, i = [], 0
        while len(picked) < args.max_per_corpus and any(pool_by_kind[k] for k in KINDS):
            k = KINDS[i % len(KINDS)]
            if pool_by_kind[k]:
                picked.append(pool_by_kind[k].pop())
            i += 1
        picked.sort(key=lambda m: (m["rel"], m["line"], m["kind"]))
        log("%s: %d mutants (%s)" % (name, len(picked), ", ".join(
            "%s %d" % (k, sum(m["kind"] == k for m in picked)) for k in KINDS)))
        chosen += picked
    # write the mutants and one unmutated copy per TU
    originals = {}
    for n, m in enumerate(chosen):
        m["id"] = "m%04d" % n
        src = read(m["file"])
        out = mutate.apply(src, [tuple(e) for e in m["edits"]])
        assert out.count("\n") == src.count("\n")
        entry = db_entries(m["corpus"])[m["file"]]
        m["path"] = place(m["corpus"], m["id"], m["file"], out, entry)
        key = (m["corpus"], m["file"])
        if key not in originals:
            oid = "o%04d" % len(originals)
            originals[key] = {"id": oid, "corpus": m["corpus"], "file": m["file"],
                              "rel": m["rel"], "path": place(m["corpus"], oid, m["file"], src, entry)}
        m["original"] = originals[key]["id"]
        del m["edits"]
    plan = {"generated": datetime.datetime.now().isoformat(timespec="seconds"),
            "seed": args.seed, "max_per_corpus": args.max_per_corpus,
            "corpora": names, "stats": dict(stats), "rejected": dict(rejected),
            "rejected_sites": rejected_sites,
            "mutants": chosen, "originals": list(originals.values())}
    with open(os.path.join(WORK, "mutants.json"), "w") as f:
        json.dump(plan, f, indent=1)
    log("%d mutants of %d TUs in %s; text sites %d, confirmed %d; rejected: %s" % (
        len(chosen), len(originals), WORK, stats["sites-text"], stats["sites-confirmed"],
        ", ".join("%s %d" % kv for kv in rejected.most_common())))
    return 0


def place(name, mid, orig, text, entry):
    """Writes text as a TU of its own: WORK/<corpus>/<id>/<basename> with a
    compile_commands.json holding the original's command, the file swapped,
    and -iquote <the original's directory> so its "..." includes resolve."""
    d = os.path.join(WORK, name, mid)
    path = os.path.join(d, os.path.basename(orig))
    write(path, text)
    if "arguments" in entry:
        argv = list(entry["arguments"])
    else:
        argv = shlex.split(entry["command"])
    rel_file = entry["file"]
    out = [argv[0], "-iquote", os.path.dirname(orig)]
    for a in argv[1:]:
        if a == rel_file or os.path.normpath(os.path.join(entry["directory"], a)) == orig:
            out.append(path)
        else:
            out.append(a)
    if path not in out:
        out.append(path)
    with open(os.path.join(d, "compile_commands.json"), "w") as f:
        json.dump([{"directory": entry["directory"], "file": path, "arguments": out}], f, indent=1)
    return path


# --- run ------------------------------------------------------------------------

def tidy(name, path, plugin):
    config = {"Checks": CHECKS,
              "HeaderFilterRegex": "^" + re.escape(corpora.source_dir(name)) + "/",
              "WarningsAsErrors": ""}
    cmd = [CLANG_TIDY, "--quiet", "--allow-no-checks", "--config=" + json.dumps(config),
           "-p", os.path.dirname(path), "--load=" + plugin, path]
    t0 = time.monotonic()
    rc, out = run(cmd)
    findings, errors = [], []
    for ln in out.splitlines():
        m = FINDING.match(ln)
        if m and os.path.normpath(m["file"]) == path:
            findings.append([int(m["line"]), int(m["col"]), m["check"], m["msg"]])
        e = ERROR.match(ln)
        if e:
            where = "main" if os.path.normpath(e["file"]) == path else e["file"]
            errors.append("%s:%s:%s: %s" % (where, e["line"], e["col"], e["msg"]))
    crash = rc == "timeout" or (isinstance(rc, int) and rc < 0) or any(
        c in out for c in corpora.CRASH_MARKERS)
    return {"rc": rc, "findings": findings, "errors": errors, "crash": crash,
            "seconds": round(time.monotonic() - t0, 2)}


def plugin_fingerprint(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()[:12]


def cmd_run(args):
    with open(os.path.join(WORK, "mutants.json")) as f:
        plan = json.load(f)
    if not os.path.exists(PLUGIN):
        die("no plugin at %s (set MAPGUARD_BUILD)" % PLUGIN)
    # a copy, so that a rebuild during the run does not change what runs
    plugin = os.path.join(WORK, "MapGuardTidyPlugin.so")
    for attempt in range(10):
        shutil.copy2(PLUGIN, plugin)
        listed = subprocess.run([CLANG_TIDY, "--load=" + plugin, "--checks=" + CHECKS,
                                 "--list-checks"], stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True).stdout
        if re.search(r"^\s+mapguard-", listed, re.M):
            break
        log("the plugin copy does not load (being relinked?); retrying in 30 s")
        time.sleep(30)
    else:
        die("the plugin at %s does not load into %s" % (PLUGIN, CLANG_TIDY))
    mtime = datetime.datetime.fromtimestamp(os.path.getmtime(PLUGIN)).isoformat(timespec="seconds")
    commit = subprocess.run(["git", "-C", os.path.dirname(BUILD), "log", "-1", "--format=%h %cs"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout.strip()
    jobs = [("o", o) for o in plan["originals"]] + [("m", m) for m in plan["mutants"]]
    t0 = time.monotonic()
    done = [0]

    def one(job):
        r = tidy(job[1]["corpus"], job[1]["path"], plugin)
        done[0] += 1
        if done[0] % 25 == 0:
            log("%d/%d runs, %.0fs" % (done[0], len(jobs), time.monotonic() - t0))
        return r

    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(one, jobs))
    orig = {}
    for (kind, job), r in zip(jobs, results):
        if kind == "o":
            orig[job["id"]] = r
    for (kind, m), r in zip(jobs, results):
        if kind != "m":
            continue
        o = orig[m["original"]]
        lo, hi = m["fn"]
        infn = lambda fs: {tuple(f) for f in fs if lo <= f[0] <= hi}
        new_errors = sorted(set(r["errors"]) - set(o["errors"]))
        m["run"] = {"seconds": r["seconds"], "rc": r["rc"]}
        if o["errors"] or o["crash"]:
            m["status"] = "original-broken"
        elif r["crash"]:
            m["status"] = "crash"
        elif new_errors:
            m["status"] = "no-compile"
            m["errors"] = new_errors[:3]
        else:
            new = sorted(infn(r["findings"]) - infn(o["findings"]))
            outside = sorted({tuple(f) for f in r["findings"]} - {tuple(f) for f in o["findings"]}
                             - set(new))
            m["new_findings"] = [list(f) for f in new]
            m["pre_existing"] = len(infn(o["findings"]))
            m["status"] = "killed" if new else "survived"
            if not new:
                if outside:
                    m["hints"].append("a new finding outside the function (line %d)" % outside[0][0])
                if m["pre_existing"]:
                    m["hints"].append("the original already has %d finding(s) in this function"
                                      % m["pre_existing"])
    plan["run"] = {"plugin": PLUGIN, "plugin_sha256": plugin_fingerprint(plugin),
                   "plugin_commit": commit, "plugin_mtime": mtime, "clang_tidy": corpora.sh(CLANG_TIDY + " --version | sed -n 's/.*LLVM version //p'"),
                   "seconds": round(time.monotonic() - t0, 1), "jobs": args.jobs,
                   "date": datetime.date.today().isoformat()}
    with open(os.path.join(WORK, "results.json"), "w") as f:
        json.dump(plan, f, indent=1)
    summary(plan, sys.stderr)
    return 0


# --- report ---------------------------------------------------------------------

def tally(ms):
    c = collections.Counter(m.get("status") for m in ms)
    comp = c["killed"] + c["survived"]
    return len(ms), comp, c["killed"], (100.0 * c["killed"] / comp if comp else None), c


def summary(plan, out):
    ms = plan["mutants"]
    for kind in KINDS:
        n, comp, k, rate, _ = tally([m for m in ms if m["kind"] == kind])
        out.write("%-10s %4d mutants, %4d compiled, %4d killed, %s\n" % (
            kind, n, comp, k, "%.0f%%" % rate if rate is not None else "-"))


def fmt_rate(rate):
    return "%.0f %%" % rate if rate is not None else "–"


def report_block(plan):
    ms = plan["mutants"]
    r = plan.get("run", {})
    lines = [
        "Generated by `bench/seeded/run.sh` on %s (seed `%s`, at most %d mutants per corpus; "
        "plugin `%s` built %s, its source tree at `%s` then, sha256 `%s…`; clang-tidy %s; "
        "%d jobs, %.0f s)." % (
            r.get("date", "?"), plan["seed"], plan["max_per_corpus"],
            r.get("plugin", "?"), r.get("plugin_mtime", "?"), r.get("plugin_commit", "?"),
            r.get("plugin_sha256", "?"), r.get("clang_tidy", "?"), r.get("jobs", 0),
            r.get("seconds", 0)),
        "",
        "Each mutant is one real function of a corpus TU with one lookup test removed",
        "(`end-test`: `if (it == m.end()) return …;` deleted, or `if (it != m.end()) {…}` reduced",
        "to its body, also inside `||`/`&&`; `key-test`: the same for `m.find(k) == m.end()`,",
        "`!m.count(k)`, `m.contains(k)` before `m[k]->…`; `null-test`: the same for `if (!p) …` /",
        "`if (p) {…}` after `p = m[k]`)",
        "or its miss branch made to fall through (`miss-exit`: the `return`/`continue`/`break`",
        "replaced by a no-op). A mutant is *killed* when a mapguard finding that the",
        "unmutated TU does not have lands inside the mutated function. Only mutants where a",
        "dereference of the value follows the test are generated, the map type and the",
        "pointer type are confirmed on clang's AST, and mutants that do not compile are",
        "dropped; an iterator that the function also increments is a cursor, not a lookup.",
        "See `bench/seeded/README.md`.",
        "",
        "| mutation | mutants | compiled | killed | **kill rate** |",
        "|---|---:|---:|---:|---:|",
    ]
    for kind in KINDS:
        n, comp, k, rate, _ = tally([m for m in ms if m["kind"] == kind])
        lines.append("| %s | %d | %d | %d | **%s** |" % (kind, n, comp, k, fmt_rate(rate)))
    n, comp, k, rate, _ = tally([m for m in ms if m["kind"] in REMOVED])
    lines.append("| removed tests (end + key + null) | %d | %d | %d | **%s** (target ≥ 90 %%) |" % (
        n, comp, k, fmt_rate(rate)))
    lines += ["", "| corpus | " + " | ".join("%s (killed/compiled)" % k for k in KINDS) +
              " | not compiled |", "|---|" + "---:|" * (len(KINDS) + 1)]
    for name in plan["corpora"]:
        row = "| %s |" % name
        cms = [m for m in ms if m["corpus"] == name]
        for kind in KINDS:
            n, comp, k, rate, _ = tally([m for m in cms if m["kind"] == kind])
            row += " %d/%d%s |" % (k, comp, " (%s)" % fmt_rate(rate) if comp else "")
        row += " %d |" % sum(m.get("status") in ("no-compile", "original-broken", "crash")
                             for m in cms)
        lines.append(row)
    st = plan["stats"]
    lines += ["", "Sites: %d found in the text, %d confirmed on the AST; candidates %s." % (
        st.get("sites-text", 0), st.get("sites-confirmed", 0), ", ".join(
            "%s %d" % (k, st.get("candidates:" + k, 0)) for k in KINDS)),
        "Rejected sites: %s." % (", ".join("%s: %d" % kv for kv in sorted(
            plan["rejected"].items(), key=lambda kv: -kv[1])) or "none")]
    crashes = [m for m in ms if m.get("status") == "crash"]
    if crashes:
        lines += ["", "**Crashes or timeouts** of clang-tidy on mutants: " + ", ".join(
            "`%s:%d`" % (m["rel"], m["line"]) for m in crashes)]
    surv = [m for m in ms if m.get("status") == "survived"]
    lines += ["", "### Survivors", ""]
    if not surv:
        lines.append("None.")
    else:
        cls = lambda h: re.split(r" \(|: ", h)[0]
        compiled = [m for m in ms if m.get("status") in ("killed", "survived")]
        seen = collections.Counter(cls(h) for m in compiled for h in set(m["hints"]))
        lost = collections.Counter(cls(h) for m in surv for h in set(m["hints"]))
        lines += ["Hints per mutant are computed from the site before the run (a mutant may",
                  "have several, or none); a hint that is common among the killed ones is not",
                  "what stops the checks.", "",
                  "| hint | compiled mutants with it | survived | killed |", "|---|---:|---:|---:|"]
        for h, c in sorted(seen.items(), key=lambda kv: (-lost[kv[0]], -kv[1])):
            lines.append("| %s | %d | %d | %d |" % (h, c, lost[h], c - lost[h]))
        nohint = sum(1 for m in surv if not m["hints"])
        if nohint:
            lines.append("| (no hint) | | %d | |" % nohint)
        lines += ["", "| mutant | kind | test | map | why it may survive |", "|---|---|---|---|---|"]
        for m in sorted(surv, key=lambda m: (m["kind"], m["corpus"], m["rel"], m["line"])):
            lines.append("| `%s/%s:%d` | %s | `%s` | %s | %s |" % (
                m["corpus"], m["rel"], m["line"], m["kind"], m["cond"].replace("|", "\\|"),
                ("`%s` of `%s`" % (m["map"], m["mapped"])).replace("|", "\\|") if m["map"] else "–",
                "; ".join(m["hints"]).replace("|", "\\|") or "–"))
    return "\n".join(lines)


def cmd_report(args):
    with open(os.path.join(WORK, "results.json")) as f:
        plan = json.load(f)
    block = report_block(plan)
    write_block(DOCS, block)
    log("wrote the seeded section of " + DOCS)
    return 0


def write_block(path, block):
    text = open(path).read() if os.path.exists(path) else ""
    new = BEGIN + "\n" + block + "\n" + END
    if BEGIN in text and END in text:
        a = text.index(BEGIN)
        b = text.index(END) + len(END)
        text = text[:a] + new + text[b:]
    else:
        sec = SECTION + "\n\n" + new + "\n\n"
        i = text.find("## Reproduce")
        text = text[:i] + sec + text[i:] if i >= 0 else text.rstrip("\n") + "\n\n" + sec
    with open(path, "w") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    jobs = int(os.environ.get("JOBS", "2"))
    for name in ("generate", "all"):
        g = sub.add_parser(name)
        g.add_argument("--max-per-corpus", type=int,
                       default=int(os.environ.get("MAX_PER_CORPUS", "80")))
        g.add_argument("--seed", default=os.environ.get("SEED", "14"))
        g.add_argument("--jobs", type=int, default=jobs)
        g.add_argument("names", nargs="*")
    r = sub.add_parser("run")
    r.add_argument("--jobs", type=int, default=jobs)
    sub.add_parser("report")
    args = ap.parse_args()
    if os.path.realpath(WORK).startswith(os.path.realpath(REPO) + os.sep):
        die("MAPGUARD_SEEDED_WORK must be outside the repository")
    if args.cmd == "generate":
        return generate(args)
    if args.cmd == "run":
        return cmd_run(args)
    if args.cmd == "report":
        return cmd_report(args)
    rc = generate(args) or cmd_run(args) or cmd_report(args)
    return rc


if __name__ == "__main__":
    sys.exit(main())
