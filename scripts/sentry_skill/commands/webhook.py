"""verify-webhook: is a webhook body signed with the integration's client secret?

Sentry signs each integration-platform webhook with the HMAC-SHA256 of the raw
body, keyed with the integration's client secret, hex-encoded in the
`Sentry-Hook-Signature` header. The check runs on the exact bytes received
(re-serialised JSON would not match) and compares in constant time. Nothing is
sent anywhere, so this module never loads the HTTP stack.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import sys

from ..errors import AuthError, ConfigError, UsageError
from ..output import Result

SECRET_ENV = "SENTRY_CLIENT_SECRET"
SIGNATURE_HEADER = "sentry-hook-signature"
RESOURCE_HEADER = "sentry-hook-resource"
MAX_BYTES = 10 << 20
_HEADER_LINE = re.compile(rb"([A-Za-z0-9-]+):[ \t]*(.*?)\r?")
_HEX = re.compile(r"[0-9a-fA-F]{64}")


def split_headers(raw: bytes) -> tuple:
    """(headers, body): header lines (`Name: value`) before a blank line, when the input starts
    with them (a copied request); otherwise the whole input is the body."""
    if raw.lstrip()[:1] in (b"{", b"["):
        return {}, raw
    head, sep, body = raw.partition(b"\n\n") if b"\r\n\r\n" not in raw else raw.partition(b"\r\n\r\n")
    lines = head.splitlines()
    if not sep or not lines or not all(_HEADER_LINE.fullmatch(line.rstrip(b"\r")) for line in lines):
        return {}, raw
    headers = {}
    for line in lines:
        name, value = _HEADER_LINE.fullmatch(line.rstrip(b"\r")).groups()
        headers[name.decode().lower()] = value.decode("latin-1").strip()
    return headers, body


def _read(args) -> bytes:
    try:
        if args.file:
            with open(args.file, "rb") as handle:
                raw = handle.read(MAX_BYTES + 1)
        else:
            if sys.stdin is None or sys.stdin.isatty():
                raise UsageError("No webhook given.", hint="Pipe the body on stdin, or give --file FILE.")
            raw = sys.stdin.buffer.read(MAX_BYTES + 1)
    except OSError as error:
        raise UsageError(f"--file {args.file!r} cannot be read: {error.__class__.__name__}.") from None
    if len(raw) > MAX_BYTES:
        raise UsageError(f"The webhook is larger than {MAX_BYTES >> 20} MB.")
    return raw


def summary(payload: dict, resource: str | None) -> dict:
    """What the webhook is about: resource, action, and the issue's or event's essentials."""
    data = payload.get("data") if isinstance(payload.get("data"), dict) else {}
    resource = resource or next(iter(data), None)
    view = {"verified": True, "resource": resource, "action": payload.get("action")}
    issue = data.get("issue") if isinstance(data.get("issue"), dict) else None
    event = next((data[key] for key in ("event", "error") if isinstance(data.get(key), dict)), None)
    if issue:
        project = issue.get("project") if isinstance(issue.get("project"), dict) else {}
        view["issue"] = {key: issue.get(key) for key in ("id", "shortId", "title", "culprit", "level", "status",
                                                            "substatus", "firstSeen", "lastSeen", "count")}
        view["issue"]["project"] = project.get("slug")
        view["issue"]["assignedTo"] = _actor(issue.get("assignedTo"))
        view["issue"]["url"] = issue.get("web_url") or issue.get("permalink")
    if event:
        view["event"] = {"id": event.get("event_id") or event.get("id"), "title": event.get("title"),
                         "culprit": event.get("culprit"), "level": event.get("level"),
                         "issue_id": event.get("issue_id") or event.get("group_id"),
                         "datetime": event.get("datetime")}
    if isinstance(data.get("triggered_rule"), str):
        view["rule"] = data["triggered_rule"]
    view["actor"] = _actor(payload.get("actor"))
    return view


def _actor(actor) -> str | None:
    """A person as `user:<id>`, a team as `team:<slug or id>`, Sentry itself as its type (PRODUCT.md 5)."""
    if not isinstance(actor, dict):
        return None
    if actor.get("type") == "user":
        return f"user:{actor.get('id')}"
    if actor.get("type") == "team":
        return f"team:{actor.get('slug') or actor.get('id')}"
    return actor.get("type")


def verify_webhook(ctx) -> Result:
    secret = os.environ.get(SECRET_ENV, "")
    if not secret:
        raise ConfigError(f"{SECRET_ENV} is not set.",
                          hint="Set it to the integration's client secret (Settings > Developer Settings).")
    headers, body = split_headers(_read(ctx.args))
    signature = (ctx.args.signature or headers.get(SIGNATURE_HEADER) or "").strip()
    if not signature:
        raise UsageError("No signature given.", hint="Give --signature HEX, or the Sentry-Hook-Signature header "
                         "line before the body.")
    if not _HEX.fullmatch(signature):
        raise UsageError("The signature is not 64 hexadecimal digits (an HMAC-SHA256).")
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature.lower()):
        raise AuthError("The signature does not match the body: do not trust this webhook.",
                        hint=f"Check {SECRET_ENV} is this integration's client secret and that the body is "
                             "the exact bytes received.")
    try:
        payload = json.loads(body)
    except ValueError:
        payload = None
    if not isinstance(payload, dict):
        raise UsageError("The signature matches, but the body is not a JSON object.")
    return Result(payload, lambda redacted: summary(redacted, headers.get(RESOURCE_HEADER)))
