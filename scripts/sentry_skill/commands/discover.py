"""The events query: search-events, rows of the columns asked for (spec: listOrganizationEvents).

The answer is `{"data": [rows], "meta": {...}}`, paged by Link cursors like every
list; each row is printed with the columns asked for, in their order,
redacted like every other output. What can be known before a request is checked
there: the dataset (the spec's enum), at most 20 fields, a sort among the fields.
A field name cannot be: tags, functions and equations are open-ended, so an
unknown one is the server's 400, whose detail is printed. GlitchTip has no events
query (recorded: org_events_query, an HTML 404): exit 7, unsupported.
"""

from __future__ import annotations

from ..errors import UsageError
from .common import cursor_arg, limit_arg, time_params
from .spec import ENVIRONMENTS, TIME_RANGE, Command, Opt

EVENTS_PATH = "/organizations/{org}/events/"
DATASETS = ("errors", "spans", "logs", "profile_functions", "tracemetrics", "uptime_results")  # spec: `dataset`
MAX_FIELDS = 20   # spec: "At most 20 fields can be selected per request"
PAGE = 100        # spec: per_page's default and maximum


def _check(ctx) -> None:
    args = ctx.args
    if not args.dataset:
        raise UsageError("search-events needs --dataset.", hint="One of: " + ", ".join(DATASETS) + ".")
    fields = [name.strip() for name in args.field or [] if name.strip()]
    if not fields:
        raise UsageError("search-events needs at least one --field.",
                         hint="e.g. --field title --field 'count()' (the columns of each row).")
    if len(fields) > MAX_FIELDS:
        raise UsageError(f"{len(fields)} fields asked; the events query takes at most {MAX_FIELDS}.")
    if args.sort:
        # spec: the sort "must be something in the `field` list, excluding equations"
        name = args.sort[1:] if args.sort.startswith("-") else args.sort
        if name not in fields or name.startswith("equation|"):
            raise UsageError(f"--sort {args.sort!r} is not one of the fields asked for.",
                             hint="Sort by a --field (prefix '-' for descending), e.g. --sort=-count().")
    ctx.selection["fields"] = fields


def _params(ctx) -> dict:
    args = ctx.args
    params = {"field": ctx.selection["fields"], "dataset": args.dataset}
    params.update(time_params(args))
    if args.project:
        params["project"] = args.project  # spec: ids or slugs
    return params


def _rows(answer) -> list:
    data = answer.get("data") if isinstance(answer, dict) else None
    return [row for row in data if isinstance(row, dict)] if isinstance(data, list) else []


def _search(ctx):
    """Pages of rows until --limit; the cursor printed goes on from the last page."""
    from ..output import Result
    from ..pagination import next_cursor_from_link

    entry, limit = ctx.entry, ctx.args.limit
    cursor, rows, raw = ctx.args.cursor, [], None
    while True:
        query = {**ctx.params, "per_page": min(PAGE, limit - len(rows))}
        if cursor:
            query["cursor"] = cursor
        response, _ = ctx.client.request_first(ctx.route, [ctx.expand(EVENTS_PATH)], query, scope=entry.scope)
        raw = response.data if raw is None else raw
        page = _rows(response.data)
        rows += page[:limit - len(rows)]
        following = next_cursor_from_link(response.headers.get("Link"))
        if not page or not following or following == cursor or len(rows) >= limit:
            cursor = following if page and len(rows) >= limit else None
            break
        cursor = following
    if ctx.args.raw:
        return Result(raw)
    fields = ctx.selection["fields"]
    return Result(rows, lambda row: {name: row.get(name) for name in fields}, is_list=True, next_cursor=cursor)


COMMANDS = (
    Command(
        "search-events", "stats", "query events, spans or logs: one row per result, the columns asked for",
        "search-events --dataset errors --field title --field 'count()' --sort='-count()' --time-range 24h",
        description=("The events query of Sentry's Discover and Explore: --field names each column (repeatable, "
                     "at most 20: built-in fields, tags as tag[NAME,string], functions such as count()), "
                     "--query filters with Sentry's search syntax, --sort orders by one of the fields. "
                     "GlitchTip has no events query (exit 7)."),
        path=EVENTS_PATH, scope="org:read",
        options=(
            Opt("--dataset", "what to query (required): errors, spans, logs, ...", param="dataset",
                choices=DATASETS),
            Opt("--field", "a column of each row (repeatable, at most 20), e.g. title, count(), user.id",
                action="append", metavar="FIELD"),
            Opt("--query", "filter, in Sentry's search syntax", param="query"),
            Opt("--sort", "one of the fields; prefix '-' for descending (write --sort='-count()')", param="sort",
                metavar="FIELD"),
            Opt("--project", "a project slug or id (repeatable; default all)", action="append", metavar="PROJECT"),
            ENVIRONMENTS,
            *TIME_RANGE,
            # Not a `page_param` list: the rows come inside {"data": [...]}, not as the answer itself.
            Opt("--limit", "rows to return (default 25)", type=limit_arg, default=25),
            Opt("--cursor", "next_cursor of a previous call", type=cursor_arg),
        ),
        checks=(_check,), params=_params, run=_search,
    ),
)
