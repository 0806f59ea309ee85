"""vcrpy set-up: replay only, unless SENTRY_RECORD=1 asks to record; scrub on the way in.

Re-record against a real server (or the stand-in: python tests/standin.py --mode glitchtip):
  SENTRY_RECORD=1 SENTRY_BASE_URL=... SENTRY_AUTH_TOKEN=... SENTRY_ORG=acme python -m pytest tests/test_recorded.py
The recorded host becomes https://sentry.example.com, the Authorization and Cookie
headers are dropped, and response bodies lose the token and any personal data that
is not one of the documented fakes (see ALLOWED_* below).
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import vcr

CASSETTES = Path(__file__).parent / "cassettes"
PLACEHOLDER_URL = "https://sentry.example.com"
REPLAY_TOKEN = "replay-token-not-a-secret"
RECORDING = os.environ.get("SENTRY_RECORD") == "1"
# Captured before the autouse fixture clears SENTRY_* from the environment.
LIVE = {k: v for k, v in os.environ.items() if k.startswith("SENTRY_")}
KEEP_RESPONSE_HEADERS = {"content-type", "link", "x-hits", "x-max-hits", "x-sentry-direct-hit", "allow",
                         "retry-after"}

HTML_KEPT = 300

# The fakes planted in the recorded sample on purpose, so redaction has something to find.
ALLOWED_EMAIL_DOMAINS = {"example.com", "example.org", "example.net"}
ALLOWED_TOKENS = re.compile(r"sntryu_planted[0-9a-z]*|sntrys_abc123")
# The top-level name has a letter: release versions such as storefront@1.8.0 are no addresses.
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@((?:[A-Za-z0-9-]+\.)+[A-Za-z][A-Za-z0-9-]*)\b")
IPV4_RE = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
TOKEN_RE = re.compile(r"sntry[usa]_[A-Za-z0-9+/=_-]{6,}|(?<![0-9a-fA-F])[0-9a-fA-F]{64}(?![0-9a-fA-F])")


def domain_is_allowed(domain: str) -> bool:
    """The documentation domains, and any name under the reserved .example TLD (RFC 2606)."""
    domain = domain.lower()
    return domain.endswith(".example") or any(domain == d or domain.endswith("." + d) for d in ALLOWED_EMAIL_DOMAINS)


def ip_is_allowed(text: str) -> bool:
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return True  # not an address (a version number such as 1.2.3.400)
    documentation = [ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24",
                                                       "2001:db8::/32")]
    return ip.is_private or ip.is_loopback or any(ip in net for net in documentation)


def scrub_text(text: str, token: str | None) -> str:
    if token:
        text = text.replace(token, "[token]")
    text = EMAIL_RE.sub(lambda m: m.group(0) if domain_is_allowed(m.group(1)) else "someone@example.com", text)
    text = IPV4_RE.sub(lambda m: m.group(0) if ip_is_allowed(m.group(0)) else "192.0.2.1", text)
    text = TOKEN_RE.sub(lambda m: m.group(0) if ALLOWED_TOKENS.fullmatch(m.group(0)) else "[token]", text)
    return text


def scrub_request(request):
    parts = urlsplit(request.uri)
    base = urlsplit(PLACEHOLDER_URL)
    request.uri = urlunsplit((base.scheme, base.netloc, parts.path, parts.query, ""))
    for name in list(request.headers):
        if name.lower() in ("authorization", "cookie"):
            del request.headers[name]
    return request


def scrub_response(response, token: str | None = None):
    response["headers"] = {k: v for k, v in response["headers"].items() if k.lower() in KEEP_RESPONSE_HEADERS}
    for name, values in response["headers"].items():
        response["headers"][name] = [scrub_text(v, token).replace(LIVE.get("SENTRY_BASE_URL", "\0"), PLACEHOLDER_URL)
                                     for v in values]
    body = response["body"].get("string", b"")
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    if len(body) > HTML_KEPT and body.lstrip()[:1] == "<":  # a server's HTML error page: its head says enough
        body = body[:HTML_KEPT] + "<!-- cut when recorded -->"
    response["body"]["string"] = scrub_text(body, token).encode("utf-8")
    return response


def same_write_body(sent, recorded) -> None:
    """A write matches a recorded one only with the same JSON body (GETs carry none)."""
    if sent.method == "GET":
        return
    def parsed(body):
        if not body:
            return None
        return json.loads(body.decode() if isinstance(body, bytes) else body)
    assert parsed(sent.body) == parsed(recorded.body), (sent.body, recorded.body)


def cassette(name: str, record: bool = True):
    """A vcr cassette at tests/cassettes/<name>.yaml: replayed, never recorded in CI.

    Requests match on method, path, query and, for writes, the JSON body; each
    recorded answer is played once, so a request sent twice finds nothing.
    """
    token = LIVE.get("SENTRY_AUTH_TOKEN")
    recorder = vcr.VCR(
        cassette_library_dir=str(CASSETTES),
        record_mode="all" if RECORDING and record else "none",
        match_on=["method", "path", "query", "write_body"],
        before_record_request=scrub_request,
        before_record_response=lambda response: scrub_response(response, token),
        decode_compressed_response=True,
    )
    recorder.register_matcher("write_body", same_write_body)
    return recorder.use_cassette(f"{name}.yaml")


def configure(monkeypatch) -> None:
    """Point the tool at the live server when recording, at the placeholder when replaying."""
    if RECORDING:
        for key in ("SENTRY_BASE_URL", "SENTRY_AUTH_TOKEN", "SENTRY_ORG"):
            monkeypatch.setenv(key, LIVE[key])
    else:
        monkeypatch.setenv("SENTRY_BASE_URL", PLACEHOLDER_URL)
        monkeypatch.setenv("SENTRY_AUTH_TOKEN", REPLAY_TOKEN)
        monkeypatch.setenv("SENTRY_ORG", "acme")


def body_of(interaction) -> str:
    body = interaction["response"]["body"]["string"]
    return body.decode() if isinstance(body, bytes) else body


def loads(path: Path):
    import yaml
    return yaml.safe_load(path.read_text())


__all__ = ["cassette", "configure", "scrub_text", "scrub_request", "scrub_response", "loads", "json"]
