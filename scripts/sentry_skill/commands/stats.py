"""Event counts over time: org-stats and project-stats, one row per interval.

Both read the organization's stats_v2 (spec: listOrganizationStatsV2). project-stats
is org-stats for one project (`project=<id>`), not the project `/stats/` endpoint:
that one is legacy (the spec says it may change without notice) and GlitchTip has no
route for it (recorded: project_stats, an HTML 500), while stats_v2 with `project`
answers on both.

What the servers differ in, and what is done about it:
- The range always goes out as start/end, computed from --time-range: Sentry takes
  them as it takes statsPeriod, and GlitchTip takes nothing else (recorded:
  org_stats_v2_statsperiod, a 422 naming start and end as required).
- GlitchTip ignores groupBy: one group with only `series` (recorded: org_stats_v2_*);
  its one series is printed as `total`. Its empty buckets are null: 0 here.
- GlitchTip counts only the first hour of each bucket longer than an hour (its SQL
  joins ts .. ts+1h; recorded: org_stats_v2_start_end, null for a day of 22 events,
  and org_stats_v2_hourly_project, 22 at 08:00). An answer without Sentry's
  `start`/`end` (required in Sentry's answer) is GlitchTip's: for an interval over
  1h the counts are asked again hourly and summed into the intervals asked for, so
  the numbers are right at the cost of one request (a notice on stderr says so).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from .common import time_params, utc_text
from .spec import TIME_RANGE, Command, Opt

STATS_PATH = "/organizations/{org}/stats_v2/"
FIELDS = ("sum(quantity)", "sum(times_seen)")  # spec: the `field` enum
CATEGORIES = ("error", "transaction", "attachment", "replay", "profile", "profile_duration",
              "profile_duration_ui", "profile_chunk", "profile_chunk_ui", "monitor")  # spec: `category`
GROUPS = ("outcome", "category", "reason", "project")  # spec: `groupBy`
OUTCOMES = ("accepted", "filtered", "rate_limited", "invalid", "abuse", "client_discard", "cardinality_limited")
DEFAULT_RANGE = "24h"
HOUR = timedelta(hours=1)
UNIT = {"m": timedelta(minutes=1), "h": HOUR, "d": timedelta(days=1), "w": timedelta(weeks=1)}
SPARKS = "▁▂▃▅▇"
INTERVALS = ("1h", "1d")


def period(text: str) -> timedelta:
    return int(text[:-1]) * UNIT[text[-1]]


OPTIONS = (
    Opt("--field", "what to sum: sum(quantity) (events; bytes for attachments) or sum(times_seen)",
        choices=FIELDS, default="sum(quantity)"),
    Opt("--category", "the kind of data counted (default error)", choices=CATEGORIES, default="error"),
    Opt("--group-by", "one series per value of this (repeatable; default outcome). GlitchTip does not group",
        action="append", choices=GROUPS, dest="group_by"),
    Opt("--outcome", "count only this outcome (accepted, filtered, rate_limited, ...)", param="outcome",
        choices=OUTCOMES),
    # Spec: 1h to 1d, dividing a day; GlitchTip takes only 1m, 1h and 1d (its 422's `literal_error`).
    Opt("--interval", "one row per hour or per day (default 1d past a range of 2 days, else 1h)",
        choices=INTERVALS),
    *TIME_RANGE,
)


def _range(ctx) -> tuple[datetime, datetime, str]:
    """(start, end, interval): --start/--end as given, or --time-range (default 24h) up to now,
    its start put back to the interval's boundary so that each row is a whole interval."""
    times = time_params(ctx.args)
    if "start" in times:
        start, end = ctx.args.start, ctx.args.end
    else:
        end = datetime.now(timezone.utc).replace(microsecond=0)
        start = end - period(times.get("statsPeriod", DEFAULT_RANGE))
    interval = ctx.args.interval or ("1d" if end - start > 2 * UNIT["d"] else "1h")
    if "statsPeriod" in times or "start" not in times:
        step = period(interval)
        epoch = datetime(1970, 1, 1, tzinfo=timezone.utc)
        start = epoch + ((start - epoch) // step) * step
    return start, end, interval


def stats_params(ctx) -> dict:
    start, end, interval = _range(ctx)
    params = {"field": ctx.args.field, "category": ctx.args.category, "interval": interval,
              "start": utc_text(start), "end": utc_text(end), "groupBy": ctx.args.group_by or ["outcome"]}
    params.update(ctx.params)  # --outcome
    return params


def _series_name(group: dict) -> str:
    by = group.get("by")
    if not isinstance(by, dict) or not by:
        return "total"  # GlitchTip: one group, no `by`
    return "/".join(str(value) for value in by.values())


def _instant(text) -> datetime | None:
    try:
        value = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _time(text) -> str:
    instant = _instant(text)
    return utc_text(instant.astimezone(timezone.utc)) if instant else str(text)


def series_of(answer: dict, field: str) -> dict:
    """{series name: [count per interval]}, a null bucket (GlitchTip) as 0."""
    series: dict = {}
    for group in answer.get("groups") or []:
        if not isinstance(group, dict):
            continue
        values = (group.get("series") or {}).get(field) or []
        name = _series_name(group)
        counts = [value or 0 for value in values]
        if name in series:  # the same name twice (a `by` value repeated): summed
            counts = [a + b for a, b in zip(series[name], counts)]
        series[name] = counts
    return series


def summed_into(intervals: list, hourly: dict, field: str) -> dict:
    """Hourly counts summed into the intervals that start at `intervals` (each runs to the next)."""
    starts = [_instant(text) for text in intervals]
    hours = [_instant(text) for text in hourly.get("intervals") or []]
    sums = {}
    for name, counts in series_of(hourly, field).items():
        total = [0] * len(starts)
        for hour, count in zip(hours, counts):
            if hour is None or not count:
                continue
            at = max((i for i, start in enumerate(starts) if start and start <= hour), default=None)
            if at is not None:
                total[at] += count
        sums[name] = total
    return sums


def sparkline(counts: list) -> str:
    """One bar per interval: none counted is the lowest bar, any count at least the next."""
    top = max(counts, default=0)
    return "".join(SPARKS[1 + count * (len(SPARKS) - 2) // top] if count > 0 else SPARKS[0]
                   for count in counts)


def _is_glitchtip(answer: dict) -> bool:
    """Sentry's answer always names its start and end (spec: required); GlitchTip's never does."""
    return "start" not in answer and "end" not in answer


def fetch_stats(ctx, params: dict):
    """The answer used, its intervals and the series to print: hourly sums where GlitchTip's own are wrong."""
    client, entry = ctx.client, ctx.entry
    answer = client.get_first(entry.path, [ctx.expand(STATS_PATH)], params, scope=entry.scope, expect=dict)
    intervals = answer.get("intervals") or []
    series = series_of(answer, params["field"])
    if _is_glitchtip(answer) and ctx.args.group_by:
        client.note("this server (GlitchTip) does not group the counts: one series, `total`")
    if _is_glitchtip(answer) and period(params["interval"]) > HOUR:
        client.note(f"this server (GlitchTip) counts only the first hour of each {params['interval']} interval; "
                    "asking hourly and summing the hours into each interval")
        hourly = client.get_first(entry.path, [ctx.expand(STATS_PATH)], {**params, "interval": "1h"},
                                  scope=entry.scope, expect=dict)
        series = summed_into(intervals, hourly, params["field"])
        answer = hourly
    return answer, intervals, series


def run_stats(ctx, projects=None):
    from ..output import Result

    params = stats_params(ctx)
    if projects:
        params["project"] = projects
    answer, intervals, series = fetch_stats(ctx, params)
    if ctx.args.raw:
        return Result(answer)
    intervals = [_time(text) for text in intervals]
    if params["interval"] == "1d":  # a day is its date (UTC)
        intervals = [text[:10] if text.endswith("T00:00:00Z") else text for text in intervals]
    if not series:  # Sentry sends no group where nothing was counted: zeros, not an empty row
        series = {"total": [0] * len(intervals)}
    rows = [{"time": time, **{name: counts[i] if i < len(counts) else 0 for name, counts in series.items()}}
            for i, time in enumerate(intervals)]
    extra = {"totals": {name: sum(counts) for name, counts in series.items()},
             "field": params["field"], "category": params["category"], "interval": params["interval"]}
    if ctx.args.format == "table":  # a trend is seen faster than read
        extra["trend"] = {name: sparkline(counts) for name, counts in series.items()}
    return Result(rows, is_list=True, extra=extra)


def _project_ids(ctx, slugs: list) -> list:
    """Numeric ids as they are; slugs looked up in one list of the organization's projects."""
    from ..issue_filters import project_ids
    wanted = [slug for slug in slugs if not slug.isdigit()]
    found = project_ids(ctx.client, ctx.org, wanted) if wanted else {}
    return [slug if slug.isdigit() else found[slug] for slug in slugs]


def _org_stats(ctx):
    slugs = ctx.selection.get("projects") or []
    return run_stats(ctx, _project_ids(ctx, slugs) if slugs else None)


def _project_stats(ctx):
    return run_stats(ctx, _project_ids(ctx, [ctx.refs["project"]]))


def _check_range(ctx):
    stats_params(ctx)  # the range and interval, checked before any request


def _check_projects(ctx):
    from ..ids import check_slug
    ctx.selection["projects"] = [check_slug(slug, "Project") for slug in ctx.args.project or []]


DESCRIPTION = ("One row per interval: its start (`time`; a day's is its date) and the count of each series (one per value of "
               "--group-by; `total` where the server does not group, as GlitchTip), then `totals`. "
               "--format table adds a sparkline per series (`trend`). The range goes out as start/end.")

COMMANDS = (
    Command(
        "org-stats", "stats", "event counts over time for the organization, one row per interval",
        "org-stats --time-range 7d --interval 1d",
        description=DESCRIPTION,
        path=STATS_PATH, scope="org:read",
        options=(*OPTIONS, Opt("--project", "a project slug or id (repeatable; default all)", action="append",
                               metavar="PROJECT")),
        checks=(_check_range, _check_projects), run=_org_stats,
        also=(("with --project SLUG", "GET /organizations/{org}/projects/", "org:read"),),
    ),
    Command(
        "project-stats", "stats", "event counts over time for one project, one row per interval",
        "project-stats backend --time-range 24h",
        description=DESCRIPTION + " Reads the organization's stats for the project's id (the project "
                                  "/stats/ endpoint is legacy, and GlitchTip lacks it).",
        path=STATS_PATH, scope="org:read", refs=("project",),
        options=OPTIONS, checks=(_check_range,), run=_project_stats,
        also=(("always, for the project's id", "GET /organizations/{org}/projects/", "org:read"),),
    ),
)
