#!/usr/bin/env python3
"""Self-test of the seeded-bug generator's text side (bench/seeded/mutate.py):
site finding, use detection and the mutations, on synthetic snippets. No
clang, no corpora; runs in well under a second."""

import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "bench", "seeded"))
import mutate  # noqa: E402

SRC = r'''
#include <map>
// if (it == m.end()) return 0;   a comment, not a site
int f(std::map<int, S*>& m, int k) {
  const char* s = "if (x == m.end()) return;";
  auto it = m.find(k);
  if (it == m.end()) return 0;
  S* p = m[k];
  if (!p) {
    log("no p");
    return 1;
  }
  if (auto jt = m.find(k + 1); jt != m.cend()) {
    jt->second->g();
  }
  for (auto& q : v) {
    auto& r = m[q];
    if (r == nullptr) continue;
    r->g();
  }
  auto kt = m.find(k);
  if (kt == m.end()) return 3;   // guards nothing: no use after it
  return it->second->f() + p->f() + 1'000;
}
'''


def body(src):
    a = src.index("{", src.index("int f("))
    return a, mutate.match_close(mutate.mask(src), a) + 1


class MaskTest(unittest.TestCase):
    def test_mask_keeps_layout(self):
        m = mutate.mask(SRC)
        self.assertEqual(len(m), len(SRC))
        self.assertEqual(m.count("\n"), SRC.count("\n"))
        self.assertNotIn("a comment", m)
        self.assertNotIn("x == m.end", m)
        self.assertNotIn("#include", m)
        self.assertIn("1'000", m)  # a digit separator is not a char literal

    def test_raw_string(self):
        m = mutate.mask('x = R"d(if (a == b.end()) return;)d"; y;')
        self.assertNotIn("return", m)
        self.assertTrue(m.endswith("y;"))


class SiteTest(unittest.TestCase):
    def setUp(self):
        self.masked = mutate.mask(SRC)
        self.sites = mutate.find_sites(SRC, self.masked)
        self.by_cond = {s["cond_text"]: s for s in self.sites}

    def test_sites_found(self):
        self.assertEqual(sorted(self.by_cond), sorted([
            "it == m.end()", "!p", "jt != m.cend()", "r == nullptr", "kt == m.end()"]))
        self.assertEqual(self.by_cond["it == m.end()"]["kind"], "end-eq")
        self.assertEqual(self.by_cond["jt != m.cend()"]["kind"], "end-ne")
        self.assertEqual(self.by_cond["!p"]["kind"], "null-eq")
        self.assertEqual(self.by_cond["!p"]["exit"][0], "return")
        self.assertEqual(self.by_cond["r == nullptr"]["exit"][0], "continue")
        obj = self.by_cond["it == m.end()"]["obj_off"]
        self.assertEqual(SRC[obj:obj + 7], "m.end()")

    def plan(self, cond):
        return mutate.plan(SRC, self.masked, self.by_cond[cond], body(SRC))

    def check_mutant(self, cond, kind, must_lose, must_keep):
        info = self.plan(cond)
        self.assertIsNotNone(info)
        muts = {k: e for k, e, _ in info["mutants"]}
        self.assertIn(kind, muts)
        out = mutate.apply(SRC, muts[kind])
        self.assertEqual(out.count("\n"), SRC.count("\n"), "line count changed")
        self.assertNotIn(must_lose, out)
        for keep in must_keep:
            self.assertIn(keep, out)
        # brackets still balance
        m = mutate.mask(out)
        self.assertEqual(m.count("{"), m.count("}"))
        self.assertEqual(m.count("("), m.count(")"))
        return out

    def test_end_test(self):
        out = self.check_mutant("it == m.end()", "end-test", "  if (it == m.end()) return 0;",
                                ["auto it = m.find(k);", "it->second->f()"])
        self.assertEqual(out.count("it == m.end()"), 1)  # the comment's

    def test_end_test_init_statement(self):
        out = self.check_mutant("jt != m.cend()", "end-test", "jt != m.cend()",
                                ["auto jt = m.find(k + 1);", "jt->second->g();"])
        self.assertIn("{   auto jt", out)

    def test_null_test(self):
        out = self.check_mutant("!p", "null-test", "if (!p)", ["S* p = m[k];"])
        self.assertNotIn("return 1;", out)

    def test_miss_exit(self):
        out = self.check_mutant("!p", "miss-exit", "return 1;", ["if (!p)", 'log("no p");'])
        self.assertIn(mutate.NOOP, out)
        out = self.check_mutant("r == nullptr", "miss-exit", "continue;", ["if (r == nullptr)"])

    def test_equivalent_mutant_skipped(self):
        self.assertIsNone(self.plan("kt == m.end()"))

    def test_null_binding_required(self):
        info = self.plan("r == nullptr")
        s, rhs, e = info["binding"]
        self.assertEqual(SRC[s:e], "auto& r = m[q];")

    def test_namesake_in_another_scope_is_not_a_use(self):
        src = ("void g() {\n  for (;;) {\n    auto it = m.find(1);\n    if (it == m.end()) continue;\n"
               "    n++;\n  }\n  for (;;) { auto it = v.begin(); it->f(); }\n}\n")
        site = mutate.find_sites(src)[0]
        self.assertIsNone(mutate.plan(src, mutate.mask(src), site, (9, len(src) - 1)))

    def test_key_test(self):
        src = ("void g(std::map<int, S*>& m, int k) {\n  if (m.find(k) == m.end()) return;\n"
               "  m[k]->f();\n  if (!m.count(k + 1)) { return; }\n  if (m.contains(k)) {\n"
               "    m[ k ]->g();\n  }\n}\n")
        masked = mutate.mask(src)
        sites = mutate.find_sites(src, masked)
        self.assertEqual([s["kind"] for s in sites], ["key-eq", "key-eq", "key-ne"])
        self.assertEqual(sites[0]["key"], "k")
        b = (src.index("{"), len(src) - 1)
        first = mutate.plan(src, masked, sites[0], b)
        self.assertEqual({k for k, _, _ in first["mutants"]}, {"key-test", "miss-exit"})
        self.assertIsNone(mutate.plan(src, masked, sites[1], b))  # no m[k + 1] after it
        kinds = {k: e for k, e, _ in mutate.plan(src, masked, sites[2], b)["mutants"]}
        out = mutate.apply(src, kinds["key-test"])
        self.assertNotIn("contains", out)
        self.assertIn("m[ k ]->g();", out)

    def test_end_or(self):
        src = ("void g(M& m, int k) {\n  auto it = m.find(k);\n"
               "  if (it == m.end() || it->second == nullptr) return;\n  it->second->f();\n}\n")
        masked = mutate.mask(src)
        site, = mutate.find_sites(src, masked)
        self.assertEqual(site["kind"], "end-or")
        kinds = {k: e for k, e, _ in mutate.plan(src, masked, site, (src.index("{"), len(src) - 1))["mutants"]}
        out = mutate.apply(src, kinds["end-test"])
        self.assertIn("if (                 it->second == nullptr) return;", out)
        self.assertIn("miss-exit", kinds)

    def test_cursor_is_not_a_lookup(self):
        src = "void g() {\n  if (it != m.end()) {\n    it->f();\n    ++it;\n  }\n}\n"
        site, = mutate.find_sites(src)
        self.assertIsNone(mutate.plan(src, mutate.mask(src), site, (9, len(src) - 1)))

    def test_else_if_is_not_a_site(self):
        src = "void g() { if (a) x(); else if (it == m.end()) return; it->f(); }"
        self.assertEqual([s["cond_text"] for s in mutate.find_sites(src)], [])

    def test_compound_branch_is_not_a_site(self):
        src = "void g() { if (it == m.end()) for (;;) {} it->f(); }"
        self.assertEqual(mutate.find_sites(src), [])


if __name__ == "__main__":
    unittest.main()
