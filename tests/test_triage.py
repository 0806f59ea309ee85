"""Triage writes: the safety switch, the exact bodies, bulk rules, no retries."""

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
    (["--in-release", "shop@2.4.2"], {"status": "resolved", "statusDetails": {"inRelease": "shop@2.4.2"}}),
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
    assert run("issue-detail", "17", "--fields", "status,statusDetails").json == {
        "status": "resolved", "statusDetails": {"inNextRelease": True, "actor": "user:280094367316"}}
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
    for argv in (("update-issue", "17", "--archive", "--count", "50"), ("update-issue", "16", "--in-release", "2.4.2")):
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
    assert result.json["deleted"] == "queued"
    assert standin.paths("DELETE") == ["/api/0/organizations/acme/issues/BACKEND-C/"]
    assert run("issue-detail", "17").code == 5


def test_bulk_without_ids_or_query_is_refused_outright(run, standin):
    for extra in ([], ["--allow-write", "--confirm"], ["--dry-run"]):
        result = run("bulk-update-issues", "--status", "resolved", *extra)
        assert result.code == 8 and "--id or --query" in result.error["message"]
    assert standin.log == []


def test_bulk_needs_confirm(run, standin):
    result = run("bulk-update-issues", "--id", "17", "--status", "resolved", "--allow-write")
    assert result.code == 8 and "--confirm" in result.error["message"] and standin.log == []


def test_bulk_by_ids(run, standin):
    result = run("bulk-update-issues", "--id", "17", "--id", "BACKEND-B", "--id", "17", "--archive",
                 "--allow-write", "--confirm")
    assert result.code == 0, result.err
    put = next(e for e in standin.log if e["method"] == "PUT")
    assert put["query"]["id"] == ["17", "16"]
    assert result.json["matched"] == 2 and result.json["ids"] == ["17", "16"]
    assert run("issue-detail", "16", "--fields", "status").json == {"status": "ignored"}


def test_bulk_by_query_counts_first_then_changes_exactly_those(run, standin):
    result = run("bulk-update-issues", "--query", "ZeroDivisionError", "--status", "resolved", "--dry-run")
    assert result.code == 0
    assert result.json["matched"] == 2 and standin.paths("PUT") == []
    assert result.json["requests"][0]["url"].endswith("/issues/?id=17&id=7")
    result = run("bulk-update-issues", "--query", "ZeroDivisionError", "--status", "resolved",
                 "--allow-write", "--confirm")
    assert result.code == 0 and result.json["updated"] == 2
    gets = [e for e in standin.log if e["method"] == "GET"]
    assert len(gets) == 2  # one count per run, dry run included
    assert run("list-issues", "--query", "is:unresolved ZeroDivisionError", "--fields", "shortId").json["count"] == 0


def test_bulk_above_max_is_refused_after_one_get(run, standin):
    result = run("bulk-update-issues", "--query", "", "--status", "resolved", "--max", "5",
                 "--allow-write", "--confirm")
    assert result.code == 8 and "more than --max 5" in result.error["message"]
    assert standin.paths("PUT") == [] and len(standin.log) == 1


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


def test_bulk_count_walks_on_when_the_server_sends_no_total(run, standin):
    link = {"Link": '<x>; rel="next"; results="true"; cursor="0:2:0"'}
    page1 = b'[{"id":"17","shortId":"BACKEND-C"},{"id":"16","shortId":"BACKEND-B"}]'
    page2 = b'[{"id":"15","shortId":"BACKEND-A"}]'
    standin.fail(r"^/api/0/organizations/acme/issues/$", Fault(200, page1, link), Fault(200, page2))
    result = run("bulk-update-issues", "--query", "is:unresolved", "--seen", "--max", "3", "--dry-run")
    assert result.code == 0, result.err
    assert result.json["matched"] == 3
    assert [e["query"]["limit"] for e in standin.log] == [["4"], ["2"]]
    standin.fail(r"^/api/0/organizations/acme/issues/$", Fault(200, page1, link), Fault(200, page1 + b""))
    result = run("bulk-update-issues", "--query", "is:unresolved", "--seen", "--max", "3", "--dry-run")
    assert result.code == 8 and "4 issues" in result.error["message"]
