"""Projects: the entries of the project commands, their fields and shapers."""

from __future__ import annotations

import re

from ..errors import SentryError, UsageError
from ..ids import check_slug
from ..output import Result
from .confirm import confirmed, hint_refusal, missing_fields
from .spec import Command, Opt

PROJECT_PATH = "/projects/{org}/{project}/"
TEAM_PROJECTS_PATH = "/teams/{org}/{team}/projects/"
PROJECT_TEAMS_PATH = "/projects/{org}/{project}/teams/"
# spec: a project slug (createTeamProject, updateProject): lowercase letters, digits, '-' and '_', not all digits.
PROJECT_SLUG_RE = re.compile(r"^(?![0-9]+$)[a-z0-9_\-]{1,100}$")
# Sentry pages lists by per_page (spec), GlitchTip by limit (its django-ninja pagination): both are sent.
PAGE_PARAMS = ("per_page", "limit")


def _teams(project: dict):
    """team:<slug> for each owning team: Sentry has `teams` (and the older `team`); GlitchTip's
    list has `teams`, its detail none (project-detail asks the project's teams then)."""
    teams = project.get("teams")
    if not isinstance(teams, list):
        teams = [project["team"]] if isinstance(project.get("team"), dict) else None
    if teams is None:
        return None
    return [f"team:{team['slug']}" for team in teams if isinstance(team, dict) and team.get("slug")]


def _slug_of(key):
    return lambda project: (project.get(key) or {}).get("slug") if isinstance(project.get(key), dict) else None


PROJECT_FIELDS = {
    "id": lambda project: project.get("id"),
    "slug": lambda project: project.get("slug"),
    "name": lambda project: project.get("name"),
    "platform": lambda project: project.get("platform"),
    "teams": _teams,
    "dateCreated": lambda project: project.get("dateCreated"),
    "firstEvent": lambda project: project.get("firstEvent"),
    "status": lambda project: project.get("status"),
    "organization": _slug_of("organization"),
    "latestRelease": lambda project: (project.get("latestRelease") or {}).get("version")
    if isinstance(project.get("latestRelease"), dict) else None,
    "environments": lambda project: project.get("environments"),
    "platforms": lambda project: project.get("platforms"),
    "isMember": lambda project: project.get("isMember"),
    "hasAccess": lambda project: project.get("hasAccess"),
    "isBookmarked": lambda project: project.get("isBookmarked"),
    "isPublic": lambda project: project.get("isPublic"),
    "resolveAge": lambda project: project.get("resolveAge"),
    "subjectPrefix": lambda project: project.get("subjectPrefix"),
    "scrubIPAddresses": lambda project: project.get("scrubIPAddresses"),
    "features": lambda project: project.get("features"),
}
LIST_DEFAULT = ("id", "slug", "name", "platform", "teams", "firstEvent")
DETAIL_DEFAULT = ("id", "slug", "name", "platform", "teams", "status", "dateCreated", "firstEvent",
                  "latestRelease", "environments")


def shape_project(project: dict, fields) -> dict:
    return {name: PROJECT_FIELDS[name](project) for name in fields}


# -- the end users a project has seen -------------------------------------------------------

def _user_kind(user: dict):
    """What identifies the end user, without the identity: tagValue is `email:...`,
    `username:...`, `ip:...` or `id:...`; only its kind is shown."""
    tag = user.get("tagValue")
    return tag.split(":", 1)[0] if isinstance(tag, str) and ":" in tag else None


# The end users seen in a project's events (spec: listProjectUsers). Their email, username,
# name, IP address and avatar are personal data and never shown (PRODUCT.md section 5);
# what is left says how many there are, how each is identified and since when.
PROJECT_USER_FIELDS = {
    "id": lambda user: user.get("id"),
    "identifiedBy": _user_kind,
    "hasEmail": lambda user: bool(user.get("email")),
    "hasUsername": lambda user: bool(user.get("username")),
    "hasIpAddress": lambda user: bool(user.get("ipAddress")),
    "dateCreated": lambda user: user.get("dateCreated"),
}
PROJECT_USER_DEFAULT = ("id", "identifiedBy", "dateCreated")


def shape_project_user(user: dict, fields) -> dict:
    return {name: PROJECT_USER_FIELDS[name](user) for name in fields}


# -- runs --------------------------------------------------------------------------------

def check_team(ctx) -> None:
    team = getattr(ctx.args, "team", None)
    if team is not None:
        ctx.refs["team"] = check_slug(team, "Team")


def list_projects(ctx) -> Result:
    """The organization's projects, or with --team one team's."""
    from ..engine import list_result
    if "team" not in ctx.refs:
        return list_result(ctx)
    return list_result(ctx, [ctx.expand(TEAM_PROJECTS_PATH)], scope="project:read", route=TEAM_PROJECTS_PATH)


def project_detail(ctx) -> Result:
    """The project; where its answer names no team (GlitchTip), the project's teams are asked
    for, so the owning teams show either way (not in --raw, which is the answer as it is)."""
    client, entry = ctx.client, ctx.entry
    project = client.get_first(ctx.route, ctx.candidates(), scope=entry.scope, expect=dict)
    fields = ctx.shown_fields
    if not ctx.args.raw and "teams" in fields and "teams" not in project and "team" not in project:
        try:
            project = {**project, "teams": client.get(ctx.expand(PROJECT_TEAMS_PATH), scope=entry.scope,
                                                      expect=list)}
        except SentryError as error:
            client.note(f"the project's teams are not shown ({error.message})")
    return Result(project, lambda raw: shape_project(raw, fields))


def _project_body(ctx, *, creating: bool) -> dict:
    args = ctx.args
    body = {key: getattr(args, key) for key in ("name", "slug", "platform", "resolveAge", "subjectPrefix",
                                                 "isBookmarked") if getattr(args, key, None) is not None}
    if "name" in body and not 0 < len(body["name"].strip()) <= (50 if creating else 200):
        raise UsageError(f"--name takes 1 to {50 if creating else 200} characters.")
    if "slug" in body and not PROJECT_SLUG_RE.match(body["slug"]):
        raise UsageError(f"--slug {body['slug']!r} is not a project slug.",
                         hint="Lowercase letters, digits, '-' and '_', not only digits; at most 100.")
    if "platform" in body and not re.fullmatch(r"[a-z0-9][a-z0-9_.-]{0,63}", body["platform"]):
        raise UsageError(f"--platform {body['platform']!r} is not a platform name.",
                         hint="Sentry's platform names look like python, node-express, javascript-react.")
    if "resolveAge" in body and not 0 <= body["resolveAge"] <= 720:
        raise UsageError("--resolve-age takes 0 (off) to 720 hours.")
    if not body:
        raise UsageError("Nothing to change.", hint="Give --name, --slug, --platform, ... (see --help).")
    return body


def create_body(ctx) -> dict:
    if not ctx.args.name:
        raise UsageError("create-project needs --name.", hint="create-project --team backend --name checkout")
    return _project_body(ctx, creating=True)


def update_body(ctx) -> dict:
    return _project_body(ctx, creating=False)


def project_answer(ctx, response) -> dict:
    """The project as the answer states it, and what it does not confirm."""
    answer = response.data if isinstance(response.data, dict) else {}
    return confirmed(shape_project(answer, ("id", "slug", "name", "platform", "teams")), answer, ctx.body)


def _name_hint(error):
    if "name" in missing_fields(error):  # GlitchTip's ProjectIn requires name (apps/projects/schema.py)
        return "This server needs --name in every project update (GlitchTip): give the current name to keep it."
    return None



def deleted(ctx, response) -> dict:
    return {"slug": ctx.refs["project"], "deleted": True,
            "message": "The project was deleted, with its issues and events."}


# -- options ---------------------------------------------------------------------------

NAME = Opt("--name", "the project's name", metavar="NAME")
SLUG = Opt("--slug", "its slug (lowercase letters, digits, '-', '_'; default: made from the name)", metavar="SLUG")
PLATFORM = Opt("--platform", "e.g. python, node-express, javascript-react", metavar="PLATFORM")
UPDATE_OPTIONS = (
    Opt("--name", "the new name", metavar="NAME", section="changes"),
    Opt("--slug", "the new slug (changes the project's URLs)", metavar="SLUG",
        section="changes"),
    Opt("--platform", "e.g. python, node-express", metavar="PLATFORM", section="changes"),
    Opt("--resolve-age", "resolve issues unseen for this many hours (0: never)", dest="resolveAge", type=int,
        metavar="HOURS", section="changes"),
    Opt("--subject-prefix", "prefix of the project's alert emails", dest="subjectPrefix", metavar="TEXT",
        section="changes"),
    Opt("--bookmark", "star the project", dest="isBookmarked", action="store_const", const=True,
        section="changes"),
    Opt("--no-bookmark", "unstar it", dest="isBookmarked", action="store_const", const=False, section="changes"),
)

COMMANDS = (
    Command(
        "list-projects", "projects", "the organization's projects (or a team's), with their teams",
        "list-projects --limit 20",
        description=("The organization's projects with the teams that own them; --team lists one team's.\n"
                     "another example: list-projects --team backend"),
        path="/organizations/{org}/projects/", scope="org:read", page_param=PAGE_PARAMS, limit=100,
        options=(Opt("--team", "only this team's projects", metavar="TEAM_SLUG"),),
        checks=(check_team,), run=list_projects,
        fields=tuple(PROJECT_FIELDS), default_fields=LIST_DEFAULT, shape=shape_project,
        also=(("--team", f"GET {TEAM_PROJECTS_PATH}", "project:read"),),
    ),
    Command(
        "project-detail", "projects", "one project: platform, owning teams, first event, latest release",
        "project-detail backend",
        description="One project by slug. `teams` names the teams that own it (team-members TEAM lists their people).",
        path=PROJECT_PATH, scope="project:read", refs=("project",), run=project_detail,
        fields=tuple(PROJECT_FIELDS), default_fields=DETAIL_DEFAULT, shape=shape_project,
        also=(("a server whose answer names no team (GlitchTip)", f"GET {PROJECT_TEAMS_PATH}", "project:read"),),
    ),
    Command(
        "create-project", "projects", "create a project owned by a team",
        "create-project --team backend --name checkout --platform python --dry-run",
        description="Create a project; --team names the team that owns it. Sentry and GlitchTip add a client key.",
        method="POST", path=TEAM_PROJECTS_PATH, scope="project:write",
        options=(Opt("--team", "the owning team's slug (required)", metavar="TEAM_SLUG"), NAME, SLUG, PLATFORM),
        checks=(check_team, lambda ctx: _require_team(ctx)), body=create_body, answer=project_answer,
    ),
    Command(
        "update-project", "projects", "change a project's name, slug, platform or settings",
        "update-project backend --platform python-flask --dry-run",
        description=("Change one project. Prints what the server's answer confirms; `unconfirmed` names what "
                     "it did not. GlitchTip takes --name, --slug and --platform only, and needs --name."),
        method="PUT", path=PROJECT_PATH, scope="project:write", refs=("project",),
        options=UPDATE_OPTIONS, body=update_body, answer=project_answer, refusal=hint_refusal(_name_hint),
    ),
    Command(
        "delete-project", "projects", "delete a project and all its issues and events",
        "delete-project checkout --dry-run",
        description="Delete one project for good. Needs --allow-write and --confirm, and project:admin.",
        method="DELETE", path=PROJECT_PATH, scope="project:admin", refs=("project",), answer=deleted,
    ),
    Command(
        "project-users", "projects", "the end users seen in a project's events (no personal data)",
        "project-users backend --limit 20",
        description=("The end users the project's events named. Their emails, usernames, names and IP "
                     "addresses are never shown: only how each is identified. GlitchTip lacks this (exit 7)."),
        path="/projects/{org}/{project}/users/", scope="project:read", refs=("project",),
        page_param=PAGE_PARAMS, limit=25,
        options=(Opt("--query", "e.g. email:someone@example.com, username:x, ip:1.2.3.4, id:42", param="query"),),
        fields=tuple(PROJECT_USER_FIELDS), default_fields=PROJECT_USER_DEFAULT, shape=shape_project_user,
    ),
)


def _require_team(ctx) -> None:
    if "team" not in ctx.refs:
        raise UsageError("create-project needs --team, the team that owns the project.",
                         hint="list-teams shows the teams: create-project --team backend --name checkout")
