"""Releases and deploys of the tests' server model, in both dialects (see server_model.py).

Sources, as there: "recorded: NAME" is an exchange with a real GlitchTip (the
glitchtip-api recording NAME); "spec" is Sentry's API description (its release
examples, copied into tests/data/spec/releases.json) and its server code
(src/sentry/api/endpoints/organization_releases.py, organization_release_details.py,
release_deploys.py; sentry/constants.py BAD_RELEASE_CHARS).

A version arrives encoded in the path (one segment); the servers decode it before
they look it up, and so does this model. GlitchTip's release (apps/releases/schema.py)
holds only ref and dateReleased besides its version and projects; it has no commits
and no deploys (recorded: release_commits, release_deploys_list, release_deploy_create).
"""

from __future__ import annotations

import copy
import json
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import unquote

SPEC_RELEASES = Path(__file__).parent / "data" / "spec" / "releases.json"
BAD_RELEASE_CHARS = "\r\n\f\x0c\t/\\"  # spec: sentry/constants.py
# The projects of this model (recorded: org_projects) as the spec's release example lists a project.
SENTRY_PROJECTS = {"backend": 1, "frontend": 2}


def spec_releases() -> dict:
    """{"list", "created", "detail", "deploy", "commit"}: the spec's examples, fresh."""
    return json.loads(SPEC_RELEASES.read_text(encoding="utf-8"))


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _sentry_project(slug: str) -> dict:
    project = copy.deepcopy(spec_releases()["list"][0]["projects"][0])
    project.update(id=SENTRY_PROJECTS[slug], slug=slug, name=slug)
    return project


class Releases:
    """An organization's releases, their deploys and commits. Mixed into ServerModel."""

    def releases_of(self, dialect: str) -> list:
        """The releases of this dialect, newest first, kept in memory so writes show in later reads."""
        if not hasattr(self, "releases_by_dialect"):
            self.releases_by_dialect = {}
        if dialect not in self.releases_by_dialect:
            self.releases_by_dialect[dialect] = self.releases_body(dialect)
        return self.releases_by_dialect[dialect]

    def releases_body(self, dialect: str) -> list:
        """The seeded releases (tests/audit_corpus.py serves planted copies instead)."""
        if dialect == "glitchtip":
            return self.body("releases_list")  # recorded: releases_list, three releases
        # spec: the detail example (authors, a commit, a deploy: on backend here) and the list example
        examples = spec_releases()
        detail, listed = examples["detail"], examples["list"][0]
        detail["projects"] = [{**detail["projects"][0], "id": 1, "slug": "backend", "name": "backend"}]
        listed["projects"] = [_sentry_project("frontend")]
        detail["deploys"], detail["commits"] = [examples["deploy"]], [examples["commit"]]
        return [detail, listed]

    def find_release(self, call):
        version = unquote(call.args["version"])
        return version, next((r for r in self.releases_of(call.dialect) if r["version"] == version), None)

    def release_missing(self, call):
        if call.dialect == "glitchtip":
            return 404, {"detail": "Not Found"}, {}  # recorded: release_delete_missing
        return 404, {"detail": "The requested resource does not exist"}, {}  # spec: ResourceDoesNotExist

    @staticmethod
    def public(release: dict) -> dict:
        """A release as the server sends it: without this model's own deploy and commit lists."""
        return {k: v for k, v in release.items() if k not in ("deploys", "commits")}

    # -- the list -----------------------------------------------------------------------

    def release_list(self, call):
        items = [self.public(r) for r in self.releases_of(call.dialect)]
        if call.dialect == "glitchtip":  # no filters at all; pages by limit (apps/releases/api.py list_releases)
            return self.page(call.path, call.query, copy.deepcopy(items), "limit", call.dialect)
        projects = set(call.query.get("project", []))
        if projects:  # spec: "The IDs or slugs of projects to filter by"
            items = [r for r in items if any(p["slug"] in projects or str(p["id"]) in projects
                                             for p in r["projects"])]
        return self.page(call.path, call.query, self._queried(items, call), "per_page")

    def project_release_list(self, call):
        slug = call.args["project"]
        items = [self.public(r) for r in self.releases_of(call.dialect)
                 if any(p["slug"] == slug for p in r["projects"])]
        if call.dialect == "glitchtip":  # recorded: project_releases (filters on the slug, pages by limit)
            return self.page(call.path, call.query, copy.deepcopy(items), "limit", call.dialect)
        if slug not in SENTRY_PROJECTS:
            return 404, {"detail": "The requested resource does not exist"}, {}
        return self.page(call.path, call.query, self._queried(items, call), "per_page")  # spec

    @staticmethod
    def _queried(items, call) -> list:
        query = (call.query.get("query") or [""])[0]  # spec: a substring of the version, any case
        return copy.deepcopy([r for r in items if query.lower() in r["version"].lower()])

    # -- one release ----------------------------------------------------------------------

    def release_create(self, call):
        body = call.payload or {}
        version, slugs = body.get("version"), body.get("projects") or []
        releases = self.releases_of(call.dialect)
        known = [slug for slug in slugs if slug in SENTRY_PROJECTS]
        if call.dialect == "glitchtip":
            if not known:  # recorded: release_create_no_projects
                return 422, {"detail": [{"projects": "Require at least one valid project"}]}, {}
            if any(r["version"] == version for r in releases):
                return self.html_500(call)  # recorded: release_create_duplicate
            release = self.body("release_create")  # recorded: release_create (201); url and commits not kept
            release.update(version=version, shortVersion=version, ref=body.get("ref"),
                           dateReleased=body.get("dateReleased") or _now(),  # default now (ReleaseUpdate)
                           projects=[{"name": slug, "slug": slug} for slug in known])
            releases.insert(0, release)
            return 201, copy.deepcopy(release), {}
        if not version or any(c in version for c in BAD_RELEASE_CHARS):
            # spec: ReleaseWithVersionSerializer.validate_version refuses BAD_RELEASE_CHARS
            return 400, {"version": [f"Release with name {version} is not allowed"]}, {}
        if not known:  # spec: ReleaseSerializerWithProjects, projects required and found
            return 400, {"projects": ["Invalid project ids or slugs"]}, {}
        existing = next((r for r in releases if r["version"] == version), None)
        if existing:
            return 208, self.public(existing), {}  # spec: 208, the release that exists
        release = spec_releases()["created"]  # spec: CreateARelease (201)
        commits = [{**spec_releases()["commit"], "id": c.get("id"), "message": None,
                    "repository": {**spec_releases()["commit"]["repository"], "name": c.get("repository")}}
                   for c in body.get("commits") or []]
        release.update(version=version, shortVersion=version, ref=body.get("ref"), url=body.get("url"),
                       dateReleased=body.get("dateReleased"), projects=[_sentry_project(s) for s in known],
                       commitCount=len(commits), deploys=[], commits=commits)
        releases.insert(0, release)
        return 201, self.public(release), {}

    def release_detail(self, call):
        version, release = self.find_release(call)
        return (200, self.public(release), {}) if release else self.release_missing(call)

    def release_update(self, call):
        version, release = self.find_release(call)
        if not release:
            return self.release_missing(call)
        body = call.payload or {}
        if call.dialect == "glitchtip":
            # The PUT replaces: ref and dateReleased are set from the body, what is left out
            # reset (recorded: release_update, release_update_empty_body); nothing else is kept.
            release.update(ref=body.get("ref"), dateReleased=body.get("dateReleased") or _now())
            return 200, copy.deepcopy(release), {}
        for key in ("ref", "url", "dateReleased"):  # spec: only what the body holds changes
            if key in body:
                release[key] = body[key]
        if body.get("commits"):
            release["commits"] = [{**spec_releases()["commit"], "id": c.get("id")} for c in body["commits"]]
            release["commitCount"] = len(release["commits"])
        return 200, self.public(release), {}

    def release_delete(self, call):
        version, release = self.find_release(call)
        if not release:
            return self.release_missing(call)
        self.releases_of(call.dialect).remove(release)
        return 204, b"", {}  # spec: 204; recorded: release_delete

    # -- commits and deploys (Sentry only; GlitchTip's routes are in ROUTES) ------------------

    def release_commits(self, call):
        version, release = self.find_release(call)
        if not release:
            return self.release_missing(call)
        return self.page(call.path, call.query, copy.deepcopy(release.get("commits", [])), "per_page")

    def release_deploys(self, call):
        version, release = self.find_release(call)
        if not release:
            return self.release_missing(call)
        return self.page(call.path, call.query, copy.deepcopy(release.get("deploys", [])), "per_page")

    def release_deploy_create(self, call):
        version, release = self.find_release(call)
        if not release:
            return self.release_missing(call)
        body = call.payload or {}
        if not body.get("environment"):  # spec: environment is required
            return 400, {"environment": ["This field is required."]}, {}
        deploy = spec_releases()["deploy"]  # spec: the Deploy schema, as the detail example's lastDeploy
        deploy.update(id=str(len(release.setdefault("deploys", [])) + 1), environment=body["environment"],
                      name=body.get("name") or f"{version} to {body['environment']}", url=body.get("url"),
                      dateStarted=body.get("dateStarted"), dateFinished=body.get("dateFinished") or _now())
        release["deploys"].insert(0, deploy)
        release["deployCount"] = len(release["deploys"])
        release["lastDeploy"] = copy.deepcopy(deploy)
        return 201, copy.deepcopy(deploy), {}
