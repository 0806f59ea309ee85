import pytest

from sentry_skill.errors import UsageError
from sentry_skill.ids import IssueRef, check_slug, parse_event_id, parse_issue

SENTRY = "https://sentry.io"
SELF = "https://sentry.example.com"


@pytest.mark.parametrize("text, base, expected", [
    ("123", SENTRY, IssueRef("123", False)),
    ("BACKEND-12", SENTRY, IssueRef("BACKEND-12", True)),
    ("backend-1a", SENTRY, IssueRef("BACKEND-1A", True)),
    ("my-web-app-3F", SENTRY, IssueRef("MY-WEB-APP-3F", True)),
    ("https://acme.sentry.io/issues/123/", SENTRY, IssueRef("123", False, "acme")),
    ("https://acme.sentry.io/issues/123/events/abc/?project=1", SENTRY, IssueRef("123", False, "acme")),
    ("https://us.sentry.io/organizations/acme/issues/BACKEND-12/", SENTRY, IssueRef("BACKEND-12", True, "acme")),
    ("https://de.sentry.io/issues/77/", "https://de.sentry.io", IssueRef("77", False)),
    ("https://sentry.example.com/organizations/acme/issues/123/", SELF, IssueRef("123", False, "acme")),
    ("https://sentry.example.com/acme/backend/issues/9/", SELF, IssueRef("9", False)),
])
def test_issue_forms(text, base, expected):
    assert parse_issue(text, base) == expected


@pytest.mark.parametrize("text, base", [
    ("", SENTRY), ("0", SENTRY), ("-5", SENTRY), ("12.5", SENTRY), ("BACKEND", SENTRY),
    ("BACKEND-", SENTRY), ("-12", SENTRY), ("12345678901234567890", SENTRY), ("../etc", SENTRY),
    ("https://evil.example/organizations/acme/issues/1/", SENTRY),
    ("https://sentry.io.evil.example/issues/1/", SENTRY),
    ("https://acme.sentry.io/issues/1/", SELF),
    ("https://sentry.example.com/organizations/acme/", SELF),
    ("https://sentry.example.com/organizations/ac%2Fme/issues/1/", SELF),
    ("https://sentry.example.com/issues/abc def/", SELF),
])
def test_bad_issue_forms(text, base):
    with pytest.raises(UsageError):
        parse_issue(text, base)


def test_event_ids():
    assert parse_event_id("7306AAB8-480d-4cd1-9eac-0d61c840f15c") == "7306aab8480d4cd19eac0d61c840f15c"
    for bad in ("latest", "7306aab8", "g" * 32, ""):
        with pytest.raises(UsageError):
            parse_event_id(bad)


@pytest.mark.parametrize("slug", ["a/b", "..", "a..b", "with space", "ünïcode", "50%", "", "-x"])
def test_bad_slugs(slug):
    with pytest.raises(UsageError):
        check_slug(slug, "Project")


def test_good_slugs():
    for slug in ("backend", "my-project_2", "1234", "web.app"):
        assert check_slug(slug, "Project") == slug
