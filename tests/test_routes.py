"""What a server lacks is remembered across commands (routes.py): the first command
against GlitchTip probes the newer paths, later ones send only requests that work there."""

from __future__ import annotations

import json
import time

import pytest

from sentry_skill.routes import LIFETIME, RouteMemory
from standin import Fault

EVENT = "74dcd623b77c40b288759bd72481546b"  # an event of issue 17 (BACKEND-C)
HTML_404 = Fault(404, b"<!DOCTYPE html><html><body>Not Found</body></html>", {"Content-Type": "text/html"})
ISSUE_ROUTE = "GET /organizations/{org}/issues/{issue}/*"

# The read commands, and the requests each sends on GlitchTip once the host is known.
SECOND_RUN = [
    (["list-issues"], 1),
    (["issue-detail", "BACKEND-C", "--latest-event"], 3),  # the walk for the short id, the issue, its event
    (["issue-events", "BACKEND-C"], 2),
    (["event-detail", "latest", "--issue", "BACKEND-C"], 2),   # the walk (which finds the issue too), the event
    (["event-detail", EVENT], 2),                          # the search by event id, the event
    (["lookup-short-id", "BACKEND-C"], 1),
    (["lookup-event-id", EVENT], 1),
    (["list-issues", "--project", "backend", "--sort", "freq"], 2),  # the project's id, the list in GlitchTip's form
]


def cache_file(tmp_path):
    return tmp_path / "cache" / "sentry-api" / "routes.json"  # XDG_CACHE_HOME is tmp_path/cache (conftest)


@pytest.mark.parametrize("argv, requests", SECOND_RUN, ids=lambda value: " ".join(value) if isinstance(value, list) else None)
def test_the_second_run_sends_only_requests_that_work_there(run, glitchtip, argv, requests):
    first = run(*argv)
    assert first.code == 0, first.err
    sent_first = len(glitchtip.log)
    glitchtip.log.clear()
    second = run(*argv)
    assert second.code == 0, second.err
    assert second.out == first.out
    assert all(200 <= status < 300 for status in glitchtip.statuses()), list(zip(glitchtip.paths(), glitchtip.statuses()))
    assert len(glitchtip.log) == requests <= sent_first


def test_one_command_teaches_the_next(run, glitchtip):
    """issue-events learns that the org-scoped issue paths and the short id lookups are missing;
    issue-detail, another command, then goes straight to what works."""
    assert run("issue-events", "BACKEND-C").code == 0
    glitchtip.log.clear()
    assert run("issue-detail", "BACKEND-C").code == 0
    assert glitchtip.paths() == ["/api/0/organizations/acme/issues/", "/api/0/issues/17/"]
    assert glitchtip.log[0]["query"]["query"] == [""]  # the walk, not the search that answers []


def test_a_server_with_every_route_leaves_no_file(run, standin, tmp_path):
    for argv in SECOND_RUN:
        assert run(*argv[0]).code == 0, argv
    assert not cache_file(tmp_path).exists()


def test_the_file_holds_route_templates_and_numbers_only(run, glitchtip, tmp_path):
    for argv, _ in SECOND_RUN:
        assert run(*argv).code == 0, argv
    document = json.loads(cache_file(tmp_path).read_text())
    assert list(document["servers"]) == [glitchtip.url]
    assert document["servers"][glitchtip.url] == {
        ISSUE_ROUTE: {"first": 1, "learned": pytest.approx(time.time(), abs=60)},
        "GET /organizations/{org}/shortids/{short_id}/": {"first": 2, "learned": pytest.approx(time.time(), abs=60)},
        "GET /organizations/{org}/eventids/{event}/": {"first": 1, "learned": pytest.approx(time.time(), abs=60)},
        "lacks project-slugs": {"first": 1, "learned": pytest.approx(time.time(), abs=60)},
        "lacks sentry-sort-names": {"first": 1, "learned": pytest.approx(time.time(), abs=60)},
    }  # no token, org, id or answer: nothing else is in the file
    assert document["version"] == 1 and set(document) == {"version", "servers"}


def remembered(tmp_path) -> dict:
    """{base URL: {route: first way}} as the file holds it."""
    servers = json.loads(cache_file(tmp_path).read_text())["servers"]
    return {url: {route: entry["first"] for route, entry in routes.items()} for url, routes in servers.items()}


@pytest.mark.parametrize("content", [b"{not json", b"[]", b'{"version": 1, "servers": []}', b"\xff\xfe",
                                     b'{"version": 1, "servers": {"x": {"GET a": {"first": "1"}}}}',
                                     b'{"version": 99, "servers": {}}'])
def test_a_corrupt_file_is_ignored_and_written_anew(run, glitchtip, tmp_path, content):
    cache_file(tmp_path).parent.mkdir(parents=True)
    cache_file(tmp_path).write_bytes(content)
    assert run("issue-detail", "17").code == 0
    assert remembered(tmp_path) == {glitchtip.url: {ISSUE_ROUTE: 1}}


def test_a_file_that_cannot_be_read_or_written_costs_only_the_probe(run, glitchtip, tmp_path):
    cache_file(tmp_path).mkdir(parents=True)  # a folder where the file belongs
    for _ in range(2):
        glitchtip.log.clear()
        assert run("issue-detail", "17").code == 0
        assert glitchtip.paths() == ["/api/0/organizations/acme/issues/17/", "/api/0/issues/17/"]


def test_a_remembered_older_path_that_goes_missing_sends_the_newer_one_again(run, glitchtip, tmp_path):
    assert run("issue-detail", "17").code == 0  # learns: no org-scoped issue paths here
    glitchtip.mode = "sentry"                    # the server changed, and lost the older paths
    glitchtip.fail(r"^/api/0/issues/17/$", HTML_404)
    glitchtip.log.clear()
    result = run("issue-detail", "17")
    assert result.code == 0, result.err
    assert glitchtip.paths() == ["/api/0/issues/17/", "/api/0/organizations/acme/issues/17/"]
    assert remembered(tmp_path) == {}  # forgotten
    glitchtip.log.clear()
    assert run("issue-detail", "17").code == 0
    assert glitchtip.paths() == ["/api/0/organizations/acme/issues/17/"]


def test_a_missing_issue_is_not_a_missing_route(run, glitchtip, tmp_path):
    assert run("issue-detail", "17").code == 0
    glitchtip.log.clear()
    result = run("issue-detail", "999999")
    assert result.code == 5
    assert glitchtip.paths() == ["/api/0/issues/999999/"]  # a JSON 404: the issue, not the path, is missing
    assert remembered(tmp_path) == {glitchtip.url: {ISSUE_ROUTE: 1}}


def test_methods_are_remembered_apart(run, glitchtip):
    """GlitchTip has no org-scoped issue GET but does take the org-scoped PUT (recorded: org_issue_put_*)."""
    assert run("issue-detail", "17").code == 0
    glitchtip.log.clear()
    assert run("update-issue", "17", "--status", "resolved", "--allow-write").code == 0
    assert [(e["method"], e["path"]) for e in glitchtip.log] == [("PUT", "/api/0/organizations/acme/issues/17/")]


# -- the memory on its own: a fake clock, a file in tmp_path -----------------------------

def test_an_entry_ages_out(tmp_path):
    path = tmp_path / "routes.json"
    RouteMemory("https://a.example", path, clock=lambda: 1_000_000.0).learn("GET x", 1)
    assert RouteMemory("https://a.example", path, clock=lambda: 1_000_000.0 + LIFETIME - 1).first("GET x") == 1
    assert RouteMemory("https://a.example", path, clock=lambda: 1_000_000.0 + LIFETIME + 1).first("GET x") == 0


def test_servers_are_kept_apart_and_writers_merge(tmp_path):
    path = tmp_path / "deeper" / "routes.json"
    a, b, a_again = (RouteMemory(url, path) for url in ("https://a.example", "https://b.example", "https://a.example"))
    a.learn("GET x", 1)
    b.learn("GET y", 2)
    a_again.learn("GET z", 1)  # another command against the same server, started before a wrote
    assert RouteMemory("https://a.example", path).first("GET x") == 1
    assert RouteMemory("https://a.example", path).first("GET z") == 1
    assert RouteMemory("https://a.example", path).first("GET y") == 0
    assert RouteMemory("https://b.example", path).first("GET y") == 2
    assert [p.name for p in path.parent.iterdir()] == ["routes.json"]  # no temporary file left behind


def test_no_path_remembers_for_this_command_only(run, tmp_path):
    memory = RouteMemory("https://a.example", None)
    memory.learn("GET x", 1)
    assert memory.first("GET x") == 1
    assert run("--demo", "issue-events", "BACKEND-C").code == 0  # the demo has no file either
    assert not (tmp_path / "cache").exists()
