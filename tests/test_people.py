"""Whose name and email show where (PRODUCT.md section 5), checked on every command of the table.

A member of the organization, Alice (member 1, user 1), stands in every place where
real servers put a person of the organization: the assignee, the actor of a status
change, seenBy, participants, activity, release authors and commit authors, and the
member lists. Every command of the command table runs against that stand-in, as
its example says (with the switches a write needs, and the example's issue and event
replaced by ones the stand-in has), in the default output, --raw and table. Alice's
email and name may show only in the member commands; every other command shows her
as `user:1` at most. A command added to the table is covered by being there.
"""

from __future__ import annotations

import shlex

import pytest

from sentry_skill.commands import TABLE
from server_model import ServerModel, spec_person

# The commands whose subject members are (PRODUCT.md section 5): only these show a member's name and email.
MEMBER_COMMANDS = frozenset({"list-members", "member-detail", "team-members", "invite-member", "whoami"})
EMAIL, NAME = "alice.admin@acme-corp.example", "Alice Admin"
WRITE_FLAGS = {"--dry-run", "--allow-write", "--confirm"}
# The examples name an issue and an event for the docs; these are the stand-in's.
STANDIN_VALUES = {"BACKEND-12": "BACKEND-B", "7306aab8480d4cd19eac0d61c840f15c": "53f432b8964743dd8474097b83426201"}
MODES = [(), ("--raw",), ("--format", "table")]
# Reads whose example (with STANDIN_VALUES) reaches the stand-in's data: they must succeed, or the check
# below proves nothing for them. A command added to the table is checked for leaks whatever it exits with.
REACHES_DATA = {"list-issues", "issue-detail", "lookup-short-id", "issue-events", "event-detail", "lookup-event-id",
                "whoami", "list-members", "member-detail"}


def alice_user() -> dict:
    """Alice as Sentry serializes a user (the spec's member example's `user`): name, email, avatar, logins."""
    user = spec_person("member")["user"]
    user.update(id="1", name=NAME, username=EMAIL, email=EMAIL)
    user["emails"][0]["email"] = EMAIL
    return user


def plant(value, key=None):
    """`value` with Alice wherever a server puts a person of the organization."""
    if isinstance(value, list):
        return [plant(item, key) for item in value]
    if not isinstance(value, dict):
        return value
    out = {k: plant(v, k) for k, v in value.items()}
    if key in ("assignedTo", "actor", "author", "createdBy", "owner") and out.get("type") != "team":
        return {"type": "user", "id": "1", "name": NAME, "email": EMAIL} if key == "assignedTo" else alice_user()
    if "shortId" in out:  # an issue (spec: the issue detail's people)
        out.update(assignedTo={"type": "user", "id": "1", "name": NAME, "email": EMAIL},
                   statusDetails={**(out.get("statusDetails") or {}), "actor": alice_user()},
                   seenBy=[alice_user()], participants=[alice_user()],
                   activity=[{"id": "1", "type": "note", "data": {"text": "looking"}, "user": alice_user()}])
    if "version" in out and ("authors" in out or "lastCommit" in out or "newGroups" in out):  # a release
        out.update(authors=[alice_user()],
                   lastCommit={**(out.get("lastCommit") or {}), "author": alice_user()})
    if "email" in out and "id" in out and out.get("email"):  # a member, or a person named in place
        out["email"] = EMAIL
        if out.get("name"):
            out["name"] = NAME
    return out


class PeopleEverywhere(ServerModel):
    """The tests' server model with Alice planted in every answer it gives."""

    def route(self, method, path, query, payload=None, dialect="sentry"):
        status, body, headers = super().route(method, path, query, payload, dialect)
        return status, (plant(body) if isinstance(body, (dict, list)) else body), headers


def argv_of(entry) -> list:
    words = [STANDIN_VALUES.get(word, word) for word in shlex.split(entry.example) if word not in WRITE_FLAGS]
    return [*words, *(("--allow-write", "--confirm") if entry.writes else ())]


@pytest.mark.parametrize("dialect", ["sentry", "glitchtip"])
@pytest.mark.parametrize("entry", TABLE, ids=lambda entry: entry.name)
def test_a_members_email_shows_only_in_the_member_commands(run, standin_factory, entry, dialect):
    printed = []
    for mode in MODES:
        standin_factory(dialect, model=PeopleEverywhere())  # fresh: a write changes what the next run sees
        result = run(*argv_of(entry), *mode)
        assert result.code != 1, (entry.name, mode, result.err)  # never an internal error
        if dialect == "sentry" and entry.name in REACHES_DATA:
            assert result.code == 0, (entry.name, mode, result.err)  # the example reached the planted data
        printed.append((mode, result.code, result.out + result.err))
    for mode, code, text in printed:
        if entry.name in MEMBER_COMMANDS:
            assert code or "@" in text, (entry.name, mode)  # a member command shows an email (here or the invitee's)
        else:
            assert EMAIL not in text and NAME not in text, (entry.name, mode, text[:2000])
            assert "gravatar" not in text and "lastLogin" not in text, (entry.name, mode)


def test_the_planted_person_reaches_the_commands_unredacted(run, standin_factory):
    """Without redaction Alice's email is there to leak: the test above is not vacuous."""
    standin_factory("sentry", model=PeopleEverywhere())
    for argv in (["issue-detail", "BACKEND-B"], ["list-issues"]):
        result = run(*argv, "--raw", "--no-redact")
        assert result.code == 0 and EMAIL in result.out and NAME in result.out, argv


def test_the_member_commands_show_alice_by_name_and_email(run, standin_factory):
    standin_factory("sentry", model=PeopleEverywhere())
    tried = [name for name in ("list-members", "member-detail", "whoami", "team-members")
             if name in {entry.name for entry in TABLE}]
    assert {"list-members", "member-detail", "whoami"} <= set(tried)
    for name in tried:
        entry = next(entry for entry in TABLE if entry.name == name)
        result = run(*argv_of(entry))
        assert result.code == 0 and EMAIL in result.out and NAME in result.out, name
