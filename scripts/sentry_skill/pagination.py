"""Reading Sentry's `Link` header, leniently, and the cursors the tool prints.

Sentry sends `<url>; rel="next"; results="true"; cursor="..."`. Compatible
servers differ: GlitchTip wraps the whole header in `{'...'}` and leaves the
cursor out of entries whose results="false". Only `results` says whether more
exists, so a next entry with results="false" ends the walk.

A server that ignores the page size may send more items than --limit asked for.
The rest of that page is not lost: the printed cursor is then the page's own
cursor (empty for the first page) with `@skip<N>`, the items already shown.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

ENTRY_RE = re.compile(r"<(?P<url>[^>]*)>(?P<params>[^<]*)")
SKIP_RE = re.compile(r"^(?P<cursor>.*)@skip(?P<skip>[0-9]{1,6})$")
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


def resume_cursor(cursor: str | None, skip: int) -> str:
    """A cursor that asks for the page at `cursor` again and passes over its first `skip` items."""
    return f"{cursor or ''}@skip{skip}"


def split_cursor(text: str | None) -> tuple[str | None, int]:
    """(the server's cursor or None, items of that page to pass over)."""
    match = SKIP_RE.match(text or "")
    if not match:
        return text or None, 0
    return match.group("cursor") or None, int(match.group("skip"))
