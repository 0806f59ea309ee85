"""Client keys: list-keys, create-key, delete-key on both dialects.

The public DSN shows; the secret key and the secret DSN only with --show-secrets where
writes are allowed (PRODUCT.md section 5). The spec's example key (sentry dialect) has a
real secret key and a secret DSN with it; GlitchTip's has neither (its `dsn.secret` is
the public DSN: recorded project_keys).
"""

import json

import pytest

from sentry_skill.redact import key_secrets, redact
from server_keys import spec_keys

SPEC_KEY = spec_keys()["list"][0]
SPEC_SECRET = SPEC_KEY["secret"]                         # 189485c3...
SPEC_SECRET_DSN_KEY = SPEC_KEY["dsn"]["secret"].split(":")[2].split("@")[0]  # the secret in the secret DSN


def secrets_in(text: str) -> list:
    return [s for s in (SPEC_SECRET, SPEC_SECRET_DSN_KEY) if s in text]


def test_list_keys_shows_the_public_dsn_and_masks_the_secrets(run, standin):
    result = run("list-keys", "--project", "backend")
    assert result.code == 0, result.err
    first = result.json["items"][0]
    assert first == {"id": SPEC_KEY["id"], "name": "Liked Pegasus", "dsn": SPEC_KEY["dsn"]["public"],
                     "isActive": True, "dateCreated": "2023-06-21T19:50:26Z",
                     "rateLimit": {"window": 7200, "count": 1000}}
    assert result.json["count"] == 2
    assert standin.paths() == ["/api/0/projects/acme/backend/keys/"]
    assert standin.log[0]["query"]["per_page"] == ["25"]  # Sentry's keys list pages by per_page


@pytest.mark.parametrize("extra", [["--raw"], ["--raw", "--no-redact"], ["--fields", "secret,secretDsn,dsn"],
                                   ["--format", "table"], ["--no-redact"]])
def test_the_secrets_never_print_without_show_secrets(run, standin, extra):
    result = run("list-keys", "--project", "backend", *extra)
    assert result.code == 0, result.err
    assert not secrets_in(result.out + result.err)
    if "--raw" in extra:
        raw = json.loads(result.out)["items"][0]
        assert raw["secret"] == "[secret]" and raw["dsn"]["secret"] == "[secret]"
        assert raw["dsn"]["public"] == SPEC_KEY["dsn"]["public"]
        assert raw["dsn"]["csp"] == SPEC_KEY["dsn"]["csp"]  # the other public URLs show as sent
    if "--fields" in extra:
        assert result.json["items"][0] == {"secret": "[secret]", "secretDsn": "[secret]",
                                           "dsn": SPEC_KEY["dsn"]["public"]}


@pytest.mark.parametrize("command", [["list-keys", "--project", "backend"],
                                     ["create-key", "--project", "backend", "--dry-run"]])
def test_show_secrets_without_writes_allowed_is_refused_before_any_request(run, standin, command):
    result = run(*command, "--show-secrets")
    assert result.code == 8 and result.out == "" and standin.log == []
    assert result.error["type"] == "write_refused" and "--show-secrets" in result.error["message"]


@pytest.mark.parametrize("allow", [["--allow-write"], []])
def test_show_secrets_with_writes_allowed_shows_them(run, standin, monkeypatch, allow):
    if not allow:
        monkeypatch.setenv("SENTRY_ALLOW_WRITE", "1")
    result = run("list-keys", "--project", "backend", "--show-secrets", *allow)
    assert result.code == 0, result.err
    first = result.json["items"][0]
    assert first["secret"] == SPEC_SECRET and first["secretDsn"] == SPEC_KEY["dsn"]["secret"]
    raw = run("list-keys", "--project", "backend", "--show-secrets", "--raw", *allow).json["items"][0]
    assert raw["secret"] == SPEC_SECRET and raw["dsn"]["secret"] == SPEC_KEY["dsn"]["secret"]


def test_glitchtip_keys_page_by_limit_and_mask_the_secret_dsn_it_copies_from_the_public_one(run, glitchtip):
    result = run("list-keys", "--project", "backend", "--raw")
    assert result.code == 0, result.err
    key = result.json["items"][0]
    assert key["dsn"]["public"] == "http://8d2bfab5e2e442cdb9eb94b8c31f989d@127.0.0.1:8000/1"
    assert key["dsn"]["secret"] == "[secret]"
    assert glitchtip.log[0]["query"]["limit"] == ["25"]
    compact = run("list-keys", "--project", "backend", "--fields", "id,projectId,endpoints").json["items"][0]
    assert compact == {"id": "8d2bfab5-e2e4-42cd-b9eb-94b8c31f989d", "projectId": 1,
                       "endpoints": {"security": "http://127.0.0.1:8000/api/1/security/"
                                                 "?glitchtip_key=8d2bfab5e2e442cdb9eb94b8c31f989d"}}


def test_the_project_comes_from_the_configuration(run, standin, monkeypatch):
    result = run("list-keys")
    assert result.code == 3 and "--project" in result.error["hint"] and standin.log == []
    monkeypatch.setenv("SENTRY_PROJECT", "frontend")
    result = run("list-keys")
    assert result.code == 0 and result.json == {"items": [], "count": 0}
    assert standin.paths() == ["/api/0/projects/acme/frontend/keys/"]


def test_create_key_sends_the_name_and_prints_the_key_without_its_secrets(run, standin):
    result = run("create-key", "--project", "backend", "--name", "web-app", "--allow-write")
    assert result.code == 0, result.err
    assert standin.log[-1]["method"] == "POST" and json.loads(standin.log[-1]["body"]) == {"name": "web-app"}
    assert result.json["name"] == "web-app" and result.json["dsn"] == spec_keys()["created"]["dsn"]["public"]
    assert not secrets_in(result.out)
    listed = run("list-keys", "--project", "backend", "--limit", "5").json
    assert listed["count"] == 3 and "web-app" in [key.get("name") for key in listed["items"]]


def test_create_key_dry_run_and_bad_names(run, standin):
    result = run("create-key", "--project", "backend", "--dry-run")
    assert result.code == 0 and result.json["body"] == {} and standin.log == []
    assert result.json["url"].endswith("/api/0/projects/acme/backend/keys/")
    for name in ("", "x" * 65):
        result = run("create-key", "--project", "backend", "--name", name, "--allow-write")
        assert result.code == 2 and standin.log == []


@pytest.mark.parametrize("dialect,key_id", [("sentry", "60120449b6b1d5e45f75561e6dabd80b"),
                                            ("glitchtip", "8D2BFAB5-E2E4-42CD-B9EB-94B8C31F989D")])
def test_delete_key(run, standin_factory, dialect, key_id):
    server = standin_factory(dialect)
    result = run("delete-key", key_id, "--project", "backend", "--allow-write", "--confirm")
    assert result.code == 0, result.err
    assert result.json["id"] == key_id.lower() and result.json["deleted"] == "done"
    assert server.log[-1]["method"] == "DELETE"
    assert server.log[-1]["path"] == f"/api/0/projects/acme/backend/keys/{key_id.lower()}/"
    ids = [key["id"] for key in run("list-keys", "--project", "backend").json["items"]]
    assert key_id.lower() not in ids
    again = run("delete-key", key_id, "--project", "backend", "--allow-write", "--confirm")
    assert again.code == 5


@pytest.mark.parametrize("bad", ["abc", "60120449b6b1d5e45f75561e6dabd80", "../keys", "6012044-9b6b1d5e45f75561e6dabd80b",
                                 "g0120449b6b1d5e45f75561e6dabd80b"])
def test_delete_key_refuses_what_cannot_be_a_key_id(run, standin, bad):
    result = run("delete-key", bad, "--project", "backend", "--allow-write", "--confirm")
    assert result.code == 2 and "client key id" in result.error["message"] and standin.log == []


def test_glitchtip_routes_a_key_only_by_its_uuid(run, glitchtip):
    """The DSN's hex form is no route there: the web app's CSRF page answers (an HTML 403), exit 7."""
    result = run("delete-key", "8d2bfab5e2e442cdb9eb94b8c31f989d", "--project", "backend", "--allow-write",
                 "--confirm")
    assert result.code == 7 and "no API route" in result.error["message"]


def test_the_redaction_modes_of_a_key():
    key = spec_keys()["list"][0]
    public = redact(key, client_keys="public")
    assert public["secret"] == "[secret]" and public["dsn"]["secret"] == "[secret]"
    assert public["dsn"]["public"] == key["dsn"]["public"] and public["public"] == key["public"]
    assert redact(key)["dsn"] == "[secret]"  # anywhere else a DSN is masked whole
    shown = redact(key, client_keys="shown")
    assert shown["secret"] == key["secret"] and shown["dsn"] == key["dsn"]
    # A public URL that carries a password, or the secret key, is no public URL.
    odd = {**key, "dsn": {"public": key["dsn"]["secret"], "csp": f"https://x/?k={key['secret']}"}}
    assert redact(odd, client_keys="public")["dsn"] == {"public": "[secret]", "csp": "[secret]"}
    assert redact(key, secrets=["a785682ddda742d7"], client_keys="public")["dsn"]["public"].startswith("https://[token]")
    unredacted = key_secrets([key])[0]
    assert unredacted["secret"] == "[secret]" and unredacted["dsn"]["secret"] == "[secret]"
    assert unredacted["dsn"]["public"] == key["dsn"]["public"]
    assert key_secrets([key], shown=True) == [key]
