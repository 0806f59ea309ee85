"""bulk-update-issues: the selection, the safety rules, one project per PUT, and what the server confirmed."""

import json

import pytest

from server_model import recorded
from standin import Fault

ORG_ISSUES = r"^/api/0/organizations/acme/issues/$"


def puts(server):
    return [(e["query"], json.loads(e["body"])) for e in server.log if e["method"] == "PUT"]


def test_bulk_without_ids_or_query_is_refused_outright(run, standin):
    for extra in ([], ["--allow-write", "--confirm"], ["--dry-run"]):
        result = run("bulk-update-issues", "--status", "resolved", *extra)
        assert result.code == 8 and "--id or --query" in result.error["message"]
    assert standin.log == []


def test_bulk_needs_confirm(run, standin):
    result = run("bulk-update-issues", "--id", "17", "--status", "resolved", "--allow-write")
    assert result.code == 8 and "--confirm" in result.error["message"] and standin.log == []


@pytest.mark.parametrize("dialect", ["sentry", "glitchtip"])
def test_bulk_by_ids(run, standin_factory, dialect):
    server = standin_factory(dialect)
    result = run("bulk-update-issues", "--id", "17", "--id", "BACKEND-B", "--id", "17", "--status", "resolved",
                 "--allow-write", "--confirm")
    assert result.code == 0, result.err
    assert puts(server) == [({"id": ["17", "16"], "project": ["1"]}, {"status": "resolved"})]
    assert result.json == {"matched": 2, "ids": ["17", "16"], "status": "resolved"}
    assert run("issue-detail", "16", "--fields", "status").json == {"status": "resolved"}


def test_bulk_by_query_counts_first_then_changes_exactly_those(run, standin):
    result = run("bulk-update-issues", "--query", "ZeroDivisionError", "--status", "resolved", "--dry-run")
    assert result.code == 0
    assert result.json["matched"] == 2 and standin.paths("PUT") == []
    assert result.json["requests"][0]["url"].endswith("/issues/?id=17&id=7&project=1")
    result = run("bulk-update-issues", "--query", "ZeroDivisionError", "--status", "resolved",
                 "--allow-write", "--confirm")
    assert result.code == 0 and result.json["matched"] == 2
    gets = [e for e in standin.log if e["method"] == "GET"]
    assert len(gets) == 2  # one count per run, dry run included
    assert run("list-issues", "--query", "is:unresolved ZeroDivisionError", "--fields", "shortId").json["count"] == 0


def test_bulk_above_max_is_refused_after_one_get(run, standin):
    result = run("bulk-update-issues", "--query", "", "--status", "resolved", "--max", "5",
                 "--allow-write", "--confirm")
    assert result.code == 8 and "more than --max 5" in result.error["message"]
    assert standin.paths("PUT") == [] and len(standin.log) == 1


def test_bulk_count_walks_on_when_the_server_sends_no_total(run, standin):
    link = {"Link": '<x>; rel="next"; results="true"; cursor="0:2:0"'}
    page1 = b'[{"id":"17","shortId":"BACKEND-C"},{"id":"16","shortId":"BACKEND-B"}]'
    page2 = b'[{"id":"15","shortId":"BACKEND-A"}]'
    standin.fail(ORG_ISSUES, Fault(200, page1, link), Fault(200, page2))
    result = run("bulk-update-issues", "--query", "is:unresolved", "--seen", "--max", "3", "--dry-run")
    assert result.code == 0, result.err
    assert result.json["matched"] == 3
    assert [e["query"]["limit"] for e in standin.log] == [["4"], ["2"]]
    assert result.json["requests"][0]["url"].endswith("/issues/?id=17&id=16&id=15")  # no project known: none sent
    standin.fail(ORG_ISSUES, Fault(200, page1, link), Fault(200, page1 + b""))
    result = run("bulk-update-issues", "--query", "is:unresolved", "--seen", "--max", "3", "--dry-run")
    assert result.code == 8 and "4 issues" in result.error["message"]


# --- the dry run names each issue ---------------------------------------------------------


@pytest.mark.parametrize("dialect", ["sentry", "glitchtip"])
def test_the_dry_run_lists_each_issue_s_short_id_and_title(run, standin_factory, dialect):
    server = standin_factory(dialect)
    result = run("bulk-update-issues", "--id", "BACKEND-C", "--id", "20", "--id", "99999", "--archive", "--dry-run")
    assert result.code == 0, result.err
    document = result.json
    assert document["issues"] == [
        {"id": "17", "shortId": "BACKEND-C", "title": "ZeroDivisionError: float division by zero", "project": "backend"},
        {"id": "20", "shortId": "FRONTEND-6", "title": "TypeError: Cannot read properties of undefined (reading 'address')",
         "project": "frontend"}]
    assert document["matched"] == 2 and document["notFound"] == ["99999"]
    assert [r["url"].split("?")[1] for r in document["requests"]] == ["id=17&project=1", "id=20&project=2"]
    assert {e["method"] for e in server.log} == {"GET"}


# --- only what the server confirmed ---------------------------------------------------------


@pytest.mark.parametrize("dialect", ["sentry", "glitchtip"])
def test_unknown_ids_are_not_counted_and_not_sent(run, standin_factory, dialect):
    server = standin_factory(dialect)
    result = run("bulk-update-issues", "--id", "17", "--id", "99999", "--status", "resolved",
                 "--allow-write", "--confirm")
    assert result.code == 0, result.err
    assert result.json == {"matched": 1, "ids": ["17"], "status": "resolved", "notFound": ["99999"]}
    assert [query["id"] for query, _ in puts(server)] == [["17"]]


@pytest.mark.parametrize("dialect", ["sentry", "glitchtip"])
def test_nothing_known_sends_no_write(run, standin_factory, dialect):
    server = standin_factory(dialect)
    result = run("bulk-update-issues", "--id", "99999", "--status", "resolved", "--allow-write", "--confirm")
    assert result.code == 0, result.err
    assert result.json == {"matched": 0, "notFound": ["99999"]}
    assert puts(server) == []


def test_a_204_means_nothing_matched(run, standin):
    """Sentry answers 204 when no issue matched, say one deleted between the read and the write."""
    listed = [issue for issue in recorded("org_issues_backend") if issue["id"] == "17"]
    standin.fail(ORG_ISSUES, Fault(200, json.dumps(listed).encode()), Fault(204, b""))
    result = run("bulk-update-issues", "--id", "17", "--status", "resolved", "--allow-write", "--confirm")
    assert result.code == 0, result.err
    assert result.json == {"matched": 0, "notFound": ["17"]}


def test_glitchtip_s_echo_confirms_the_status_only(run, glitchtip):
    result = run("bulk-update-issues", "--id", "17", "--id", "16", "--archive", "--for", "2h", "--bookmark",
                 "--allow-write", "--confirm")
    assert result.code == 0, result.err
    assert result.json == {"matched": 2, "ids": ["17", "16"], "status": "ignored",
                           "unconfirmed": ["substatus", "isBookmarked", "statusDetails.ignoreDuration"]}


def test_sentry_s_answer_confirms_the_change(run, standin):
    result = run("bulk-update-issues", "--id", "17", "--id", "16", "--archive", "--for", "2h", "--seen",
                 "--allow-write", "--confirm")
    assert result.code == 0, result.err
    printed = result.json
    assert "unconfirmed" not in printed and printed["hasSeen"] is True
    assert printed["substatus"] == "archived_until_condition_met" and "ignoreUntil" in printed["statusDetails"]


# --- one project per PUT --------------------------------------------------------------------


@pytest.mark.parametrize("flags", [
    ["--in-release", "1.0.0"],                  # a release of both projects
    ["--status", "resolvedInNextRelease"],
])
def test_a_release_resolution_across_projects_is_one_put_per_project(run, standin, flags):
    """Sentry refuses to resolve issues of several projects by a release or commit in one request."""
    result = run("bulk-update-issues", "--id", "17", "--id", "20", "--id", "16", *flags, "--allow-write", "--confirm")
    assert result.code == 0, result.err
    assert [query for query, _ in puts(standin)] == [{"id": ["17", "16"], "project": ["1"]},
                                                     {"id": ["20"], "project": ["2"]}]
    assert result.json["matched"] == 3 and result.json["status"] == "resolved"


def test_a_release_of_one_project_is_checked_against_that_project_only(run, standin):
    """Sentry checks the body against every project the request covers: all of them without project=."""
    result = run("bulk-update-issues", "--id", "17", "--id", "16", "--in-release", "shop@2.4.1",
                 "--allow-write", "--confirm")
    assert result.code == 0, result.err
    assert result.json["statusDetails"]["inRelease"] == "shop@2.4.1"


def test_a_refusal_after_a_change_says_what_was_changed(run, standin):
    result = run("bulk-update-issues", "--id", "17", "--id", "20", "--in-release", "shop@2.4.1",
                 "--allow-write", "--confirm")
    assert result.code == 7
    assert result.error["message"].startswith("1 issue(s) were changed before this failure (ids 17)")
    assert "Unable to find a release" in result.error["message"]
    assert run("issue-detail", "17", "--fields", "status").json == {"status": "resolved"}


def test_glitchtip_takes_the_project_as_well(run, glitchtip):
    result = run("bulk-update-issues", "--id", "17", "--id", "20", "--status", "resolved", "--allow-write", "--confirm")
    assert result.code == 0, result.err
    assert [query["project"] for query, _ in puts(glitchtip)] == [["1"], ["2"]]
    assert result.json["matched"] == 2


def test_assign_me_in_bulk(run, standin):
    result = run("bulk-update-issues", "--id", "17", "--assign", "me", "--allow-write", "--confirm")
    assert result.code == 0, result.err
    assert puts(standin)[0][1] == {"assignedTo": "user:1"} and result.json["assignedTo"] == "user:1"
