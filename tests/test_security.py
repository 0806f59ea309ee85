"""One recognisable token, and every place it could leak: stdout, stderr, --verbose,
dry-runs, errors, --no-redact output, and a cassette recorded with it."""

import json
import shlex

import pytest
import vcr

from sentry_skill.commands import TABLE
from cassettes_support import scrub_request, scrub_response
from standin import Fault, StandIn

TOKEN = "sntryu_" + "feedface" * 8  # shaped like a real user token, easy to find


@pytest.fixture
def server(monkeypatch):
    with StandIn("sentry", token=TOKEN) as running:
        monkeypatch.setenv("SENTRY_BASE_URL", running.url)
        monkeypatch.setenv("SENTRY_AUTH_TOKEN", TOKEN)
        monkeypatch.setenv("SENTRY_ORG", "acme")
        yield running


# Every entry's own example, then runs that reach recorded data in each mode.
COMMANDS = [shlex.split(entry.example) for entry in TABLE] + [
    ["list-issues", "--limit", "3"],
    ["issue-detail", "BACKEND-C", "--latest-event", "--stacktrace"],
    ["issue-detail", "17", "--raw"],
    ["issue-events", "17"],
    ["event-detail", "latest", "--issue", "17", "--breadcrumbs", "5"],
    ["event-detail", "74dcd623b77c40b288759bd72481546b"],
    ["lookup-event-id", "74dcd623b77c40b288759bd72481546b"],
    ["lookup-short-id", "BACKEND-C"],
    ["update-issue", "17", "--status", "resolved", "--dry-run"],
    ["update-issue", "17", "--status", "resolved"],
    ["bulk-update-issues", "--query", "", "--seen", "--dry-run"],
    ["delete-issue", "17", "--dry-run"],
    ["update-issue", "17", "--priority", "low", "--allow-write"],
    ["issue-detail", "999999"],
]


def test_the_token_appears_in_no_output(run, server):
    seen = []
    for argv in COMMANDS:
        for extra in ([], ["--verbose"], ["--no-redact", "--verbose"]):
            result = run(*argv, *extra)
            seen.append(result.code)
            assert TOKEN not in result.out and TOKEN not in result.err, (argv, extra)
            assert "feedface" * 2 not in result.out + result.err
    assert all(e["headers"].get("Authorization") == f"Bearer {TOKEN}" for e in server.log)
    assert set(seen) >= {0, 5, 8}


@pytest.mark.parametrize("fault", [
    Fault(401, json.dumps({"detail": f"Invalid token {TOKEN}"}).encode()),
    Fault(403, json.dumps({"detail": f"token {TOKEN} lacks event:read"}).encode()),
    Fault(400, json.dumps({"detail": [f"bad: Bearer {TOKEN}"]}).encode()),
    Fault(200, json.dumps({"id": "17", "title": f"echo {TOKEN}", "shortId": "X-1"}).encode()),
    Fault(429, b"{}", {"Retry-After": "9999"}),
])
@pytest.mark.parametrize("redaction", [[], ["--no-redact"]])
def test_a_server_that_echoes_the_token_does_not_leak_it(run, server, fault, redaction):
    server.fail(r"/issues/17/$", fault)
    result = run("issue-detail", "17", "--verbose", *redaction)
    assert TOKEN not in result.out + result.err


def test_a_cassette_recorded_with_the_token_does_not_hold_it(run, server, tmp_path):
    recorder = vcr.VCR(cassette_library_dir=str(tmp_path), record_mode="all",
                       before_record_request=scrub_request,
                       before_record_response=lambda response: scrub_response(response, TOKEN))
    server.fail(r"/issues/17/$", Fault(200, json.dumps({"id": "17", "title": f"echo {TOKEN}"}).encode()))
    with recorder.use_cassette("recorded.yaml"):
        assert run("issue-detail", "17").code == 0
        assert run("list-issues", "--limit", "2").code == 0
    text = (tmp_path / "recorded.yaml").read_text()
    assert "interactions" in text and TOKEN not in text and "feedface" not in text
    assert "Authorization" not in text and server.url not in text


def test_plain_http_to_another_host_is_refused_before_any_request(run, monkeypatch):
    monkeypatch.setenv("SENTRY_AUTH_TOKEN", TOKEN)
    monkeypatch.setenv("SENTRY_ORG", "acme")
    monkeypatch.setattr("requests.Session.request", lambda *a, **k: pytest.fail("a request was sent"))
    for url in ("http://sentry.example.com", "http://10.0.0.5:9000", "sentry.example.com:80"):
        result = run("list-issues", "--base-url", url if "://" in url else "http://" + url)
        assert result.code == 2 and "http://" in result.error["message"]


def test_no_redact_warns_on_stderr(run, server):
    result = run("issue-detail", "17", "--no-redact")
    assert result.code == 0 and "redaction is off" in result.err
