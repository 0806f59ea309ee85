"""Finding issues and events by what the user has: numeric id, short id, event id.

Sentry answers organization-scoped paths, which also take a short id in place
of the numeric one, so on sentry.io one request is enough. Servers without
those paths (GlitchTip, older self-hosted Sentry) get the older `/issues/{id}/`
paths, after the short id is turned into a numeric id.
"""

from __future__ import annotations

import threading

from .errors import NotFound, SentryError, route_missing
from .ids import IssueRef, seg

EVENT_READ = "event:read"
PROJECT_READ = "project:read"
ORG_READ = "org:read"
# A server either has the organization-scoped issue paths or none of them, so
# one probe decides for every issue-scoped request of that method.
ISSUE_ROUTE = "/organizations/{org}/issues/{issue}/*"
# The lookups, by their paths; each is also the route under which the client
# remembers how far down its ways (below) this server must start.
SHORT_ID_PATH = "/organizations/{org}/shortids/{short_id}/"
EVENT_ID_PATH = "/organizations/{org}/eventids/{event}/"
# Ways to a short id: 0 the lookup path, 1 the issue search with shortIdLookup=1,
# 2 a walk of the issue list (GlitchTip's search answers [] for a short id).
BY_SEARCH, BY_WALK = 1, 2
SHORT_ID_SCAN_LIMIT = 1000  # issues walked when a server cannot look a short id up

_lock = threading.Lock()


def org_issue_path(org: str, issue: str, suffix: str = "") -> str:
    return f"/organizations/{seg(org)}/issues/{seg(issue)}/{suffix}"


def numeric_issue_id(client, org: str, ref: IssueRef, scope: str = EVENT_READ) -> str:
    """The numeric id, looking a short id up once per client. `scope` is what a 403 names:
    a write's own scope, when the lookup is the first step of a write."""
    if not ref.is_short_id:
        return ref.value
    cache = client.__dict__.setdefault("_short_ids", {})
    with _lock:
        if ref.value not in cache:
            issue = lookup_short_id(client, org, ref.value, scope=scope)
            cache[ref.value] = str(issue["id"])
            client.__dict__.setdefault("_short_id_issues", {})[ref.value] = issue
        return cache[ref.value]


def issue_found_by_lookup(client, org: str, ref: IssueRef) -> dict | None:
    """The issue that a short-id lookup returned, where this server needs that lookup anyway
    (it lacks the organization-scoped issue paths): asking for the issue again would repeat it."""
    if not ref.is_short_id or not client.routes.first(f"GET {ISSUE_ROUTE}"):
        return None
    numeric_issue_id(client, org, ref)
    return client.__dict__.get("_short_id_issues", {}).get(ref.value)


def issue_paths(client, org: str, ref: IssueRef, suffix: str = "") -> list:
    """The org-scoped path, then the older top-level one (looked up lazily)."""
    return [org_issue_path(org, ref.value, suffix),
            lambda: f"/issues/{seg(numeric_issue_id(client, org, ref))}/{suffix}"]


def get_issue(client, org: str, ref: IssueRef, params=None) -> dict:
    return client.get_first(ISSUE_ROUTE, issue_paths(client, org, ref), params, scope=EVENT_READ, expect=dict)


def get_issue_event(client, org: str, ref: IssueRef, which: str) -> dict:
    """`which` is latest, oldest, recommended or an event id."""
    return client.get_first(ISSUE_ROUTE, issue_paths(client, org, ref, f"events/{seg(which)}/"), scope=EVENT_READ,
                            expect=dict)


def lookup_short_id(client, org: str, short_id: str, scope: str = EVENT_READ) -> dict:
    """Short id -> the issue object, by the first way that works on this server. `scope` is
    what a 403 names (a write's own, when the lookup is its first step)."""
    route = f"GET {SHORT_ID_PATH}"
    if client.routes.first(route) < BY_SEARCH:
        try:
            found = client.get(SHORT_ID_PATH.format(org=seg(org), short_id=seg(short_id)),
                               scope=scope, expect=dict)
        except SentryError as exc:
            if not route_missing(exc):
                raise
            client.routes.learn(route, BY_SEARCH)
        else:
            group = found.get("group")
            if isinstance(group, dict) and group.get("id"):
                return group
            if found.get("groupId"):
                return get_issue(client, org, IssueRef(str(found["groupId"]), False))
            raise NotFound(f"No issue with short id {short_id} in {org}.")
    return _find_short_id_in_list(client, org, short_id, route, scope)


def _find_short_id_in_list(client, org: str, short_id: str, route: str, scope: str = EVENT_READ) -> dict:
    """For servers without /shortids/: ask the issue search (unless it is known not to help), then walk the list."""
    path = f"/organizations/{seg(org)}/issues/"
    walked = client.__dict__.get("_walked_issues", {})  # a walk of this command (issue-detail A B C) found it
    if short_id.upper() in walked:
        return walked[short_id.upper()]
    searched = client.routes.first(route) < BY_WALK
    if searched:
        hits = client.get(path, {"query": short_id, "shortIdLookup": "1"}, scope=scope, expect=list)
        match = _match_short_id(hits, short_id)
        if match:
            return match
    items, _ = client.paginate(path, {"query": ""}, limit=SHORT_ID_SCAN_LIMIT, scope=scope)
    client.__dict__.setdefault("_walked_issues", {}).update(
        (str(item["shortId"]).upper(), item) for item in items if isinstance(item, dict) and item.get("shortId"))
    match = _match_short_id(items, short_id)
    if match:
        if searched:  # the search missed an issue that exists: it cannot find short ids here
            client.routes.learn(route, BY_WALK)
        return match
    raise NotFound(f"No issue with short id {short_id} in {org}.",
                   hint="Check the short id; list-issues --query '' lists every issue.")


def _match_short_id(items, short_id: str):
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and str(item.get("shortId", "")).upper() == short_id.upper():
            return item
    return None


def lookup_event_id(client, org: str, event_id: str) -> dict:
    """Event id -> {"issueId", "project", "event"} with the full event; on older servers
    also "issue", the issue their search found."""
    route = f"GET {EVENT_ID_PATH}"
    if not client.routes.first(route):
        try:
            found = client.get(EVENT_ID_PATH.format(org=seg(org), event=seg(event_id)), scope=ORG_READ, expect=dict)
        except SentryError as exc:
            if not route_missing(exc):
                raise
            client.routes.learn(route, 1)
        else:
            return {"issueId": found.get("groupId"), "project": found.get("projectSlug"),
                    "event": found.get("event") or {}}
    hits = client.get(f"/organizations/{seg(org)}/issues/", {"query": event_id}, scope=EVENT_READ, expect=list)
    if not hits:
        raise NotFound(f"No event with id {event_id} in {org}.",
                       hint="Events expire with the retention period; check the id.")
    issue = hits[0]
    event = get_issue_event(client, org, IssueRef(str(issue["id"]), False), event_id)
    project = issue.get("project") or {}
    return {"issueId": str(issue["id"]), "project": project.get("slug"), "event": event, "issue": issue}
