#!/usr/bin/env python3
"""Build a replay cassette from real recorded exchanges (shared/real-responses/glitchtip-api).

Writes whose recording would change a server for good (a delete) are not
re-recorded: their cassette is assembled from exchanges already recorded from
a real GlitchTip, each kept as it was (method, path, query and body of the
request; status, headers and body of the answer), run through the same
scrubbing as a live recording.

  python3 tools/cassette_from_recordings.py delete_issue org_issue_delete issue_delete

Where no server at hand has the operation (GlitchTip lacks some), an exchange can
instead be Sentry's own example answer from its API description, named
spec:OPERATION_ID:REQUEST, REQUEST being the method and the path with the query the
tool sends: the answer is the operation's first 2xx example, whole.

  python3 tools/cassette_from_recordings.py project_users \
      'spec:listProjectUsers:GET /api/0/projects/acme/backend/users/?per_page=25&limit=25'

The tests never read the recordings; they replay the cassette this writes.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
RECORDINGS = ROOT.parent / "shared" / "real-responses" / "glitchtip-api"
SPEC = ROOT.parent / "shared" / "api" / "openapi-derefed.json"

from cassettes_support import CASSETTES, PLACEHOLDER_URL, scrub_response  # noqa: E402


def interaction(name: str) -> dict:
    sent = json.loads((RECORDINGS / f"{name}.request.json").read_text())
    status_line, *header_lines = (RECORDINGS / f"{name}.headers").read_text().replace("\r", "").strip().split("\n")
    headers: dict = {}
    for line in header_lines:
        key, _, value = line.partition(":")
        headers.setdefault(key.strip(), []).append(value.strip())
    body_file = next((RECORDINGS / f"{name}{ext}" for ext in (".json", ".txt") if (RECORDINGS / f"{name}{ext}").exists()))
    query = urlencode([(key, value) for key, values in sent["query"].items() for value in values])
    request_headers = {"Accept": ["application/json"]}
    body = None
    if sent["body"] is not None:
        body = json.dumps(sent["body"])
        request_headers["Content-Type"] = ["application/json"]
    code = int(status_line.split()[1])
    response = scrub_response({"headers": headers, "body": {"string": body_file.read_bytes()}})
    return {
        "request": {"method": sent["method"], "uri": PLACEHOLDER_URL + sent["path"] + (f"?{query}" if query else ""),
                    "body": body, "headers": request_headers},
        "response": {"status": {"code": code, "message": status_line.split(" ", 2)[2]},
                     "headers": response["headers"], "body": {"string": response["body"]["string"].decode()}},
    }


def spec_example(name: str) -> dict:
    """spec:OPERATION_ID:METHOD PATH?QUERY -> the exchange with the operation's example answer."""
    _, operation_id, request = name.split(":", 2)
    method, _, uri = request.partition(" ")
    paths = json.loads(SPEC.read_text())["paths"]
    operation = next(op for item in paths.values() for op in item.values()
                     if isinstance(op, dict) and op.get("operationId") == operation_id)
    code, answer = next((code, answer) for code, answer in operation["responses"].items() if code.startswith("2"))
    examples = answer["content"]["application/json"]["examples"]
    body = json.dumps(next(iter(examples.values()))["value"]).encode()
    response = scrub_response({"headers": {"Content-Type": ["application/json"]}, "body": {"string": body}})
    return {
        "request": {"method": method, "uri": PLACEHOLDER_URL + uri, "body": None,
                    "headers": {"Accept": ["application/json"]}},
        "response": {"status": {"code": int(code), "message": "OK"}, "headers": response["headers"],
                     "body": {"string": response["body"]["string"].decode()}},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("cassette", help="name of the cassette to write under tests/cassettes/")
    parser.add_argument("recordings", nargs="+", help="recorded exchanges (or spec:OPERATION_ID:REQUEST), "
                                                      "in the order the tool sends them")
    args = parser.parse_args()
    import yaml

    cassette = {"interactions": [spec_example(name) if name.startswith("spec:") else interaction(name)
                                 for name in args.recordings], "version": 1}
    path = CASSETTES / f"{args.cassette}.yaml"
    path.write_text(yaml.safe_dump(cassette, sort_keys=False, allow_unicode=True))
    print(f"wrote {path.relative_to(ROOT)} from {', '.join(args.recordings)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
