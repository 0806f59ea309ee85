"""The HTTP client: retry policy, 429, error mapping, redirects, token host."""

import email.utils
import json
import socket
import time

import pytest

from standin import TOKEN, Fault, StandIn


def test_connection_refused_is_retried_once_then_exit_6(run, monkeypatch):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    monkeypatch.setenv("SENTRY_BASE_URL", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("SENTRY_AUTH_TOKEN", "tok-0123456789")
    monkeypatch.setenv("SENTRY_ORG", "acme")
    result = run("issue-detail", "1")
    assert result.code == 6 and result.out == ""
    assert result.error["type"] == "unavailable"
    assert len(run.sleeps) == 1


def test_a_hung_server_costs_the_timeout_once(run, standin):
    """--timeout bounds the whole command: after a hang there is no time left for a retry."""
    standin.fail(r"/issues/17/$", Fault(delay=3.0), Fault(delay=3.0))
    started = time.monotonic()
    result = run("issue-detail", "17", "--timeout", "1")
    elapsed = time.monotonic() - started
    assert result.code == 6 and result.out == ""
    assert "timed out" in result.error["message"] and "--timeout" in result.error["hint"]
    assert standin.paths() == ["/api/0/organizations/acme/issues/17/"]
    assert 0.9 < elapsed < 1.8, elapsed


def test_a_slow_answer_leaves_the_next_request_only_what_is_left(run, glitchtip):
    """The org-scoped path takes 0.6 s of a 1 s budget to say it is missing (recorded: org_issue_get,
    405 text/html); the older path, which then hangs, gets the 0.4 s left."""
    missing = Fault(405, b"Method not allowed", {"Content-Type": "text/html; charset=utf-8", "Allow": "PUT"},
                    delay=0.6)
    glitchtip.fail(r"^/api/0/organizations/acme/issues/17/$", missing)
    glitchtip.fail(r"^/api/0/issues/17/$", Fault(delay=3.0), Fault(delay=3.0))
    started = time.monotonic()
    result = run("issue-detail", "17", "--timeout", "1")
    elapsed = time.monotonic() - started
    assert result.code == 6 and "timed out" in result.error["message"]
    assert glitchtip.paths() == ["/api/0/organizations/acme/issues/17/", "/api/0/issues/17/"]
    assert 0.9 < elapsed < 1.8, elapsed


@pytest.mark.parametrize("headers", [
    {"Retry-After": "2"},
    {"X-Sentry-Rate-Limit-Reset": "{now_plus_2}"},
    {"Retry-After": "{http_date_plus_2}"},
])
def test_short_429_waits_then_retries_once(run, standin, headers):
    now = time.time()
    values = {"now_plus_2": str(int(now + 2)),
              "http_date_plus_2": email.utils.formatdate(now + 2, usegmt=True)}
    headers = {k: v.format(**values) for k, v in headers.items()}
    standin.fail(r"/issues/17/$", Fault(429, b'{"detail":"slow down"}', headers))
    result = run("issue-detail", "17")
    assert result.code == 0, result.err
    assert len(run.sleeps) == 1 and 0 <= run.sleeps[0] <= 3
    assert "rate limited" in result.err


def test_long_429_is_exit_6_with_reset_time(run, standin):
    standin.fail(r"/issues/17/$", Fault(429, b'{"detail":"slow down"}', {"Retry-After": "3600"}))
    result = run("issue-detail", "17")
    assert result.code == 6
    assert result.error["type"] == "rate_limited" and result.error["status"] == 429
    assert "until" in result.error["message"]
    assert run.sleeps == []
    assert len(standin.log) == 1


def test_second_429_is_not_retried_again(run, standin):
    standin.fail(r"/issues/17/$", Fault(429, b"{}", {"Retry-After": "1"}), Fault(429, b"{}", {"Retry-After": "1"}))
    result = run("issue-detail", "17")
    assert result.code == 6 and len(standin.log) == 2


def test_401_is_exit_4(run, standin, monkeypatch):
    monkeypatch.setenv("SENTRY_AUTH_TOKEN", "wrong-token-123456")
    result = run("list-issues")
    assert result.code == 4
    assert "rejected" in result.error["message"] and "SENTRY_AUTH_TOKEN" in result.error["hint"]
    assert "wrong-token-123456" not in result.err


@pytest.mark.parametrize("argv, scope", [
    (["list-issues"], "event:read"),
    (["issue-detail", "17"], "event:read"),
    (["event-detail", "74dcd623b77c40b288759bd72481546b", "--project", "backend"], "project:read"),
    (["event-detail", "74dcd623b77c40b288759bd72481546b"], "org:read"),
])
def test_403_names_the_scope(run, standin, argv, scope):
    standin.fail(r".", Fault(403, b'{"detail":"You do not have permission to perform this action."}'))
    result = run(*argv)
    assert result.code == 4
    assert scope in result.error["hint"]
    assert "permission" in result.error["message"]


def test_422_is_exit_7_with_server_detail(run, standin):
    standin.fail(r"/issues/$", Fault(422, b'{"detail":"Invalid sort"}'))
    result = run("list-issues", "--sort", "freq")
    assert result.code == 7 and "Invalid sort" in result.error["message"]


def test_500_json_is_exit_6_and_not_retried(run, standin):
    standin.fail(r"/issues/17/$", Fault(500, b'{"detail":"Internal Error"}'))
    result = run("issue-detail", "17")
    assert result.code == 6 and len(standin.log) == 1


def test_html_page_with_200_is_exit_7(run, standin):
    standin.fail(r"/issues/$", Fault(200, b"<html><body>Login</body></html>", {"Content-Type": "text/html"}))
    result = run("list-issues")
    assert result.code == 7 and "base URL" in result.error["hint"].replace("--base-url", "base URL")
    assert result.out == ""


def test_redirect_to_another_host_is_refused_without_sending_the_token(run, standin):
    with StandIn("sentry") as other:
        other_url = other.url.replace("127.0.0.1", "localhost")
        standin.fail(r"/issues/17/$", Fault(302, b"", {"Location": f"{other_url}/api/0/organizations/acme/issues/17/"}))
        result = run("issue-detail", "17")
        assert result.code == 7
        assert "redirected" in result.error["message"]
        assert other.log == []


def test_same_host_redirect_is_followed_with_the_token(run, standin):
    standin.fail(r"^/api/0/organizations/acme/issues/17/$", Fault(301, b"", {"Location": "/api/0/issues/17/"}))
    result = run("issue-detail", "17")
    assert result.code == 0, result.err
    assert result.json["shortId"] == "BACKEND-C"
    assert standin.paths() == ["/api/0/organizations/acme/issues/17/", "/api/0/issues/17/"]
    assert [e["headers"].get("Authorization") for e in standin.log] == [f"Bearer {TOKEN}"] * 2


def test_a_netrc_entry_for_the_host_neither_replaces_the_token_nor_is_sent(run, standin, tmp_path, monkeypatch):
    """requests puts ~/.netrc credentials for the host in place of an Authorization header it was
    given; Sentry then refuses the request (spec: 401 for a bad token)."""
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1\nlogin someone\npassword netrc-password-1\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    result = run("issue-detail", "17")
    assert result.code == 0, result.err
    assert [e["headers"].get("Authorization") for e in standin.log] == [f"Bearer {TOKEN}"]


def test_token_is_not_sent_to_a_host_it_does_not_belong_to(standin):
    from types import SimpleNamespace

    from sentry_skill.client import SentryClient
    settings = SimpleNamespace(base_url=standin.url, token="tok-0123456789", token_hosts={"elsewhere:1"},
                               timeout=5.0, verbose=False)
    client = SentryClient(settings)
    with pytest.raises(Exception):
        client.get("/organizations/acme/issues/17/")
    assert "Authorization" not in standin.log[0]["headers"]


def test_repeating_cursor_stops_the_walk(run, standin):
    link = ('<x>; rel="next"; results="true"; cursor="0:5:0"')
    body = b'[{"id":"1","shortId":"A-1","title":"t","project":{"slug":"a"}}]'
    standin.fail(r"/issues/$", *[Fault(200, body, {"Link": link}) for _ in range(5)])
    result = run("list-issues", "--limit", "50")
    assert result.code == 0
    assert len(standin.log) == 2  # the second page repeated the cursor
    assert "repeated" in result.err


def test_empty_page_that_claims_more_stops(run, standin):
    standin.fail(r"/issues/$", Fault(200, b"[]", {"Link": '<x>; rel="next"; results="true"; cursor="0:1:0"'}))
    result = run("list-issues", "--limit", "50")
    assert result.code == 0 and result.json == {"items": [], "count": 0}
    assert len(standin.log) == 1


def test_redirect_loop_is_bounded(run, standin):
    loop = Fault(302, b"", {"Location": "/api/0/organizations/acme/issues/17/"})
    standin.fail(r"/issues/17/$", *[loop for _ in range(10)])
    result = run("issue-detail", "17")
    assert result.code == 7 and "Too many redirects" in result.error["message"]
    assert len(standin.log) == 4


def test_body_cut_mid_answer_is_retried_then_exit_6(run, standin):
    # Claims 5000 bytes, sends 20 and closes: the client sees a broken body.
    cut = Fault(200, b'[{"id":"1","title":"x', {"Content-Length": "5000", "Connection": "close"})
    standin.fail(r"/issues/$", cut, cut)
    result = run("list-issues")
    assert result.code == 6, result.err
    assert result.out == "" and len(standin.log) == 2


def test_verbose_log_is_redacted_and_never_holds_the_token(run, standin):
    result = run("list-issues", "--query", "user.email:jane.doe@example.com 8.8.4.4", "--verbose")
    assert result.code == 0
    assert "GET /api/0/organizations/acme/issues/" in result.err
    assert "jane.doe@example.com" not in result.err and "8.8.4.4" not in result.err
    assert "standin-token" not in result.err


ISSUES = [{"id": str(n), "shortId": f"A-{n}", "title": "t", "project": {"slug": "a"}} for n in range(1, 5)]


def _page(items, link=None):
    return Fault(200, json.dumps(items).encode(), {"Link": link} if link else {})


def test_a_page_larger_than_asked_is_cut_with_a_cursor_to_the_rest(run, standin):
    """A server that ignores the page size sends all three; the end is not claimed after two."""
    whole = _page(ISSUES[:3], '<x>; rel="next"; results="false"')
    standin.fail(r"/issues/$", whole, whole)
    first = run("list-issues", "--limit", "2")
    assert [i["id"] for i in first.json["items"]] == ["1", "2"] and first.json["next_cursor"]
    second = run("list-issues", "--limit", "2", "--cursor", first.json["next_cursor"])
    assert second.code == 0, second.err
    assert [i["id"] for i in second.json["items"]] == ["3"] and "next_cursor" not in second.json
    assert "cursor" not in standin.log[1]["query"]  # the same first page, asked for again


def test_the_rest_of_a_cut_page_comes_before_the_next_page(run, standin):
    more = '<x>; rel="next"; results="true"; cursor="0:3:0"'
    standin.fail(r"/issues/$", _page(ISSUES[:3], more), _page(ISSUES[:3], more),
                 _page(ISSUES[3:], '<x>; rel="next"; results="false"'))
    first = run("list-issues", "--limit", "2")
    second = run("list-issues", "--limit", "5", "--cursor", first.json["next_cursor"])
    assert second.code == 0, second.err
    assert [i["id"] for i in first.json["items"] + second.json["items"]] == ["1", "2", "3", "4"]
    assert [e["query"].get("cursor") for e in standin.log] == [None, None, ["0:3:0"]]
    assert "next_cursor" not in second.json


def test_a_walk_cut_by_the_deadline_prints_what_it_has_and_where_to_go_on(run, standin):
    more = '<x>; rel="next"; results="true"; cursor="0:2:0"'
    standin.fail(r"/issues/$", _page(ISSUES[:2], more), Fault(delay=3.0), Fault(delay=3.0))
    started = time.monotonic()
    result = run("list-issues", "--limit", "4", "--timeout", "1")
    elapsed = time.monotonic() - started
    assert result.code == 0, result.err
    assert [i["id"] for i in result.json["items"]] == ["1", "2"] and result.json["next_cursor"] == "0:2:0"
    assert "--timeout" in result.err
    assert len(standin.log) == 2 and elapsed < 1.8, elapsed


def test_a_walk_inside_a_lookup_is_not_cut_short_into_a_wrong_answer(run, glitchtip):
    """Finding a short id by walking the list needs the whole list: out of time is exit 6, not 'not found'."""
    glitchtip.fail(r"^/api/0/organizations/acme/issues/$", Fault(200, b"[]"),  # the search: nothing (recorded)
                   _page(ISSUES[:2], '<x>; rel="next"; results="true"; cursor="0:2:0"'), Fault(delay=3.0))
    result = run("lookup-short-id", "BACKEND-C", "--timeout", "1")
    assert result.code == 6 and "timed out" in result.error["message"]


def test_a_hung_write_is_sent_once_and_the_hint_says_it_may_have_happened(run, standin):
    standin.fail(r"^/api/0/organizations/acme/issues/17/$", Fault(delay=3.0), Fault(delay=3.0))
    result = run("update-issue", "17", "--status", "resolved", "--allow-write", "--timeout", "1")
    assert result.code == 6 and "timed out" in result.error["message"]
    assert "may have been made" in result.error["hint"]
    assert [e["method"] for e in standin.log] == ["PUT"]
