"""Releases and their deploys: list, read, create, update and delete releases, a release's
commits, and its deploys.

A version is one path segment, encoded once (`backend@1.4.2`, `2.0.0+build/7`, `release 1`).
GlitchTip keeps only a release's `ref` and `dateReleased` (no url, commits, authors or
deploys), ignores the list's `project` and `query`, and its PUT replaces: a field left out
is reset (dateReleased to now, ref to none). So update-release reads the release first and
sends what it holds, and every write prints what the answer does not confirm. The people
of a release (authors, owner, commit authors) show as `user:<id>` (PRODUCT.md section 5).
"""

from __future__ import annotations

from datetime import datetime, timezone

from ..errors import ApiError, SentryError, UsageError
from ..ids import check_slug
from ..output import Result
from ..shape import person_ref
from .common import instant_arg, utc_text
from .spec import Command, Opt

RELEASES_PATH = "/organizations/{org}/releases/"
RELEASE_PATH = RELEASES_PATH + "{version}/"
PROJECT_RELEASES_PATH = "/projects/{org}/{project}/releases/"
SCOPE = "project:releases"  # the one scope every release operation takes, on Sentry and on GlitchTip
# Sentry pages releases by per_page, GlitchTip by limit; each ignores the other.
PAGE_PARAMS = ("per_page", "limit")
MAX_TEXT = 200  # Sentry's ref and url (ReleaseSerializer)

RELEASE_FIELDS = ("version", "id", "shortVersion", "status", "ref", "url", "dateCreated", "dateReleased", "projects",
                  "newGroups", "commitCount", "lastCommit", "deployCount", "lastDeploy", "authors", "owner",
                  "firstEvent", "lastEvent")
RELEASE_DEFAULT = ("version", "id", "dateReleased", "dateCreated", "projects", "ref", "newGroups", "commitCount",
                   "deployCount", "authors")
DEPLOY_FIELDS = ("id", "environment", "name", "url", "dateStarted", "dateFinished")
COMMIT_FIELDS = ("id", "repository", "message", "author", "dateCreated", "pullRequest")
COMMIT_DEFAULT = ("id", "repository", "message", "author", "dateCreated")


def _slugs(projects) -> list:
    return [p.get("slug") if isinstance(p, dict) else p for p in projects or []]


def _name(value):
    return value.get("name") if isinstance(value, dict) else value


RELEASE_VIEW = {
    "projects": lambda r: _slugs(r.get("projects")),
    "authors": lambda r: [ref for ref in map(person_ref, r.get("authors") or []) if ref],
    "owner": lambda r: person_ref(r.get("owner")),
    "lastCommit": lambda r: (r.get("lastCommit") or {}).get("id"),
    "lastDeploy": lambda r: {k: (r.get("lastDeploy") or {}).get(k) for k in ("environment", "dateFinished")}
    if r.get("lastDeploy") else None,
}


def shape_release(release: dict, fields) -> dict:
    return {name: RELEASE_VIEW[name](release) if name in RELEASE_VIEW else release.get(name) for name in fields}


def shape_deploy(deploy: dict, fields) -> dict:
    return {name: deploy.get(name) for name in fields}


def shape_commit(commit: dict, fields) -> dict:
    view = {"repository": _name(commit.get("repository")), "author": person_ref(commit.get("author")),
            "pullRequest": (commit.get("pullRequest") or {}).get("id")}
    return {name: view[name] if name in view else commit.get(name) for name in fields}


# -- input, checked before any request ---------------------------------------------------------

def _text(flag: str, value: str | None) -> str | None:
    if value is not None and not (value.strip() and len(value) <= MAX_TEXT):
        raise UsageError(f"{flag} must be 1 to {MAX_TEXT} characters.")
    return value


def _commits(values) -> list:
    """--commit REPO@SHA, as Sentry's release body takes commits: {"repository", "id"}."""
    commits = []
    for value in values or []:
        repository, at, sha = value.rpartition("@")
        if not (at and repository.strip() and sha.strip()) or any(c.isspace() for c in sha):
            raise UsageError(f"--commit {value!r} is not REPO@SHA.", hint="e.g. --commit acme/backend@3f2c1e9")
        commits.append({"repository": repository.strip(), "id": sha.strip()})
    return commits


def _released(ctx) -> str | None:
    """--released (now) or --released-at TIME, as the dateReleased both servers read."""
    args = ctx.args
    if args.released and args.released_at:
        raise UsageError("--released and --released-at are one choice.", hint="--released means now.")
    if args.released_at:
        return utc_text(args.released_at)
    return utc_text(datetime.now(timezone.utc).replace(microsecond=0)) if args.released else None


def _changes(ctx) -> dict:
    args = ctx.args
    changes = {"ref": _text("--ref", args.ref), "url": _text("--url", args.url),
               "dateReleased": _released(ctx), "commits": _commits(args.commit)}
    return {key: value for key, value in changes.items() if value}


def create_body(ctx) -> dict:
    projects = [check_slug(slug, "Project") for slug in ctx.args.project or []] or \
        [check_slug(ctx.settings.require_project(), "Project")]
    return {"version": ctx.refs["version"], "projects": projects, **_changes(ctx)}


def addressable(ctx) -> None:
    """A version with '/' or '\\' can be in no path: Sentry refuses to create one (its
    BAD_RELEASE_CHARS), and GlitchTip, which stores it, cannot route its path afterwards (the
    encoded '/' is decoded before routing: a 500 page), so such a release could not be deleted."""
    version = ctx.refs["version"]
    if "/" in version or "\\" in version:
        raise UsageError(f"Release version {version!r} holds '/' or '\\', which no server can address by version.",
                         hint="Sentry refuses such versions; GlitchTip stores them but cannot find them by "
                              "version afterwards. Use e.g. 2.0.0+build.7.")


def check_update(ctx) -> None:
    if not _changes(ctx):
        raise UsageError("update-release needs a change: --ref, --url, --commit, --released or --released-at.",
                         hint="update-release backend@1.4.2 --ref v1.4.2 --allow-write")


def check_deploy(ctx) -> None:
    if not ctx.args.env:
        raise UsageError("create-deploy needs --env.", hint="create-deploy backend@1.4.2 --env production")
    _text("--env", ctx.args.env)
    _text("--name", ctx.args.name)
    _text("--url", ctx.args.url)
    started, finished = ctx.args.started, ctx.args.finished
    if started and finished and started > finished:
        raise UsageError("--started must not be after --finished.")


def deploy_body(ctx) -> dict:
    args = ctx.args
    body = {"environment": args.env, "name": args.name, "url": args.url,
            "dateStarted": utc_text(args.started) if args.started else None,
            "dateFinished": utc_text(args.finished) if args.finished else None}
    return {key: value for key, value in body.items() if value}


# -- requests -----------------------------------------------------------------------------------

def _matches(release: dict, query: str) -> bool:
    return query.lower() in str(release.get("version", "")).lower()


def list_releases(ctx) -> Result:
    """The organization's releases, or one project's (its own path: GlitchTip ignores `project`
    on the organization's list). `query` goes to the server and is applied to what comes back
    too, since GlitchTip ignores it (Sentry's meaning: a substring of the version, any case)."""
    from ..engine import list_result
    args = ctx.args
    paths = None
    if args.project:
        paths = [ctx.expand(PROJECT_RELEASES_PATH, project=check_slug(args.project, "Project"))]
    keep = (lambda item: not isinstance(item, dict) or _matches(item, args.query)) if args.query else None
    return list_result(ctx, paths, keep=keep)


def _kept(ctx, release: dict) -> dict:
    """The release as the answer states it, and `unconfirmed`: what was asked that the answer does
    not state (GlitchTip keeps no url and no commits)."""
    out = shape_release(release, ctx.shown_fields)
    unconfirmed = []
    for key, wanted in (ctx.body or {}).items():
        if key == "commits":
            if (release.get("commitCount") or 0) < len(wanted):
                unconfirmed.append(key)
        elif key == "dateReleased":
            if not _same_instant(release.get(key), wanted):
                unconfirmed.append(key)
        elif key not in ("version", "projects") and release.get(key) != wanted:
            unconfirmed.append(key)
    if unconfirmed:
        out["unconfirmed"] = unconfirmed
    return out


def _same_instant(said, wanted) -> bool:
    try:
        return instant_arg("dateReleased")(said) == instant_arg("dateReleased")(wanted)
    except (UsageError, TypeError, AttributeError):
        return False


def created(ctx, response) -> dict:
    return _kept(ctx, response.data if isinstance(response.data, dict) else {})


def update_release(ctx) -> Result:
    """Read the release, then PUT the changes over what it holds: GlitchTip's PUT replaces, and
    would reset a ref or release date left out; Sentry's keeps them either way. What the
    answer holds otherwise than before, unasked, is named in `notKept` (GlitchTip sets a release
    date that was empty to now)."""
    from ..safety import Write, perform

    entry = ctx.entry
    before = ctx.client.get_first(ctx.route, ctx.candidates(), scope=entry.scope, expect=dict)
    changes = ctx.body
    ctx.body = {**{key: before[key] for key in ("ref", "dateReleased") if before.get(key)}, **changes}
    write = Write("PUT", ctx.candidates(), ctx.body, destructive=False, scope=entry.scope, route=ctx.route)
    answer = perform(ctx, write)
    if ctx.args.dry_run:
        return Result(answer, exact=True)
    after = answer.data if isinstance(answer.data, dict) else {}
    out = _kept(ctx, after)
    lost = [key for key in ("ref", "dateReleased", "url")
            if key not in changes and not _unchanged(before.get(key), after.get(key))]
    if lost:
        out["notKept"] = lost
    return Result(out)


def _unchanged(before, after) -> bool:
    return before == after or (before is not None and _same_instant(before, after))


def deleted(ctx, response) -> dict:
    return {"version": ctx.refs["version"], "deleted": True}


def version_taken(ctx, failed: SentryError) -> SentryError:
    """GlitchTip answers a version that exists with a bare 500 page, where Sentry answers 208
    with the release: one GET of the version then tells a taken version from a server failure."""
    if failed.status != 500 or getattr(failed, "json_body", True):
        return failed
    version = ctx.refs["version"]
    try:
        ctx.client.get(ctx.expand(RELEASE_PATH), scope=SCOPE, expect=dict)
    except SentryError:  # not there, or no answer: the 500 stays what it was
        return failed
    error = ApiError(f"A release {version!r} already exists: the server answered 500 to creating it again "
                     "(GlitchTip's answer to a taken version; Sentry's is 208 with the release).", status=500,
                     hint=f"release-detail {version} shows it; update-release changes it.")
    error.type = "conflict"
    return error


def no_deploys(ctx, failed: SentryError) -> SentryError:
    """A POST to a path the server has no route for: GlitchTip's web app answers Django's CSRF
    page (403, not JSON) before any view runs, so nothing was made. That is a missing operation."""
    if failed.status == 403 and not getattr(failed, "json_body", True):
        from ..client import unsupported
        return unsupported(failed, "POST", ctx.client._display(ctx.client.api_root + ctx.candidates()[0]))
    return failed


PROJECTS = Opt("--project", "a project of the release, repeatable (default: SENTRY_PROJECT)", action="append",
               metavar="SLUG")
CHANGES = (
    Opt("--ref", "the commit reference the release was cut from (a tag or sha)", metavar="REF"),
    Opt("--url", "a URL that points to the release (Sentry; GlitchTip keeps none)", metavar="URL"),
    Opt("--commit", "REPO@SHA, repeatable: commits of the release (Sentry; GlitchTip keeps none)",
        action="append", metavar="REPO@SHA"),
    Opt("--released", "the release went live now", action="store_true"),
    Opt("--released-at", "the release went live at this ISO 8601 time", type=instant_arg("--released-at"),
        metavar="TIME"),
)

COMMANDS = (
    Command(
        "list-releases", "releases", "the organization's releases (version, dates, projects, deploys)",
        "list-releases --project backend",
        description=("Releases, newest first, with their projects (slugs) and deploy and commit counts. "
                     "--project lists one project's; --query keeps versions holding the text (any case)."),
        path=RELEASES_PATH, scope=SCOPE, page_param=PAGE_PARAMS, limit=25,
        options=(Opt("--project", "only this project's releases", metavar="SLUG"),
                 Opt("--query", "versions holding this text", param="query", metavar="TEXT")),
        run=list_releases, also=(("with --project", "GET /projects/{org}/{project}/releases/", SCOPE),),
        fields=RELEASE_FIELDS, default_fields=RELEASE_DEFAULT, shape=shape_release,
    ),
    Command(
        "release-detail", "releases", "one release by version",
        "release-detail control@abc123",
        description="One release: its dates, projects, ref, commit and deploy counts, authors (user:<id>).",
        path=RELEASE_PATH, scope=SCOPE, refs=("version",), checks=(addressable,),
        fields=RELEASE_FIELDS, default_fields=RELEASE_DEFAULT, shape=shape_release,
    ),
    Command(
        "create-release", "releases", "create a release in one or more projects",
        "create-release backend@1.4.2 --project backend --ref v1.4.2 --dry-run",
        description=("Create a release. GlitchTip sets the release date to now when none is given and keeps "
                     "no url or commits (`unconfirmed` then names them). Needs --allow-write."),
        method="POST", path=RELEASES_PATH, scope=SCOPE, refs=("version",),
        options=(PROJECTS, *CHANGES),
        checks=(addressable,), body=create_body, answer=created, refusal=version_taken,
        also=(("after a 500: GlitchTip's answer to a taken version", "GET /organizations/{org}/releases/{version}/",
               SCOPE),),
        fields=RELEASE_FIELDS, default_fields=RELEASE_DEFAULT,
    ),
    Command(
        "update-release", "releases", "change a release's ref, url, release date or commits",
        "update-release control@abc123 --released --dry-run",
        description=("Change a release. Reads it first and sends its ref and release date with the change: "
                     "GlitchTip's update replaces them otherwise. `unconfirmed` names asked changes the answer "
                     "lacks, `notKept` earlier values it no longer holds. Needs --allow-write."),
        method="PUT", path=RELEASE_PATH, scope=SCOPE, refs=("version",),
        options=CHANGES, checks=(addressable, check_update), body=_changes, run=update_release,
        fields=RELEASE_FIELDS, default_fields=RELEASE_DEFAULT,
        also=(("first, to keep what the release holds", "GET /organizations/{org}/releases/{version}/", SCOPE),),
    ),
    Command(
        "delete-release", "releases", "delete a release",
        "delete-release control@abc123 --dry-run",
        description="Delete a release. Needs --allow-write and --confirm.",
        method="DELETE", path=RELEASE_PATH, scope=SCOPE, refs=("version",), checks=(addressable,),
        answer=deleted,
    ),
    Command(
        "release-commits", "releases", "a release's commits (sha, repository, message, author)",
        "release-commits control@abc123",
        description="The commits of a release; authors as user:<id>. GlitchTip has no commits (exit 7).",
        path=RELEASE_PATH + "commits/", scope=SCOPE, refs=("version",), page_param="per_page", limit=25,
        checks=(addressable,),
        fields=COMMIT_FIELDS, default_fields=COMMIT_DEFAULT, shape=shape_commit,
    ),
    Command(
        "list-deploys", "releases", "a release's deploys (environment, name, times)",
        "list-deploys control@abc123",
        description="The deploys of a release. GlitchTip has no deploys (exit 7).",
        path=RELEASE_PATH + "deploys/", scope=SCOPE, refs=("version",), page_param="per_page", limit=25,
        checks=(addressable,),
        fields=DEPLOY_FIELDS, default_fields=DEPLOY_FIELDS, shape=shape_deploy,
    ),
    Command(
        "create-deploy", "releases", "record a deploy of a release to an environment",
        "create-deploy control@abc123 --env production --dry-run",
        description="Record a deploy (GlitchTip has no deploys: exit 7). Needs --allow-write.",
        method="POST", path=RELEASE_PATH + "deploys/", scope=SCOPE, refs=("version",),
        options=(Opt("--env", "the environment deployed to (needed)", metavar="ENV"),
                 Opt("--name", "the deploy's name", metavar="NAME"),
                 Opt("--url", "a URL that points to the deploy", metavar="URL"),
                 Opt("--started", "ISO 8601 start", type=instant_arg("--started"), metavar="TIME"),
                 Opt("--finished", "ISO 8601 end (default: now)", type=instant_arg("--finished"), metavar="TIME")),
        checks=(addressable, check_deploy), body=deploy_body, refusal=no_deploys,
        fields=DEPLOY_FIELDS, default_fields=DEPLOY_FIELDS, shape=shape_deploy,
    ),
)
