"""What a server lacks, remembered across commands, so no request is sent that is known to fail.

Where a server may lack a newer path (GlitchTip, older self-hosted Sentry), a
request has ways to try in order: the organization-scoped path, then an older
one, or a lookup, then a search, then a walk of the list. The first command
against a host finds out which way works there; this memory keeps the index of
that way, per base URL, in a small JSON file under the user's cache folder
(`$XDG_CACHE_HOME/sentry-api/routes.json`, else `~/.cache/sentry-api/`), so later
commands start there.

The file holds base URLs, route templates and small numbers: never a token, an
org, an id or anything from an answer. Nothing is written for a server that has
every route (sentry.io). A missing, unreadable or corrupt file counts as empty
and is written anew; a file that cannot be written is no error. An entry is
dropped when an answer contradicts it (the client's job) and ages out after a
week, since a server may have been upgraded meanwhile.
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

LIFETIME = 7 * 24 * 3600  # seconds an entry is trusted before the newer path is tried again
VERSION = 1
MAX_WAY = 10              # more ways than any route has: a larger number is not ours


def cache_file(environ, home: Path) -> Path:
    """$XDG_CACHE_HOME/sentry-api/routes.json (an absolute XDG path only), else ~/.cache/sentry-api/."""
    xdg = environ.get("XDG_CACHE_HOME") or ""
    root = Path(xdg) if os.path.isabs(xdg) else home / ".cache"
    return root / "sentry-api" / "routes.json"


class RouteMemory:
    """Per route (e.g. "GET /organizations/{org}/eventids/{event}/"): the first way worth trying here."""

    def __init__(self, base_url: str, path: Path | None, clock=time.time):
        self.base_url, self.path, self.clock = base_url, path, clock
        self._lock = threading.Lock()
        self._first = {route: entry["first"] for route, entry in self._read().get(base_url, {}).items()}

    def first(self, route: str) -> int:
        """The index of the first way to try: 0 unless this server is known to lack the earlier ones."""
        return self._first.get(route, 0)

    def routes(self) -> list:
        """Every route this server is known to lack something of."""
        return list(self._first)

    def learn(self, route: str, first: int) -> None:
        """Ways before `first` are missing here; 0 forgets what was known (an answer contradicted it)."""
        with self._lock:
            if self._first.get(route, 0) == first:
                return
            if first:
                self._first[route] = first
            else:
                self._first.pop(route, None)
            self._write(route, first)

    # -- the file ----------------------------------------------------------------

    def _read(self) -> dict:
        """{base_url: {route: {"first", "learned"}}}, fresh and well-formed entries only."""
        if self.path is None:
            return {}
        try:
            document = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            return {}
        if not isinstance(document, dict) or document.get("version") != VERSION:
            return {}
        servers = document.get("servers")
        if not isinstance(servers, dict):
            return {}
        now = self.clock()
        kept = {}
        for base_url, routes in servers.items():
            if not isinstance(routes, dict):
                continue
            kept[base_url] = {route: entry for route, entry in routes.items() if _fresh(entry, now)}
        return kept

    def _write(self, route: str, first: int) -> None:
        """Merge one change into what the file holds now (another command may have written it), atomically."""
        if self.path is None:
            return
        servers = self._read()
        routes = servers.setdefault(self.base_url, {})
        if first:
            routes[route] = {"first": first, "learned": int(self.clock())}
        else:
            routes.pop(route, None)
        servers = {base_url: routes for base_url, routes in servers.items() if routes}
        text = json.dumps({"version": VERSION, "servers": servers}, indent=1, sort_keys=True) + "\n"
        import tempfile  # here: most commands never write

        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".routes-", suffix=".tmp")
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as stream:
                    stream.write(text)
                os.replace(temporary, self.path)
            except BaseException:
                os.unlink(temporary)
                raise
        except OSError:
            pass  # a read-only home or a full disk costs a probe next time, nothing more


def _fresh(entry, now: float) -> bool:
    if not isinstance(entry, dict):
        return False
    first, learned = entry.get("first"), entry.get("learned")
    if type(first) is not int or type(learned) is not int or not 0 < first <= MAX_WAY:
        return False
    return now - LIFETIME < learned <= now + 60  # a time in the future is a broken clock or file
