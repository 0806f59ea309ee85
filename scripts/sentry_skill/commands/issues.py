"""Issues: the entries of the issue commands, reads and triage writes."""

from __future__ import annotations

from .. import issue_filters, shape
from ..budget import DEFAULT_EVENT_MAX_BYTES
from ..errors import NotFound, UsageError
from ..output import Result
from ..resolve import SHORT_ID_PATH
from . import bulk, triage
from .common import MAX_LIMIT, time_params, whole_number
from .spec import ALL_FRAMES, ENVIRONMENTS, TIME_RANGE, Command, Opt

# Parts of the list answer that no default field needs: collapsing them shrinks it.
COLLAPSIBLE = {"stats": None, "lifetime": None, "filtered": None, "unhandled": "isUnhandled"}
ISSUE_PATH = "/organizations/{org}/issues/{issue}/"
MAX_ARG = whole_number("--max", 1, MAX_LIMIT, f"Use 1 to {MAX_LIMIT}: the most issues one bulk change may touch.")
LEGACY_ISSUE_PATH = "/issues/{issue_id}/"


# How a bulk change or delete selects its issues (commands/bulk.py).
BULK_SELECTION = (
    Opt("--id", "an issue (repeatable)", action="append", dest="ids", metavar="ISSUE"),
    Opt("--query", "select the issues matching this search instead of --id"),
    Opt("--project", "with --query (repeatable; 'all' for every project; default: SENTRY_PROJECT)",
        action="append", metavar="SLUG_OR_ID"),
    Opt("--environment", "with --query (repeatable)", action="append", metavar="ENV"),
    Opt("--max", "refuse to touch more issues than this (default 100)", type=MAX_ARG, default=100),
)


def bulk_reads(scope: str) -> tuple:
    """The reads before a bulk write, for the command's documentation."""
    return (("--id, read first", "GET /organizations/{org}/issues/?group=ID&id=ID", scope),
            ("--query, counted first", "GET /organizations/{org}/issues/", scope),
            ("--project SLUG, where slugs are refused", "GET /organizations/{org}/projects/", "org:read"))


def issue_list_params(ctx) -> dict:
    """The time window and the collapsed parts; the projects and sort are checked here and sent
    in the form the server takes (issue_filters)."""
    params = time_params(ctx.args)
    if not ctx.args.raw:
        params["collapse"] = [name for name, field in COLLAPSIBLE.items() if field not in ctx.shown_fields]
    ctx.selection["filters"] = issue_filters.wanted_from(ctx.args, ctx.settings)
    return params


def list_issues(ctx) -> Result:
    """One request where the server takes Sentry's forms; see issue_filters for the others."""
    entry, args, client = ctx.entry, ctx.args, ctx.client

    def request(filters):
        return client.paginate(ctx.candidates(), {**ctx.params, **filters}, limit=args.limit, cursor=args.cursor,
                               page_param=entry.page_param, scope=entry.scope, route=ctx.route,
                               partial=True)

    items, next_cursor = issue_filters.send(client, ctx.org, ctx.selection["filters"], request,
                                            empty=lambda answer: not answer[0])
    fields = ctx.shown_fields
    return Result(items, lambda item: entry.shape(item, fields), is_list=True, next_cursor=next_cursor)


def check_stacktrace_needs_event(ctx) -> None:
    if ctx.args.stacktrace and not ctx.args.latest_event and "latestEvent" not in (ctx.fields or []):
        raise UsageError("--stacktrace needs --latest-event here.",
                         hint="Or use: event-detail latest --issue ISSUE --stacktrace")
    if ctx.args.all_frames and not ctx.args.stacktrace:
        raise UsageError("--all-frames goes with --stacktrace.",
                         hint="issue-detail ISSUE --latest-event --stacktrace --all-frames")


# The issue exists but its latest event does not (past retention, or not stored yet).
EVENT_GONE = "the server has no stored event for this issue (404): past retention, or not stored yet"


def _latest_event(client, route, paths, scope):
    """The latest event, or the NotFound that says it is gone: only a 404 of the event
    itself is taken for that; any other error stops the command as always."""
    try:
        return client.get_first(route, paths, scope=scope, expect=dict)
    except NotFound as gone:
        return gone


def issue_fields(ctx):
    return [f for f in ctx.fields if f != "latestEvent"] if ctx.fields else ctx.shown_fields


def several_issues(ctx) -> Result:
    """issue-detail A B C: each issue as issue-detail prints it alone, all fetched at the same time
    (the client bounds the threads), in the list envelope. A failed one is an item with its error
    ({"issue": REF, "error": ...}) and the others are still printed; the exit code is the first
    failure's, in the order given."""
    import copy

    from ..errors import SentryError

    client = ctx.client  # made once, before the copies: one client, one deadline, one route memory

    def one(ref):
        part = copy.copy(ctx)
        part.refs = {**ctx.refs, "issue": ref}
        try:
            return one_issue(part)
        except SentryError as error:
            return error

    given = ctx.selection["several"]
    answers = client.concurrently(*[lambda ref=ref: one(ref) for _, ref in given])
    failures = [answer for answer in answers if isinstance(answer, SentryError)]
    data = [{"issue": text, **answer.to_dict()} if isinstance(answer, SentryError) else answer.data
            for (text, _), answer in zip(given, answers)]
    shapers = iter([None if isinstance(answer, SentryError) else answer.shape for answer in answers])

    def shape_next(item):  # output.py shapes a list's items once each, in order
        shaper = next(shapers)
        return item if shaper is None else shaper(item)

    budgets = [answer.max_bytes for answer in answers if not isinstance(answer, SentryError) and answer.max_bytes]
    return Result(data, shape_next, is_list=True, max_bytes=sum(budgets) if budgets else None,
                  exit=failures[0].exit_code if failures else 0)


def issue_detail(ctx) -> Result:
    """One issue; several (issue-detail A B C) in the list envelope."""
    if len(ctx.selection.get("several") or ()) > 1:
        return several_issues(ctx)
    return one_issue(ctx)


def one_issue(ctx) -> Result:
    """The issue and, when asked, its latest event and its tag distribution: all at the same time."""
    args, fields, client, scope = ctx.args, ctx.fields, ctx.client, ctx.entry.scope
    calls = [lambda: client.get_first(ctx.route, ctx.candidates(), scope=scope, expect=dict)]
    with_event = args.latest_event or bool(fields and "latestEvent" in fields)  # asking for the field asks for it
    if with_event:
        from . import find
        latest = ctx.candidates(find("event-detail"), event="latest")  # the request event-detail sends
        calls.append(lambda: _latest_event(client, ctx.route, latest, scope))
    if args.tags:  # only then is the tags group imported (start-up)
        from .tags import fetch_tags, ranked_tags, shape_tag
        calls.append(lambda: fetch_tags(ctx))  # the request issue-tags sends
    answers = client.concurrently(*calls)  # the issue's own error, if any, comes first
    issue, event = answers[0], answers[1] if with_event else None
    tags = answers[-1] if args.tags else None

    def with_tags(view, both):
        return {**view, "tags": [shape_tag(tag) for tag in ranked_tags(both["tags"])]} if args.tags else view

    if not with_event and not args.tags:
        return Result(issue, lambda issue: shape.shape_issue(issue, issue_fields(ctx)))
    parts = {"issue": issue, **({"tags": tags} if args.tags else {})}  # --raw keeps this envelope
    if not with_event:
        return Result(parts, lambda both: with_tags(shape.shape_issue(both["issue"], issue_fields(ctx)), both))
    if isinstance(event, NotFound):
        return Result({**parts, "latestEvent": {"unavailable": EVENT_GONE}},
                      lambda both: with_tags({**shape.shape_issue(both["issue"], issue_fields(ctx)),
                                              "latestEvent": both["latestEvent"]}, both))
    from .. import event_shape  # only a run with the event imports it (start-up)

    # All parts are redacted together, then shaped side by side.
    return Result({**parts, "latestEvent": event},
                  lambda both: with_tags(event_shape.shape_issue_with_event(
                      both["issue"], issue_fields(ctx), both["latestEvent"], stacktrace=args.stacktrace,
                      all_frames=args.all_frames), both),
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
            Opt("--project", "project slug or id; repeat for several; 'all' for every project "
                "(default: SENTRY_PROJECT, else no filter)", action="append", metavar="SLUG_OR_ID"),
            Opt("--query", "Sentry search syntax (default 'is:unresolved'; '' for every issue)", param="query",
                default="is:unresolved"),
            ENVIRONMENTS, *TIME_RANGE,
            Opt("--sort", "date (last seen, default), new (first seen), freq (events), user (users), trends, "
                "recommended, inbox (with --query 'is:unresolved is:for_review')", type=issue_filters.sort_arg),
        ),
        params=issue_list_params, run=list_issues,
        also=(("--project SLUG, where slugs are refused", "GET /organizations/{org}/projects/", "org:read"),),
        fields=ISSUE_FIELDS, default_fields=shape.ISSUE_LIST_DEFAULT, shape=shape.shape_issue,
    ),
    Command(
        "issue-detail", "issues", "one issue or several; --latest-event adds each one's latest event",
        "issue-detail BACKEND-12 --latest-event",
        description=("One issue by numeric id, short id (BACKEND-12) or issue URL. Several (issue-detail A B C) "
                     "are fetched at the same time and printed in the list envelope, in the order given; one "
                     "that fails is an item {\"issue\": REF, \"error\": ...}, the others are still printed, "
                     "and the exit code is the first failure's."),
        several=True,
        path=ISSUE_PATH, fallback=LEGACY_ISSUE_PATH, scope="event:read", refs=("issue",),
        options=(
            Opt("--latest-event", "add the latest event, compact", action="store_true"),
            Opt("--tags", "add the tag distribution (issue-tags), fetched at the same time", action="store_true"),
            Opt("--stacktrace", "with --latest-event: in-app frames with context", action="store_true"),
            ALL_FRAMES,
        ),
        checks=(check_stacktrace_needs_event,),
        fields=(*ISSUE_FIELDS, "latestEvent"), default_fields=shape.ISSUE_DETAIL_DEFAULT,
        run=issue_detail,
        also=(("--latest-event", "GET /organizations/{org}/issues/{issue}/events/latest/", "event:read"),
              ("--tags", "GET /organizations/{org}/issues/{issue}/tags/", "event:read")),
    ),
    Command(
        "lookup-short-id", "issues", "short id -> issue (id, shortId, title, project, status)",
        "lookup-short-id BACKEND-12",
        description="Resolve a short id such as BACKEND-12 to its issue.",
        path=SHORT_ID_PATH, scope="event:read", refs=("short_id",),
        fields=ISSUE_FIELDS, default_fields=shape.LOOKUP_DEFAULT, run=lookup_short_id,
    ),
    Command(
        "update-issue", "issues", "change one issue: status, archive, assignee, bookmark, priority",
        "update-issue BACKEND-C --status resolvedInNextRelease --dry-run",
        description=("Change one issue. Refused unless writes are allowed; --dry-run shows the request.\n"
                     "Prints what the server's answer confirms; `unconfirmed` names what it did not.\n"
                     "more examples: update-issue BACKEND-12 --archive --until-escalating --allow-write\n"
                     "               update-issue BACKEND-12 --assign team:backend --allow-write"),
        method="PUT", path=ISSUE_PATH, fallback=LEGACY_ISSUE_PATH, scope="event:write", refs=("issue",),
        options=triage.CHANGE_OPTIONS, body=triage.change_body, run=triage.update_issue,
        also=(("a short id, looked up first", "GET /organizations/{org}/shortids/{short_id}/", "event:write"),
              ("--assign team:SLUG", "GET /teams/{org}/{team}/", "team:read"),
              ("--assign me", "GET /users/me/", None)),
    ),
    Command(
        "bulk-update-issues", "issues", "change many issues, by --id or by --query",
        "bulk-update-issues --query 'is:unresolved release:1.2.3' --project backend --status resolved --dry-run",
        description=("Change several issues at once. Reads the issues first (by id or by query), refuses "
                     "above --max, then changes them one project at a time; needs --confirm as well as "
                     "--allow-write."),
        method="PUT", path="/organizations/{org}/issues/", scope="event:write", confirm=True,
        options=(*BULK_SELECTION, *triage.CHANGE_OPTIONS),
        checks=(bulk.check_bulk_selection,), body=triage.change_body, run=bulk.bulk_update_issues,
        also=(*bulk_reads("event:write"),
              ("--assign team:SLUG", "GET /teams/{org}/{team}/", "team:read"),
              ("--assign me", "GET /users/me/", None)),
    ),
    Command(
        "bulk-delete-issues", "issues", "delete many issues, by --id or by --query (queued by the server)",
        "bulk-delete-issues --query 'is:unresolved ZeroDivisionError' --project backend --dry-run",
        description=("Delete several issues and their events. Reads the issues first (by id or by query), "
                     "refuses above --max, then deletes them one project at a time; needs --allow-write and "
                     "--confirm, and a token with event:admin. The server's answer does not say which issues "
                     "it deleted: the output marks the deletion `unconfirmed`."),
        method="DELETE", path="/organizations/{org}/issues/", scope="event:admin",
        options=BULK_SELECTION, checks=(bulk.check_bulk_selection,), run=bulk.bulk_delete_issues,
        also=bulk_reads("event:admin"),
    ),
    Command(
        "delete-issue", "issues", "delete one issue and its events (queued by the server)",
        "delete-issue BACKEND-C --dry-run",
        description="Delete one issue. Needs --allow-write and --confirm, and a token with event:admin.",
        method="DELETE", path=ISSUE_PATH, fallback=LEGACY_ISSUE_PATH, scope="event:admin", refs=("issue",),
        answer=deleted,
        also=(("a short id, looked up first", "GET /organizations/{org}/shortids/{short_id}/", "event:admin"),),
    ),
)
