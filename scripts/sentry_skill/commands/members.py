"""Members: the organization's people and pending invites, and the writes that manage them.

Members are these commands' subject, so their entries print members' names and
emails (PRODUCT.md section 5: `people="named"`); update-member and remove-member
print the member by id only. Avatars and login data never show (redact.py drops or
masks them in every mode).

Sentry and GlitchTip take the same body, written the way both accept it: the
organization role as `orgRole` (GlitchTip requires it and refuses Sentry's older
`role` with 422), teams as `teamRoles: [{teamSlug, role}]` (Sentry reads each
item's `role`; GlitchTip reads only `teamSlug`). A member list has `orgRole` on
Sentry and `role` on GlitchTip; a member's teams come in the detail only.
"""

from __future__ import annotations

import re

from ..errors import UsageError
from ..ids import check_slug
from ..output import Result
from .spec import Command, Opt

ORG_ROLES = ("member", "admin", "manager", "owner", "billing")  # spec: the orgRole enum
TEAM_ROLES = ("contributor", "admin")                            # spec: teamRoles' roles
MEMBERS_PATH = "/organizations/{org}/members/"
MEMBER_PATH = "/organizations/{org}/members/{member}/"
# A plain address check, before any request: the server has the last word (Sentry: 75 characters at most).
EMAIL_SHAPE = re.compile(r"[^@\s]{1,64}@[^@\s.]+(\.[^@\s.]+)+")


def _teams(member: dict):
    """Team slugs: the detail's `teams`, else Sentry's `teamRoles`."""
    teams = member.get("teams")
    if isinstance(teams, list):
        return [team if isinstance(team, str) else (team or {}).get("slug") for team in teams]
    roles = member.get("teamRoles")
    if isinstance(roles, list):
        return [role.get("teamSlug") for role in roles if isinstance(role, dict)]
    return None


def _name(member: dict):
    """Sentry names the member; GlitchTip only its user (a pending invite has none)."""
    user = member.get("user") if isinstance(member.get("user"), dict) else {}
    return member.get("name") or user.get("name")


MEMBER_FIELDS = {
    "id": lambda m: m.get("id"),
    "name": _name,
    "email": lambda m: m.get("email"),
    "orgRole": lambda m: m.get("orgRole") or m.get("role"),
    "pending": lambda m: m.get("pending"),
    "expired": lambda m: m.get("expired") or None,
    "inviteStatus": lambda m: m.get("inviteStatus"),
    "teams": _teams,
    "teamRoles": lambda m: m.get("teamRoles"),
    "isOwner": lambda m: m.get("isOwner") or None,
    "dateCreated": lambda m: m.get("dateCreated"),
    "user": lambda m: f"user:{m['user']['id']}" if isinstance(m.get("user"), dict) and m["user"].get("id") else None,
}
MEMBER_DEFAULT = ("id", "name", "email", "orgRole", "pending", "expired", "teams", "dateCreated", "user")
# update-member and remove-member are not member commands in PRODUCT.md's sense: the member by id only.
CHANGED_DEFAULT = ("id", "orgRole", "pending", "teams", "user")


def shape_member(member: dict, fields) -> dict:
    return {name: MEMBER_FIELDS[name](member) for name in fields}


def _email_arg(text: str) -> str:
    email = text.strip()
    if len(email) > 75 or not EMAIL_SHAPE.fullmatch(email):
        raise UsageError(f"--email {text!r} is not an email address.",
                         hint="Give the invitee's address: jane@example.com.")
    return email


def _team_arg(text: str) -> dict:
    """SLUG or SLUG:ROLE -> a teamRoles item."""
    slug, _, role = text.partition(":")
    role = role or "contributor"
    if role not in TEAM_ROLES:
        raise UsageError(f"--team {text!r}: {role!r} is not a team role.",
                         hint=f"Use SLUG or SLUG:ROLE with ROLE one of {', '.join(TEAM_ROLES)}.")
    return {"teamSlug": check_slug(slug, "Team"), "role": role}


def _team_roles(ctx) -> dict:
    teams = ctx.args.team or []
    slugs = [team["teamSlug"] for team in teams]
    if len(set(slugs)) != len(slugs):
        raise UsageError("--team names a team twice.", hint="Give each team once.")
    return {"teamRoles": teams}


def needs_email(ctx) -> None:
    if not ctx.args.email:
        raise UsageError("invite-member needs --email.", hint="invite-member --email jane@example.com --role member")


def invite_body(ctx) -> dict:
    # reinvite false: inviting an address that is already invited is refused (GlitchTip 409, Sentry 400),
    # not a second e-mail sent without a word.
    return {"email": ctx.args.email, "orgRole": ctx.args.role, **_team_roles(ctx), "reinvite": False}


def update_body(ctx) -> dict:
    if ctx.args.role is None and not ctx.args.team:
        raise UsageError("Nothing to change.", hint="Give --role, --team, or both.")
    body = {"orgRole": ctx.args.role} if ctx.args.role else {}
    if ctx.args.team:  # only then: Sentry sets the member's teams to exactly these
        body.update(_team_roles(ctx))
    return body


def changed(ctx, response) -> Result:
    """The member as the answer states it, and `unconfirmed`: what was asked for and is not
    so in it (GlitchTip changes the role only and drops teamRoles without a word)."""
    answer = response.data if isinstance(response.data, dict) else {}
    unconfirmed = []
    if ctx.body.get("orgRole") and MEMBER_FIELDS["orgRole"](answer) != ctx.body["orgRole"]:
        unconfirmed.append("orgRole")
    wanted = sorted(team["teamSlug"] for team in ctx.body.get("teamRoles") or [])
    if "teamRoles" in ctx.body and sorted(_teams(answer) or []) != wanted:
        unconfirmed.append("teams")
    fields = ctx.shown_fields
    # Shaped after redaction, in the default mode: this member shows by id only.
    return Result(answer, lambda redacted: {**shape_member(redacted, fields), "unconfirmed": unconfirmed})


def removed(ctx, response) -> dict:
    return {"id": ctx.refs["member"], "removed": True}


TEAM_OPTION = Opt("--team", "a team as SLUG or SLUG:ROLE (contributor, the default, or admin); repeatable",
                  type=_team_arg, action="append", metavar="SLUG[:ROLE]")
FIELDS = tuple(MEMBER_FIELDS)

COMMANDS = (
    Command(
        "list-members", "members", "the organization's members and pending invites, with name and email",
        "list-members --limit 50",
        description=("Every member and pending invite of the organization. Members are this command's "
                     "subject, so their names and emails show; avatars and login data never do."),
        path=MEMBERS_PATH, scope="member:read", page_param=("per_page", "limit"), limit=100,
        fields=FIELDS, default_fields=MEMBER_DEFAULT, shape=shape_member, people="named",
    ),
    Command(
        "member-detail", "members", "one member: name, email, role, teams",
        "member-detail 1",
        description="One member or pending invite by its member id (list-members shows the ids).",
        path=MEMBER_PATH, scope="member:read", refs=("member",),
        fields=FIELDS, default_fields=MEMBER_DEFAULT, shape=shape_member, people="named",
    ),
    Command(
        "invite-member", "members", "invite someone by email, with an organization role and teams",
        "invite-member --email jane@example.com --role member --team acme --dry-run",
        description=("Invite a person to the organization; the server e-mails the invitation. An address "
                     "already invited or a member is refused (exit 7). The invite joins the --team teams; "
                     "their roles (SLUG:admin) are set by update-member on sentry.io, and GlitchTip has none."),
        method="POST", path=MEMBERS_PATH, scope="member:write",
        options=(Opt("--email", "the invitee's address (required)", type=_email_arg),
                 Opt("--role", "organization role (default member)", choices=ORG_ROLES, default="member"),
                 TEAM_OPTION),
        checks=(needs_email,), body=invite_body,
        fields=FIELDS, default_fields=MEMBER_DEFAULT, shape=shape_member, people="named",
    ),
    Command(
        "update-member", "members", "change a member's organization role or teams",
        "update-member 2 --role admin --dry-run",
        description=("Change one member's organization role (--role) and/or set its teams (--team: the "
                     "member's teams become exactly these). GlitchTip needs --role and changes only the "
                     "role; `unconfirmed` names what the server's answer does not show changed."),
        method="PUT", path=MEMBER_PATH, scope="member:write", refs=("member",),
        options=(Opt("--role", "the new organization role", choices=ORG_ROLES), TEAM_OPTION),
        body=update_body, answer=changed, fields=FIELDS, default_fields=CHANGED_DEFAULT,
    ),
    Command(
        "remove-member", "members", "remove a member or cancel an invite",
        "remove-member 2 --dry-run",
        description="Remove one member from the organization, or cancel a pending invite. Needs --confirm.",
        method="DELETE", path=MEMBER_PATH, scope="member:admin", refs=("member",), answer=removed,
    ),
)
