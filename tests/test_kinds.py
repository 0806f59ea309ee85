"""Every kind of issue and event reads right by default: performance, regression,
feedback, CSP, message and transaction, as sentry.io answers them
(tests/data/sentry-kinds/, see its README), next to GlitchTip's recorded errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from server_model import recorded
from standin import Fault

KINDS = Path(__file__).resolve().parent / "data" / "sentry-kinds"


def body(name: str):
    return json.loads((KINDS / f"{name}.json").read_text())


def serve(standin, path_regex: str, data, times: int = 1) -> None:
    standin.fail(path_regex, *[Fault(200, json.dumps(data).encode()) for _ in range(times)])


def by_short_id(doc) -> dict:
    return {item["shortId"]: item for item in doc["items"]}


def test_the_list_says_what_kind_each_issue_is_and_only_when_it_is_not_a_plain_error(run, standin):
    serve(standin, r"/organizations/acme/issues/$", body("issues"))
    result = run("list-issues")
    items = by_short_id(result.json)
    kind = ("message", "issueCategory", "issueType", "type", "substatus")
    plain = items["PUMP-STATION-1"]
    assert not set(kind) & set(plain), plain  # an ongoing error says nothing more than before
    n_plus_one = items["PUMP-STATION-2"]
    assert n_plus_one["issueCategory"] == "performance"
    assert n_plus_one["issueType"] == "performance_n_plus_one_db_queries"
    assert n_plus_one["substatus"] == "new" and "type" not in n_plus_one
    assert n_plus_one["message"].startswith('SELECT "books_author"."id"')
    assert items["PUMP-STATION-3"]["substatus"] == "regressed" and "issueCategory" not in items["PUMP-STATION-3"]
    assert items["PUMP-STATION-4"]["issueType"] == "performance_p95_endpoint_regression"
    assert items["PUMP-STATION-4"]["message"] == "Increased from 120.5ms to 480.2ms (P95)"
    assert items["PUMP-STATION-5"]["type"] == "csp" and "message" not in items["PUMP-STATION-5"]
    assert items["PUMP-STATION-6"]["type"] == "default"
    feedback = items["PUMP-STATION-7"]
    assert feedback["issueCategory"] == "feedback" and "issueType" not in feedback  # same word twice
    assert feedback["message"] == "The checkout button does nothing on the second try"
    assert "Plantie" not in result.out and "planted.feedback" not in result.out  # the author stays in metadata


def test_asked_for_by_name_a_kind_field_is_shown_even_when_it_says_error(run, standin):
    serve(standin, r"/organizations/acme/issues/$", body("issues"))
    doc = run("list-issues", "--fields", "shortId,issueCategory,issueType,type,substatus").json
    assert doc["items"][0] == {"shortId": "PUMP-STATION-1", "issueCategory": "error", "issueType": "error",
                               "type": "error", "substatus": "ongoing"}


def test_glitchtip_errors_print_as_before_and_its_message_issues_say_default(run, glitchtip):
    doc = run("list-issues", "--query", "", "--limit", "100").json
    kinds = {item["shortId"]: {k for k in ("message", "issueCategory", "issueType", "type", "substatus")
                               if k in item} for item in doc["items"]}
    raw = {i["shortId"]: i for i in recorded("org_issues_backend") + recorded("org_issues_frontend")}
    for short_id, shown in kinds.items():
        assert shown == ({"type"} if raw[short_id]["type"] == "default" else set()), short_id
    assert any(shown for shown in kinds.values())  # the recordings hold message issues


def test_issue_detail_leaves_out_tags_which_no_real_server_fills(run, standin):
    """sentry.io's issue detail names tag keys without top values; GlitchTip's has no tags."""
    from sentry_skill.commands import find

    detail = body("issue_detail")
    assert detail["tags"] and not any("topValues" in tag for tag in detail["tags"])
    assert "tags" not in recorded("flask_orders_issue")
    assert "tags" not in find("issue-detail").default_fields


def test_issue_detail_of_a_feedback_shows_its_text(run, standin):
    feedback = {**body("issue_detail"), **body("issues")[6]}
    serve(standin, r"/organizations/acme/issues/PUMP-STATION-7/$", feedback)
    doc = run("issue-detail", "PUMP-STATION-7").json
    assert doc["message"] == "The checkout button does nothing on the second try"
    assert doc["issueCategory"] == "feedback" and doc["substatus"] == "new"
    assert "Plantie" not in json.dumps(doc) and "planted.feedback" not in json.dumps(doc)


@pytest.mark.parametrize("name", ["event_transaction", "event_performance"])
def test_a_transaction_without_date_created_still_says_when(run, standin, name):
    event = body(name)
    assert "dateCreated" not in event  # sentry.io's transaction events have none
    serve(standin, r"/projects/acme/backend/events/", event)
    doc = run("event-detail", event["eventID"], "--project", "backend").json
    assert doc["dateCreated"] == "2026-11-23T01:30:02Z"  # its end: when a transaction happened
    assert doc["transaction"] == "/books/"


def test_a_transaction_in_a_list_of_events_says_when_too(run, standin):
    serve(standin, r"/issues/BACKEND-C/events/$", [body("event_performance")])
    doc = run("issue-events", "BACKEND-C").json
    assert doc["items"][0]["dateCreated"] == "2026-11-23T01:30:02Z"


def test_a_performance_event_shows_its_evidence_once(run, standin):
    serve(standin, r"/issues/PUMP-STATION-2/events/latest/$", body("event_performance"))
    doc = run("event-detail", "latest", "--issue", "PUMP-STATION-2").json
    assert doc["evidence"] == {"Offending Spans": 'db - SELECT "books_author"."id", "books_author"."name" '
                                                  'FROM "books_author" WHERE "books_author"."id" = %s'}
    assert doc["title"] == "N+1 Query" and "issueTitle" not in doc  # the same words once


def test_a_feedback_event_shows_the_text_and_not_who_wrote_it(run, standin):
    serve(standin, r"/issues/PUMP-STATION-7/events/latest/$", body("event_feedback"))
    result = run("event-detail", "latest", "--issue", "PUMP-STATION-7")
    doc = result.json
    assert doc["message"] == "The checkout button does nothing on the second try"
    assert "evidence" not in doc  # the text is the message already; the rest names the author
    assert "Plantie" not in result.out and "planted.feedback" not in result.out


def test_a_csp_report_shows_the_blocked_uri_and_directive(run, standin):
    serve(standin, r"/issues/PUMP-STATION-5/events/latest/$", body("event_csp"))
    doc = run("event-detail", "latest", "--issue", "PUMP-STATION-5").json
    assert doc["csp"]["blocked_uri"] == "https://evil.example/x.js"
    assert doc["csp"]["violated_directive"] == "script-src 'self'"
    assert doc["type"] == "csp"


def test_a_message_event_finds_its_culprit_frame_in_the_thread_stack(run, standin):
    """The Python SDK sends capture_message's stack (attach_stacktrace) under `threads`."""
    serve(standin, r"/issues/PUMP-STATION-6/events/latest/$", body("event_message_threads"), times=2)
    doc = run("event-detail", "latest", "--issue", "PUMP-STATION-6").json
    assert doc["frame"] == {"file": "app.py", "line": 68, "function": "order",
                            "code": "return jsonify(_order_summary(order_id))"}
    frames = run("event-detail", "latest", "--issue", "PUMP-STATION-6", "--stacktrace").json["stacktrace"]
    assert frames[0] == {"libraryFrames": 4} and frames[1]["function"] == "order"
    assert frames[2] == {"libraryFrames": 1}  # the SDK's own capture_message
    assert frames[1]["vars"] == {"order_id": "1002"}


def test_all_frames_shows_library_frames_compact_and_in_app_frames_as_before(run, standin):
    plain = run("event-detail", "latest", "--issue", "BACKEND-C", "--stacktrace").json["stacktrace"]
    every = run("event-detail", "latest", "--issue", "BACKEND-C", "--stacktrace", "--all-frames").json["stacktrace"]
    assert plain[0] == {"libraryFrames": 4}
    assert every[:4] == [{"library": "flask/app.py:1511 wsgi_app"}, {"library": "flask/app.py:919 full_dispatch_request"},
                         {"library": "flask/app.py:917 full_dispatch_request"},
                         {"library": "flask/app.py:902 dispatch_request"}]
    assert every[4:] == plain[1:]  # the in-app frames keep their source lines and variables
    issue = run("issue-detail", "BACKEND-C", "--latest-event", "--stacktrace", "--all-frames").json
    assert issue["latestEvent"]["stacktrace"] == every


def test_all_frames_on_an_event_with_no_in_app_frame(run, standin):
    """The spec's example event: every frame is a library frame."""
    serve(standin, r"/issues/1/events/latest/$", body("event_error"))
    frames = run("event-detail", "latest", "--issue", "1", "--stacktrace", "--all-frames").json["stacktrace"]
    assert frames == [{"library": "/usr/src/getsentry/src/sentry/node_modules/@sentry/browser/esm/helpers.js:71 "
                                  "ignoreOnError"},
                      {"library": "/usr/src/getsentry/src/sentry/node_modules/reflux-core/lib/PublisherMethods.js:74 "
                                  "apply"}]


@pytest.mark.parametrize("argv", [["event-detail", "latest", "--issue", "17", "--all-frames"],
                                  ["issue-detail", "17", "--latest-event", "--all-frames"]])
def test_all_frames_needs_stacktrace(run, standin, argv):
    result = run(*argv)
    assert result.code == 2 and "--stacktrace" in result.error["message"] and standin.log == []
