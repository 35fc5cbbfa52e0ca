#!/usr/bin/env python3
"""Prints parts of a JSON document for FileCheck, one per line.

  json_query.py FILE EXPR...

Each EXPR is a Python expression over `d` (the document), e.g.
"len(d['findings'])" or "sorted(f['check'] for f in d['findings'])".
A malformed document fails the test.
"""
import json
import sys

with open(sys.argv[1]) as f:
    d = json.load(f)
for expr in sys.argv[2:]:
    print(expr + " = " + json.dumps(eval(expr, {"d": d})))
