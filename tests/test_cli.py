"""The command line itself: help, version, usage errors, configuration errors, start-up."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "sentry_api.py"


def test_help_lists_every_command_and_the_exit_codes(run):
    from sentry_skill.commands import TABLE
    from sentry_skill.errors import EXIT_CODES

    result = run("--help")
    assert result.code == 0
    for entry in TABLE:
        assert f"\n    {entry.name} " in result.out, entry.name
    codes = result.out[result.out.index("exit codes:"):]
    for code, meaning in EXIT_CODES.items():
        assert f"\n  {code}  {meaning}" in codes


def test_version(run):
    result = run("--version")
    assert result.code == 0 and result.out.startswith("sentry-api ")


@pytest.mark.parametrize("argv, words", [
    ([], "command"),
    (["no-such-command"], "invalid choice"),
    (["issue-detail"], "required"),
    (["issue-detail", "not an id"], "not an issue id"),
    (["issue-detail", "12", "--stacktrace"], "--latest-event"),
    (["list-issues", "--limit", "0"], "out of range"),
    (["list-issues", "--limit", "-5"], "out of range"),
    (["list-issues", "--limit", "ten"], "not a whole number"),
    (["list-issues", "--limit", "999999"], "out of range"),
    (["list-issues", "--time-range", "yesterday"], "not a period"),
    (["list-issues", "--time-range", "24h", "--start", "2026-11-01T00:00:00Z", "--end", "2026-11-02T00:00:00Z"], "cannot be combined"),
    (["list-issues", "--start", "2026-11-01T00:00:00Z"], "go together"),
    (["list-issues", "--start", "2026-11-02", "--end", "2026-11-01"], "before"),
    (["list-issues", "--start", "last week", "--end", "2026-11-01"], "ISO 8601"),
    (["list-issues", "--fields", "id,nope"], "Unknown field"),
    (["list-issues", "--project", "../admin"], "not a valid slug"),
    (["list-issues", "--sort", "date; drop"], "not a sort"),
    (["list-issues", "--format", "xml"], "invalid choice"),
    (["list-issues", "--cursor", "a b"], "next_cursor"),
    (["list-issues", "--timeout", "0"], "out of range"),
    (["list-issues", "--org", "ac/me"], "not a valid slug"),
    (["list-issues", "--base-url", "http://sentry.example.com"], "http://"),
    (["list-issues", "--base-url", "ftp://x"], "not an http"),
    (["event-detail", "latest"], "--issue"),
    (["event-detail", "latest", "--issue", "1", "--project", "p"], "not --project"),
    (["event-detail", "xyz"], "32-character"),
    (["event-detail", "7306aab8480d4cd19eac0d61c840f15c", "--issue", "1", "--project", "p"], "not both"),
    (["event-detail", "latest", "--issue", "1", "--breadcrumbs", "500"], "0 to 100"),
    (["lookup-short-id", "12"], "not a short id"),
    (["issue-detail", "https://evil.example/organizations/acme/issues/1/"], "not the configured"),
    (["issue-detail", "--org", "acme", "\udcff\udcfe"], "not an issue id"),
    (["list-issues", "--org", "\udcff"], "not a valid slug"),
    (["list-issues", "--org", "a b"], "not a valid slug"),
    (["list-issues", "--org", "ünïcode"], "not a valid slug"),
    (["list-issues", "--org", "50%"], "not a valid slug"),
    (["list-issues", "--org", ".."], "not a valid slug"),
    (["list-issues", "--project", "a/b"], "not a valid slug"),
    (["list-issues", "--project", "back end"], "not a valid slug"),
    (["list-issues", "--limit", "1e3"], "not a whole number"),
    (["list-issues", "--limit"], "expected one argument"),
    (["list-issues", "--time-range", "0h"], "not a period"),
    (["list-issues", "--time-range", "1y"], "not a period"),
    (["list-issues", "--time-range", "24"], "not a period"),
    (["list-issues", "--fields", ""], "Unknown field"),
    (["list-issues", "--latest-event"], "unrecognized arguments"),
    (["list-issues", "--timeout", "soon"], "not a number"),
    (["list-issues", "--base-url", "https://user:pw@sentry.example.com"], "credentials"),
    (["lookup-short-id", "BACKEND-"], "not a short id"),
    (["lookup-short-id", "BACK END-12"], "not a short id"),
    (["lookup-short-id", "-12"], "not a short id"),
    (["issue-detail", "https://acme.sentry.io/issues/"], "does not point at an issue"),
    (["issue-detail", "https://sentry.io/organizations/acme/issues/"], "does not point at an issue"),
    (["issue-detail", "https://sentry.io/organizations/acme/issues/12abc!/"], "where an issue id belongs"),
    (["issue-detail", "https://sentry.io/organizations/ac%2Fme/issues/1/"], "not a valid slug"),
    (["issue-detail", "ftp://sentry.io/issues/1/"], "not an issue id"),
    (["issue-events", "12", "--limit", "0"], "out of range"),
    (["event-detail", "latest", "--issue", "not an id"], "not an issue id"),
    (["event-detail", "7306aab8480d4cd19eac0d61c840f15c", "--project", "../x"], "not a valid slug"),
    (["issue-detail", "12", "--max-bytes", "100"], "out of range"),
    (["issue-detail", "12", "--raw", "--fields", "id"], "do not go with --raw"),
    # Limits from Sentry's API description and server code, named by the flag that breaks them.
    (["list-issues", "--sort", "bogus"], "date, freq, inbox, new, recommended, trends, user"),
    (["list-issues", "--sort=-count"], "not a sort"),
    (["list-issues", "--sort", "inbox"], "is:for_review"),
    (["list-issues", "--sort", "inbox", "--query", "is:unresolved"], "is:for_review"),
    (["list-issues", "--project", "all", "--project", "backend"], "--project all"),
    (["list-issues", "--project", "-2"], "not a valid slug"),
    (["list-issues", "--start", "2026-11-01T06:00:00Z", "--end", "2026-11-01T10:00:00+05:00"], "before"),
    (["list-issues", "--start", "2026-11-01T10:00:00", "--end", "2026-11-01T10:00:00+00:00"], "before"),
    (["list-issues", "--start", "2026-11-01T10:00:00+25:00", "--end", "2026-11-02"], "--start"),
    (["list-issues", "--start", "2026-11-01", "--end", "tomorrow"], "--end"),
    (["update-issue", "17", "--archive", "--count", "10", "--window", "2w"], "--window"),
    (["update-issue", "17", "--archive", "--users", "10", "--window", "10081m"], "--window 10081m"),
    (["update-issue", "17", "--archive", "--count", "0"], "--count"),
    (["update-issue", "17", "--archive", "--count", "2147483648"], "--count"),
    (["update-issue", "17", "--archive", "--count", "ten"], "--count"),
    (["update-issue", "17", "--archive", "--users", "-3"], "--users"),
    (["bulk-update-issues", "--id", "17", "--archive", "--users", "0"], "--users"),
    (["update-issue", "17", "--archive", "--for", "53w"], "--for 53w"),
    (["update-issue", "17", "--archive", "--for", "0m"], "--for"),
    (["update-issue", "17", "--archive", "--for", "1000000m"], "--for"),
])
def test_bad_input_is_exit_2_before_any_request(run, argv, words, monkeypatch):
    monkeypatch.setenv("SENTRY_AUTH_TOKEN", "tok-0123456789")
    monkeypatch.setenv("SENTRY_ORG", "acme")
    monkeypatch.setattr("requests.Session.request", lambda *a, **k: pytest.fail("a request was sent"))
    result = run(*argv)
    assert result.code == 2, result.err
    assert result.out == ""
    error = result.error
    assert error["type"] == "usage" and words.lower() in (error["message"] + error.get("hint", "")).lower()
    assert "Traceback" not in result.err


def test_start_and_end_are_instants_sent_in_utc(run, standin):
    """10:00+05:00 is 05:00Z, before 06:00Z; Sentry reads an offset as UTC (it drops '+05:00'), so
    the times go out in UTC. A time without an offset is UTC."""
    result = run("list-issues", "--start", "2026-11-01T10:00:00+05:00", "--end", "2026-11-01T06:00:00Z")
    assert result.code == 0, result.err
    sent = standin.log[0]["query"]
    assert sent["start"] == ["2026-11-01T05:00:00Z"] and sent["end"] == ["2026-11-01T06:00:00Z"]
    run("list-issues", "--start", "2026-11-01T10:00:00.250", "--end", "2026-11-02")
    sent = standin.log[1]["query"]
    assert sent["start"] == ["2026-11-01T10:00:00.250000Z"] and sent["end"] == ["2026-11-02T00:00:00Z"]


def test_unknown_field_lists_the_valid_ones(run):
    error = run("list-issues", "--fields", "id,bogus").error
    assert "bogus" in error["message"] and "shortId" in error["hint"] and "lastSeen" in error["hint"]


def test_missing_token_is_exit_3_with_the_steps(run, monkeypatch):
    monkeypatch.setenv("SENTRY_ORG", "acme")
    result = run("list-issues")
    assert result.code == 3 and result.out == ""
    hint = result.error["hint"]
    for needed in ("SENTRY_AUTH_TOKEN", "org:read", "project:read", "event:read", ".env", "--demo"):
        assert needed in hint


def test_missing_org_is_exit_3(run, monkeypatch):
    monkeypatch.setenv("SENTRY_AUTH_TOKEN", "tok-0123456789")
    result = run("list-issues")
    assert result.code == 3 and "SENTRY_ORG" in result.error["hint"]


def test_flags_work_before_and_after_the_command(run, standin, monkeypatch):
    monkeypatch.delenv("SENTRY_ORG")
    assert run("--org", "acme", "issue-detail", "17").code == 0
    assert run("issue-detail", "17", "--org", "acme").code == 0
    assert run("issue-detail", "17", "--org", "nope").code == 5


def test_no_redact_warns(run, standin):
    result = run("issue-detail", "17", "--no-redact")
    assert result.code == 0 and "redaction is off" in result.err


def test_internal_error_is_exit_1_without_traceback(run, standin, monkeypatch):
    monkeypatch.setattr("sentry_skill.shape.shape_issue", lambda *a: 1 / 0)
    result = run("issue-detail", "17")
    assert result.code == 1 and result.error["type"] == "internal"
    assert "Traceback" not in result.err


def _imports(*argv, env=None):
    """Top-level modules the script imported, as `python -X importtime` reports them."""
    done = subprocess.run([sys.executable, "-X", "importtime", str(SCRIPT), *argv],
                          capture_output=True, text=True, env=env, timeout=60)
    names = {line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    return sorted(name for name in names if name.split(".")[0] in ("requests", "dotenv", "urllib3")), done.returncode


TOKEN_ONLY = {"SENTRY_AUTH_TOKEN": "tok-0123456789"}
CONFIGURED = {**TOKEN_ONLY, "SENTRY_ORG": "acme"}


@pytest.mark.parametrize("argv, env, code", [
    (["--help"], {}, 0), (["--version"], {}, 0), (["list-issues", "--help"], {}, 0),
    (["issue-detail", "not-an-id!"], {}, 2), (["list-issues", "--limit", "0"], {}, 2),
    (["list-issues"], {}, 3),                                   # no token (and no org)
    (["issue-detail", "17"], {"SENTRY_ORG": "acme"}, 3),        # no token
    (["issue-events", "BACKEND-C"], TOKEN_ONLY, 3),             # no org
    (["lookup-event-id", "7306aab8480d4cd19eac0d61c840f15c"], TOKEN_ONLY, 3),
    (["update-issue", "17", "--status", "resolved", "--dry-run"], TOKEN_ONLY, 3),
    (["issue-detail", "not-an-id!"], CONFIGURED, 2),            # bad input, configured
    (["list-issues", "--fields", "id,nope"], CONFIGURED, 2),
    (["event-detail", "latest", "--issue", "17", "--breadcrumbs", "500"], CONFIGURED, 2),
    (["verify-webhook", "--help"], {}, 0), (["api", "--help"], {}, 0),
    (["verify-webhook", "--file", "/no/such/hook.json"], {"SENTRY_CLIENT_SECRET": "s"}, 2),
    (["verify-webhook", "--signature", "0" * 64], {}, 3),       # no client secret: sends nothing anyway
    (["api", "GET", "https://elsewhere.example/api/0/"], CONFIGURED, 2),
])
def test_help_version_and_early_errors_do_not_import_the_http_stack(argv, env, code, tmp_path):
    """An answer that needs no network loads no HTTP stack: requests alone costs more than --help."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), **env}
    imported, exit_code = _imports(*argv, env=env)
    assert exit_code == code
    assert not [name for name in imported if name.split(".")[0] in ("requests", "urllib3")]
    if "--help" in argv or "--version" in argv:
        assert imported == []  # not even python-dotenv


def test_script_runs_from_any_directory(tmp_path):
    done = subprocess.run([sys.executable, str(SCRIPT), "--demo", "lookup-short-id", "BACKEND-C"],
                          capture_output=True, text=True, cwd=tmp_path, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["id"] == "17"


def test_missing_token_and_org_are_reported_together(run):
    result = run("list-issues")
    assert result.code == 3
    assert "no organization" in result.error["message"] and "SENTRY_ORG" in result.error["hint"]
    assert "SENTRY_AUTH_TOKEN=<token>" in result.error["hint"]  # our own hint is never mangled


def test_raw_and_fields_conflict(run):
    assert run("list-issues", "--raw", "--fields", "id").code == 2


def test_fields_ask_for_their_parts(run, standin):
    doc = run("issue-detail", "17", "--fields", "shortId,latestEvent").json
    assert set(doc) == {"shortId", "latestEvent"} and doc["latestEvent"]["eventID"]
    doc = run("event-detail", "latest", "--issue", "17", "--fields", "eventID,stacktrace,breadcrumbs").json
    assert set(doc) == {"eventID", "stacktrace"}  # this event has no breadcrumbs
    doc = run("event-detail", "latest", "--issue", "16", "--fields", "breadcrumbs").json
    assert len(doc["breadcrumbs"]) == 3


def test_an_issue_url_names_the_org_when_none_is_configured(run, standin, monkeypatch):
    monkeypatch.delenv("SENTRY_ORG")
    url = f"{standin.url}/organizations/acme/issues/17/"
    for argv in (["issue-detail", url], ["issue-events", url], ["event-detail", "latest", "--issue", url]):
        result = run(*argv)
        assert result.code == 0, (argv, result.err)


def test_only_the_named_command_is_built_yet_a_name_given_as_a_value_changes_nothing():
    from sentry_skill import cli, cli_parser
    args = cli.parse(["--org", "issue-detail", "list-issues", "--limit", "3"])
    assert args.entry.name == "list-issues" and args.org == "issue-detail" and args.limit == 3
    only = cli_parser.build_parser(only="issue-detail")
    sub = next(a for a in only._actions if a.__class__.__name__ == "_SubParsersAction")
    assert list(sub.choices) == ["issue-detail"]
