"""Event commands: issue-events, event-detail."""

from __future__ import annotations

from .. import shape
from ..budget import DEFAULT_EVENT_MAX_BYTES
from ..errors import UsageError
from ..ids import check_slug, parse_event_id, parse_issue, seg
from ..output import Result, parse_fields
from .common import cursor_arg, limit_arg, select

NAMED_EVENTS = ("latest", "oldest", "recommended")
DEFAULT_BREADCRUMBS = 5


def register(sub, common):
    p = sub.add_parser(
        "issue-events", parents=[common], help="the events of an issue, compact",
        description="The issue's events, newest first.",
        epilog="example: issue-events BACKEND-12 --limit 5",
    )
    p.add_argument("issue", metavar="ISSUE", help="numeric id, short id or issue URL")
    p.add_argument("--query", help="event search, e.g. 'environment:production'")
    p.add_argument("--limit", type=limit_arg, default=10, help="events to return (default 10)")
    p.add_argument("--cursor", type=cursor_arg, help="next_cursor of a previous call")
    p.set_defaults(run=issue_events, catalogue=list(shape.EVENT_SUMMARY_FIELDS))

    p = sub.add_parser(
        "event-detail", parents=[common], help="one event: exception, culprit frame, context",
        description=("EVENT is an event id (with --project, or --issue, or neither: then it is looked "
                     "up first), or latest/oldest/recommended with --issue."),
        epilog="examples: event-detail latest --issue BACKEND-12 --stacktrace\n"
               "          event-detail 7306aab8480d4cd19eac0d61c840f15c --project backend",
    )
    p.add_argument("event", metavar="EVENT", help="event id, or latest / oldest / recommended")
    p.add_argument("--issue", metavar="ISSUE", help="the issue (numeric id, short id or URL)")
    p.add_argument("--project", metavar="SLUG", help="the event's project (skips the lookup)")
    p.add_argument("--stacktrace", action="store_true", help="add in-app frames with context lines")
    p.add_argument("--breadcrumbs", type=int, default=0, metavar="N", help="add the last N breadcrumbs")
    p.set_defaults(run=event_detail, catalogue=list(shape.EVENT_FIELDS))


def issue_events(ctx):
    from ..resolve import EVENT_READ, ISSUE_ROUTE, issue_paths

    args = ctx.args
    fields = parse_fields(args.fields, args.catalogue) or shape.EVENT_LIST_DEFAULT
    ref = parse_issue(args.issue, ctx.settings.base_url)
    org = ref.org or ctx.org
    params = {"query": args.query} if args.query else {}
    client = ctx.client
    items, next_cursor = client.paginate(
        issue_paths(client, org, ref, "events/"), params, limit=args.limit, cursor=args.cursor,
        page_param="per_page", scope=EVENT_READ, route=ISSUE_ROUTE)
    return Result(items, lambda event: shape.shape_event_summary(event, fields), is_list=True,
                  next_cursor=next_cursor)


def event_detail(ctx):
    from ..resolve import PROJECT_READ, get_issue_event, lookup_event_id

    args = ctx.args
    fields = parse_fields(args.fields, args.catalogue)
    if not 0 <= args.breadcrumbs <= 100:
        raise UsageError("--breadcrumbs takes 0 to 100.")
    # Naming a part in --fields asks for it, as its flag would.
    stacktrace = args.stacktrace or "stacktrace" in (fields or [])
    breadcrumbs = args.breadcrumbs or (DEFAULT_BREADCRUMBS if "breadcrumbs" in (fields or []) else 0)
    named = args.event.strip().lower() in NAMED_EVENTS
    if named and not args.issue:
        raise UsageError(f"'{args.event}' needs --issue ISSUE.",
                         hint=f"event-detail {args.event} --issue BACKEND-12")
    if named and args.project:
        raise UsageError(f"'{args.event}' takes --issue, not --project.")
    event_id = args.event.strip().lower() if named else parse_event_id(args.event)
    ref = parse_issue(args.issue, ctx.settings.base_url) if args.issue else None
    project = check_slug(args.project, "Project") if args.project else None
    if ref and project:
        raise UsageError("Give --issue or --project, not both.")

    client = ctx.client
    if ref:
        event = get_issue_event(client, ref.org or ctx.org, ref, event_id)
    elif project:
        event = client.get(f"/projects/{seg(ctx.org)}/{seg(project)}/events/{seg(event_id)}/",
                           scope=PROJECT_READ, expect=dict)
    else:
        event = lookup_event_id(client, ctx.org, event_id)["event"]

    def shape_one(raw):
        compact = shape.shape_event(raw, stacktrace=stacktrace, breadcrumbs=breadcrumbs)
        return select(compact, fields)
    return Result(event, shape_one, max_bytes=DEFAULT_EVENT_MAX_BYTES)
