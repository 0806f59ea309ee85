"""digest: the most important unresolved issues of a window, each with what its latest event says.

One list request, then the latest event of each issue, asked at the same time (the client bounds
the threads). Each issue is cut to what answers "what is broken": its exception, its culprit frame,
its release and its counts, in about 300 bytes.
"""

from __future__ import annotations

from .. import event_shape, issue_filters, shape
from ..shape import clip
from ..errors import NotFound
from ..output import Result
from ..resolve import ISSUE_ROUTE
from .common import time_params, whole_number
from .spec import ENVIRONMENTS, TIME_RANGE, Command, Opt

MAX_DIGEST = 25
DIGEST_LIMIT = whole_number("--limit", 1, MAX_DIGEST, f"Use 1 to {MAX_DIGEST}: a digest is the top few issues; "
                            "list-issues pages through more.")
# The list answer's parts that a digest never shows: collapsing them shrinks the one list request.
COLLAPSE = ["stats", "lifetime", "filtered", "unhandled"]
GONE = "no stored event (404)"
TEXT_CHARS = 72   # the exception (type: value) or title
CODE_CHARS = 48   # the culprit line of code
FILE_CHARS = 40


def digest_params(ctx) -> dict:
    params = time_params(ctx.args)
    if not ctx.args.raw:
        params["collapse"] = COLLAPSE
    ctx.selection["filters"] = issue_filters.wanted_from(ctx.args, ctx.settings)
    return params


def _latest_event(ctx, issue_id):
    """The issue's latest event, by the request event-detail sends; a 404 (past retention) is
    shown as such, any other error stops the command as always."""
    from . import find

    entry = find("event-detail")
    paths = [ctx.expand(entry.path, issue=issue_id, event="latest"),
             ctx.expand(entry.fallback, issue_id=issue_id, event="latest")]
    try:
        return ctx.client.get_first(ISSUE_ROUTE, paths, scope=ctx.entry.scope, expect=dict)
    except NotFound:
        return None


def _short_file(path):
    """The last two parts of a path: enough to find the file, without the build machine's prefix."""
    if not isinstance(path, str):
        return path
    return clip("/".join(path.replace("\\", "/").split("/")[-2:]), FILE_CHARS)


def shape_digest_item(both: dict) -> dict:
    issue, event = both["issue"], both.get("latestEvent")
    out = shape.shape_issue(issue, ("shortId", "count", "userCount", "firstSeen", "lastSeen"))
    if event is None:
        out["title"], out["latestEvent"] = clip(issue.get("title"), TEXT_CHARS), GONE
        return out
    compact = event_shape.shape_event(event)
    out["release"] = compact.get("release")
    raised = event_shape.raised_exception(event)
    if raised:  # the title repeats it, so the title goes
        words = [str(raised[key]) for key in ("type", "value") if raised.get(key)]
        out["exception"] = clip(": ".join(words), TEXT_CHARS)
    else:
        out["title"] = clip(issue.get("title") or compact.get("title"), TEXT_CHARS)
    frame = compact.get("frame")
    if frame:
        out["frame"] = {"file": _short_file(frame.get("file")), "line": frame.get("line"),
                        "function": frame.get("function"), "code": clip(frame.get("code"), CODE_CHARS)}
    return out


def digest(ctx) -> Result:
    """One list request (list-issues' filters), then every latest event at once."""
    args, client = ctx.args, ctx.client

    def request(filters):
        return client.paginate(ctx.candidates(), {**ctx.params, **filters}, limit=args.limit, cursor=None,
                               page_param="limit", scope=ctx.entry.scope, route=ctx.route, partial=True)

    issues, _ = issue_filters.send(client, ctx.org, ctx.selection["filters"], request,
                                   empty=lambda answer: not answer[0])
    issues = issues[:args.limit]
    events = client.concurrently(*[lambda issue=issue: _latest_event(ctx, str(issue.get("id")))
                                   for issue in issues])
    items = [{"issue": issue, "latestEvent": event} for issue, event in zip(issues, events)]
    return Result(items, shape_digest_item, is_list=True, summary=True)


COMMANDS = (
    Command(
        "digest", "issues", "what is broken now: top unresolved issues with exception and culprit frame",
        "digest --environment production --time-range 24h --limit 5",
        description=("The most important unresolved issues of a window (default: by last seen; --sort freq for "
                     "the most events), each with its latest event's exception, culprit frame (file, line, "
                     "function, code) and release. One list request, then the latest events at the same time; "
                     "stderr closes with the bytes printed, the requests sent and the wall time."),
        path="/organizations/{org}/issues/", scope="event:read",
        options=(
            Opt("--project", "project slug or id; repeat for several; 'all' for every project "
                "(default: SENTRY_PROJECT, else no filter)", action="append", metavar="SLUG_OR_ID"),
            Opt("--query", "Sentry search syntax (default 'is:unresolved')", param="query", default="is:unresolved"),
            ENVIRONMENTS, *TIME_RANGE,
            Opt("--sort", "date (last seen, default), new, freq (events), user (users), trends, recommended",
                type=issue_filters.sort_arg),
            Opt("--limit", f"issues to show (default 5, at most {MAX_DIGEST})", type=DIGEST_LIMIT, default=5),
        ),
        params=digest_params, run=digest,
        also=(("each issue's latest event", "GET /organizations/{org}/issues/{issue}/events/latest/", "event:read"),
              ("--project SLUG, where slugs are refused", "GET /organizations/{org}/projects/", "org:read")),
    ),
)
