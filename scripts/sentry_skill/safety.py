"""The safety switch: the one gate every write goes through (PRODUCT.md section 6).

A write is described first (method, candidate paths, query, body) and only then
either shown (--dry-run), refused (exit 8, before any request), or sent once.
The client refuses any non-GET on its own as well, so no code path can write
without passing here.
"""

from __future__ import annotations

from urllib.parse import urlencode

from .errors import WriteRefused
from .resolve import ISSUE_ROUTE

# Said to an agent: it must not switch writes on by itself, only show the change.
WRITE_HINT = ("Writes are off. Show the user the change with --dry-run; only the user can allow writes "
              "(--allow-write or SENTRY_ALLOW_WRITE=1).")
CONFIRM_HINT = ("Show the user what it would do with --dry-run; only the user can confirm a delete "
                "or bulk change (--confirm).")


class Write:
    """One write request, checked and described before it is sent."""

    def __init__(self, method, paths, body=None, params=None, destructive=False, scope="event:write",
                 route=ISSUE_ROUTE):
        self.method: str = method              # PUT, POST or DELETE
        self.paths: list = paths               # candidate paths: org-scoped first, then older ones
        self.body: dict | None = body
        self.params: dict = {} if params is None else params
        self.destructive = destructive         # every DELETE and every bulk change: needs --confirm
        self.scope = scope
        self.route = route                     # the client's memory of which candidate path exists here

    def describe(self, api_root: str) -> dict:
        path = self.paths[0] if isinstance(self.paths[0], str) else self.paths[0]()
        query = urlencode(self.params, doseq=True)
        return {"dry_run": True, "method": self.method,
                "url": api_root + path + (f"?{query}" if query else ""), "body": self.body}


def check(args, settings, write: Write) -> None:
    """Refuse before any request unless writes are allowed (and confirmed, if destructive)."""
    if getattr(args, "dry_run", False):
        return
    if not settings.allow_write:
        raise WriteRefused(f"{write.method} refused: this tool is read-only unless writes are allowed.",
                           hint=WRITE_HINT)
    if write.destructive and not getattr(args, "confirm", False):
        raise WriteRefused(f"{write.method} refused: a delete or bulk change also needs --confirm.",
                           hint=CONFIRM_HINT)


def perform(ctx, write: Write):
    """Dry-run: the request that would be sent. Otherwise send it once, never retried."""
    check(ctx.args, ctx.settings, write)
    client = ctx.client
    if getattr(ctx.args, "dry_run", False):
        return write.describe(client.api_root)
    return client.send_first(write.route, write.method, write.paths, params=write.params,
                             json_body=write.body, scope=write.scope)
