"""--project and --sort of the issue list on the three servers the stand-in models.

sentry.io takes project slugs in `project`; Sentry before mid-2026 answers 400 to a
slug there; GlitchTip answers 422 to a slug and to Sentry's sort names, and reads
`project=-1` as a project id. Each test checks what was sent, in order, and what
came out.
"""

from __future__ import annotations

import pytest

from standin import Fault

DIALECTS = ["standin", "sentry_old", "glitchtip"]   # fixtures: sentry.io, Sentry before mid-2026, GlitchTip
ISSUES_PATH = "/api/0/organizations/acme/issues/"
PROJECTS_PATH = "/api/0/organizations/acme/projects/"


def sent(server) -> list:
    """(path, project, sort) of every request, in order."""
    return [(e["path"], e["query"].get("project"), e["query"].get("sort")) for e in server.log]


def projects_of(result) -> set:
    return {item["project"] for item in result.json["items"]}


# --- --project SLUG ------------------------------------------------------------------------


def test_a_slug_costs_nothing_extra_where_the_server_takes_slugs(run, standin):
    result = run("list-issues", "--project", "backend", "--limit", "3")
    assert result.code == 0, result.err
    assert projects_of(result) == {"backend"} and result.json["count"] == 3
    assert sent(standin) == [(ISSUES_PATH, ["backend"], None)]


@pytest.mark.parametrize("dialect", ["sentry_old", "glitchtip"])
def test_a_refused_slug_is_looked_up_once_and_sent_as_its_id(run, request, dialect):
    server = request.getfixturevalue(dialect)
    result = run("list-issues", "--project", "backend", "--limit", "3")
    assert result.code == 0, result.err
    assert projects_of(result) == {"backend"} and result.json["count"] == 3
    assert sent(server) == [(ISSUES_PATH, ["backend"], None), (PROJECTS_PATH, None, None),
                            (ISSUES_PATH, ["1"], None)]


@pytest.mark.parametrize("dialect", DIALECTS)
def test_a_numeric_id_is_sent_as_it_is_with_no_lookup(run, request, dialect):
    server = request.getfixturevalue(dialect)
    result = run("list-issues", "--project", "2", "--limit", "3")
    assert result.code == 0, result.err
    assert projects_of(result) == {"frontend"}
    assert sent(server) == [(ISSUES_PATH, ["2"], None)]


@pytest.mark.parametrize("dialect", DIALECTS)
def test_slugs_and_ids_together(run, request, dialect):
    server = request.getfixturevalue(dialect)
    result = run("list-issues", "--project", "2", "--project", "backend", "--query", "", "--limit", "100")
    assert result.code == 0, result.err
    assert projects_of(result) == {"backend", "frontend"} and result.json["count"] == 22
    assert server.log[-1]["query"]["project"] == (["2", "backend"] if dialect == "standin" else ["2", "1"])


@pytest.mark.parametrize("dialect", DIALECTS)
def test_sentry_project_from_the_environment_works_the_same(run, request, monkeypatch, dialect):
    server = request.getfixturevalue(dialect)
    monkeypatch.setenv("SENTRY_PROJECT", "frontend")
    result = run("list-issues", "--limit", "2")
    assert result.code == 0, result.err
    assert projects_of(result) == {"frontend"}
    assert server.log[-1]["query"]["project"] == (["frontend"] if dialect == "standin" else ["2"])


@pytest.mark.parametrize("dialect", ["sentry_old", "glitchtip"])
def test_a_slug_no_project_has_is_not_found(run, request, dialect):
    server = request.getfixturevalue(dialect)
    result = run("list-issues", "--project", "nope")
    assert result.code == 5 and result.out == ""
    assert "nope" in result.error["message"] and "slug" in result.error["hint"]
    assert [e["path"] for e in server.log] == [ISSUES_PATH, PROJECTS_PATH]


def test_the_lookup_asks_sentry_for_the_named_slugs_only(run, sentry_old):
    run("list-issues", "--project", "backend", "--project", "frontend")
    lookup = sentry_old.log[1]
    assert lookup["path"] == PROJECTS_PATH
    assert sorted(lookup["query"]["query"][0].split()) == ["slug:backend", "slug:frontend"]


def test_a_refusal_that_is_not_about_the_project_is_reported_as_it_is(run, sentry_old):
    sentry_old.fail(r"/issues/$", Fault(400, b'{"detail": "Invalid query: is:bogus"}'))
    result = run("list-issues", "--project", "backend", "--query", "is:bogus")
    assert result.code == 7 and "is:bogus" in result.error["message"]
    assert len(sentry_old.log) == 1


# --- --project all / -1 --------------------------------------------------------------------


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("every", ["all", "-1"])
def test_all_projects_overrides_sentry_project(run, request, monkeypatch, dialect, every):
    server = request.getfixturevalue(dialect)
    monkeypatch.setenv("SENTRY_PROJECT", "backend")
    result = run("list-issues", "--project", every, "--query", "", "--limit", "100")
    assert result.code == 0, result.err
    assert projects_of(result) == {"backend", "frontend"} and result.json["count"] == 22
    if dialect == "glitchtip":  # -1 is no project's id there: the empty answer is asked again without it
        assert sent(server) == [(ISSUES_PATH, ["-1"], None), (ISSUES_PATH, None, None)]
    else:
        assert sent(server) == [(ISSUES_PATH, ["-1"], None)]


def test_all_projects_with_nothing_to_show_stays_empty(run, standin):
    result = run("list-issues", "--project", "all", "--query", "no-such-words")
    assert result.code == 0 and result.json["count"] == 0
    assert len(standin.log) == 2  # an empty -1 answer is asked once more: GlitchTip's would be wrong


# --- --sort ----------------------------------------------------------------------------------


@pytest.mark.parametrize("dialect", ["standin", "sentry_old"])
def test_sentry_takes_its_sort_names(run, request, dialect):
    server = request.getfixturevalue(dialect)
    result = run("list-issues", "--sort", "freq", "--limit", "3")
    assert result.code == 0, result.err
    assert sent(server) == [(ISSUES_PATH, None, ["freq"])]
    assert result.json["items"][0]["count"] == 2  # BACKEND-C, the one issue seen twice


@pytest.mark.parametrize("sort, glitchtip_sort, first", [
    ("freq", "-count", "BACKEND-C"), ("date", "-last_seen", "BACKEND-E"), ("new", "-first_seen", "BACKEND-E"),
])
def test_glitchtip_gets_its_own_name_for_the_same_order(run, glitchtip, sort, glitchtip_sort, first):
    result = run("list-issues", "--sort", sort, "--limit", "3", "--query", "", "--project", "1")
    assert result.code == 0, result.err
    assert sent(glitchtip) == [(ISSUES_PATH, ["1"], [sort]), (ISSUES_PATH, ["1"], [glitchtip_sort])]
    assert result.json["items"][0]["shortId"] == first


@pytest.mark.parametrize("sort", ["user", "trends", "recommended"])
def test_glitchtip_has_no_user_sort_and_says_so(run, glitchtip, sort):
    result = run("list-issues", "--sort", sort)
    assert result.code == 7 and result.out == ""
    assert "GlitchTip" in result.error["message"] and sort in result.error["message"]
    assert "date, new or freq" in result.error["hint"]
    assert len(glitchtip.log) == 1


def test_glitchtip_slug_and_sort_are_fixed_in_one_retry(run, glitchtip):
    result = run("list-issues", "--project", "backend", "--sort", "freq", "--limit", "2")
    assert result.code == 0, result.err
    assert projects_of(result) == {"backend"} and result.json["items"][0]["shortId"] == "BACKEND-C"
    assert sent(glitchtip) == [(ISSUES_PATH, ["backend"], ["freq"]), (PROJECTS_PATH, None, None),
                               (ISSUES_PATH, ["1"], ["-count"])]


def test_inbox_sort_with_the_inbox_query_is_sent(run, standin):
    result = run("list-issues", "--sort", "inbox", "--query", "is:unresolved is:for_review")
    assert result.code == 0, result.err
    assert sent(standin) == [(ISSUES_PATH, None, ["inbox"])]


def test_verbose_shows_each_request_of_a_retried_list(run, glitchtip):
    result = run("list-issues", "--project", "backend", "--limit", "1", "--verbose")
    assert result.code == 0
    requests = [line for line in result.err.splitlines() if "GET /api/0/" in line]
    assert len(requests) == 3 and "project=backend" in requests[0] and "project=1" in requests[2]


# --- bulk-update-issues counts with the same rules -----------------------------------------------


@pytest.mark.parametrize("dialect", DIALECTS)
def test_bulk_count_resolves_the_project_the_same_way(run, request, dialect):
    server = request.getfixturevalue(dialect)
    result = run("bulk-update-issues", "--query", "", "--project", "frontend", "--status", "resolved",
                 "--dry-run")
    assert result.code == 0, result.err
    document = result.json
    assert document["matched"] == 8
    url = document["requests"][0]["url"]
    assert "id=20" in url and "id=16" not in url
    counts = [e for e in server.log if e["path"] == ISSUES_PATH]
    assert counts[-1]["query"]["project"] == (["frontend"] if dialect == "standin" else ["2"])


def test_bulk_all_projects_on_glitchtip(run, glitchtip):
    result = run("bulk-update-issues", "--query", "", "--project", "all", "--status", "resolved",
                 "--max", "500", "--dry-run")
    assert result.code == 0, result.err
    assert result.json["matched"] == 22
    assert [e["query"].get("project") for e in glitchtip.log] == [["-1"], None]
