"""--profile / SENTRY_PROFILE: named servers side by side, each token only to its own server."""

import json
from pathlib import Path

import pytest

from standin import StandIn

SAAS_TOKEN = "saas-profile-token-1"
SELF_TOKEN = "selfhosted-profile-token-2"
ENV_TOKEN = "environment-token-3"


def write_profiles(path, text):
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def two_servers(tmp_path, monkeypatch):
    """A Sentry and a GlitchTip on loopback at once, each taking only its own token; the
    environment points at a third server with a third token, which a profile must ignore."""
    saas = StandIn("sentry", token=SAAS_TOKEN).__enter__()
    selfhosted = StandIn("glitchtip", token=SELF_TOKEN).__enter__()
    other = StandIn("sentry", token=ENV_TOKEN).__enter__()
    profiles = write_profiles(tmp_path / "profiles.ini", f"""
[saas]
base_url = {saas.url}
org = acme
project = backend
token_env = SAAS_TOKEN

[selfhosted]
base_url = {selfhosted.url}
org = acme
token_env = SELF_TOKEN
""")
    monkeypatch.setenv("SENTRY_PROFILES_FILE", str(profiles))
    monkeypatch.setenv("SAAS_TOKEN", SAAS_TOKEN)
    monkeypatch.setenv("SELF_TOKEN", SELF_TOKEN)
    monkeypatch.setenv("SENTRY_BASE_URL", other.url)
    monkeypatch.setenv("SENTRY_AUTH_TOKEN", ENV_TOKEN)
    monkeypatch.setenv("SENTRY_ORG", "elsewhere")
    yield saas, selfhosted, other
    for server in (saas, selfhosted, other):
        server.__exit__(None, None, None)


def bearers(server):
    return {entry["headers"].get("Authorization") for entry in server.log}


def test_each_profile_sends_only_its_own_token_to_its_own_server(run, two_servers, monkeypatch):
    saas, selfhosted, other = two_servers
    first = run("--profile", "saas", "list-issues", "--limit", "2")
    assert first.code == 0, first.err
    assert saas.log and bearers(saas) == {f"Bearer {SAAS_TOKEN}"}
    assert selfhosted.log == [] and other.log == []
    assert all(path.startswith("/api/0/organizations/acme/") for path in saas.paths())  # the profile's org

    monkeypatch.setenv("SENTRY_PROFILE", "selfhosted")
    second = run("list-issues", "--limit", "2")
    assert second.code == 0, second.err
    assert selfhosted.log and bearers(selfhosted) == {f"Bearer {SELF_TOKEN}"}
    assert bearers(saas) == {f"Bearer {SAAS_TOKEN}"} and other.log == []

    third = run("--profile", "saas", "whoami")  # the flag wins over SENTRY_PROFILE
    assert third.code == 0, third.err
    assert bearers(saas) == {f"Bearer {SAAS_TOKEN}"} and bearers(selfhosted) == {f"Bearer {SELF_TOKEN}"}
    assert other.log == []


def test_without_a_profile_the_environment_still_decides(run, two_servers):
    saas, selfhosted, other = two_servers
    result = run("--org", "acme", "list-issues", "--limit", "1")
    assert result.code == 0, result.err
    assert bearers(other) == {f"Bearer {ENV_TOKEN}"} and saas.log == [] and selfhosted.log == []


def test_org_and_project_flags_override_the_profile(run, two_servers):
    saas, _, _ = two_servers
    result = run("--profile", "saas", "--org", "beta", "list-issues", "--limit", "1")
    assert saas.paths() and all(path.startswith("/api/0/organizations/beta/") for path in saas.paths())
    assert result.code in (0, 5)


def test_base_url_beside_a_profile_is_refused_before_any_request(run, two_servers):
    saas, selfhosted, other = two_servers
    result = run("--profile", "saas", "--base-url", other.url, "list-issues")
    assert result.code == 2 and result.error["type"] == "usage" and "--base-url" in result.error["message"]
    assert saas.log == selfhosted.log == other.log == []


def test_an_unset_token_variable_is_named_and_nothing_is_sent(run, two_servers, monkeypatch):
    saas, _, other = two_servers
    monkeypatch.delenv("SAAS_TOKEN")
    result = run("--profile", "saas", "list-issues")
    assert result.code == 3 and "SAAS_TOKEN" in result.error["message"]
    assert saas.log == [] and other.log == []  # never the environment's token instead


def test_the_token_variable_may_sit_in_a_dotenv_file(run, two_servers, monkeypatch):
    saas, _, _ = two_servers
    monkeypatch.delenv("SAAS_TOKEN")
    (Path.cwd() / ".env").write_text(f"SAAS_TOKEN={SAAS_TOKEN}\n")
    result = run("--profile", "saas", "list-issues", "--limit", "1")
    assert result.code == 0, result.err
    assert bearers(saas) == {f"Bearer {SAAS_TOKEN}"}


FAKE_TOKEN = "sntryu_" + "0123456789abcdef" * 2  # a made-up token, shaped like a user token


@pytest.mark.parametrize("text, code, words", [
    (f"[a]\nbase_url = https://sentry.io\ntoken = {FAKE_TOKEN}\n", 3, "in clear"),
    ("[a]\norg = acme\ntoken_env = A_TOKEN\n", 3, "no base_url"),
    (f"[a]\nbase_url = https://sentry.io\ntoken_env = {FAKE_TOKEN[:23]}-0123\n", 3, "not an environment"),
    ("[a]\nbase_url = https://sentry.io\nregion = us\n", 3, "unknown keys"),
    ("base_url = https://sentry.io\n", 3, "cannot be read"),
    ("[b]\nbase_url = https://sentry.io\n", 2, "No profile 'a'"),
])
def test_bad_profiles_stop_before_any_request(run, standin, tmp_path, monkeypatch, text, code, words):
    monkeypatch.setenv("SENTRY_PROFILES_FILE", str(write_profiles(tmp_path / "p.ini", text)))
    result = run("--profile", "a", "list-issues")
    assert result.code == code and words in result.error["message"], result.err
    assert "0123456789abcdef" not in result.err
    assert standin.log == []


def test_a_profile_asked_for_without_a_file(run, standin, tmp_path, monkeypatch):
    monkeypatch.setenv("SENTRY_PROFILES_FILE", str(tmp_path / "absent.ini"))
    result = run("--profile", "a", "list-issues")
    assert result.code == 3 and "holds no profiles" in result.error["message"]
    assert standin.log == []


def test_the_default_file_is_under_xdg_config_home(run, standin, tmp_path, monkeypatch):
    folder = tmp_path / "xdg" / "sentry-api"
    folder.mkdir(parents=True)
    write_profiles(folder / "profiles.ini", f"[local]\nbase_url = {standin.url}\norg = acme\ntoken_env = LOCAL_T\n")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("LOCAL_T", "standin-token-42")
    monkeypatch.delenv("SENTRY_AUTH_TOKEN")
    result = run("--profile", "local", "whoami")
    assert result.code == 0, result.err
    assert bearers(standin) == {"Bearer standin-token-42"}


def test_list_profiles_shows_servers_and_token_variables_never_tokens(run, two_servers):
    saas, selfhosted, other = two_servers
    result = run("--profile", "selfhosted", "list-profiles")
    assert result.code == 0, result.err
    document = result.json
    assert document["active"] == "selfhosted"
    assert [(p["name"], p["base_url"], p["org"], p["project"], p["auth_variable"], p["auth_variable_set"])
            for p in document["profiles"]] == [
        ("saas", saas.url, "acme", "backend", "SAAS_TOKEN", True),
        ("selfhosted", selfhosted.url, "acme", None, "SELF_TOKEN", True)]
    assert SAAS_TOKEN not in result.out and SELF_TOKEN not in result.out and ENV_TOKEN not in result.out
    assert saas.log == selfhosted.log == other.log == []


def test_list_profiles_says_where_the_file_goes_when_there_is_none(run, tmp_path):
    result = run("list-profiles")
    assert result.code == 0, result.err
    assert result.json == {"file": str(tmp_path / "home" / ".config" / "sentry-api" / "profiles.ini"),
                           "active": None, "profiles": []}


def test_list_profiles_marks_an_unset_variable(run, tmp_path, monkeypatch):
    path = write_profiles(tmp_path / "p.ini", "[io]\nbase_url = https://sentry.io\ntoken_env = IO_TOKEN\n[bare]\n"
                                              "base_url = https://sentry.example.com\n")
    monkeypatch.setenv("SENTRY_PROFILES_FILE", str(path))
    profiles = json.loads(run("list-profiles").out)["profiles"]
    assert [(p["name"], p["auth_variable"], p["auth_variable_set"]) for p in profiles] == [
        ("io", "IO_TOKEN", False), ("bare", None, False)]


def test_list_profiles_still_lists_when_the_chosen_profile_is_unknown(run, two_servers, monkeypatch):
    monkeypatch.setenv("SENTRY_PROFILE", "typo")
    result = run("list-profiles")
    assert result.code == 0, result.err
    assert result.json["active"] is None and result.json["unknown_profile"] == "typo"
    assert [p["name"] for p in result.json["profiles"]] == ["saas", "selfhosted"]
    monkeypatch.setenv("SENTRY_PROFILE", "saas")
    assert run("list-profiles").json["active"] == "saas"
