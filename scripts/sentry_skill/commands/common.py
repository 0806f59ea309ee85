"""Argument checks shared by command modules (all run before any request)."""

from __future__ import annotations

import re
from datetime import datetime, timezone

from ..errors import UsageError

MAX_LIMIT = 5000
PERIOD_RE = re.compile(r"^[1-9][0-9]{0,4}[smhdw]$")


def whole_number(flag: str, low: int, high: int, hint: str):
    """An argparse type: a whole number from `low` to `high`; errors name `flag`."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise UsageError(f"{flag} {text!r} is not a whole number.", hint=hint) from None
        if not low <= value <= high:
            raise UsageError(f"{flag} {value} is out of range.", hint=hint)
        return value
    return parse


limit_arg = whole_number("--limit", 1, MAX_LIMIT, f"Use 1 to {MAX_LIMIT}; page with --cursor for more.")


def period_arg(text: str) -> str:
    if not PERIOD_RE.match(text or ""):
        raise UsageError(f"--time-range {text!r} is not a period.",
                         hint="Use a number and a unit: 30m, 24h, 7d, 2w.")
    return text


def instant_arg(flag: str):
    """An argparse type: an ISO 8601 time as an aware instant; one without an offset is UTC."""
    def parse(text: str) -> datetime:
        try:
            value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
        except ValueError:
            raise UsageError(f"{flag} {text!r} is not an ISO 8601 time.",
                             hint="Use e.g. 2026-11-23T08:00:00Z, or 2026-11-23T09:00:00+01:00.") from None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)
    return parse


def utc_text(instant: datetime) -> str:
    """2026-11-23T08:00:00Z: Sentry reads any offset as UTC (it drops '+05:00' and refuses '-05:00'),
    so times go out in UTC, with a Z that both Sentry and GlitchTip read."""
    fraction = f".{instant.microsecond:06d}" if instant.microsecond else ""
    return instant.strftime("%Y-%m-%dT%H:%M:%S") + fraction + "Z"


def max_bytes_arg(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise UsageError(f"--max-bytes {text!r} is not a whole number.") from None
    if value != 0 and not 500 <= value <= 100_000_000:
        raise UsageError(f"--max-bytes {value} is out of range.", hint="Use 500 or more, or 0 for no limit.")
    return value


def timeout_arg(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise UsageError(f"--timeout {text!r} is not a number of seconds.") from None
    if not 0.1 <= value <= 600:
        raise UsageError(f"--timeout {value} is out of range.", hint="Use 0.1 to 600 seconds.")
    return value


def cursor_arg(text: str) -> str:
    if not text or len(text) > 500 or any(c.isspace() for c in text):
        raise UsageError("--cursor must be the next_cursor value printed by the previous call.")
    return text


def time_params(args) -> dict:
    """--time-range, or --start with --end; not both."""
    period, start, end = getattr(args, "time_range", None), getattr(args, "start", None), getattr(args, "end", None)
    if period and (start or end):
        raise UsageError("--time-range cannot be combined with --start/--end.")
    if bool(start) != bool(end):
        raise UsageError("--start and --end go together.", hint="Or use --time-range 24h.")
    if period:
        return {"statsPeriod": period}
    if start:
        if start >= end:  # instants: 10:00+05:00 is before 06:00Z
            raise UsageError("--start must be before --end.",
                             hint=f"They are {utc_text(start)} and {utc_text(end)} in UTC.")
        return {"start": utc_text(start), "end": utc_text(end)}
    return {}


def select(document: dict, fields) -> dict:
    return {name: document.get(name) for name in fields} if fields else document
