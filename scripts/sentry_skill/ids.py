"""Parsing of what users type: issue references, event ids, slugs.

All checks happen before any request, so bad input costs nothing and exits 2.
"""

from __future__ import annotations

import re
from typing import NamedTuple
from urllib.parse import quote, unquote, urlsplit

from .errors import UsageError

SLUG_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
NUMERIC_RE = re.compile(r"^[0-9]{1,19}$")
# PROJECT-SUFFIX: a slug, a separator, a base32-ish suffix (Sentry's own short-id shape).
SHORT_ID_RE = re.compile(r"^(?P<project>[A-Za-z0-9][A-Za-z0-9_.-]*?)-(?P<suffix>[A-Za-z0-9]+)$")
EVENT_ID_RE = re.compile(r"^[0-9a-fA-F]{32}$")
SENTRY_IO = "sentry.io"
REGION_SUBDOMAINS = {"us", "de", "eu"}


def seg(value) -> str:
    """One URL path segment, encoded (release versions may hold '/' or '+')."""
    return quote(str(value), safe="")


class IssueRef(NamedTuple):
    """An issue as the user named it: a numeric id or a short id, maybe with an org."""

    value: str
    is_short_id: bool
    org: str | None = None

    @property
    def numeric(self) -> str | None:
        return None if self.is_short_id else self.value


def check_slug(value: str, what: str) -> str:
    if not isinstance(value, str) or not SLUG_RE.match(value) or ".." in value:
        raise UsageError(
            f"{what} {value!r} is not a valid slug.",
            hint=f"{what} slugs have letters, digits, '-', '_' or '.', as in the Sentry URL.",
        )
    return value


def parse_short_id(value: str) -> str | None:
    match = SHORT_ID_RE.match(value)
    if not match or not re.search(r"[A-Za-z]", match.group("project")):
        return None
    return value.upper()


def parse_event_id(value: str) -> str:
    compact = value.strip().replace("-", "").lower()
    if not EVENT_ID_RE.match(compact):
        raise UsageError(
            f"Event id {value!r} is not a 32-character hexadecimal id.",
            hint="Copy the event id from the event page or from issue-events output (eventID).",
        )
    return compact


def _same_site(url_host: str, base_host: str) -> bool:
    url_host, base_host = url_host.lower(), base_host.lower()
    if url_host == base_host:
        return True
    # sentry.io serves orgs at ORG.sentry.io and regions at us./de.sentry.io.
    on_sentry_io = base_host == SENTRY_IO or base_host.endswith("." + SENTRY_IO)
    return on_sentry_io and (url_host == SENTRY_IO or url_host.endswith("." + SENTRY_IO))


def _parse_issue_url(value: str, base_url: str) -> IssueRef:
    parts = urlsplit(value)
    base = urlsplit(base_url)
    host = (parts.hostname or "").lower()
    if not host or not _same_site(host, base.hostname or ""):
        raise UsageError(
            f"Issue URL host {host or '(none)'!r} is not the configured Sentry host {base.hostname!r}.",
            hint="Use the issue id or short id, or set --base-url / SENTRY_BASE_URL to that server.",
        )
    segments = [unquote(s) for s in parts.path.split("/") if s]
    org = None
    if "organizations" in segments:
        i = segments.index("organizations")
        if i + 1 < len(segments):
            org = segments[i + 1]
    elif host.endswith("." + SENTRY_IO):
        sub = host[: -len("." + SENTRY_IO)]
        if "." not in sub and sub not in REGION_SUBDOMAINS:
            org = sub
    if "issues" not in segments or segments.index("issues") + 1 >= len(segments):
        raise UsageError(f"URL {value!r} does not point at an issue (no /issues/<id>/ in it).")
    issue = segments[segments.index("issues") + 1]
    if org is not None:
        check_slug(org, "Organization")
    if NUMERIC_RE.match(issue):
        return IssueRef(issue, False, org)
    short = parse_short_id(issue)
    if short:
        return IssueRef(short, True, org)
    raise UsageError(f"URL {value!r} has {issue!r} where an issue id belongs.")


def parse_issue(value: str, base_url: str) -> IssueRef:
    """A numeric id (123), a short id (BACKEND-12) or an issue URL."""
    text = (value or "").strip()
    if text.lower().startswith(("http://", "https://")):
        return _parse_issue_url(text, base_url)
    if NUMERIC_RE.match(text) and int(text) > 0:
        return IssueRef(text, False)
    short = parse_short_id(text)
    if short:
        return IssueRef(short, True)
    raise UsageError(
        f"{value!r} is not an issue id, short id or issue URL.",
        hint="Use 1234567, BACKEND-12 or https://ORG.sentry.io/issues/1234567/.",
    )
