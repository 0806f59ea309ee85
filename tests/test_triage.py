"""Triage writes: the safety switch, the exact bodies, bulk rules, no retries."""

import base64
import json

import pytest

from standin import Fault

# Recorded from GlitchTip: its answer to status resolvedInNextRelease.
GLITCHTIP_422 = (b'{"detail": [{"type": "enum", "loc": ["body", "payload", "status"], "msg": "Input should be '
                 b"'unresolved', 'resolved' or 'ignored'\", \"ctx\": {\"expected\": \"'unresolved', 'resolved' or "
                 b"'ignored'\"}}]}")

# Writes whose first steps differ (a short id, a team slug, a count by query): the
# contract test (test_contract.py) runs every write entry's own example as well.
WRITES = [
    ["update-issue", "17", "--status", "resolved"],
    ["update-issue", "BACKEND-C", "--assign", "team:acme"],
    ["bulk-update-issues", "--id", "17", "--id", "BACKEND-B", "--status", "resolved", "--confirm"],
    ["bulk-update-issues", "--query", "is:unresolved", "--status", "resolved", "--confirm"],
    ["delete-issue", "BACKEND-C", "--confirm"],
]


def bodies(server, method="PUT"):
    return [json.loads(e["body"]) if e["body"] else None for e in server.log if e["method"] == method]


@pytest.mark.parametrize("argv", WRITES, ids=lambda a: " ".join(a[:2]))
def test_refused_without_the_switch_and_no_request_sent(run, standin, argv):
    result = run(*argv)
    assert result.code == 8 and result.out == ""
    assert result.error["type"] == "write_refused" and "--allow-write" in result.error["hint"]
    assert standin.log == []


def test_no_write_command_sends_anything_but_get_when_writes_are_off(run, standin):
    for argv in WRITES:
        run(*argv)
        run(*argv, "--dry-run")
    assert {entry["method"] for entry in standin.log} <= {"GET"}


def test_allow_write_from_the_environment(run, standin, monkeypatch):
    monkeypatch.setenv("SENTRY_ALLOW_WRITE", "1")
    assert run("update-issue", "17", "--status", "resolved").code == 0
    assert bodies(standin) == [{"status": "resolved"}]


def test_dry_run_sends_nothing_and_prints_the_exact_request(run, standin):
    result = run("update-issue", "17", "--archive", "--dry-run")
    assert result.code == 0 and standin.log == []
    assert result.json == {"dry_run": True, "method": "PUT",
                           "url": f"{standin.url}/api/0/organizations/acme/issues/17/",
                           "body": {"status": "ignored", "substatus": "archived_until_escalating",
                                    "statusDetails": {}}}
    assert "standin-token" not in result.out


@pytest.mark.parametrize("flags, body", [
    (["--status", "resolved"], {"status": "resolved"}),
    (["--status", "unresolved"], {"status": "unresolved"}),
    (["--status", "resolvedInNextRelease"], {"status": "resolvedInNextRelease"}),
    (["--in-release", "shop@2.4.1"], {"status": "resolved", "statusDetails": {"inRelease": "shop@2.4.1"}}),
    (["--in-commit", "a1b2c3d", "--repo", "acme/shop"],
     {"status": "resolved", "statusDetails": {"inCommit": {"commit": "a1b2c3d", "repository": "acme/shop"}}}),
    (["--archive"], {"status": "ignored", "substatus": "archived_until_escalating", "statusDetails": {}}),
    (["--archive", "--until-escalating"], {"status": "ignored", "substatus": "archived_until_escalating", "statusDetails": {}}),
    (["--archive", "--forever"], {"status": "ignored", "substatus": "archived_forever", "statusDetails": {}}),
    (["--archive", "--for", "2h"], {"status": "ignored", "substatus": "archived_until_condition_met",
                                    "statusDetails": {"ignoreDuration": 120}}),
    (["--archive", "--count", "50", "--window", "1h"],
     {"status": "ignored", "substatus": "archived_until_condition_met", "statusDetails": {"ignoreCount": 50, "ignoreWindow": 60}}),
    (["--archive", "--count", "50"],
     {"status": "ignored", "substatus": "archived_until_condition_met", "statusDetails": {"ignoreCount": 50}}),
    (["--archive", "--users", "10", "--window", "1d"],
     {"status": "ignored", "substatus": "archived_until_condition_met",
      "statusDetails": {"ignoreUserCount": 10, "ignoreUserWindow": 1440}}),
    # Counts are not --limit: well past 5000, up to the server's 32-bit column; windows up to a week.
    (["--archive", "--count", "10000", "--window", "1w"],
     {"status": "ignored", "substatus": "archived_until_condition_met",
      "statusDetails": {"ignoreCount": 10000, "ignoreWindow": 10080}}),
    (["--archive", "--users", "2147483647", "--window", "10080m"],
     {"status": "ignored", "substatus": "archived_until_condition_met",
      "statusDetails": {"ignoreUserCount": 2147483647, "ignoreUserWindow": 10080}}),
    (["--archive", "--for", "365d"], {"status": "ignored", "substatus": "archived_until_condition_met",
                                      "statusDetails": {"ignoreDuration": 525600}}),
    (["--assign", "jane"], {"assignedTo": "jane"}),
    (["--assign", "team:1"], {"assignedTo": "team:1"}),
    (["--unassign"], {"assignedTo": ""}),
    (["--bookmark"], {"isBookmarked": True}),
    (["--no-bookmark"], {"isBookmarked": False}),
    (["--seen"], {"hasSeen": True}),
    (["--priority", "high"], {"priority": "high"}),
    (["--status", "resolved", "--priority", "low", "--bookmark"], {"status": "resolved", "priority": "low", "isBookmarked": True}),
])
def test_exact_body_for_each_flag(run, standin, flags, body):
    result = run("update-issue", "17", *flags, "--allow-write")
    assert result.code == 0, result.err
    assert bodies(standin) == [body]
    assert standin.paths("PUT") == ["/api/0/organizations/acme/issues/17/"]
    assert result.json["id"] == "17" and result.json["shortId"] == "BACKEND-C"


def test_the_read_commands_show_the_new_state(run, standin):
    assert run("update-issue", "BACKEND-C", "--status", "resolvedInNextRelease", "--allow-write").code == 0
    shown = run("issue-detail", "17", "--fields", "status,statusDetails").json
    assert shown["status"] == "resolved" and shown["statusDetails"]["inNextRelease"] is True
    assert shown["statusDetails"]["actor"] == "user:280094367316"  # the acting user, by id only
    assert run("update-issue", "17", "--archive", "--forever", "--allow-write").code == 0
    assert run("issue-detail", "17", "--fields", "status,substatus").json == {
        "status": "ignored", "substatus": "archived_forever"}
    assert run("update-issue", "17", "--priority", "high", "--assign", "team:1", "--allow-write").code == 0
    assert run("issue-detail", "17", "--fields", "priority,assignedTo").json == {"priority": "high",
                                                                                 "assignedTo": "team:acme"}
    assert run("list-issues", "--query", "is:ignored", "--fields", "shortId").json["items"] == [{"shortId": "BACKEND-C"}]


def test_team_slug_is_turned_into_its_id_and_the_answer_reads_team_slug(run, standin):
    result = run("update-issue", "17", "--assign", "team:acme", "--allow-write")
    assert result.code == 0, result.err
    assert bodies(standin) == [{"assignedTo": "team:1"}]  # the form the API takes
    assert standin.paths("GET") == ["/api/0/teams/acme/acme/"]
    assert result.json["assignedTo"] == "team:acme"  # one form everywhere: the one reads print
    assert run("issue-detail", "17", "--fields", "assignedTo").json == {"assignedTo": "team:acme"}
    by_id = run("update-issue", "16", "--assign", "team:1", "--allow-write")
    assert by_id.json["assignedTo"] == "team:acme"


def test_a_team_the_server_does_not_know_is_its_refusal(run, standin):
    result = run("update-issue", "17", "--assign", "team:9", "--allow-write")
    assert result.code == 7 and result.out == ""
    assert "Team does not exist" in result.error["message"]


def test_the_actor_of_a_status_change_is_a_user_reference(run, standin):
    # spec: archiving until a condition answers statusDetails with the acting user, serialized whole.
    for argv in (("update-issue", "17", "--archive", "--count", "50"), ("update-issue", "16", "--in-release", "shop@2.4.1")):
        result = run(*argv, "--allow-write")
        assert result.code == 0, result.err
        assert result.json["statusDetails"]["actor"] == "user:280094367316"
        for person in ("Sir Penguin", "sirpenguin", "gravatar", "lastLogin", "has2fa", "2021-08-02"):
            assert person not in result.out, person
    assert run("issue-detail", "17", "--fields", "statusDetails").json == {
        "statusDetails": {"ignoreCount": 50, "actor": "user:280094367316"}}
    raw = run("issue-detail", "17", "--raw")
    assert raw.json["statusDetails"]["actor"] == {"id": "280094367316", "name": "[name]", "username": "[username]",
                                                  "email": "[email]", "avatarUrl": "[avatar]",
                                                  "avatar": {"avatarType": "letter_avatar", "avatarUuid": None}}


def test_put_is_never_retried(run, standin):
    standin.fail(r"/issues/17/$", Fault(503, b'{"detail":"unavailable"}'))
    result = run("update-issue", "17", "--status", "resolved", "--allow-write")
    assert result.code == 6 and result.out == ""
    assert len(standin.paths("PUT")) == 1 and run.sleeps == []


def test_glitchtip_says_clearly_it_has_no_resolved_in_next_release(run, glitchtip):
    glitchtip.fail(r"/issues/17/$", Fault(422, GLITCHTIP_422))
    result = run("update-issue", "17", "--status", "resolvedInNextRelease", "--allow-write")
    assert result.code == 7
    assert "resolvedInNextRelease" in result.error["message"] and "--in-release" in result.error["hint"]


def test_older_path_is_used_when_the_org_path_is_missing(run, glitchtip):
    glitchtip.fail(r"^/api/0/organizations/acme/issues/17/$", Fault(405, b"Method not allowed", {"Content-Type": "text/html"}))
    result = run("update-issue", "17", "--status", "resolved", "--allow-write")
    assert result.code == 0, result.err
    assert glitchtip.paths("PUT") == ["/api/0/organizations/acme/issues/17/", "/api/0/issues/17/"]


def test_a_500_on_a_write_is_not_taken_for_a_missing_route(run, glitchtip):
    glitchtip.fail(r"/issues/17/$", Fault(500, b"<html>Server Error</html>", {"Content-Type": "text/html"}))
    result = run("update-issue", "17", "--status", "resolved", "--allow-write")
    assert result.code == 6 and len(glitchtip.paths("PUT")) == 1


def test_delete_needs_confirm_then_is_queued(run, standin):
    result = run("delete-issue", "17", "--allow-write")
    assert result.code == 8 and "--confirm" in result.error["message"] and standin.log == []
    result = run("delete-issue", "BACKEND-C", "--allow-write", "--confirm")
    assert result.code == 0, result.err
    assert result.json == {"id": "17", "deleted": "queued",
                           "message": "Sentry removes the issue and its events in the background."}
    assert standin.paths("DELETE") == ["/api/0/organizations/acme/issues/17/"]
    assert run("issue-detail", "17").code == 5


@pytest.mark.parametrize("argv, words", [
    (["update-issue", "17"], "Nothing to change"),
    (["update-issue", "17", "--status", "resolved", "--archive"], "give one"),
    (["update-issue", "17", "--forever"], "goes with --archive"),
    (["update-issue", "17", "--archive", "--for", "2h", "--forever"], "Give one of"),
    (["update-issue", "17", "--archive", "--window", "1h"], "--window goes with"),
    (["update-issue", "17", "--archive", "--for", "soon"], "not a duration"),
    (["update-issue", "17", "--in-commit", "abc1234"], "go together"),
    (["update-issue", "17", "--in-commit", "not-a-sha", "--repo", "r"], "not a commit"),
    (["update-issue", "17", "--assign", "x", "--unassign"], "contradict"),
    (["update-issue", "17", "--status", "closed"], "invalid choice"),
    (["update-issue", "17", "--priority", "urgent"], "invalid choice"),
    (["update-issue", "17", "--assign", "team:../x", "--allow-write"], "not a valid slug"),
    (["bulk-update-issues", "--id", "17", "--query", "x", "--status", "resolved"], "not both"),
    (["delete-issue", "nope!"], "not an issue id"),
])
def test_bad_write_input_is_exit_2_and_sends_nothing(run, standin, argv, words):
    result = run(*argv)
    assert result.code == 2, result.err
    assert words.lower() in (result.error["message"] + result.error.get("hint", "")).lower()
    assert standin.log == []


@pytest.mark.parametrize("argv, scope", [
    (["update-issue", "17", "--status", "resolved", "--allow-write"], "event:write"),
    (["bulk-update-issues", "--id", "17", "--seen", "--allow-write", "--confirm"], "event:write"),
    (["delete-issue", "17", "--allow-write", "--confirm"], "event:admin"),
])
def test_403_on_a_write_names_its_scope(run, standin, argv, scope):
    standin.fail(r"/issues/(17/)?$", Fault(403, b'{"detail":"You do not have permission to perform this action."}'))
    result = run(*argv)
    assert result.code == 4 and scope in result.error["hint"]


# --- a short id: the write goes to the numeric id ----------------------------------------


@pytest.mark.parametrize("dialect", ["sentry", "glitchtip"])
def test_a_write_by_short_id_goes_to_the_numeric_id(run, standin_factory, dialect):
    """GlitchTip routes only numeric ids: a short id in a write path gets its CSRF page (403)."""
    server = standin_factory(dialect)
    result = run("update-issue", "BACKEND-C", "--status", "resolved", "--allow-write")
    assert result.code == 0, result.err
    assert server.paths("PUT") == ["/api/0/organizations/acme/issues/17/"]
    assert result.json["id"] == "17" and result.json["status"] == "resolved"


@pytest.mark.parametrize("dialect", ["sentry", "glitchtip"])
def test_the_dry_run_url_has_the_numeric_id(run, standin_factory, dialect):
    server = standin_factory(dialect)
    for argv in (["update-issue", "BACKEND-C", "--seen"], ["delete-issue", "BACKEND-C"]):
        result = run(*argv, "--dry-run")
        assert result.code == 0, result.err
        assert result.json["url"] == f"{server.url}/api/0/organizations/acme/issues/17/"
    assert {entry["method"] for entry in server.log} == {"GET"}  # the lookups


def test_delete_by_short_id_on_glitchtip(run, glitchtip):
    result = run("delete-issue", "BACKEND-C", "--allow-write", "--confirm")
    assert result.code == 0, result.err
    assert result.json == {"id": "17", "deleted": "done", "message": "The issue was deleted."}
    assert glitchtip.paths("DELETE") == ["/api/0/organizations/acme/issues/17/", "/api/0/issues/17/"]


def test_an_html_403_is_not_taken_for_a_missing_scope(run, glitchtip):
    """Django's CSRF page answers a write to a path GlitchTip has no API route for."""
    glitchtip.fail(r"/issues/17/$", Fault(403, b"<html><title>403 Forbidden</title>CSRF verification failed.</html>",
                                          {"Content-Type": "text/html"}))
    result = run("update-issue", "17", "--status", "resolved", "--allow-write")
    assert result.code == 7 and "scope" not in result.error["hint"]
    assert "no API route" in result.error["message"]


# --- only what the server confirmed ---------------------------------------------------------


def test_glitchtip_archive_prints_what_it_dropped_as_unconfirmed(run, glitchtip):
    result = run("update-issue", "17", "--archive", "--for", "2h", "--allow-write")
    assert result.code == 0, result.err
    assert result.json == {"id": "17", "shortId": "BACKEND-C", "status": "ignored",
                           "unconfirmed": ["substatus", "statusDetails.ignoreDuration"]}


def test_sentry_archive_prints_the_server_s_own_condition(run, standin):
    result = run("update-issue", "17", "--archive", "--for", "2h", "--allow-write")
    assert result.code == 0, result.err
    printed = result.json
    assert "unconfirmed" not in printed and printed["substatus"] == "archived_until_condition_met"
    assert printed["statusDetails"]["ignoreUntil"].endswith("Z")  # the snooze's end, not the 120 minutes asked
    assert printed["statusDetails"]["actor"] == "user:280094367316"  # a person of the organization: the id only
    assert "Alice" not in result.out and "ignoreDuration" not in result.out


@pytest.mark.parametrize("flags, unconfirmed", [
    (["--in-release", "shop@2.4.1"], ["statusDetails.inRelease"]),
    (["--status", "resolved", "--priority", "low", "--bookmark"], ["isBookmarked", "priority"]),
    (["--archive", "--forever"], ["substatus"]),
])
def test_glitchtip_never_shows_a_requested_value_it_did_not_echo(run, glitchtip, flags, unconfirmed):
    result = run("update-issue", "17", *flags, "--allow-write")
    assert result.code == 0, result.err
    assert result.json["unconfirmed"] == unconfirmed
    for name in unconfirmed:
        assert name.split(".")[-1] not in {k for k in result.json if k != "unconfirmed"}
    assert "shop@2.4.1" not in result.out and "archived_forever" not in result.out


def test_an_answer_that_says_otherwise_is_not_a_confirmation(run, standin):
    answer = json.dumps({"id": "17", "shortId": "BACKEND-C", "priority": "medium", "assignedTo": None}).encode()
    standin.fail(r"/issues/17/$", Fault(200, answer))
    result = run("update-issue", "17", "--priority", "high", "--assign", "jane", "--allow-write")
    assert result.json == {"id": "17", "shortId": "BACKEND-C", "priority": "medium",
                           "unconfirmed": ["assignedTo", "priority"]}


# --- what a server does not support: exit 7, with the real cause ------------------------


@pytest.mark.parametrize("flags, words", [
    (["--assign", "jane"], "changing the assignee"),
    (["--unassign"], "changing the assignee"),
    (["--bookmark"], "bookmarking"),
    (["--seen"], "marking issues seen"),
    (["--priority", "high"], "setting the priority"),
])
def test_glitchtip_s_500_to_a_change_without_status_is_not_supported(run, glitchtip, flags, words):
    result = run("update-issue", "17", *flags, "--allow-write")
    assert result.code == 7 and result.out == ""
    assert f"does not support {words}" in result.error["message"]
    assert "GlitchTip" in result.error["message"] and "--status" in result.error["hint"]
    assert len(glitchtip.paths("PUT")) == 1  # no fallback after a 500 on a write, no retry


def test_a_json_500_to_the_same_change_is_still_try_again_later(run, standin):
    """Sentry's own 500 is JSON: a real failure, not a missing feature."""
    standin.fail(r"/issues/17/$", Fault(500, b'{"detail": "Internal Error", "errorId": "abc"}'))
    result = run("update-issue", "17", "--priority", "high", "--allow-write")
    assert result.code == 6 and len(standin.paths("PUT")) == 1


@pytest.mark.parametrize("which", ["oldest", "recommended"])
def test_glitchtip_has_no_oldest_or_recommended_event(run, glitchtip, which):
    result = run("event-detail", which, "--issue", "17")
    assert result.code == 7 and result.out == ""
    assert f"no {which} event" in result.error["message"] and "event-detail latest" in result.error["hint"]


def test_sentry_serves_the_oldest_event(run, standin):
    assert run("event-detail", "oldest", "--issue", "17").code == 0


# --- --assign me -------------------------------------------------------------------------


def test_assign_me_is_the_token_s_user(run, standin):
    result = run("update-issue", "17", "--assign", "me", "--dry-run")
    assert result.code == 0, result.err
    assert result.json["body"] == {"assignedTo": "user:1"}
    assert standin.paths() == ["/api/0/users/me/"]
    result = run("update-issue", "17", "--assign", "ME", "--allow-write")
    assert bodies(standin)[-1] == {"assignedTo": "user:1"} and result.json["assignedTo"] == "user:1"


def test_assign_me_with_an_organization_token_is_refused_before_any_request(run, standin, monkeypatch):
    # A made-up organization token: the payload {"org": "acme"}, and a fake secret part.
    payload = base64.b64encode(b'{"org": "acme"}').decode().rstrip("=")
    monkeypatch.setenv("SENTRY_AUTH_TOKEN", f"sntrys_{payload}_fakesecret")
    result = run("update-issue", "17", "--assign", "me", "--dry-run")
    assert result.code == 2 and "organization token" in result.error["message"]
    assert standin.log == []
