"""Teams on Sentry and on GlitchTip: what each command sent and what it printed.

GlitchTip serves the same paths, but its teams have no name, its writes take only
`slug` (a name alone is 422), and a taken slug is a bare 500 page where Sentry
answers 409 (recorded: team_create_name_only, team_update_name_only,
team_create_duplicate; server_teams.py).
"""

from __future__ import annotations

import json

import pytest

DIALECTS = ["sentry", "glitchtip"]
WRITE = ("--allow-write",)


def bodies(server, method):
    return [json.loads(e["body"]) for e in server.log if e["method"] == method]


def queries(server):
    return [(e["path"], e["query"]) for e in server.log]


# --- reads ---------------------------------------------------------------------------------


def test_list_teams_on_sentry(run, standin):
    result = run("list-teams")
    assert result.code == 0, result.err
    assert result.json == {"items": [{"slug": "acme", "name": "acme", "id": "1", "memberCount": 1, "isMember": True,
                                      "projects": ["backend", "frontend"],
                                      "dateCreated": "2026-12-01T08:53:57Z"}], "count": 1}
    # Sentry pages by per_page, GlitchTip by limit: both are sent.
    assert queries(standin) == [("/api/0/organizations/acme/teams/", {"per_page": ["100"], "limit": ["100"]})]


def test_list_teams_on_glitchtip_has_no_name(run, glitchtip):
    result = run("list-teams")
    assert result.code == 0, result.err
    assert result.json["items"] == [{"slug": "acme", "id": "1", "memberCount": 1, "isMember": True,
                                     "projects": ["backend", "frontend"], "dateCreated": "2026-12-01T08:53:57Z"}]


def test_team_detail_asks_sentry_for_the_projects_and_not_the_organization(run, standin):
    result = run("team-detail", "acme")
    assert result.code == 0, result.err
    assert result.json["projects"] == ["backend", "frontend"]
    assert queries(standin) == [("/api/0/teams/acme/acme/", {"expand": ["projects"], "collapse": ["organization"]})]
    raw = run("team-detail", "acme", "--raw").json
    assert "organization" not in raw and raw["slug"] == "acme"


@pytest.mark.parametrize("dialect", DIALECTS)
def test_team_detail_of_a_team_that_does_not_exist(run, standin_factory, dialect):
    standin_factory(dialect)
    result = run("team-detail", "nope")
    assert result.code == 5 and result.out == "" and result.error["type"] == "not_found"


@pytest.mark.parametrize("dialect", DIALECTS)
def test_team_projects_as_slugs(run, standin_factory, dialect):
    server = standin_factory(dialect)
    result = run("team-projects", "acme")
    assert result.code == 0, result.err
    assert [(p["slug"], p["platform"]) for p in result.json["items"]] == [("backend", "python"), ("frontend", "node")]
    assert server.paths() == ["/api/0/teams/acme/acme/projects/"]
    teams = run("team-projects", "acme", "--fields", "slug,teams").json["items"]
    if dialect == "sentry":  # spec: each project names its teams; here as their slugs
        assert teams == [{"slug": "backend", "teams": ["acme"]}, {"slug": "frontend", "teams": ["acme"]}]


@pytest.mark.parametrize("dialect, member", [
    ("glitchtip", {"id": "1", "name": "Alice Admin", "email": "alice.admin@acme-corp.example", "role": "owner",
                   "pending": False}),
    ("sentry", {"id": "57377908164", "name": "Sir Penguin", "email": "sirpenguin@antarcticarocks.com",
                "role": "member", "teamRole": "member", "pending": False, "expired": False}),
])
def test_team_members_show_name_and_email(run, standin_factory, dialect, member):
    """A member command (PRODUCT.md section 5): the members show by name and email."""
    standin_factory(dialect)
    result = run("team-members", "acme")
    assert result.code == 0, result.err
    assert result.json == {"items": [member], "count": 1}
    assert run("team-members", "acme", "--fields", "id,user").json["items"][0]["user"].startswith("user:")


@pytest.mark.parametrize("dialect", DIALECTS)
def test_team_members_raw_keeps_name_and_email_and_drops_login_data_and_avatars(run, standin_factory, dialect):
    standin_factory(dialect)
    result = run("team-members", "acme", "--raw")
    assert result.code == 0, result.err
    member = result.json["items"][0]
    assert "@" in member["email"] and member["user"]["name"]
    user = member["user"]
    for gone in ("lastLogin", "dateJoined", "identities", "emails", "has2fa", "isSuperuser"):
        assert gone not in user, gone
    assert user.get("avatarUrl") in (None, "[avatar]")
    assert "16aeb26c5fdba335c7078e9e9ddb5149" not in result.out


def test_other_people_stay_hidden_beside_the_named_members(run, standin):
    """Only the members themselves show: the one who invited them does not (spec: inviterName)."""
    result = run("team-members", "acme", "--raw")
    assert result.json["items"][0]["inviterName"] == "[email]"
    assert "maininviter" not in result.out


# --- create-team ------------------------------------------------------------------------------


def test_create_team_by_name_sends_the_slug_too_and_sentry_keeps_the_name(run, standin):
    result = run("create-team", "--name", "Backend On-call", *WRITE)
    assert result.code == 0, result.err
    assert bodies(standin, "POST") == [{"slug": "backend-on-call", "name": "Backend On-call"}]
    assert result.json == {"slug": "backend-on-call", "name": "Backend On-call", "id": "2", "memberCount": 1,
                           "isMember": True, "dateCreated": result.json["dateCreated"]}
    assert run("team-detail", "backend-on-call").json["name"] == "Backend On-call"


def test_create_team_on_glitchtip_says_the_name_was_not_kept(run, glitchtip):
    """GlitchTip refuses a name alone (422, recorded: team_create_name_only) and drops it beside a slug."""
    result = run("create-team", "--name", "Backend On-call", *WRITE)
    assert result.code == 0, result.err
    assert bodies(glitchtip, "POST") == [{"slug": "backend-on-call", "name": "Backend On-call"}]
    assert result.json["slug"] == "backend-on-call" and "name" not in result.json
    assert result.json["unconfirmed"] == ["name"]


def test_create_team_with_a_slug_alone(run, glitchtip):
    result = run("create-team", "--slug", "oncall", *WRITE)
    assert result.code == 0, result.err
    assert bodies(glitchtip, "POST") == [{"slug": "oncall"}] and "unconfirmed" not in result.json


def test_a_taken_slug_on_sentry_is_its_409(run, standin):
    result = run("create-team", "--slug", "acme", *WRITE)
    assert result.code == 7 and result.out == ""
    assert result.error["status"] == 409 and "already exists" in result.error["message"]
    assert standin.paths() == ["/api/0/organizations/acme/teams/"]


def test_a_taken_slug_on_glitchtip_is_named_not_try_again_later(run, glitchtip):
    """GlitchTip answers a bare 500 page (recorded: team_create_duplicate): one GET tells why."""
    result = run("create-team", "--slug", "acme", *WRITE)
    assert result.code == 7 and result.out == ""
    assert result.error["type"] == "conflict" and "already exists" in result.error["message"]
    assert "team-detail acme" in result.error["hint"]
    assert [(e["method"], e["path"]) for e in glitchtip.log] == [("POST", "/api/0/organizations/acme/teams/"),
                                                                 ("GET", "/api/0/teams/acme/acme/")]


def test_a_500_for_a_slug_that_is_free_stays_a_server_failure(run, glitchtip):
    from standin import Fault
    from server_teams import HTML, HTML_500
    glitchtip.fail(r"/teams/$", Fault(500, HTML_500, HTML))
    result = run("create-team", "--slug", "fresh", *WRITE)
    assert result.code == 6 and result.error["status"] == 500
    assert glitchtip.paths() == ["/api/0/organizations/acme/teams/", "/api/0/teams/acme/fresh/"]


@pytest.mark.parametrize("argv, message", [
    (["create-team"], "needs --name or --slug"),
    (["create-team", "--slug", "Has Space"], "not a team slug"),
    (["create-team", "--slug", "12345"], "not a team slug"),
    (["create-team", "--slug", "x" * 51], "not a team slug"),
    (["create-team", "--name", "日本"], "No team slug can be made"),
    (["create-team", "--name", "x" * 65], "--name must be"),
    (["update-team", "acme"], "needs --name or --slug"),
    (["update-team", "acme", "--slug", "UPPER"], "not a team slug"),
    (["delete-team", "a/b", "--confirm"], "not a valid slug"),
    (["team-members", "../x"], "not a valid slug"),
])
def test_bad_input_exits_2_before_any_request(run, standin, argv, message):
    result = run(*argv, *(WRITE if argv[0] != "team-members" else ()))
    assert result.code == 2 and message in result.error["message"] and standin.log == []


# --- update-team, delete-team ---------------------------------------------------------------------


@pytest.mark.parametrize("dialect", DIALECTS)
def test_update_team_renames_it(run, standin_factory, dialect):
    server = standin_factory(dialect)
    result = run("update-team", "acme", "--slug", "acme-core", *WRITE)
    assert result.code == 0, result.err
    assert bodies(server, "PUT") == [{"slug": "acme-core"}]
    assert result.json["slug"] == "acme-core" and "unconfirmed" not in result.json
    assert run("team-detail", "acme-core").code == 0 and run("team-detail", "acme").code == 5


def test_update_team_name_sends_the_slug_it_keeps(run, standin):
    result = run("update-team", "acme", "--name", "Acme Core", *WRITE)
    assert result.code == 0, result.err
    assert bodies(standin, "PUT") == [{"slug": "acme", "name": "Acme Core"}]
    assert result.json["name"] == "Acme Core" and "unconfirmed" not in result.json


def test_update_team_name_on_glitchtip_is_unconfirmed(run, glitchtip):
    """A name alone would be 422 (recorded: team_update_name_only); with the slug it is dropped."""
    result = run("update-team", "acme", "--name", "Acme Core", *WRITE)
    assert result.code == 0, result.err
    assert bodies(glitchtip, "PUT") == [{"slug": "acme", "name": "Acme Core"}]
    assert result.json["unconfirmed"] == ["name"] and result.json["slug"] == "acme"


@pytest.mark.parametrize("dialect", DIALECTS)
def test_delete_team(run, standin_factory, dialect):
    server = standin_factory(dialect)
    assert run("delete-team", "acme", *WRITE).code == 8  # --confirm as well
    result = run("delete-team", "acme", *WRITE, "--confirm")
    assert result.code == 0, result.err
    assert result.json == {"slug": "acme", "deleted": True}
    assert [(e["method"], e["path"]) for e in server.log] == [("DELETE", "/api/0/teams/acme/acme/")]
    assert run("team-detail", "acme").code == 5
    again = run("delete-team", "acme", *WRITE, "--confirm")
    assert again.code == 5 and again.out == ""
