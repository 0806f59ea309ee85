"""--demo's stats_v2: event counts as GlitchTip answers them, from its recorded hourly counts.

Recorded from the real GlitchTip: the organization's errors and each project's, by the
hour, 2026-11-25 to 2026-12-01 (demo_data/org_stats_v2_hourly*.json). The answer has
GlitchTip's shape (no groups, no start/end, null for none counted) and its way of
counting: each bucket holds the count of the hour it starts with, so the client's
asking again by the hour, then summing the hours, runs here as against GlitchTip.
"""

from __future__ import annotations

from datetime import datetime, timezone

PROJECTS = {"1", "2"}  # the recorded projects' ids (backend, frontend)
STEPS = {"1h": 3600, "1d": 86400}


def stats_answer(query: dict, load) -> tuple:
    """(status, body, headers) for GET stats_v2 with this query; `load` reads a demo_data body."""
    missing = [key for key in ("start", "end") if key not in query]
    if missing:  # recorded: org_stats_v2_statsperiod, GlitchTip takes no statsPeriod
        return 422, {"detail": [{"type": "missing", "loc": ["query", key], "msg": "Field required"}
                                for key in missing]}, {}
    field = (query.get("field") or ["sum(quantity)"])[0]
    step = STEPS.get((query.get("interval") or ["1h"])[0], 3600)
    start, end = _hour(query["start"][0]), _hour(query["end"][0])
    # From the start's interval to the one after the end's, as GlitchTip answers (recorded:
    # org_stats_v2_start_end, org_stats_v2_hourly_project: one interval past the end).
    starts = range(start - start % step, end - end % step + step + 1, step)
    counts = _recorded_counts(query, load)
    return 200, {"intervals": [_iso(t) for t in starts],
                 "groups": [{"series": {field: [counts.get(t) for t in starts]}}]}, {}


def _recorded_counts(query: dict, load) -> dict:
    """{hour: errors}: the organization's, or the sum of the projects asked for (as GlitchTip
    sums them); none recorded for other categories or projects."""
    projects = set(query.get("project") or [])
    if (query.get("category") or ["error"])[0] != "error" or not projects <= PROJECTS:
        return {}
    counts: dict = {}
    for name in [f"org_stats_v2_hourly_project_{p}" for p in sorted(projects)] or ["org_stats_v2_hourly"]:
        recorded = load(name)
        for hour, count in zip(map(_hour, recorded["intervals"]), recorded["groups"][0]["series"]["sum(quantity)"]):
            if count is not None:
                counts[hour] = counts.get(hour, 0) + count
    return counts


def _hour(text: str) -> int:
    """Seconds since the epoch of an ISO 8601 time, down to its hour (no offset: UTC)."""
    instant = datetime.fromisoformat(text.replace("Z", "+00:00"))
    seconds = int((instant if instant.tzinfo else instant.replace(tzinfo=timezone.utc)).timestamp())
    return seconds - seconds % 3600


def _iso(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, timezone.utc).isoformat()
