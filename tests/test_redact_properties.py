"""Property tests for sentry_skill.redact: generated secrets never survive,
wherever they sit in text or structure, and ordinary text always does.

Generated secrets: emails, IPv4 and IPv6 addresses, Sentry tokens (sntrys_,
sntryu_, 64-hex), AWS key ids, Luhn-valid card numbers and phone numbers, each inside random
surrounding text joined by a separator (space, quote, `=`, `:`, `,`, `(`, `)`,
`/`). Deliberate limits of the rules, so the generators stay inside them:
- card numbers start with 2-6 (the card networks; keeps ms timestamps out);
- `N.0.0.0` right after `Name/` is a product version (Chrome/131.0.0.0), so
  generated IPv4 addresses never end in `.0.0.0`;
- degenerate IPv6 forms (`::2`, `a::b`, no digit, fewer than 4 hex digits) are
  left alone: they collide with C++ `a::b` and slices `x[1::2]`;
- a phone number is either international (a leading `+` or `00`: E.164's 8 to 15
  digits, bare after a `+`, grouped by one kind of separator) or national with
  separators (North American `(202) 555-0143`, `202-555-0143`, `202.555.0143`;
  trunk-0 numbers of 9 to 12 digits, `030 1234567`, `020 7946 0958`). A plain run of
  digits is not one: it is as likely an id, a timestamp or a number in code
  (`x = 20255501430`), so the generators never make one, and ORDINARY holds such runs;
  a `+` right after `)` is arithmetic (`len(x)+12345678`), so no phone follows a `)`.
"""

from __future__ import annotations

import ipaddress
import json
import re
import string

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sentry_skill.redact import AWS_KEY, CARD, EMAIL, IP, PHONE, TOKEN, redact, redact_text
from audit_corpus import _luhn_complete  # one Luhn helper for the corpus and the properties

SETTINGS = settings(max_examples=200, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])
LIGHT = settings(SETTINGS, max_examples=75)  # slower generators; keeps the file at a few seconds
SEPARATORS = [" ", '"', "'", "=", ":", ",", "(", ")", "/"]
# Filler that can neither hold a secret nor join one: no hex letters (they would run
# into an IPv6 address), no '@', '.', '_' or '-', and no 's' or 'j', so it never spells
# a key name such as `sig=` or `jwt:` (whose value is a secret whatever it holds).
FILLER = st.text(alphabet="ghiklmnopqrtuvwxyzGHIKLMNOPQRTUVWXYZ ", max_size=16)
LOWER_ALNUM = string.ascii_lowercase + string.digits
KEY_WORDS = re.compile(r"sntry|token|secret|pass|pwd|key|auth|sig|sid|jwt|dsn|session|cookie|csrf|cred|user_?name",
                       re.I)


# --- secret generators -------------------------------------------------------------


@st.composite
def emails(draw):
    local_chars = st.text(alphabet=string.ascii_letters + string.digits + "._%+-", min_size=0, max_size=14)
    first = draw(st.sampled_from(string.ascii_letters + string.digits))
    local = first + draw(local_chars)
    local = local.rstrip(".") or first
    assume(".." not in local)
    label = st.builds(lambda a, dash, b: a + ("-" + b if dash and b else b),
                      st.text(LOWER_ALNUM, min_size=1, max_size=8), st.booleans(), st.text(LOWER_ALNUM, max_size=6))
    labels = draw(st.lists(label, min_size=1, max_size=3))
    tld = draw(st.text(string.ascii_lowercase, min_size=2, max_size=8))
    address = f"{local}@{'.'.join(labels)}.{tld}"
    assume(not KEY_WORDS.search(address))  # `a@0token.io=x` reads as `token.io=x`: a secret's key
    return address.upper() if draw(st.booleans()) and draw(st.booleans()) else address


def _is_real_ipv4(address: ipaddress.IPv4Address) -> bool:
    text = str(address)
    return not (address.is_loopback or address.is_unspecified or text.endswith(".0.0.0"))


ipv4s = st.integers(0, 2**32 - 1).map(ipaddress.IPv4Address).filter(_is_real_ipv4).map(str)


def _is_real_ipv6(address: ipaddress.IPv6Address) -> bool:
    text = str(address)
    hex_digits = re.sub(r"[^0-9A-Fa-f]", "", text)
    groups = [g for g in re.split(r"[:.]", text) if g]
    return (not address.is_loopback and not address.is_unspecified and len(groups) >= 2
            and len(hex_digits) >= 4 and any(c.isdigit() for c in text))


@st.composite
def ipv6s(draw):
    value = draw(st.one_of(
        st.integers(0, 2**128 - 1),
        st.integers(0x2000 << 112, (0x4000 << 112) - 1),                     # global unicast
        st.integers(0, 2**64 - 1).map(lambda low: (0xFE80 << 112) | low),     # link-local
        st.integers(0, 2**32 - 1).map(lambda v4: (0xFFFF << 32) | v4),        # IPv4-mapped
        st.integers(0, 2**16 - 1).map(lambda low: (0x20010DB8 << 96) | low),  # 2001:db8::x
    ))
    address = ipaddress.IPv6Address(value)
    assume(_is_real_ipv6(address))
    text = str(address) if draw(st.booleans()) else address.exploded
    return text.upper() if draw(st.integers(0, 4)) == 0 else text


URLSAFE = string.ascii_letters + string.digits + "_-"
sentry_tokens = st.builds(lambda prefix, body: prefix + body, st.sampled_from(["sntrys_", "sntryu_"]),
                          st.text(alphabet=URLSAFE, min_size=20, max_size=80))
hex_tokens = st.text(alphabet="0123456789abcdef", min_size=64, max_size=64).map(
    lambda t: t.upper() if t.startswith("f") else t)
aws_keys = st.builds(lambda prefix, body: prefix + body, st.sampled_from(["AKIA", "ASIA"]),
                     st.text(alphabet=string.ascii_uppercase + string.digits, min_size=16, max_size=16))


@st.composite
def cards(draw):
    length = draw(st.integers(13, 19))
    body = draw(st.sampled_from("23456")) + draw(st.text(alphabet=string.digits, min_size=length - 2,
                                                         max_size=length - 2))
    number = _luhn_complete(body)
    if length == 16 and draw(st.booleans()):
        sep = draw(st.sampled_from([" ", "-"]))
        return sep.join(number[i:i + 4] for i in range(0, 16, 4))
    return number


def _digits(n):
    return st.text(alphabet=string.digits, min_size=n, max_size=n)


def _groups(draw, digits: str, sep: str) -> str:
    """`digits` cut into groups of 2 to 4 with one separator (the first group takes the rest)."""
    sizes = []
    left = len(digits)
    while left > 4:
        size = draw(st.integers(2, min(4, left - 2)))
        sizes.append(size)
        left -= size
    sizes.append(left)
    sizes.reverse()
    out, at = [], 0
    for size in sizes:
        out.append(digits[at:at + size])
        at += size
    return sep.join(out)


@st.composite
def phones(draw):
    form = draw(st.sampled_from(["e164", "intl", "intl00", "nanp", "nanp-paren", "trunk"]))
    if form in ("e164", "intl", "intl00"):
        country = draw(st.sampled_from(["1", "7", "33", "44", "49", "61", "353", "880"]))
        subscriber = draw(_digits(draw(st.integers(max(7, 8 - len(country)), 15 - len(country)))))
        if form == "e164":
            return f"+{country}{subscriber}"
        sep = draw(st.sampled_from([" ", "-", "."])) if form == "intl" else " "
        return ("+" if form == "intl" else "00") + country + sep + _groups(draw, subscriber, sep)
    area = draw(st.sampled_from("23456789")) + draw(_digits(2))
    exchange = draw(st.sampled_from("23456789")) + draw(_digits(2))
    line = draw(_digits(4))
    if form == "nanp":
        sep = draw(st.sampled_from(["-", "."]))
        return f"{area}{sep}{exchange}{sep}{line}"
    if form == "nanp-paren":
        return f"({area}) {exchange}-{line}"
    prefix = "0" + draw(st.sampled_from("123456789")) + draw(_digits(draw(st.integers(0, 3))))
    rest = draw(_digits(draw(st.integers(max(2, 9 - len(prefix)), 12 - len(prefix)))))
    sep = draw(st.sampled_from([" ", "-", "/"]))
    return prefix + sep + _groups(draw, rest, sep)


SECRETS = {  # kind -> (strategy, the marker that must stand in its place)
    "email": (emails(), EMAIL),
    "ipv4": (ipv4s, IP),
    "ipv6": (ipv6s(), IP),
    "sentry-token": (sentry_tokens, TOKEN),
    "hex-token": (hex_tokens, TOKEN),
    "aws-key": (aws_keys, AWS_KEY),
    "card": (cards(), CARD),
    "phone": (phones(), PHONE),
}
ANY_SECRET = st.one_of(*[st.tuples(st.just(kind), strategy) for kind, (strategy, _) in SECRETS.items()])


@st.composite
def embedded(draw, secret_strategy=ANY_SECRET):
    kind, secret = draw(secret_strategy)
    left, right = draw(st.sampled_from(SEPARATORS)), draw(st.sampled_from(SEPARATORS))
    if kind == "sentry-token":  # a token runs on through '=', ':', '(' and '/' (base64 and padding)
        right = draw(st.sampled_from([" ", '"', "'", ",", ")"]))
    if kind == "phone" and secret[0] == "+" and left == ")":  # `f(x)+12345678` is arithmetic
        left = draw(st.sampled_from([" ", '"', "'", "=", ":", ",", "(", "/"]))
    return kind, secret, draw(FILLER), left, right, draw(FILLER)


def _fragments(kind: str, secret: str) -> list:
    """The secret, and what of it would identify it if only part were cut out."""
    out = [secret]
    if kind == "email":
        out.append(secret.split("@")[0] + "@")
    if kind == "card":
        out.append(re.sub(r"\D", "", secret))
    if kind == "sentry-token":
        out.append(secret[7:])
    if kind == "phone":
        out.append(re.findall(r"\d+", secret)[-1])  # its last group of digits
    return out


def _assert_gone(kind, secret, text):
    for fragment in _fragments(kind, secret):
        assert fragment not in text, (kind, secret, text)


# --- secrets never survive -----------------------------------------------------------


@SETTINGS
@given(embedded())
def test_secret_in_text_is_replaced_by_its_marker(case):
    kind, secret, pre, left, right, post = case
    text = f"{pre}{left}{secret}{right}{post}"
    out = redact_text(text)
    _assert_gone(kind, secret, out)
    assert out == f"{pre}{left}{SECRETS[kind][1]}{right}{post}", (kind, text, out)


@SETTINGS
@given(embedded(), st.sampled_from(["value", "key", "list", "json", "nested-json", "pair"]))
def test_secret_in_structures_never_survives(case, where):
    kind, secret, pre, left, right, post = case
    text = f"{pre}{left}{secret}{right}{post}"
    value = {
        "value": {"message": text},
        "key": {text: 1, "n": [text]},
        "list": [1, text, None],
        "json": json.dumps({"message": text, "n": 1}),
        "nested-json": {"extra": {"payload": json.dumps({"body": json.dumps([text])})}},
        "pair": [["note", text], ["page", "2"]],
    }[where]
    out = json.dumps(redact(value), ensure_ascii=False)
    _assert_gone(kind, secret, out)
    assert SECRETS[kind][1] in out


@LIGHT
@given(st.lists(ANY_SECRET, min_size=2, max_size=5), st.sampled_from(SEPARATORS[:4]))
def test_several_secrets_in_one_string(secrets, separator):
    text = " ; ".join(f"x{separator}{secret}" if kind != "sentry-token" else f"x{separator}{secret} "
                      for kind, secret in secrets)
    out = redact_text(text)
    for kind, secret in secrets:
        _assert_gone(kind, secret, out)


@LIGHT
@given(emails())
def test_url_encoded_and_mailto_emails(address):
    local, domain = address.split("@")
    for text in (f"?email={local}%40{domain}&page=2", f"mailto:{address}", f"<{address}>"):
        out = redact_text(text)
        assert local + "@" not in out and local + "%40" not in out, (text, out)


# --- ordinary text survives -------------------------------------------------------------


small = st.integers(0, 255)
versions = st.one_of(
    st.builds("{}.{}.{}".format, small, small, small),
    st.builds("v{}.{}.{}".format, small, small, small),
    st.builds("{}.{}.{}.{}-{}".format, small, small, small, small, st.sampled_from(["beta", "rc1", "alpha.2"])),
    st.builds("{}.{}.{}.{}.{}".format, small, small, small, small, small),
    st.builds("Chrome/{}.0.0.0".format, st.integers(60, 200)),
    st.builds("{}@{}.{}.{}".format, st.sampled_from(["shop", "express", "storefront"]), small, small, small),
)
hex_ids = st.one_of(st.text(alphabet="0123456789abcdef", min_size=32, max_size=32),
                    st.text(alphabet="0123456789abcdef", min_size=40, max_size=40))
uuids = st.uuids().map(str)
datetimes = st.datetimes().map(
    lambda d: d.isoformat(timespec=["seconds", "milliseconds", "microseconds"][d.microsecond % 3]))
iso_strings = st.one_of(
    datetimes, datetimes.map(lambda s: s + "Z"), datetimes.map(lambda s: s + "+00:00"),
    st.dates().map(str), st.times().map(lambda t: t.isoformat()),
)
path_segment = st.builds(str.__add__, st.sampled_from(string.ascii_lowercase), st.text(LOWER_ALNUM, max_size=10))
paths = st.builds(
    lambda parts, ext, line, col: "/".join(parts) + ext + f":{line}" + (f":{col}" if col else ""),
    st.lists(path_segment, min_size=1, max_size=4), st.sampled_from([".py", ".js", ".ts", ".rb", ".go"]),
    st.integers(1, 99999), st.one_of(st.none(), st.integers(1, 200)),
)
paths = st.one_of(paths, st.sampled_from([  # file names that hold secret-like words
    "auth/token_service.py:57", "app/password_reset.py:12:4", "lib/secret_store.rb:9",
    "src/api_key.ts:3:14", "session.js:88", "middleware/csrf.py:140", "app/cookies.go:7"]))
integers = st.integers(-(10**12) + 1, 10**12 - 1).map(str)
floats = st.floats(allow_nan=False, allow_infinity=False).map(repr)
# Numbers a phone rule must leave alone: calendar versions, ports, line numbers, bare
# digit runs in code and timestamps (phone-sized, but without a + or separators), offsets.
numbers = st.one_of(
    st.builds("{}.{}.{}".format, st.integers(2000, 2099), st.integers(1, 12), st.integers(1, 31)),
    st.builds("localhost:{}".format, st.integers(1, 65535)), st.builds(":{}".format, st.integers(1, 65535)),
    st.builds("line {}".format, st.integers(1, 99999)),
    st.builds("x = {}".format, st.integers(10**7, 10**12)), st.integers(10**12, 2 * 10**12).map(str),
    st.sampled_from(["+05:30", "+0530", "-08:00", "1e+16", "char 76", "(char 74)"]),
)
ORDINARY = st.one_of(versions, hex_ids, uuids, iso_strings, paths, integers, floats, numbers)


@SETTINGS
@given(ORDINARY, FILLER, st.sampled_from(SEPARATORS))
def test_ordinary_text_survives_unchanged(text, pre, separator):
    for candidate in (text, f"{pre}{separator}{text}", f"{text}{separator}{pre}"):
        assert redact_text(candidate) == candidate
    assert redact({"value": text, "list": [text]}) == {"value": text, "list": [text]}
    assert list(redact({text: 1})) == [text]  # as a key (its value follows the key-name rules)


@LIGHT
@given(st.lists(ORDINARY, min_size=1, max_size=6))
def test_ordinary_text_in_json_strings_survives(values):
    text = json.dumps({"values": values})
    assert redact(text) == text
    assert redact([{"line": " ".join(values)}]) == [{"line": " ".join(values)}]


@SETTINGS
@given(st.one_of(st.integers(-(10**12) + 1, 10**12 - 1), st.floats(allow_nan=False, allow_infinity=False)))
def test_numbers_survive(number):
    assert redact({"n": number, "l": [number]}) == {"n": number, "l": [number]}


# --- what the audit and these properties found (kept as fixed examples) -------------------


def test_found_leaks_stay_fixed():
    cases = {
        # an address after a path segment (only `Name/N.0.0.0` is a product version)
        "GET /api/clients/203.0.113.9/ban": "GET /api/clients/[ip]/ban",
        "Chrome/131.0.0.0 Safari/537.36 OPR/114.0.0.0": "Chrome/131.0.0.0 Safari/537.36 OPR/114.0.0.0",
        # a query string URL-encoded inside a query value
        "next=/admin%3Fip%3D198.51.100.7%26card%3D4111111111111111%26password%3Dhunter2%26page%3D3":
            "next=/admin%3Fip%3D[ip]%26card%3D[card]%26password%3D[secret]%26page%3D3",
        "r=%2Fx%3Dakia%3DAKIAABCDEFGHIJKLMNOP": "r=%2Fx%3Dakia%3D[aws-key]",
        # card numbers in URL-encoded forms and CSV rows
        "card=4111+1111+1111+1111&remember=1": "card=[card]&remember=1",
        "card=4111%201111%201111%201111": "card=[card]",
        "1001,4111111111111111,12/29,123": "1001,[card],12/29,123",
        # an email the server cut short (GlitchTip titles end in '…')
        "ValueError: Invalid login for jane.doe@exam\u2026": "ValueError: Invalid login for [email]\u2026",
        # IPv6 with a label or a colon glued on
        "ip:2001:db8::7334 id:2001:db8::1": "ip:[ip] id:[ip]",
        "connect to 2001:db8::1: connection refused": "connect to [ip]: connection refused",
    }
    for text, expected in cases.items():
        assert redact_text(text) == expected, text


def test_found_false_positives_stay_fixed():
    for text in ("File app/services/token_service.py:57 in charge", "auth/token.py:12:7", "session.js:88",
                 "Chrome/131.0.0.0", "release shop@2.4.1...", "loading @sentry/node\u2026", "12:34:56", "std::vector"):
        assert redact_text(text) == text
    # A ["name", value] pair is a header or query parameter only when its first item is a name.
    assert redact([["Invalid token", "abc"], ["token_service.py:57", "x"]]) == [
        ["Invalid token", "abc"], ["token_service.py:57", "x"]]
    assert redact([["token", "abc"], ["X-Api-Key", "k"]]) == [["token", "[secret]"], ["X-Api-Key", "[secret]"]]
