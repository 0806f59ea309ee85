"""The one place that sends HTTP requests to Sentry.

Owns the base URL, the Authorization header (sent only to the configured host
or its org's region), timeouts, retries (by the rules in retry.py), error
mapping, Link-header pagination and the fallbacks to older paths for servers
that lack the organization-scoped ones (GlitchTip, older self-hosted Sentry).

--timeout is the command's deadline: every GET's connect and read timeouts are
cut to what is left of it, and a retry is sent only if it fits. A write is
sent whole, with the full --timeout: cutting it short would not undo it.
"""

from __future__ import annotations

import gc
import itertools
import json
import sys
import threading
import time
from urllib.parse import urlsplit

import requests

from . import __version__
from .errors import (ApiError, AuthError, NotFound, OutOfTime, RateLimited, RetryLater,
                     SentryError, WriteRefused, route_missing)
from .progress import StatusLine
from .retry import Deadline, RetryPolicy
from .routes import RouteMemory

# Everything imported so far (requests and this package) lives until the process ends:
# frozen, it is never walked again by a collection, the one at exit included. A command
# is one short process, so this is most of what collecting would cost it.
gc.freeze()

LACKS = "lacks "           # the routes memory keeps what a server lacks under this prefix
MAX_PAGES = 100           # a walk never asks for more pages than this
MAX_THREADS = 8           # requests of one command in flight at once (digest asks for up to 25 events)
MAX_REDIRECTS = 3
MAX_BODY_BYTES = 32 * 1024 * 1024  # no Sentry answer we read comes near this
READ_CHUNK = 64 * 1024
TRANSIENT_ERRORS = (requests.Timeout, requests.ConnectionError, requests.exceptions.ChunkedEncodingError)
# The server's error detail is kept whole here (bounded only against huge pages);
# output.emit_error redacts it first and cuts it after, so no secret is split.
ERROR_BODY_CHARS = 20_000


class BodyTooLarge(Exception):
    pass


class Response:
    def __init__(self, status: int, headers, data, url: str):
        self.status, self.headers, self.data, self.url = status, headers, data, url


class SentryClient:
    def __init__(self, settings, *, session=None, sleep=time.sleep, retry=None, log=None, deadline=None,
                 status_stream=None):
        self.settings = settings
        self.sent, self._counting = 0, threading.Lock()  # requests sent, retries included (digest's closing note)
        self.api_root = settings.base_url + "/api/0"
        self.host = urlsplit(settings.base_url).netloc
        self.session = session or requests.Session()
        self.sleep = sleep
        self.retry_policy = retry or RetryPolicy()
        # One write per line: the requests of one command run on threads, and their notes must not interleave.
        self.log = log or (lambda message: sys.stderr.write(message + "\n"))
        # Progress of long walks and bulk writes, for a person at a terminal (progress.py).
        self.status = StatusLine(status_stream)
        self.deadline = deadline or Deadline(settings.timeout)  # the client is made when a command starts
        self.routes = RouteMemory(settings.base_url, getattr(settings, "route_cache", None))
        # What this server was found to lack, by name (issue_filters names them): learned from a
        # refusal and remembered with the routes, so later commands ask in the server's own form.
        self.lacks: set[str] = {route[len(LACKS):] for route in self.routes.routes() if route.startswith(LACKS)}

    def learn_lacks(self, names) -> None:
        """Note what this server lacks, for this command and the next ones."""
        for name in set(names) - self.lacks:
            self.routes.learn(LACKS + name, 1)
        self.lacks |= set(names)

    # -- single requests ---------------------------------------------------

    def request(self, method: str, path: str, *, params=None, json_body=None,
                scope: str | None = None) -> Response:
        """Send one API request; GETs are retried once on transient failures."""
        url = path if path.startswith("http") else self.api_root + path
        is_get = method == "GET"
        if not is_get and not self.settings.allow_write:  # second lock: safety.check is the first
            from .safety import WRITE_HINT
            raise WriteRefused(f"{method} refused: writes are not allowed.", hint=WRITE_HINT)
        for attempt in itertools.count(1):  # the policy says when to stop
            if is_get and self.deadline.left() <= 0:
                raise OutOfTime(f"{method} {self._display(url)} was not sent: the command ran out of time.",
                                hint=self._timeout_hint())
            try:
                response = self._send(method, url, params, json_body)
                body = _read_body(response, self.deadline if is_get else None)
            except BodyTooLarge:
                raise ApiError(f"{method} {self._display(url)} answered with more than {MAX_BODY_BYTES >> 20} MB.",
                               hint="Check --base-url; ask for less with --limit.") from None
            except TRANSIENT_ERRORS as exc:
                kind = ("timed out" if isinstance(exc, requests.Timeout) else
                        "lost the connection mid-answer" if isinstance(exc, requests.exceptions.ChunkedEncodingError)
                        else "could not connect")
                left = self.deadline.left() if is_get else None
                retry = self.retry_policy.after_failure(method, attempt, kind, left)
                if retry is None:
                    raise self._gave_up(method, url, kind, left) from None
            else:
                retry = self.retry_policy.after_status(method, attempt, response.status_code, response.headers,
                                                       self.deadline.left() if is_get else None)
                if isinstance(retry, RateLimited):
                    raise retry
                if retry is None:
                    return self._finish(method, url, response, body, scope)
            self._note(retry.note)
            self.sleep(retry.wait)
        raise AssertionError("unreachable")  # pragma: no cover

    def _send(self, method, url, params, json_body, hops=0):
        headers = {"User-Agent": f"sentry-api-skill/{__version__}", "Accept": "application/json"}
        if self.settings.token and urlsplit(url).netloc in self.settings.token_hosts:
            headers["Authorization"] = f"Bearer {self.settings.token}"
        with self._counting:
            self.sent += 1
        if self.settings.verbose:
            self._note(f"{method} {self._display(url)} {_query_text(params)}".rstrip())
        response = self.session.request(method, url, params=params, json=json_body, headers=headers,
                                        auth=_headers_as_set, timeout=self._timeouts(method),
                                        allow_redirects=False, stream=True)
        if response.is_redirect:
            # Follow only a same-host redirect of a GET: the token stays home and a
            # redirected write would silently turn into a GET.
            target = response.headers.get("Location", "")
            nxt = requests.compat.urljoin(url, target)
            if hops >= MAX_REDIRECTS:
                raise ApiError(f"Too many redirects from {self._display(url)}.", status=response.status_code,
                               hint="Check --base-url / SENTRY_BASE_URL.")
            if method != "GET" or urlsplit(nxt).netloc not in self.settings.token_hosts:
                raise ApiError(
                    f"The server redirected {method} {self._display(url)} to {urlsplit(nxt).netloc or target!r}.",
                    status=response.status_code,
                    hint="Check --base-url / SENTRY_BASE_URL: use the address the server redirects to.",
                )
            return self._send(method, nxt, None, json_body, hops + 1)
        return response

    def _finish(self, method, url, response, body, scope) -> Response:
        status = response.status_code
        data, is_json = _decode(body)
        if 200 <= status < 300:
            if method == "GET" and not is_json:
                what = "an empty body" if not body.strip() else "something that is not JSON"
                raise ApiError(
                    f"{method} {self._display(url)} answered {status} with {what}.",
                    status=status,
                    hint="Check --base-url / SENTRY_BASE_URL: it must be the Sentry server's address.",
                )
            if not is_json and status != 204 and body.strip():
                raise ApiError(
                    f"{method} {self._display(url)} answered {status} with something that is not JSON.",
                    status=status,
                    hint="Check --base-url / SENTRY_BASE_URL: it must be the Sentry server's address.",
                )
            return Response(status, response.headers, data, url)  # requests' case-insensitive mapping
        raise http_error(status, data, is_json, method, self._display(url), scope)

    def note(self, message: str) -> None:
        """A notice for the user on stderr (a command's own: something was left out)."""
        self._note(message)

    def _timeouts(self, method: str) -> tuple:
        """(connect, read) seconds: --timeout, and for a GET no later than the command's deadline."""
        limit = self.settings.timeout
        if method == "GET":
            limit = max(0.01, min(limit, self.deadline.left()))
        return min(10.0, limit), limit

    def _gave_up(self, method: str, url: str, kind: str, left: float | None) -> RetryLater:
        """The error for a transient failure that is not retried (`left`: seconds to the deadline)."""
        message = f"{method} {self._display(url)} {kind}."
        if method != "GET":
            return RetryLater(message, hint="The change may have been made all the same: check before sending it again.")
        if not self.retry_policy.fits(self.retry_policy.wait, left):
            return OutOfTime(message, hint=self._timeout_hint())
        if kind == "timed out":
            return RetryLater(message, hint=self._timeout_hint())
        return RetryLater(message, hint="Check the network and --base-url, then try again.")

    def _timeout_hint(self) -> str:
        return (f"No answer within --timeout ({self.settings.timeout:g} s for the whole command, retries "
                "included). Try again later, or raise --timeout.")

    def _note(self, message: str) -> None:
        """A line on stderr: retry notices, --verbose requests. Redacted like all output."""
        from .redact import redact_text
        secrets = (self.settings.token,) if self.settings.token else ()
        self.status.clear()  # a note starts its own line; the next page redraws the progress
        self.log(f"sentry-api: {redact_text(message, secrets=secrets)}")

    def explain(self, message: str) -> None:
        """A line on stderr under --verbose: why the client is about to send another request."""
        if self.settings.verbose:
            self._note(message)

    def _display(self, url: str) -> str:
        return url[len(self.settings.base_url):] if url.startswith(self.settings.base_url) else url

    # -- conveniences ------------------------------------------------------

    def get(self, path, params=None, *, scope=None, expect=None):
        return _expect(self.request("GET", path, params=params, scope=scope).data, expect, path)

    def get_first(self, route: str, paths: list, params=None, *, scope=None, expect=None):
        """GET the first of `paths` that exists on this server (see request_first)."""
        response, path = self.request_first(route, paths, params, scope=scope)
        return _expect(response.data, expect, path)

    def send_first(self, route: str, method: str, paths: list, params=None, json_body=None, *, scope=None):
        """A write to the first of `paths` that exists here; returns the response."""
        return self.request_first(route, paths, params, scope=scope, method=method, json_body=json_body)[0]

    def request_first(self, route: str, paths: list, params=None, *, scope=None, method="GET",
                      json_body=None):
        """GET the first candidate path that exists here; returns (response, path).

        A path that answers 405, or 404/500/501 with a page that is not JSON, is
        missing on this server (GlitchTip, older self-hosted Sentry), so the next
        candidate is tried. A candidate may be a callable, for a legacy path that
        needs a lookup first. Which candidate works is remembered per method and
        route, across commands (routes.py), so only the first command against a
        host pays for the probe; if the remembered path is missing after all, the
        candidates are tried again from the first.
        """
        key = f"{method} {route}"
        start = min(self.routes.first(key), len(paths) - 1)
        if start and self.settings.verbose:
            self._note(f"this server lacks {route} (remembered); using the older path")
        for index in range(start, len(paths)):
            path = paths[index]() if callable(paths[index]) else paths[index]
            try:
                response = self.request(method, path, params=params, json_body=json_body, scope=scope)
            except SentryError as exc:
                if not route_missing(exc, method):
                    raise
                # A missing route changed nothing, so trying another path is not a retry.
                if index + 1 < len(paths):
                    if self.settings.verbose:
                        self._note(f"{self._display(self.api_root + path)} is not served here; trying the older path")
                    self.routes.learn(key, index + 1)
                    continue
                if start:  # what was remembered no longer holds: the server changed
                    self.routes.learn(key, 0)
                    return self.request_first(route, paths, params, scope=scope, method=method,
                                              json_body=json_body)
                raise unsupported(exc, method, self._display(self.api_root + path)) from None
            return response, path
        raise AssertionError("unreachable")  # pragma: no cover

    def paginate(self, paths, params=None, *, limit: int, cursor: str | None = None,
                 page_param: str | tuple = "limit", max_page_size: int = 100, scope=None,
                 route: str | None = None, partial: bool = False):
        """Walk `Link` pages until `limit` items; returns (items, next_cursor).

        Each page asks for the largest size that does not overshoot `limit`, in every
        parameter of `page_param`. A page with more items than asked (a server that
        ignores the size) is cut, and the cursor printed goes on with the rest of it.
        A repeated cursor, an empty page or MAX_PAGES ends the walk; so does the
        deadline when `partial` allows it and some items came (a list to print, not
        a search that needs every item).
        """
        try:
            return self._walk(paths, params, limit=limit, cursor=cursor, page_param=page_param,
                              max_page_size=max_page_size, scope=scope, route=route, partial=partial)
        finally:
            self.status.clear()

    def _walk(self, paths, params, *, limit, cursor, page_param, max_page_size, scope, route, partial):
        from .pagination import next_cursor_from_link, resume_cursor, split_cursor  # lists only (start-up)

        candidates = paths if isinstance(paths, list) else [paths]
        route = route or str(candidates[0])
        size_names = (page_param,) if isinstance(page_param, str) else tuple(page_param)
        cursor, skip = split_cursor(cursor)
        items: list = []
        seen: set = set()
        for pages in range(1, MAX_PAGES + 1):
            query = dict(params or {})
            wanted = limit - len(items)
            query.update((name, min(max_page_size, wanted + skip)) for name in size_names)
            if cursor:
                query["cursor"] = cursor
            try:
                response, path = self.request_first(route, candidates, query, scope=scope)
            except OutOfTime:
                if not (partial and items):
                    raise
                self._note(f"--timeout ran out after {len(items)} items; next_cursor goes on from there")
                return items, resume_cursor(cursor, skip) if skip else cursor
            candidates = [path]
            page = response.data
            if not isinstance(page, list):
                raise ApiError(f"Expected a list from {path}, got {type(page).__name__}.",
                               hint="Check --base-url: it must be the Sentry server's address.")
            fresh = page[skip:]
            items.extend(fresh[:wanted])
            if len(fresh) > wanted:  # never claim the end, nor skip past what was cut
                return items, resume_cursor(cursor, skip + wanted)
            skip = 0
            following = next_cursor_from_link(response.headers.get("Link"))
            if not page or not following:
                return items, None
            if following == cursor or following in seen:
                self._note("the server repeated a pagination cursor; stopping")
                return items, None
            seen.add(following)
            cursor = following
            if len(items) >= limit:
                return items, cursor
            self.status.show(f"sentry-api: {len(items)} items after page {pages}...")
        self._note(f"stopped after {MAX_PAGES} pages")
        return items, cursor

    def concurrently(self, *calls):
        """Run independent requests of one command at the same time, in order; at most
        MAX_THREADS at once, so a long list of calls does not flood the server."""
        if len(calls) == 1:
            return [calls[0]()]
        if not calls:
            return []
        from concurrent.futures import ThreadPoolExecutor  # imported by the runs that need threads only

        with ThreadPoolExecutor(max_workers=min(len(calls), MAX_THREADS)) as pool:
            futures = [pool.submit(call) for call in calls]
            return [future.result() for future in futures]


def _headers_as_set(request):
    """requests' `auth` hook, which leaves the headers as _send set them. Without one, requests
    reads ~/.netrc and puts the credentials it has for the host in place of the token (a 401)."""
    return request


def unsupported(exc: SentryError, method: str, where: str) -> ApiError:
    """No candidate path exists on this server: an operation it lacks (GlitchTip answers an
    HTML page or 405 there), not something to try again later."""
    error = ApiError(f"This server does not support {method} {where}: it answered {exc.status} with no API "
                     "answer, as servers without this part of Sentry's API do.", status=exc.status,
                     hint="GlitchTip and older self-hosted Sentry lack some operations "
                          "(references/troubleshooting.md says which); or --base-url is not a Sentry server.")
    error.type = "unsupported"
    error.json_body = False
    return error


def _expect(data, kind, path):
    """An answer of the wrong JSON type is the server's fault: exit 7, not a crash later."""
    if kind is not None and not isinstance(data, kind):
        raise ApiError(f"{path} answered {type(data).__name__}, not the {kind.__name__} it should.",
                       hint="Check --base-url: it must be a Sentry-compatible server.")
    return data


def _read_body(response, deadline=None) -> bytes:
    """The whole body, within MAX_BODY_BYTES and the deadline; a drop mid-body raises a transient error."""
    chunks, size = [], 0
    for chunk in response.iter_content(READ_CHUNK):
        if deadline is not None and deadline.left() <= 0:  # a body that trickles in past the deadline
            response.close()
            raise requests.exceptions.ReadTimeout("the command's deadline passed mid-answer")
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            response.close()
            raise BodyTooLarge()
        chunks.append(chunk)
    return b"".join(chunks)


def _decode(body: bytes):
    if not body or not body.strip():
        return None, False
    try:
        return json.loads(body), True
    except (ValueError, UnicodeDecodeError):
        return None, False


def _query_text(params) -> str:
    if not params:
        return ""
    pairs = []
    for key, value in params.items():
        for item in value if isinstance(value, (list, tuple)) else [value]:
            pairs.append(f"{key}={item}")
    return "?" + "&".join(pairs)


def _detail(data) -> str | None:
    if isinstance(data, dict):
        detail = data.get("detail") or data.get("message") or data.get("error")
        if isinstance(detail, dict):
            detail = detail.get("message") or detail.get("code")
        if isinstance(detail, str):
            return detail[:ERROR_BODY_CHARS].rstrip().rstrip(".")
        if data:
            return json.dumps(data)[:ERROR_BODY_CHARS]
    if isinstance(data, list) and data:
        return json.dumps(data)[:ERROR_BODY_CHARS]
    return None


def http_error(status, data, is_json, method, where, scope) -> SentryError:
    detail = _detail(data) if is_json else None
    said = f": {detail}" if detail else ""
    if status == 401:
        error = AuthError(f"The token was rejected (401){said}.", status=status,
                          hint="Check the token in SENTRY_AUTH_TOKEN; it may be mistyped, revoked or for another server.")
    elif status == 403 and not is_json:
        # Not the API's "permission denied" (that is JSON): GlitchTip's web app answers a
        # write to a path it has no API route for with Django's CSRF page, a WAF its own page.
        error = ApiError(f"{method} {where} was refused (403) by something other than the API (its answer "
                         "is not JSON): this server has no API route there.", status=status,
                         hint="Check --base-url; GlitchTip routes issues by numeric id only.")
    elif status == 403:
        need = f"the scope {scope}" if scope else "the right scope"
        error = AuthError(f"Permission denied for {method} {where} (403){said}.", status=status,
                          hint=f"This needs a token with {need}, and membership of the project's team.")
    elif status == 404:
        error = NotFound(f"Not found: {method} {where}{said}.", status=status,
                         hint="Check the org, project and id; list-issues shows what exists.")
    elif status >= 500:
        error = RetryLater(f"The server failed on {method} {where} ({status}){said}.", status=status,
                           hint="Try again later.")
    else:
        error = ApiError(f"{method} {where} was refused ({status}){said}.", status=status,
                         hint="Check the flags and query syntax (references/search-syntax.md).")
    error.json_body = is_json
    error.data = data if is_json else None  # the decoded body, for callers that read what was refused
    return error
