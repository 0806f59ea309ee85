"""--max-bytes: least useful parts go first, every cut is named, nothing is cut silently."""

import copy
import json

from sentry_skill import budget, shape
from server_model import recorded
from standin import Fault


def big_event(frames=60):
    """The recorded BACKEND-C event with its in-app frames repeated, as a deep stack would be."""
    event = recorded("flask_orders_event_latest")
    exception = next(e for e in event["entries"] if e["type"] == "exception")["data"]["values"][0]
    in_app = [f for f in exception["stacktrace"]["frames"] if f.get("inApp")]
    exception["stacktrace"]["frames"] = [copy.deepcopy(in_app[i % len(in_app)]) for i in range(frames)]
    return event


def test_small_documents_are_untouched():
    doc = {"id": "1", "title": "x"}
    assert budget.fit(doc, 1000) is doc and budget.fit(doc, None) is doc and budget.fit(doc, 0) is doc


def test_vars_go_first_and_the_cut_is_named():
    doc = shape.shape_event(big_event(6), stacktrace=True)
    full = budget.size(doc)
    fitted = budget.fit(doc, full - 200)
    assert fitted["trimmed"][0].startswith("variables of")
    assert budget.size(fitted) <= full - 200
    assert fitted["exceptions"] == doc["exceptions"] and fitted["frame"] == doc["frame"]
    frames = [f for f in fitted["stacktrace"] if "function" in f]
    assert "vars" in frames[-1]  # the innermost frame keeps its variables longest


def test_deep_stack_keeps_innermost_frames_and_says_how_many_went():
    doc = shape.shape_event(big_event(60), stacktrace=True, breadcrumbs=10)
    fitted = budget.fit(doc, 4000)
    assert budget.size(fitted) <= 4000
    assert fitted["stacktrace"][0]["omittedFrames"] > 0
    assert any("outer frame(s)" in t for t in fitted["trimmed"])
    innermost = [f for f in fitted["stacktrace"] if "function" in f][-1]
    assert innermost["function"] == "_charge_installment" and innermost["line"] == 81
    for kept in ("title", "exceptions", "frame", "environment", "release", "eventID"):
        assert kept in fitted


def test_default_budget_applies_to_event_output(run, standin):
    deep = Fault(200, json.dumps(big_event(80)).encode())
    standin.fail(r"/issues/17/events/latest/$", deep, deep)  # one answer per run below
    result = run("event-detail", "latest", "--issue", "17", "--stacktrace")
    assert result.code == 0, result.err
    assert len(result.out.encode()) <= budget.DEFAULT_EVENT_MAX_BYTES + 1  # + newline
    assert result.json["trimmed"]
    unlimited = run("event-detail", "latest", "--issue", "17", "--stacktrace", "--max-bytes", "0")
    assert "trimmed" not in unlimited.json and len(unlimited.out) > budget.DEFAULT_EVENT_MAX_BYTES


def test_issue_with_latest_event_trims_inside_the_event(run, standin):
    result = run("issue-detail", "BACKEND-C", "--latest-event", "--max-bytes", "1000")
    doc = result.json
    assert result.code == 0 and doc["trimmed"]
    assert doc["shortId"] == "BACKEND-C" and doc["latestEvent"]["exceptions"]


def test_list_drops_trailing_items_and_the_cursor(run, standin):
    doc = run("list-issues", "--limit", "10", "--max-bytes", "1500").json
    assert 0 < doc["count"] < 10 and len(doc["items"]) == doc["count"]
    assert "next_cursor" not in doc and "--limit" in doc["trimmed"][0]


def test_impossible_budget_says_so():
    doc = shape.shape_event(big_event(3), stacktrace=True)
    fitted = budget.fit(doc, 500)
    assert fitted["trimmed"][-1].startswith("still ")


def test_bad_values_and_raw(run):
    for value in ("-1", "abc", "10"):
        assert run("event-detail", "latest", "--issue", "1", "--max-bytes", value).code == 2
    assert run("issue-detail", "1", "--raw", "--max-bytes", "5000").code == 2
