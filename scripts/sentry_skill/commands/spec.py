"""What a command entry is: the vocabulary of the command table.

A command is one `Command`: its name and group, the request it makes (method,
org-scoped path template, the older fallback path), the scope it needs, its
positional references, its options and the query parameters they become,
whether it lists, its fields and shaper, the body of a write, one example.
The parser, the engine, the docs and the contract tests all read these
entries; nothing else lists the commands.

Path templates take `{org}` and one placeholder per reference (`{issue}`,
`{event}`, `{project}`, ...), each URL-encoded once. `{issue_id}` is the
numeric issue id, looked up from a short id only when that path is used.
"""

from __future__ import annotations

import re
from typing import Callable, NamedTuple

from ..errors import UsageError
from ..ids import check_slug, parse_event_id, parse_short_id
from .common import cursor_arg, instant_arg, limit_arg, max_bytes_arg, period_arg, timeout_arg


class Opt(NamedTuple):
    """One option; `param` names the query parameter its value becomes."""

    flag: str
    help: str | None = None
    param: str | None = None
    type: Callable | None = None
    default: object = None
    action: str | None = None     # argparse action: append, store_true, store_const
    const: object = None
    choices: tuple | None = None
    metavar: str | None = None
    dest: str | None = None
    section: str | None = None    # a titled block in --help ("changes")

    @property
    def name(self) -> str:
        return self.dest or self.flag.lstrip("-").replace("-", "_")


class Ref(NamedTuple):
    """A kind of positional reference: how it is shown and checked before any request."""

    metavar: str
    help: str
    parse: Callable   # (text, settings) -> value; raises UsageError


def _issue(text, settings):
    from ..ids import parse_issue
    return parse_issue(text, settings.base_url)


def _short_id(text, settings):
    short_id = parse_short_id(text.strip())
    if not short_id:
        raise UsageError(f"{text!r} is not a short id.", hint="A short id looks like BACKEND-12.")
    return short_id


def _member(text, settings):
    if not text.strip().isdigit():
        raise UsageError(f"Member {text!r} is not a member id.", hint="list-members shows the ids.")
    return text.strip()


def _version(text, settings):
    version = text.strip()
    if not version or len(version) > 200 or version in (".", "..") or any(ord(c) < 32 for c in version):
        raise UsageError(f"{text!r} is not a release version.", hint="Use the version as Sentry shows it, e.g. backend@1.4.2.")
    return version


# A client key's id: its public key, 32 hexadecimal digits on Sentry, the same as a dashed
# UUID on GlitchTip (whose route takes only that form).
_KEY_ID = re.compile(r"[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _key_id(text, settings):
    key_id = text.strip().lower()
    if not _KEY_ID.fullmatch(key_id):
        raise UsageError(f"{text!r} is not a client key id.",
                         hint="list-keys --project SLUG shows the ids: 32 hexadecimal digits, or a UUID on GlitchTip.")
    return key_id


REFS = {
    "issue": Ref("ISSUE", "numeric id, short id or issue URL", _issue),
    "short_id": Ref("SHORT_ID", "a short id such as BACKEND-12", _short_id),
    "event": Ref("EVENT_ID", "a 32-character hexadecimal event id", lambda text, settings: parse_event_id(text)),
    "project": Ref("PROJECT", "project slug", lambda text, settings: check_slug(text, "Project")),
    "team": Ref("TEAM", "team slug", lambda text, settings: check_slug(text, "Team")),
    "member": Ref("MEMBER_ID", "organization member id", _member),
    "version": Ref("VERSION", "release version", _version),
    "key": Ref("KEY_ID", "client key id (its public key), as list-keys shows it", _key_id),
}


class Command(NamedTuple):
    name: str
    group: str                       # resource group: one reference page each
    summary: str                     # one line, for --help and SKILL.md
    example: str                     # one runnable example, without the script name
    method: str | None = "GET"       # None: a local command that sends nothing; "*": its METHOD argument (api)
    path: str | None = None          # the organization-scoped path template
    fallback: str | None = None      # the older path, for servers without `path`
    scope: str | None = None         # what a 403 names
    refs: tuple = ()                 # positional references, by kind (REFS)
    options: tuple = ()              # Opt entries
    page_param: str | tuple | None = None  # a list command's page-size parameter(s)
    limit: int = 25                  # a list command's default --limit
    fields: tuple = ()               # the field catalogue (--fields)
    default_fields: tuple = ()       # printed without --fields
    shape: Callable | None = None    # (raw item, fields) -> compact dict
    body: Callable | None = None     # (ctx) -> the body of a write, checked before any request
    answer: Callable | None = None   # (ctx, response) -> what a write prints
    refusal: Callable | None = None  # (ctx, error) -> the error a write's failure means on this server
    confirm: bool = False            # needs --confirm (every DELETE does anyway)
    checks: tuple = ()               # (ctx) -> None: cross-option checks, before any request
    params: Callable | None = None   # (ctx) -> query parameters no single option gives
    run: Callable | None = None      # (ctx) -> Result, for commands that orchestrate requests
    description: str | None = None   # more --help text
    budget: int | None = None        # default --max-bytes
    also: tuple = ()                 # (when, request, scope): other requests, for the scopes table
    org_scoped: bool = True          # False: runs without a configured org (list-orgs, whoami)
    people: str = "ref"              # "named": members are its subject, their name and email show (redact.py)
    several: bool = False            # its reference takes one or more values (issue-detail A B C)

    @property
    def writes(self) -> bool:
        """Every method but GET writes: the engine gates it, whatever the entry says."""
        return self.method not in (None, "GET")

    @property
    def local(self) -> bool:
        """Sends nothing (verify-webhook): no token, no server, no request."""
        return self.method is None

    @property
    def needs_confirm(self) -> bool:
        return self.confirm or self.method == "DELETE"

    @property
    def lists(self) -> bool:
        return self.page_param is not None

    @property
    def page_params(self) -> tuple:
        """Every page-size parameter a list sends."""
        return (self.page_param,) if isinstance(self.page_param, str) else tuple(self.page_param or ())


# -- options every command takes, before or after its name ---------------------

FORMATS = ("json", "jsonl", "table")
COMMON_OPTIONS = (
    Opt("--org", "organization slug [env SENTRY_ORG]", metavar="SLUG"),
    Opt("--base-url", "Sentry server [env SENTRY_BASE_URL, SENTRY_URL, SENTRY_HOST; default https://sentry.io]",
        metavar="URL"),
    Opt("--profile", "a named server (base URL, org, project, token variable) from the profiles file; "
        "list-profiles shows them [env SENTRY_PROFILE]", metavar="NAME"),
    Opt("--fields", "pick output fields (an unknown one lists the valid ones)", metavar="A,B"),
    Opt("--raw", "the whole API answer, redacted", action="store_true"),
    Opt("--format", "json (default), jsonl, table", choices=FORMATS, default="json"),
    Opt("--no-redact", "turn redaction off (warns)", action="store_true"),
    Opt("--max-bytes", "fit the output in N bytes, least useful parts first, naming what was cut "
        "(event output: 10000 by default; 0: no limit)", type=max_bytes_arg, metavar="N"),
    Opt("--timeout", "the whole command's time limit, retries included (default 30); "
        "a retry is sent only if it fits", type=timeout_arg, metavar="SECONDS"),
    Opt("--demo", "answer from bundled recorded responses, no network [env SENTRY_DEMO=1]", action="store_true"),
    Opt("--allow-insecure-http", "allow http:// to a host that is not loopback", action="store_true"),
    Opt("--verbose", "log requests to stderr (never the token)", action="store_true"),
)


# -- options several commands share ---------------------------------------------

ENVIRONMENTS = Opt("--environment", "repeatable", param="environment", action="append", metavar="ENV")
ALL_FRAMES = Opt("--all-frames", "with --stacktrace: library frames too, one line each (file:line function)",
                 action="store_true")
TIME_RANGE = (
    Opt("--time-range", "e.g. 24h, 7d, 30m", type=period_arg, metavar="PERIOD"),
    Opt("--start", "ISO 8601 start, e.g. 2026-11-23T08:00:00Z (with --end; no offset means UTC)",
        type=instant_arg("--start"), metavar="TIME"),
    Opt("--end", "ISO 8601 end (with --start; no offset means UTC)", type=instant_arg("--end"), metavar="TIME"),
)


def list_options(entry: Command) -> tuple:
    """--limit and --cursor, which every list command takes."""
    return (Opt("--limit", f"items to return (default {entry.limit})", type=limit_arg, default=entry.limit),
            Opt("--cursor", "next_cursor of a previous call", type=cursor_arg))


WRITE_OPTIONS = (
    Opt("--allow-write", "allow this change [env SENTRY_ALLOW_WRITE=1]", action="store_true"),
    Opt("--dry-run", "print the request that would be sent; send nothing", action="store_true"),
    Opt("--confirm", "needed for deletes and bulk changes", action="store_true"),
)


def options_of(entry: Command) -> tuple:
    """Every option of an entry, in --help order: its own, then paging, then the write switches."""
    return (*entry.options, *(list_options(entry) if entry.lists else ()), *(WRITE_OPTIONS if entry.writes else ()))
