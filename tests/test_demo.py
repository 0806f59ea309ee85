"""--demo, the product's bundled sample: no token, no network, and the same
redaction and write gates as against a real server."""

import pytest
import requests.adapters


@pytest.fixture
def offline(monkeypatch):
    """Every request that would leave the process, refused and noted."""
    sent = []

    def refuse(self, request, **kwargs):
        sent.append(f"{request.method} {request.url}")
        raise AssertionError(f"--demo sent {request.method} {request.url}")

    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", refuse)
    return sent


def test_list_issues_prints_the_sample_redacted_without_the_network(run, offline):
    result = run("--demo", "list-issues", "--limit", "3")
    assert result.code == 0, result.err
    assert offline == []
    doc = result.json
    assert doc["count"] == 3 and [item["shortId"] for item in doc["items"]] == ["FRONTEND-8", "FRONTEND-7", "FRONTEND-6"]
    assert "https://[secret]@db.internal.example" in doc["items"][0]["title"]
    assert "[email]" in doc["items"][1]["title"]
    planted = ["hunter2-planted-password", "leaky.person@example.com"]
    assert not [value for value in planted if value in result.out + result.err]
    # The sample really carries them: the clean output above is the redaction at work.
    unredacted = run("--demo", "list-issues", "--limit", "3", "--no-redact")
    assert unredacted.code == 0 and all(value in unredacted.out for value in planted)
    assert offline == []


def test_a_write_dry_run_prints_the_request_and_sends_nothing(run, offline):
    result = run("--demo", "update-issue", "BACKEND-C", "--archive", "--dry-run")
    assert result.code == 0, result.err
    assert offline == []
    doc = result.json
    assert doc["url"].startswith("https://") and doc["url"].endswith("/api/0/organizations/acme/issues/17/")
    assert {k: v for k, v in doc.items() if k != "url"} == {
        "dry_run": True, "method": "PUT",
        "body": {"status": "ignored", "substatus": "archived_until_escalating", "statusDetails": {}}}


def test_every_project_is_one_request_as_on_sentry_io(run, offline):
    result = run("--demo", "list-issues", "--project", "all", "--limit", "30", "--verbose")
    assert result.code == 0, result.err
    assert {item["project"] for item in result.json["items"]} == {"backend", "frontend"}
    assert [line for line in result.err.splitlines() if " GET " in line] == [
        line for line in result.err.splitlines() if "project=-1" in line]
    assert offline == []


def test_whoami_and_assign_me_answer_from_the_sample(run, offline):
    result = run("--demo", "whoami")
    assert result.code == 0, result.err
    assert result.json["user"] == "user:1" and result.json["name"] == "Alice Admin"
    assert "0000000000" not in result.out  # the recorded answer's (zeroed) token never shows
    result = run("--demo", "update-issue", "BACKEND-C", "--assign", "me", "--dry-run")
    assert result.json["body"] == {"assignedTo": "user:1"}
    assert offline == []


def test_releases_answer_from_the_sample(run, offline):
    every = run("--demo", "list-releases")
    assert every.code == 0, every.err
    assert [r["version"] for r in every.json["items"]] == ["storefront@1.8.0", "shop@2.4.1", "1.0.0"]
    backend = run("--demo", "list-releases", "--project", "backend", "--limit", "1")
    assert [r["version"] for r in backend.json["items"]] == ["shop@2.4.1"] and backend.json["next_cursor"]
    one = run("--demo", "release-detail", "shop@2.4.1")
    assert one.code == 0 and one.json["projects"] == ["backend"]
    assert run("--demo", "release-detail", "shop@9.9.9").code != 0
    assert offline == []


def test_a_release_filter_keeps_the_issues_with_events_of_that_release(run, offline):
    shop = run("--demo", "list-issues", "--project", "all", "--query", "release:shop@2.4.1", "--fields", "shortId")
    assert shop.code == 0, shop.err
    assert [i["shortId"] for i in shop.json["items"]] == ["BACKEND-C", "BACKEND-B"]
    storefront = run("--demo", "list-issues", "--project", "all", "--query", "release:storefront@1.8.0",
                     "--fields", "shortId")
    assert [i["shortId"] for i in storefront.json["items"]] == ["FRONTEND-6"]
    first = run("--demo", "list-issues", "--project", "all", "--query", "firstRelease:shop@2.4.1")
    assert first.code == 0 and first.json["items"] == []  # as GlitchTip: no issue has a first release
    assert offline == []


def test_issue_tags_answer_for_the_recorded_issue_only(run, offline):
    tags = run("--demo", "issue-tags", "BACKEND-1")
    assert tags.code == 0, tags.err
    assert {t["key"] for t in tags.json["items"]} >= {"environment", "release", "user.email"}
    assert "john.doe@example.com" not in tags.out  # planted in the recorded tag values, masked
    assert run("--demo", "issue-tags", "BACKEND-C").code != 0
    assert offline == []


def test_org_stats_answers_the_recorded_counts_by_day_and_by_hour(run, offline):
    week = ["--start", "2026-11-25T00:00:00Z", "--end", "2026-12-01T23:59:59Z"]
    daily = run("--demo", "org-stats", *week, "--interval", "1d", "--verbose")
    assert daily.code == 0, daily.err
    # As GlitchTip: the day after the end too; its daily buckets count only their first hour,
    # so the client asks hourly and sums (the 30 errors of 2026-12-01 arrived at 09:xx).
    assert [row["total"] for row in daily.json["items"]] == [0, 0, 0, 0, 0, 0, 30, 0]
    assert "summing the hours" in daily.err
    hourly = run("--demo", "org-stats", "--start", "2026-12-01T08:00:00Z", "--end", "2026-12-01T10:00:00Z")
    assert [(row["time"], row["total"]) for row in hourly.json["items"]] == [
        ("2026-12-01T08:00:00Z", 0), ("2026-12-01T09:00:00Z", 30), ("2026-12-01T10:00:00Z", 0),
        ("2026-12-01T11:00:00Z", 0)]
    assert offline == []


def test_stats_of_projects_are_their_recorded_counts(run, offline):
    hour = ["--start", "2026-12-01T09:00:00Z", "--end", "2026-12-01T09:30:00Z"]
    assert run("--demo", "project-stats", "backend", *hour).json["totals"] == {"total": 22}
    assert run("--demo", "org-stats", "--project", "frontend", *hour).json["totals"] == {"total": 8}
    both = run("--demo", "org-stats", "--project", "backend", "--project", "2", *hour)
    assert both.json["totals"] == {"total": 30}
    assert offline == []


def test_deploys_and_commits_are_unsupported_as_on_glitchtip(run, offline):
    for command in ("list-deploys", "release-commits"):
        result = run("--demo", command, "shop@2.4.1")
        assert result.code == 7 and result.error["type"] == "unsupported", (command, result.err)
    assert offline == []
