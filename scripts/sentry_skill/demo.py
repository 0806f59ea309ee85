"""--demo: a small Sentry stand-in inside the requests session, no network.

It answers the organization-scoped paths that sentry.io serves with bodies
recorded from a real Sentry-compatible server (GlitchTip fed by the official
Python and Node SDKs; the planted personal data in them shows the redaction at
work). Requests go through the normal client: retries, pagination, error
mapping and redaction all run as they would against a real server. Where the
recorded server lacks an operation (deploys, commits) the demo answers as it did,
so the command's exit 7 shows too.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from .config import DEMO_BASE_URL
from .demo_stats import stats_answer

DATA = Path(__file__).with_name("demo_data")
# GlitchTip's answer where it has no route (recorded: release_deploys_list, release_commits).
SERVER_ERROR_PAGE = ('\n<!doctype html>\n<html lang="en">\n<head>\n  <title>Server Error (500)</title>\n</head>\n'
                     '<body>\n  <h1>Server Error (500)</h1><p></p>\n</body>\n</html>\n')
DETAILED = {"16": "flask_checkout", "17": "flask_orders", "20": "express_typeerror"}


def _load(name):
    return json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))


class DemoAdapter(BaseAdapter):
    def __init__(self):
        super().__init__()
        self.issues = _load("org_issues_backend") + _load("org_issues_frontend")
        self.issues.sort(key=lambda issue: issue["lastSeen"], reverse=True)
        self.changes: dict = {}  # issue id -> fields a write changed

    def send(self, request, **kwargs):
        parts = urlsplit(request.url)
        query = {k: v for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        payload = json.loads(request.body) if request.body else None
        status, body, headers = self.route(request.method, parts.path, query, payload)
        response = requests.Response()
        response.status_code = status
        response.headers = CaseInsensitiveDict({"Content-Type": "application/json", **headers})
        text = body if isinstance(body, str) or body is None else json.dumps(body)  # a str: an HTML page
        response._content = (text or "").encode()
        response._content_consumed = True  # the body is all here: streaming reads take it as is
        response.url, response.request, response.encoding = request.url, request, "utf-8"
        return response

    def close(self):
        pass

    # -- routing -------------------------------------------------------------

    def route(self, method, path, query, payload=None):
        if method != "GET":
            return self.write(method, path, query, payload)
        if path in ("/api/0/", "/api/0/users/me/"):  # who the token is: the recorded admin (whoami, --assign me)
            return 200, _load("api_root" if path == "/api/0/" else "users_me"), {}
        m = re.fullmatch(r"/api/0/organizations/acme/issues/", path)
        if m:
            return self.issue_list(path, query)
        m = re.fullmatch(r"/api/0/projects/acme/([^/]+)/issues/", path)
        if m:  # the older project-scoped list, as other clients still use it
            return self.issue_list(path, {**query, "project": [m.group(1)]})
        answer = self.organization(path, query)
        if answer:
            return answer
        m = re.fullmatch(r"/api/0/organizations/acme/shortids/([^/]+)/", path)
        if m:
            issue = self.find_issue(m.group(1))
            if not issue:
                return 404, {"detail": "Short ID not found"}, {}
            return 200, {"organizationSlug": "acme", "projectSlug": issue["project"]["slug"],
                         "groupId": issue["id"], "shortId": issue["shortId"], "group": issue}, {}
        m = re.fullmatch(r"/api/0/organizations/acme/issues/([^/]+)/(?:(events)/(?:([^/]+)/)?)?", path)
        if m:
            issue = self.find_issue(m.group(1))
            if not issue:
                return 404, {"detail": "The requested resource does not exist"}, {}
            if not m.group(2):
                return 200, self.issue_detail(issue), {}
            events = self.events(issue["id"])
            if not m.group(3):
                return self.page(path, query, events, "per_page")
            event = self.pick_event(issue["id"], events, m.group(3))
            return (200, event, {}) if event else (404, {"detail": "Event not found"}, {})
        m = re.fullmatch(r"/api/0/(?:organizations/acme/eventids|projects/acme/[^/]+/events)/([0-9a-f]{32})/", path)
        if m:
            for issue_id in DETAILED:
                for event in self.events(issue_id):
                    if event.get("event_id") == m.group(1):
                        if "eventids" in path:
                            return 200, {"organizationSlug": "acme", "groupId": issue_id,
                                         "eventId": m.group(1), "event": event}, {}
                        return 200, event, {}
            return 404, {"detail": "Event not found"}, {}
        return 404, {"detail": "The requested resource does not exist"}, {}

    # -- releases, an issue's tags, event counts: the organization's overview ----

    def organization(self, path, query):
        """Releases (recorded: releases_list), an issue's tags (recorded: issue_tags, issue 1 only),
        the projects and stats_v2; None where the path is none of these."""
        m = re.fullmatch(r"/api/0/(?:organizations/acme|projects/acme/([^/]+))/releases/", path)
        if m:
            project = m.group(1)
            items = [r for r in _load("releases") if not project or project in [p["slug"] for p in r["projects"]]]
            return self.page(path, query, items, "per_page")
        if re.fullmatch(r"/api/0/organizations/acme/releases/[^/]+/(?:deploys|commits)/", path):
            # GlitchTip keeps neither deploys nor commits: no route, its HTML error page.
            return 500, SERVER_ERROR_PAGE, {"Content-Type": "text/html; charset=utf-8"}
        m = re.fullmatch(r"/api/0/organizations/acme/releases/([^/]+)/", path)
        if m:
            release = next((r for r in _load("releases") if r["version"] == unquote(m.group(1))), None)
            return (200, release, {}) if release else (404, {"detail": "The requested resource does not exist"}, {})
        m = re.fullmatch(r"/api/0/organizations/acme/issues/([^/]+)/tags/", path)
        if m:
            issue = self.find_issue(m.group(1))
            if not issue or issue["id"] != "1":  # the one issue whose tags were recorded
                return 404, {"detail": "The requested resource does not exist"}, {}
            return 200, _load("issue_1_tags"), {}
        if path == "/api/0/organizations/acme/projects/":  # org-stats --project looks the ids up here
            return self.page(path, query, _load("org_projects"), "per_page")
        if path == "/api/0/organizations/acme/stats_v2/":
            return stats_answer(query, _load)
        return None

    # -- writes: kept in memory for the life of the process --------------------

    def write(self, method, path, query, payload):
        if path == "/api/0/organizations/acme/issues/" and method == "PUT":
            ids = query.get("id") or []
            if not ids:
                return 400, {"detail": "This stand-in wants explicit ids."}, {}
            projects = set(query.get("project") or [])
            issues = [i for i in map(self.find_issue, ids) if i and (not projects or i["project"]["id"] in projects)]
            if not issues:
                return 204, None, {}  # as Sentry: no issue matched
            for issue in issues:
                error = self.apply(issue, payload or {})
                if error:
                    return 400, {"detail": error}, {}
            return 200, dict(payload or {}), {}
        m = re.fullmatch(r"/api/0/organizations/acme/issues/([^/]+)/", path)
        issue = self.find_issue(m.group(1)) if m else None
        if not m or method not in ("PUT", "DELETE"):
            return 405, {"detail": f"Method \"{method}\" not allowed."}, {}
        if not issue:
            return 404, {"detail": "The requested resource does not exist"}, {}
        if method == "DELETE":
            self.issues.remove(issue)
            return 202, None, {}
        error = self.apply(issue, payload or {})
        return (400, {"detail": error}, {}) if error else (200, self.issue_detail(issue), {})

    def apply(self, issue, change):
        if change.get("status") not in (None, "resolved", "unresolved", "ignored", "resolvedInNextRelease"):
            return f"{change['status']!r} is not a valid status"
        for key, value in change.items():
            if key == "assignedTo":
                kind, _, ident = value.partition(":") if value.startswith("team:") else ("user", "", value)
                value = {"type": kind, "id": ident, "name": ident} if value else None
            if key == "status" and value == "resolvedInNextRelease":
                value, issue["statusDetails"] = "resolved", {"inNextRelease": True}
            issue[key] = value
        self.changes.setdefault(issue["id"], {}).update({k: issue[k] for k in [*change, "statusDetails"] if k in issue})
        return None

    def issue_list(self, path, query):
        items = self.issues
        if query.get("group"):  # as Sentry: given issue ids, the list is those issues
            return 200, [i for i in items if i["id"] in query["group"]], {}
        projects = set(query.get("project", []))
        if projects and "-1" not in projects:  # -1: every project, as on sentry.io
            items = [i for i in items if i["project"]["slug"] in projects or i["project"]["id"] in projects]
        text = (query.get("query") or ["is:unresolved"])[0]
        if query.get("shortIdLookup") == ["1"]:
            hit = self.find_issue(text.strip())
            if hit:
                return 200, [hit], {"X-Sentry-Direct-Hit": "1"}
        for word in text.split():
            if re.fullmatch(r"[0-9a-f]{32}", word):  # an event id finds its issue
                owners = {i for i in DETAILED if any(e.get("event_id") == word for e in self.events(i))}
                items = [i for i in items if i["id"] in owners]
            elif word.startswith("is:"):
                items = [i for i in items if i["status"] == word[3:]]
            elif word.startswith("release:"):  # an issue with a recorded event of that release
                items = [i for i in items if any(_tag(e, "release") == word[8:] for e in self.events(i["id"]))]
            elif word.startswith("firstRelease:"):  # GlitchTip keeps none (recorded: issue_detail)
                items = [i for i in items
                         if (self.issue_detail(i).get("firstRelease") or {}).get("version") == word[13:]]
            elif ":" not in word:
                items = [i for i in items if word.lower() in (i["title"] + i["shortId"]).lower()]
        return self.page(path, query, items, "limit")

    def page(self, path, query, items, size_param):
        """Offset cursors and a Sentry-style Link header, so pagination is real."""
        size = int((query.get(size_param) or ["100"])[0])
        offset = int(((query.get("cursor") or ["0:0:0"])[0].split(":") + ["0"])[1])
        chunk = items[offset:offset + size]
        more = offset + size < len(items)
        base = f"{DEMO_BASE_URL}{path}"
        link = (f'<{base}>; rel="previous"; results="false"; cursor="0:0:1", '
                f'<{base}>; rel="next"; results="{str(more).lower()}"; cursor="0:{offset + size}:0"')
        return 200, chunk, {"Link": link, "X-Hits": str(len(items))}

    def find_issue(self, ident):
        ident = ident.upper()
        return next((i for i in self.issues if i["id"] == ident or i["shortId"] == ident), None)

    def issue_detail(self, issue):
        name = DETAILED.get(issue["id"])
        return {**_load(f"{name}_issue"), **self.changes.get(issue["id"], {})} if name else issue

    def events(self, issue_id):
        name = DETAILED.get(issue_id)
        return _load(f"{name}_events") if name else []

    def pick_event(self, issue_id, events, which):
        name = DETAILED.get(issue_id)
        if which in ("latest", "recommended") and name:
            return _load(f"{name}_event_latest")
        if which == "oldest" and events:
            return events[-1]
        return next((e for e in events if e.get("event_id") == which), None)


def _tag(event: dict, key: str):
    return next((t.get("value") for t in event.get("tags") or [] if t.get("key") == key), None)


def demo_session() -> requests.Session:
    session = requests.Session()
    session.mount(DEMO_BASE_URL, DemoAdapter())
    return session
