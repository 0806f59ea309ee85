"""Triage writes: update-issue, bulk-update-issues, delete-issue (all behind safety.py)."""

from __future__ import annotations

import re

from ..errors import ApiError, UsageError, WriteRefused
from ..ids import check_slug, parse_issue, seg
from ..output import Result
from ..safety import Write, check, perform
from .common import limit_arg

DURATION_RE = re.compile(r"^([1-9][0-9]{0,5})([mhdw])$")
MINUTES = {"m": 1, "h": 60, "d": 1440, "w": 10080}
BULK_CHUNK = 100  # ids per bulk request (the API's own cap)
CHANGED_KEYS = ("status", "substatus", "statusDetails", "assignedTo", "isBookmarked", "hasSeen", "priority")


def register(sub, common):
    p = sub.add_parser(
        "update-issue", parents=[common], help="change one issue: status, archive, assignee, bookmark, priority",
        description="Change one issue. Refused unless writes are allowed; --dry-run shows the request.",
        epilog="examples: update-issue BACKEND-12 --status resolvedInNextRelease --dry-run\n"
               "          update-issue BACKEND-12 --archive --until-escalating --allow-write\n"
               "          update-issue BACKEND-12 --assign team:backend --allow-write")
    p.add_argument("issue", metavar="ISSUE", help="numeric id, short id or issue URL")
    _change_flags(p)
    _write_flags(p)
    p.set_defaults(run=update_issue, catalogue=[])

    p = sub.add_parser(
        "bulk-update-issues", parents=[common], help="change many issues, by --id or by --query",
        description=("Change several issues at once. Counts the issues first (one GET), refuses above --max, "
                     "and needs --confirm as well as --allow-write."),
        epilog="example: bulk-update-issues --query 'is:unresolved release:1.2.3' --project backend "
               "--status resolved --dry-run")
    p.add_argument("--id", action="append", dest="ids", metavar="ISSUE", help="an issue (repeatable)")
    p.add_argument("--query", help="select the issues matching this search instead of --id")
    p.add_argument("--project", action="append", metavar="SLUG_OR_ID", help="with --query (repeatable)")
    p.add_argument("--environment", action="append", metavar="ENV", help="with --query (repeatable)")
    p.add_argument("--max", type=limit_arg, default=100, help="refuse to touch more issues than this (default 100)")
    _change_flags(p)
    _write_flags(p)
    p.set_defaults(run=bulk_update_issues, catalogue=[])

    p = sub.add_parser(
        "delete-issue", parents=[common], help="delete one issue and its events (queued by the server)",
        description="Delete one issue. Needs --allow-write and --confirm, and a token with event:admin.",
        epilog="example: delete-issue BACKEND-12 --dry-run")
    p.add_argument("issue", metavar="ISSUE", help="numeric id, short id or issue URL")
    _write_flags(p)
    p.set_defaults(run=delete_issue, catalogue=[])


def _write_flags(p):
    p.add_argument("--allow-write", action="store_true", help="allow this change [env SENTRY_ALLOW_WRITE=1]")
    p.add_argument("--dry-run", action="store_true", help="print the request that would be sent; send nothing")
    p.add_argument("--confirm", action="store_true", help="needed for deletes and bulk changes")


def _change_flags(p):
    g = p.add_argument_group("changes")
    g.add_argument("--status", choices=("resolved", "unresolved", "resolvedInNextRelease"))
    g.add_argument("--in-release", metavar="VERSION", help="resolved in this release")
    g.add_argument("--in-commit", metavar="SHA", help="resolved in this commit (with --repo)")
    g.add_argument("--repo", metavar="NAME", help="the repository of --in-commit")
    g.add_argument("--archive", action="store_true", help="archive (status ignored); how long, below")
    g.add_argument("--until-escalating", action="store_true", help="with --archive: until it escalates (default)")
    g.add_argument("--forever", action="store_true", help="with --archive: for good")
    g.add_argument("--for", dest="for_", metavar="DURATION", help="with --archive: for 30m, 2h, 7d, 1w")
    g.add_argument("--count", type=limit_arg, metavar="N", help="with --archive: until N more events")
    g.add_argument("--users", type=limit_arg, metavar="N", help="with --archive: until N more users")
    g.add_argument("--window", metavar="DURATION", help="with --count/--users: within this time")
    g.add_argument("--assign", metavar="WHO", help="a username, email, user id, or team:SLUG")
    g.add_argument("--unassign", action="store_true")
    g.add_argument("--bookmark", dest="bookmark", action="store_const", const=True)
    g.add_argument("--no-bookmark", dest="bookmark", action="store_const", const=False)
    g.add_argument("--seen", action="store_true", help="mark as seen")
    g.add_argument("--priority", choices=("high", "medium", "low"))


def _minutes(text: str, flag: str) -> int:
    match = DURATION_RE.match(text or "")
    if not match:
        raise UsageError(f"{flag} {text!r} is not a duration.", hint="Use a number and a unit: 30m, 2h, 7d, 1w.")
    return int(match.group(1)) * MINUTES[match.group(2)]


def change_body(args) -> dict:
    """The PUT body for the change flags, checked before any request."""
    body: dict = {}
    resolutions = [f for f, on in (("--status", args.status), ("--in-release", args.in_release),
                                   ("--in-commit", args.in_commit), ("--archive", args.archive)) if on]
    if len(resolutions) > 1:
        raise UsageError(f"{' and '.join(resolutions)} each set the status: give one.")
    if bool(args.in_commit) != bool(args.repo):
        raise UsageError("--in-commit and --repo go together.")
    archive_modes = [f for f, on in (("--until-escalating", args.until_escalating), ("--forever", args.forever),
                                     ("--for", args.for_), ("--count", args.count), ("--users", args.users)) if on]
    if archive_modes and not args.archive:
        raise UsageError(f"{archive_modes[0]} goes with --archive.")
    if len(archive_modes) > 1:
        raise UsageError(f"Give one of {', '.join(archive_modes)}.")
    if args.window and not (args.count or args.users):
        raise UsageError("--window goes with --count or --users.")
    if args.assign and args.unassign:
        raise UsageError("--assign and --unassign contradict each other.")

    if args.status:
        body["status"] = args.status
    elif args.in_release:
        body.update(status="resolved", statusDetails={"inRelease": args.in_release})
    elif args.in_commit:
        if not re.fullmatch(r"[0-9a-fA-F]{7,64}", args.in_commit):
            raise UsageError(f"--in-commit {args.in_commit!r} is not a commit SHA.")
        body.update(status="resolved", statusDetails={"inCommit": {"commit": args.in_commit, "repository": args.repo}})
    elif args.archive:
        body.update(_archive(args))
    if args.assign:
        body["assignedTo"] = args.assign.strip()
        if not body["assignedTo"]:
            raise UsageError("--assign needs a user or team:SLUG.")
    if args.unassign:
        body["assignedTo"] = ""
    if args.bookmark is not None:
        body["isBookmarked"] = args.bookmark
    if args.seen:
        body["hasSeen"] = True
    if args.priority:
        body["priority"] = args.priority
    if not body:
        raise UsageError("Nothing to change.", hint="Give --status, --archive, --assign, --priority, ... (see --help).")
    return body


def _archive(args) -> dict:
    if args.forever:
        return {"status": "ignored", "substatus": "archived_forever", "statusDetails": {}}
    details = {}
    if args.for_:
        details["ignoreDuration"] = _minutes(args.for_, "--for")
    elif args.count:
        details["ignoreCount"] = args.count
        if args.window:
            details["ignoreWindow"] = _minutes(args.window, "--window")
    elif args.users:
        details["ignoreUserCount"] = args.users
        if args.window:
            details["ignoreUserWindow"] = _minutes(args.window, "--window")
    if details:
        return {"status": "ignored", "substatus": "archived_until_condition_met", "statusDetails": details}
    return {"status": "ignored", "substatus": "archived_until_escalating", "statusDetails": {}}


def _resolve_assignee(ctx, org: str, body: dict) -> None:
    """team:SLUG -> team:<id>, the form the API takes (one GET)."""
    who = body.get("assignedTo", "")
    if not who.startswith("team:") or who[5:].isdigit():
        return
    slug = check_slug(who[5:], "Team")
    team = ctx.client.get(f"/teams/{seg(org)}/{seg(slug)}/", scope="team:read", expect=dict)
    body["assignedTo"] = f"team:{team['id']}"


def _changed(data, body: dict, extra: dict) -> dict:
    """The fields the change touched, as the server now reports them."""
    data = data if isinstance(data, dict) else {}
    out = dict(extra)
    touched = set(body) | ({"substatus", "statusDetails"} if "status" in body else set())
    for key in CHANGED_KEYS:
        if key in touched and (key in body or key in data or _snake(key) in data):
            out[key] = data.get(key, data.get(_snake(key), body.get(key)))
    if isinstance(out.get("assignedTo"), dict):
        assignee = out["assignedTo"]
        out["assignedTo"] = f"{assignee.get('type', 'user')}:{assignee.get('slug') or assignee.get('id')}"
    return out


def _snake(key: str) -> str:
    """GlitchTip answers writes with snake_case keys (status_details)."""
    return re.sub(r"([A-Z])", lambda m: "_" + m.group(1).lower(), key)


def _unsupported_status(error: ApiError, body: dict) -> ApiError:
    if error.status == 422 and "status" in str(error.message):
        return ApiError(f"This server does not accept status {body.get('status')!r} ({error.message}).",
                        status=422, hint="On GlitchTip use --status resolved, or --in-release VERSION.")
    return error


def update_issue(ctx):
    from ..resolve import issue_paths

    args = ctx.args
    body = change_body(args)
    ref = parse_issue(args.issue, ctx.settings.base_url)
    org = ref.org or ctx.org
    write = Write("PUT", [f"/organizations/{seg(org)}/issues/{seg(ref.value)}/"], body, scope="event:write")
    check(args, ctx.settings, write)
    if body.get("assignedTo", "").startswith("team:"):
        _resolve_assignee(ctx, org, body)
    if not args.dry_run:
        write.paths = issue_paths(ctx.client, org, ref)
    try:
        answer = perform(ctx, write)
    except ApiError as error:
        raise _unsupported_status(error, body) from None
    if args.dry_run:
        return Result(answer, exact=True)
    data = answer.data if isinstance(answer.data, dict) else {}
    return Result(_changed(data, body, {"id": data.get("id") or ref.value, "shortId": data.get("shortId")}))


def bulk_update_issues(ctx):
    from ..resolve import EVENT_READ, numeric_issue_id

    args = ctx.args
    body = change_body(args)
    if not args.ids and args.query is None:
        raise WriteRefused("A bulk change needs --id or --query.",
                           hint="Without either, the API would change up to 1000 issues; this tool refuses that.")
    if args.ids and (args.query is not None or args.project or args.environment):
        raise UsageError("Give --id, or --query with --project/--environment, not both.")
    refs = [parse_issue(value, ctx.settings.base_url) for value in args.ids or []]
    projects = [check_slug(p, "Project") for p in args.project or []]
    org = ctx.org
    path = f"/organizations/{seg(org)}/issues/"
    check(args, ctx.settings, Write("PUT", [path], body, destructive=True))
    if body.get("assignedTo", "").startswith("team:"):
        _resolve_assignee(ctx, org, body)

    client = ctx.client
    if refs:
        ids = list(dict.fromkeys(numeric_issue_id(client, ref.org or org, ref) for ref in refs))
        total = len(ids)
    else:
        params = {"query": args.query}
        if projects:
            params["project"] = projects
        if args.environment:
            params["environment"] = args.environment
        ids, total = _matching_ids(client, path, params, args.max, EVENT_READ)
    if total > args.max:
        raise WriteRefused(f"This would change {total} issues, more than --max {args.max}.",
                           hint="Narrow --query, or raise --max if you mean it.")
    if not ids:
        return Result({"matched": 0, "updated": 0})
    chunks = [ids[i:i + BULK_CHUNK] for i in range(0, len(ids), BULK_CHUNK)]
    if args.dry_run:
        planned = [Write("PUT", [path], body, params={"id": chunk}).describe(client.api_root) for chunk in chunks]
        for request in planned:
            del request["dry_run"]
        return Result({"dry_run": True, "matched": len(ids), "requests": planned}, exact=True)
    answer = None
    for chunk in chunks:
        try:
            answer = perform(ctx, Write("PUT", [path], body, params={"id": chunk}, destructive=True))
        except ApiError as error:
            raise _unsupported_status(error, body) from None
    return Result({"matched": len(ids), "updated": len(ids), "ids": ids,
                   **_changed(answer.data if answer else {}, body, {})})


def _matching_ids(client, path, params, maximum, scope) -> tuple[list, int]:
    """(ids, total) the query selects now: what is counted is exactly what gets changed.

    One GET answers it when the server sends X-Hits or the matches fit one page;
    otherwise the walk goes on only until it passes --max.
    """
    from ..pagination import next_cursor_from_link

    first = client.request("GET", path, params={**params, "limit": min(BULK_CHUNK, maximum + 1)}, scope=scope)
    items = first.data if isinstance(first.data, list) else []
    hits = first.headers.get("X-Hits", "")
    if hits.isdigit() and int(hits) > maximum:
        return [], int(hits)
    cursor = next_cursor_from_link(first.headers.get("Link"))
    if cursor and len(items) <= maximum:
        more, _ = client.paginate(path, params, limit=maximum + 1 - len(items), cursor=cursor, scope=scope)
        items += more
    ids = [str(item["id"]) for item in items if isinstance(item, dict) and "id" in item]
    return ids, len(ids)


def delete_issue(ctx):
    from ..resolve import issue_paths

    args = ctx.args
    ref = parse_issue(args.issue, ctx.settings.base_url)
    org = ref.org or ctx.org
    write = Write("DELETE", [f"/organizations/{seg(org)}/issues/{seg(ref.value)}/"], destructive=True,
                  scope="event:admin")
    check(args, ctx.settings, write)
    if not args.dry_run:
        write.paths = issue_paths(ctx.client, org, ref)
    answer = perform(ctx, write)
    if args.dry_run:
        return Result(answer, exact=True)
    return Result({"id": ref.value, "deleted": "queued" if answer.status == 202 else "done",
                   "message": "Sentry removes the issue and its events in the background."
                   if answer.status == 202 else "The issue was deleted."})
