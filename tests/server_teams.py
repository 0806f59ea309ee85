"""The teams of the tests' server model, in both dialects (see server_model.py).

Sources, as there: "recorded: NAME" is an exchange with a real GlitchTip (the
glitchtip-api recording NAME; GlitchTip's apps/teams/api.py); "spec" is Sentry's
API description, whose examples give the "sentry" dialect its shapes
(tests/data/spec/teams.json), and its server code where the behaviour is in the
code only: src/sentry/core/endpoints/organization_teams.py (list, create),
team_details.py (get, update, delete), team_members.py, team_projects.py.

The model keeps its teams as GlitchTip serializes them (the recorded team `acme`)
plus the name a Sentry team has; each dialect shows them in its own shape.
"""

from __future__ import annotations

import copy
import json
import re
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

SPEC_TEAMS = Path(__file__).parent / "data" / "spec" / "teams.json"
HTML = {"Content-Type": "text/html; charset=utf-8"}
# GlitchTip's 500 page (recorded: team_create_duplicate, byte for byte).
HTML_500 = (b"<!doctype html>\n<html lang=\"en\">\n<head>\n  <title>Server Error (500)</title>\n</head>\n"
            b"<body>\n  <h1>Server Error (500)</h1><p></p>\n</body>\n</html>\n")
# GlitchTip's TeamIn takes only `slug`, and requires it (recorded: team_create_name_only, team_update_name_only).
SLUG_MISSING_422 = {"detail": [{"type": "missing", "loc": ["body", "payload", "slug"], "msg": "Field required"}]}
GLITCHTIP_NOT_FOUND = {"detail": "Not Found"}  # recorded: team_detail_after_delete
SENTRY_NOT_FOUND = {"detail": "The requested resource does not exist"}  # spec: ResourceDoesNotExist
# spec: organization_teams.py, CONFLICTING_SLUG_ERROR with status 409
SENTRY_SLUG_TAKEN = {"non_field_errors": ["A team with this slug already exists."],
                     "detail": "A team with this slug already exists."}
GLITCHTIP_TEAM_KEYS = ("id", "slug", "dateCreated", "isMember", "memberCount", "projects")  # recorded: teams_list


@lru_cache(maxsize=None)
def _spec_text() -> str:
    return SPEC_TEAMS.read_text(encoding="utf-8")


def spec_team_example(name: str):
    """A fresh copy of one of the spec's team examples (tests/data/spec/teams.json)."""
    return copy.deepcopy(json.loads(_spec_text())[name])


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _sentry_slug(name: str) -> str:
    """spec: a team created by name alone gets its slug from the name (Team.save slugifies it)."""
    return re.sub(r"[^a-z0-9_]+", "-", name.lower()).strip("-")[:50]


class Teams:
    """List, detail, create, update and delete of teams, and a team's projects and members.
    Mixed into ServerModel, which holds `self.teams` and pages lists with `self.page`."""

    def spec_body(self, name: str):
        """A spec example (tests/audit_corpus.py serves planted copies instead)."""
        return spec_team_example(name)

    def _team_of(self, call):
        return next((t for t in self.teams if t["slug"] == call.args["team"]), None)

    def _no_team(self, call):
        return 404, GLITCHTIP_NOT_FOUND if call.dialect == "glitchtip" else SENTRY_NOT_FOUND, {}

    def _page_by_dialect(self, call, items):
        # Sentry pages with per_page (spec: the list's parameters, OffsetPaginator); GlitchTip with
        # limit (its AsyncLinkHeaderPagination, as on every list: recorded issues_limit1_page1).
        size_param = "limit" if call.dialect == "glitchtip" else "per_page"
        return self.page(call.path, call.query, items, size_param, call.dialect)

    # -- the shapes ---------------------------------------------------------------------

    def shown_team(self, team, dialect, example="team_list", query=None):
        """A team as the dialect serializes it. GlitchTip: the recorded shape, no `name`.
        Sentry: the spec example's shape with this team's own values; the list carries its
        projects (detailed, the default), the detail only with expand=projects and the
        organization unless collapse=organization (spec: team_details.py get)."""
        if dialect == "glitchtip":
            return {key: copy.deepcopy(team[key]) for key in GLITCHTIP_TEAM_KEYS if key in team}
        query = query or {}
        shape = spec_team_example(example)
        shape = shape[1] if isinstance(shape, list) else shape  # the list example's detailed team
        shape.update(id=team["id"], slug=team["slug"], name=team.get("name") or team["slug"],
                     dateCreated=team["dateCreated"], isMember=team["isMember"], memberCount=team["memberCount"])
        projects = [self.sentry_project(p, team) for p in team.get("projects") or []]
        if example == "team_list" or "projects" in query.get("expand", []):
            shape["projects"] = projects
        else:
            shape.pop("projects", None)
        if example == "team_detail" and "organization" in query.get("collapse", []):
            shape.pop("organization", None)
        return shape

    def sentry_project(self, project, team):
        """A project as Sentry lists it under a team (spec: the team projects example), with
        this project's own values."""
        shape = spec_team_example("team_projects")[0]
        shape.update({key: project[key] for key in ("id", "slug", "name", "platform", "dateCreated",
                                                    "firstEvent", "isMember", "hasAccess", "isBookmarked")
                      if key in project})
        ref = {"id": team["id"], "name": team.get("name") or team["slug"], "slug": team["slug"]}
        shape.update(team=ref, teams=[ref])
        return shape

    # -- reads ----------------------------------------------------------------------------

    def team_list(self, call):
        items = [self.shown_team(team, call.dialect) for team in sorted(self.teams, key=lambda t: t["slug"])]
        return self._page_by_dialect(call, items)  # spec: ordered by slug

    def team_detail(self, call):
        team = self._team_of(call)
        if not team:
            return self._no_team(call)
        return 200, self.shown_team(team, call.dialect, "team_detail", call.query), {}

    def team_projects(self, call):
        team = self._team_of(call)
        if not team:
            return self._no_team(call)
        if call.dialect == "glitchtip":
            # recorded: team_projects (team acme; its projects say isMember true where the team's own
            # detail says false for frontend: the recording, as it is); other teams have none here.
            items = self.body("team_projects") if team["slug"] == "acme" else []
        else:
            items = [self.sentry_project(p, team) for p in team.get("projects") or []]
        return self._page_by_dialect(call, items)

    def team_members(self, call):
        team = self._team_of(call)
        if not team:
            return self._no_team(call)
        if call.dialect == "glitchtip":
            # recorded: team_members (the admin, the one member; a team's creator joins it: teams/api.py)
            return self._page_by_dialect(call, self.body("team_members"))
        members = self.spec_body("team_members")
        for member in members:
            member["teamSlug"] = team["slug"]  # spec: team_members.py adds the team's slug and role
        return self._page_by_dialect(call, members)

    # -- writes ---------------------------------------------------------------------------

    def team_create(self, call):
        payload = call.payload if isinstance(call.payload, dict) else {}
        slug, name = payload.get("slug"), payload.get("name")
        if call.dialect == "glitchtip":
            if not slug:
                return 422, copy.deepcopy(SLUG_MISSING_422), {}  # recorded: team_create_name_only
            if any(t["slug"] == slug for t in self.teams):
                return 500, HTML_500, HTML  # an IntegrityError (recorded: team_create_duplicate)
            name = None  # dropped: TeamIn has no name
        else:
            if not (name or slug):  # spec: TeamPostSerializer.validate
                return 400, {"non_field_errors": ["Name or slug is required"]}, {}
            slug = slug or _sentry_slug(name)
            if any(t["slug"] == slug for t in self.teams):
                return 409, copy.deepcopy(SENTRY_SLUG_TAKEN), {}
        team = {"id": str(max(int(t["id"]) for t in self.teams) + 1), "slug": slug, "dateCreated": _now(),
                "isMember": True, "memberCount": 1, "projects": []}  # the creator joins (recorded: team_create)
        if call.dialect != "glitchtip":
            team["name"] = name or slug  # spec: name=result.get("name") or result["slug"]
        self.teams.append(team)
        return 201, self.shown_team(team, call.dialect, "team_create"), {}

    def team_update(self, call):
        team = self._team_of(call)
        if not team:
            return self._no_team(call)
        payload = call.payload if isinstance(call.payload, dict) else {}
        slug = payload.get("slug")
        if call.dialect == "glitchtip":
            if not slug:
                return 422, copy.deepcopy(SLUG_MISSING_422), {}  # recorded: team_update_name_only
            team["slug"] = slug  # only the slug changes (recorded: team_update)
            return 200, self.shown_team(team, call.dialect), {}
        if slug and any(t["slug"] == slug and t is not team for t in self.teams):
            # spec: TeamDetailsSerializer.validate_slug
            return 400, {"slug": [f'The slug "{slug}" is already in use.']}, {}
        if slug:
            team["slug"] = slug
        if payload.get("name"):
            team["name"] = payload["name"]
        return 200, self.shown_team(team, call.dialect, "team_update"), {}

    def team_delete(self, call):
        team = self._team_of(call)
        if not team:
            return self._no_team(call)
        self.teams.remove(team)  # gone for later reads (recorded: team_detail_after_delete)
        return 204, b"", {}  # recorded: team_delete; spec: 204
