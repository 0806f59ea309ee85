"""bulk-delete-issues: the selection and safety rules of bulk-update-issues, one project per DELETE,
and only what the server's answer says (neither server says which issues it deleted)."""

import json

import pytest

from server_model import recorded
from standin import Fault

ORG_ISSUES = r"^/api/0/organizations/acme/issues/$"


def deletes(server):
    return [(e["query"], e["body"]) for e in server.log if e["method"] == "DELETE"]


@pytest.mark.parametrize("extra", [[], ["--allow-write", "--confirm"], ["--dry-run"]])
def test_without_ids_or_query_it_is_refused_outright(run, standin, extra):
    """Without id= the API would delete up to 1000 issues."""
    result = run("bulk-delete-issues", *extra)
    assert result.code == 8 and "--id or --query" in result.error["message"]
    assert standin.log == []


@pytest.mark.parametrize("switches", [[], ["--allow-write"], ["--confirm"]])
def test_it_needs_the_switch_and_confirm_before_any_request(run, standin, switches):
    result = run("bulk-delete-issues", "--id", "17", *switches)
    assert result.code == 8 and standin.log == []


@pytest.mark.parametrize("dialect", ["sentry", "glitchtip"])
def test_by_ids_one_delete_per_project(run, standin_factory, dialect):
    server = standin_factory(dialect)
    result = run("bulk-delete-issues", "--id", "17", "--id", "FRONTEND-6", "--id", "16", "--id", "17",
                 "--allow-write", "--confirm")
    assert result.code == 0, result.err
    assert deletes(server) == [({"id": ["17", "16"], "project": ["1"]}, b""), ({"id": ["20"], "project": ["2"]}, b"")]
    # Sentry answers 204 even when nothing matched, GlitchTip a fixed {"status": "resolved"}: neither
    # says what was deleted, so the output does not claim it.
    assert result.json == {"matched": 3, "ids": ["17", "16", "20"], "unconfirmed": ["deleted"]}
    assert run("issue-detail", "16").code == 5


@pytest.mark.parametrize("dialect", ["sentry", "glitchtip"])
def test_the_dry_run_lists_each_issue_and_sends_only_reads(run, standin_factory, dialect):
    server = standin_factory(dialect)
    result = run("bulk-delete-issues", "--id", "BACKEND-C", "--id", "20", "--id", "99999", "--dry-run")
    assert result.code == 0, result.err
    document = result.json
    assert [(issue["shortId"], issue["title"]) for issue in document["issues"]] == [
        ("BACKEND-C", "ZeroDivisionError: float division by zero"),
        ("FRONTEND-6", "TypeError: Cannot read properties of undefined (reading 'address')")]
    assert document["matched"] == 2 and document["notFound"] == ["99999"]
    assert [(r["method"], r["url"].split("?")[1], r["body"]) for r in document["requests"]] == [
        ("DELETE", "id=17&project=1", None), ("DELETE", "id=20&project=2", None)]
    assert {e["method"] for e in server.log} == {"GET"}


def test_by_query_counts_first_then_deletes_exactly_those(run, standin):
    result = run("bulk-delete-issues", "--query", "ZeroDivisionError", "--allow-write", "--confirm")
    assert result.code == 0, result.err
    assert deletes(standin) == [({"id": ["17", "7"], "project": ["1"]}, b"")]
    assert result.json["matched"] == 2
    assert run("list-issues", "--query", "ZeroDivisionError", "--fields", "shortId").json["count"] == 0


def test_above_max_it_is_refused_after_the_count(run, standin):
    result = run("bulk-delete-issues", "--query", "", "--max", "5", "--allow-write", "--confirm")
    assert result.code == 8 and "would delete" in result.error["message"] and "--max 5" in result.error["message"]
    assert standin.paths("DELETE") == [] and len(standin.log) == 1


@pytest.mark.parametrize("dialect", ["sentry", "glitchtip"])
def test_nothing_known_sends_no_delete(run, standin_factory, dialect):
    server = standin_factory(dialect)
    result = run("bulk-delete-issues", "--id", "99999", "--allow-write", "--confirm")
    assert result.code == 0, result.err
    assert result.json == {"matched": 0, "notFound": ["99999"]}
    assert deletes(server) == []


def test_a_failure_after_a_delete_says_what_was_sent(run, standin):
    listed = [issue for issue in recorded("org_issues_backend") if issue["id"] in ("17", "7")]
    listed[1]["project"] = {**listed[1]["project"], "id": "2"}
    standin.fail(ORG_ISSUES, Fault(200, json.dumps(listed).encode()), Fault(204, b""),
                 Fault(403, b'{"detail": "You do not have permission to perform this action."}'))
    result = run("bulk-delete-issues", "--id", "17", "--id", "7", "--allow-write", "--confirm")
    assert result.code == 4
    assert result.error["message"].startswith("The deletion of 1 issue(s) was requested before this failure (ids 17)")
    assert len(deletes(standin)) == 2  # a write is never retried
