"""Issue commands: list-issues, issue-detail, lookup-short-id."""

from __future__ import annotations

import re

from .. import shape
from ..budget import DEFAULT_EVENT_MAX_BYTES
from ..errors import UsageError
from ..ids import check_slug, parse_issue, parse_short_id, seg
from ..output import Result, parse_fields
from .common import cursor_arg, iso_arg, limit_arg, period_arg, select, time_params

SORT_RE = re.compile(r"^-?[a-z_]{1,30}$")
# Parts of the list answer that no default field needs: collapsing them shrinks it.
COLLAPSIBLE = {"stats": None, "lifetime": None, "filtered": None, "unhandled": "isUnhandled"}


def register(sub, common):
    p = sub.add_parser(
        "list-issues", parents=[common], help="search the organization's issues",
        description="Org-wide issue search, newest activity first. Default query: is:unresolved.",
        epilog="example: list-issues --project backend --environment production --time-range 24h --limit 10",
    )
    p.add_argument("--project", action="append", metavar="SLUG_OR_ID",
                   help="project slug or id; repeat for several (default: SENTRY_PROJECT, else all)")
    p.add_argument("--query", default=None,
                   help="Sentry search syntax (default 'is:unresolved'; '' for every issue)")
    p.add_argument("--environment", action="append", metavar="ENV", help="repeatable")
    p.add_argument("--time-range", type=period_arg, metavar="PERIOD", help="e.g. 24h, 7d, 30m")
    p.add_argument("--start", type=iso_arg, help="ISO 8601 start (with --end)")
    p.add_argument("--end", type=iso_arg, help="ISO 8601 end (with --start)")
    p.add_argument("--sort", help="date (last seen, default), new, freq, user, trends, inbox")
    p.add_argument("--limit", type=limit_arg, default=25, help="issues to return (default 25)")
    p.add_argument("--cursor", type=cursor_arg, help="next_cursor of a previous call")
    p.set_defaults(run=list_issues, catalogue=list(shape.ISSUE_FIELDS))

    p = sub.add_parser(
        "issue-detail", parents=[common], help="one issue; --latest-event adds its latest event",
        description="One issue by numeric id, short id (BACKEND-12) or issue URL.",
        epilog="example: issue-detail BACKEND-12 --latest-event",
    )
    p.add_argument("issue", metavar="ISSUE", help="numeric id, short id or issue URL")
    p.add_argument("--latest-event", action="store_true", help="add the latest event, compact")
    p.add_argument("--stacktrace", action="store_true", help="with --latest-event: in-app frames with context")
    p.set_defaults(run=issue_detail, catalogue=list(shape.ISSUE_FIELDS) + ["latestEvent"])

    p = sub.add_parser(
        "lookup-short-id", parents=[common], help="short id -> issue (id, shortId, title, project, status)",
        description="Resolve a short id such as BACKEND-12 to its issue.",
        epilog="example: lookup-short-id BACKEND-12",
    )
    p.add_argument("short_id", metavar="SHORT_ID")
    p.set_defaults(run=lookup_short_id, catalogue=list(shape.ISSUE_FIELDS))


def list_issues(ctx):
    args = ctx.args
    fields = parse_fields(args.fields, args.catalogue) or shape.ISSUE_LIST_DEFAULT
    projects = [check_slug(p, "Project") for p in (args.project or [])]
    if args.sort is not None and not SORT_RE.match(args.sort):
        raise UsageError(f"--sort {args.sort!r} is not a sort name.",
                         hint="Use date, new, freq, user, trends or inbox.")
    params = time_params(args)
    params["query"] = "is:unresolved" if args.query is None else args.query
    if args.environment:
        params["environment"] = args.environment
    if args.sort:
        params["sort"] = args.sort
    if not args.raw:
        params["collapse"] = [name for name, field in COLLAPSIBLE.items() if field not in fields]
    org = ctx.org
    if not projects and ctx.settings.project:
        projects = [check_slug(ctx.settings.project, "Project")]
    if projects:
        params["project"] = projects
    items, next_cursor = ctx.client.paginate(
        f"/organizations/{seg(org)}/issues/", params, limit=args.limit, cursor=args.cursor,
        scope="event:read")
    return Result(items, lambda issue: shape.shape_issue(issue, fields), is_list=True,
                  next_cursor=next_cursor)


def issue_detail(ctx):
    from ..resolve import get_issue, get_issue_event

    args = ctx.args
    fields = parse_fields(args.fields, args.catalogue)
    if args.stacktrace and not args.latest_event and "latestEvent" not in (fields or []):
        raise UsageError("--stacktrace needs --latest-event here.",
                         hint="Or use: event-detail latest --issue ISSUE --stacktrace")
    ref = parse_issue(args.issue, ctx.settings.base_url)
    org = ref.org or ctx.org
    client = ctx.client
    calls = [lambda: get_issue(client, org, ref)]
    if args.latest_event or (fields and "latestEvent" in fields):  # asking for the field asks for the event
        calls.append(lambda: get_issue_event(client, org, ref, "latest"))
    answers = client.concurrently(*calls)
    issue_fields = [f for f in (fields or shape.ISSUE_DETAIL_DEFAULT) if f != "latestEvent"]
    if len(answers) == 1:
        return Result(answers[0], lambda issue: shape.shape_issue(issue, issue_fields))
    # Both parts are redacted together, then shaped side by side.
    return Result({"issue": answers[0], "latestEvent": answers[1]},
                  lambda both: shape.shape_issue_with_event(both["issue"], issue_fields, both["latestEvent"],
                                                            stacktrace=args.stacktrace),
                  max_bytes=DEFAULT_EVENT_MAX_BYTES)


def lookup_short_id(ctx):
    from ..resolve import lookup_short_id as lookup

    args = ctx.args
    fields = parse_fields(args.fields, args.catalogue) or shape.LOOKUP_DEFAULT
    short_id = parse_short_id(args.short_id.strip())
    if not short_id:
        raise UsageError(f"{args.short_id!r} is not a short id.", hint="A short id looks like BACKEND-12.")
    issue = lookup(ctx.client, ctx.org, short_id)
    return Result(issue, lambda found: select(shape.shape_issue(found, fields), fields))
