"""The engine, on entries made up for the test: what an entry gets by construction.

A new entry is parsed, checked, gated and sent by the engine without any code of
its own; these tests add one to the table and run it through main(argv).
"""

from __future__ import annotations

import json

import pytest

from sentry_skill import commands, event_shape
from sentry_skill.commands.spec import Command, Opt
from standin import Fault

PROJECT_DETAIL = Command(
    "project-probe", "probes", "one project", "project-probe backend",
    path="/projects/{org}/{project}/", scope="project:read", refs=("project",),
    fields=("id", "slug"), default_fields=("slug",), shape=lambda raw, fields: {f: raw.get(f) for f in fields},
)
PATCH_WRITE = Command(
    "patch-probe", "probes", "change a project with PATCH", "patch-probe backend --name shop",
    method="PATCH", path="/projects/{org}/{project}/", scope="project:write", refs=("project",),
    options=(Opt("--name", "new name"),), body=lambda ctx: {"name": ctx.args.name},
)
DELETE_WRITE = Command(
    "delete-probe", "probes", "delete a release", "delete-probe 2.0.0+build/7",
    method="DELETE", path="/organizations/{org}/releases/{version}/", scope="project:releases", refs=("version",),
)
EVENT_LIST = Command(
    "events-probe", "probes", "a project's events", "events-probe",
    path="/projects/{org}/backend/events/", scope="project:read", page_param="per_page", limit=7,
    options=(Opt("--query", "search", param="query"),),
    fields=tuple(event_shape.EVENT_SUMMARY_FIELDS), default_fields=("eventID",), shape=event_shape.shape_event_summary,
)


@pytest.fixture
def probes(monkeypatch):
    monkeypatch.setattr(commands, "TABLE", (*commands.TABLE, PROJECT_DETAIL, PATCH_WRITE, DELETE_WRITE, EVENT_LIST))


def test_a_get_entry_is_parsed_sent_and_shaped(run, standin, probes):
    standin.fail(r"^/api/0/projects/acme/backend/$", Fault(200, b'{"id": "1", "slug": "backend", "name": "x"}'))
    result = run("project-probe", "backend", "--fields", "id,slug")
    assert result.code == 0, result.err
    assert result.json == {"id": "1", "slug": "backend"}
    assert standin.paths() == ["/api/0/projects/acme/backend/"]


def test_a_reference_is_checked_before_any_request(run, standin, probes):
    result = run("project-probe", "../admin")
    assert result.code == 2 and "not a valid slug" in result.error["message"] and standin.log == []


def test_every_method_but_get_is_gated(run, standin, probes):
    result = run("patch-probe", "backend", "--name", "shop")
    assert result.code == 8 and standin.log == []
    result = run("patch-probe", "backend", "--name", "shop", "--dry-run")
    assert result.json == {"dry_run": True, "method": "PATCH", "url": f"{standin.url}/api/0/projects/acme/backend/",
                           "body": {"name": "shop"}}
    assert standin.log == []


def test_a_delete_needs_confirm_and_encodes_the_version_once(run, standin, probes):
    result = run("delete-probe", "2.0.0+build/7", "--allow-write")
    assert result.code == 8 and "--confirm" in result.error["message"] and standin.log == []
    standin.fail(r"/releases/", Fault(204, b""))
    result = run("delete-probe", "2.0.0+build/7", "--allow-write", "--confirm")
    assert result.code == 0, result.err
    assert [(e["method"], e["path"]) for e in standin.log] == [
        ("DELETE", "/api/0/organizations/acme/releases/2.0.0%2Bbuild%2F7/")]  # encoded once, never %252B
    assert standin.log[0]["body"] == b""


def test_a_list_entry_pages_with_its_own_parameter_and_default(run, standin, probes):
    more = {"Link": '<x>; rel="next"; results="true"; cursor="c2"'}
    standin.fail(r"/events/$", Fault(200, json.dumps([{"eventID": "a" * 32}]).encode(), more))
    result = run("events-probe", "--query", "level:error", "--limit", "1")
    assert result.code == 0, result.err
    assert result.json == {"items": [{"eventID": "a" * 32}], "count": 1, "next_cursor": "c2"}
    assert standin.log[0]["query"] == {"query": ["level:error"], "per_page": ["1"]}
    help_text = run("events-probe", "--help").out
    assert "(default 7)" in help_text and "example: events-probe" in help_text


def test_an_operation_the_server_lacks_is_exit_7_not_try_again_later(run, standin, probes):
    # GlitchTip's answer to an API path it has no route for: its SPA catch-all fails with an
    # HTML 500 (recorded: project_users, release_deploys_list).
    page = b"<!doctype html>\n<html lang=\"en\">\n<head>\n  <title>Server Error (500)</title>\n</head>\n</html>\n"
    standin.fail(r"^/api/0/projects/acme/backend/$", Fault(500, page, {"Content-Type": "text/html"}))
    result = run("project-probe", "backend")
    assert result.code == 7 and result.out == ""
    assert result.error["type"] == "unsupported" and "does not support GET" in result.error["message"]
    assert "troubleshooting" in result.error["hint"] and len(standin.log) == 1
