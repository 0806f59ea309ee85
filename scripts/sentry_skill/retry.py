"""When a request is sent again: the retry rules, apart from HTTP, and the command's deadline.

A GET is retried once, after a short wait, on a transient failure (timeout,
refused or dropped connection, a body cut mid-answer) or a 502/503/504. A 429
is waited out once if the server asks for a few seconds at most; otherwise it is
reported with the time the limit resets. A write is never retried: it may
already have happened. A retry is sent only if it fits in what is left of the
command's deadline (--timeout covers the whole command), so a hung server costs
the --timeout once, not twice. No requests import: the client says what failed,
so this imports cheaply and its tests need only a fake clock.
"""

from __future__ import annotations

import math
import time
from datetime import datetime, timezone
from typing import Callable, Mapping, NamedTuple

from .errors import RateLimited


class Retry(NamedTuple):
    """Send the same request again after `wait` seconds; `note` says why, on stderr."""
    wait: float
    note: str


class Deadline:
    """The time one command may take, all its requests, waits and retries included."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic):
        self.seconds, self.clock = seconds, clock
        self.started = clock()

    def left(self) -> float:
        """Seconds left; zero or less once the deadline has passed."""
        return self.seconds - (self.clock() - self.started)


class RetryPolicy(NamedTuple):
    attempts: int = 2  # sends of one GET, the first included; a write is sent once
    wait: float = 0.5  # seconds before the retry after a failure or a 5xx
    statuses: frozenset = frozenset({502, 503, 504})  # a proxy's "try again"; a 500 is a real error
    max_rate_limit_wait: float = 5.0  # a longer 429 wait is reported, not slept through
    min_attempt: float = 1.0  # a retry is sent only with at least this long left for its answer
    clock: Callable[[], float] = time.time  # epoch seconds: 429 reset times are relative to now

    def may_retry(self, method: str, attempt: int) -> bool:
        """Attempts count from 1."""
        return method == "GET" and attempt < self.attempts

    def fits(self, wait: float, left: float | None) -> bool:
        """Does a retry after `wait` seconds still leave min_attempt of the `left` seconds (None: no deadline)?"""
        return left is None or wait + self.min_attempt <= left

    def after_failure(self, method: str, attempt: int, what: str, left: float | None = None) -> Retry | None:
        """A transient failure (`what`: "timed out", ...): Retry, or None to give up."""
        if self.may_retry(method, attempt) and self.fits(self.wait, left):
            return Retry(self.wait, f"{what}; retrying once")
        return None

    def after_status(self, method: str, attempt: int, status: int,
                     headers: Mapping, left: float | None = None) -> Retry | RateLimited | None:
        """An answer: Retry, the RateLimited error to raise, or None to use the answer."""
        if status == 429:
            wait = self.rate_limit_wait(headers)
            if (wait is not None and wait <= self.max_rate_limit_wait and self.may_retry(method, attempt)
                    and self.fits(wait, left)):
                return Retry(wait, f"rate limited; waiting {wait:.1f}s, then retrying once")
            return self.rate_limited_error(wait)
        if status in self.statuses and self.may_retry(method, attempt) and self.fits(self.wait, left):
            return Retry(self.wait, f"HTTP {status}; retrying once")
        return None

    def rate_limit_wait(self, headers: Mapping) -> float | None:
        """Seconds to wait as Retry-After (seconds or HTTP date) or X-Sentry-Rate-Limit-Reset
        (epoch seconds) says; None if neither holds a usable value."""
        retry_after = (headers.get("Retry-After") or "").strip()
        seconds = _number(retry_after)
        if seconds is None:
            when = _http_date(retry_after)
            seconds = None if when is None else when - self.clock()
        if seconds is None:
            reset = _number(headers.get("X-Sentry-Rate-Limit-Reset") or "")
            seconds = None if reset is None else reset - self.clock()
        return None if seconds is None else max(0.0, seconds)

    def rate_limited_error(self, wait: float | None) -> RateLimited:
        reset = None if wait is None else _utc_text(self.clock() + wait)
        if reset is None:
            return RateLimited("Rate limited by Sentry (429).", status=429,
                               hint="Wait a minute, then try again with a smaller --limit.")
        return RateLimited(f"Rate limited by Sentry (429) until {reset}.", status=429,
                           hint=f"Try again in {int(wait) + 1} s.")


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None  # "nan" and "inf" are not waits


def _http_date(text: str) -> float | None:
    import email.utils  # here, not at the top: it is most of this module's import time
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # "-0000": an HTTP date is GMT all the same
        when = when.replace(tzinfo=timezone.utc)
    return when.timestamp()


def _utc_text(timestamp: float) -> str | None:
    try:
        return datetime.fromtimestamp(timestamp, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (OverflowError, OSError, ValueError):  # past year 9999: no believable reset time
        return None
