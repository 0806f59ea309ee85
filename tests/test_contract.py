"""The contract every entry of the command table keeps, checked on each entry.

A new command is covered by adding its entry: its help shows its example,
bad input exits 2 before any request, a write is refused (exit 8, no request)
unless allowed and prints its request with --dry-run, a 403 names the entry's
scope, a 404 exits 5 with nothing on stdout, a 5xx exits 6, and a list prints
the envelope and follows the cursor. Each runs the entry's own example.
"""

from __future__ import annotations

import json
import re
import shlex

import pytest

from sentry_skill.commands import TABLE
from standin import Fault

WRITE_FLAGS = ("--dry-run", "--allow-write", "--confirm")
REMOTE = [entry for entry in TABLE if not entry.local]   # a local entry (verify-webhook) sends nothing
LOCAL = [entry for entry in TABLE if entry.local]
LISTS = [entry for entry in TABLE if entry.lists]
BY_NAME = {"ids": lambda entry: entry.name}
DYNAMIC_METHODS = ("POST", "PUT", "DELETE")  # `api`: its METHOD argument decides; every one but GET writes


class WriteRun:
    """One write of an entry: its method, and for `api` (method "*") the example with that method."""

    def __init__(self, entry, method):
        self.entry, self.method = entry, method
        self.name = entry.name if entry.method != "*" else f"{entry.name}-{method}"
        self.needs_confirm = entry.needs_confirm or method == "DELETE"
        argv = shlex.split(entry.example)
        self.path = entry.path
        if entry.method == "*":  # api METHOD PATH ...: the example's path, with this method
            self.path = "/" + argv[2].split("/api/0/")[-1].lstrip("/")
            argv = [argv[0], method, argv[2]]
        self.argv = [arg for arg in argv if arg not in WRITE_FLAGS]


WRITES = [WriteRun(entry, method) for entry in TABLE if entry.writes
          for method in (DYNAMIC_METHODS if entry.method == "*" else (entry.method,))]
WRITE_IDS = {"ids": lambda run: run.name}


def example(entry, *extra) -> list:
    """The entry's example without its write switches, plus `extra`."""
    argv = [arg for arg in shlex.split(entry.example) if arg not in WRITE_FLAGS]
    assert argv[0] == entry.name, f"{entry.name}: the example runs another command"
    return [*argv, *extra]


def allowed(entry) -> list:
    """The example with whatever lets it reach the server."""
    return example(entry, *(("--allow-write", "--confirm") if entry.writes and entry.method != "*" else ()))


def error_body(status: int) -> bytes:
    return json.dumps({"detail": f"answer {status} from the contract test"}).encode()


@pytest.mark.parametrize("entry", TABLE, **BY_NAME)
def test_help_shows_the_example(run, entry):
    result = run(entry.name, "--help")
    assert result.code == 0
    assert f"example: {entry.example}" in " ".join(result.out.split())
    assert entry.summary.split()[0] in result.out


@pytest.mark.parametrize("entry", TABLE, **BY_NAME)
def test_unknown_field_exits_2_before_any_request(run, standin, entry):
    result = run(*example(entry), "--fields", "no_such_field")
    assert result.code == 2 and result.out == "" and standin.log == []
    if entry.fields:
        assert "no_such_field" in result.error["message"]
        assert result.error["hint"] == "Valid fields: " + ",".join(entry.fields)
    else:
        assert "does not apply" in result.error["message"]


@pytest.mark.parametrize("entry", LISTS, **BY_NAME)
def test_limit_0_exits_2_before_any_request(run, standin, entry):
    result = run(*example(entry), "--limit", "0")
    assert result.code == 2 and "out of range" in result.error["message"] and standin.log == []


@pytest.mark.parametrize("write", WRITES, **WRITE_IDS)
def test_write_is_refused_with_no_request_when_writes_are_off(run, standin, write):
    result = run(*write.argv, *(("--confirm",) if write.needs_confirm else ()))
    assert result.code == 8 and result.out == ""
    assert result.error["type"] == "write_refused" and "--allow-write" in result.error["hint"]
    assert standin.log == []


@pytest.mark.parametrize("write", [w for w in WRITES if w.needs_confirm], **WRITE_IDS)
def test_write_needs_confirm(run, standin, write):
    result = run(*write.argv, "--allow-write")
    assert result.code == 8 and "--confirm" in result.error["message"] and standin.log == []


@pytest.mark.parametrize("write", WRITES, **WRITE_IDS)
def test_dry_run_prints_method_url_and_body_and_sends_no_write(run, standin, write):
    result = run(*write.argv, "--dry-run")
    assert result.code == 0, result.err
    document = result.json
    assert document["dry_run"] is True
    planned = document.get("requests") or [document]
    # The entry's own path in the configured organization (its references: one segment each).
    path = re.escape(write.path).replace(re.escape("{org}"), "acme")
    path = re.sub(r"\\\{[a-z_]+\\\}", "[^/?]+", path)
    for request in planned:
        assert request["method"] == write.method
        assert re.match(re.escape(f"{standin.url}/api/0") + path + r"(\?|$)", request["url"]), request["url"]
        assert "/acme/" in request["url"]
        assert "body" in request
    assert {e["method"] for e in standin.log} <= {"GET"}


@pytest.mark.parametrize("entry", REMOTE, **BY_NAME)
def test_403_names_the_scope_of_the_entry(run, standin, entry):
    standin.fail(r".", *[Fault(403, error_body(403))] * 4)
    result = run(*allowed(entry))
    assert result.code == 4 and result.out == ""
    if entry.scope:
        assert f"scope {entry.scope}" in result.error["hint"]
    else:  # a request any token may send (whoami): no scope to name
        assert "the right scope" in result.error["hint"]


@pytest.mark.parametrize("entry", REMOTE, **BY_NAME)
def test_404_exits_5_with_nothing_on_stdout(run, standin, entry):
    standin.fail(r".", *[Fault(404, error_body(404))] * 4)
    result = run(*allowed(entry))
    assert result.code == 5 and result.out == ""
    assert result.error["type"] == "not_found"


@pytest.mark.parametrize("entry", REMOTE, **BY_NAME)
def test_5xx_exits_6_with_nothing_on_stdout(run, standin, entry):
    standin.fail(r".", *[Fault(503, error_body(503))] * 4)
    result = run(*allowed(entry))
    assert result.code == 6 and result.out == ""
    assert result.error["status"] == 503
    for method, path in {(e["method"], e["path"]) for e in standin.log}:
        tries = [e for e in standin.log if (e["method"], e["path"]) == (method, path)]
        assert len(tries) == (2 if method == "GET" else 1), (method, path)  # a GET is retried once, a write never


@pytest.mark.parametrize("entry", LOCAL, **BY_NAME)
def test_a_local_entry_never_sends_a_request(run, standin, entry, monkeypatch, tmp_path):
    """It needs no token, no organization and no server; whatever its input, nothing goes out."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SENTRY_AUTH_TOKEN")
    monkeypatch.delenv("SENTRY_ORG")
    monkeypatch.setenv("SENTRY_CLIENT_SECRET", "contract")
    standin.fail(r".", *[Fault(500, error_body(500))] * 4)
    result = run(*example(entry))
    if "--file" in entry.example:  # verify-webhook: its example's file is absent here
        assert result.code == 2 and result.out == "" and result.error["type"] == "usage"
    else:  # list-profiles: reads only local configuration, none here
        assert result.code == 0 and result.json, result.err
    assert standin.log == []


ONE = {"id": "1", "shortId": "A-1", "title": "first", "eventID": "e1" * 16, "project": {"slug": "a"}, "value": "v1"}
TWO = {"id": "2", "shortId": "A-2", "title": "second", "eventID": "e2" * 16, "project": {"slug": "a"}, "value": "v2"}


@pytest.mark.parametrize("entry", LISTS, **BY_NAME)
def test_list_prints_the_envelope_and_follows_the_cursor(run, standin, entry):
    more = {"Link": '<x>; rel="previous"; results="false", <x>; rel="next"; results="true"; cursor="0:1:0"'}
    standin.fail(r".", Fault(200, json.dumps([ONE]).encode(), more), Fault(200, json.dumps([TWO]).encode()))
    result = run(*example(entry, "--limit", "5"))
    assert result.code == 0, result.err
    document = result.json
    assert document["count"] == 2 and len(document["items"]) == 2 and "next_cursor" not in document
    for name in entry.page_params:
        assert [e["query"][name] for e in standin.log] == [["5"], ["4"]], name
    assert "cursor" not in standin.log[0]["query"] and standin.log[1]["query"]["cursor"] == ["0:1:0"]

    standin.fail(r".", Fault(200, json.dumps([ONE]).encode(), more))
    result = run(*example(entry, "--limit", "1"))
    assert result.json["count"] == 1 and result.json["next_cursor"] == "0:1:0"
