"""bulk-update-issues: find the issues, then change them one project at a time.

The issues are read first, by id or by query: what is read is exactly what gets
changed, it is what --max counts, and it is what a dry run lists. Sentry checks
a bulk body against every project the request covers, so a release, a commit,
the next release or a team would be refused on an organization with several
projects: each PUT names its one project (`project=<id>`) with at most 100 ids.
"""

from __future__ import annotations

from .. import issue_filters, shape
from ..errors import SentryError, UsageError, WriteRefused
from ..ids import parse_issue
from ..output import Result
from ..safety import Write, perform
from .triage import confirmed, resolve_assignee, unsupported

BULK_CHUNK = 100  # ids per request (the API's own cap)
LISTED = ["id", "shortId", "title", "project"]  # what a dry run shows of each issue


def check_bulk_selection(ctx) -> None:
    """--id or --query, never neither (the API would change up to 1000 issues), never both."""
    args = ctx.args
    if not args.ids and args.query is None:
        raise WriteRefused("A bulk change needs --id or --query.",
                           hint="Without either, the API would change up to 1000 issues; this tool refuses that.")
    if args.ids and (args.query is not None or args.project or args.environment):
        raise UsageError("Give --id, or --query with --project/--environment, not both.")
    ctx.selection["ids"] = [parse_issue(value, ctx.settings.base_url) for value in args.ids or []]
    ctx.selection["filters"] = issue_filters.wanted_from(args, ctx.settings) if not args.ids else None


def bulk_update_issues(ctx):
    args, body = ctx.args, ctx.body
    path = ctx.expand(ctx.entry.path)
    resolve_assignee(ctx, body)
    not_found: list = []
    if ctx.selection["ids"]:
        issues, not_found = _issues_by_id(ctx, path)
        total = len(issues)
    else:
        issues, total = _matching_issues(ctx, path)
    if total > args.max:
        raise WriteRefused(f"This would change {total} issues, more than --max {args.max}.",
                           hint="Narrow --query, or raise --max if you mean it.")
    writes = [Write("PUT", [path], body, params=params, destructive=True, scope=ctx.entry.scope)
              for params in _batches(issues)]
    if args.dry_run:
        planned = []
        for write in writes:
            request = write.describe(ctx.client.api_root)
            del request["dry_run"]
            planned.append(request)
        return Result(_with_not_found({"dry_run": True, "matched": len(issues),
                                       "issues": [shape.shape_issue(issue, LISTED) for issue in issues],
                                       "requests": planned}, not_found), exact=True)
    answers, changed = [], []
    for write in writes:
        try:
            answer = perform(ctx, write)
        except SentryError as error:
            raise _after(unsupported(error, body), changed) from None
        if answer.status == 204:  # Sentry: none of these ids matched (any more)
            not_found += write.params["id"]
            continue
        answers.append(answer.data)
        changed += write.params["id"]
    result = {"matched": len(changed), "ids": changed}
    if changed:
        result.update(confirmed(answers, body))
    return Result(_with_not_found(result, not_found))


def _issues_by_id(ctx, path) -> tuple[list, list]:
    """(issues the server lists for the ids given, ids it does not know), one GET per 100 ids.

    Sentry's list takes `group` (its server code: organization_group_index.py), GlitchTip's
    takes `id`; each ignores the other's. Only the ids asked for are kept, so a server that
    ignores both can make this tool change less, never more.
    """
    from ..resolve import numeric_issue_id

    scope = ctx.entry.scope
    ids = list(dict.fromkeys(numeric_issue_id(ctx.client, ref.org or ctx.org, ref, scope=scope)
                             for ref in ctx.selection["ids"]))
    found: dict = {}
    for start in range(0, len(ids), BULK_CHUNK):
        chunk = ids[start:start + BULK_CHUNK]
        listed = ctx.client.get(path, {"group": chunk, "id": chunk, "query": "", "limit": len(chunk)},
                                scope=scope, expect=list)
        found.update({str(item["id"]): item for item in listed
                      if isinstance(item, dict) and str(item.get("id")) in chunk})
    return [found[i] for i in ids if i in found], [i for i in ids if i not in found]


def _matching_issues(ctx, path) -> tuple[list, int]:
    """(issues, total) the query selects now, its projects as the server takes them, as
    list-issues sends them (issue_filters)."""
    args = ctx.args
    params = {"query": args.query}
    if args.environment:
        params["environment"] = args.environment
    return issue_filters.send(ctx.client, ctx.org, ctx.selection["filters"],
                              lambda filters: _count(ctx, path, {**params, **filters}),
                              empty=lambda answer: answer[1] == 0)


def _count(ctx, path, params) -> tuple[list, int]:
    """One GET answers it when the server sends X-Hits or the matches fit one page;
    otherwise the walk goes on only until it passes --max."""
    from ..pagination import next_cursor_from_link

    client, scope, maximum = ctx.client, ctx.entry.scope, ctx.args.max
    first = client.request("GET", path, params={**params, "limit": min(BULK_CHUNK, maximum + 1)}, scope=scope)
    items = first.data if isinstance(first.data, list) else []
    hits = first.headers.get("X-Hits", "")
    if hits.isdigit() and int(hits) > maximum:
        return [], int(hits)
    cursor = next_cursor_from_link(first.headers.get("Link"))
    if cursor and len(items) <= maximum:
        more, _ = client.paginate(path, params, limit=maximum + 1 - len(items), cursor=cursor, scope=scope)
        items += more
    issues = [item for item in items if isinstance(item, dict) and "id" in item]
    return issues, len(issues)


def _batches(issues: list) -> list:
    """Query parameters of each PUT: one project's ids, at most BULK_CHUNK of them."""
    by_project: dict = {}
    for issue in issues:
        project = issue.get("project")
        by_project.setdefault(project.get("id") if isinstance(project, dict) else None, []).append(str(issue["id"]))
    batches = []
    for project, ids in by_project.items():
        for start in range(0, len(ids), BULK_CHUNK):
            params = {"id": ids[start:start + BULK_CHUNK]}
            if project is not None:
                params["project"] = str(project)
            batches.append(params)
    return batches


def _with_not_found(document: dict, not_found: list) -> dict:
    return {**document, "notFound": not_found} if not_found else document


def _after(error: SentryError, changed: list) -> SentryError:
    """A failure after some projects' issues were changed says which ones were."""
    if changed:
        error.message = (f"{len(changed)} issue(s) were changed before this failure "
                         f"(ids {', '.join(changed)}); the others were not: {error.message}")
    return error
