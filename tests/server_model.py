"""The tests' own model of a Sentry-compatible server: recorded bodies served by path.

It imports nothing from the product: the tests check the client against real
recordings and Sentry's API description, not against the client's own idea of
them. Comments name each behaviour's source: "recorded: NAME" is an exchange with
a real GlitchTip (the glitchtip-api recording NAME), "spec" is Sentry's
API description (its OpenAPI file and server code; shared/api/facts.md).

Bodies come from tests/data/standin/ (see its README). Dialect "sentry" answers
the organization-scoped paths as sentry.io does; "sentry-old" as Sentry releases
before mid-2026 (most self-hosted installs) do, which differ only in the issue
list's `project` parameter (ids only; slugs go in `projectSlug`); "glitchtip" as
GlitchTip 5.x does, where only the older /api/0/issues/{id}/... paths work. The
issues live in memory: writes change them, later reads show it (the writes:
server_writes.py).

ServerModel().route(method, path, query, payload, dialect) -> (status, body, headers),
from the path table ROUTES; any other path is 404 for GET, 405 otherwise.
"""

from __future__ import annotations

import copy
import json
import math
import re
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from server_keys import Keys
from server_orgs import Organization
from server_teams import Teams
from server_members import Members
from server_releases import Releases
from server_issue_data import IssueData
from server_stats import Stats
from server_writes import Writes

DATA = Path(__file__).parent / "data" / "standin"
SPEC_PEOPLE = Path(__file__).parent / "data" / "spec" / "people.json"  # people as the spec's examples show them
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
PERMISSION_DENIED = {"detail": "You do not have permission to perform this action."}  # spec: DRF's PermissionDenied
DIALECTS = ("sentry", "sentry-old", "glitchtip")
# Sentry's issue sorts (spec: the `sort` enum of the issue list) and what this model orders by for them.
SENTRY_SORTS = {"date": "-lastSeen", "new": "-firstSeen", "freq": "-count", "user": "-userCount",
                "trends": None, "recommended": None, "inbox": None}  # None: Sentry's own scores, not modelled
# GlitchTip's sorts (recorded: issues_sort_*): these four, ascending unless '-'; the default is -last_seen.
GLITCHTIP_SORTS = {"last_seen": "lastSeen", "first_seen": "firstSeen", "count": "count", "priority": "priority"}
# GlitchTip's 422 for a sort it lacks, byte for byte (recorded: issues_sort_date, issues_sort_freq, issues_sort_user).
GLITCHTIP_SORT_422 = {
    "type": "literal_error", "loc": ["query", "sort"],
    "msg": "Input should be 'last_seen', 'first_seen', 'count', 'priority', '-last_seen', '-first_seen', "
           "'-count' or '-priority'",
    "ctx": {"expected": "'last_seen', 'first_seen', 'count', 'priority', '-last_seen', '-first_seen', "
                        "'-count' or '-priority'"}}


@lru_cache(maxsize=None)
def _parsed(name: str):
    return json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))


def recorded(name: str):
    """A fresh copy of the recorded body tests/data/standin/NAME.json."""
    return copy.deepcopy(_parsed(name))


def spec_person(name: str) -> dict:
    """A person from the spec's examples (tests/data/spec/people.json)."""
    return copy.deepcopy(json.loads(SPEC_PEOPLE.read_text(encoding="utf-8"))[name])


def spec_users() -> list:
    """The end users of a project as the spec's example shows them (tests/data/spec/project_users.json)."""
    return json.loads((SPEC_PEOPLE.parent / "project_users.json").read_text(encoding="utf-8"))


# The user the token belongs to, serialized whole as Sentry serializes a user (spec: the
# members example's `user`): the `actor` Sentry puts in statusDetails when it resolves in a
# release or a commit, or archives until a condition (spec: its update_groups).
ACTING_USER = spec_person("member")["user"]


# --- the path table --------------------------------------------------------------
# (dialect: "both" or "glitchtip", method or "*", path template, handler). The first
# row whose dialect, path and method match answers. A template field is {name} (one
# path segment) or {name:kind} with a kind from FIELDS.

ROUTES = [
    # GlitchTip lacks these organization-scoped routes; listed first, so they win on that dialect.
    ("glitchtip", "*", ORG + "/shortids/{ident}/", "html_404"),                # recorded: org_shortids
    ("glitchtip", "*", ORG + "/eventids/{ident}/", "html_404"),                # recorded: org_eventids
    ("glitchtip", "GET", ORG + "/issues/{issue}/", "get_not_allowed"),         # recorded: org_issue_get (405, Allow: PUT)
    ("glitchtip", "DELETE", ORG + "/issues/{issue:int}/", "write_not_allowed"),  # recorded: org_issue_delete
    ("glitchtip", "*", ORG + "/issues/{issue}/events/{rest:any}", "html_500"),  # recorded: org_issue_events, _event_latest
    # Tags: GlitchTip has /api/0/issues/{id}/tags/ alone (recorded: org_issue_tags, org_issue_tag_values,
    # issue_tag_detail, issue_tag_values are 500 pages); hashes on the organization path, numeric ids only
    # (its apps/issue_events/api/hashes.py; live: a short id there and /api/0/issues/1/hashes/ are 500 pages).
    ("glitchtip", "*", ORG + "/issues/{issue}/tags/{rest:any}", "html_500"),
    ("glitchtip", "*", "/api/0/issues/{issue}/tags/{key}/{rest:any}", "html_500"),
    ("glitchtip", "GET", ORG + "/issues/{issue:word}/hashes/", "html_500"),
    ("glitchtip", "GET", "/api/0/issues/{issue}/hashes/", "html_500"),
    # Only numeric ids are routes on GlitchTip: a write with a short id falls into the web
    # app's catch-all, where Django's CSRF check answers (recorded: org_issue_put_short_id, issue_put_short_id).
    ("glitchtip", "PUT", ORG + "/issues/{ident:word}/", "csrf_403"),
    ("glitchtip", "PUT", "/api/0/issues/{ident:word}/", "csrf_403"),
    ("glitchtip", "DELETE", ORG + "/issues/{ident:word}/", "csrf_403"),
    ("glitchtip", "DELETE", "/api/0/issues/{ident:word}/", "csrf_403"),
    ("both", "GET", "/api/0/", "api_root"),                                     # spec; recorded: api_root
    ("both", "GET", "/api/0/users/me/", "users_me"),                            # spec; recorded: users_me
    ("both", "GET", ORG + "/issues/", "issue_list"),                            # spec
    ("both", "GET", ORG + "/projects/", "org_projects"),                        # spec; recorded: org_projects
    ("both", "PUT", ORG + "/issues/", "bulk_update"),                           # spec: bulk change by repeated id=
    # GlitchTip: apps/issue_events/api/issues.py delete_issues, the filters of the bulk PUT (not recorded: it destroys).
    ("both", "DELETE", ORG + "/issues/", "bulk_delete"),                        # spec: "Bulk Remove an Organization's Issues"
    ("both", "GET", "/api/0/projects/acme/{project}/issues/", "project_issue_list"),  # spec: the older, deprecated list
    ("both", "GET", ORG + "/shortids/{ident}/", "short_id"),                    # spec
    ("both", "GET", ORG + "/eventids/{event_id:hex32}/", "event_id"),           # spec
    ("both", "GET", "/api/0/projects/acme/{project}/events/{event_id:hex32}/", "project_event"),  # spec; recorded: project_event_detail
    ("both", "GET", "/api/0/projects/acme/{project}/events/", "project_events"),  # spec; recorded: project_events
    # Client keys: a key id is a dashed UUID on GlitchTip (its `{uuid:key_id}` route); any other id is
    # no route, and a write to a path without a route meets Django's CSRF check (as for issues above).
    ("glitchtip", "DELETE", "/api/0/projects/acme/{project}/keys/{key_id:nouuid}/", "csrf_403"),
    ("both", "GET", "/api/0/projects/acme/{project}/keys/", "project_keys"),     # spec; recorded: project_keys
    ("both", "POST", "/api/0/projects/acme/{project}/keys/", "project_key_create"),  # spec; recorded: project_key_create
    ("both", "DELETE", "/api/0/projects/acme/{project}/keys/{key_id}/", "project_key_delete"),  # spec; recorded: project_key_delete
    # The organization and its projects (their handlers: server_orgs.py).
    ("both", "GET", "/api/0/organizations/", "org_list"),                       # spec; recorded: orgs_list
    ("both", "GET", ORG + "/", "org_detail"),                                   # spec; recorded: org_detail
    ("both", "PUT", ORG + "/", "org_update"),                                   # spec; recorded: org_update_*
    ("both", "POST", "/api/0/teams/acme/{team}/projects/", "project_create"),   # spec; recorded: project_create
    # GlitchTip has no project users: the path falls into the web app's catch-all (recorded: project_users).
    ("glitchtip", "GET", "/api/0/projects/acme/{project}/users/", "html_500"),
    ("both", "GET", "/api/0/projects/acme/{project}/users/", "project_users"),  # spec
    ("both", "GET", "/api/0/projects/acme/{project}/teams/", "project_teams"),  # spec; recorded: project_teams
    ("both", "GET", "/api/0/projects/acme/{project}/", "project_detail"),       # spec; recorded: project_detail
    ("both", "PUT", "/api/0/projects/acme/{project}/", "project_update"),       # spec; recorded: project_update
    ("both", "DELETE", "/api/0/projects/acme/{project}/", "project_delete"),    # spec; recorded: project_delete
    # Teams: the same paths on both (spec; recorded: teams_list, team_detail, team_create, team_update,
    # team_delete, team_projects, team_members); server_teams.py answers them.
    ("both", "GET", ORG + "/teams/", "team_list"),
    ("both", "POST", ORG + "/teams/", "team_create"),
    ("both", "GET", "/api/0/teams/acme/{team}/", "team_detail"),
    ("both", "PUT", "/api/0/teams/acme/{team}/", "team_update"),
    ("both", "DELETE", "/api/0/teams/acme/{team}/", "team_delete"),
    ("both", "GET", "/api/0/teams/acme/{team}/projects/", "team_projects"),
    ("both", "GET", "/api/0/teams/acme/{team}/members/", "team_members"),
    # The organization's members (server_members.py).
    # Event counts and the events query (server_stats.py). GlitchTip has no events query
    # (recorded: org_events_query, its HTML 404) and no project stats (recorded: project_stats, HTML 500).
    ("glitchtip", "GET", ORG + "/events/", "html_404"),
    ("glitchtip", "GET", "/api/0/projects/acme/{project}/stats/", "html_500"),
    ("both", "GET", ORG + "/events/", "events_query"),                          # spec
    ("both", "GET", ORG + "/stats_v2/", "stats_v2"),                            # spec; recorded: org_stats_v2_*
    ("both", "GET", ORG + "/members/", "member_list"),                          # spec; recorded: members_list
    ("both", "POST", ORG + "/members/", "member_invite"),                       # spec; recorded: member_invite
    ("both", "GET", ORG + "/members/{member:int}/", "member_detail"),           # spec; recorded: member_detail
    ("both", "PUT", ORG + "/members/{member:int}/", "member_update"),           # spec; recorded: member_update_role
    ("both", "DELETE", ORG + "/members/{member:int}/", "member_delete"),        # spec; recorded: member_delete
    # Releases (server_releases.py). GlitchTip has no commits and no deploys: the paths fall into the web
    # app's catch-all (recorded: release_commits and release_deploys_list 500, release_deploy_create 403 CSRF).
    ("glitchtip", "GET", ORG + "/releases/{version}/commits/", "html_500"),
    ("glitchtip", "GET", ORG + "/releases/{version}/deploys/", "html_500"),
    ("glitchtip", "POST", ORG + "/releases/{version}/deploys/", "csrf_403"),
    ("both", "GET", ORG + "/releases/", "release_list"),                        # spec; recorded: releases_list
    ("both", "POST", ORG + "/releases/", "release_create"),                     # spec; recorded: release_create
    ("both", "GET", "/api/0/projects/acme/{project}/releases/", "project_release_list"),  # spec; recorded: project_releases
    ("both", "GET", ORG + "/releases/{version}/", "release_detail"),            # spec; recorded: release_detail
    ("both", "PUT", ORG + "/releases/{version}/", "release_update"),            # spec; recorded: release_update
    ("both", "DELETE", ORG + "/releases/{version}/", "release_delete"),         # spec; recorded: release_delete
    ("both", "GET", ORG + "/releases/{version}/commits/", "release_commits"),   # spec
    ("both", "GET", ORG + "/releases/{version}/deploys/", "release_deploys"),   # spec
    ("both", "POST", ORG + "/releases/{version}/deploys/", "release_deploy_create"),  # spec
]
# One issue, on the organization path (numeric or short id: spec) and on the older top-level
# path (numeric ids only: spec; on GlitchTip the one that works: recorded issue_detail, issue_events_plain).
for _prefix in (ORG + "/issues/{issue}/", "/api/0/issues/{issue:int}/"):
    ROUTES += [("both", "GET", _prefix, "issue_detail"),
               ("both", "PUT", _prefix, "issue_update"),
               ("both", "DELETE", _prefix, "issue_delete"),
               ("both", "GET", _prefix + "events/", "issue_events"),
               ("both", "GET", _prefix + "events/{which}/", "issue_event"),
               ("both", "GET", _prefix + "tags/", "issue_tags"),                      # spec; recorded: issue_tags
               ("both", "GET", _prefix + "tags/{key}/values/", "issue_tag_values"),   # spec
               ("both", "GET", _prefix + "hashes/", "issue_hashes")]                  # spec; live

FIELDS = {"": "[^/]+", "int": r"\d+", "word": r"(?!\d+/)[^/]+", "hex32": "[0-9a-f]{32}", "any": ".*",
          "nouuid": r"(?![0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/)[^/]+"}


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


class ServerModel(Writes, Keys, Teams, Organization, Members, Releases, IssueData, Stats):
    # Where Link headers point. Not the stand-in's own address, as a real server's would be: the
    # client reads only the cursor, and test_security's cassette check counts on that address missing.
    link_base = "https://sentry.invalid"
    token = ""  # the caller's token, which GlitchTip's GET /api/0/ echoes (recorded: api_root); set by the stand-in

    def __init__(self):
        self.teams = [recorded("team_detail")]
        self.issues = self.body("org_issues_backend") + self.body("org_issues_frontend")
        self.issues.sort(key=lambda issue: issue["lastSeen"], reverse=True)  # spec: newest first by default
        self.changes: dict = {}  # issue id -> the fields writes changed, laid over a recorded detail body
        self.org = self.body("org_detail")
        self.projects = self.body("org_projects")
        self.init_members()

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

    def no_issue(self, call):
        if call.dialect == "glitchtip":
            return 404, {"detail": "Not Found"}, {}  # recorded: issue_delete_missing, org_issue_put_missing
        return 404, NOT_FOUND, {}

    # -- who the token is ---------------------------------------------------------------------

    def api_root(self, call):
        """The token's user and scopes. Sentry: spec, src/sentry/api/endpoints/index.py (no
        user for an organization token, whose scope is org:ci); GlitchTip: recorded api_root,
        which also echoes the token itself."""
        answer = self.body("api_root")
        if call.dialect == "glitchtip":
            answer["auth"]["token"] = self.token
            return 200, answer, {}
        if self.token.startswith("sntrys_"):
            return 200, {"version": "0", "auth": {"scopes": ["org:ci"]}, "user": None}, {}
        return 200, {"version": "0", "auth": {"scopes": answer["auth"]["scopes"]}, "user": answer["user"]}, {}

    def users_me(self, call):
        return 200, self.body("users_me"), {}  # spec; recorded: users_me

    # -- issue lists ---------------------------------------------------------------------

    def issue_list(self, call):
        if call.dialect == "glitchtip" and call.query.get("shortIdLookup") == ["1"]:
            return 200, [], {}  # GlitchTip cannot look a short id up (recorded: issues_query_short_id answers [])
        if call.dialect != "glitchtip" and call.query.get("group"):
            # spec: organization_group_index.py, given group ids the list is those issues (of the
            # projects asked for, all without project=), whatever the query, on one page.
            asked, wanted = self.projects_asked(call), set(call.query["group"])
            if asked is PERMISSION_DENIED:
                return 403, PERMISSION_DENIED, {}
            return 200, [i for i in self.issues if i["id"] in wanted and (asked is None or asked(i))], {}
        refused = self.refuse_list_query(call)
        if refused:
            return refused
        asked = self.projects_asked(call)
        if call.dialect == "glitchtip" and call.query.get("id") and asked is not PERMISSION_DENIED:
            # GlitchTip's IssueFilters: `id` narrows the list (apps/issue_events/api/issues.py); Sentry reads no `id`.
            ids, projects = set(call.query["id"]), asked
            asked = lambda issue: issue["id"] in ids and (projects is None or projects(issue))  # noqa: E731
        return self.search(call.path, call.query, asked, self.order(call), call.dialect)

    def project_issue_list(self, call):
        slug = call.args["project"]
        return self.search(call.path, call.query, lambda issue: issue["project"]["slug"] == slug,
                           dialect=call.dialect)

    def refuse_list_query(self, call):
        """What each server answers to a `project` or `sort` it does not take, or None."""
        projects, sort = call.query.get("project", []), (call.query.get("sort") or [None])[0]
        not_ids = [(n, value) for n, value in enumerate(projects) if not re.fullmatch(r"-?[0-9]+", value)]
        if call.dialect == "glitchtip":
            # One 422 lists every bad parameter (recorded from GlitchTip: the first answer in
            # tests/cassettes/list_issues_project_sort.yaml holds both entries below).
            errors = [{"type": "int_parsing", "loc": ["query", "filters", "project", n],  # recorded: issues_project_slug_422
                       "msg": "Input should be a valid integer, unable to parse string as an integer"}
                      for n, _ in not_ids]
            if sort is not None and sort.lstrip("-") not in GLITCHTIP_SORTS:
                errors.append(copy.deepcopy(GLITCHTIP_SORT_422))  # recorded: issues_sort_date, _new, _freq, _user
            return (422, {"detail": errors}, {}) if errors else None
        if not_ids and call.dialect == "sentry-old":
            # Sentry's server code before mid-2026 (OrganizationEndpoint.get_requested_project_ids_unchecked):
            # `project` must be numbers; facts.md.
            return 400, {"detail": "Invalid project parameter. Values must be numbers."}, {}
        if sort == "inbox" and "is:for_review" not in (call.query.get("query") or [""])[0].split():
            # spec: Sentry's inbox_search (organization_group_index.py) raises InvalidSearchQuery -> 400
            return 400, {"detail": "Sort key 'inbox' only supported for inbox search"}, {}
        return None

    def projects_asked(self, call):
        """A predicate for the issues of the asked projects, or None for every project."""
        projects = set(call.query.get("project", []))
        if call.dialect == "glitchtip":
            # Ids only (checked above); -1 is no project's id, so it matches nothing (recorded:
            # issues_project_minus1 answers []); `projectSlug` is ignored (recorded: issues_projectslug_param).
            return (lambda issue: issue["project"]["id"] in projects) if projects else None
        slugs = set(call.query.get("projectSlug", []))
        if "-1" in projects or "$all" in slugs:  # spec: -1 is every accessible project; server code: "$all"
            return None
        if slugs:
            # Sentry's server code (OrganizationEndpoint.get_projects): slugs in projectSlug; with ids as
            # well, the projects found must match both, which they cannot: 403.
            if projects:
                return PERMISSION_DENIED
            return lambda issue: issue["project"]["slug"] in slugs
        if projects:  # spec: ids (and, on sentry.io since mid-2026, slugs: "IDs or slugs")
            return lambda issue: issue["project"]["slug"] in projects or issue["project"]["id"] in projects
        return None

    def order(self, call):
        """(key, descending) for the asked sort, or None for the default: newest activity first."""
        sort = (call.query.get("sort") or [None])[0]
        if sort is None:
            return None
        if call.dialect == "glitchtip":  # recorded: issues_sort_first_seen, _count (ascending without '-')
            return GLITCHTIP_SORTS[sort.lstrip("-")], sort.startswith("-")
        spelled = SENTRY_SORTS.get(sort)
        return (spelled.lstrip("-"), True) if spelled else None

    def search(self, path, query, wanted=None, order=None, dialect="sentry"):
        if wanted is PERMISSION_DENIED:
            return 403, PERMISSION_DENIED, {}
        items = [i for i in self.issues if wanted(i)] if wanted else self.issues
        if order:
            key, descending = order
            items = sorted(items, key=lambda issue: _sort_value(issue, key), reverse=descending)
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

    def org_projects(self, call):
        items = copy.deepcopy(self.projects)
        if call.dialect == "glitchtip":  # GlitchTip's list reads only team:/!team: in `query` (apps/projects/api.py)
            return self.page(call.path, call.query, items, "limit", call.dialect)
        slugs = {word[5:] for word in (call.query.get("query") or [""])[0].split() if word.startswith("slug:")}
        if slugs:  # Sentry's server code: OrganizationProjectsEndpoint filters on slug:
            items = [p for p in items if p["slug"] in slugs]
        return self.page(call.path, call.query, items, "per_page")

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
        which = call.args["which"]
        if call.dialect == "glitchtip" and which != "latest" and not re.fullmatch(r"[0-9a-fA-F-]{32,36}", which):
            return 422, _uuid_422(which), {}  # only latest and event ids are routes (recorded: issue_event_oldest)
        event = self.pick_event(issue["id"], call.args["which"])
        return (200, event, {}) if event else (404, EVENT_NOT_FOUND, {})

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


def _sort_value(issue, key):
    """What an issue is ordered by: counts as numbers (GlitchTip sends them as strings), times as text."""
    if key == "priority":  # GlitchTip's own score: log10(count) + last_seen epoch / 300000 (its issues.py)
        seen = datetime.fromisoformat(issue["lastSeen"].replace("Z", "+00:00")).timestamp()
        return math.log10(max(int(issue["count"]), 1)) + seen / 300000
    value = issue.get(key)
    return int(value) if key in ("count", "userCount") else (value or "")


def _uuid_422(text: str) -> dict:
    """GlitchTip's answer to an event "id" that is no UUID (recorded: issue_event_oldest, _recommended)."""
    bad = next((c for c in text if c not in "0123456789abcdefABCDEF-"), text[:1])
    why = ("invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], "
           f"found `{bad}` at {text.index(bad) + 1}")
    return {"detail": [{"type": "uuid_parsing", "loc": ["path", "event_id"],
                        "msg": f"Input should be a valid UUID, {why}", "ctx": {"error": why}}]}


def generate_issues(issues: list, count: int) -> list:
    """`count` issues shaped exactly like the recorded ones, with new ids."""
    out = []
    for n in range(count):
        issue = copy.deepcopy(issues[n % len(issues)])
        issue["id"] = str(1000 + n)
        issue["shortId"] = f"{issue['project']['slug'].upper()}-{1000 + n:X}"
        out.append(issue)
    return out
