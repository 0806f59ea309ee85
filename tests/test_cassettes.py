"""Cassettes hold no secret: the scrubbing hooks work, and every cassette is clean."""

import ipaddress
import re

import pytest

from cassettes_support import (ALLOWED_TOKENS, scrub_text, CASSETTES, EMAIL_RE, IPV4_RE, TOKEN_RE, domain_is_allowed,
                               ip_is_allowed, loads, scrub_request, scrub_response)

CASSETTE_FILES = sorted(CASSETTES.glob("*.yaml"))


def test_there_are_cassettes():
    assert len(CASSETTE_FILES) >= 8


def test_scrub_response_removes_what_recording_must_not_keep():
    token = "sntryu_" + "a1" * 32
    response = {
        "headers": {"Set-Cookie": ["sessionid=abc"], "Content-Type": ["application/json"],
                    "Link": ['<https://x>; rel="next"; results="false"']},
        "body": {"string": ('{"email":"real.person@gmail.com","ip":"8.8.8.8","tok":"%s",'
                            '"fake":"leaky.person@example.com","doc":"203.0.113.77","hex":"%s"}'
                            % (token, "f" * 64)).encode()},
    }
    scrubbed = scrub_response(response, token)
    body = scrubbed["body"]["string"].decode()
    assert "Set-Cookie" not in scrubbed["headers"] and "Content-Type" in scrubbed["headers"]
    assert "gmail.com" not in body and "8.8.8.8" not in body and token not in body and "f" * 64 not in body
    assert "leaky.person@example.com" in body and "203.0.113.77" in body  # documented fakes stay


def test_scrub_request_drops_credentials_and_host():
    class Request:
        uri = "http://127.0.0.1:8000/api/0/issues/1/?x=1"
        headers = {"Authorization": "Bearer real-token", "Cookie": "s=1", "Accept": "application/json"}
    scrubbed = scrub_request(Request())
    assert scrubbed.uri == "https://sentry.example.com/api/0/issues/1/?x=1"
    assert set(scrubbed.headers) == {"Accept"}


@pytest.mark.parametrize("path", CASSETTE_FILES, ids=lambda p: p.name)
def test_cassette_is_clean(path):
    text = path.read_text()
    for interaction in loads(path)["interactions"]:
        names = {name.lower() for name in interaction["request"]["headers"]}
        assert not names & {"authorization", "cookie"}
        assert interaction["request"]["uri"].startswith("https://sentry.example.com/")
        assert not {n.lower() for n in interaction["response"]["headers"]} & {"set-cookie"}
    for match in EMAIL_RE.finditer(text):
        assert domain_is_allowed(match.group(1)), match.group(0)
    for match in IPV4_RE.finditer(text):
        assert ip_is_allowed(match.group(0)), match.group(0)
    for match in TOKEN_RE.finditer(text):
        assert ALLOWED_TOKENS.fullmatch(match.group(0)), match.group(0)
    assert not re.search(r"Bearer (?!\[)[A-Za-z0-9_-]{8,}", text)
    assert "standin-token" not in text and "replay-token" not in text


def test_reserved_example_names_are_kept_and_others_scrubbed():
    text = scrub_text("pw@db.internal.example a@mail.example.org b@corp-mail.io shop@2.4.1", None)
    assert text == "pw@db.internal.example a@mail.example.org someone@example.com shop@2.4.1"


def test_ip_check_itself():
    assert not ip_is_allowed("8.8.8.8") and ip_is_allowed("203.0.113.77") and ip_is_allowed("10.20.30.40")
    assert ipaddress.ip_address("2001:db8::1") and ip_is_allowed("2001:db8::1")
