"""The tests' own model of a Sentry-compatible server: recorded bodies served by path.

It imports nothing from the product: the tests check the client against real
recordings and Sentry's API description, not against the client's own idea of
them. Comments name each behaviour's source: "recorded: NAME" is an exchange with
a real GlitchTip (the glitchtip-api recording NAME), "spec" is Sentry's
API description (its OpenAPI file and server code; shared/api/facts.md).

Bodies come from tests/data/standin/ (see its README). Dialect "sentry" answers
the organization-scoped paths as sentry.io does; "glitchtip" as GlitchTip 5.x
does, where only the older /api/0/issues/{id}/... paths work. The issues live in
memory: writes change them, later reads show it.

ServerModel().route(method, path, query, payload, dialect) -> (status, body, headers),
from the path table ROUTES; any other path is 404 for GET, 405 otherwise.
"""

from __future__ import annotations

import copy
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

DATA = Path(__file__).parent / "data" / "standin"
ORG = "/api/0/organizations/acme"
# The issues whose own detail, events and latest event were recorded; the others come in the lists only.
DETAILED = {"16": "flask_checkout", "17": "flask_orders", "20": "express_typeerror"}

HTML = {"Content-Type": "text/html; charset=utf-8"}
# GlitchTip's 404 page for a path it has no route for (recorded: org_shortids; the real page carries a 73 KB inline font).
HTML_404 = b"<!DOCTYPE html><html><head><title>GlitchTip</title></head><body>Not Found</body></html>"
# GlitchTip's 500 page for an unrouted path under /issues (recorded: org_issue_events, byte for byte).
HTML_500 = (b"<!doctype html>\n<html lang=\"en\">\n<head>\n  <title>Server Error (500)</title>\n</head>\n"
            b"<body>\n  <h1>Server Error (500)</h1><p></p>\n</body>\n</html>\n")
NOT_FOUND = {"detail": "The requested resource does not exist"}  # spec: Sentry's ResourceDoesNotExist
EVENT_NOT_FOUND = {"detail": "Event not found"}


@lru_cache(maxsize=None)
def _parsed(name: str):
    return json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))


def recorded(name: str):
    """A fresh copy of the recorded body tests/data/standin/NAME.json."""
    return copy.deepcopy(_parsed(name))


# --- the path table --------------------------------------------------------------
# (dialect: "both" or "glitchtip", method or "*", path template, handler). The first
# row whose dialect, path and method match answers. A template field is {name} (one
# path segment) or {name:kind} with a kind from FIELDS.

ROUTES = [
    # GlitchTip lacks these organization-scoped routes; listed first, so they win on that dialect.
    ("glitchtip", "*", ORG + "/shortids/{ident}/", "html_404"),                # recorded: org_shortids
    ("glitchtip", "*", ORG + "/eventids/{ident}/", "html_404"),                # recorded: org_eventids
    ("glitchtip", "GET", ORG + "/issues/{issue}/", "get_not_allowed"),         # recorded: org_issue_get (405, Allow: PUT)
    ("glitchtip", "*", ORG + "/issues/{issue}/events/{rest:any}", "html_500"),  # recorded: org_issue_events, _event_latest
    ("both", "GET", ORG + "/issues/", "issue_list"),                            # spec
    ("both", "PUT", ORG + "/issues/", "bulk_update"),                           # spec: bulk change by repeated id=
    ("both", "GET", "/api/0/projects/acme/{project}/issues/", "project_issue_list"),  # spec: the older, deprecated list
    ("both", "GET", ORG + "/shortids/{ident}/", "short_id"),                    # spec
    ("both", "GET", ORG + "/eventids/{event_id:hex32}/", "event_id"),           # spec
    ("both", "GET", "/api/0/projects/acme/{project}/events/{event_id:hex32}/", "project_event"),  # spec; recorded: project_event_detail
]
# One issue, on the organization path (numeric or short id: spec) and on the older top-level
# path (numeric ids only: spec; on GlitchTip the one that works: recorded issue_detail, issue_events_plain).
for _prefix in (ORG + "/issues/{issue}/", "/api/0/issues/{issue:int}/"):
    ROUTES += [("both", "GET", _prefix, "issue_detail"),
               ("both", "PUT", _prefix, "issue_update"),
               ("both", "DELETE", _prefix, "issue_delete"),
               ("both", "GET", _prefix + "events/", "issue_events"),
               ("both", "GET", _prefix + "events/{which}/", "issue_event")]

FIELDS = {"": "[^/]+", "int": r"\d+", "hex32": "[0-9a-f]{32}", "any": ".*"}


def _compile(template: str) -> re.Pattern:
    def field(match):
        name, _, kind = match.group(1).partition(":")
        return f"(?P<{name}>{FIELDS[kind]})"
    return re.compile(re.sub(r"\{([^}]+)\}", field, template))


_TABLE = [(dialect, method, _compile(template), handler) for dialect, method, template, handler in ROUTES]


class Call(NamedTuple):
    method: str
    path: str
    query: dict       # parse_qs form: name -> [values]
    payload: object   # the JSON body of a write, or None
    dialect: str
    args: dict        # the path template's fields


class ServerModel:
    # Where Link headers point. Not the stand-in's own address, as a real server's would be: the
    # client reads only the cursor, and test_security's cassette check counts on that address missing.
    link_base = "https://sentry.invalid"

    def __init__(self):
        self.issues = self.body("org_issues_backend") + self.body("org_issues_frontend")
        self.issues.sort(key=lambda issue: issue["lastSeen"], reverse=True)  # spec: newest first by default
        self.changes: dict = {}  # issue id -> the fields writes changed, laid over a recorded detail body

    def body(self, name: str):
        """The body recorded as NAME (tests/audit_corpus.py serves planted copies instead)."""
        return recorded(name)

    def route(self, method, path, query, payload=None, dialect="sentry"):
        for route_dialect, route_method, pattern, handler in _TABLE:
            match = pattern.fullmatch(path) if route_dialect in ("both", dialect) else None
            if match and route_method in ("*", method):
                call = Call(method, path, query, payload, dialect, match.groupdict())
                status, body, headers = getattr(self, handler)(call)
                if dialect == "glitchtip" and "Link" in headers:  # a Python set repr (recorded: issues_limit1_page1)
                    headers = {**headers, "Link": "{'" + headers["Link"] + "'}"}
                return status, body, headers
        if method == "GET":
            return 404, NOT_FOUND, {}
        return 405, {"detail": f"Method \"{method}\" not allowed."}, {}  # spec: Sentry's (DRF's) 405 body

    # -- GlitchTip's answers for routes it lacks --------------------------------------

    def html_404(self, call):
        return 404, HTML_404, HTML

    def html_500(self, call):
        return 500, HTML_500, HTML

    def get_not_allowed(self, call):
        return 405, b"Method not allowed", {**HTML, "Allow": "PUT"}

    # -- issue lists ---------------------------------------------------------------------

    def issue_list(self, call):
        if call.dialect == "glitchtip" and call.query.get("shortIdLookup") == ["1"]:
            return 200, [], {}  # GlitchTip cannot look a short id up (recorded: issues_query_short_id answers [])
        return self.search(call.path, call.query, call.dialect)

    def project_issue_list(self, call):
        return self.search(call.path, {**call.query, "project": [call.args["project"]]}, call.dialect)

    def search(self, path, query, dialect="sentry"):
        items = self.issues
        projects = set(query.get("project", []))
        if projects:  # spec: project ids (recorded: issues_project_id); slugs as on sentry.io since mid-2026
            items = [i for i in items if i["project"]["slug"] in projects or i["project"]["id"] in projects]
        text = (query.get("query") or ["is:unresolved"])[0]  # spec: the default query; `query=` means everything
        if query.get("shortIdLookup") == ["1"]:
            hit = self.find_issue(text.strip())
            if hit:  # spec: a short id with shortIdLookup=1 is a direct hit
                return 200, [hit], {"X-Sentry-Direct-Hit": "1"}
        for word in text.split():
            if re.fullmatch(r"[0-9a-f]{32}", word):  # an event id finds its issue (recorded: issues_query_event_id)
                owners = {issue_id for issue_id in DETAILED if self.find_event(word, [issue_id])}
                items = [{**i, "matchingEventId": word} for i in items if i["id"] in owners]
            elif word.startswith("is:"):  # spec: is:unresolved, is:resolved, is:ignored
                items = [i for i in items if i["status"] == word[3:]]
            elif ":" not in word:  # spec: free text searches the title (the short id too: this model's own)
                items = [i for i in items if word.lower() in (i["title"] + i["shortId"]).lower()]
        # Both take `limit` here (spec; recorded: issues_limit1_page1); GlitchTip ignores `per_page`
        # (recorded: issues_per_page1, all 22 issues for per_page=1).
        return self.page(path, query, items, "limit", dialect)

    def page(self, path, query, items, size_param, dialect="sentry"):
        """Offset cursors `0:{offset}:0` (spec: Sentry's value:offset:is_prev) with Link and X-Hits (spec).

        Only `size_param` sets the page size; any other size parameter is ignored, as real
        servers ignore what they do not know. Without it a page holds 100 (spec: Sentry's
        default per_page), or 50 on GlitchTip (its source: NINJA_PAGINATION_PER_PAGE).
        """
        default = "50" if dialect == "glitchtip" else "100"
        size = int((query.get(size_param) or [default])[0])
        offset = int(((query.get("cursor") or ["0:0:0"])[0].split(":") + ["0"])[1])
        more = offset + size < len(items)
        base = f"{self.link_base}{path}"
        following = f'; cursor="0:{offset + size}:0"'
        if dialect == "glitchtip" and not more:
            following = ""  # no cursor where results="false" (recorded: issue_events_limit1_page2)
        link = (f'<{base}>; rel="previous"; results="false"; cursor="0:0:1", '
                f'<{base}>; rel="next"; results="{str(more).lower()}"{following}')
        return 200, items[offset:offset + size], {"Link": link, "X-Hits": str(len(items))}

    # -- lookups -------------------------------------------------------------------------

    def short_id(self, call):
        issue = self.find_issue(call.args["ident"])
        if not issue:
            return 404, {"detail": "Short ID not found"}, {}
        return 200, {"organizationSlug": "acme", "projectSlug": issue["project"]["slug"],  # spec: ShortIdLookup
                     "groupId": issue["id"], "shortId": issue["shortId"], "group": issue}, {}

    def event_id(self, call):
        found = self.find_event(call.args["event_id"])
        if not found:
            return 404, EVENT_NOT_FOUND, {}
        issue_id, event = found
        return 200, {"organizationSlug": "acme", "groupId": issue_id,  # spec: EventIdLookup
                     "eventId": call.args["event_id"], "event": event}, {}

    def project_event(self, call):
        found = self.find_event(call.args["event_id"])
        return (200, found[1], {}) if found else (404, EVENT_NOT_FOUND, {})

    # -- one issue -----------------------------------------------------------------------

    def issue_detail(self, call):
        issue = self.find_issue(call.args["issue"])
        return (200, self.issue_body(issue), {}) if issue else (404, NOT_FOUND, {})

    def issue_events(self, call):
        issue = self.find_issue(call.args["issue"])
        if not issue:
            return 404, NOT_FOUND, {}
        # Sentry pages an issue's events by `per_page` alone (spec: the endpoint's parameters;
        # its server code reads per_page, never limit); GlitchTip by `limit` alone, with a real
        # next cursor (recorded: issue_events_limit1, issue_events_limit1_page2), ignoring
        # `per_page` (recorded: issue_events_per_page1, both events for per_page=1).
        size_param = "limit" if call.dialect == "glitchtip" else "per_page"
        return self.page(call.path, call.query, self.events(issue["id"]), size_param, call.dialect)

    def issue_event(self, call):
        issue = self.find_issue(call.args["issue"])
        if not issue:
            return 404, NOT_FOUND, {}
        event = self.pick_event(issue["id"], call.args["which"])
        return (200, event, {}) if event else (404, EVENT_NOT_FOUND, {})

    # -- writes: kept in memory for the life of the model -----------------------------------

    def bulk_update(self, call):
        ids = call.query.get("id") or []
        if not ids:  # the tests' own guard: without id= a real server changes every issue (spec)
            return 400, {"detail": "This stand-in wants explicit ids."}, {}
        for ident in ids:
            issue = self.find_issue(ident)  # an unknown id is passed over (recorded: org_issues_bulk_missing_id)
            error = self.apply(issue, call.payload or {}) if issue else None
            if error:
                return 400, {"detail": error}, {}
        return 200, dict(call.payload or {}), {}  # the change echoed back (recorded: org_issues_bulk_resolve)

    def issue_update(self, call):
        issue = self.find_issue(call.args["issue"])
        if not issue:
            return 404, NOT_FOUND, {}
        error = self.apply(issue, call.payload or {})
        return (400, {"detail": error}, {}) if error else (200, self.issue_body(issue), {})  # spec: the issue

    def issue_delete(self, call):
        issue = self.find_issue(call.args["issue"])
        if not issue:
            return 404, NOT_FOUND, {}
        self.issues.remove(issue)  # gone for later reads at once (recorded: issue_get_right_after_delete)
        return 202, None, {}  # spec: DELETE answers 202

    def apply(self, issue, change):
        """Lay a PUT body over the issue (spec: status values, assignedTo, resolvedInNextRelease)."""
        if change.get("status") not in (None, "resolved", "unresolved", "ignored", "resolvedInNextRelease"):
            return f"{change['status']!r} is not a valid status"
        for key, value in change.items():
            if key == "assignedTo":  # spec: a username or email, team:<id>, or "" to unassign
                kind, _, ident = value.partition(":") if value.startswith("team:") else ("user", "", value)
                value = {"type": kind, "id": ident, "name": ident} if value else None
            if key == "status" and value == "resolvedInNextRelease":
                value, issue["statusDetails"] = "resolved", {"inNextRelease": True}
            issue[key] = value
        self.changes.setdefault(issue["id"], {}).update({k: issue[k] for k in [*change, "statusDetails"] if k in issue})
        return None

    # -- the recorded data -----------------------------------------------------------------

    def find_issue(self, ident):
        """By numeric id or short id, in any case (spec: the issue path takes either)."""
        ident = ident.upper()
        return next((i for i in self.issues if i["id"] == ident or i["shortId"] == ident), None)

    def issue_body(self, issue):
        name = DETAILED.get(issue["id"])
        return {**self.body(f"{name}_issue"), **self.changes.get(issue["id"], {})} if name else issue

    def events(self, issue_id):
        name = DETAILED.get(issue_id)
        return self.body(f"{name}_events") if name else []

    def pick_event(self, issue_id, which):
        """latest, oldest, recommended (spec) or an event id."""
        name = DETAILED.get(issue_id)
        if which in ("latest", "recommended") and name:
            return self.body(f"{name}_event_latest")
        events = self.events(issue_id)
        if which == "oldest" and events:
            return events[-1]  # the list is newest first (recorded: issue_events_plain)
        return next((e for e in events if e.get("event_id") == which), None)

    def find_event(self, event_id, issue_ids=DETAILED):
        """(issue id, event from its list) for an event id, or None."""
        for issue_id in issue_ids:
            for event in self.events(issue_id):
                if event.get("event_id") == event_id:
                    return issue_id, event
        return None


def generate_issues(issues: list, count: int) -> list:
    """`count` issues shaped exactly like the recorded ones, with new ids."""
    out = []
    for n in range(count):
        issue = copy.deepcopy(issues[n % len(issues)])
        issue["id"] = str(1000 + n)
        issue["shortId"] = f"{issue['project']['slug'].upper()}-{1000 + n:X}"
        out.append(issue)
    return out
