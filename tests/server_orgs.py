"""The organization and its projects in the tests' server model, in both dialects (see server_model.py).

Sources, as there: "recorded: NAME" is an exchange with a real GlitchTip (the
glitchtip-api recording NAME), "spec" is Sentry's API description and server code.
The organization is the recorded `org_detail`; its projects the recorded
`org_projects` (each with its `teams`). The other shapes are those bodies as each
endpoint cuts them, which the recordings show: the organization list item is the
organization without projects, teams, access and openMembership (recorded: orgs_list);
a project's detail has no `teams` and names its organization (recorded: project_detail);
a team's project list has no `teams` (recorded: team_projects).
"""

from __future__ import annotations

import copy
import re

GLITCHTIP_NOT_FOUND = {"detail": "Not Found"}  # recorded: org_detail_unknown, project_detail_unknown
SENTRY_NOT_FOUND = {"detail": "The requested resource does not exist"}  # spec: ResourceDoesNotExist
ORG_DETAIL_ONLY = ("projects", "teams", "access", "openMembership")
# What each server's organization update takes: GlitchTip only `name`, and requires it
# (recorded: org_update_name, org_update_sentry_fields); Sentry the settings of its body (spec: updateOrganization).
SENTRY_ORG_SETTINGS = ("name", "slug", "isEarlyAdopter", "defaultRole", "openMembership", "require2FA",
                       "allowSharedIssues", "enhancedPrivacy", "scrubIPAddresses")
# What each server's project update takes: GlitchTip name, slug, platform, eventThrottleRate
# and requires name (its ProjectIn schema, apps/projects/schema.py; recorded: project_update);
# Sentry the keys of its body (spec: updateProject).
GLITCHTIP_PROJECT_KEYS = ("name", "slug", "platform", "eventThrottleRate")
SENTRY_PROJECT_KEYS = ("name", "slug", "platform", "isBookmarked", "subjectPrefix", "resolveAge")


def missing_422(name: str) -> dict:
    """django-ninja's answer to a body without a required field (recorded: org_update_sentry_fields)."""
    return {"detail": [{"type": "missing", "loc": ["body", "payload", name], "msg": "Field required"}]}


class Organization:
    """Mixed into ServerModel: `self.org` (the recorded detail) and `self.projects`."""

    def not_found(self, call):
        return 404, GLITCHTIP_NOT_FOUND if call.dialect == "glitchtip" else SENTRY_NOT_FOUND, {}

    def org_item(self) -> dict:
        return {key: value for key, value in copy.deepcopy(self.org).items() if key not in ORG_DETAIL_ONLY}

    def org_list(self, call):
        size_param = "limit" if call.dialect == "glitchtip" else "per_page"
        return self.page(call.path, call.query, [self.org_item()], size_param, call.dialect)

    def org_detail(self, call):
        return 200, {**copy.deepcopy(self.org), "projects": copy.deepcopy(self.projects)}, {}

    def org_update(self, call):
        change = call.payload if isinstance(call.payload, dict) else {}
        if call.dialect == "glitchtip":
            if "name" not in change:
                return 422, missing_422("name"), {}  # recorded: org_update_sentry_fields
            self.org["name"] = change["name"]  # the slug does not follow (recorded: org_update_name)
        else:
            self.org.update({key: change[key] for key in SENTRY_ORG_SETTINGS if key in change})
        return self.org_detail(call)

    # -- projects ---------------------------------------------------------------------

    def project(self, slug):
        return next((project for project in self.projects if project["slug"] == slug), None)

    def project_view(self, project, dialect) -> dict:
        """One project as its detail answers it: GlitchTip names the organization and no team
        (recorded: project_detail); Sentry names its teams, and the first as `team` (spec: getProject)."""
        view = copy.deepcopy(project)
        if dialect == "glitchtip":
            view.pop("teams", None)
            view["organization"] = self.org_item()
        elif view.get("teams"):
            view["team"] = view["teams"][0]
        return view

    def project_detail(self, call):
        project = self.project(call.args["project"])
        return (200, self.project_view(project, call.dialect), {}) if project else self.not_found(call)

    def project_teams(self, call):
        project = self.project(call.args["project"])
        if not project:
            return self.not_found(call)
        slugs = {team["slug"] for team in project.get("teams") or []}
        teams = [{key: team[key] for key in ("id", "slug", "dateCreated", "isMember", "memberCount")}
                 for team in self.teams if team["slug"] in slugs]  # recorded: project_teams
        return 200, teams, {}

    def team_projects(self, call):
        slug = call.args["team"]
        if not any(team["slug"] == slug for team in self.teams):
            return self.not_found(call)
        items = [copy.deepcopy(p) for p in self.projects if slug in {t["slug"] for t in p.get("teams") or []}]
        if call.dialect == "glitchtip":
            for item in items:
                item.pop("teams", None)  # recorded: team_projects
            return self.page(call.path, call.query, items, "limit", call.dialect)
        return self.page(call.path, call.query, items, "per_page")

    def project_create(self, call):
        team = next((team for team in self.teams if team["slug"] == call.args["team"]), None)
        if not team:
            return self.not_found(call)
        change = call.payload if isinstance(call.payload, dict) else {}
        if not change.get("name"):
            if call.dialect == "glitchtip":
                return 422, missing_422("name"), {}
            return 400, {"name": ["This field is required."]}, {}  # spec: name is required
        slug = change.get("slug") or re.sub(r"[^a-z0-9_-]+", "-", change["name"].lower()).strip("-")
        if self.project(slug) and call.dialect != "glitchtip":
            return 409, {"detail": "A project with this slug already exists."}, {}  # spec: 409
        project = {**copy.deepcopy(self.projects[0]), "name": change["name"], "slug": slug,
                   "id": str(max(int(p["id"]) for p in self.projects) + 1), "platform": change.get("platform"),
                   "firstEvent": None, "dateCreated": "2026-12-01T09:02:08.759Z",
                   "teams": [{"id": team["id"], "slug": team["slug"]}]}
        self.projects.append(project)
        view = self.project_view(project, call.dialect)
        if call.dialect == "glitchtip":
            view.pop("organization")  # recorded: project_create has neither teams nor organization
        return 201, view, {}

    def project_update(self, call):
        project = self.project(call.args["project"])
        if not project:
            return self.not_found(call)
        change = call.payload if isinstance(call.payload, dict) else {}
        if call.dialect == "glitchtip":
            if "name" not in change:
                return 422, missing_422("name"), {}  # GlitchTip's ProjectIn requires name
            keys = GLITCHTIP_PROJECT_KEYS
        else:
            keys = SENTRY_PROJECT_KEYS
        project.update({key: change[key] for key in keys if key in change})
        return 200, self.project_view(project, call.dialect), {}

    def project_delete(self, call):
        project = self.project(call.args["project"])
        if not project:
            return self.not_found(call)
        self.projects.remove(project)
        return 204, b"", {}  # spec: 204; recorded: project_delete

    def project_users(self, call):
        if not self.project(call.args["project"]):
            return self.not_found(call)
        return self.page(call.path, call.query, self.end_users(), "per_page")  # spec: listProjectUsers

    def end_users(self) -> list:
        """The end users a project saw (tests/audit_corpus.py serves planted ones instead)."""
        from server_model import spec_users
        return spec_users()
