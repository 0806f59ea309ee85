"""Triage writes: the change flags, their body, update-issue's run, and what a server confirmed.

The engine has checked the input, passed the safety gate and turned a short id
into the numeric id before any of this runs.
"""

from __future__ import annotations

import re

from ..errors import ApiError, SentryError, UsageError
from ..ids import check_slug, seg
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
CHANGED_KEYS = ("status", "substatus", "statusDetails", "assignedTo", "isBookmarked", "hasSeen", "priority")
# A condition in statusDetails, under the name Sentry's answer states it by: a snooze of N minutes by its end.
ANSWERED_AS = {"ignoreDuration": "ignoreUntil"}
# GlitchTip takes only a status: a PUT without one fails (500, an HTML page) instead of changing these.
NEEDS_MORE_THAN_STATUS = {"assignedTo": "changing the assignee", "isBookmarked": "bookmarking",
                          "hasSeen": "marking issues seen", "priority": "setting the priority"}


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
    _opt("--assign", "a username, email, user id, team:SLUG, or me (the token's user)", metavar="WHO"),
    _opt("--unassign", action="store_true"),
    _opt("--bookmark", dest="bookmark", action="store_const", const=True),
    _opt("--no-bookmark", dest="bookmark", action="store_const", const=False),
    _opt("--seen", "mark as seen", action="store_true"),
    _opt("--priority", choices=("high", "medium", "low")),
)


def _largest_unit(minutes: int) -> str:
    """10080 -> 1w, 525600 -> 365d: the limit in the units the flag takes."""
    for unit in ("w", "d", "h"):
        if minutes % MINUTES[unit] == 0:
            return f"{minutes // MINUTES[unit]}{unit}"
    return f"{minutes}m"


def _minutes(text: str, flag: str, most: int) -> int:
    match = DURATION_RE.match(text or "")
    if not match:
        raise UsageError(f"{flag} {text!r} is not a duration.", hint="Use a number and a unit: 30m, 2h, 7d, 1w.")
    minutes = int(match.group(1)) * MINUTES[match.group(2)]
    if minutes > most:
        raise UsageError(f"{flag} {text} is longer than the server takes.",
                         hint=f"Use at most {most} minutes ({_largest_unit(most)}).")
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
        body["assignedTo"] = _assignee_arg(args.assign, ctx.settings)
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


def _assignee_arg(text: str, settings) -> str:
    who = text.strip()
    if not who:
        raise UsageError("--assign needs a user or team:SLUG.")
    if who.lower() == "me":
        if (settings.token or "").startswith("sntrys_"):
            raise UsageError("--assign me needs a user's token: an organization token belongs to no user.",
                             hint="Name the user: --assign USER_ID or their email (list-members shows them).")
        return "me"
    if who.startswith("team:") and not who[5:].isdigit():
        check_slug(who[5:], "Team")
    return who


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


def resolve_assignee(ctx, body: dict) -> None:
    """The forms the API takes: team:SLUG -> team:<id>, me -> user:<id> (one GET each;
    Sentry's assignedTo takes no "me")."""
    who = body.get("assignedTo", "")
    if who == "me":
        user = ctx.client.get("/users/me/", scope=None, expect=dict)
        body["assignedTo"] = f"user:{user['id']}"
    elif who.startswith("team:") and not who[5:].isdigit():
        team = ctx.client.get(f"/teams/{seg(ctx.org)}/{seg(who[5:])}/", scope="team:read", expect=dict)
        body["assignedTo"] = f"team:{team['id']}"


# -- what the server confirmed ------------------------------------------------------------

def confirmed(answers: list, body: dict) -> dict:
    """The touched fields as the server's answers state them, and `unconfirmed`: what was
    asked for that no answer states (a server may drop a field without a word, as GlitchTip
    drops substatus and statusDetails). Nothing is ever taken from the request."""
    answers = [answer if isinstance(answer, dict) else {} for answer in answers] or [{}]
    first = answers[0]
    out: dict = {}
    touched = set(body) | ({"substatus", "statusDetails"} if "status" in body else set())
    for key in CHANGED_KEYS:
        if key in touched and _has(first, key):
            out[key] = _answered(first, key)
    if isinstance(out.get("assignedTo"), dict):  # user:<id> or team:<slug>, as the reads show it
        out["assignedTo"] = person_ref(out["assignedTo"])
    if isinstance(out.get("statusDetails"), dict):
        out["statusDetails"] = _status_details(out["statusDetails"])
    unconfirmed = [name for name in _asked(body) if not all(_states(answer, name, body) for answer in answers)]
    if unconfirmed:
        out["unconfirmed"] = unconfirmed
    return out


def _asked(body: dict) -> list:
    """What the change asks for, one name per thing a server may or may not have done."""
    names = [key for key in CHANGED_KEYS if key in body and key != "statusDetails"]
    details = list(body.get("statusDetails") or {})
    if body.get("status") == "resolvedInNextRelease":
        details.append("inNextRelease")
    return names + [f"statusDetails.{name}" for name in details]


def _states(answer: dict, name: str, body: dict) -> bool:
    """Does this answer say the change `name` happened?"""
    if name.startswith("statusDetails."):
        details = _answered(answer, "statusDetails")
        wanted = name.split(".", 1)[1]
        return isinstance(details, dict) and details.get(ANSWERED_AS.get(wanted, wanted)) not in (None, False)
    if not _has(answer, name):
        return False
    value, wanted = _answered(answer, name), body[name]
    if name == "status" and wanted == "resolvedInNextRelease":
        return value == "resolved"
    if name == "assignedTo":
        return (value is None) == (wanted == "")
    return value == wanted


def _has(answer: dict, key: str) -> bool:
    return key in answer or _snake(key) in answer


def _answered(answer: dict, key: str):
    return answer[key] if key in answer else answer.get(_snake(key))


def _snake(key: str) -> str:
    """GlitchTip answers an issue PUT partly in snake_case (status_details)."""
    return re.sub(r"([A-Z])", lambda m: "_" + m.group(1).lower(), key)


def _status_details(details: dict) -> dict:
    """People as user:<id>, a commit by its id (PRODUCT.md section 5: no names or emails here)."""
    out = dict(status_details(details))
    commit = out.get("inCommit")
    if isinstance(commit, dict):
        out["inCommit"] = commit.get("id")
    return out


# -- errors that mean "this server cannot do that" -----------------------------------------

def unsupported(error: SentryError, body: dict) -> SentryError:
    """Name the real cause when a server refuses a change it does not support.

    GlitchTip answers 422 to a status it does not know (resolvedInNextRelease), and
    500 with an HTML page to a change that carries no status, since it can change
    nothing else. Sentry's own errors are JSON, so an HTML 500 to such a change is
    taken as "not supported" (exit 7); any other 5xx stays "try again later".
    """
    if error.status == 422 and "status" in str(error.message):
        return ApiError(f"This server does not accept status {body.get('status')!r} ({error.message}).",
                        status=422, hint="On GlitchTip use --status resolved, or --in-release VERSION.")
    asked = [words for key, words in NEEDS_MORE_THAN_STATUS.items() if key in body]
    if error.status == 500 and not getattr(error, "json_body", True) and "status" not in body and asked:
        return ApiError(f"This server does not support {' or '.join(asked)}: it answered 500 with an error page "
                        "to a change without a status, as GlitchTip does (it changes only an issue's status).",
                        status=500, hint="Only --status and --archive change issues here. If this is Sentry "
                                         "itself, the page came from a proxy: try again later.")
    return error


def update_issue(ctx):
    """One PUT (after team:SLUG or me became an id); prints what the answer confirms."""
    body = ctx.body
    resolve_assignee(ctx, body)
    write = Write("PUT", ctx.candidates(), body, scope=ctx.entry.scope, route=ctx.route)
    try:
        answer = perform(ctx, write)
    except SentryError as error:
        raise unsupported(error, body) from None
    if ctx.args.dry_run:
        return Result(answer, exact=True)
    # Sentry answers the whole issue, read again after the change (its group_details.py),
    # so a second GET would tell no more; GlitchTip's GET lacks these fields as well.
    data = answer.data if isinstance(answer.data, dict) else {}
    return Result({"id": data.get("id") or ctx.refs["issue"].value, "shortId": data.get("shortId"),
                   **confirmed([data], body)})
