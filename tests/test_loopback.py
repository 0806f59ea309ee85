"""The five read commands against a Sentry-compatible server on 127.0.0.1.

Both dialects are covered: sentry.io's organization-scoped paths, and
GlitchTip's, where the client must fall back to the older paths.
"""

from __future__ import annotations

import json

import pytest

from server_model import recorded
from standin import TOKEN, Fault

PLANTED = ["card.holder@example.com", "198.51.100.23", "4111111111111111", "AKIAPLANTEDKEY12345678",
           "node.shopper@example.com", "203.0.113.77", "planted-Password!2024",
           "2001:db8:85a3::8a2e:370:7334", "leaky.person@example.com", "cardholder",
           "hunter2-planted-password", "sntryu_planted", "standin-token"]


def assert_clean(result):
    for text in (result.out, result.err):
        for planted in PLANTED:
            assert planted not in text, planted


@pytest.mark.parametrize("dialect", ["standin", "glitchtip"])
def test_list_issues(run, request, dialect):
    server = request.getfixturevalue(dialect)
    result = run("list-issues", "--limit", "5")
    assert result.code == 0, result.err
    doc = result.json
    assert doc["count"] == 5 and len(doc["items"]) == 5
    assert doc["next_cursor"]
    first = doc["items"][0]
    assert set(first) <= {"id", "shortId", "title", "status", "level", "count", "userCount",
                          "firstSeen", "lastSeen", "project", "assignedTo"}
    assert isinstance(first["count"], int)
    assert server.log[0]["query"]["query"] == ["is:unresolved"]
    assert server.log[0]["query"]["limit"] == ["5"]
    assert_clean(result)


@pytest.mark.parametrize("dialect", ["standin", "glitchtip"])
def test_issue_detail_with_latest_event(run, request, dialect):
    server = request.getfixturevalue(dialect)
    result = run("issue-detail", "BACKEND-C", "--latest-event")
    assert result.code == 0, result.err
    doc = result.json
    assert doc["id"] == "17" and doc["shortId"] == "BACKEND-C"
    event = doc["latestEvent"]
    assert event["exceptions"][0]["type"] == "ZeroDivisionError"
    assert event["frame"] == {"file": "app.py", "line": 81, "function": "_charge_installment",
                              "code": "return round(amount / installments, 2)  # ZeroDivisionError"}
    assert event["environment"] == "production" and event["release"] == "shop@2.4.1"
    assert event["user"] == {"id": "7"}
    assert "stacktrace" not in event
    assert_clean(result)
    assert set(server.paths()) and all(m == "GET" for m in (e["method"] for e in server.log))
    if dialect == "standin":
        assert len(server.log) == 2  # issue and latest event, sent concurrently
    else:
        assert "/api/0/issues/17/" in server.paths()
        assert "/api/0/issues/17/events/latest/" in server.paths()


@pytest.mark.parametrize("dialect", ["standin", "glitchtip"])
def test_issue_events(run, request, dialect):
    request.getfixturevalue(dialect)
    result = run("issue-events", "17")
    assert result.code == 0, result.err
    doc = result.json
    assert doc["count"] == 2
    assert [e["url"] for e in doc["items"]] == ["http://127.0.0.1:5077/orders/1002",
                                                "http://127.0.0.1:5077/orders/1001"]
    assert all(e["user"] == {"id": "7"} for e in doc["items"])
    assert_clean(result)


@pytest.mark.parametrize("dialect", ["standin", "glitchtip"])
def test_issue_events_page_by_page_lose_nothing(run, request, dialect):
    """Sentry pages an issue's events by per_page, GlitchTip by limit: one at a time, both arrive."""
    request.getfixturevalue(dialect)
    first = run("issue-events", "17", "--limit", "1")
    assert first.code == 0, first.err
    assert first.json["count"] == 1 and first.json["next_cursor"]
    second = run("issue-events", "17", "--limit", "1", "--cursor", first.json["next_cursor"])
    assert second.code == 0, second.err
    assert [e["url"] for e in first.json["items"] + second.json["items"]] == [
        "http://127.0.0.1:5077/orders/1002", "http://127.0.0.1:5077/orders/1001"]
    assert "next_cursor" not in second.json


@pytest.mark.parametrize("dialect", ["standin", "glitchtip"])
def test_event_detail_latest_with_stacktrace(run, request, dialect):
    request.getfixturevalue(dialect)
    result = run("event-detail", "latest", "--issue", "BACKEND-C", "--stacktrace")
    assert result.code == 0, result.err
    frames = result.json["stacktrace"]
    in_app = [f for f in frames if "function" in f]
    assert [f["function"] for f in in_app] == ["order", "_order_summary", "_charge_installment"]
    assert frames[0] == {"libraryFrames": 4}
    innermost = in_app[-1]
    assert any(line.startswith("81>") for line in innermost["context"])
    assert innermost["vars"]["card_number"] != "'4111111111111111'"
    assert_clean(result)


ISSUE_FACTS = {"issueId": "17", "shortId": "BACKEND-C", "project": "backend", "issueStatus": "unresolved"}


def _facts(doc) -> dict:
    return {key: doc.get(key) for key in ISSUE_FACTS}


@pytest.mark.parametrize("dialect", ["standin", "glitchtip"])
def test_event_detail_by_id_is_looked_up_and_names_its_issue(run, request, dialect):
    server = request.getfixturevalue(dialect)
    result = run("event-detail", "74dcd623b77c40b288759bd72481546b")
    assert result.code == 0, result.err
    assert result.json["eventID"] == "74dcd623b77c40b288759bd72481546b"
    assert result.json["request"]["url"].endswith("/orders/1001")
    assert _facts(result.json) == ISSUE_FACTS
    assert list(result.json)[:5] == ["eventID", *ISSUE_FACTS]
    if dialect == "standin":  # sentry.io: the eventids answer, then the issue it names
        assert server.paths() == ["/api/0/organizations/acme/eventids/74dcd623b77c40b288759bd72481546b/",
                                  "/api/0/organizations/acme/issues/17/"]
    else:  # the search that finds the event's issue already holds its short id and status
        assert not any(path.endswith("/issues/17/") for path in server.paths())


@pytest.mark.parametrize("dialect", ["standin", "glitchtip"])
def test_event_detail_through_its_issue_gets_both_at_the_same_time(run, request, dialect):
    server = request.getfixturevalue(dialect)
    result = run("event-detail", "latest", "--issue", "BACKEND-C")
    assert result.code == 0, result.err
    assert _facts(result.json) == ISSUE_FACTS
    if dialect == "standin":
        assert sorted(server.paths()) == ["/api/0/organizations/acme/issues/BACKEND-C/",
                                          "/api/0/organizations/acme/issues/BACKEND-C/events/latest/"]


def test_event_detail_with_project_takes_the_event_then_its_issue(run, standin):
    result = run("event-detail", "74dcd623-b77c-40b2-8875-9bd72481546b", "--project", "backend")
    assert result.code == 0, result.err
    assert _facts(result.json) == ISSUE_FACTS
    assert standin.paths() == ["/api/0/projects/acme/backend/events/74dcd623b77c40b288759bd72481546b/",
                               "/api/0/organizations/acme/issues/17/"]


def test_event_detail_fields_without_issue_facts_ask_for_the_event_only(run, standin):
    result = run("event-detail", "74dcd623b77c40b288759bd72481546b", "--project", "backend",
                 "--fields", "eventID,issueId,title")
    assert result.code == 0 and set(result.json) == {"eventID", "issueId", "title"}
    assert len(standin.log) == 1


def test_event_detail_still_prints_the_event_when_its_issue_cannot_be_read(run, standin):
    standin.fail(r"/organizations/acme/issues/17/$", Fault(403, b'{"detail":"You do not have permission."}'))
    result = run("event-detail", "74dcd623b77c40b288759bd72481546b", "--project", "backend")
    assert result.code == 0 and result.json["eventID"] == "74dcd623b77c40b288759bd72481546b"
    assert "shortId" not in result.json and result.json["issueId"] == "17"
    assert "403" in result.err and "event:read" in result.err


@pytest.mark.parametrize("dialect", ["standin", "glitchtip"])
def test_lookup_short_id(run, request, dialect):
    request.getfixturevalue(dialect)
    result = run("lookup-short-id", "frontend-6")
    assert result.code == 0, result.err
    assert result.json == {"id": "20", "shortId": "FRONTEND-6",
                           "title": "TypeError: Cannot read properties of undefined (reading 'address')",
                           "project": "frontend", "status": "unresolved"}


@pytest.mark.parametrize("dialect", ["standin", "glitchtip"])
def test_short_id_numeric_id_and_url_reach_the_same_issue(run, request, dialect):
    server = request.getfixturevalue(dialect)
    forms = ["BACKEND-B", "16", f"{server.url}/organizations/acme/issues/16/",
             f"{server.url}/organizations/acme/issues/BACKEND-B/events/latest/"]
    answers = []
    for form in forms:
        result = run("issue-detail", form)
        assert result.code == 0, (form, result.err)
        answers.append(result.json)
    assert all(answer == answers[0] for answer in answers)
    assert answers[0]["shortId"] == "BACKEND-B"


def test_250_issues_with_limit_120_take_two_requests(run, standin_factory):
    server = standin_factory("sentry", generated_issues=250)
    result = run("list-issues", "--limit", "120")
    assert result.code == 0, result.err
    doc = result.json
    assert doc["count"] == 120 and len({i["id"] for i in doc["items"]}) == 120
    assert [e["query"]["limit"] for e in server.log] == [["100"], ["20"]]
    assert doc["next_cursor"]
    more = run("list-issues", "--limit", "200", "--cursor", doc["next_cursor"])
    assert more.json["count"] == 130 and "next_cursor" not in more.json
    assert not {i["id"] for i in doc["items"]} & {i["id"] for i in more.json["items"]}


def test_glitchtip_link_header_is_parsed(run, standin_factory):
    server = standin_factory("glitchtip", generated_issues=30)
    result = run("list-issues", "--limit", "25", "--query", "")
    assert result.code == 0, result.err
    assert result.json["count"] == 25
    assert len(server.log) == 1


def test_one_503_then_success(run, standin):
    standin.fail(r"/issues/17/$", Fault(503, b'{"detail":"unavailable"}'))
    result = run("issue-detail", "17")
    assert result.code == 0, result.err
    assert result.json["id"] == "17"
    assert standin.paths().count("/api/0/organizations/acme/issues/17/") == 2
    assert run.sleeps  # waited (with the fake sleep) before the retry
    assert "retrying once" in result.err


def test_two_503s_give_exit_6_and_nothing_on_stdout(run, standin):
    standin.fail(r"/issues/17/$", Fault(503), Fault(503), Fault(503))
    result = run("issue-detail", "17")
    assert result.code == 6
    assert result.out == ""
    assert result.error["status"] == 503
    assert standin.paths().count("/api/0/organizations/acme/issues/17/") == 2


def test_token_is_sent_and_never_printed(run, standin):
    result = run("issue-detail", "17", "--verbose")
    assert result.code == 0
    assert standin.log[0]["headers"]["Authorization"] == f"Bearer {TOKEN}"
    assert "standin-token" not in result.out + result.err
    assert "GET /api/0/organizations/acme/issues/17/" in result.err


def test_read_commands_send_only_get(run, glitchtip):
    for argv in (["list-issues"], ["issue-detail", "BACKEND-C", "--latest-event"], ["issue-events", "17"],
                 ["event-detail", "latest", "--issue", "17"], ["lookup-short-id", "BACKEND-A"]):
        assert run(*argv).code == 0, argv
    assert {entry["method"] for entry in glitchtip.log} == {"GET"}


def test_unknown_issue_is_exit_5(run, standin):
    result = run("issue-detail", "999999")
    assert result.code == 5 and result.out == ""
    assert result.error["type"] == "not_found"


def test_unknown_short_id_on_glitchtip_is_exit_5(run, glitchtip):
    result = run("lookup-short-id", "BACKEND-ZZZ")
    assert result.code == 5
    assert "BACKEND-ZZZ" in result.error["message"]


def test_raw_is_whole_but_redacted(run, standin):
    result = run("issue-detail", "17", "--latest-event", "--raw")
    assert result.code == 0
    raw = result.json
    assert set(raw) == {"issue", "latestEvent"}
    assert "entries" in raw["latestEvent"]
    assert_clean(result)
    request_entry = next(e for e in raw["latestEvent"]["entries"] if e["type"] == "request")
    assert "headers" not in request_entry["data"] and "cookies" not in request_entry["data"]


def test_formats(run, standin):
    lines = run("list-issues", "--limit", "3", "--format", "jsonl").out.splitlines()
    assert len(lines) == 4 and json.loads(lines[-1])["next_cursor"]
    table = run("list-issues", "--limit", "2", "--format", "table").out.splitlines()
    assert table[0].split()[:2] == ["id", "shortId"] and len(table) == 4


def test_issue_and_latest_event_are_fetched_concurrently(run, standin):
    # Both answers take 0.6 s: one after the other would need 1.2 s.
    import time
    issue = json.dumps(recorded("flask_orders_issue")).encode()
    event = json.dumps(recorded("flask_orders_event_latest")).encode()
    standin.fail(r"/issues/17/$", Fault(200, issue, delay=0.6))
    standin.fail(r"/issues/17/events/latest/$", Fault(200, event, delay=0.6))
    started = time.monotonic()
    result = run("issue-detail", "17", "--latest-event")
    elapsed = time.monotonic() - started
    assert result.code == 0 and result.json["latestEvent"]["eventID"]
    assert len(standin.log) == 2
    assert elapsed < 1.1, elapsed


@pytest.mark.parametrize("dialect", ["standin", "glitchtip"])
def test_latest_event_gone_still_prints_the_issue(run, request, dialect):
    """BACKEND-A has no stored event (past retention): the issue is still the answer."""
    server = request.getfixturevalue(dialect)
    result = run("issue-detail", "BACKEND-A", "--latest-event", "--stacktrace")
    assert result.code == 0, result.err
    doc = result.json
    assert doc["shortId"] == "BACKEND-A" and doc["status"] == "unresolved"
    assert set(doc["latestEvent"]) == {"unavailable"} and "404" in doc["latestEvent"]["unavailable"]
    assert any(path.endswith("/events/latest/") for path in server.paths())
    raw = run("issue-detail", "BACKEND-A", "--latest-event", "--raw").json
    assert raw["issue"]["shortId"] == "BACKEND-A" and set(raw["latestEvent"]) == {"unavailable"}


def test_latest_event_marker_survives_a_small_budget(run, standin):
    doc = run("issue-detail", "BACKEND-A", "--latest-event", "--max-bytes", "500").json
    assert set(doc["latestEvent"]) == {"unavailable"}


def test_only_a_404_of_the_event_is_taken_for_a_missing_event(run, standin):
    standin.fail(r"/issues/BACKEND-C/events/latest/$", Fault(500, b'{"detail":"Internal Error"}'))
    assert run("issue-detail", "BACKEND-C", "--latest-event").code == 6
    missing = run("issue-detail", "BACKEND-ZZ", "--latest-event")  # the issue itself: still exit 5
    assert missing.code == 5 and missing.out == ""
