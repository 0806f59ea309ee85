"""Organizations and projects: what each command sends and prints, on Sentry and on GlitchTip."""

import json

import pytest


def sent(server, method):
    return [(entry["path"], json.loads(entry["body"]) if entry["body"] else None)
            for entry in server.log if entry["method"] == method]


# -- organizations ----------------------------------------------------------------------

@pytest.mark.parametrize("dialect", ["sentry", "glitchtip"])
def test_list_orgs_needs_no_configured_org_and_asks_both_page_sizes(run, standin_factory, monkeypatch, dialect):
    server = standin_factory(dialect)
    monkeypatch.delenv("SENTRY_ORG")
    result = run("list-orgs", "--limit", "5")
    assert result.code == 0, result.err
    assert result.json == {"items": [{"id": "1", "slug": "acme", "name": "acme", "status": "active",
                                      "dateCreated": "2026-12-01T08:53:57Z"}], "count": 1}
    assert [(e["path"], e["query"]) for e in server.log] == [
        ("/api/0/organizations/", {"per_page": ["5"], "limit": ["5"]})]


def test_org_detail_names_its_teams_and_projects(run, glitchtip):
    result = run("org-detail")
    assert result.code == 0, result.err
    assert result.json["teams"] == ["team:acme"] and result.json["projects"] == ["backend", "frontend"]


def test_update_org_on_glitchtip_says_what_the_answer_does_not_confirm(run, glitchtip):
    """GlitchTip takes only the name; the slug asked for stays as it was (recorded: org_update_name)."""
    result = run("update-org", "--name", "Acme Corp", "--slug", "acme-corp", "--allow-write")
    assert result.code == 0, result.err
    assert result.json == {"id": "1", "slug": "acme", "name": "Acme Corp", "unconfirmed": ["slug"]}
    assert sent(glitchtip, "PUT") == [("/api/0/organizations/acme/", {"name": "Acme Corp", "slug": "acme-corp"})]
    assert run("org-detail", "--fields", "name").json == {"name": "Acme Corp"}


def test_update_org_without_a_name_on_glitchtip_is_refused_with_what_it_needs(run, glitchtip):
    """GlitchTip requires the name in every update (recorded: org_update_sentry_fields, a 422)."""
    result = run("update-org", "--early-adopter", "--allow-write")
    assert result.code == 7 and result.out == ""
    assert result.error["status"] == 422 and "--name" in result.error["hint"]
    assert sent(glitchtip, "PUT") == [("/api/0/organizations/acme/", {"isEarlyAdopter": True})]


def test_update_org_on_sentry_changes_a_setting_alone(run, standin):
    result = run("update-org", "--no-open-membership", "--require-2fa", "--allow-write")
    assert result.code == 0, result.err
    assert result.json == {"id": "1", "slug": "acme", "name": "acme", "openMembership": False, "require2FA": True}
    assert sent(standin, "PUT") == [("/api/0/organizations/acme/", {"openMembership": False, "require2FA": True})]


@pytest.mark.parametrize("argv", [[], ["--name", ""], ["--name", "x" * 65], ["--slug", "Not A Slug"],
                                  ["--default-role", "boss"]])
def test_update_org_bad_input_exits_2_before_any_request(run, standin, argv):
    result = run("update-org", *argv, "--allow-write")
    assert result.code == 2 and standin.log == []


# -- projects -----------------------------------------------------------------------------

@pytest.mark.parametrize("dialect", ["sentry", "glitchtip"])
def test_list_projects_shows_the_owning_teams(run, standin_factory, dialect):
    server = standin_factory(dialect)
    result = run("list-projects")
    assert result.code == 0, result.err
    assert [(p["slug"], p["platform"], p["teams"]) for p in result.json["items"]] == [
        ("backend", "python", ["team:acme"]), ("frontend", "node", ["team:acme"])]
    assert server.paths() == ["/api/0/organizations/acme/projects/"]


@pytest.mark.parametrize("dialect", ["sentry", "glitchtip"])
def test_list_projects_of_a_team(run, standin_factory, dialect):
    server = standin_factory(dialect)
    result = run("list-projects", "--team", "acme", "--limit", "1")
    assert result.code == 0, result.err
    assert [p["slug"] for p in result.json["items"]] == ["backend"] and result.json["next_cursor"]
    assert [(e["path"], e["query"]) for e in server.log] == [
        ("/api/0/teams/acme/acme/projects/", {"per_page": ["1"], "limit": ["1"]})]
    assert run("list-projects", "--team", "nope").code == 5
    assert run("list-projects", "--team", "a/b").code == 2


def test_project_detail_on_glitchtip_asks_the_project_teams(run, glitchtip):
    """GlitchTip's project answer names no team (recorded: project_detail): one more request."""
    result = run("project-detail", "backend")
    assert result.code == 0, result.err
    assert result.json["teams"] == ["team:acme"]
    assert glitchtip.paths() == ["/api/0/projects/acme/backend/", "/api/0/projects/acme/backend/teams/"]
    raw = run("project-detail", "frontend", "--raw")
    assert "teams" not in raw.json and glitchtip.paths()[-1] == "/api/0/projects/acme/frontend/"


def test_project_detail_on_sentry_is_one_request(run, standin):
    result = run("project-detail", "backend", "--fields", "slug,teams,organization")
    assert result.json == {"slug": "backend", "teams": ["team:acme"]}
    assert standin.paths() == ["/api/0/projects/acme/backend/"]
    assert run("project-detail", "nope").code == 5


@pytest.mark.parametrize("dialect", ["sentry", "glitchtip"])
def test_create_update_and_delete_a_project(run, standin_factory, dialect):
    server = standin_factory(dialect)
    created = run("create-project", "--team", "acme", "--name", "Checkout", "--slug", "checkout",
                  "--platform", "python", "--allow-write")
    assert created.code == 0, created.err
    assert created.json["slug"] == "checkout" and created.json["platform"] == "python"
    assert sent(server, "POST") == [("/api/0/teams/acme/acme/projects/",
                                     {"name": "Checkout", "slug": "checkout", "platform": "python"})]
    assert "checkout" in [p["slug"] for p in run("list-projects").json["items"]]

    updated = run("update-project", "checkout", "--name", "Checkout API", "--platform", "python-flask",
                  "--allow-write")
    assert updated.code == 0, updated.err
    assert updated.json["name"] == "Checkout API" and updated.json["platform"] == "python-flask"
    assert "unconfirmed" not in updated.json

    deleted = run("delete-project", "checkout", "--allow-write", "--confirm")
    assert deleted.code == 0, deleted.err
    assert deleted.json["slug"] == "checkout" and deleted.json["deleted"] is True
    assert sent(server, "DELETE") == [("/api/0/projects/acme/checkout/", None)]
    assert run("project-detail", "checkout").code == 5


def test_update_project_on_glitchtip_needs_the_name(run, glitchtip):
    """GlitchTip's project update requires name (its ProjectIn schema): a 422 with what to give."""
    result = run("update-project", "backend", "--platform", "python-django", "--allow-write")
    assert result.code == 7 and "--name" in result.error["hint"]


def test_update_project_on_sentry_names_what_the_answer_lacks(run, standin):
    """A setting the server does not state back is `unconfirmed`, never taken from the request."""
    result = run("update-project", "backend", "--resolve-age", "24", "--bookmark", "--allow-write")
    assert result.code == 0, result.err
    assert result.json["resolveAge"] == 24 and result.json["isBookmarked"] is True
    assert "unconfirmed" not in result.json


@pytest.mark.parametrize("argv", [
    ["create-project", "--name", "x"],                       # no team
    ["create-project", "--team", "acme"],                    # no name
    ["create-project", "--team", "acme", "--name", "x", "--slug", "12345"],  # all digits
    ["create-project", "--team", "acme", "--name", "x", "--slug", "Has Caps"],
    ["update-project", "backend"],                           # nothing to change
    ["update-project", "backend", "--resolve-age", "-1"],
    ["update-project", "backend", "--platform", "Py thon"],
    ["delete-project", "../acme"],
])
def test_project_writes_check_their_input_before_any_request(run, standin, argv):
    result = run(*argv, "--allow-write", "--confirm")
    assert result.code == 2, result.err
    assert standin.log == []


# -- a project's end users ---------------------------------------------------------------

def test_project_users_show_no_personal_data(run, standin):
    result = run("project-users", "backend")
    assert result.code == 0, result.err
    assert result.json == {"items": [{"id": "1", "identifiedBy": "email"}], "count": 1}
    raw = run("project-users", "backend", "--raw")
    user = raw.json["items"][0]
    assert (user["email"], user["username"], user["name"], user["ipAddress"], user["avatarUrl"], user["hash"]) == (
        "[email]", "[username]", "[name]", "[ip]", "[avatar]", "[avatar]")
    assert user["tagValue"] == "email:[email]"


def test_project_users_on_glitchtip_is_unsupported(run, glitchtip):
    """GlitchTip has no such route: its web app's catch-all answers an HTML 500 (recorded: project_users)."""
    result = run("project-users", "backend")
    assert result.code == 7 and result.out == ""
    assert result.error["type"] == "unsupported"
    assert glitchtip.paths() == ["/api/0/projects/acme/backend/users/"]  # not retried: nothing to try later
