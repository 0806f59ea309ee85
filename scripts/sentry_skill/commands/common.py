"""Argument checks shared by command modules (all run before any request)."""

from __future__ import annotations

import re
from datetime import datetime

from ..errors import UsageError

MAX_LIMIT = 5000
PERIOD_RE = re.compile(r"^[1-9][0-9]{0,4}[smhdw]$")


def limit_arg(text: str) -> int:
    """--limit: a whole number from 1 to MAX_LIMIT (argparse type)."""
    try:
        value = int(text)
    except ValueError:
        raise UsageError(f"--limit {text!r} is not a whole number.", hint="Use e.g. --limit 25.") from None
    if not 1 <= value <= MAX_LIMIT:
        raise UsageError(f"--limit {value} is out of range.", hint=f"Use 1 to {MAX_LIMIT}; page with --cursor for more.")
    return value


def period_arg(text: str) -> str:
    if not PERIOD_RE.match(text or ""):
        raise UsageError(f"--time-range {text!r} is not a period.",
                         hint="Use a number and a unit: 30m, 24h, 7d, 2w.")
    return text


def iso_arg(text: str) -> str:
    try:
        datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"{text!r} is not an ISO 8601 time.", hint="Use e.g. 2026-11-23T08:00:00Z.") from None
    return text


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
        if start >= end:
            raise UsageError("--start must be before --end.")
        return {"start": start, "end": end}
    return {}


def select(document: dict, fields) -> dict:
    return {name: document.get(name) for name in fields} if fields else document
