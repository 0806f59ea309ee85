"""Event counts and the events query in the tests' server model (see server_model.py).

Sources, as there: "recorded: NAME" is an exchange with a real GlitchTip (the
glitchtip-api recording NAME), "spec" is Sentry's API description
(listOrganizationStatsV2, listOrganizationEvents; the events query's example answer
copied into tests/data/spec/events_query.json).

The counts: 22 error events of project 1 (backend) in the hour from
2026-12-01T08:00Z (recorded: org_stats_v2_hourly_project), all accepted.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

SPEC_EVENTS = Path(__file__).parent / "data" / "spec" / "events_query.json"
HOUR = timedelta(hours=1)
# (project id, the hour it began, outcome, category): events (recorded: org_stats_v2_hourly_project).
COUNTS = {("1", datetime(2026, 12, 1, 8, tzinfo=timezone.utc), "accepted", "error"): 22}
GLITCHTIP_INTERVALS = {"1m": timedelta(minutes=1), "1h": HOUR, "1d": timedelta(days=1)}
# GlitchTip's 422 for another interval (recorded live on the same server, 2026-12-01: interval=12h).
GLITCHTIP_INTERVAL_422 = {"type": "literal_error", "loc": ["query", "interval"],
                          "msg": "Input should be '1d', '1h' or '1m'", "ctx": {"expected": "'1d', '1h' or '1m'"}}
SENTRY_UNITS = {"m": timedelta(minutes=1), "h": HOUR, "d": timedelta(days=1), "w": timedelta(weeks=1)}


def _instant(text: str) -> datetime | None:
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _floor(instant: datetime, step: timedelta) -> datetime:
    epoch = datetime(1970, 1, 1, tzinfo=timezone.utc)
    return epoch + ((instant - epoch) // step) * step


def _count(start, length, projects, where=lambda key: True) -> int:
    return sum(n for key, n in COUNTS.items()
               if start <= key[1] < start + length and (not projects or key[0] in projects) and where(key))


class Stats:
    """stats_v2 and the events query. Mixed into ServerModel."""

    def stats_v2(self, call):
        if call.dialect == "glitchtip":
            return self._glitchtip_stats(call)
        return self._sentry_stats(call)

    def _glitchtip_stats(self, call):
        query = {key: values[-1] for key, values in call.query.items()}
        # recorded: org_stats_v2_statsperiod (statsPeriod is no parameter; start and end are required)
        missing = [name for name in ("field", "category", "start", "end") if name not in query]
        if missing:
            return 422, {"detail": [{"type": "missing", "loc": ["query", name], "msg": "Field required"}
                                    for name in missing]}, {}
        if query.get("interval", "1h") not in GLITCHTIP_INTERVALS:
            return 422, {"detail": [GLITCHTIP_INTERVAL_422]}, {}
        step = GLITCHTIP_INTERVALS[query.get("interval", "1h")]
        start, end = _instant(query["start"]), _instant(query["end"])
        projects = set(call.query.get("project", []))
        # recorded: org_stats_v2_start_end, _hourly_project: buckets from the start's boundary up to
        # one interval past the end; `groupBy` ignored; an empty bucket null; and each bucket counts
        # only its first hour (the server's SQL joins ts .. ts+1h), whatever the interval.
        intervals, series, at = [], [], _floor(start, step)
        while at <= end + step:
            intervals.append(at.isoformat())
            series.append(_count(at, HOUR, projects) or None)
            at += step
        return 200, {"intervals": intervals, "groups": [{"series": {query["field"]: series}}]}, {}

    def _sentry_stats(self, call):
        query = {key: values[-1] for key, values in call.query.items()}
        if "field" not in query:  # spec: field is required
            return 400, {"detail": 'Request is missing a "field"'}, {}
        step = SENTRY_UNITS[query.get("interval", "1h")[-1]] * int(query.get("interval", "1h")[:-1])
        if "statsPeriod" in query:  # spec: statsPeriod, or start and end
            period = query["statsPeriod"]
            end = datetime.now(timezone.utc)
            start = end - SENTRY_UNITS[period[-1]] * int(period[:-1])
        elif "start" in query and "end" in query:
            start, end = _instant(query["start"]), _instant(query["end"])
        else:
            return 400, {"detail": "start and end or statsPeriod are required"}, {}
        start = _floor(start, step)
        starts = []
        at = start
        while at < end:
            starts.append(at)
            at += step
        projects = set(call.query.get("project", []))
        group_by = call.query.get("groupBy", [])
        values = {"outcome": lambda key: key[2], "category": lambda key: key[3], "project": lambda key: int(key[0])}
        keys = {tuple((name, values[name](key)) for name in group_by if name in values) for key in COUNTS
                if not projects or key[0] in projects}
        groups = []
        for by in sorted(keys, key=str):
            def where(key, by=by):
                return all(values[name](key) == value for name, value in by)
            counts = [_count(at, step, projects, where) for at in starts]
            field = query["field"]
            groups.append({"by": dict(by), "totals": {field: sum(counts)}, "series": {field: counts}})
        text = [at.strftime("%Y-%m-%dT%H:%M:%SZ") for at in starts]
        return 200, {"start": start.strftime("%Y-%m-%dT%H:%M:%SZ"), "end": end.strftime("%Y-%m-%dT%H:%M:%SZ"),
                     "intervals": text, "groups": groups}, {}

    # -- the events query -----------------------------------------------------------------

    def events_query_body(self) -> dict:
        """The spec's example answer (the audit corpus serves one with personal data)."""
        return json.loads(SPEC_EVENTS.read_text(encoding="utf-8"))

    def events_query(self, call):
        """spec: listOrganizationEvents needs `field` and `dataset`; each row holds the fields asked for
        that the example has; pages by cursor like every list."""
        fields = call.query.get("field", [])
        if not fields or "dataset" not in call.query:
            return 400, {"detail": "No columns selected" if not fields else "dataset is required"}, {}
        body = self.events_query_body()
        rows = [{name: row[name] for name in fields if name in row} for row in body["data"]]
        size = int(call.query.get("per_page", ["100"])[-1])
        offset = int(call.query.get("cursor", ["0:0:0"])[-1].split(":")[1])
        page = rows[offset:offset + size]
        headers = {}
        if offset + size < len(rows):
            headers["Link"] = (f'<x>; rel="previous"; results="false"; cursor="0:{offset}:1", '
                               f'<x>; rel="next"; results="true"; cursor="0:{offset + size}:0"')
        meta = {"fields": {name: body["meta"]["fields"].get(name, "string") for name in fields}}
        return 200, {"data": page, "meta": meta}, headers
