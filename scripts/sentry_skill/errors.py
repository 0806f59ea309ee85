"""Typed errors and the one exit-code table (PRODUCT.md section 8).

Every failure the tool can explain is a SentryError; `main()` turns it into one
JSON object on stderr and its exit code. Anything else is a bug (exit 1).
"""

from __future__ import annotations

OK = 0
INTERNAL = 1
USAGE = 2
CONFIG = 3
AUTH = 4
NOT_FOUND = 5
RETRY_LATER = 6
API = 7
WRITE_REFUSED = 8

EXIT_CODES = {
    OK: "success (an empty list is a success)",
    INTERNAL: "internal error (a bug)",
    USAGE: "bad usage or bad input (caught before any request)",
    CONFIG: "configuration missing (no token, no org)",
    AUTH: "authentication or permission (401, 403)",
    NOT_FOUND: "not found (404)",
    RETRY_LATER: "try again later (429, 5xx after retry, network error, timeout)",
    API: "other API error (4xx such as 400, 409, 422; an answer that is not JSON)",
    WRITE_REFUSED: "write refused (read-only mode, or --confirm missing)",
}


class SentryError(Exception):
    """A failure with a type, an exit code and a hint for the next step."""

    exit_code = API
    type = "api_error"

    def __init__(self, message: str, *, status: int | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.hint = hint

    def to_dict(self) -> dict:
        error = {"type": self.type}
        if self.status is not None:
            error["status"] = self.status
        error["message"] = self.message
        if self.hint:
            error["hint"] = self.hint
        return {"error": error}


class UsageError(SentryError):
    exit_code = USAGE
    type = "usage"


class ConfigError(SentryError):
    exit_code = CONFIG
    type = "config"


class AuthError(SentryError):
    exit_code = AUTH
    type = "auth"


class NotFound(SentryError):
    exit_code = NOT_FOUND
    type = "not_found"


class RetryLater(SentryError):
    """Rate limited, server unavailable after the retry, timeout or network error."""

    exit_code = RETRY_LATER
    type = "unavailable"


class RateLimited(RetryLater):
    type = "rate_limited"


class OutOfTime(RetryLater):
    """The command's --timeout ran out before an answer came: a list walk prints what it has."""


class ApiError(SentryError):
    exit_code = API
    type = "api_error"


class WriteRefused(SentryError):
    exit_code = WRITE_REFUSED
    type = "write_refused"


def route_missing(exc: SentryError, method: str = "GET") -> bool:
    """Does this error mean "this server has no such route" rather than "no such thing"?

    GlitchTip and older self-hosted Sentry answer 405, or an HTML 404/500 page,
    where sentry.io has an organization-scoped path. For a write only 405 and an
    HTML 404 count: after a 500 the change may have been half made.
    """
    if exc.status == 405:
        return True
    statuses = (404, 500, 501) if method == "GET" else (404,)
    return exc.status in statuses and not getattr(exc, "json_body", True)
