"""Issues: the entries of the issue commands, reads and triage writes."""

from __future__ import annotations

import re

from .. import shape
from ..budget import DEFAULT_EVENT_MAX_BYTES
from ..errors import UsageError
from ..ids import check_slug
from ..output import Result
from ..resolve import SHORT_ID_PATH
from . import triage
from .common import time_params
from .spec import ENVIRONMENTS, TIME_RANGE, Command, Opt

SORT_RE = re.compile(r"^-?[a-z_]{1,30}$")
# Parts of the list answer that no default field needs: collapsing them shrinks it.
COLLAPSIBLE = {"stats": None, "lifetime": None, "filtered": None, "unhandled": "isUnhandled"}
ISSUE_PATH = "/organizations/{org}/issues/{issue}/"
LEGACY_ISSUE_PATH = "/issues/{issue_id}/"


def sort_arg(text: str) -> str:
    if not SORT_RE.match(text):
        raise UsageError(f"--sort {text!r} is not a sort name.", hint="Use date, new, freq, user, trends or inbox.")
    return text


def issue_list_params(ctx) -> dict:
    """The time window, the collapsed parts, and the projects (default: SENTRY_PROJECT)."""
    params = time_params(ctx.args)
    if not ctx.args.raw:
        params["collapse"] = [name for name, field in COLLAPSIBLE.items() if field not in ctx.shown_fields]
    projects = [check_slug(p, "Project") for p in (ctx.args.project or [])]
    if not projects and ctx.settings.project:
        projects = [check_slug(ctx.settings.project, "Project")]
    if projects:
        params["project"] = projects
    return params


def check_stacktrace_needs_event(ctx) -> None:
    if ctx.args.stacktrace and not ctx.args.latest_event and "latestEvent" not in (ctx.fields or []):
        raise UsageError("--stacktrace needs --latest-event here.",
                         hint="Or use: event-detail latest --issue ISSUE --stacktrace")


def issue_detail(ctx) -> Result:
    """The issue and, when asked, its latest event: two requests at the same time."""
    from . import find

    args, fields, client, scope = ctx.args, ctx.fields, ctx.client, ctx.entry.scope
    calls = [lambda: client.get_first(ctx.route, ctx.candidates(), scope=scope, expect=dict)]
    if args.latest_event or (fields and "latestEvent" in fields):  # asking for the field asks for the event
        latest = ctx.candidates(find("event-detail"), event="latest")  # the request event-detail sends
        calls.append(lambda: client.get_first(ctx.route, latest, scope=scope, expect=dict))
    answers = client.concurrently(*calls)
    issue_fields = [f for f in ctx.shown_fields if f != "latestEvent"]
    if len(answers) == 1:
        return Result(answers[0], lambda issue: shape.shape_issue(issue, issue_fields))
    # Both parts are redacted together, then shaped side by side.
    return Result({"issue": answers[0], "latestEvent": answers[1]},
                  lambda both: shape.shape_issue_with_event(both["issue"], issue_fields, both["latestEvent"],
                                                            stacktrace=args.stacktrace),
                  max_bytes=DEFAULT_EVENT_MAX_BYTES)


def lookup_short_id(ctx) -> Result:
    """One request on sentry.io; older servers get a search, then a walk of the list."""
    from ..resolve import lookup_short_id as lookup

    issue = lookup(ctx.client, ctx.org, ctx.refs["short_id"])
    fields = ctx.shown_fields
    return Result(issue, lambda found: shape.shape_issue(found, fields))


def deleted(ctx, response) -> dict:
    queued = response.status == 202
    return {"id": ctx.refs["issue"].value, "deleted": "queued" if queued else "done",
            "message": "Sentry removes the issue and its events in the background." if queued
            else "The issue was deleted."}


ISSUE_FIELDS = tuple(shape.ISSUE_FIELDS)

COMMANDS = (
    Command(
        "list-issues", "issues", "search the organization's issues",
        "list-issues --project backend --environment production --time-range 24h --limit 10",
        description="Org-wide issue search, newest activity first. Default query: is:unresolved.",
        path="/organizations/{org}/issues/", scope="event:read", page_param="limit", limit=25,
        options=(
            Opt("--project", "project slug or id; repeat for several (default: SENTRY_PROJECT, else all)",
                action="append", metavar="SLUG_OR_ID"),
            Opt("--query", "Sentry search syntax (default 'is:unresolved'; '' for every issue)", param="query",
                default="is:unresolved"),
            ENVIRONMENTS, *TIME_RANGE,
            Opt("--sort", "date (last seen, default), new, freq, user, trends, inbox", param="sort", type=sort_arg),
        ),
        params=issue_list_params,
        fields=ISSUE_FIELDS, default_fields=tuple(shape.ISSUE_LIST_DEFAULT), shape=shape.shape_issue,
    ),
    Command(
        "issue-detail", "issues", "one issue; --latest-event adds its latest event",
        "issue-detail BACKEND-12 --latest-event",
        description="One issue by numeric id, short id (BACKEND-12) or issue URL.",
        path=ISSUE_PATH, fallback=LEGACY_ISSUE_PATH, scope="event:read", refs=("issue",),
        options=(
            Opt("--latest-event", "add the latest event, compact", action="store_true"),
            Opt("--stacktrace", "with --latest-event: in-app frames with context", action="store_true"),
        ),
        checks=(check_stacktrace_needs_event,),
        fields=(*ISSUE_FIELDS, "latestEvent"), default_fields=tuple(shape.ISSUE_DETAIL_DEFAULT),
        run=issue_detail,
        also=(("--latest-event", "GET /organizations/{org}/issues/{issue}/events/latest/", "event:read"),),
    ),
    Command(
        "lookup-short-id", "issues", "short id -> issue (id, shortId, title, project, status)",
        "lookup-short-id BACKEND-12",
        description="Resolve a short id such as BACKEND-12 to its issue.",
        path=SHORT_ID_PATH, scope="event:read", refs=("short_id",),
        fields=ISSUE_FIELDS, default_fields=tuple(shape.LOOKUP_DEFAULT), run=lookup_short_id,
    ),
    Command(
        "update-issue", "issues", "change one issue: status, archive, assignee, bookmark, priority",
        "update-issue BACKEND-12 --status resolvedInNextRelease --dry-run",
        description=("Change one issue. Refused unless writes are allowed; --dry-run shows the request.\n"
                     "more examples: update-issue BACKEND-12 --archive --until-escalating --allow-write\n"
                     "               update-issue BACKEND-12 --assign team:backend --allow-write"),
        method="PUT", path=ISSUE_PATH, fallback=LEGACY_ISSUE_PATH, scope="event:write", refs=("issue",),
        options=triage.CHANGE_OPTIONS, body=triage.change_body, run=triage.update_issue,
        also=(("--assign team:SLUG", "GET /teams/{org}/{team}/", "team:read"),),
    ),
    Command(
        "bulk-update-issues", "issues", "change many issues, by --id or by --query",
        "bulk-update-issues --query 'is:unresolved release:1.2.3' --project backend --status resolved --dry-run",
        description=("Change several issues at once. Counts the issues first (one GET), refuses above --max, "
                     "and needs --confirm as well as --allow-write."),
        method="PUT", path="/organizations/{org}/issues/", scope="event:write", confirm=True,
        options=(
            Opt("--id", "an issue (repeatable)", action="append", dest="ids", metavar="ISSUE"),
            Opt("--query", "select the issues matching this search instead of --id"),
            Opt("--project", "with --query (repeatable)", action="append", metavar="SLUG_OR_ID"),
            Opt("--environment", "with --query (repeatable)", action="append", metavar="ENV"),
            Opt("--max", "refuse to touch more issues than this (default 100)", type=triage.limit_arg, default=100),
            *triage.CHANGE_OPTIONS,
        ),
        checks=(triage.check_bulk_selection,), body=triage.change_body, run=triage.bulk_update_issues,
        also=(("--query", "GET /organizations/{org}/issues/ (the count)", "event:write"),),
    ),
    Command(
        "delete-issue", "issues", "delete one issue and its events (queued by the server)",
        "delete-issue BACKEND-12 --dry-run",
        description="Delete one issue. Needs --allow-write and --confirm, and a token with event:admin.",
        method="DELETE", path=ISSUE_PATH, fallback=LEGACY_ISSUE_PATH, scope="event:admin", refs=("issue",),
        answer=deleted,
    ),
)
