"""Triage writes: the change flags, their body, and the run of update-issue and bulk-update-issues.

The engine has checked the input and passed the safety gate before any of this runs.
"""

from __future__ import annotations

import re

from .. import issue_filters
from ..errors import ApiError, UsageError, WriteRefused
from ..ids import check_slug, parse_issue, seg
from ..output import Result
from ..safety import Write, perform
from ..shape import person_ref, status_details
from .common import whole_number
from .spec import Opt

DURATION_RE = re.compile(r"^([1-9][0-9]{0,5})([mhdw])$")
MINUTES = {"m": 1, "h": 60, "d": 1440, "w": 10080}
# ignoreWindow, ignoreUserWindow: at most one week (spec: "maximum": 10080, "(Max: 1 week)").
MAX_WINDOW = 7 * 24 * 60
# ignoreDuration: the spec sets no maximum and the server adds it to now, so a huge one breaks the
# request. A year is this tool's bound: longer than that is --forever in all but name.
MAX_DURATION = 365 * 24 * 60
# ignoreCount, ignoreUserCount: the spec sets no maximum; Sentry keeps them in 32-bit columns
# (GroupSnooze.count and user_count, BoundedPositiveIntegerField), so that is the most it stores.
MAX_COUNT = 2**31 - 1
BULK_CHUNK = 100  # ids per bulk request (the API's own cap)
CHANGED_KEYS = ("status", "substatus", "statusDetails", "assignedTo", "isBookmarked", "hasSeen", "priority")


def _opt(flag, help=None, **more) -> Opt:
    return Opt(flag, help, section="changes", **more)


CHANGE_OPTIONS = (
    _opt("--status", choices=("resolved", "unresolved", "resolvedInNextRelease")),
    _opt("--in-release", "resolved in this release", metavar="VERSION"),
    _opt("--in-commit", "resolved in this commit (with --repo)", metavar="SHA"),
    _opt("--repo", "the repository of --in-commit", metavar="NAME"),
    _opt("--archive", "archive (status ignored); how long, below", action="store_true"),
    _opt("--until-escalating", "with --archive: until it escalates (default)", action="store_true"),
    _opt("--forever", "with --archive: for good", action="store_true"),
    _opt("--for", "with --archive: for 30m, 2h, 7d, 1w (at most 365d)", dest="for_", metavar="DURATION"),
    _opt("--count", "with --archive: until N more events",
         type=whole_number("--count", 1, MAX_COUNT, f"Use 1 to {MAX_COUNT}."), metavar="N"),
    _opt("--users", "with --archive: until N more users",
         type=whole_number("--users", 1, MAX_COUNT, f"Use 1 to {MAX_COUNT}."), metavar="N"),
    _opt("--window", "with --count/--users: within this time, at most 1w", metavar="DURATION"),
    _opt("--assign", "a username, email, user id, or team:SLUG", metavar="WHO"),
    _opt("--unassign", action="store_true"),
    _opt("--bookmark", dest="bookmark", action="store_const", const=True),
    _opt("--no-bookmark", dest="bookmark", action="store_const", const=False),
    _opt("--seen", "mark as seen", action="store_true"),
    _opt("--priority", choices=("high", "medium", "low")),
)


def _minutes(text: str, flag: str, most: int) -> int:
    match = DURATION_RE.match(text or "")
    if not match:
        raise UsageError(f"{flag} {text!r} is not a duration.", hint="Use a number and a unit: 30m, 2h, 7d, 1w.")
    minutes = int(match.group(1)) * MINUTES[match.group(2)]
    if minutes > most:
        raise UsageError(f"{flag} {text} is longer than the server takes.", hint=f"Use at most {most} minutes.")
    return minutes


def change_body(ctx) -> dict:
    """The PUT body for the change flags, checked before any request."""
    args = ctx.args
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
        details["ignoreDuration"] = _minutes(args.for_, "--for", MAX_DURATION)
    elif args.count:
        details["ignoreCount"] = args.count
        if args.window:
            details["ignoreWindow"] = _minutes(args.window, "--window", MAX_WINDOW)
    elif args.users:
        details["ignoreUserCount"] = args.users
        if args.window:
            details["ignoreUserWindow"] = _minutes(args.window, "--window", MAX_WINDOW)
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
    # As the reads show them: team:<slug>, user:<id> (the answer holds whole people).
    if isinstance(out.get("assignedTo"), dict):
        out["assignedTo"] = person_ref(out["assignedTo"])
    if "statusDetails" in out:
        out["statusDetails"] = status_details(out["statusDetails"])
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
    """One PUT (after turning team:SLUG into the team's id); GlitchTip's 422 on a status is explained."""
    body, ref = ctx.body, ctx.refs["issue"]
    if body.get("assignedTo", "").startswith("team:"):
        _resolve_assignee(ctx, ctx.org, body)
    write = Write("PUT", ctx.candidates(), body, scope=ctx.entry.scope, route=ctx.route)
    try:
        answer = perform(ctx, write)
    except ApiError as error:
        raise _unsupported_status(error, body) from None
    if ctx.args.dry_run:
        return Result(answer, exact=True)
    data = answer.data if isinstance(answer.data, dict) else {}
    return Result(_changed(data, body, {"id": data.get("id") or ref.value, "shortId": data.get("shortId")}))


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
    """Count first (what is counted is exactly what gets changed), then PUT by id, 100 at a time."""
    from ..resolve import numeric_issue_id

    args, body, org = ctx.args, ctx.body, ctx.org
    path = ctx.expand(ctx.entry.path)
    scope = ctx.entry.scope
    if body.get("assignedTo", "").startswith("team:"):
        _resolve_assignee(ctx, org, body)

    client = ctx.client
    refs = ctx.selection["ids"]
    if refs:
        ids = list(dict.fromkeys(numeric_issue_id(client, ref.org or org, ref) for ref in refs))
        total = len(ids)
    else:
        params = {"query": args.query}
        if args.environment:
            params["environment"] = args.environment
        # The projects as the server takes them, as list-issues sends them (issue_filters).
        ids, total = issue_filters.send(
            client, org, ctx.selection["filters"],
            lambda filters: _matching_ids(client, path, {**params, **filters}, args.max, scope),
            empty=lambda answer: answer[1] == 0)
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
            answer = perform(ctx, Write("PUT", [path], body, params={"id": chunk}, destructive=True, scope=scope))
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
