"""--demo, the product's bundled sample: no token, no network, and the same
redaction and write gates as against a real server."""

import pytest
import requests.adapters


@pytest.fixture
def offline(monkeypatch):
    """Every request that would leave the process, refused and noted."""
    sent = []

    def refuse(self, request, **kwargs):
        sent.append(f"{request.method} {request.url}")
        raise AssertionError(f"--demo sent {request.method} {request.url}")

    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", refuse)
    return sent


def test_list_issues_prints_the_sample_redacted_without_the_network(run, offline):
    result = run("--demo", "list-issues", "--limit", "3")
    assert result.code == 0, result.err
    assert offline == []
    doc = result.json
    assert doc["count"] == 3 and [item["shortId"] for item in doc["items"]] == ["FRONTEND-8", "FRONTEND-7", "FRONTEND-6"]
    assert "https://[secret]@db.internal.example" in doc["items"][0]["title"]
    assert "[email]" in doc["items"][1]["title"]
    planted = ["hunter2-planted-password", "leaky.person@example.com"]
    assert not [value for value in planted if value in result.out + result.err]
    # The sample really carries them: the clean output above is the redaction at work.
    unredacted = run("--demo", "list-issues", "--limit", "3", "--no-redact")
    assert unredacted.code == 0 and all(value in unredacted.out for value in planted)
    assert offline == []


def test_a_write_dry_run_prints_the_request_and_sends_nothing(run, offline):
    result = run("--demo", "update-issue", "BACKEND-C", "--archive", "--dry-run")
    assert result.code == 0, result.err
    assert offline == []
    doc = result.json
    assert doc["url"].startswith("https://") and doc["url"].endswith("/api/0/organizations/acme/issues/17/")
    assert {k: v for k, v in doc.items() if k != "url"} == {
        "dry_run": True, "method": "PUT",
        "body": {"status": "ignored", "substatus": "archived_until_escalating", "statusDetails": {}}}


def test_every_project_is_one_request_as_on_sentry_io(run, offline):
    result = run("--demo", "list-issues", "--project", "all", "--limit", "30", "--verbose")
    assert result.code == 0, result.err
    assert {item["project"] for item in result.json["items"]} == {"backend", "frontend"}
    assert [line for line in result.err.splitlines() if " GET " in line] == [
        line for line in result.err.splitlines() if "project=-1" in line]
    assert offline == []


def test_whoami_and_assign_me_answer_from_the_sample(run, offline):
    result = run("--demo", "whoami")
    assert result.code == 0, result.err
    assert result.json["user"] == "user:1" and result.json["name"] == "Alice Admin"
    assert "0000000000" not in result.out  # the recorded answer's (zeroed) token never shows
    result = run("--demo", "update-issue", "BACKEND-C", "--assign", "me", "--dry-run")
    assert result.json["body"] == {"assignedTo": "user:1"}
    assert offline == []
