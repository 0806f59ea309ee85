"""Shaping tolerates every event kind and both key styles."""

import json
from pathlib import Path

from sentry_skill import event_shape, shape


def test_code_line_from_context_when_context_line_is_missing():
    frame = {"filename": "app.py", "lineNo": 3, "function": "f", "inApp": True,
             "context": [[2, "a = 1"], [3, "    boom()"], [4, "b = 2"]]}
    event = {"entries": [{"type": "exception", "data": {"values": [{"type": "E", "stacktrace": {"frames": [frame]}}]}}]}
    assert event_shape.culprit_frame(event) == {"file": "app.py", "line": 3, "function": "f", "code": "boom()"}


def test_events_of_every_kind_shape_without_error():
    kinds = [
        {},
        {"type": "default", "title": "hello", "message": "hello", "entries": [{"type": "message", "data": {"formatted": "hello"}}]},
        {"type": "csp", "title": "Blocked 'script'", "entries": [{"type": "csp", "data": {"blocked_uri": "x"}}]},
        {"type": "transaction", "title": "GET /", "entries": [{"type": "spans", "data": []}]},
        {"type": "generic", "title": "N+1", "occurrence": {"evidenceDisplay": []}, "entries": None, "tags": None},
        {"type": "error", "entries": [{"type": "exception", "data": {"values": [{"stacktrace": None}]}}], "contexts": {"os": "str"}},
        {"event_id": "a" * 32, "date_created": "2026-11-23T00:00:00Z", "tags": [["environment", "prod"]]},
    ]
    for event in kinds:
        out = event_shape.shape_event(event, stacktrace=True, breadcrumbs=3)
        assert isinstance(out, dict)
        summary = event_shape.shape_event_summary(event, event_shape.EVENT_LIST_DEFAULT)
        assert isinstance(summary, dict)
    assert event_shape.shape_event_summary(kinds[-1], ["eventID", "environment"]) == {"eventID": "a" * 32, "environment": "prod"}


def test_clip_marks_what_it_cut():
    assert shape.clip("x" * 10, 4) == "xxxx…[+6 chars]"
    assert shape.clip("short", 10) == "short"


def test_issue_shapes_counts_as_numbers_and_assignee():
    # spec: Sentry's actor form; a team's `name` is its slug, a user's is the person's name.
    issue = {"id": "1", "count": "42", "userCount": 3, "project": {"slug": "backend"},
             "assignedTo": {"type": "team", "id": "9", "name": "core"}}
    out = shape.shape_issue(issue, ["count", "userCount", "project", "assignedTo"])
    assert out == {"count": 42, "userCount": 3, "project": "backend", "assignedTo": "team:core"}
    user = {"type": "user", "id": "1", "name": "John Doe", "email": "john.doe@example.com"}
    assert shape.shape_issue({"assignedTo": user}, ["assignedTo"]) == {"assignedTo": "user:1"}
    assert shape.shape_issue({"assignedTo": {"name": "John Doe"}}, ["assignedTo"]) == {"assignedTo": None}


def test_every_person_in_a_compact_view_is_a_user_reference():
    people = json.loads((Path(__file__).parent / "data" / "spec" / "people.json").read_text(encoding="utf-8"))
    actor = people["member"]["user"]  # spec: statusDetails.actor is a whole serialized user
    issue = {"statusDetails": {"ignoreCount": 50, "actor": actor}}
    assert shape.shape_issue(issue, ["statusDetails"]) == {
        "statusDetails": {"ignoreCount": 50, "actor": "user:280094367316"}}
    assert shape.shape_issue({"statusDetails": {}}, ["statusDetails"]) == {"statusDetails": {}}


def test_csp_and_generic_events_say_what_they_are():
    csp = {"type": "csp", "title": "Blocked 'script' from 'evil.example'",
           "entries": [{"type": "csp", "data": {"blocked_uri": "https://evil.example/x.js",
                                                "violated_directive": "script-src 'self'", "extra": "x"}}]}
    out = event_shape.shape_event(csp)
    assert out["csp"]["blocked_uri"] == "https://evil.example/x.js"
    assert out["csp"]["violated_directive"] == "script-src 'self'"
    generic = {"type": "generic", "title": "N+1 Query",
               "occurrence": {"issueTitle": "N+1 Query", "evidenceDisplay": [
                   {"name": "Offending Spans", "value": "SELECT * FROM users WHERE id = %s", "important": True}]}}
    out = event_shape.shape_event(generic)
    assert out["evidence"] == {"Offending Spans": "SELECT * FROM users WHERE id = %s"}
    assert event_shape.shape_event({"type": "transaction", "transaction": "GET /api"})["transaction"] == "GET /api"
