"""Every read command through main(argv), replayed from recorded cassettes.

The cassettes were recorded from a GlitchTip-dialect server serving bodies that
real SDKs sent (see tests/cassettes/README.md), so they also hold the fallback
from the organization-scoped paths to the older ones.
"""

import json
import os

import pytest

from cassettes_support import cassette, configure

PLANTED = ["card.holder@example.com", "198.51.100.23", "4111111111111111", "AKIAPLANTEDKEY12345678",
           "leaky.person@example.com", "203.0.113.77", "planted-Password!2024", "node.shopper@example.com",
           "2001:db8:85a3::8a2e:370:7334", "hunter2-planted-password", "sntryu_planted", "cardholder"]


@pytest.fixture
def replay(run, monkeypatch):
    configure(monkeypatch)
    # vcrpy's recorder is not thread-safe, so the requests a command would send at
    # the same time are sent one after the other here (test_loopback covers concurrency).
    monkeypatch.setattr("sentry_skill.client.SentryClient.concurrently",
                        lambda self, *calls: [call() for call in calls])

    def play(name, *argv):
        with cassette(name):
            return play_in(*argv)

    def play_in(*argv):  # inside a cassette the test opened itself
        result = run(*argv)
        for planted in PLANTED:
            assert planted not in result.out + result.err, planted
        return result
    play.inside = play_in
    return play


def test_list_issues(replay):
    result = replay("list_issues", "list-issues", "--project", "frontend", "--limit", "3")
    assert result.code == 0, result.err
    doc = result.json
    assert [i["shortId"] for i in doc["items"]] == ["FRONTEND-8", "FRONTEND-7", "FRONTEND-6"]
    assert doc["next_cursor"]
    assert "[secret]" in doc["items"][0]["title"] or "[ip]" in doc["items"][0]["title"]


def test_list_issues_second_page(replay):
    first = replay("list_issues_pages", "list-issues", "--project", "backend", "--limit", "12")
    assert first.code == 0, first.err
    assert first.json["count"] == 12 and "next_cursor" not in first.json or first.json["count"] == 12


def test_issue_detail_latest_event(replay):
    result = replay("issue_detail_latest", "issue-detail", "BACKEND-B", "--latest-event")
    assert result.code == 0, result.err
    doc = result.json
    assert doc["shortId"] == "BACKEND-B" and doc["title"] == "KeyError: 'country'"
    event = doc["latestEvent"]
    assert event["exceptions"][0] == {"type": "KeyError", "value": "'country'", "mechanism": "flask",
                                      "handled": False}
    assert event["frame"]["function"] == "checkout" and event["user"] == {"id": "42"}


def test_issue_events(replay):
    url = os.environ["SENTRY_BASE_URL"] + "/organizations/acme/issues/17/"  # an issue URL of this server
    result = replay("issue_events", "issue-events", url)
    assert result.code == 0, result.err
    assert result.json["count"] == 2
    assert {e["eventID"] for e in result.json["items"]} == {"40d2f13ae1d148f8b32b22cfcafad5f3",
                                                            "74dcd623b77c40b288759bd72481546b"}


def test_event_detail_stacktrace(replay):
    result = replay("event_detail_stacktrace", "event-detail", "latest", "--issue", "20", "--stacktrace",
                    "--breadcrumbs", "3")
    assert result.code == 0, result.err
    doc = result.json
    assert doc["exceptions"][0]["type"] == "TypeError"
    assert [c["category"] for c in doc["breadcrumbs"]] == ["console"] * 3
    assert any("[email]" in c["message"] for c in doc["breadcrumbs"])


def test_event_detail_by_id_lookup(replay):
    result = replay("event_detail_lookup", "event-detail", "40d2f13ae1d148f8b32b22cfcafad5f3")
    assert result.code == 0, result.err
    assert result.json["issueId"] == "17"


def test_lookup_short_id(replay):
    result = replay("lookup_short_id", "lookup-short-id", "BACKEND-C")
    assert result.code == 0, result.err
    assert result.json["id"] == "17"


def test_not_found(replay):
    result = replay("issue_not_found", "issue-detail", "999999")
    assert result.code == 5 and result.out == ""
    assert result.error["type"] == "not_found"


def test_update_issue_archive(replay):
    with cassette("update_issue_archive") as recorded:
        result = replay_run(replay, "update-issue", "BACKEND-C", "--archive", "--for", "2h", "--allow-write")
    assert result.code == 0, result.err
    puts = [r for r in recorded.requests if r.method == "PUT"]
    assert len(puts) == 1 and puts[0].path == "/api/0/organizations/acme/issues/BACKEND-C/"
    assert json.loads(puts[0].body) == {"status": "ignored", "substatus": "archived_until_condition_met",
                                        "statusDetails": {"ignoreDuration": 120}}
    assert result.json["status"] == "ignored"


def test_delete_issue(replay):
    with cassette("delete_issue") as recorded:
        result = replay_run(replay, "delete-issue", "18", "--allow-write", "--confirm")
    assert result.code == 0, result.err
    assert [r.method for r in recorded.requests] == ["DELETE"]
    assert result.json["deleted"] == "queued"


def test_refused_write_records_nothing(replay):
    with cassette("write_refused") as recorded:
        result = replay_run(replay, "update-issue", "17", "--status", "resolved")
    assert result.code == 8 and len(recorded.requests) == 0 and len(recorded.data) == 0


def replay_run(replay, *argv):
    return replay.inside(*argv)
