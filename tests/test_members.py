"""The member commands: members shown with name and email, the writes in the form both servers take."""

import json

import pytest

from standin import Fault

ALICE = {"id": "1", "name": "Alice Admin", "email": "alice.admin@acme-corp.example", "orgRole": "owner",
         "pending": False, "dateCreated": "2026-12-01T08:53:57Z", "user": "user:1"}
DIALECTS = ["sentry", "glitchtip"]


@pytest.mark.parametrize("dialect", DIALECTS)
def test_list_members_shows_name_email_and_role_on_both_servers(run, standin_factory, dialect):
    server = standin_factory(dialect)
    result = run("list-members")
    assert result.code == 0, result.err
    items = result.json["items"]
    assert items[0] == ALICE  # GlitchTip's `role` printed as Sentry's `orgRole`
    assert items[1]["email"] == "scratch.invitee@example.com" and items[1]["pending"] is True
    assert "user" not in items[1]  # a pending invite has no user yet
    size = "limit" if dialect == "glitchtip" else "per_page"
    assert server.log[0]["query"][size] == ["100"]


@pytest.mark.parametrize("dialect", DIALECTS)
def test_member_detail_adds_the_teams(run, standin_factory, dialect):
    standin_factory(dialect)
    result = run("member-detail", "1")
    assert result.code == 0, result.err
    assert result.json == {**ALICE, "teams": ["acme"]}


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("extra", [["--raw"], ["--format", "table"], ["--fields", "id,user,name"]])
def test_avatars_and_login_data_never_show(run, standin_factory, dialect, extra):
    standin_factory(dialect)
    result = run("member-detail", "1", *extra)
    assert result.code == 0, result.err
    for word in ("lastLogin", "dateJoined", "hasPasswordAuth", "identities", "gravatar", "has2fa", "emails",
                 "isSuperuser", "options"):
        assert word not in result.out, word
    assert "Alice Admin" in result.out


def test_a_member_id_must_be_a_number(run, standin):
    result = run("member-detail", "alice")
    assert result.code == 2 and standin.log == []
    assert "list-members" in result.error["hint"]


@pytest.mark.parametrize("dialect", DIALECTS)
def test_a_member_that_does_not_exist_is_exit_5(run, standin_factory, dialect):
    standin_factory(dialect)
    result = run("member-detail", "99")
    assert result.code == 5 and result.out == ""


# -- writes ----------------------------------------------------------------------


def _sent(server, method):
    return [json.loads(entry["body"]) for entry in server.log if entry["method"] == method]


@pytest.mark.parametrize("dialect", DIALECTS)
def test_invite_sends_org_role_and_team_roles_and_prints_the_invite(run, standin_factory, dialect):
    server = standin_factory(dialect)
    result = run("invite-member", "--email", "new.person@example.com", "--role", "admin", "--team", "acme",
                 "--allow-write")
    assert result.code == 0, result.err
    assert _sent(server, "POST") == [{"email": "new.person@example.com", "orgRole": "admin",
                                      "teamRoles": [{"teamSlug": "acme", "role": "contributor"}], "reinvite": False}]
    assert result.json["email"] == "new.person@example.com" and result.json["orgRole"] == "admin"
    assert result.json["pending"] is True and result.json["id"] == "3"
    listed = run("list-members").json["items"]
    assert [member["email"] for member in listed][-1] == "new.person@example.com"


def test_glitchtip_refuses_an_address_already_invited_with_409(run, glitchtip):
    result = run("invite-member", "--email", "scratch.invitee@example.com", "--allow-write")
    assert result.code == 7 and result.out == ""
    assert result.error["status"] == 409 and "already invited" in result.error["message"]


def test_sentry_refuses_an_address_already_invited_with_400(run, standin):
    result = run("invite-member", "--email", "scratch.invitee@example.com", "--allow-write")
    assert result.code == 7 and result.error["status"] == 400 and "already been invited" in result.error["message"]


def test_glitchtip_needs_org_role_not_sentrys_older_role(run, glitchtip):
    """The recorded 422: what GlitchTip says to a body with `role` and no `orgRole`."""
    glitchtip.fail(r"/members/$", Fault(422, json.dumps(
        {"detail": [{"type": "missing", "loc": ["body", "payload", "orgRole"], "msg": "Field required"}]}).encode()))
    result = run("invite-member", "--email", "x@example.com", "--allow-write")
    assert result.code == 7 and "orgRole" in result.error["message"]
    assert "orgRole" in _sent(glitchtip, "POST")[0]  # we always send it


@pytest.mark.parametrize("argv, words", [
    (["invite-member", "--role", "member"], "needs --email"),
    (["invite-member", "--email", "not-an-address"], "not an email"),
    (["invite-member", "--email", "a@example.com", "--role", "god"], "invalid choice"),
    (["invite-member", "--email", "a@example.com", "--team", "acme:boss"], "not a team role"),
    (["invite-member", "--email", "a@example.com", "--team", "acme", "--team", "acme"], "twice"),
    (["update-member", "2"], "Nothing to change"),
    (["update-member", "two", "--role", "admin"], "not a member id"),
    (["remove-member", "x"], "not a member id"),
])
def test_bad_member_input_is_exit_2_and_sends_nothing(run, standin, argv, words):
    result = run(*argv, "--allow-write", "--confirm")
    assert result.code == 2 and standin.log == []
    assert words in result.err


@pytest.mark.parametrize("dialect", DIALECTS)
def test_update_member_role_prints_the_member_by_id_only(run, standin_factory, dialect):
    server = standin_factory(dialect)
    result = run("update-member", "2", "--role", "admin", "--allow-write")
    assert result.code == 0, result.err
    assert _sent(server, "PUT") == [{"orgRole": "admin"}]  # no teamRoles: Sentry would set the teams to none
    assert result.json == {"id": "2", "orgRole": "admin", "pending": True}
    assert run("member-detail", "2").json["orgRole"] == "admin"


def test_update_member_teams_on_sentry(run, standin):
    result = run("update-member", "2", "--team", "acme:admin", "--allow-write")
    assert result.code == 0, result.err
    assert _sent(standin, "PUT") == [{"teamRoles": [{"teamSlug": "acme", "role": "admin"}]}]
    assert result.json == {"id": "2", "orgRole": "member", "pending": True, "teams": ["acme"]}


def test_glitchtip_drops_the_teams_and_the_answer_says_so(run, glitchtip):
    result = run("update-member", "2", "--role", "admin", "--team", "acme", "--allow-write")
    assert result.code == 0, result.err
    assert result.json == {"id": "2", "orgRole": "admin", "pending": True, "unconfirmed": ["teams"]}


def test_update_member_never_shows_the_members_name_or_email(run, standin):
    result = run("update-member", "1", "--role", "owner", "--fields", "id,name,email,user", "--allow-write")
    assert result.code == 0, result.err
    assert result.json == {"id": "1", "name": "[name]", "email": "[email]", "user": "user:1"}


@pytest.mark.parametrize("dialect", DIALECTS)
def test_remove_member_needs_confirm_then_the_member_is_gone(run, standin_factory, dialect):
    server = standin_factory(dialect)
    assert run("remove-member", "2", "--allow-write").code == 8 and server.log == []
    result = run("remove-member", "2", "--allow-write", "--confirm")
    assert result.code == 0, result.err
    assert result.json == {"id": "2", "removed": True}
    assert run("member-detail", "2").code == 5


def test_glitchtip_refuses_to_remove_the_owner_itself(run, glitchtip):
    result = run("remove-member", "1", "--allow-write", "--confirm")
    assert result.code == 7 and "Transfer ownership" in result.error["message"]


def test_a_member_write_is_never_retried(run, standin):
    standin.fail(r"/members/", Fault(503, b'{"detail": "down"}'))
    result = run("invite-member", "--email", "x@example.com", "--allow-write")
    assert result.code == 6 and [e["method"] for e in standin.log] == ["POST"]


def test_the_stand_in_answers_members_as_glitchtip_did():
    """The tests' server model against the recordings it stands for (members_list, member_invite)."""
    from server_model import ORG, ServerModel, recorded

    model = ServerModel()
    status, listed, _ = model.route("GET", ORG + "/members/", {}, None, "glitchtip")
    assert status == 200 and listed == recorded("members_list") + [
        {key: value for key, value in recorded("member_detail").items() if key != "teams"}]
    invite = {"email": "scratch.other@example.com", "orgRole": "member", "teamRoles": []}  # member_invite's body
    status, answer, _ = model.route("POST", ORG + "/members/", {}, invite, "glitchtip")
    assert status == 201 and answer.keys() == recorded("member_invite").keys()
    status, _, _ = model.route("POST", ORG + "/members/", {}, {"email": "x@example.com", "role": "member"},
                               "glitchtip")
    assert status == 422
