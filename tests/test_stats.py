"""org-stats, project-stats and search-events on the servers the stand-in models.

GlitchTip's stats_v2 (recorded: org_stats_v2_*) takes only start/end, ignores
groupBy, answers null for an empty bucket and counts only the first hour of a daily
bucket; it has no events query (recorded: org_events_query). Each test checks what
was sent and what came out.
"""

from __future__ import annotations

import json

import pytest

from standin import Fault

STATS_PATH = "/api/0/organizations/acme/stats_v2/"
PROJECTS_PATH = "/api/0/organizations/acme/projects/"
EVENTS_PATH = "/api/0/organizations/acme/events/"
DAYS = ("--start", "2026-11-25T00:00:00Z", "--end", "2026-12-01T23:59:59Z", "--interval", "1d")


def stats_requests(server) -> list:
    return [e["query"] for e in server.log if e["path"] == STATS_PATH]


def rows_by_time(result) -> dict:
    return {row["time"]: {k: v for k, v in row.items() if k != "time"} for row in result.json["items"]}


# --- org-stats ------------------------------------------------------------------------------


def test_daily_counts_on_glitchtip_are_summed_from_hours(run, glitchtip):
    """GlitchTip's daily bucket counts only the day's first hour: the 22 events of 08:00 would be
    a null day. The hours are asked for and summed into the days."""
    result = run("org-stats", *DAYS)
    assert result.code == 0, result.err
    days = rows_by_time(result)
    assert days["2026-12-01"] == {"total": 22}
    assert days["2026-11-30"] == {"total": 0}  # null there: 0 here
    assert result.json["totals"] == {"total": 22} and result.json["interval"] == "1d"
    sent = stats_requests(glitchtip)
    assert [q["interval"] for q in sent] == [["1d"], ["1h"]]
    assert all(q["start"] == ["2026-11-25T00:00:00Z"] and q["end"] == ["2026-12-01T23:59:59Z"] for q in sent)
    assert "first hour" in result.err


def test_a_time_range_goes_out_as_start_and_end(run, glitchtip):
    """GlitchTip refuses statsPeriod (recorded: org_stats_v2_statsperiod, 422)."""
    result = run("org-stats", "--time-range", "7d", "--interval", "1h")
    assert result.code == 0, result.err
    (query,) = stats_requests(glitchtip)
    assert "statsPeriod" not in query and query["start"][0].endswith(":00:00Z") and "end" in query
    assert len(result.json["items"]) >= 7 * 24
    assert "first hour" not in result.err  # hourly counts are right as they come


def test_sentry_groups_by_outcome_in_one_request(run, standin):
    result = run("org-stats", "--start", "2026-12-01T00:00:00Z", "--end", "2026-12-02T00:00:00Z")
    assert result.code == 0, result.err
    (query,) = stats_requests(standin)
    assert query["groupBy"] == ["outcome"] and query["interval"] == ["1h"] and query["field"] == ["sum(quantity)"]
    assert query["category"] == ["error"]
    hours = rows_by_time(result)
    assert len(hours) == 24 and hours["2026-12-01T08:00:00Z"] == {"accepted": 22}
    assert hours["2026-12-01T09:00:00Z"] == {"accepted": 0}
    assert result.json["totals"] == {"accepted": 22} and result.err == ""


def test_group_by_project_names_each_series(run, standin):
    result = run("org-stats", "--group-by", "project", "--group-by", "outcome", *DAYS)
    assert result.code == 0, result.err
    assert stats_requests(standin)[0]["groupBy"] == ["project", "outcome"]
    assert rows_by_time(result)["2026-12-01"] == {"1/accepted": 22}


@pytest.mark.parametrize("dialect", ["standin", "glitchtip"])
def test_project_slugs_go_out_as_ids(run, request, dialect):
    server = request.getfixturevalue(dialect)
    result = run("org-stats", "--project", "frontend", *DAYS)
    assert result.code == 0, result.err
    assert server.log[0]["path"] == PROJECTS_PATH
    assert {tuple(q["project"]) for q in stats_requests(server)} == {("2",)}
    assert sum(result.json["totals"].values()) == 0


@pytest.mark.parametrize("dialect", ["standin", "glitchtip"])
def test_project_stats_is_the_organization_stats_of_one_project(run, request, dialect):
    """Not the legacy /projects/{o}/{p}/stats/ (GlitchTip: recorded project_stats, an HTML 500)."""
    server = request.getfixturevalue(dialect)
    result = run("project-stats", "backend", *DAYS)
    assert result.code == 0, result.err
    assert not any(e["path"].endswith("/stats/") for e in server.log)
    assert {tuple(q["project"]) for q in stats_requests(server)} == {("1",)}
    assert sum(result.json["totals"].values()) == 22


def test_table_adds_a_sparkline_per_series(run, glitchtip):
    result = run("org-stats", *DAYS, "--format", "table")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0].split() == ["time", "total"] and lines[7].split() == ["2026-12-01", "22"]
    assert 'trend: {"total":"▁▁▁▁▁▁▇▁"}' in lines  # eight days; the 22 on 2026-12-01


def test_raw_prints_the_answer_the_counts_came_from(run, glitchtip):
    result = run("org-stats", *DAYS, "--raw")
    assert result.code == 0, result.err
    answer = result.json
    assert answer["intervals"][0] == "2026-11-25T00:00:00+00:00" and "groups" in answer
    assert answer["intervals"][1] == "2026-11-25T01:00:00+00:00"  # the hourly answer


@pytest.mark.parametrize("argv, message", [
    (("--interval", "12h"), "invalid choice"),
    (("--time-range", "7d", "--start", "2026-11-25T00:00:00Z", "--end", "2026-11-26T00:00:00Z"), "cannot be combined"),
    (("--start", "2026-11-25T00:00:00Z"), "go together"),
    (("--group-by", "team"), "invalid choice"),
    (("--project", "../x"), "not a valid slug"),
])
def test_bad_input_exits_2_before_any_request(run, standin, argv, message):
    result = run("org-stats", *argv)
    assert result.code == 2 and message in result.error["message"] and standin.log == []


# --- search-events --------------------------------------------------------------------------


def test_search_events_is_unsupported_on_glitchtip(run, glitchtip):
    """recorded: org_events_query, an HTML 404: no events query there."""
    result = run("search-events", "--dataset", "errors", "--field", "title", "--field", "count()")
    assert result.code == 7 and result.out == ""
    assert result.error["type"] == "unsupported"
    assert [e["path"] for e in glitchtip.log] == [EVENTS_PATH]


def test_search_events_sends_the_columns_and_prints_the_rows(run, standin):
    result = run("search-events", "--dataset", "errors", "--field", "transaction", "--field", "count()",
                 "--sort=-count()", "--query", "is:unresolved", "--time-range", "24h", "--project", "backend")
    assert result.code == 0, result.err
    (sent,) = standin.log
    assert sent["query"]["field"] == ["transaction", "count()"] and sent["query"]["dataset"] == ["errors"]
    assert sent["query"]["sort"] == ["-count()"] and sent["query"]["statsPeriod"] == ["24h"]
    assert sent["query"]["query"] == ["is:unresolved"] and sent["query"]["project"] == ["backend"]
    assert sent["query"]["per_page"] == ["25"]
    assert result.json["items"] == [{"transaction": "foo", "count()": 10}, {"transaction": "bar", "count()": 20},
                                    {"transaction": "baz", "count()": 40}]


def test_search_events_follows_the_cursor_up_to_the_limit(run, standin):
    result = run("search-events", "--dataset", "errors", "--field", "transaction", "--limit", "2")
    assert result.code == 0, result.err
    assert [row["transaction"] for row in result.json["items"]] == ["foo", "bar"]
    assert result.json["next_cursor"] == "0:2:0"
    result = run("search-events", "--dataset", "errors", "--field", "transaction", "--cursor", "0:2:0")
    assert [row["transaction"] for row in result.json["items"]] == ["baz"] and "next_cursor" not in result.json
    more = {"Link": '<x>; rel="previous"; results="false", <x>; rel="next"; results="true"; cursor="0:1:0"'}
    standin.fail(r"/events/", Fault(200, json.dumps({"data": [{"title": "a"}]}).encode(), more),
                 Fault(200, json.dumps({"data": [{"title": "b"}]}).encode()))
    result = run("search-events", "--dataset", "errors", "--field", "title", "--limit", "5")
    assert [row["title"] for row in result.json["items"]] == ["a", "b"]
    assert [e["query"]["per_page"] for e in standin.log[-2:]] == [["5"], ["4"]]
    assert standin.log[-1]["query"]["cursor"] == ["0:1:0"]


def test_an_unknown_field_prints_the_servers_detail(run, standin):
    """A field name cannot be checked before the request (tags and functions are open-ended):
    the server's 400 (spec: "Invalid Query") is printed with its detail."""
    standin.fail(r"/events/", Fault(400, json.dumps({"detail": "Unknown field: no_such_thing"}).encode()))
    result = run("search-events", "--dataset", "errors", "--field", "no_such_thing")
    assert result.code == 7 and "Unknown field: no_such_thing" in result.error["message"]


@pytest.mark.parametrize("argv, message", [
    (("--field", "title"), "needs --dataset"),
    (("--dataset", "traces", "--field", "title"), "invalid choice"),
    (("--dataset", "errors"), "at least one --field"),
    (("--dataset", "errors", *[arg for i in range(21) for arg in ("--field", f"f{i}")]), "at most 20"),
    (("--dataset", "errors", "--field", "title", "--sort", "count()"), "not one of the fields"),
    (("--dataset", "errors", "--field", "title", "--limit", "0"), "out of range"),
])
def test_search_events_bad_input_exits_2_before_any_request(run, standin, argv, message):
    result = run("search-events", *argv)
    assert result.code == 2 and message in result.error["message"] and standin.log == []


def test_glitchtip_says_it_does_not_group(run, glitchtip):
    """recorded: org_stats_v2_start_end (groupBy=outcome, one group without `by`)."""
    result = run("org-stats", "--group-by", "project", "--start", "2026-12-01T00:00:00Z",
                 "--end", "2026-12-01T12:00:00Z")
    assert result.code == 0, result.err
    assert stats_requests(glitchtip)[0]["groupBy"] == ["project"]
    assert rows_by_time(result)["2026-12-01T08:00:00Z"] == {"total": 22}
    assert "does not group" in result.err
