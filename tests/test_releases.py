"""Releases and deploys on Sentry and on GlitchTip: what each command sent and what it printed.

GlitchTip keeps only a release's ref and release date, ignores the list's `project` and
`query`, replaces on PUT (a left-out ref or date is reset: recorded release_update_empty_body),
and has no commits or deploys (recorded: release_commits, release_deploys_list 500 pages,
release_deploy_create 403 CSRF page). server_releases.py models both servers.
"""

from __future__ import annotations

import json

import pytest

DIALECTS = ["sentry", "glitchtip"]
WRITE = ("--allow-write",)
ORG_RELEASES = "/api/0/organizations/acme/releases/"


def sent(server, method=None):
    return [(e["method"], e["path"]) for e in server.log if method in (None, e["method"])]


def bodies(server, method):
    return [json.loads(e["body"]) for e in server.log if e["method"] == method]


# --- versions in paths -------------------------------------------------------------------------

@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("version, segment", [("backend@1.4.2", "backend%401.4.2"),
                                              ("release 1", "release%201"),
                                              ("2.0.0+build.7", "2.0.0%2Bbuild.7")])
def test_a_version_round_trips_encoded_once(run, standin_factory, dialect, version, segment):
    server = standin_factory(dialect)
    path = f"{ORG_RELEASES}{segment}/"
    created = run("create-release", version, "--project", "backend", "--ref", "v1", *WRITE)
    assert created.code == 0, created.err
    assert created.json["version"] == version and created.json["projects"] == ["backend"]
    assert bodies(server, "POST")[0]["version"] == version  # the body holds it as it is

    detail = run("release-detail", version)
    assert detail.code == 0, detail.err
    assert detail.json["version"] == version and detail.json["ref"] == "v1"

    deploys = run("list-deploys", version)
    if dialect == "glitchtip":  # no deploys there (recorded: release_deploys_list)
        assert deploys.code == 7 and deploys.error["type"] == "unsupported"
    else:
        assert deploys.code == 0 and deploys.json == {"items": [], "count": 0}

    deleted = run("delete-release", version, *WRITE, "--confirm")
    assert deleted.code == 0 and deleted.json == {"version": version, "deleted": True}
    assert run("release-detail", version).code == 5
    assert sent(server) == [("POST", ORG_RELEASES), ("GET", path), ("GET", path + "deploys/"),
                            ("DELETE", path), ("GET", path)]


@pytest.mark.parametrize("argv", [("release-detail",), ("delete-release", "--allow-write", "--confirm"),
                                  ("create-release", "--project", "backend", "--allow-write"),
                                  ("list-deploys",), ("update-release", "--ref", "x", "--dry-run")])
def test_a_version_with_a_slash_is_refused_before_any_request(run, standin, argv):
    """Sentry refuses such a version; GlitchTip stores it, then cannot route its encoded path."""
    result = run(argv[0], "2.0.0+build/7", *argv[1:])
    assert result.code == 2 and result.out == "" and standin.log == []
    assert "'/'" in result.error["message"]


# --- the list --------------------------------------------------------------------------------

def test_list_releases_on_sentry_shows_authors_by_id(run, standin):
    result = run("list-releases", "--query", "CONTROL")
    assert result.code == 0, result.err
    assert [r["version"] for r in result.json["items"]] == ["control@abc123"]
    assert result.json["items"][0]["authors"] == ["user:2837091"]
    assert "Raj" not in result.out and "raspberr" not in json.dumps(result.json["items"][0]["authors"])
    assert standin.log[0]["query"] == {"query": ["CONTROL"], "per_page": ["25"], "limit": ["25"]}


def test_list_releases_on_glitchtip_filters_what_the_server_ignores(run, glitchtip):
    result = run("list-releases", "--query", "SHOP")
    assert result.code == 0, result.err
    assert [r["version"] for r in result.json["items"]] == ["shop@2.4.1"]  # the server sent all three

    by_project = run("list-releases", "--project", "frontend")
    assert [r["version"] for r in by_project.json["items"]] == ["storefront@1.8.0", "1.0.0"]
    assert glitchtip.log[-1]["path"] == "/api/0/projects/acme/frontend/releases/"


# --- writes ------------------------------------------------------------------------------------

def test_create_release_on_glitchtip_names_what_it_did_not_keep(run, glitchtip):
    result = run("create-release", "web@3", "--project", "frontend", "--url", "https://ci.example.com/3",
                 "--commit", "acme/web@3f2c1e9", "--released-at", "2026-12-01T10:00:00+01:00", *WRITE)
    assert result.code == 0, result.err
    assert bodies(glitchtip, "POST") == [{"version": "web@3", "projects": ["frontend"],
                                          "url": "https://ci.example.com/3", "dateReleased": "2026-12-01T09:00:00Z",
                                          "commits": [{"repository": "acme/web", "id": "3f2c1e9"}]}]
    assert result.json["unconfirmed"] == ["url", "commits"]
    assert result.json["dateReleased"] == "2026-12-01T09:00:00Z"


def test_create_release_on_sentry_keeps_url_and_commits(run, standin):
    result = run("create-release", "web@3", "--project", "frontend", "--url", "https://ci.example.com/3",
                 "--commit", "acme/web@3f2c1e9", *WRITE, "--fields", "version,url,commitCount")
    assert result.code == 0, result.err
    assert result.json == {"version": "web@3", "url": "https://ci.example.com/3", "commitCount": 1}


def test_create_release_with_no_known_project_says_what_glitchtip_said(run, glitchtip):
    result = run("create-release", "web@3", "--project", "nosuch", *WRITE)
    assert result.code == 7 and "Require at least one valid project" in result.error["message"]


def test_create_release_of_a_taken_version_on_glitchtip_says_so(run, glitchtip):
    result = run("create-release", "1.0.0", "--project", "backend", *WRITE)
    assert result.code == 7 and result.error["type"] == "conflict"  # not "try again later"
    assert sent(glitchtip) == [("POST", ORG_RELEASES), ("GET", ORG_RELEASES + "1.0.0/")]


def test_create_release_of_a_taken_version_on_sentry_prints_it(run, standin):
    result = run("create-release", "control@abc123", "--project", "backend", *WRITE)
    assert result.code == 0 and result.json["version"] == "control@abc123"  # spec: 208, the release


@pytest.mark.parametrize("argv", [("--commit", "no-sha"), ("--ref", ""), ("--released", "--released-at", "2026-12-01"),
                                  ("--project", "Not A Slug")])
def test_create_release_bad_input_exits_2_before_any_request(run, standin, argv):
    project = () if "--project" in argv else ("--project", "backend")
    result = run("create-release", "web@3", *project, *argv, *WRITE)
    assert result.code == 2 and standin.log == []


def test_update_release_on_glitchtip_sends_what_the_release_holds(run, glitchtip):
    """GlitchTip's PUT replaces: the ref and release date go with the change, or they are lost."""
    run("create-release", "web@3", "--project", "frontend", "--ref", "v3", "--released-at",
        "2026-12-01T09:00:00Z", *WRITE)
    result = run("update-release", "web@3", "--url", "https://ci.example.com/3", *WRITE)
    assert result.code == 0, result.err
    assert bodies(glitchtip, "PUT") == [{"ref": "v3", "dateReleased": "2026-12-01T09:00:00Z",
                                         "url": "https://ci.example.com/3"}]
    assert result.json["ref"] == "v3" and result.json["dateReleased"] == "2026-12-01T09:00:00Z"
    assert result.json["unconfirmed"] == ["url"] and "notKept" not in result.json


def test_update_release_says_when_glitchtip_set_an_empty_release_date(run, glitchtip):
    result = run("update-release", "1.0.0", "--ref", "v1", *WRITE)  # recorded: its dateReleased is null
    assert result.code == 0, result.err
    assert bodies(glitchtip, "PUT") == [{"ref": "v1"}]
    assert result.json["ref"] == "v1" and result.json["notKept"] == ["dateReleased"]


def test_update_release_on_sentry_changes_only_what_was_asked(run, standin):
    result = run("update-release", "control@abc123", "--released-at", "2026-12-01T09:00:00Z", *WRITE)
    assert result.code == 0, result.err
    assert bodies(standin, "PUT") == [{"dateReleased": "2026-12-01T09:00:00Z"}]
    assert result.json["dateReleased"] == "2026-12-01T09:00:00Z"
    assert "unconfirmed" not in result.json and "notKept" not in result.json


def test_update_release_needs_a_change(run, standin):
    result = run("update-release", "control@abc123", *WRITE)
    assert result.code == 2 and standin.log == []


# --- commits and deploys -------------------------------------------------------------------------

def test_deploys_on_sentry(run, standin):
    created = run("create-deploy", "control@abc123", "--env", "production", "--name", "rollout 7",
                  "--started", "2026-12-01T09:00:00Z", "--finished", "2026-12-01T09:05:00Z", *WRITE)
    assert created.code == 0, created.err
    assert bodies(standin, "POST") == [{"environment": "production", "name": "rollout 7",
                                        "dateStarted": "2026-12-01T09:00:00Z",
                                        "dateFinished": "2026-12-01T09:05:00Z"}]
    listed = run("list-deploys", "control@abc123")
    assert [d["environment"] for d in listed.json["items"]] == ["production", "canary-test-control"]
    assert run("release-detail", "control@abc123").json["deployCount"] == 2


@pytest.mark.parametrize("argv", [(), ("--env", "prod", "--started", "2026-12-01T10:00:00Z",
                                       "--finished", "2026-12-01T09:00:00Z")])
def test_create_deploy_bad_input_exits_2(run, standin, argv):
    result = run("create-deploy", "control@abc123", *argv, *WRITE)
    assert result.code == 2 and standin.log == []


@pytest.mark.parametrize("argv", [("release-commits", "1.0.0"), ("list-deploys", "1.0.0"),
                                  ("create-deploy", "1.0.0", "--env", "production", "--allow-write")])
def test_glitchtip_lacks_commits_and_deploys(run, glitchtip, argv):
    result = run(*argv)
    assert result.code == 7 and result.out == ""
    assert result.error["type"] == "unsupported" and "try again" not in result.err.lower()
    assert len(glitchtip.log) == 1  # nothing retried, nothing else tried


def test_release_commits_on_sentry_show_the_author_by_id(run, standin):
    result = run("release-commits", "control@abc123")
    assert result.code == 0, result.err
    assert result.json["items"] == [{"id": "xyz123", "repository": "raj/raspberries",
                                     "message": "feat(raspberries): Made raspberries even more delicious",
                                     "author": "user:2837091", "dateCreated": "2024-05-21T11:04:55Z"}]


def test_list_issues_takes_first_release_as_a_field(run, standin):
    result = run("list-issues", "--query", "firstRelease:shop@2.4.1", "--fields", "shortId,firstRelease")
    assert result.code == 0, result.err
    assert standin.log[0]["query"]["query"] == ["firstRelease:shop@2.4.1"]
    assert all(set(item) <= {"shortId", "firstRelease"} for item in result.json["items"])
