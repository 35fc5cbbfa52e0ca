#!/usr/bin/env python3
"""Structural check of a SARIF 2.1.0 log as GitHub code scanning reads it.

  check_sarif.py FILE [--results N] [--notifications N]

Checks the parts of the 2.1.0 schema that mapguard writes (version, $schema,
runs[].tool.driver with rules whose name differs from their id and that
carry a one-line short description and help text, results whose
ruleId/ruleIndex name a rule, physical locations with a file URI (absolute,
or relative to a uriBaseId the run's originalUriBaseIds defines) and a
1-based region, related locations with messages and ids that the result
message links to, code flows, partial fingerprints, tool execution
notifications) and prints a summary line for FileCheck. Exits 1 on the first
violation.
"""
import argparse
import json
import re
import sys


def fail(path, msg):
    sys.stderr.write("check_sarif: %s: %s\n" % (path, msg))
    sys.exit(1)


def need(cond, path, msg):
    if not cond:
        fail(path, msg)


def is_text_message(m):
    return isinstance(m, dict) and isinstance(m.get("text"), str) and m["text"]


BASE_IDS = {}


def check_physical(loc, path, need_region=True):
    need(isinstance(loc, dict), path, "location is not an object")
    phys = loc.get("physicalLocation")
    need(isinstance(phys, dict), path, "no physicalLocation")
    art = phys.get("artifactLocation")
    need(isinstance(art, dict) and isinstance(art.get("uri"), str), path,
         "artifactLocation has no uri")
    if "uriBaseId" in art:
        need(art["uriBaseId"] in BASE_IDS, path,
             "uriBaseId %r is not in originalUriBaseIds" % art["uriBaseId"])
        need(not art["uri"].startswith("file:") and
             not art["uri"].startswith("/"), path,
             "uri with a uriBaseId is not relative")
    else:
        need(art["uri"].startswith("file://"), path,
             "artifactLocation.uri is not a file URI")
    if need_region:
        region = phys.get("region")
        need(isinstance(region, dict), path, "no region")
        need(isinstance(region.get("startLine"), int) and
             region["startLine"] >= 1, path, "region.startLine < 1")
        if "startColumn" in region:
            need(region["startColumn"] >= 1, path, "region.startColumn < 1")
        if "endLine" in region:
            need(region["endLine"] >= region["startLine"], path,
                 "region ends before it starts")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--results", type=int)
    ap.add_argument("--notifications", type=int)
    args = ap.parse_args()
    with open(args.file) as f:
        doc = json.load(f)
    need(doc.get("version") == "2.1.0", "$", "version is not 2.1.0")
    need("sarif-schema-2.1.0" in doc.get("$schema", ""), "$",
         "$schema does not name the 2.1.0 schema")
    runs = doc.get("runs")
    need(isinstance(runs, list) and runs, "$.runs", "no runs")
    total_results = total_notes = 0
    for ri, run in enumerate(runs):
        rp = "$.runs[%d]" % ri
        BASE_IDS.clear()
        for key, base in run.get("originalUriBaseIds", {}).items():
            need(isinstance(base.get("uri"), str) and
                 base["uri"].startswith("file://") and
                 base["uri"].endswith("/"), rp,
                 "originalUriBaseIds[%s] is not a file URI ending in /" % key)
            BASE_IDS[key] = base["uri"]
        driver = run.get("tool", {}).get("driver", {})
        need(driver.get("name") == "mapguard", rp, "tool.driver.name")
        need(isinstance(driver.get("version"), str), rp, "driver.version")
        rules = driver.get("rules", [])
        ids = []
        for i, rule in enumerate(rules):
            p = "%s.tool.driver.rules[%d]" % (rp, i)
            need(isinstance(rule.get("id"), str) and rule["id"], p, "no id")
            need(is_text_message(rule.get("shortDescription")), p,
                 "no shortDescription.text")
            need("\n" not in rule["shortDescription"]["text"], p,
                 "shortDescription is not one line")
            need(isinstance(rule.get("name"), str) and rule["name"] and
                 rule["name"] != rule["id"], p, "name missing or equal to id")
            if "helpUri" in rule:
                need(re.match(r"^[a-z][a-z0-9+.-]*:", rule["helpUri"]), p,
                     "helpUri is not an absolute URI")
            need(is_text_message(rule.get("help")), p, "no help.text")
            ids.append(rule["id"])
        need(len(set(ids)) == len(ids), rp, "duplicate rule ids")
        for i, res in enumerate(run.get("results", [])):
            p = "%s.results[%d]" % (rp, i)
            need(res.get("ruleId") in ids, p, "ruleId names no rule")
            if "ruleIndex" in res:
                need(ids[res["ruleIndex"]] == res["ruleId"], p,
                     "ruleIndex and ruleId disagree")
            need(res.get("level") in ("warning", "error", "note", "none"), p,
                 "bad level")
            need(is_text_message(res.get("message")), p, "no message.text")
            locs = res.get("locations")
            need(isinstance(locs, list) and len(locs) == 1, p,
                 "expected one location")
            check_physical(locs[0], p + ".locations[0]")
            for j, rel in enumerate(res.get("relatedLocations", [])):
                q = "%s.relatedLocations[%d]" % (p, j)
                check_physical(rel, q)
                need(is_text_message(rel.get("message")), q, "no message")
                need(isinstance(rel.get("id"), int) and rel["id"] >= 0, q,
                     "no id")
                need("](%d)" % rel["id"] in res["message"]["text"], q,
                     "the result message does not link to it")
            for j, flow in enumerate(res.get("codeFlows", [])):
                for k, tf in enumerate(flow.get("threadFlows", [])):
                    q = "%s.codeFlows[%d].threadFlows[%d]" % (p, j, k)
                    need(tf.get("locations"), q, "empty thread flow")
                    for m, tfl in enumerate(tf["locations"]):
                        check_physical(tfl.get("location"),
                                       "%s.locations[%d]" % (q, m))
            fps = res.get("partialFingerprints", {})
            need(isinstance(fps.get("mapguardFingerprint/v1"), str), p,
                 "no partialFingerprints")
            total_results += 1
        for inv in run.get("invocations", []):
            need(isinstance(inv.get("executionSuccessful"), bool), rp,
                 "invocation without executionSuccessful")
            for j, note in enumerate(inv.get("toolExecutionNotifications", [])):
                q = "%s.toolExecutionNotifications[%d]" % (rp, j)
                need(is_text_message(note.get("message")), q, "no message")
                for loc in note.get("locations", []):
                    check_physical(loc, q, need_region=False)
                total_notes += 1
    if args.results is not None and total_results != args.results:
        fail("$", "expected %d results, found %d" % (args.results,
                                                     total_results))
    if args.notifications is not None and total_notes != args.notifications:
        fail("$", "expected %d notifications, found %d" %
             (args.notifications, total_notes))
    print("sarif ok: %d runs, %d rules, %d results, %d notifications" % (
        len(runs), len(rules), total_results, total_notes))


if __name__ == "__main__":
    main()
