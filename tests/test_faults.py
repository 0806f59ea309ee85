"""Every fault that breaks API clients in production, one row each.

For each: the documented exit code, a message and a hint, a bounded number of
requests, a bounded time, and nothing on stdout when the command fails.
"""

import time

import pytest

from standin import Fault, StandIn

BIG = b"[" + b'{"id":"1","title":"' + b"x" * (2 * 1024 * 1024) + b'"}]'
CUT = {"Content-Length": "5000", "Connection": "close"}
LINK = {"Link": '<x>; rel="next"; results="true"; cursor="0:5:0"'}
ISSUE = b'{"id":"17","shortId":"BACKEND-C","title":"t","project":{"slug":"backend"}}'

# name, faults queued on the path, command, expected exit code, requests sent
FAULTS = [
    ("500 with JSON", [Fault(500, b'{"detail":"Internal Error"}')], "detail", 6, 1),
    # An HTML 500 on a GET is how GlitchTip says "no such route": the older path is asked once.
    ("500 as an HTML page: older path asked once", [Fault(500, b"<html>Server Error</html>")], "detail", 0, 2),
    ("502 twice", [Fault(502, b"Bad Gateway")] * 2, "detail", 6, 2),
    ("503 twice", [Fault(503, b"")] * 2, "detail", 6, 2),
    ("504 twice", [Fault(504, b"<html>Gateway Timeout</html>")] * 2, "detail", 6, 2),
    ("502 then success", [Fault(502)], "detail", 0, 2),
    ("429 with Retry-After 120", [Fault(429, b"{}", {"Retry-After": "120"})], "detail", 6, 1),
    ("429 with an HTTP-date far away", [Fault(429, b"{}", {"Retry-After": "Wed, 21 Oct 2099 07:28:00 GMT"})],
     "detail", 6, 1),
    ("429 with X-Sentry-Rate-Limit-Reset far away",
     [Fault(429, b"{}", {"X-Sentry-Rate-Limit-Reset": str(int(time.time()) + 3600)})], "detail", 6, 1),
    ("429 short, twice", [Fault(429, b"{}", {"Retry-After": "1"})] * 2, "detail", 6, 2),
    ("429 without any header", [Fault(429, b"{}")], "detail", 6, 1),
    ("429 with Retry-After inf", [Fault(429, b"{}", {"Retry-After": "inf"})], "detail", 6, 1),
    # The hang uses up the command's --timeout: no time is left for a retry.
    ("hang past the timeout", [Fault(delay=3.0)] * 2, "detail in 1 s", 6, 1),
    ("connection reset, twice", [Fault(reset=True)] * 2, "detail", 6, 2),
    ("connection reset, then success", [Fault(reset=True)], "detail", 0, 2),
    ("HTML page with status 200", [Fault(200, b"<html><body>Sign in</body></html>", {"Content-Type": "text/html"})],
     "detail", 7, 1),
    ("malformed JSON", [Fault(200, b'{"id": "17", "title": ')], "detail", 7, 1),
    ("empty body with 200", [Fault(200, b"")], "detail", 7, 1),
    ("JSON of the wrong type", [Fault(200, b"[1, 2, 3]")], "detail", 7, 1),
    ("body cut mid-answer, twice", [Fault(200, b'{"id":"17","ti', CUT)] * 2, "detail", 6, 2),
    ("huge body", [Fault(200, BIG)], "list", 7, 1),
    # No API answer where the only path is: an operation this server lacks (GlitchTip's 404 page), or no Sentry at all.
    ("404 as an HTML page", [Fault(404, b"<html>Not Found</html>", {"Content-Type": "text/html"})], "list", 7, 1),
    ("401", [Fault(401, b'{"detail":"Invalid token"}')], "detail", 4, 1),
    ("400 with a list detail", [Fault(400, b'{"detail":[{"msg":"bad query"}]}')], "list", 7, 1),
    ("cursor that repeats forever", [Fault(200, b"[" + ISSUE + b"]", LINK)] * 50, "list", 0, 2),
    ("empty page that says results=true", [Fault(200, b"[]", LINK)] * 50, "list", 0, 1),
]
# --timeout covers the whole command: 3 s leaves room for a retry after a quick failure or a short 429.
COMMANDS = {"detail": ["issue-detail", "17", "--timeout", "3"],
            "detail in 1 s": ["issue-detail", "17", "--timeout", "1"],
            "list": ["list-issues", "--limit", "500", "--timeout", "3"]}


@pytest.mark.parametrize("name, faults, command, code, requests", FAULTS, ids=[f[0] for f in FAULTS])
def test_fault(run, standin, monkeypatch, name, faults, command, code, requests):
    monkeypatch.setattr("sentry_skill.client.MAX_BODY_BYTES", 1024 * 1024)  # a 2 MB answer is "huge" here
    standin.fail(r"^/api/0/organizations/acme/issues/(17/)?$", *faults)
    started = time.monotonic()
    result = run(*COMMANDS[command])
    elapsed = time.monotonic() - started
    assert result.code == code, result.err
    assert len(standin.log) == requests
    assert elapsed < 4.5  # the --timeout and a little more, whatever the fault
    assert "standin-token" not in result.out + result.err
    if code:
        assert result.out == ""
        error = result.error
        assert error["message"] and error.get("hint")
        assert "Traceback" not in result.err
    else:
        assert result.json


def test_redirect_to_another_host_never_carries_the_token(run, standin):
    with StandIn("sentry") as other:
        target = other.url.replace("127.0.0.1", "localhost") + "/api/0/organizations/acme/issues/17/"
        standin.fail(r"/issues/17/$", Fault(302, b"", {"Location": target}),)
        result = run("issue-detail", "17")
        assert result.code == 7 and result.out == ""
        assert other.log == []
        standin.fail(r"/issues/17/$", Fault(307, b"", {"Location": target.replace("localhost", "127.0.0.1")}))
        result = run("issue-detail", "17")  # same address, other port: another host too
        assert result.code == 7 and other.log == []
