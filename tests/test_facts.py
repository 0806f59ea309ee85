"""What agents ask most fits a small budget and keeps every fact (issue 12's byte budgets).

Each fact is read from the same command's `--raw` answer (the server's own words,
redacted) and looked for in what the command prints by default: 20 issues in at
most 3,500 bytes, an issue with its latest event in 1,100, an event with its stack
trace in 3,000, over every real event recorded from the official SDKs.
"""

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from standin import Fault

WEB = Path(__file__).resolve().parent / "data" / "real" / "glitchtip-web"
PREFIXES = ["flask_login", "flask_checkout", "flask_orders", "flask_import", "flask_reports_chained",
            "express_typeerror", "express_rejection", "express_urlpassword"]
LIST_FACTS = ("id", "shortId", "title", "status", "level", "count", "userCount", "firstSeen", "lastSeen", "project")


def to_the_second(moment: str) -> str:
    return re.sub(r"\.\d+(?=Z$)", "", moment)


def said(printed: str, raw: str) -> bool:
    """The printed text is the raw one, or its start cut with a visible marker."""
    stem = re.sub(r"(…|…\[\+\d+ chars\])$", "", printed)
    return printed == raw or (stem != printed and raw.startswith(stem))


def size(result) -> int:
    return len(result.out.rstrip("\n").encode())


def printed_rows(result) -> list:
    document = json.loads(result.out)
    return [dict(zip(document["columns"], row)) for row in document["items"]]


@pytest.mark.parametrize("where", ["demo", "standin"])
def test_twenty_issues_in_3500_bytes_with_every_fact(run, standin_factory, where):
    argv = ["list-issues", "--limit", "20"]
    if where == "demo":
        argv.append("--demo")
    else:
        standin_factory("sentry")
    result, raw = run(*argv), run(*argv, "--raw")
    assert result.code == 0 and raw.code == 0
    assert size(result) <= 3500, size(result)
    rows, answers = printed_rows(result), raw.json["items"]
    assert len(rows) == len(answers) == 20
    for row, issue in zip(rows, answers):
        assert set(LIST_FACTS) <= set(row), set(LIST_FACTS) - set(row)
        for key in ("id", "shortId", "status", "level"):
            assert row[key] == issue[key], key
        assert row["count"] == int(issue["count"]) and row["userCount"] == issue["userCount"]
        assert row["firstSeen"] == to_the_second(issue["firstSeen"])
        assert row["lastSeen"] == to_the_second(issue["lastSeen"])
        assert row["project"] == issue["project"]["slug"]
        assert said(row["title"], issue["title"]), (row["title"], issue["title"])


def serve(standin, prefix: str, requests: int) -> None:
    """Issue 17 and its latest event answer with one recorded pair, `requests` times each."""
    issue, event = (WEB / f"{prefix}_issue.json").read_bytes(), (WEB / f"{prefix}_event_latest.json").read_bytes()
    for _ in range(requests):
        standin.fail(r"/issues/17/$", Fault(200, issue))
        standin.fail(r"/issues/17/events/latest/$", Fault(200, event))


def exception_values(event: dict) -> list:
    entry = next(e for e in event["entries"] if e["type"] == "exception")
    return entry["data"]["values"]


def in_app_frames(exception: dict) -> list:
    return [f for f in (exception.get("stacktrace") or {}).get("frames") or [] if f.get("inApp")]


def tag(event: dict, key: str):
    return next((t["value"] for t in event.get("tags") or [] if t["key"] == key), None)


def check_event_facts(printed: dict, event: dict) -> None:
    """Exception types and values, the culprit frame, release, environment, request, culprit."""
    shown = printed["exceptions"]
    values = exception_values(event)
    assert [e["type"] for e in shown] == [v["type"] for v in values]
    for mine, theirs in zip(shown, values):
        assert said(mine["value"], theirs["value"]), (mine["value"], theirs["value"])
    culprit = in_app_frames(values[-1])[-1]
    assert printed["frame"] == {"file": culprit["filename"], "line": culprit["lineNo"],
                                "function": culprit["function"], "code": culprit["context_line"].strip()}
    assert printed["release"] == tag(event, "release") and printed["environment"] == tag(event, "environment")
    request = next(e for e in event["entries"] if e["type"] == "request")["data"]
    assert printed["request"]["method"] == request["method"] and said(printed["request"]["url"], request["url"])
    path = f"{request['method']} {urlsplit(request['url']).path}"
    assert event["culprit"] in (printed.get("culprit"), printed["frame"]["function"], path)


@pytest.mark.parametrize("prefix", PREFIXES)
def test_an_issue_with_its_latest_event_in_1100_bytes_with_every_fact(run, standin, prefix):
    serve(standin, prefix, 2)
    result = run("issue-detail", "17", "--latest-event")
    raw = run("issue-detail", "17", "--latest-event", "--raw").json
    assert result.code == 0 and size(result) <= 1100, size(result)
    printed, issue = result.json, raw["issue"]
    for key in ("shortId", "status", "level", "userCount"):
        assert printed[key] == issue[key], key
    assert printed["count"] == int(issue["count"])
    assert printed["firstSeen"] == to_the_second(issue["firstSeen"])
    assert printed["lastSeen"] == to_the_second(issue["lastSeen"])
    assert said(printed["title"], issue["title"])
    check_event_facts(printed["latestEvent"], raw["latestEvent"])


@pytest.mark.parametrize("prefix", PREFIXES)
def test_an_event_with_its_stack_trace_in_3000_bytes_with_every_fact(run, standin, prefix):
    serve(standin, prefix, 2)
    result = run("event-detail", "latest", "--issue", "17", "--stacktrace")
    raw = run("event-detail", "latest", "--issue", "17", "--stacktrace", "--raw").json
    assert result.code == 0 and size(result) <= 3000, size(result)
    printed, event = result.json, raw["event"]
    assert printed["shortId"] == raw["issue"]["shortId"] and printed["issueStatus"] == raw["issue"]["status"]
    check_event_facts(printed, event)
    frames = [f for f in printed["stacktrace"] if "function" in f]
    for exception in exception_values(event):
        for frame in in_app_frames(exception):
            mine = next(f for f in frames if (f["function"], f["line"]) == (frame["function"], frame["lineNo"]))
            assert f"{frame['lineNo']}>" in " ".join(mine["context"])
            assert set(frame.get("vars") or {}) <= set(mine.get("vars") or {})


def test_a_frame_variable_loses_its_memory_address_and_nothing_else(run, standin):
    """An object's repr names its class; the address (`at 0x7f3a...`) changes every run and says nothing."""
    event = json.loads((WEB / "flask_orders_event_latest.json").read_text())
    frame = in_app_frames(exception_values(event)[-1])[-1]
    frame["vars"]["self"] = "<app.views.CheckoutView object at 0x7f3a12bc4d90>"
    frame["vars"]["handler"] = "functools.partial(<function charge at 0x7fb91cd2b380>, retries=3)"
    body = json.dumps(event).encode()
    standin.fail(r"/issues/17/events/latest/$", Fault(200, body), Fault(200, body))
    printed = run("event-detail", "latest", "--issue", "17", "--stacktrace").json
    shown = [f for f in printed["stacktrace"] if f.get("function") == frame["function"]][-1]["vars"]
    assert shown["self"] == "<app.views.CheckoutView object>"
    assert shown["handler"] == "functools.partial(<function charge>, retries=3)"
    assert shown["amount"] == frame["vars"]["amount"]
    raw = run("event-detail", "latest", "--issue", "17", "--stacktrace", "--raw").json["event"]
    assert "at 0x7f3a12bc4d90" in json.dumps(raw)  # --raw prints what the server sent
