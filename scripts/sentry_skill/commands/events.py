"""Events: the entries of the event commands."""

from __future__ import annotations

from .. import event_shape
from ..budget import DEFAULT_EVENT_MAX_BYTES
from ..errors import ApiError, UsageError
from ..ids import check_slug, parse_event_id, parse_issue
from ..output import Result
from ..resolve import EVENT_ID_PATH
from .common import select
from .spec import ALL_FRAMES, Command, Opt
from .keys import PROJECT, use_project

NAMED_EVENTS = ("latest", "oldest", "recommended")
PROJECT_EVENT_PATH = "/projects/{org}/{project}/events/{event}/"
DEFAULT_BREADCRUMBS = 5


def event_detail(ctx) -> Result:
    """Three ways to an event: through its issue, through its project, or by its id alone."""
    from ..resolve import PROJECT_READ, lookup_event_id

    args, fields = ctx.args, ctx.fields
    if not 0 <= args.breadcrumbs <= 100:
        raise UsageError("--breadcrumbs takes 0 to 100.")
    # Naming a part in --fields asks for it, as its flag would.
    stacktrace = args.stacktrace or "stacktrace" in (fields or [])
    if args.all_frames and not stacktrace:
        raise UsageError("--all-frames goes with --stacktrace.", hint="event-detail latest --issue BACKEND-12 "
                                                                      "--stacktrace --all-frames")
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
    if ref:
        ctx.refs["issue"] = ref  # before the client is made: an issue URL's org is the one to check

    # The issue's short id, project and status come along, unless --fields leaves them out.
    wants_issue = not fields or any(name in fields for name in event_shape.EVENT_ISSUE_FIELDS)
    client, issue = ctx.client, None
    if ref:
        ctx.refs["issue"] = ref
        def fetch_event():
            try:
                return client.get_first(ctx.route, ctx.candidates(event=event_id), scope=ctx.entry.scope, expect=dict)
            except ApiError as error:
                if named and error.status == 422:  # Sentry validates with 400; GlitchTip's 422 is its UUID check
                    raise ApiError(f"This server has no {event_id} event: it took {event_id!r} for an event id "
                                   "(422), as GlitchTip does, which serves only the latest event by name.",
                                   status=422, hint=f"Use event-detail latest --issue {args.issue}, or an event id "
                                                    "from issue-events.") from None
                raise

        calls = [fetch_event]
        if wants_issue:
            calls.append(lambda: _issue_of(ctx))
        event, *issue_answer = client.concurrently(*calls)  # the same issue route: asked at the same time
        issue = issue_answer[0] if issue_answer else None
    elif project:
        event = client.get(ctx.expand(PROJECT_EVENT_PATH, project=project, event=event_id),
                           scope=PROJECT_READ, expect=dict)
        group = event_shape.normalize_event(event).get("groupID")
        if wants_issue and group:
            issue = _issue_of(ctx, str(group))
    else:
        found = lookup_event_id(client, ctx.org, event_id)
        event, issue = found["event"], found.get("issue")  # older servers: the search found the issue
        if wants_issue and issue is None and found.get("issueId"):
            issue = _issue_of(ctx, str(found["issueId"]))

    def shape_one(both):
        compact = event_shape.shape_event(both["event"], stacktrace=stacktrace, breadcrumbs=breadcrumbs,
                                          all_frames=args.all_frames)
        if not fields:
            compact = event_shape.said_once(compact)
        return select(event_shape.with_issue_facts(compact, both["issue"]), fields)
    # Redacted together, shaped together.
    return Result({"event": event, "issue": issue}, shape_one, max_bytes=DEFAULT_EVENT_MAX_BYTES)


def _issue_of(ctx, issue_id: str | None = None):
    """The event's issue (the one request issue-detail sends), or None with a notice on
    stderr when it cannot be read: the event is what was asked for."""
    from . import find
    from ..errors import SentryError
    from ..ids import IssueRef

    from ..resolve import issue_found_by_lookup

    if issue_id is not None:
        ctx.refs["issue"] = IssueRef(issue_id, False)
    entry = find("issue-detail")
    try:
        found = issue_found_by_lookup(ctx.client, ctx.org, ctx.refs["issue"])
        if found is not None:
            return found
        return ctx.client.get_first(ctx.route, ctx.candidates(entry), scope=entry.scope, expect=dict)
    except SentryError as error:
        ctx.client.note(f"the event's issue is not shown ({error.message} {error.hint or ''})".rstrip())
        return None


COMMANDS = (
    Command(
        "issue-events", "events", "the events of an issue, compact",
        "issue-events BACKEND-12 --limit 5",
        description="The issue's events, newest first.",
        path="/organizations/{org}/issues/{issue}/events/", fallback="/issues/{issue_id}/events/",
        # Sentry pages an issue's events by per_page and ignores limit (its API description
        # and server code); GlitchTip pages them by limit and ignores per_page (recorded).
        # Each honours one and ignores the other, so both are sent.
        scope="event:read", refs=("issue",), page_param=("per_page", "limit"), limit=10,
        options=(Opt("--query", "event search, e.g. 'environment:production'", param="query"),),
        fields=tuple(event_shape.EVENT_SUMMARY_FIELDS), default_fields=tuple(event_shape.EVENT_LIST_DEFAULT),
        shape=event_shape.shape_event_summary,
    ),
    Command(
        "list-events", "events", "a project's error events, compact",
        "list-events --project backend --limit 5",
        description=("A project's error events, newest first, compact as issue-events shows them. "
                     "GlitchTip sends whole events here (with their user, request and frames): only the "
                     "summary fields are printed, and --raw is redacted as always."),
        path="/projects/{org}/{project}/events/", scope="project:read",
        # Sentry pages by per_page (its API description); GlitchTip by limit (recorded: project_events_limit1).
        page_param=("per_page", "limit"), limit=10, options=(PROJECT,), checks=(use_project,),
        fields=tuple(event_shape.EVENT_SUMMARY_FIELDS), default_fields=tuple(event_shape.EVENT_LIST_DEFAULT),
        shape=event_shape.shape_event_summary,
    ),
    Command(
        "event-detail", "events", "one event: exception, culprit frame, context",
        "event-detail latest --issue BACKEND-12 --stacktrace",
        description=("EVENT is an event id (with --project, or --issue, or neither: then it is looked "
                     "up first), or latest/oldest/recommended with --issue.\n"
                     "another example: event-detail 7306aab8480d4cd19eac0d61c840f15c --project backend"),
        path="/organizations/{org}/issues/{issue}/events/{event}/", fallback="/issues/{issue_id}/events/{event}/",
        scope="event:read",
        options=(
            Opt("event", "event id, or latest / oldest / recommended", metavar="EVENT"),
            Opt("--issue", "the issue (numeric id, short id or URL)", metavar="ISSUE"),
            Opt("--project", "the event's project (skips the lookup)", metavar="SLUG"),
            Opt("--stacktrace", "add in-app frames with context lines", action="store_true"),
            ALL_FRAMES,
            Opt("--breadcrumbs", "add the last N breadcrumbs", type=int, default=0, metavar="N"),
        ),
        fields=tuple(event_shape.EVENT_FIELDS), run=event_detail, budget=DEFAULT_EVENT_MAX_BYTES,
        also=(("--project", f"GET {PROJECT_EVENT_PATH}", "project:read"),
              ("an event id alone", f"GET {EVENT_ID_PATH}", "org:read")),
    ),
    Command(
        "lookup-event-id", "events", "event id -> its issue and project",
        "lookup-event-id 7306aab8480d4cd19eac0d61c840f15c",
        description="Find the issue and project of an event id, across the organization.",
        path=EVENT_ID_PATH, fallback="/organizations/{org}/issues/?query={event}",
        scope="org:read", refs=("event",),
        fields=event_shape.EVENT_LOOKUP_FIELDS, default_fields=event_shape.EVENT_LOOKUP_DEFAULT, shape=event_shape.shape_event_lookup,
    ),
)
