"""The output stage: redaction before shaping, pruning, field choice, formats, and size."""

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from sentry_skill import event_shape, shape
from sentry_skill.output import Result, build, parse_fields, prune, render, rows_as_objects
from sentry_skill.errors import UsageError

WEB = Path(__file__).resolve().parent / "data" / "real" / "glitchtip-web"
PREFIXES = ["flask_login", "flask_checkout", "flask_orders", "flask_import", "flask_reports_chained",
            "express_typeerror", "express_rejection", "express_urlpassword"]


def issue_with_latest_event(issue, event):
    """What issue-detail --latest-event hands to the output stage."""
    return Result({"issue": issue, "latestEvent": event},
                  lambda both: event_shape.shape_issue_with_event(both["issue"], shape.ISSUE_DETAIL_DEFAULT,
                                                            both["latestEvent"]))


@pytest.mark.parametrize("prefix", PREFIXES)
def test_issue_and_latest_event_fit_in_15_percent_and_keep_the_facts(prefix):
    raw_issue = (WEB / f"{prefix}_issue.json").read_bytes()
    raw_event = (WEB / f"{prefix}_event_latest.json").read_bytes()
    document = build(issue_with_latest_event(json.loads(raw_issue), json.loads(raw_event)),
                     raw=False, redact_on=True)
    out = render(document).encode()
    assert len(out) <= 0.15 * (len(raw_issue) + len(raw_event)), (len(out), len(raw_issue) + len(raw_event))
    for key in ("title", "shortId", "status", "level", "count", "userCount", "firstSeen", "lastSeen"):
        assert key in document, key
    event = document["latestEvent"]
    for key in ("exceptions", "frame", "environment", "release", "request"):
        assert key in event, (prefix, key)
    request = event["request"]
    said = (event.get("culprit"), event["frame"]["function"], f"{request['method']} {urlsplit(request['url']).path}")
    assert json.loads(raw_event)["culprit"] in said, prefix  # said once: the frame or the request says it
    assert event["exceptions"][-1]["type"] and event["exceptions"][-1]["value"]
    assert event["frame"]["file"] and event["frame"]["line"] and event["frame"]["function"]
    assert event["request"]["url"].startswith("http")


def test_redaction_happens_before_shaping_cuts_a_string():
    email = "someone.with.a.long.name@example.com"
    issue = {"id": "1", "title": "x" * 190 + " " + email}
    document = build(Result(issue, lambda i: shape.shape_issue(i, ["title"])), raw=False, redact_on=True)
    assert "someone" not in document["title"] and "[email]" in document["title"]


def test_prune_drops_empty_values_at_every_depth_but_keeps_zero_and_false():
    assert prune({"a": None, "b": "", "c": [], "d": {}, "e": 0, "f": False, "g": {"h": [None, {}, 1]}}) == {
        "e": 0, "f": False, "g": {"h": [1]}}


def test_parse_fields():
    assert parse_fields("id, shortId", ["id", "shortId"]) == ["id", "shortId"]
    assert parse_fields(None, ["id"]) is None
    with pytest.raises(UsageError):
        parse_fields(",", ["id"])


def test_list_envelope_and_formats():
    result = Result([{"id": "1", "x": None}, {"id": "2"}], lambda i: i, is_list=True, next_cursor="c1")
    document = build(result, raw=False, redact_on=True)
    assert document == {"columns": ["id"], "items": [["1"], ["2"]], "count": 2, "next_cursor": "c1"}
    assert render(document) == '{"columns":["id"],"items":[["1"],["2"]],"count":2,"next_cursor":"c1"}'
    objects = build(result, raw=False, redact_on=True, fmt="jsonl")  # jsonl and table print objects
    assert render(objects, "jsonl").splitlines() == ['{"id":"1"}', '{"id":"2"}', '{"next_cursor":"c1"}']
    table = render(build(result, raw=False, redact_on=True, fmt="table"), "table").splitlines()
    assert table[0] == "id" and table[-1] == "(more: --cursor c1)"
    raw = build(result, raw=True, redact_on=True)
    assert raw["items"] == [{"id": "1", "x": None}, {"id": "2"}] and "columns" not in raw


def test_a_list_names_each_column_once_and_a_missing_field_is_null():
    items = [{"id": "1", "title": "a"}, {"id": "2", "level": "error"}, {}]
    document = build(Result(items, lambda i: i, is_list=True), raw=False, redact_on=True)
    assert document == {"columns": ["id", "title", "level"],
                        "items": [["1", "a", None], ["2", None, "error"], [None, None, None]], "count": 3}
    assert rows_as_objects(document)["items"] == [{"id": "1", "title": "a"}, {"id": "2", "level": "error"}, {}]
    empty = build(Result([], lambda i: i, is_list=True), raw=False, redact_on=True)
    assert empty == {"items": [], "count": 0}


def test_times_are_printed_to_the_second_and_other_text_is_not_touched():
    item = {"firstSeen": "2026-11-23T01:32:18.083Z", "dateCreated": "2023-06-21T19:50:26.036254+00:00",
            "lastSeen": "2026-11-23T01:32:18Z", "offset": "2026-11-23T01:32:18.5+02:00",
            "title": "failed at 2026-11-23T01:32:18.083Z", "version": "2026-11-23T01:32:18.083Z-build"}
    assert prune(item) == {"firstSeen": "2026-11-23T01:32:18Z", "dateCreated": "2023-06-21T19:50:26Z",
                           "lastSeen": "2026-11-23T01:32:18Z", "offset": "2026-11-23T01:32:18+02:00",
                           "title": "failed at 2026-11-23T01:32:18.083Z",
                           "version": "2026-11-23T01:32:18.083Z-build"}
    raw = build(Result(item), raw=True, redact_on=True)
    assert raw["firstSeen"] == "2026-11-23T01:32:18.083Z"  # --raw prints what the server said


def test_a_member_command_shows_its_members_name_and_email_and_no_other_command_does():
    # GlitchTip's member list (tests/data/real/glitchtip): the admin, a person of the organization.
    members = json.loads((WEB.parent / "glitchtip" / "org_members.json").read_text(encoding="utf-8"))
    shown = build(Result(members, is_list=True, people="named"), raw=True, redact_on=True)
    assert shown["items"][0]["email"] == "admin@example.com"
    assert shown["items"][0]["user"]["username"] == "admin@example.com"
    assert "lastLogin" not in shown["items"][0]["user"] and "dateJoined" not in shown["items"][0]["user"]
    hidden = build(Result(members, is_list=True), raw=True, redact_on=True)
    assert "admin@example.com" not in json.dumps(hidden)
    assert hidden["items"][0]["role"] == "owner" and hidden["items"][0]["user"]["id"] == "1"


def test_a_single_object_in_a_table_is_one_line_per_field_and_nothing_is_cut(run, standin):
    """A 60-character cell lost the frame, the environment, the URL, evidence and messages."""
    shown = run("issue-detail", "BACKEND-C", "--latest-event").json
    lines = run("issue-detail", "BACKEND-C", "--latest-event", "--format", "table").out.splitlines()
    assert [line.split(": ", 1)[0] for line in lines] == list(shown)
    assert lines[0] == "id: 17" and "shortId: BACKEND-C" in lines
    event = lines[-1].split(": ", 1)
    assert event[0] == "latestEvent" and json.loads(event[1]) == shown["latestEvent"]  # nested: compact JSON
    event_lines = run("event-detail", "latest", "--issue", "17", "--format", "table").out.splitlines()
    frame = next(line for line in event_lines if line.startswith("frame: "))
    assert json.loads(frame[len("frame: "):])["code"] == "return round(amount / installments, 2)  # ZeroDivisionError"
    assert "environment: production" in event_lines


def test_a_list_in_a_table_stays_a_table_and_a_value_keeps_one_line():
    listed = render({"items": [{"id": "1", "title": "a"}, {"id": "22", "title": "b"}], "count": 2}, "table")
    assert listed.splitlines() == ["id  title", "1   a", "22  b"]
    single = render({"id": "1", "message": "two\nlines", "n": 0, "ok": False}, "table")
    assert single.splitlines() == ["id: 1", "message: two\\nlines", "n: 0", "ok: false"]
