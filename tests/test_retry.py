"""The retry rules on their own: a fake clock, no sleeping, no network.

The end-to-end paths (real sockets, the notes on stderr, exit codes) are in
test_client.py, test_faults.py and test_loopback.py.
"""

import email.utils
import math
import time
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sentry_skill.errors import RETRY_LATER, RateLimited
from sentry_skill.retry import Deadline, Retry, RetryPolicy

NOW = 1_700_000_000.0  # 2023-11-14T22:13:20Z
POLICY = RetryPolicy(clock=lambda: NOW)
WRITES = ["PUT", "POST", "DELETE"]
FAILURES = ["timed out", "could not connect", "lost the connection mid-answer"]


def http_date(timestamp):
    return email.utils.formatdate(timestamp, usegmt=True)


# -- failures and 5xx --------------------------------------------------------

@pytest.mark.parametrize("status", [502, 503, 504])
def test_gateway_status_is_retried_once_for_a_get(status):
    assert POLICY.after_status("GET", 1, status, {}) == Retry(0.5, f"HTTP {status}; retrying once")
    assert POLICY.after_status("GET", 2, status, {}) is None  # the second answer is final


@pytest.mark.parametrize("what", FAILURES)
def test_transient_failure_is_retried_once_for_a_get(what):
    assert POLICY.after_failure("GET", 1, what) == Retry(0.5, f"{what}; retrying once")
    assert POLICY.after_failure("GET", 2, what) is None


@pytest.mark.parametrize("method", WRITES)
@pytest.mark.parametrize("status", [502, 503, 504])
def test_a_write_is_never_retried_after_a_gateway_status(method, status):
    assert POLICY.after_status(method, 1, status, {}) is None


@pytest.mark.parametrize("method", WRITES)
@pytest.mark.parametrize("what", FAILURES)
def test_a_write_is_never_retried_after_a_failure(method, what):
    assert POLICY.after_failure(method, 1, what) is None


@pytest.mark.parametrize("status", [200, 204, 400, 401, 403, 404, 500, 501])
def test_other_statuses_are_used_as_they_are(status):
    assert POLICY.after_status("GET", 1, status, {"Retry-After": "1"}) is None


def test_the_policy_settings_are_the_rules():
    policy = RetryPolicy(attempts=3, wait=2.0, statuses=frozenset({500}), clock=lambda: NOW)
    assert policy.after_status("GET", 1, 500, {}) == Retry(2.0, "HTTP 500; retrying once")
    assert policy.after_status("GET", 2, 500, {}).wait == 2.0
    assert policy.after_status("GET", 3, 500, {}) is None
    assert policy.after_status("GET", 1, 503, {}) is None
    assert RetryPolicy(attempts=1).after_failure("GET", 1, "timed out") is None


# -- the deadline: a retry only when it fits ------------------------------------

class FakeClock:
    def __init__(self, now=100.0):
        self.now = now

    def __call__(self):
        return self.now


def test_the_deadline_counts_down_on_its_clock():
    clock = FakeClock()
    deadline = Deadline(30.0, clock=clock)
    assert deadline.left() == 30.0
    clock.now += 29.5
    assert deadline.left() == 0.5
    clock.now += 1
    assert deadline.left() == -0.5


@pytest.mark.parametrize("what", FAILURES)
def test_a_retry_after_a_failure_is_sent_only_when_it_fits(what):
    # wait 0.5 s, then at least min_attempt (1 s) for the answer
    assert POLICY.after_failure("GET", 1, what, left=1.5) == Retry(0.5, f"{what}; retrying once")
    assert POLICY.after_failure("GET", 1, what, left=1.49) is None
    assert POLICY.after_failure("GET", 1, what, left=0.0) is None  # a timeout used it all up
    assert POLICY.after_failure("GET", 1, what, left=None) is not None  # no deadline


@pytest.mark.parametrize("status", [502, 503, 504])
def test_a_retry_after_a_gateway_status_is_sent_only_when_it_fits(status):
    assert POLICY.after_status("GET", 1, status, {}, left=20.0) == Retry(0.5, f"HTTP {status}; retrying once")
    assert POLICY.after_status("GET", 1, status, {}, left=1.0) is None  # the 503 itself is the answer


def test_a_short_429_that_does_not_fit_is_reported_with_its_reset_time():
    assert POLICY.after_status("GET", 1, 429, {"Retry-After": "3"}, left=4.0) == \
        Retry(3.0, "rate limited; waiting 3.0s, then retrying once")
    error = POLICY.after_status("GET", 1, 429, {"Retry-After": "3"}, left=3.5)
    assert isinstance(error, RateLimited) and error.message.endswith("until 2023-11-14T22:13:23Z.")


# -- 429 ---------------------------------------------------------------------

@pytest.mark.parametrize("headers, wait", [
    ({"Retry-After": "2"}, 2.0),
    ({"Retry-After": " 1.5 "}, 1.5),
    ({"Retry-After": http_date(NOW + 3)}, 3.0),
    ({"X-Sentry-Rate-Limit-Reset": str(int(NOW) + 4)}, 4.0),
    ({"Retry-After": "5"}, 5.0),  # the cap itself is still waited out
    ({"Retry-After": "0"}, 0.0),
    ({"Retry-After": "-3"}, 0.0),  # a wait is never negative
    ({"Retry-After": http_date(NOW - 60)}, 0.0),  # a reset in the past: retry at once
    ({"X-Sentry-Rate-Limit-Reset": str(int(NOW) - 60)}, 0.0),
])
def test_short_429_is_waited_out_once(headers, wait):
    assert POLICY.after_status("GET", 1, 429, headers) == \
        Retry(wait, f"rate limited; waiting {wait:.1f}s, then retrying once")


@pytest.mark.parametrize("headers", [
    {"Retry-After": "5.01"},
    {"Retry-After": http_date(NOW + 6)},
    {"X-Sentry-Rate-Limit-Reset": str(NOW + 5.5)},
])
def test_429_just_above_the_cap_is_reported_not_waited(headers):
    error = POLICY.after_status("GET", 1, 429, headers)
    assert isinstance(error, RateLimited)
    assert "until 2023-11-14T22:13:2" in error.message


def test_long_429_names_the_reset_time_from_the_clock():
    error = POLICY.after_status("GET", 1, 429, {"Retry-After": "3600"})
    assert isinstance(error, RateLimited)
    assert error.message == "Rate limited by Sentry (429) until 2023-11-14T23:13:20Z."
    assert error.hint == "Try again in 3601 s."
    assert (error.status, error.type, error.exit_code) == (429, "rate_limited", RETRY_LATER)
    later = RetryPolicy(clock=lambda: NOW + 86400).after_status("GET", 1, 429, {"Retry-After": "3600"})
    assert later.message == "Rate limited by Sentry (429) until 2023-11-15T23:13:20Z."


def test_reset_header_is_epoch_seconds_read_against_the_clock():
    headers = {"X-Sentry-Rate-Limit-Reset": str(int(NOW) + 600)}
    assert POLICY.rate_limit_wait(headers) == 600.0
    assert RetryPolicy(clock=lambda: NOW + 100).rate_limit_wait(headers) == 500.0
    error = POLICY.after_status("GET", 1, 429, headers)
    assert error.message.endswith("until 2023-11-14T22:23:20Z.") and error.hint == "Try again in 601 s."


def test_http_date_is_read_against_the_clock():
    headers = {"Retry-After": http_date(NOW + 120)}
    assert POLICY.rate_limit_wait(headers) == 120.0
    assert RetryPolicy(clock=lambda: NOW + 100).rate_limit_wait(headers) == 20.0


def test_http_date_without_a_zone_is_gmt_whatever_the_local_zone(monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Kolkata")
    time.tzset()
    try:
        assert POLICY.rate_limit_wait({"Retry-After": "Tue, 14 Nov 2023 22:15:20 -0000"}) == 120.0
    finally:
        monkeypatch.undo()
        time.tzset()


def test_429_without_any_header_is_reported_without_a_time():
    error = POLICY.after_status("GET", 1, 429, {})
    assert isinstance(error, RateLimited)
    assert error.message == "Rate limited by Sentry (429)."
    assert error.hint == "Wait a minute, then try again with a smaller --limit."


def test_second_429_is_reported_even_when_short():
    error = POLICY.after_status("GET", 2, 429, {"Retry-After": "1"})
    assert isinstance(error, RateLimited)
    assert error.message == "Rate limited by Sentry (429) until 2023-11-14T22:13:21Z."
    assert error.hint == "Try again in 2 s."


@pytest.mark.parametrize("method", WRITES)
def test_429_on_a_write_is_reported_even_when_short(method):
    assert isinstance(POLICY.after_status(method, 1, 429, {"Retry-After": "1"}), RateLimited)


def test_retry_after_comes_before_the_reset_header():
    both = {"Retry-After": "2", "X-Sentry-Rate-Limit-Reset": str(int(NOW) + 4)}
    assert POLICY.rate_limit_wait(both) == 2.0
    garbage_first = {"Retry-After": "soon", "X-Sentry-Rate-Limit-Reset": str(int(NOW) + 4)}
    assert POLICY.rate_limit_wait(garbage_first) == 4.0


@pytest.mark.parametrize("headers", [
    {"Retry-After": "soon"},
    {"Retry-After": ""},
    {"Retry-After": "   "},
    {"Retry-After": "nan"},
    {"Retry-After": "inf"},
    {"Retry-After": "-Infinity"},
    {"Retry-After": "1e400"},
    {"Retry-After": "Mon, 99 Foo 2023 25:61:61 GMT"},
    {"Retry-After": "2 seconds"},
    {"X-Sentry-Rate-Limit-Reset": "tomorrow"},
    {"X-Sentry-Rate-Limit-Reset": "nan"},
    {"X-Sentry-Rate-Limit-Reset": "2023-11-14T22:13:22Z"},
    {"Retry-After": "soon", "X-Sentry-Rate-Limit-Reset": "later"},
])
def test_garbage_header_is_no_wait_at_all(headers):
    assert POLICY.rate_limit_wait(headers) is None
    assert POLICY.after_status("GET", 1, 429, headers).message == "Rate limited by Sentry (429)."


def test_wait_past_year_9999_is_reported_without_a_time():
    error = POLICY.after_status("GET", 1, 429, {"Retry-After": "1e20"})
    assert isinstance(error, RateLimited)
    assert error.message == "Rate limited by Sentry (429)."


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["Retry-After", "X-Sentry-Rate-Limit-Reset"]), st.text(max_size=40)),
       st.integers(1, 2))
def test_any_header_text_gives_a_wait_or_an_error(headers, attempt):
    wait = POLICY.rate_limit_wait(headers)
    assert wait is None or (math.isfinite(wait) and wait >= 0)
    outcome = POLICY.after_status("GET", attempt, 429, headers)
    assert isinstance(outcome, Retry) and outcome.wait <= 5.0 or isinstance(outcome, RateLimited)


# -- the client follows the policy it is given ---------------------------------

class FakeAnswer:
    is_redirect = False

    def __init__(self, status, headers):
        self.status_code, self.headers = status, headers

    def iter_content(self, size):
        return [b'{"id": "17"}']


class FakeSession:
    def __init__(self, *answers):
        self.answers, self.sent = list(answers), 0

    def request(self, *args, **kwargs):
        self.sent += 1
        return self.answers.pop(0)


def make_client(session, policy, sleeps):
    from sentry_skill.client import SentryClient
    settings_ = SimpleNamespace(base_url="http://sentry.invalid", token="", token_hosts=set(),
                                timeout=5.0, verbose=False, allow_write=False)
    return SentryClient(settings_, session=session, sleep=sleeps.append, retry=policy, log=lambda line: None)


def test_client_sleeps_as_long_as_the_policy_says():
    sleeps = []
    session = FakeSession(FakeAnswer(429, {"Retry-After": http_date(NOW + 2)}), FakeAnswer(200, {}))
    assert make_client(session, POLICY, sleeps).get("/x/") == {"id": "17"}
    assert sleeps == [2.0] and session.sent == 2


def test_client_stops_when_the_policy_says():
    sleeps = []
    session = FakeSession(FakeAnswer(503, {}), FakeAnswer(200, {}))
    with pytest.raises(Exception) as raised:
        make_client(session, RetryPolicy(attempts=1), sleeps).get("/x/")
    assert raised.value.status == 503 and sleeps == [] and session.sent == 1


class RecordingSession(FakeSession):
    def request(self, *args, **kwargs):
        self.timeouts = getattr(self, "timeouts", []) + [kwargs["timeout"]]
        return super().request(*args, **kwargs)


def test_each_get_waits_no_longer_than_the_deadline_allows():
    from sentry_skill.client import SentryClient
    clock = FakeClock()
    session = RecordingSession(FakeAnswer(200, {}), FakeAnswer(200, {}), FakeAnswer(200, {}))
    settings_ = SimpleNamespace(base_url="http://sentry.invalid", token="", token_hosts=set(), timeout=30.0,
                                verbose=False, allow_write=True)
    client = SentryClient(settings_, session=session, sleep=lambda s: None, log=lambda line: None,
                          deadline=Deadline(30.0, clock=clock))
    client.get("/x/")
    clock.now += 26.0
    client.get("/x/")
    client.request("PUT", "/x/", json_body={})  # a write is sent whole: cutting it short would not undo it
    assert session.timeouts == [(10.0, 30.0), (4.0, 4.0), (10.0, 30.0)]
    clock.now += 5.0
    with pytest.raises(Exception) as raised:
        client.get("/x/")
    assert raised.value.exit_code == RETRY_LATER and "ran out of time" in raised.value.message
    assert session.sent == 3  # nothing is sent once the time is up


def test_a_503_near_the_deadline_is_the_answer():
    from sentry_skill.client import SentryClient
    clock = FakeClock()
    sleeps = []
    session = FakeSession(FakeAnswer(503, {}), FakeAnswer(200, {}))
    settings_ = SimpleNamespace(base_url="http://sentry.invalid", token="", token_hosts=set(), timeout=30.0,
                                verbose=False, allow_write=False)
    client = SentryClient(settings_, session=session, sleep=sleeps.append, log=lambda line: None,
                          deadline=Deadline(30.0, clock=clock))
    clock.now += 29.0
    with pytest.raises(Exception) as raised:
        client.get("/x/")
    assert raised.value.status == 503 and sleeps == [] and session.sent == 1
