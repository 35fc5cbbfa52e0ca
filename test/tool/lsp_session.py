#!/usr/bin/env python3
"""A scripted LSP session against mapguard-clangd, for the lit tests.

  lsp_session.py --clangd BIN --file SOURCE [--file SOURCE2]...
                 [--expect-code CODE]... [--expect-none CODE]...
                 [--expect-stderr TEXT] [--timeout S]

Starts BIN as a language server, sends initialize / initialized, opens SOURCE
(didOpen with its text), waits for the publishDiagnostics of that file and
prints each diagnostic as "line:col: severity: message [code]" (1-based),
its related information ("  note: ...") and its codeDescription link
("  link: ..."); then shutdown / exit. Every wait is bounded by --timeout. Exits non-zero when
an --expect-code is missing from the diagnostics, an --expect-none code is
present, or the server misbehaves (dies, times out, never publishes).

clangd may publish twice (first without clang-tidy results while the
preamble builds); the session waits until an expected code shows up or
clangd goes quiet for --settle seconds after a publication.

With several --file, they are opened one after the other in the same session,
each file's diagnostics printed after a line "file: NAME"; --expect-code and
--expect-none apply to the last file. --expect-stderr TEXT fails the session
unless the server's stderr contains TEXT (a log line).
"""

import argparse
import json
import os
import pathlib
import queue
import subprocess
import sys
import threading
import time


def fail(msg):
    sys.stderr.write("lsp_session: error: " + msg + "\n")
    sys.exit(1)


class Server:
    def __init__(self, argv):
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self.messages = queue.Queue()
        self.next_id = 1
        threading.Thread(target=self._read, daemon=True).start()
        self.stderr_lines = []
        threading.Thread(target=self._drain_stderr, daemon=True).start()

    def _drain_stderr(self):
        for line in self.proc.stderr:
            self.stderr_lines.append(line.decode(errors="replace"))

    def _read(self):
        out = self.proc.stdout
        while True:
            headers = {}
            while True:
                line = out.readline()
                if not line:
                    self.messages.put(None)
                    return
                line = line.decode().strip()
                if not line:
                    break
                key, _, value = line.partition(":")
                headers[key.strip().lower()] = value.strip()
            length = int(headers.get("content-length", "0"))
            body = out.read(length)
            self.messages.put(json.loads(body))

    def send(self, payload):
        data = json.dumps(payload).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(data) + data)
        self.proc.stdin.flush()

    def request(self, method, params, timeout):
        rid = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": rid, "method": method,
                   "params": params})
        deadline = time.monotonic() + timeout
        while True:
            msg = self.wait(deadline, "the reply to " + method)
            if msg.get("id") == rid and "method" not in msg:
                if "error" in msg:
                    fail(method + " failed: " + json.dumps(msg["error"]))
                return msg.get("result")
            self.handle(msg)

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait(self, deadline, what):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            self.kill()
            fail("timed out waiting for " + what)
        try:
            msg = self.messages.get(timeout=remaining)
        except queue.Empty:
            self.kill()
            fail("timed out waiting for " + what)
        if msg is None:
            fail("the server exited while waiting for " + what +
                 "; its stderr ends with:\n" + "".join(self.stderr_lines[-20:]))
        return msg

    def handle(self, msg):
        # Answer server-to-client requests (e.g. workDoneProgress/create).
        if "id" in msg and "method" in msg:
            self.send({"jsonrpc": "2.0", "id": msg["id"], "result": None})

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()


def open_and_wait(server, source, args, expect_codes):
    """Opens SOURCE and returns its diagnostics: once EXPECT_CODES are all
    there, or after --settle seconds without a new publication."""
    uri = source.as_uri()
    server.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "cpp", "version": 1,
        "text": source.read_text()}})
    deadline = time.monotonic() + args.timeout
    diagnostics = None
    while True:
        if diagnostics is not None:
            codes = {d.get("code") for d in diagnostics}
            if expect_codes and all(c in codes for c in expect_codes):
                break
            # Nothing expected yet: wait for a later publication, but not
            # past --settle of silence.
            try:
                msg = server.messages.get(timeout=min(
                    args.settle, max(0.0, deadline - time.monotonic())))
            except queue.Empty:
                break
            if msg is None:
                fail("the server exited after publishing; its stderr ends "
                     "with:\n" + "".join(server.stderr_lines[-20:]))
        else:
            msg = server.wait(deadline, "publishDiagnostics for " + uri)
        if msg.get("method") == "textDocument/publishDiagnostics" and \
                msg["params"].get("uri") == uri:
            diagnostics = msg["params"].get("diagnostics", [])
        else:
            server.handle(msg)
    return diagnostics


def print_diagnostics(diagnostics):
    severities = {1: "error", 2: "warning", 3: "information", 4: "hint"}
    for d in diagnostics:
        start = d["range"]["start"]
        print("%d:%d: %s: %s [%s]" % (
            start["line"] + 1, start["character"] + 1,
            severities.get(d.get("severity"), "?"), d["message"],
            d.get("code", "")))
        for info in d.get("relatedInformation", []):
            print("  note: " + info["message"])
        if "codeDescription" in d:
            print("  link: " + d["codeDescription"]["href"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--clangd", required=True)
    ap.add_argument("--file", required=True, action="append")
    ap.add_argument("--expect-code", action="append", default=[])
    ap.add_argument("--expect-none", action="append", default=[])
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--settle", type=float, default=5.0)
    ap.add_argument("--expect-stderr")
    ap.add_argument("clangd_args", nargs="*")
    args = ap.parse_args()

    sources = [pathlib.Path(f).resolve() for f in args.file]
    server = Server([args.clangd, "--background-index=false", "--log=error",
                     "--pch-storage=memory"] + args.clangd_args)
    server.request("initialize", {
        "processId": os.getpid(),
        "rootUri": sources[0].parent.as_uri(),
        "capabilities": {"textDocument": {"publishDiagnostics": {
            "relatedInformation": True, "codeDescriptionSupport": True}}},
    }, args.timeout)
    server.notify("initialized", {})
    for index, source in enumerate(sources):
        last = index == len(sources) - 1
        diagnostics = open_and_wait(server, source, args,
                                    args.expect_code if last else [])
        if len(sources) > 1:
            print("file: " + source.name)
        print_diagnostics(diagnostics)

    server.request("shutdown", None, args.timeout)
    server.notify("exit", None)
    try:
        server.proc.wait(timeout=args.timeout)
    except subprocess.TimeoutExpired:
        server.kill()
        fail("the server did not exit after shutdown/exit")

    codes = {d.get("code") for d in diagnostics}
    missing = [c for c in args.expect_code if c not in codes]
    if missing:
        fail("no diagnostic with code " + ", ".join(missing))
    present = [c for c in args.expect_none if c in codes]
    if present:
        fail("unexpected diagnostic with code " + ", ".join(present))
    if args.expect_stderr is not None:
        time.sleep(0.2)  # the stderr reader thread
        if not any(args.expect_stderr in l for l in server.stderr_lines):
            fail("no '" + args.expect_stderr + "' in the server's stderr:\n" +
                 "".join(server.stderr_lines[-20:]))


if __name__ == "__main__":
    main()
