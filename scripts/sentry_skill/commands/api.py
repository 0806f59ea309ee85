"""The escape hatch: `api METHOD PATH` for any endpoint no command covers, and
`verify-webhook`, which checks a webhook's signature locally (webhook.py).

`api` goes through the same client, redaction, output and exit codes as every
command. Its method is its first argument, so the engine's gate reads the
method from there (Context.method): every method but GET is a write, a DELETE
needs --confirm, whatever the path.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, unquote, urlsplit

from ..errors import UsageError
from ..output import Result
from .common import cursor_arg, limit_arg
from .spec import Command, Opt
from .webhook import verify_webhook

METHODS = ("GET", "POST", "PUT", "DELETE")
API_ROOT = "/api/0/"


def _method(text: str) -> str:
    method = text.strip().upper()
    if method not in METHODS:
        raise UsageError(f"Method {text!r} is not one of {', '.join(METHODS)}.")
    return method


def _param(text: str) -> tuple:
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise UsageError(f"--param {text!r} is not KEY=VALUE.", hint="e.g. --param query=is:unresolved")
    return name.strip(), value


def api_path(text: str, base_url: str) -> str:
    """The path below /api/0/ (with its query), from a path or a URL of the configured server's
    API; anything else is refused: the token goes only to the configured server's API."""
    text = text.strip()
    parts = urlsplit(text)
    if parts.scheme or parts.netloc:
        root = base_url.rstrip("/") + API_ROOT
        if not text.startswith(root):
            raise UsageError(f"{text!r} is not in the configured server's API ({root}).",
                             hint="Give a path such as /organizations/acme/monitors/, or a URL under that address.")
        text = text[len(root) - 1:]
        parts = urlsplit(text)
    path = parts.path if parts.path.startswith("/") else "/" + parts.path
    if path.startswith(API_ROOT):
        path = path[len(API_ROOT) - 1:]
    elif path.startswith("/api/"):
        raise UsageError(f"{text!r} is outside {API_ROOT}.", hint="Only the API at /api/0/ is reachable.")
    plain = unquote(path)  # a server decodes %2e%2e before routing
    if any(segment in (".", "..") for segment in plain.split("/")) or "\\" in plain or any(ord(c) < 33 for c in plain):
        raise UsageError(f"{text!r} is not a plain API path.", hint="e.g. /organizations/acme/monitors/")
    return path + (f"?{parts.query}" if parts.query else "")


def _check(ctx) -> None:
    """Path, parameters and body, before any request; paging only for a GET."""
    args = ctx.args
    path = api_path(args.path, ctx.settings.base_url)
    path, _, query = path.partition("?")
    ctx.selection["path"] = path
    params: dict = {}
    for name, value in [*parse_qsl(query, keep_blank_values=True), *map(_param, args.param or ())]:
        params.setdefault(name, []).append(value)
    ctx.params = {name: values[0] if len(values) == 1 else values for name, values in params.items()}
    if ctx.method != "GET" and (args.limit is not None or args.cursor):
        raise UsageError("--limit and --cursor page a GET only.")
    if args.json is not None and args.input is not None:
        raise UsageError("--json and --input do not go together.")
    if ctx.method == "GET" and (args.json is not None or args.input is not None):
        raise UsageError("A GET sends no body.", hint="Use --param for query parameters.")
    text = args.json
    if args.input is not None:
        try:
            with open(args.input, encoding="utf-8") as handle:
                text = handle.read()
        except (OSError, UnicodeDecodeError) as error:
            raise UsageError(f"--input {args.input!r} cannot be read: {error.__class__.__name__}.") from None
    if text is not None:
        try:
            ctx.body = json.loads(text)
        except ValueError as error:
            raise UsageError(f"The body is not JSON: {error}.") from None


def api(ctx) -> Result:
    from ..safety import Write, perform

    args, path = ctx.args, ctx.selection["path"]
    if ctx.method != "GET":  # gated by the engine already; perform checks again and sends it once
        write = Write(ctx.method, [path], ctx.body, params=ctx.params, destructive=ctx.method == "DELETE",
                      scope=None, route=path)
        answer = perform(ctx, write)
        return Result(answer, exact=True) if args.dry_run else Result(answer.data)
    if args.limit is not None or args.cursor:
        items, next_cursor = ctx.client.paginate([path], ctx.params, limit=args.limit or 25, cursor=args.cursor,
                                                 page_param=("per_page", "limit"), scope=None, route=path,
                                                 partial=True)
        return Result(items, is_list=True, next_cursor=next_cursor)
    # One page as the server sends it; a list says where the next page starts.
    response = ctx.client.request("GET", path, params=ctx.params or None)
    if isinstance(response.data, list):
        from ..pagination import next_cursor_from_link
        return Result(response.data, is_list=True, next_cursor=next_cursor_from_link(response.headers.get("Link")))
    return Result(response.data)


COMMANDS = (
    Command(
        "api", "api", "one request to any API endpoint no command covers, redacted like every answer",
        "api GET /organizations/acme/projects/ --param query=backend --limit 5",
        method="*", run=api, checks=(_check,), scope=None, org_scoped=False,
        description=("Sends one request (a GET may page with --limit/--cursor) to a path under /api/0/ of the "
                     "configured server, with the same token, retries, redaction and exit codes as every "
                     "command. Any method but GET is a write: it needs --allow-write (or --dry-run), a DELETE "
                     "--confirm too."),
        options=(
            Opt("method", "GET, POST, PUT or DELETE", type=_method, metavar="METHOD"),
            Opt("path", "a path under /api/0/, e.g. /organizations/acme/monitors/, or a URL of the configured "
                "server", metavar="PATH"),
            Opt("--param", "a query parameter KEY=VALUE (repeatable)", action="append", metavar="KEY=VALUE"),
            Opt("--json", "the body of a write, as JSON text", metavar="JSON"),
            Opt("--input", "a file holding the body of a write (JSON)", metavar="FILE"),
            Opt("--limit", "a GET of a list: items to return, following pages", type=limit_arg, metavar="N"),
            Opt("--cursor", "a GET of a list: next_cursor of a previous call", type=cursor_arg),
        ),
    ),
    Command(
        "verify-webhook", "api",
        "checks a webhook body (stdin or --file) against its Sentry-Hook-Signature; no network",
        "verify-webhook --file hook.json --signature 5f1c...",
        method=None, run=verify_webhook, scope=None, org_scoped=False,
        description=("Reads a webhook body from stdin or --file, and its signature from --signature or a "
                     "`Sentry-Hook-Signature: HEX` header line before the body; checks the HMAC-SHA256 of the "
                     "body with the integration's client secret (SENTRY_CLIENT_SECRET). Exit 0 with a compact, "
                     "redacted summary when it matches, exit 4 when it does not. Sends nothing."),
        options=(
            Opt("--file", "the webhook as received (body, optionally after its header lines); default stdin",
                metavar="FILE"),
            Opt("--signature", "the Sentry-Hook-Signature header's value (hex)", metavar="HEX"),
        ),
    ),
)
