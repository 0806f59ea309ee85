import base64
import json
from types import SimpleNamespace

import pytest

from sentry_skill.config import load_settings, normalize_base_url, org_token_payload
from sentry_skill.errors import UsageError


def args(**kw):
    return SimpleNamespace(**kw)


def org_token(payload):
    body = base64.b64encode(json.dumps(payload).encode()).decode().rstrip("=")
    return f"sntrys_{body}_fakesecretpart"


def test_defaults(monkeypatch):
    s = load_settings(args())
    assert (s.base_url, s.token, s.org, s.project) == ("https://sentry.io", None, None, None)


def test_precedence_flag_env_dotenv_rc(tmp_path, monkeypatch):
    home = tmp_path / "home"
    (home / ".sentryclirc").write_text("[auth]\ntoken=rc-token-0000\n[defaults]\norg=rc-org\nproject=rc-proj\n"
                                       "url=https://rc.example.com\n")
    s = load_settings(args())
    assert (s.token, s.org, s.project, s.base_url) == ("rc-token-0000", "rc-org", "rc-proj", "https://rc.example.com")
    (tmp_path / "work" / ".env").write_text("SENTRY_ORG=dotenv-org\nSENTRY_TOKEN=dotenv-token\n")
    s = load_settings(args())
    assert (s.token, s.org, s.project) == ("dotenv-token", "dotenv-org", "rc-proj")
    monkeypatch.setenv("SENTRY_ORG", "env-org")
    monkeypatch.setenv("SENTRY_AUTH_TOKEN", "env-token")
    s = load_settings(args())
    assert (s.token, s.org) == ("env-token", "env-org")
    s = load_settings(args(org="flag-org"))
    assert s.org == "flag-org" and s.sources["org"] == "--org"


def test_dotenv_in_skill_folder_is_read_after_cwd(tmp_path, monkeypatch):
    skill = tmp_path / "skill"
    skill.mkdir()
    (skill / ".env").write_text("SENTRY_ORG=skill-org\nSENTRY_PROJECT=skill-proj\n")
    (tmp_path / "work" / ".env").write_text("SENTRY_ORG=cwd-org\n")
    s = load_settings(args())
    assert (s.org, s.project) == ("cwd-org", "skill-proj")


def test_env_aliases(monkeypatch):
    monkeypatch.setenv("SENTRY_TOKEN", "alias-token")
    monkeypatch.setenv("SENTRY_HOST", "sentry.example.com")
    s = load_settings(args())
    assert s.token == "alias-token" and s.base_url == "https://sentry.example.com"
    monkeypatch.setenv("SENTRY_URL", "https://url.example.com/")
    assert load_settings(args()).base_url == "https://url.example.com"
    monkeypatch.setenv("SENTRY_BASE_URL", "https://base.example.com/api/0/")
    assert load_settings(args()).base_url == "https://base.example.com"


def test_org_token_carries_region_and_org(monkeypatch):
    token = org_token({"iat": 1, "url": "https://sentry.io", "region_url": "https://de.sentry.io", "org": "acme"})
    assert org_token_payload(token)["org"] == "acme"
    monkeypatch.setenv("SENTRY_AUTH_TOKEN", token)
    s = load_settings(args())
    assert (s.base_url, s.org) == ("https://de.sentry.io", "acme")
    assert s.token_hosts == {"sentry.io", "de.sentry.io"}
    # An explicit base URL wins over the token's region; an explicit org over its org.
    s = load_settings(args(base_url="https://sentry.example.com", org="other"))
    assert (s.base_url, s.org) == ("https://sentry.example.com", "other")


def test_malformed_org_token_is_just_a_token(monkeypatch):
    monkeypatch.setenv("SENTRY_AUTH_TOKEN", "sntrys_not-base64!!_x")
    s = load_settings(args())
    assert s.base_url == "https://sentry.io" and s.org is None


@pytest.mark.parametrize("raw, expected", [
    ("sentry.example.com", "https://sentry.example.com"),
    ("https://Sentry.Example.com:8443/sub/", "https://sentry.example.com:8443/sub"),
    ("http://127.0.0.1:8000/api/0", "http://127.0.0.1:8000"),
    ("http://localhost:9000", "http://localhost:9000"),
    ("http://[::1]:9000", "http://[::1]:9000"),
])
def test_base_url_normalized(raw, expected):
    assert normalize_base_url(raw) == expected


@pytest.mark.parametrize("raw", ["http://sentry.example.com", "ftp://x.example", "https://", "https://u:p@x.example",
                                 "https://x.example/?a=1"])
def test_bad_base_urls(raw):
    with pytest.raises(UsageError):
        normalize_base_url(raw)


def test_insecure_http_allowed_when_asked():
    assert normalize_base_url("http://sentry.internal", allow_insecure_http=True) == "http://sentry.internal"


def test_demo_needs_no_token_and_sends_none(monkeypatch):
    monkeypatch.setenv("SENTRY_AUTH_TOKEN", "would-be-secret-token")
    s = load_settings(args(demo=True))
    assert s.demo and s.token is None and s.org == "acme"


def test_precedence_with_a_profile_flags_then_the_profile_alone(tmp_path, monkeypatch):
    """A chosen profile stands in for the environment, .env and ~/.sentryclirc for server, token,
    org and project: only --org/--project beat it, and nothing of the other layers leaks in."""
    home = tmp_path / "home"
    (home / ".sentryclirc").write_text("[auth]\ntoken=rc-token-0000\n[defaults]\norg=rc-org\nproject=rc-proj\n")
    (tmp_path / "work" / ".env").write_text("SENTRY_AUTH_TOKEN=dotenv-token-1111\nSENTRY_PROJECT=dotenv-proj\n"
                                            "P_TOKEN=profile-token-3333\n")
    monkeypatch.setenv("SENTRY_AUTH_TOKEN", "env-token-2222")
    monkeypatch.setenv("SENTRY_BASE_URL", "https://env.example.com")
    monkeypatch.setenv("SENTRY_ORG", "env-org")
    monkeypatch.setenv("SENTRY_ALLOW_WRITE", "1")  # not a server setting: still the environment's
    profiles = tmp_path / "profiles.ini"
    profiles.write_text("[p]\nbase_url = https://p.example.com/\norg = p-org\ntoken_env = P_TOKEN\n")
    monkeypatch.setenv("SENTRY_PROFILES_FILE", str(profiles))
    s = load_settings(args(profile="p"))
    assert (s.base_url, s.token, s.org, s.project) == ("https://p.example.com", "profile-token-3333", "p-org", None)
    assert s.token_hosts == {"p.example.com"} and s.allow_write
    assert s.sources["token"] == "P_TOKEN (profile p)" and s.sources["profile"] == "p (--profile)"
    s = load_settings(args(profile="p", org="flag-org", project="flag-proj"))
    assert (s.org, s.project) == ("flag-org", "flag-proj")
    monkeypatch.setenv("SENTRY_PROFILE", "p")
    assert load_settings(args()).base_url == "https://p.example.com"
    s = load_settings(args(demo=True))  # the demo talks to no server: no profile is read
    assert s.demo and s.token is None
