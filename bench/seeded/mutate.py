"""The text side of the seeded-bug benchmark: finds lookup tests in C++ source
and writes the mutants. Pure Python, no clang: seeded.py confirms every site
against clang's AST (the map types, the pointer types, the function bounds)
before it becomes a mutant, and discards mutants that do not compile.

Every mutation keeps the line count of the file (removed text becomes spaces,
newlines stay), so a finding's line in the mutant is its line in the original.

Site kinds (a site is one `if` statement that tests a lookup):
  end-eq    if (it == m.end()) <exit>;        exit = return/continue/break/throw,
            if (m.cend() == it) { ...; <exit>; }     alone or last in a block
  end-ne    if (it != m.end()) BODY [else E]  and the C++17 form
            if (auto it = m.find(k); it != m.end()) BODY
  null-eq   if (!p) <exit>;  if (p == nullptr) { ...; <exit>; }  (p bound from m[k])
  null-ne   if (p) BODY [else E]  /  if (p != nullptr) BODY

Mutation kinds:
  end-test   end-eq: the whole if statement removed; end-ne: the condition (and
             the else branch) removed, BODY kept
  null-test  the same for null-eq / null-ne
  miss-exit  end-eq / null-eq whose exit is return/continue/break: the test is
             kept and the exit replaced by a no-op `(void)0;`, so the miss is
             noticed but not handled
"""

import re

IDENT = r"[A-Za-z_]\w*"
# The object of a .end() call: a name, a member chain, a call of a getter.
OBJ = (r"(?:\*\s*)?(?:this\s*->\s*)?[A-Za-z_][\w:]*(?:\s*\(\s*\))?"
       r"(?:\s*(?:\.|->)\s*[A-Za-z_]\w*(?:\s*\(\s*\))?)*")
END_CALL = r"(?P<obj>%s)\s*(?P<arrow>\.|->)\s*(?P<end>c?end)\s*\(\s*\)" % OBJ

END_EQ = [re.compile(r"^(?P<id>%s)\s*==\s*%s$" % (IDENT, END_CALL)),
          re.compile(r"^%s\s*==\s*(?P<id>%s)$" % (END_CALL, IDENT))]
END_NE = [re.compile(r"^(?P<id>%s)\s*!=\s*%s$" % (IDENT, END_CALL)),
          re.compile(r"^%s\s*!=\s*(?P<id>%s)$" % (END_CALL, IDENT))]
NULLS = r"(?:nullptr|NULL)"
NULL_EQ = [re.compile(r"^!\s*(?P<id>%s)$" % IDENT),
           re.compile(r"^!\s*\(\s*(?P<id>%s)\s*\)$" % IDENT),
           re.compile(r"^(?P<id>%s)\s*==\s*%s$" % (IDENT, NULLS)),
           re.compile(r"^%s\s*==\s*(?P<id>%s)$" % (NULLS, IDENT))]
NULL_NE = [re.compile(r"^(?P<id>%s)$" % IDENT),
           re.compile(r"^(?P<id>%s)\s*!=\s*%s$" % (IDENT, NULLS)),
           re.compile(r"^%s\s*!=\s*(?P<id>%s)$" % (NULLS, IDENT))]
# membership tests of a key, then m[k] dereferenced: `if (m.find(k) == m.end())
# return; m[k]->f();`, `if (!m.count(k)) ...`, `if (m.contains(k)) { m[k]->f(); }`
KEYARG = r"(?P<key>[^()]*(?:\([^()]*\)[^()]*)*)"
MEMBER = r"(?P<obj>%s)\s*(?P<arrow>\.|->)\s*" % OBJ
KEY_EQ = [re.compile(r"^%sfind\s*\(%s\)\s*==\s*(?P=obj)\s*(?:\.|->)\s*c?end\s*\(\s*\)$" % (MEMBER, KEYARG)),
          re.compile(r"^!\s*%s(?:count|contains)\s*\(%s\)$" % (MEMBER, KEYARG)),
          re.compile(r"^%scount\s*\(%s\)\s*==\s*0$" % (MEMBER, KEYARG))]
KEY_NE = [re.compile(r"^%sfind\s*\(%s\)\s*!=\s*(?P=obj)\s*(?:\.|->)\s*c?end\s*\(\s*\)$" % (MEMBER, KEYARG)),
          re.compile(r"^%s(?:count|contains)\s*\(%s\)$" % (MEMBER, KEYARG)),
          re.compile(r"^%scount\s*\(%s\)\s*(?:!=|>)\s*0$" % (MEMBER, KEYARG))]
KEYWORDS = {"true", "false", "nullptr", "NULL", "this", "sizeof", "return"}
EXIT = re.compile(r"^(?P<kw>return|continue|break|throw)\b[\s\S]*;$")
COMPOUND = re.compile(r"(?:if|for|while|switch|do|try|else)\b")
NOOP = "(void)0;"


# --- lexing -------------------------------------------------------------------

def blank(text):
    """The same text with everything but newlines turned into spaces."""
    return re.sub(r"[^\n]", " ", text)


def mask(src):
    """src with comments, string and character literals and preprocessor lines
    blanked (same length, same newlines), so brackets can be matched on it."""
    out = list(src)
    n, i = len(src), 0
    line_start = True

    def wipe(a, b):
        for j in range(a, b):
            if out[j] != "\n":
                out[j] = " "

    while i < n:
        c = src[i]
        if c == "\n":
            line_start = True
            i += 1
            continue
        if line_start and c == "#":
            j = i
            while j < n:  # the directive, with its continuation lines
                if src[j] == "\n" and src[j - 1] != "\\":
                    break
                j += 1
            wipe(i, j)
            i = j
            continue
        if c in " \t\r\f\v":
            i += 1
            continue
        line_start = False
        if src.startswith("//", i):
            j = src.find("\n", i)
            j = n if j < 0 else j
            wipe(i, j)
            i = j
        elif src.startswith("/*", i):
            j = src.find("*/", i + 2)
            j = n if j < 0 else j + 2
            wipe(i, j)
            i = j
        elif c == '"' and i > 0 and src[i - 1] == "R" and (i < 2 or not (src[i - 2].isalnum() or src[i - 2] == "_") or src[i - 2] in "uU8L"):
            m = re.match(r'"([^()\\\s]{0,16})\(', src[i:])
            if not m:
                i += 1
                continue
            close = ")" + m.group(1) + '"'
            j = src.find(close, i + m.end())
            j = n if j < 0 else j + len(close)
            wipe(i + 1, j - 1)
            i = j
        elif c in "\"'":
            if c == "'" and i > 0 and src[i - 1].isalnum():
                k = i - 1
                while k >= 0 and (src[k].isalnum() or src[k] in "_'."):
                    k -= 1
                if src[k + 1].isdigit():  # a digit separator: 1'000
                    i += 1
                    continue
            j = i + 1
            while j < n and src[j] != c and src[j] != "\n":
                j += 2 if src[j] == "\\" else 1
            j = min(j + 1, n)
            wipe(i + 1, j - 1)
            i = j
        else:
            i += 1
    return "".join(out)


PAIRS = {"(": ")", "[": "]", "{": "}"}


def match_close(text, i):
    """Index of the bracket closing text[i], or -1."""
    stack = []
    for j in range(i, len(text)):
        c = text[j]
        if c in PAIRS:
            stack.append(PAIRS[c])
        elif c in ")]}":
            if not stack or stack.pop() != c:
                return -1
            if not stack:
                return j
    return -1


def skip_ws(text, i):
    while i < len(text) and text[i].isspace():
        i += 1
    return i


def statement_end(text, i):
    """End (exclusive) of the simple statement or block starting at text[i],
    or -1 for a compound statement (if/for/while/...) or unparsable text."""
    if i >= len(text):
        return -1
    if text[i] == "{":
        j = match_close(text, i)
        return -1 if j < 0 else j + 1
    if COMPOUND.match(text, i):
        return -1
    j = i
    while j < len(text):
        c = text[j]
        if c in PAIRS:
            k = match_close(text, j)
            if k < 0:
                return -1
            j = k + 1
            continue
        if c in ")]}":
            return -1
        if c == ";":
            return j + 1
        j += 1
    return -1


def last_statement(text, a, b):
    """(start, end) of the last top-level statement in the block text[a:b]
    (a just after '{', b at '}'), or None."""
    starts = []
    i = skip_ws(text, a)
    while i < b:
        j = statement_end(text, i)
        if j < 0 or j > b:
            return None  # a nested compound statement: not a simple tail
        starts.append((i, j))
        i = skip_ws(text, j)
    return starts[-1] if starts else None


def exit_of(masked, a, b):
    """For the branch masked[a:b] (a statement or a block): (kind, start, end)
    of its exit statement if it ends by leaving, else None."""
    if masked[a] == "{":
        tail = last_statement(masked, a + 1, b - 1)
        if not tail:
            return None
        a, b = tail
    m = EXIT.match(masked[a:b].strip())
    return (m.group("kw"), a, b) if m else None


def offsets_to_lines(text):
    starts = [0]
    for m in re.finditer(r"\n", text):
        starts.append(m.end())
    return starts


def line_col(starts, off):
    """1-based (line, column) of an offset, as clang counts them (bytes: the
    caller decodes files as latin-1 so that a character is a byte)."""
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= off:
            lo = mid
        else:
            hi = mid - 1
    return lo + 1, off - starts[lo] + 1


# --- sites ----------------------------------------------------------------------

def uses_after(masked, ident, a, b, iterator):
    """Offsets of dereferences of ident in masked[a:b]."""
    e = re.escape(ident)
    pats = [r"\b%s\s*->" % e, r"(?<![\w)\]])\*\s*%s\b" % e, r"\(\s*\*\s*%s\s*\)" % e]
    if iterator:
        pats.append(r"\.\s*erase\s*\(\s*%s\s*\)" % e)
    else:
        pats.append(r"\b%s\s*\(" % e)
    found = []
    for p in pats:
        for m in re.finditer(p, masked[a:b]):
            found.append(a + m.start())
    return sorted(found)


def flexible(text):
    """A regex matching text with any spacing between its tokens."""
    toks = re.findall(r"\w+|\S", text)
    return r"\s*".join(re.escape(t) for t in toks)


def key_uses(masked, obj, key, a, b):
    """Offsets in masked[a:b] of m[k] dereferenced: m[k]->x, *m[k], m[k](...)."""
    sub = r"%s\s*\[\s*%s\s*\]" % (flexible(obj), flexible(key))
    pats = [sub + r"\s*->", r"\*\s*" + sub, sub + r"\s*\("]
    return sorted(a + m.start() for p in pats for m in re.finditer(p, masked[a:b]))


def enclosing_block_end(masked, off, limit):
    """End of the innermost {...} block around masked[off] (at most limit)."""
    depth = 0
    for j in range(off - 1, -1, -1):
        c = masked[j]
        if c == "}":
            depth += 1
        elif c == "{":
            if depth == 0:
                k = match_close(masked, j)
                return min(limit, k + 1) if k >= 0 else limit
            depth -= 1
    return limit


def binding_before(masked, ident, a, b):
    """(start, rhs, end) of the last statement before masked[b] (within the
    function body starting at a) that binds or assigns ident, or None."""
    e = re.escape(ident)
    best = None
    for m in re.finditer(r"\b%s\s*=(?!=)" % e, masked[a:b]):
        eq = a + m.end()
        # back to the start of the statement
        s = a + m.start()
        while s > a and masked[s - 1] not in ";{}":
            s -= 1
        s = skip_ws(masked, s)
        end = statement_end(masked, s)
        if end < 0 or end > b:
            continue
        best = (s, eq, end)
    return best


def find_sites(src, masked=None):
    """Candidate sites of one source text: dicts with the offsets the
    mutations need. Confirmation against the AST is the caller's job."""
    masked = masked or mask(src)
    sites = []
    for m in re.finditer(r"\bif\s*\(", masked):
        if_start = m.start()
        # `else if`: the test is part of a chain; removing it changes the chain
        k = if_start - 1
        while k >= 0 and masked[k].isspace():
            k -= 1
        if masked[max(0, k - 3):k + 1] == "else":
            continue
        po = m.end() - 1
        pc = match_close(masked, po)
        if pc < 0:
            continue
        cond_a, cond_b = po + 1, pc
        cond = masked[cond_a:cond_b]
        init = None
        parts = split_top(cond, ";")
        if len(parts) == 2:
            init = (cond_a, cond_a + len(parts[0]) + 1)  # text of 'decl;'
            cond_a = init[1]
            cond = masked[cond_a:cond_b]
        elif len(parts) > 2:
            continue
        c = " ".join(cond.split())
        then_a = skip_ws(masked, pc + 1)
        then_b = statement_end(masked, then_a)
        if then_b < 0:
            continue
        else_kw = else_a = else_b = None
        j = skip_ws(masked, then_b)
        if re.match(r"else\b", masked[j:j + 5]):
            else_kw = j
            else_a = skip_ws(masked, j + 4)
            else_b = statement_end(masked, else_a)
            if else_b < 0:
                continue
        end = else_b if else_kw is not None else then_b
        site = {"if": if_start, "cond": (cond_a, cond_b), "close": pc,
                "then": (then_a, then_b), "else": (else_kw, else_a, else_b) if else_kw is not None else None,
                "init": init, "end": end, "cond_text": c}
        # `it == m.end() || X` / `it != m.end() && X`: the end() test is dropped
        ops = [(i, masked[cond_a + i:cond_a + i + 2]) for i in top_ops(cond)]
        if ops and not init:
            i, op = ops[0]
            first = " ".join(cond[:i].split())
            pats = END_EQ if op == "||" else END_NE
            mm = next((p.match(first) for p in pats if p.match(first)), None)
            if mm and all(o == op for _, o in ops):
                site.update(kind="end-or" if op == "||" else "end-and", id=mm.group("id"),
                            obj=" ".join(mm.group("obj").split()), endname=mm.group("end"),
                            arrow=mm.group("arrow") == "->",
                            obj_off=locate_obj(masked, cond_a, cond_a + i, mm.group("obj")),
                            drop=(cond_a, skip_ws(masked, cond_a + i + 2)))
                site["exit"] = exit_of(masked, then_a, then_b) if op == "||" else None
                if site["obj_off"] is not None:
                    sites.append(site)
            continue
        for kind, pats in (("end-eq", END_EQ), ("end-ne", END_NE),
                           ("key-eq", KEY_EQ), ("key-ne", KEY_NE),
                           ("null-eq", NULL_EQ), ("null-ne", NULL_NE)):
            mm = next((p.match(c) for p in pats if p.match(c)), None)
            if not mm:
                continue
            if kind.startswith("key"):
                site.update(kind=kind, id=" ".join(mm.group("obj").split()),
                            key=" ".join(mm.group("key").split()),
                            arrow=mm.group("arrow") == "->", endname="",
                            obj=" ".join(mm.group("obj").split()),
                            obj_off=locate_obj(masked, cond_a, cond_b, mm.group("obj")))
                if site["obj_off"] is None or not site["key"]:
                    break
                site["exit"] = exit_of(masked, then_a, then_b) if kind.endswith("eq") else None
                sites.append(site)
                break
            ident = mm.group("id")
            if ident in KEYWORDS:
                break
            site["kind"] = kind
            site["id"] = ident
            if kind.startswith("end"):
                site["obj"] = " ".join(mm.group("obj").split())
                site["endname"] = mm.group("end")
                site["arrow"] = mm.group("arrow") == "->"
                # offset of the object of .end() in the file (the call's begin)
                site["obj_off"] = locate_obj(masked, cond_a, cond_b, mm.group("obj"))
                if site["obj_off"] is None:
                    break
            else:
                site["id_off"] = re.search(r"\b%s\b" % re.escape(ident),
                                           masked[cond_a:cond_b]).start() + cond_a
            site["exit"] = exit_of(masked, then_a, then_b) if kind.endswith("eq") else None
            sites.append(site)
            break
    return sites


def locate_obj(masked, a, b, obj):
    """Offset of the (whitespace-normalised) object text inside masked[a:b]."""
    first = obj.split()[0] if obj.split() else obj
    first = re.match(r"\*?\s*(\w+)", obj.strip())
    if not first:
        return None
    for m in re.finditer(r"(?:\*\s*)?\b%s\b" % re.escape(first.group(1)), masked[a:b]):
        return a + m.start()
    return None


def top_ops(text):
    """Offsets of the || and && operators outside brackets in text."""
    out, depth, i = [], 0, 0
    while i < len(text) - 1:
        c = text[i]
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif depth == 0 and text[i:i + 2] in ("||", "&&"):
            out.append(i)
            i += 2
            continue
        i += 1
    return out


def split_top(text, sep):
    """text split at sep characters outside brackets."""
    parts, depth, cur = [], 0, 0
    for i, c in enumerate(text):
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == sep and depth == 0:
            parts.append(text[cur:i])
            cur = i + 1
    parts.append(text[cur:])
    return parts


# --- mutations ------------------------------------------------------------------

def apply(src, edits):
    """src with edits [(start, end, replacement)] applied (non-overlapping)."""
    out, pos = [], 0
    for a, b, rep in sorted(edits):
        if a < pos:
            raise ValueError("overlapping edits")
        out.append(src[pos:a])
        out.append(rep)
        pos = b
    out.append(src[pos:])
    return "".join(out)


def mutations(src, site):
    """[(kind, edits, description)] of one site."""
    out = []
    kind = site["kind"]
    test = {"end": "end-test", "key": "key-test", "null": "null-test"}[kind[:kind.index("-")]]
    if_a, end = site["if"], site["end"]
    then_a, then_b = site["then"]
    if "drop" in site:
        da, db = site["drop"]
        out.append((test, [(da, db, blank(src[da:db]))],
                    "dropped `%s` from the test `%s`" % (
                        " ".join(src[da:db].split()), site["cond_text"])))
        ex = site["exit"]
        if ex and ex[0] != "throw":
            ea, eb = ex[1], ex[2]
            rep = NOOP + blank(src[ea + len(NOOP):eb]) if eb - ea >= len(NOOP) else \
                NOOP + "".join(ch for ch in src[ea:eb] if ch == "\n")
            out.append(("miss-exit", [(ea, eb, rep)],
                        "kept the test `%s`, replaced `%s` by a no-op" % (
                            site["cond_text"], " ".join(src[ea:eb].split()))))
        return out
    if kind.endswith("eq"):
        ex = site["exit"]
        if ex is None:
            return out
        if site["else"] is None:
            if site["init"]:
                # if (init; it == end) exit;  ->  init;
                ia, ib = site["init"]
                edits = [(if_a, ia, blank(src[if_a:ia])),
                         (ib, end, blank(src[ib:end]))]
            else:
                edits = [(if_a, end, blank(src[if_a:end]))]
            out.append((test, edits, "removed the test `%s` and its exit branch" % site["cond_text"]))
        if ex[0] != "throw":
            ea, eb = ex[1], ex[2]
            rep = NOOP + blank(src[ea + len(NOOP):eb]) if eb - ea >= len(NOOP) else \
                NOOP + "".join(ch for ch in src[ea:eb] if ch == "\n")
            out.append(("miss-exit", [(ea, eb, rep)],
                        "kept the test `%s`, replaced `%s` by a no-op" % (
                            site["cond_text"], " ".join(src[ea:eb].split()))))
    else:
        # keep BODY, drop the condition (and the else branch)
        cb = site["close"] + 1
        if site["init"]:
            ia, ib = site["init"]
            # `if (init; cond) BODY` -> `{   init;      BODY}`
            edits = [(if_a, ia, "{" + blank(src[if_a + 1:ia])),
                     (ib, cb, blank(src[ib:cb]))]
            if site["else"]:
                ek = site["else"][0]
                edits.append((then_b, end, "}" + blank(src[then_b + 1:end]) if end > then_b else "}"))
            else:
                edits.append((then_b, then_b, "}"))
        else:
            edits = [(if_a, cb, blank(src[if_a:cb]))]
            if site["else"]:
                edits.append((then_b, end, blank(src[then_b:end])))
        out.append((test, edits, "removed the test `%s`%s, kept its body" % (
            site["cond_text"], " and its else branch" if site["else"] else "")))
    return out


def iterator_from_find(masked, ident, a, b):
    """Whether masked[a:b] initialises or assigns ident from a find()-like call."""
    e = re.escape(ident)
    return re.search(r"\b%s\s*(?:=|\(|\{)[^;]*?\b(?:find|lower_bound|upper_bound|"
                     r"equal_range)\s*\(" % e, masked[a:b]) is not None


LOOKUP_RHS = re.compile(r"\[|\bfind\s*\(")
NOT_PLAIN_RHS = re.compile(r"\b(?:c?end|count|contains)\s*\(|\?")


def plan(src, masked, site, body):
    """The mutants of one site inside the function body masked[body[0]:body[1]]:
    a dict with 'mutants' [(kind, edits, description)], 'uses' (offsets of the
    dereferences that the removed test protected) and, for null tests,
    'binding' (start, rhs, end) of the statement binding the pointer; None if
    the site protects no dereference (an equivalent mutant) or has no binding."""
    a, b = body
    kind, ident = site["kind"], site["id"]
    iterator = kind.startswith("end")
    if kind.startswith("key"):
        lo, hi = (site["end"], enclosing_block_end(masked, site["if"], b)) \
            if kind.endswith("eq") else site["then"]
        uses = key_uses(masked, site["obj"], site["key"], lo, hi)
        if not uses:
            return None
        return {"uses": uses, "binding": None, "from_find": True,
                "mutants": mutations(src, site)}
    if iterator and re.search(r"(?:\+\+|--)\s*%s\b|\b%s\s*(?:\+\+|--)|\b(?:next|prev|advance)\s*\(\s*%s\b"
                              % ((re.escape(ident),) * 3), masked[a:b]):
        return None  # an iteration cursor compared with end(), not a lookup
    if "drop" in site:
        # in the rest of the condition, then after the if (||) or in the body (&&)
        lo = site["drop"][1]
        hi = enclosing_block_end(masked, site["if"], b) if kind == "end-or" else site["then"][1]
        uses = uses_after(masked, ident, lo, hi, True)
        if kind == "end-or":  # the then branch runs on a miss: not a protected use
            uses = [u for u in uses if not site["then"][0] <= u < site["then"][1]]
        if not uses:
            return None
        return {"uses": uses, "binding": None,
                "from_find": iterator_from_find(masked, ident, a, site["if"]),
                "mutants": mutations(src, site)}
    if kind.endswith("eq"):
        # after the if, in the block that holds it (not a namesake further on)
        uses = uses_after(masked, ident, site["end"], enclosing_block_end(masked, site["if"], b),
                          iterator)
    else:
        uses = uses_after(masked, ident, site["then"][0], site["then"][1], iterator)
    if not uses:
        return None
    info = {"uses": uses, "binding": None}
    if not iterator:
        bind = binding_before(masked, ident, a, site["if"])
        if bind is None:
            return None
        rhs = masked[bind[1]:bind[2]]
        if not LOOKUP_RHS.search(rhs) or NOT_PLAIN_RHS.search(rhs):
            return None
        # the pointer must not be reassigned between the binding and the test
        info["binding"] = bind
    info["from_find"] = iterator and iterator_from_find(masked, ident, a, site["if"] + 1 +
                                                        (site["close"] - site["if"]))
    info["mutants"] = mutations(src, site)
    return info if info["mutants"] else None
