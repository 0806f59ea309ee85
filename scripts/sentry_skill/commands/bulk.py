"""bulk-update-issues, bulk-delete-issues: find the issues, then act on them one project at a time.

The issues are read first, by id or by query: what is read is exactly what gets
changed or deleted, it is what --max counts, and it is what a dry run lists. Sentry checks
a bulk body against every project the request covers, so a release, a commit,
the next release or a team would be refused on an organization with several
projects: each write names its one project (`project=<id>`) with at most 100 ids.
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


class Batch:
    """The issues read first and the writes that act on them, one project and at most
    BULK_CHUNK ids each; bulk-update-issues and bulk-delete-issues differ only in the
    write and in what its answer says."""

    def __init__(self, ctx, method: str, body: dict | None, verb: str):
        args = ctx.args
        path = ctx.expand(ctx.entry.path)
        self.not_found: list = []
        if ctx.selection["ids"]:
            self.issues, self.not_found = _issues_by_id(ctx, path)
            total = len(self.issues)
        else:
            self.issues, total = _matching_issues(ctx, path)
        if total > args.max:
            raise WriteRefused(f"This would {verb} {total} issues, more than --max {args.max}.",
                               hint="Narrow --query, or raise --max if you mean it.")
        self.writes = [Write(method, [path], body, params=params, destructive=True, scope=ctx.entry.scope)
                       for params in _batches(self.issues)]

    def dry_run(self, ctx) -> Result:
        planned = []
        for write in self.writes:
            request = write.describe(ctx.client.api_root)
            del request["dry_run"]
            planned.append(request)
        return Result(self.with_not_found({"dry_run": True, "matched": len(self.issues),
                                           "issues": [shape.shape_issue(issue, LISTED) for issue in self.issues],
                                           "requests": planned}), exact=True)

    def send(self, ctx, explain, done: str):
        """Each write once, never retried, in turn: yields (write, answer). A failure names the
        ids already in `self.done` (the caller adds what each answer settled) in words `done`."""
        self.done: list = []
        status, sent = ctx.client.status, 0
        try:
            for write in self.writes:
                if len(self.writes) > 1:
                    status.show(f"sentry-api: {sent} of {len(self.issues)} issues sent...")
                try:
                    answer = perform(ctx, write)
                except SentryError as error:
                    raise _after(explain(error), self.done, done) from None
                sent += len(write.params["id"])
                yield write, answer
        finally:
            status.clear()

    def with_not_found(self, document: dict) -> dict:
        return {**document, "notFound": self.not_found} if self.not_found else document


def bulk_update_issues(ctx):
    body = ctx.body
    resolve_assignee(ctx, body)
    batch = Batch(ctx, "PUT", body, "change")
    if ctx.args.dry_run:
        return batch.dry_run(ctx)
    answers = []
    for write, answer in batch.send(ctx, lambda error: unsupported(error, body),
                                    "{n} issue(s) were changed before this failure"):
        if answer.status == 204:  # Sentry: none of these ids matched (any more)
            batch.not_found += write.params["id"]
            continue
        answers.append(answer.data)
        batch.done += write.params["id"]
    result = {"matched": len(batch.done), "ids": batch.done}
    if batch.done:
        result.update(confirmed(answers, body))
    return Result(batch.with_not_found(result))


def bulk_delete_issues(ctx):
    """Neither server's answer says which issues it deleted: Sentry answers 204 whether or not
    any id matched (spec, "Bulk Remove an Organization's Issues"), GlitchTip a fixed
    {"status": "resolved"} for any ids (its delete_issues). So the output names what was read
    and asked for, and says the deletion is unconfirmed."""
    batch = Batch(ctx, "DELETE", None, "delete")
    if ctx.args.dry_run:
        return batch.dry_run(ctx)
    for write, _answer in batch.send(ctx, lambda error: error,
                                     "The deletion of {n} issue(s) was requested before this failure"):
        batch.done += write.params["id"]
    result: dict = {"matched": len(batch.done)}
    if batch.done:
        result.update(ids=batch.done, unconfirmed=["deleted"])
    return Result(batch.with_not_found(result))


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


def _after(error: SentryError, done: list, words: str) -> SentryError:
    """A failure after some projects' writes says which issues they covered."""
    if done:
        error.message = (f"{words.format(n=len(done))} (ids {', '.join(done)}); "
                         f"the others were not: {error.message}")
    return error
