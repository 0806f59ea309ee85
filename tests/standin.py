"""A Sentry stand-in on 127.0.0.1 for tests: real recorded bodies, real HTTP.

What it answers is the tests' own server model (tests/server_model.py: recorded
bodies served by path, in three dialects: "sentry", "sentry-old", "glitchtip");
this file is the HTTP around it: the token check, queued faults and the request
log. It imports nothing from the product.

Run it by hand (for recording cassettes): python tests/standin.py --mode glitchtip
"""

from __future__ import annotations

import json
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from server_model import DIALECTS, ServerModel, generate_issues

TOKEN = "standin-token-42"  # a fake, short enough not to look like a real token


class Fault:
    def __init__(self, status=200, body=b"", headers=None, delay=0.0, reset=False):
        self.status, self.body, self.headers = status, body, headers or {}
        self.delay, self.reset = delay, reset


class QuietServer(ThreadingHTTPServer):
    """A client that hangs up mid-answer is normal in these tests: note it, print nothing
    (a traceback on stderr would land in the output the tests read)."""

    errors: list = []

    def handle_error(self, request, client_address):
        self.errors.append(sys.exc_info()[1])


class StandIn:
    def __init__(self, mode: str = "sentry", generated_issues: int = 0, token: str = TOKEN, model=None):
        """`model` replaces the recorded bodies: a ServerModel, or a subclass serving
        other bodies (tests/audit_corpus.py has one)."""
        self.mode, self.token = mode, token
        self.model = model if model is not None else ServerModel()
        self.model.token = token  # what GET /api/0/ echoes on GlitchTip
        if generated_issues:
            self.model.issues = generate_issues(self.model.issues, generated_issues)
        self.log: list[dict] = []
        self.faults: list[tuple[re.Pattern, Fault]] = []
        self._lock = threading.Lock()
        self.server = QuietServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        # Stopping waits for the serve loop's next poll: a short one keeps ~1,500 teardowns from adding up.
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.005}, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def fail(self, path_pattern: str, *faults: Fault) -> None:
        """The next requests whose path matches get these answers, in order."""
        with self._lock:
            self.faults.extend((re.compile(path_pattern), fault) for fault in faults)

    def paths(self, method: str | None = None) -> list[str]:
        return [entry["path"] for entry in self.log if method in (None, entry["method"])]

    def statuses(self) -> list:
        """The status of each answer, in order (None: the connection was reset or is still waiting)."""
        return [entry.get("status") for entry in self.log]

    # -- answering -----------------------------------------------------------

    def _take_fault(self, path):
        with self._lock:
            for index, (pattern, fault) in enumerate(self.faults):
                if pattern.search(path):
                    return self.faults.pop(index)[1]
        return None

    def answer(self, method, path, query, headers, body=b""):
        if headers.get("Authorization") != f"Bearer {self.token}":
            return 401, {"detail": "Invalid token"}, {}  # spec: 401 for a bad or missing token
        payload = json.loads(body) if body and method != "GET" else None
        return self.model.route(method, path, query, payload, self.mode)

    def _handler(self):
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # no 40 ms delayed-ACK stall on keep-alive connections

            def log_message(self, *args):
                pass

            def do_GET(self):
                self._serve()

            do_PUT = do_POST = do_DELETE = do_GET

            def _serve(self):
                parts = urlsplit(self.path)
                query = parse_qs(parts.query, keep_blank_values=True)
                length = int(self.headers.get("Content-Length") or 0)
                body_in = self.rfile.read(length) if length else b""
                self.entry = {"method": self.command, "path": parts.path, "query": query,
                              "headers": dict(self.headers), "body": body_in, "response_bytes": 0}
                with standin._lock:
                    standin.log.append(self.entry)
                fault = standin._take_fault(parts.path)
                if fault:
                    if fault.delay:
                        time.sleep(fault.delay)
                    if fault.reset:
                        self.connection.shutdown(2)
                        return
                    self._send(fault.status, fault.body, fault.headers)
                    return
                status, body, headers = standin.answer(self.command, parts.path, query, self.headers, body_in)
                self._send(status, body, headers)

            def _send(self, status, body, headers):
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.entry["response_bytes"] = len(data)
                self.entry["status"] = status
                self.send_response(status)
                if not any(k.lower() == "content-type" for k in headers):
                    self.send_header("Content-Type", "application/json")
                for key, value in headers.items():
                    self.send_header(key, value)
                if not any(k.lower() == "content-length" for k in headers):  # a fault may lie about it
                    self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mode", choices=DIALECTS, default="sentry")
    parser.add_argument("--token", default=TOKEN)
    options = parser.parse_args()
    with StandIn(options.mode, token=options.token) as running:
        print(f"{running.url} token={options.token}", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
