"""Reading Sentry's `Link` header, leniently.

Sentry sends `<url>; rel="next"; results="true"; cursor="..."`. Compatible
servers differ: GlitchTip wraps the whole header in `{'...'}` and leaves the
cursor out of entries whose results="false". Only `results` says whether more
exists, so a next entry with results="false" ends the walk.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

ENTRY_RE = re.compile(r"<(?P<url>[^>]*)>(?P<params>[^<]*)")
PARAM_RE = re.compile(r"""(?P<key>[A-Za-z_-]+)\s*=\s*(?:"(?P<quoted>[^"]*)"|(?P<bare>[^;,\s'"}]+))""")


def parse_link_header(value: str | None) -> list[dict]:
    """Each entry as a dict: url plus its parameters (rel, results, cursor, ...)."""
    if not value:
        return []
    entries = []
    for match in ENTRY_RE.finditer(value):
        entry = {"url": match.group("url").strip()}
        for param in PARAM_RE.finditer(match.group("params")):
            entry[param.group("key").lower()] = param.group("quoted") if param.group("quoted") is not None else param.group("bare")
        entries.append(entry)
    return entries


def next_cursor_from_link(value: str | None) -> str | None:
    """The cursor of the next page, or None when no more results exist."""
    for entry in parse_link_header(value):
        if entry.get("rel") != "next":
            continue
        if entry.get("results", "true").lower() != "true":
            return None
        cursor = entry.get("cursor")
        if not cursor:
            found = parse_qs(urlsplit(entry["url"]).query).get("cursor")
            cursor = found[0] if found else None
        return cursor or None
    return None
