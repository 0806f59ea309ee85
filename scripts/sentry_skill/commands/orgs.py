"""Organizations: the entries of the organization commands, their fields and shaper."""

from __future__ import annotations

from ..errors import UsageError
from .confirm import confirmed, hint_refusal, missing_fields
from .spec import Command, Opt

ORG_PATH = "/organizations/{org}/"
ROLES = ("member", "admin", "manager", "owner")


def _status(org: dict):
    status = org.get("status")
    return status.get("id") if isinstance(status, dict) else status


def _teams(org: dict):
    teams = org.get("teams")
    return [f"team:{team['slug']}" for team in teams if isinstance(team, dict) and team.get("slug")] \
        if isinstance(teams, list) else None


def _projects(org: dict):
    projects = org.get("projects")
    return [project["slug"] for project in projects if isinstance(project, dict) and project.get("slug")] \
        if isinstance(projects, list) else None


# name -> how it is read from an organization (Sentry's serializer; GlitchTip's differs where noted).
ORG_FIELDS = {
    "id": lambda org: org.get("id"),
    "slug": lambda org: org.get("slug"),
    "name": lambda org: org.get("name"),
    "status": _status,
    "dateCreated": lambda org: org.get("dateCreated"),
    "region": lambda org: (org.get("links") or {}).get("regionUrl"),
    "teams": _teams,
    "projects": _projects,
    "openMembership": lambda org: org.get("openMembership"),
    "defaultRole": lambda org: org.get("defaultRole"),
    "isEarlyAdopter": lambda org: org.get("isEarlyAdopter"),
    "require2FA": lambda org: org.get("require2FA", org.get("require2fa")),  # GlitchTip: require2fa
    "allowSharedIssues": lambda org: org.get("allowSharedIssues"),
    "enhancedPrivacy": lambda org: org.get("enhancedPrivacy"),
    "scrubIPAddresses": lambda org: org.get("scrubIPAddresses"),
    "access": lambda org: org.get("access"),
    "features": lambda org: org.get("features"),
}
LIST_DEFAULT = ("id", "slug", "name", "status", "dateCreated")
DETAIL_DEFAULT = ("id", "slug", "name", "status", "dateCreated", "region", "teams", "projects")


def shape_org(org: dict, fields) -> dict:
    return {name: ORG_FIELDS[name](org) for name in fields}


def _flag(flag: str, key: str, what: str) -> tuple:
    """--FLAG / --no-FLAG, one body key: True, False, or unset."""
    return (Opt(f"--{flag}", f"turn on: {what}", dest=key, action="store_const", const=True, section="changes"),
            Opt(f"--no-{flag}", "turn it off", dest=key, action="store_const", const=False, section="changes"))


# The settings of Sentry's organization update (spec: updateOrganization's body) an agent
# is likely asked to change; each option's dest is its body key.
SETTINGS = (
    Opt("--name", "the new name (at most 64 characters)", dest="name", metavar="NAME", section="changes"),
    Opt("--slug", "the new slug (changes every URL of the organization)", dest="slug", metavar="SLUG",
        section="changes"),
    Opt("--default-role", "the role new members get", dest="defaultRole", choices=ROLES, section="changes"),
    *_flag("open-membership", "openMembership", "members may join any team"),
    *_flag("early-adopter", "isEarlyAdopter", "new features before their release"),
    *_flag("require-2fa", "require2FA", "members need two-factor authentication"),
    *_flag("shared-issues", "allowSharedIssues", "issues may be shared with anyone by link"),
    *_flag("enhanced-privacy", "enhancedPrivacy", "less personal data and source code in notifications"),
    *_flag("scrub-ip-addresses", "scrubIPAddresses", "no IP addresses stored with new events"),
)
ALIASES = {"require2FA": ("require2fa",)}


def org_body(ctx) -> dict:
    """The settings given, under the spec's names; checked before any request."""
    body = {opt.dest: getattr(ctx.args, opt.dest) for opt in SETTINGS if getattr(ctx.args, opt.dest) is not None}
    if "name" in body and not 0 < len(body["name"].strip()) <= 64:
        raise UsageError("--name takes 1 to 64 characters.")
    if "slug" in body:
        from ..ids import check_slug
        check_slug(body["slug"], "Organization")
        if len(body["slug"]) > 50:
            raise UsageError("--slug takes at most 50 characters.")
    if not body:
        raise UsageError("Nothing to change.", hint="Give --name, --slug, --open-membership, ... (see --help).")
    return body


def org_changed(ctx, response) -> dict:
    """The organization as the answer states it, and what it does not confirm."""
    answer = response.data if isinstance(response.data, dict) else {}
    return confirmed(shape_org(answer, ("id", "slug", "name")), answer, ctx.body, ALIASES)


def _only_name_hint(error):
    if "name" in missing_fields(error):  # recorded: org_update_sentry_fields
        return ("This server needs --name in every organization update and takes nothing else "
                "(GlitchTip): give --name, with the current name to keep it.")
    return None



COMMANDS = (
    Command(
        "list-orgs", "organizations", "the organizations the token can see",
        "list-orgs",
        description="The organizations the token's user belongs to; needs no configured organization.",
        path="/organizations/", scope="org:read", org_scoped=False,
        # Sentry pages by per_page (spec), GlitchTip by limit (its django-ninja pagination): both are sent.
        page_param=("per_page", "limit"), limit=25,
        fields=tuple(ORG_FIELDS), default_fields=LIST_DEFAULT, shape=shape_org,
    ),
    Command(
        "org-detail", "organizations", "the organization: name, status, region, its teams and projects",
        "org-detail",
        description="The configured organization (or --org), with the slugs of its teams and projects.",
        path=ORG_PATH, scope="org:read",
        fields=tuple(ORG_FIELDS), default_fields=DETAIL_DEFAULT, shape=shape_org,
    ),
    Command(
        "update-org", "organizations", "change the organization's name, slug or settings",
        "update-org --name 'Acme Corp' --dry-run",
        description=("Change the organization. Prints what the server's answer confirms; `unconfirmed` "
                     "names what it did not. GlitchTip takes only --name, and needs it every time."),
        method="PUT", path=ORG_PATH, scope="org:write",
        options=SETTINGS, body=org_body, answer=org_changed, refusal=hint_refusal(_only_name_hint),
    ),
)
