"""The client keys (DSNs) of the tests' server model, in both dialects (see server_model.py).

Sources, as there: "recorded: NAME" is an exchange with a real GlitchTip (the
glitchtip-api recording NAME); "spec" is Sentry's API description (the examples of
listProjectKeys and createProjectKey, copied into tests/data/spec/project_keys.json)
and its server code (src/sentry/api/endpoints/project_keys.py, project_key_details.py).

GlitchTip's routes (apps/projects/api.py) take a key id only in the dashed UUID form
(`{uuid:key_id}`); Sentry's take the public key, 32 hexadecimal digits.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

SPEC_KEYS = Path(__file__).parent / "data" / "spec" / "project_keys.json"
# The projects this model knows (recorded: org_projects).
PROJECTS = ("backend", "frontend")


def spec_keys() -> dict:
    """{"list": [...], "created": {...}}: the spec's examples, fresh."""
    return json.loads(SPEC_KEYS.read_text(encoding="utf-8"))


class Keys:
    """List, create and delete a project's client keys. Mixed into ServerModel."""

    def project_keys_of(self, dialect: str, project: str) -> list | None:
        """The keys of a project in this dialect, kept in memory so writes show in later lists."""
        if project not in PROJECTS:
            return None
        if not hasattr(self, "keys_by_project"):
            self.keys_by_project = {}
        if (dialect, project) not in self.keys_by_project:
            self.keys_by_project[(dialect, project)] = self.keys_body(dialect) if project == "backend" else []
        return self.keys_by_project[(dialect, project)]

    def keys_body(self, dialect: str) -> list:
        """The keys of `backend` (tests/audit_corpus.py serves planted copies instead)."""
        if dialect == "glitchtip":
            return self.body("project_keys")  # recorded: project_keys, the default key of backend
        return spec_keys()["list"]  # spec: ListClientKeysForAProject, two keys

    def project_keys(self, call):
        keys = self.project_keys_of(call.dialect, call.args["project"])
        if keys is None:
            if call.dialect == "glitchtip":  # the list filters on the slug: no project, no keys (apps/projects/api.py)
                return self.page(call.path, call.query, [], "limit", call.dialect)
            return 404, {"detail": "The requested resource does not exist"}, {}  # spec: ResourceDoesNotExist
        # GlitchTip pages by `limit` (its cursor paginator); Sentry by `per_page` (its OffsetPaginator).
        size_param = "limit" if call.dialect == "glitchtip" else "per_page"
        return self.page(call.path, call.query, copy.deepcopy(keys), size_param, call.dialect)

    def project_key_create(self, call):
        keys = self.project_keys_of(call.dialect, call.args["project"])
        if keys is None:
            if call.dialect == "glitchtip":
                return 404, {"detail": "Not Found"}, {}  # aget_object_or_404 on the project (apps/projects/api.py)
            return 404, {"detail": "The requested resource does not exist"}, {}
        name = (call.payload or {}).get("name")
        if call.dialect == "glitchtip":
            key = self.body("project_key_create")  # recorded: project_key_create (201)
            key.update(name=name or "", label=name or "")  # ProjectKeySchema: label is the name
        else:
            key = spec_keys()["created"]  # spec: createProjectKey, 201
            if name:
                key.update(name=name, label=name)  # spec: without a name, Sentry makes one up
        if any(existing["id"] == key["id"] for existing in keys):
            key["id"] = key["public"] = f"{len(keys):032x}" if call.dialect != "glitchtip" else \
                f"00000000-0000-4000-8000-{len(keys):012x}"
        keys.append(key)
        return 201, copy.deepcopy(key), {}

    def project_key_delete(self, call):
        keys = self.project_keys_of(call.dialect, call.args["project"]) or []
        key = next((k for k in keys if k["id"] == call.args["key_id"]), None)
        if key is None:
            if call.dialect == "glitchtip":
                return 404, {"detail": "Not Found"}, {}  # aget_object_or_404 (apps/projects/api.py)
            return 404, {"detail": "The requested resource does not exist"}, {}  # spec: 404
        keys.remove(key)
        return 204, b"", {}  # recorded: project_key_delete; spec: 204
