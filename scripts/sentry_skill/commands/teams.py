"""Teams: the organization's teams, one team, its projects and members, and team writes.

Sentry and GlitchTip serve the same paths. They differ in what a team is and what a
write takes: a GlitchTip team has a slug and no name, and its create and update
take only `slug` (a name alone is refused with 422, a name beside it dropped); a
taken slug is 409 on Sentry and a bare 500 page on GlitchTip. So every write sends
the slug, and prints what the server's answer confirms.
"""

from __future__ import annotations

import re
import unicodedata

from ..errors import ApiError, SentryError, UsageError
from ..ids import seg
from .spec import Command, Opt

TEAM_PATH = "/teams/{org}/{team}/"
TEAMS_PATH = "/organizations/{org}/teams/"
# Sentry pages these lists with per_page, GlitchTip with limit; each ignores the other.
PAGE_PARAMS = ("per_page", "limit")
# A team slug both servers take: Sentry's `^(?![0-9]+$)[a-z0-9_\-]+$`, at most 50 characters
# (GlitchTip's SlugStr also allows capitals; Sentry does not).
NEW_SLUG_RE = re.compile(r"^(?![0-9]+$)[a-z0-9_-]{1,50}$")
MAX_NAME = 64  # Sentry's team name

TEAM_FIELDS = ("slug", "name", "id", "memberCount", "isMember", "projects", "dateCreated",
               "teamRole", "hasAccess", "isPending", "access")
TEAM_DEFAULT = ("slug", "name", "id", "memberCount", "isMember", "projects", "dateCreated")
PROJECT_FIELDS = ("slug", "name", "id", "platform", "dateCreated", "firstEvent", "isMember", "hasAccess",
                  "isBookmarked", "status", "teams")
PROJECT_DEFAULT = ("slug", "name", "id", "platform", "firstEvent", "isMember")
MEMBER_FIELDS = ("id", "name", "email", "role", "teamRole", "pending", "expired", "teams", "user",
                 "dateCreated", "inviteStatus")
MEMBER_DEFAULT = ("id", "name", "email", "role", "teamRole", "pending", "expired", "teams")


def _slugs(items) -> list:
    """Projects or teams as their slugs (strings stay as they are)."""
    return [item.get("slug") if isinstance(item, dict) else item for item in items or []]


def shape_team(team: dict, fields) -> dict:
    out = {}
    for name in fields:
        value = team.get(name)
        out[name] = _slugs(value) if name == "projects" else value
    return out


def shape_project(project: dict, fields) -> dict:
    return {name: _slugs(project.get(name)) if name == "teams" else project.get(name) for name in fields}


def shape_member(member: dict, fields) -> dict:
    """A team's member: name and email show here (a member command, PRODUCT.md section 5;
    the redaction's member mode kept them); the user behind it as user:<id>. Sentry names
    the organization role `orgRole` (`role` before), GlitchTip `role`."""
    user = member.get("user") if isinstance(member.get("user"), dict) else {}
    values = {
        "name": member.get("name") or user.get("name"),
        "email": member.get("email") or user.get("email"),
        "role": member.get("orgRole") or member.get("role"),
        "user": f"user:{user['id']}" if user.get("id") is not None else None,
    }
    return {name: values[name] if name in values else member.get(name) for name in fields}


# -- the body of a write, checked before any request -----------------------------------------

def _new_slug(slug: str) -> str:
    if not NEW_SLUG_RE.match(slug):
        raise UsageError(f"--slug {slug!r} is not a team slug the server takes.",
                         hint="Use lowercase letters, digits, '-' or '_', at most 50, not only digits.")
    return slug


def _name(name: str) -> str:
    if not name.strip() or len(name) > MAX_NAME:
        raise UsageError(f"--name must be 1 to {MAX_NAME} characters.")
    return name


def slug_from_name(name: str) -> str:
    """The slug a name gives, as Sentry derives it: ASCII, lowercase, '-' between words."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9_]+", "-", text.lower()).strip("-")[:50].rstrip("-")
    if not NEW_SLUG_RE.match(slug):
        raise UsageError(f"No team slug can be made from the name {name!r}.", hint="Give one with --slug.")
    return slug


def create_body(ctx) -> dict:
    """The slug always (GlitchTip requires it; from the name when not given), and the name
    when given (Sentry keeps it; GlitchTip drops it)."""
    name, slug = ctx.args.name, ctx.args.slug
    if name is None and slug is None:
        raise UsageError("create-team needs --name or --slug.", hint='create-team --name "Backend On-call"')
    body = {"slug": _new_slug(slug) if slug is not None else slug_from_name(_name(name))}
    if name is not None:
        body["name"] = _name(name)
    return body


def update_body(ctx) -> dict:
    """The slug always: GlitchTip requires it (and renames with it), Sentry's API description
    lists it as required; the team's own slug when it stays."""
    name, slug = ctx.args.name, ctx.args.slug
    if name is None and slug is None:
        raise UsageError("update-team needs --name or --slug.", hint="update-team acme --slug acme-core")
    body = {"slug": _new_slug(slug) if slug is not None else ctx.refs["team"]}
    if name is not None:
        body["name"] = _name(name)
    return body


# -- what a write prints ---------------------------------------------------------------------

def team_answer(ctx, response) -> dict:
    """The team as the answer states it, and `unconfirmed`: what was asked that the answer
    does not state (GlitchTip drops a name without a word)."""
    team = response.data if isinstance(response.data, dict) else {}
    out = shape_team(team, TEAM_DEFAULT)
    unconfirmed = [key for key, wanted in (ctx.body or {}).items() if team.get(key) != wanted]
    if unconfirmed:
        out["unconfirmed"] = unconfirmed
    return out


def deleted(ctx, response) -> dict:
    return {"slug": ctx.refs["team"], "deleted": True}


def slug_taken(ctx, failed: SentryError) -> SentryError:
    """GlitchTip answers a taken slug with a bare 500 page, where Sentry says 409: one GET of
    that slug then tells a taken slug from a server failure."""
    if failed.status != 500 or getattr(failed, "json_body", True):
        return failed
    slug = ctx.body["slug"]
    try:
        ctx.client.get(f"/teams/{seg(ctx.org)}/{seg(slug)}/", scope="team:read", expect=dict)
    except SentryError:  # not there (404), or no answer: the 500 stays what it was
        return failed
    error = ApiError(f"A team with the slug {slug!r} already exists: the server answered 500 to creating "
                     "another (GlitchTip's answer to a taken slug; Sentry's is 409).", status=500,
                     hint=f"Choose another --slug; team-detail {slug} shows the existing team.")
    error.type = "conflict"
    return error


COMMANDS = (
    Command(
        "list-teams", "teams", "the organization's teams (slug, name, members, projects)",
        "list-teams",
        description="The organization's teams, by slug, with their member count and projects (slugs).",
        path=TEAMS_PATH, scope="org:read", page_param=PAGE_PARAMS, limit=100,
        fields=TEAM_FIELDS, default_fields=TEAM_DEFAULT, shape=shape_team,
    ),
    Command(
        "team-detail", "teams", "one team (slug, name, members, projects)",
        "team-detail acme",
        description="One team by slug: its member count and projects (slugs).",
        path=TEAM_PATH, scope="team:read", refs=("team",),
        # Sentry adds the projects only when asked and the organization unless told not to.
        params=lambda ctx: {"expand": "projects", "collapse": "organization"},
        fields=TEAM_FIELDS, default_fields=TEAM_DEFAULT, shape=shape_team,
    ),
    Command(
        "team-projects", "teams", "a team's projects (slug, name, platform, first event)",
        "team-projects acme",
        description="The projects of one team.",
        path=TEAM_PATH + "projects/", scope="project:read", refs=("team",), page_param=PAGE_PARAMS, limit=100,
        fields=PROJECT_FIELDS, default_fields=PROJECT_DEFAULT, shape=shape_project,
    ),
    Command(
        "team-members", "teams", "a team's members, with name and email",
        "team-members acme",
        description=("The members of one team, with their name and email (a member command: the people "
                     "it lists show by name) and their organization and team roles."),
        path=TEAM_PATH + "members/", scope="team:read", refs=("team",), page_param=PAGE_PARAMS, limit=100,
        fields=MEMBER_FIELDS, default_fields=MEMBER_DEFAULT, shape=shape_member, people="named",
    ),
    Command(
        "create-team", "teams", "create a team (--name, --slug)",
        'create-team --name "Backend On-call" --dry-run',
        description=("Create a team. The slug comes from the name unless --slug gives it; GlitchTip keeps "
                     "only the slug (`unconfirmed` then names the name)."),
        method="POST", path=TEAMS_PATH, scope="team:write",
        options=(Opt("--name", "the team's name (Sentry; GlitchTip teams have only a slug)"),
                 Opt("--slug", "the team's slug (default: from --name)")),
        body=create_body, answer=team_answer, refusal=slug_taken,
        also=(("after a 500: GlitchTip's answer to a taken slug", "GET /teams/{org}/{slug}/", "team:read"),),
    ),
    Command(
        "update-team", "teams", "change a team's slug (a rename) or its name",
        "update-team acme --slug acme-core --dry-run",
        description=("Change a team's slug or name (--slug renames it: later commands use the new slug). "
                     "GlitchTip changes only the slug (`unconfirmed` then names the name)."),
        method="PUT", path=TEAM_PATH, scope="team:write", refs=("team",),
        options=(Opt("--name", "the new name (Sentry)"), Opt("--slug", "the new slug")),
        body=update_body, answer=team_answer,
    ),
    Command(
        "delete-team", "teams", "delete a team",
        "delete-team acme --dry-run",
        description="Delete a team (its projects stay). Needs --allow-write and --confirm, and team:admin.",
        method="DELETE", path=TEAM_PATH, scope="team:admin", refs=("team",), answer=deleted,
    ),
)
