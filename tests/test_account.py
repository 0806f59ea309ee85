"""whoami: the token's user and scopes, never the token itself."""

import base64
import json

import pytest

from standin import TOKEN, Fault, StandIn

SCOPES = ["project:read", "project:write", "project:admin", "project:releases", "team:read", "team:write",
          "team:admin", "event:read", "event:write", "event:admin", "org:read", "org:write", "org:admin",
          "member:read", "member:write", "member:admin"]
PAYLOAD = base64.b64encode(json.dumps({"iat": 1, "url": "https://sentry.io", "region_url": "https://us.sentry.io",
                                       "org": "acme"}).encode()).decode().rstrip("=")
ORG_TOKEN = f"sntrys_{PAYLOAD}_notarealsecretatall0123456789"


@pytest.mark.parametrize("dialect", ["sentry", "glitchtip"])
def test_whoami_names_the_user_with_name_and_email(run, standin_factory, dialect):
    """A member command: the person it is about shows with name and email (PRODUCT.md section 5)."""
    server = standin_factory(dialect)
    result = run("whoami")
    assert result.code == 0, result.err
    assert result.json == {"tokenType": "user", "user": "user:1", "name": "Alice Admin",
                           "email": "alice.admin@acme-corp.example", "scopes": SCOPES}
    assert server.paths() == ["/api/0/"]


@pytest.mark.parametrize("extra", [[], ["--raw"], ["--raw", "--no-redact"], ["--format", "table", "--verbose"]])
def test_whoami_never_prints_the_token_glitchtip_echoes(run, glitchtip, extra):
    result = run("whoami", *extra)
    assert result.code == 0, result.err
    assert TOKEN not in result.out + result.err
    if extra == ["--raw"]:
        assert json.loads(result.out)["auth"] == "[secret]"  # masked whole: a key named like a secret
    if "--no-redact" in extra:
        assert json.loads(result.out)["auth"]["token"] == "[token]"  # the session's own token, scrubbed last


def test_whoami_with_an_organization_token(run, monkeypatch):
    with StandIn("sentry", token=ORG_TOKEN) as server:
        monkeypatch.setenv("SENTRY_BASE_URL", server.url)
        monkeypatch.setenv("SENTRY_AUTH_TOKEN", ORG_TOKEN)
        result = run("whoami")
        assert result.code == 0, result.err
        assert result.json == {"tokenType": "organization", "org": "acme", "scopes": ["org:ci"],
                               "message": "An organization token acts for its organization, not for a user."}
        assert server.paths() == ["/api/0/"]  # never /users/me/, which an organization token cannot read
        assert ORG_TOKEN not in result.out + result.err and "notarealsecret" not in result.out


def test_whoami_without_a_session_is_an_auth_error(run, standin):
    standin.fail(r"^/api/0/$", Fault(200, b'{"version": "0", "user": null, "auth": null}'))  # recorded: api_root_no_token
    result = run("whoami")
    assert result.code == 4 and result.out == ""
