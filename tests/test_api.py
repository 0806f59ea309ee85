"""`api METHOD PATH` (any endpoint, through the same client, gate and redaction) and
`verify-webhook` (a webhook's HMAC-SHA256 signature, checked locally)."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import sys
from pathlib import Path

import pytest

from standin import Fault

WEBHOOK = Path(__file__).parent / "data" / "spec" / "webhook_issue_created.json"
SECRET = "integration-client-secret-of-the-test"


def sign(body: bytes, secret: str = SECRET) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


# --- api ---------------------------------------------------------------------------


def test_api_get_sends_the_path_and_parameters_and_redacts_the_answer(run, standin):
    result = run("api", "GET", "/organizations/acme/members/?query=alice", "--param", "expand=teams",
                 "--param", "expand=projects")
    assert result.code == 0, result.err
    (sent,) = standin.log
    assert (sent["method"], sent["path"]) == ("GET", "/api/0/organizations/acme/members/")
    assert sent["query"] == {"query": ["alice"], "expand": ["teams", "projects"]}
    assert "@" not in result.out and "[email]" in result.out  # people of the org: no email outside member commands
    assert result.json["count"] == len(result.json["items"]) > 0


def test_api_get_of_a_list_prints_one_page_and_the_next_cursor(run, standin):
    more = {"Link": '<x>; rel="previous"; results="false", <x>; rel="next"; results="true"; cursor="0:100:0"'}
    standin.fail(r".", Fault(200, b'[{"id": "1"}, {"id": "2"}]', more))
    result = run("api", "GET", "/organizations/acme/projects/")
    assert result.json == {"items": [{"id": "1"}, {"id": "2"}], "count": 2, "next_cursor": "0:100:0"}
    assert len(standin.log) == 1 and "cursor" not in standin.log[0]["query"]


def test_api_takes_a_url_of_the_configured_server_and_refuses_any_other(run, standin):
    assert run("api", "GET", f"{standin.url}/api/0/organizations/acme/").code == 0
    assert standin.paths() == ["/api/0/organizations/acme/"]
    for target in ("https://evil.example/api/0/organizations/acme/", "/api/1/projects/", "/api/0/../auth/login/",
                   "/organizations/acme/../../admin/",
                   "/organizations/acme/%2E%2E/%2e%2e/admin/", f"{standin.url}/admin/"):
        result = run("api", "GET", target)
        assert result.code == 2 and result.out == "", target
    assert len(standin.log) == 1


def test_api_get_pages_with_limit_and_cursor(run, standin):
    more = {"Link": '<x>; rel="previous"; results="false", <x>; rel="next"; results="true"; cursor="0:1:0"'}
    standin.fail(r".", Fault(200, b'[{"id": "1"}]', more), Fault(200, b'[{"id": "2"}]'))
    result = run("api", "GET", "/organizations/acme/projects/", "--limit", "5")
    assert result.json == {"items": [{"id": "1"}, {"id": "2"}], "count": 2}
    assert [e["query"].get("cursor") for e in standin.log] == [None, ["0:1:0"]]
    assert [e["query"]["per_page"] for e in standin.log] == [["5"], ["4"]]


def test_api_write_is_gated_and_sends_its_body_once(run, standin, tmp_path):
    refused = run("api", "PUT", "/organizations/acme/issues/17/", "--json", '{"status": "resolved"}')
    assert refused.code == 8 and standin.log == []
    body = tmp_path / "body.json"
    body.write_text('{"status": "resolved"}')
    result = run("api", "PUT", "/organizations/acme/issues/17/", "--input", str(body), "--allow-write")
    assert result.code == 0, result.err
    (sent,) = standin.log
    assert sent["method"] == "PUT" and json.loads(sent["body"]) == {"status": "resolved"}
    delete = run("api", "DELETE", "/organizations/acme/issues/17/", "--allow-write")
    assert delete.code == 8 and "--confirm" in delete.error["message"] and len(standin.log) == 1


@pytest.mark.parametrize("argv", [
    ("api", "PUT", "/organizations/acme/issues/17/", "--limit", "5"),
    ("api", "GET", "/organizations/acme/issues/", "--json", "{}"),
    ("api", "POST", "/organizations/acme/issues/", "--json", "{not json"),
    ("api", "POST", "/organizations/acme/issues/", "--json", "{}", "--input", "x.json"),
    ("api", "PATCH", "/organizations/acme/issues/17/"),
    ("api", "GET", "/organizations/acme/issues/", "--param", "no-equals-sign"),
])
def test_api_input_errors_exit_2_before_any_request(run, standin, argv):
    result = run(*argv, "--allow-write")
    assert result.code == 2 and result.out == "" and standin.log == []


# --- verify-webhook ----------------------------------------------------------------


@pytest.fixture
def secret(monkeypatch):
    monkeypatch.setenv("SENTRY_CLIENT_SECRET", SECRET)


def _stdin(monkeypatch, data: bytes):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


def test_verify_webhook_accepts_the_signed_body_and_summarises_it(run, secret):
    body = WEBHOOK.read_bytes()
    result = run("verify-webhook", "--file", str(WEBHOOK), "--signature", sign(body))
    assert result.code == 0, result.err
    assert result.json == {
        "verified": True, "resource": "issue", "action": "created",
        "issue": {"id": "1", "shortId": "PUMP-STATION-1", "title": "This is an example Python exception",
                  "culprit": "raven.scripts.runner in main", "level": "error", "status": "unresolved",
                  "substatus": "ongoing", "firstSeen": "2018-11-06T21:19:55Z", "lastSeen": "2018-12-06T21:19:55Z",
                  "count": "150", "project": "pump-station", "assignedTo": "user:1",
                  "url": "https://the-interstellar-jurisdiction.sentry.io/issues/1/"},
        "actor": "application"}
    assert "john.doe" not in result.out  # the assignee's email is in the body


def test_verify_webhook_refuses_a_tampered_body_with_exit_4(run, secret, tmp_path):
    body = WEBHOOK.read_bytes()
    tampered = tmp_path / "hook.json"
    tampered.write_bytes(body.replace(b'"status": "unresolved"', b'"status": "resolved"', 1))
    result = run("verify-webhook", "--file", str(tampered), "--signature", sign(body))
    assert result.code == 4 and result.out == "" and result.error["type"] == "auth"
    wrong_secret = run("verify-webhook", "--file", str(WEBHOOK), "--signature", sign(body, "another secret"))
    assert wrong_secret.code == 4 and wrong_secret.out == ""


def test_verify_webhook_reads_the_signature_header_line_from_stdin(run, secret, monkeypatch):
    body = WEBHOOK.read_bytes()
    head = f"Content-Type: application/json\r\nSentry-Hook-Resource: issue\r\nSentry-Hook-Signature: {sign(body)}\r\n\r\n"
    _stdin(monkeypatch, head.encode() + body)
    result = run("verify-webhook")
    assert result.code == 0, result.err
    assert result.json["resource"] == "issue" and result.json["issue"]["shortId"] == "PUMP-STATION-1"
    _stdin(monkeypatch, head.encode() + body + b" ")  # one byte more than was signed
    assert run("verify-webhook").code == 4


@pytest.mark.parametrize("argv, code", [
    (("--signature", "abc"), 2),                  # not an HMAC-SHA256
    ((), 2),                                      # no signature anywhere
    (("--file", "/no/such/file", "--signature", "0" * 64), 2),
])
def test_verify_webhook_input_errors_exit_2(run, secret, argv, code):
    if "--file" not in argv:
        argv = (*argv, "--file", str(WEBHOOK))
    result = run("verify-webhook", *argv)
    assert result.code == code and result.out == ""


def test_verify_webhook_without_the_secret_exits_3(run, monkeypatch):
    monkeypatch.delenv("SENTRY_CLIENT_SECRET", raising=False)
    result = run("verify-webhook", "--file", str(WEBHOOK), "--signature", sign(WEBHOOK.read_bytes()))
    assert result.code == 3 and "SENTRY_CLIENT_SECRET" in result.error["message"]
