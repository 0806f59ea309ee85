"""--max-bytes: least useful parts go first, every cut is named, nothing is cut silently."""

import copy
import json

import pytest

from sentry_skill import budget, event_shape, shape
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
    doc = event_shape.shape_event(big_event(6), stacktrace=True)
    full = budget.size(doc)
    fitted = budget.fit(doc, full - 200)
    assert fitted["trimmed"][0].startswith("variables of")
    assert budget.size(fitted) <= full - 200
    assert fitted["exceptions"] == doc["exceptions"] and fitted["frame"] == doc["frame"]
    frames = [f for f in fitted["stacktrace"] if "function" in f]
    assert "vars" in frames[-1]  # the innermost frame keeps its variables longest


def test_deep_stack_keeps_innermost_frames_and_says_how_many_went():
    doc = event_shape.shape_event(big_event(60), stacktrace=True, breadcrumbs=10)
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
    result = run("issue-detail", "BACKEND-C", "--latest-event", "--max-bytes", "700")
    doc = result.json
    assert result.code == 0 and doc["trimmed"]
    assert doc["shortId"] == "BACKEND-C" and doc["latestEvent"]["exceptions"]


def test_list_drops_trailing_items_and_the_cursor(run, standin):
    doc = run("list-issues", "--limit", "10", "--max-bytes", "1500").json
    assert 0 < doc["count"] < 10 and len(doc["items"]) == doc["count"]
    assert "next_cursor" not in doc and "--limit" in doc["trimmed"][0]


def test_impossible_budget_says_so():
    doc = event_shape.shape_event(big_event(3), stacktrace=True)
    fitted = budget.fit(doc, 200)
    assert fitted["trimmed"][-1] == f"still {budget.size(fitted)} bytes: raise --max-bytes to see it whole"
    assert set(fitted) == {"eventID", "title", "exceptions", "frame", "trimmed"}


def test_bad_values_and_raw(run):
    for value in ("-1", "abc", "10"):
        assert run("event-detail", "latest", "--issue", "1", "--max-bytes", value).code == 2
    assert run("issue-detail", "1", "--raw", "--max-bytes", "5000").code == 2


# -- the budget holds on every real body ------------------------------------------------

from pathlib import Path  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from sentry_skill.output import Result, build  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"


def _event_bodies() -> list:
    """Every event body the tests hold: GlitchTip's (recorded) and sentry.io's (sentry-kinds)."""
    bodies = {}
    for path in sorted(DATA.glob("*/*.json")) + sorted(DATA.glob("real/*/*.json")):
        text = path.read_text()
        data = json.loads(text)
        if isinstance(data, dict) and isinstance(data.get("entries"), list):
            bodies.setdefault(text, (f"{path.parent.name}/{path.stem}", data))  # the same body twice counts once
    return list(bodies.values())


EVENTS = _event_bodies()
ISSUES = [recorded("flask_orders_issue"), recorded("express_typeerror_issue"),
          json.loads((DATA / "sentry-kinds" / "issue_detail.json").read_text())]


def _document(event, issue, stacktrace, breadcrumbs):
    """What event-detail (no issue) or issue-detail --latest-event prints before the budget."""
    if issue is None:
        result = Result(event, lambda e: event_shape.shape_event(e, stacktrace=stacktrace, breadcrumbs=breadcrumbs))
    else:
        result = Result({"issue": issue, "latestEvent": event},
                        lambda both: event_shape.shape_issue_with_event(both["issue"], shape.ISSUE_DETAIL_DEFAULT,
                                                                  both["latestEvent"], stacktrace=stacktrace))
    return build(result, raw=False, redact_on=True, max_bytes=0)


def test_there_are_many_real_event_bodies():
    kinds = {event_shape.normalize_event(e).get("type") for _, e in EVENTS}
    assert len(EVENTS) >= 20 and {"error", "default", "transaction", "csp", "generic"} <= kinds


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.sampled_from(EVENTS), st.sampled_from([None, *ISSUES]), st.booleans(), st.sampled_from([0, 5, 30]),
       st.integers(min_value=500, max_value=12_000))
def test_output_fits_the_budget_whenever_it_can_and_names_each_cut_once(named, issue, stacktrace, crumbs, budget_):
    name, event = named
    document = _document(copy.deepcopy(event), copy.deepcopy(issue), stacktrace, crumbs)
    fitted = budget.fit(copy.deepcopy(document), budget_)
    trimmed = fitted.get("trimmed", [])
    assert len(trimmed) == len(set(trimmed)), (name, trimmed)
    # The floor: everything that can go, gone. Any budget at or above it is met.
    floor = budget.size(budget.fit(copy.deepcopy(document), 1))
    if budget_ >= floor:
        assert budget.size(fitted) <= budget_, (name, budget_, trimmed)
    if budget.size(fitted) > budget_:  # then it says so, and says by how much
        assert trimmed[-1] == f"still {budget.size(fitted)} bytes: raise --max-bytes to see it whole", trimmed
    core = fitted.get("latestEvent", fitted)
    assert core.get("eventID") == document.get("latestEvent", document).get("eventID")


PAIRS = sorted(path.name[:-len("_issue.json")] for path in (DATA / "real" / "glitchtip-web").glob("*_issue.json"))


@pytest.mark.parametrize("prefix", PAIRS)
def test_500_bytes_hold_for_every_real_issue_with_its_latest_event(prefix):
    """--max-bytes 500 printed 915 bytes: the smallest budget the CLI takes must hold."""
    web = DATA / "real" / "glitchtip-web"
    issue = json.loads((web / f"{prefix}_issue.json").read_text())
    event = json.loads((web / f"{prefix}_event_latest.json").read_text())
    for document in (_document(event, issue, True, 10), _document(event, None, True, 10)):
        fitted = budget.fit(document, 500)
        if prefix == "flask_reports_chained" and "latestEvent" in fitted:
            # A 100-character title, its two exceptions and the names of the cuts do not fit in 500.
            assert fitted["trimmed"][-1].startswith("still ") and budget.size(budget.fit(document, 1)) > 500
            continue
        assert budget.size(fitted) <= 500, (prefix, fitted)


def test_the_same_key_cut_in_the_issue_and_in_its_event_is_named_apart():
    """Both an issue and its event have a `platform`: two cuts, each named once, in its place."""
    event = {"eventID": "e" * 32, "message": "m" * 300, "platform": "python",
             "exceptions": [{"type": "E", "value": "v"}], "frame": {"file": "a.py", "line": 1, "function": "f"}}
    document = {"id": "1", "shortId": "A-1", "title": "t", "status": "unresolved", "platform": "python",
                "latestEvent": event}
    expected = {**document, "latestEvent": {k: v for k, v in event.items() if k not in ("message", "platform")},
                "trimmed": ["latestEvent: message; platform", "platform"]}
    del expected["platform"]
    fitted = budget.fit(copy.deepcopy(document), budget.size(expected))
    assert fitted == expected


@settings(max_examples=100, deadline=None, derandomize=True)
@given(st.integers(min_value=0, max_value=30), st.integers(min_value=120, max_value=4000))
def test_a_list_fits_with_its_note_counted(count, budget_):
    issues = recorded("org_issues_backend")
    items = [shape.shape_issue(issues[n % len(issues)], shape.ISSUE_LIST_DEFAULT) for n in range(count)]
    fitted = budget.fit({"items": items, "count": count, "next_cursor": "0:30:0"}, budget_)
    empty = {"items": [], "count": 0, "trimmed": [f"the last {count} item(s): ask again with --limit 1 "
                                                  f"and page with --cursor"]}
    if budget.size(empty) <= budget_:
        assert budget.size(fitted) <= budget_
