"""issue-tags, issue-detail --tags, issue-hashes and list-events, on both dialects and on
GlitchTip's real answers (tests/data/standin: issue_tags*, issue_hashes; tests/data/real:
the per-issue tags of the web apps, a project's whole events)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from server_model import DATA, recorded
from standin import Fault

REAL = Path(__file__).parent / "data" / "real"


def body(path: Path) -> bytes:
    return path.read_bytes()


# --- issue-tags ----------------------------------------------------------------------


def test_glitchtip_tags_of_a_short_id_come_from_the_older_path_compact_and_redacted(run, glitchtip):
    """GlitchTip's real answer for issue 1: keys in no order, each value named twice."""
    glitchtip.fail(r"^/api/0/issues/1/tags/$", Fault(200, body(DATA / "issue_tags.json")))
    result = run("issue-tags", "1")
    assert result.code == 0, result.err
    assert glitchtip.paths() == ["/api/0/organizations/acme/issues/1/tags/", "/api/0/issues/1/tags/"]
    items = result.json["items"]
    assert [item["key"] for item in items] == sorted(item["key"] for item in items)  # all on 2 events: by name
    email = next(item for item in items if item["key"] == "user.email")
    assert email == {"key": "user.email", "totalValues": 2, "uniqueValues": 2,
                     "topValues": [{"value": "[email]", "count": 1, "share": 0.5}] * 2}
    service = next(item for item in items if item["key"] == "service")
    assert service["topValues"] == [{"value": "backend", "count": 2, "share": 1.0}]
    assert "john.doe" not in result.out and "jane+test" not in result.out
    assert len(result.out) < len(body(DATA / "issue_tags.json"))


def test_the_models_glitchtip_tags_match_the_recorded_answer(run, glitchtip):
    """The stand-in sums the events' tags as GlitchTip does: the same answer it gave for BACKEND-C."""
    recorded_answer = json.loads((REAL / "glitchtip-web" / "flask_orders_tags.json").read_text())
    raw = run("issue-tags", "17", "--raw", "--no-redact").json["items"]
    def as_set(tags):
        return {(t["key"], t["totalValues"], t["uniqueValues"], tuple((v["value"], v["count"]) for v in t["topValues"]))
                for t in tags}
    assert as_set(raw) == as_set(recorded_answer)


def test_glitchtip_key_values_are_paged_here_from_its_one_answer(run, glitchtip):
    glitchtip.fail(r"^/api/0/issues/1/tags/$", *[Fault(200, body(DATA / "issue_tags_key_param.json"))] * 2)
    first = run("issue-tags", "1", "--key", "environment", "--limit", "1")
    assert first.code == 0, first.err
    assert first.json["items"] == [{"value": "production", "count": 1, "share": 0.5}]
    # The values route is missing there (a 500 page): the older path, with ?key=.
    assert glitchtip.paths() == ["/api/0/organizations/acme/issues/1/tags/environment/values/",
                                 "/api/0/issues/1/tags/"]
    assert glitchtip.log[-1]["query"]["key"] == ["environment"]
    second = run("issue-tags", "1", "--key", "environment", "--limit", "1", "--cursor", first.json["next_cursor"])
    assert second.json["items"] == [{"value": "staging", "count": 1, "share": 0.5}]
    assert "next_cursor" not in second.json


def test_sentry_key_values_follow_the_servers_pages(run, standin):
    result = run("issue-tags", "BACKEND-C", "--key", "user.email", "--limit", "5")
    assert result.code == 0, result.err
    assert standin.paths() == ["/api/0/organizations/acme/issues/BACKEND-C/tags/user.email/values/"]
    assert standin.log[0]["query"]["per_page"] == ["5"]
    [item] = result.json["items"]
    assert item["value"] == "[email]" and item["count"] == 2 and item["firstSeen"] and "share" not in item


def test_issue_tags_cuts_top_values_and_keys(run, standin):
    many = [{"key": "k", "name": "k", "totalValues": 10, "uniqueValues": 7,
             "topValues": [{"key": "k", "name": str(n), "value": str(n), "count": n} for n in range(1, 8)]},
            {"key": "rare", "name": "rare", "totalValues": 1, "uniqueValues": 1,
             "topValues": [{"key": "rare", "value": "x", "count": 1}]}]
    standin.fail(r"/tags/$", Fault(200, json.dumps(many).encode()))
    result = run("issue-tags", "BACKEND-C", "--limit", "1")
    [tag] = result.json["items"]
    assert "1 more tag keys" in result.err
    assert tag["key"] == "k" and [v["value"] for v in tag["topValues"]] == ["7", "6", "5", "4", "3"]
    assert tag["topValues"][0]["share"] == 0.7


@pytest.mark.parametrize("argv, says", [
    (("--cursor", "0:1:0"), "--cursor goes with --key"),
    (("--fields", "value"), "does not apply without --key"),
    (("--key", "environment", "--fields", "topValues"), "does not apply with --key"),
    (("--key", "a/b"), "is not a tag key"),
    (("--key", " "), "is not a tag key"),
])
def test_bad_tag_options_exit_2_before_any_request(run, standin, argv, says):
    result = run("issue-tags", "BACKEND-C", *argv)
    assert result.code == 2 and says in result.error["message"] and standin.log == []


# --- issue-detail --tags ------------------------------------------------------------------


def test_issue_detail_with_tags_asks_both_at_once(run, standin):
    """Each answer takes 0.3 s: one after the other would need 0.6 s."""
    issue = json.dumps(recorded("flask_orders_issue")).encode()
    tags = body(REAL / "glitchtip-web" / "flask_orders_tags.json")
    standin.fail(r"/issues/17/$", Fault(200, issue, delay=0.3))
    standin.fail(r"/issues/17/tags/$", Fault(200, tags, delay=0.3))
    started = time.monotonic()
    result = run("issue-detail", "17", "--tags")
    elapsed = time.monotonic() - started
    assert result.code == 0, result.err
    assert len(standin.log) == 2 and elapsed < 0.55, elapsed
    doc = result.json
    assert doc["shortId"] == "BACKEND-C"
    email = next(tag for tag in doc["tags"] if tag["key"] == "user.email")
    assert email["topValues"] == [{"value": "[email]", "count": 2, "share": 1.0}]
    assert "card.holder" not in result.out


@pytest.mark.parametrize("dialect", ["standin", "glitchtip"])
def test_issue_detail_with_tags_and_latest_event(run, request, dialect):
    server = request.getfixturevalue(dialect)
    result = run("issue-detail", "BACKEND-C", "--tags", "--latest-event")
    assert result.code == 0, result.err
    doc = result.json
    assert doc["latestEvent"]["eventID"] and {tag["key"] for tag in doc["tags"]} >= {"environment", "release"}
    raw = run("issue-detail", "BACKEND-C", "--tags", "--raw").json
    assert set(raw) == {"issue", "tags"} and any(path.endswith("/tags/") for path in server.paths())


# --- issue-hashes -------------------------------------------------------------------------


def test_glitchtip_hashes_take_the_numeric_id(run, glitchtip):
    """GlitchTip routes hashes on the organization path for numeric ids only (a short id there is a 500 page)."""
    glitchtip.fail(r"^/api/0/organizations/acme/issues/17/hashes/$", Fault(200, body(DATA / "issue_hashes.json")))
    result = run("issue-hashes", "BACKEND-C")
    assert result.code == 0, result.err
    paths = glitchtip.paths()
    assert paths[0] == "/api/0/organizations/acme/issues/BACKEND-C/hashes/"
    assert paths[-1] == "/api/0/organizations/acme/issues/17/hashes/"
    assert glitchtip.log[-1]["query"]["limit"] == ["25"]
    [item] = result.json["items"]
    assert item == {"id": "3039f7c0cc2b2b398933e31a7eb56b76", "eventID": "be412b0f826f4868985c233e6cce81e0",
                    "title": "ValueError: Invalid login for [email]", "culprit": "__main__ in raise_and_capture",
                    "dateCreated": "2026-12-01T09:31:46Z"}


def test_sentry_hashes_page_by_per_page(run, standin):
    result = run("issue-hashes", "BACKEND-C", "--limit", "3")
    assert result.code == 0, result.err
    assert standin.paths() == ["/api/0/organizations/acme/issues/BACKEND-C/hashes/"]
    assert standin.log[0]["query"]["per_page"] == ["3"]
    assert result.json["items"][0]["eventID"] == "40d2f13ae1d148f8b32b22cfcafad5f3"


# --- list-events --------------------------------------------------------------------------


def test_glitchtip_project_events_are_whole_events_printed_compact(run, glitchtip):
    """GlitchTip's real answer: whole events with user, request and frames; only summaries print."""
    answer = body(REAL / "glitchtip-api" / "project_events.json")
    glitchtip.fail(r"^/api/0/projects/acme/backend/events/$", Fault(200, answer))
    result = run("list-events", "--project", "backend", "--limit", "5")
    assert result.code == 0, result.err
    assert glitchtip.log[0]["query"]["limit"] == ["5"] and glitchtip.log[0]["query"]["per_page"] == ["5"]
    items = result.json["items"]
    assert [item["eventID"] for item in items] == ["206903bda5714b95862f345278c864ed", "cbcd5ba879a94f34a2136c57d8d6763e"]
    assert items[1]["title"] == "KeyError: 'country'" and items[1]["user"] == {"id": "42"}
    for planted in ("leaky.person", "203.0.113.77", "2001:db8:85a3", "import.victim"):
        assert planted not in result.out
    assert len(result.out) * 10 < len(answer)


def test_list_events_needs_a_project(run, standin, monkeypatch):
    monkeypatch.delenv("SENTRY_PROJECT", raising=False)
    result = run("list-events")
    assert result.code in (2, 3) and standin.log == []


@pytest.mark.parametrize("dialect", ["standin", "glitchtip"])
def test_list_events_pages_over_the_project(run, request, dialect):
    server = request.getfixturevalue(dialect)
    first = run("list-events", "--project", "backend", "--limit", "1")
    assert first.code == 0 and first.json["count"] == 1 and first.json["next_cursor"]
    second = run("list-events", "--project", "backend", "--limit", "5", "--cursor", first.json["next_cursor"])
    assert second.json["items"][0]["eventID"] != first.json["items"][0]["eventID"]
    assert all(path == "/api/0/projects/acme/backend/events/" for path in server.paths())
