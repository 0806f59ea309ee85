"""Secrets and personal data in free text: the typed markers, and the patterns that find
what to replace in any string (exception values, messages, breadcrumbs, source lines,
URLs, query strings, bodies).

Each finding becomes a short typed marker (`[email]`, `[ip]`, ...), so the text around it
stays readable. redact.py walks the structures and decides by key and by whose data it is;
this module only reads text. Every pattern runs only when a cheap trigger hits. The
patterns that every run needs are compiled at import; those behind a rare trigger are
kept as text and compiled on first use (re caches them): compiling all of them cost
every run about 2 ms, and most runs need few of them.
"""

from __future__ import annotations

import ipaddress
import re

EMAIL = "[email]"
IP = "[ip]"
TOKEN = "[token]"
AWS_KEY = "[aws-key]"
AUTH = "[auth]"
SECRET = "[secret]"
CARD = "[card]"
USERNAME = "[username]"
PHONE = "[phone]"
NAME = "[name]"
GEO = "[geo]"
TIMEZONE = "[timezone]"
AVATAR = "[avatar]"
TOO_DEEP = "[too-deep]"
MARKERS = (EMAIL, IP, TOKEN, AWS_KEY, AUTH, SECRET, CARD, USERNAME, PHONE, NAME, GEO, TIMEZONE, AVATAR, TOO_DEEP)

MASKED = frozenset({"[Filtered]", "[filtered]", "[Redacted]", "[redacted]", "[REDACTED]", ""}) | set(MARKERS)
_KEEP_LITERALS = frozenset({"true", "false", "null", "None", "True", "False"})
_SCHEMES = r"Bearer|bearer|BEARER|Basic|DSN|Dsn|Token|Digest"

# --- free-text patterns (each is only run when a cheap trigger hits; a plain string is one
# behind a rare trigger, compiled on first use by re.sub/re.search)
_URL_USERINFO = re.compile(r"(\b[A-Za-z][A-Za-z0-9+.-]*://)[^\s/?#@\"'<>\\\[\]]+@(?=[\w\[])")
_AUTH_SCHEME = (
    r"(?P<hdr>(?i:authorization)\\?[\"']?\s*[:=]\s*\\?[\"']?)?"
    r"\b(?P<scheme>" + _SCHEMES + r")[ \t]+(?P<val>[^\s\"'\\,;<>]+)"
)
_CREDLIKE = r"[0-9_=+/.:~-]|[a-z].*[A-Z]|[A-Z].*[A-Z]"
_KV_STRONG = (r"password|passwd|passphrase|secret|token|api[_-]?key|credentials?|private[_-]?key"
              r"|access[_-]?key|csrf|xsrf|authorization|cookie|signature")
_KV_WEAK = r"auth|pwd|pass|sig|session|sessionid|sid|jwt|dsn|sentry_key|glitchtip_key|user_?name"
_MASK_ALT = "|".join(re.escape(m) for m in sorted(MASKED) if m)
_ALREADY = r"(?:" + _SCHEMES + r")(?:\s+(?:" + _MASK_ALT + r"))?|(?:" + _MASK_ALT + ")"
# `%3D` is a URL-encoded `=` (a query string inside a query value); such a value
# ends at `%26`, an encoded `&`.
_KV = (
    r"(?i)(?<![\w.-])(?P<name>[\w.-]*(?:" + _KV_STRONG + r")[\w.-]*|(?:" + _KV_WEAK + r"))\\?[\"']?"
    r"(?:\s*[:=]\s*(?:\\?\"(?P<dq>[^\"\\\n]*)|\\?'(?P<sq>[^'\\\n]*))"
    r"|(?:=|%3[Dd]|:[ \t]*)(?P<uq>(?:[^\s&\"'\\,;}<>\[\]%]|%(?!26))+))"
)
_TRIGGER = re.compile(r"pass|pwd|secret|token|key|auth|sig|session|sid|jwt|dsn|cred|csrf|xsrf|cookie|bearer|basic|digest|user_?name", re.I)
_SENTRY_TOKEN = r"sntry[su]_[^\s\"'&\\<>,;)\]\u2026]{6,}"
# A token the server cut short ("token sntryu_p…": GlitchTip cuts titles at 100 chars).
_SENTRY_TOKEN_CUT = r"sntry[su]_[^\s\"'&\\<>,;)\]\u2026]*(?=\u2026|\.\.\.)"
# `_PCT`: right after a URL-encoded character (`%3D` of an encoded `=`, `%2F`), which
# ends in a letter or digit yet is a separator.
_PCT = r"(?<=%[0-9A-Fa-f]{2})"
_AWS_KEY = r"(?:(?<![A-Za-z0-9])|" + _PCT + r")(?:AKIA|ASIA)[A-Z0-9]{16,}(?![A-Za-z0-9])"
_EMAIL = r"[A-Za-z0-9._%+-]{1,64}(?:@|%40)(?:[A-Za-z0-9-]{1,63}\.){1,10}[A-Za-z]{2,24}(?![A-Za-z0-9-])"
# An address the server cut short ("… for jane.doe@exam…": GlitchTip cuts titles at 100 chars).
_EMAIL_CUT = r"[A-Za-z0-9._%+-]{1,64}(?:@|%40)(?:[A-Za-z][A-Za-z0-9.-]*)?(?=\u2026|\.\.\.)"
_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
# Not after a letter/digit/dot (v1.2.3.4, 1.2.3.4.5) or a `+` (a phone number grouped by
# dots); not before `.digit`, a letter/digit or `-letters` (1.2.3.4-beta): those are versions.
# After `Name/` only `N.0.0.0` is a version (Chrome/131.0.0.0); `/clients/203.0.113.9` is an address.
_IPV4 = re.compile(r"(?:(?<![\w.+])|" + _PCT + r")(?:" + _OCTET + r"\.){3}" + _OCTET + r"(?![\w]|\.\d|-[A-Za-z])")
# A whole run of hex digits, colons and dots with at least two colons; `_ipv6_sub`
# finds the address in it (a run may carry a label or a colon: `ip:2001:db8::1:`).
_IPV6_CAND = re.compile(r"(?<![0-9A-Fa-f:.])[0-9A-Fa-f.]*(?::[0-9A-Fa-f.]*){2,}")
_HEX_LETTERS = re.compile(r"[A-Fa-f]*")
_HEX64 = r"(?:(?<![0-9A-Za-z])|" + _PCT + r")[0-9a-fA-F]{64}(?![0-9A-Za-z])"
# Card-shaped: a plain 13-19 digit run, or 4-4-4-1..7 / Amex 4-6-4..5 groups with one
# kind of separator (space, dash, or a URL-encoded space: `+`, `%20`). First digit 2-6
# (the card networks), which keeps ms timestamps out.
_CARD_SEP = r"([ -]|\+|%20)"
# Not inside a decimal (0.4111111111111111), a signed number or a phone number (+49...);
# a comma is a list or CSV separator (`1001,4111111111111111,12/29`).
_CARD = re.compile(
    r"(?:(?<![\w.+-])|" + _PCT + r")(?:[2-6]\d{12,18}|[2-6]\d{3}" + _CARD_SEP + r"\d{4}\1\d{4}\1\d{1,7}"
    r"|3\d{3}" + _CARD_SEP + r"\d{6}\2\d{4,5})"
    r"(?![\w]|\.\d)"
)
# Phone numbers. Which digits are a phone is decided by shape, because versions, dates,
# ids, ports, line numbers and numbers in code are digits too:
# - international: a leading `+` (or `00`, or a URL-encoded `%2B`) and 8 to 15 digits, the
#   E.164 limits; bare after a `+` (the form applications store), else grouped by spaces,
#   dots or dashes, with an optional bracketed part: +1-202-555-0143, +44 (0)20 7946 0958;
# - North American, only with its separators: (202) 555-0143, 202-555-0143, 202.555.0143
#   (area and exchange codes start with 2-9);
# - national with a trunk 0, 9 to 12 digits in groups of one separator: 030 1234567,
#   020 7946 0958, 06-12345678, 030/1234567, 01 23 45 67 89.
# A plain run of digits is never one (`x = 20255501430` is as likely an id, a timestamp or a
# number in code), nor digits glued to letters, a dot, a dash or a `+` (versions 1.2.3,
# 2026.11.23, dates 2026-11-23, UUIDs, `1e+10`), nor digits after `12:` or `1, ` (times,
# ports, lists) or inside a longer run of groups (hex dumps `00 01 02 03`).
_NOT_IN_NUMBER = r"(?<![\w.+\-])(?<!\d[:, ])"
_PHONE = re.compile(
    r"(?P<intl>(?<![\w+.)\]\-])\+(?=[1-9])|(?<![\w+.\-])00(?=[1-9]))"  # no country code starts with 0
    r"\d+(?:[ .\-]?\(\d{1,5}\)[ .\-]?\d+|[ .\-]\d+){0,7}(?![\w]|[.\-]\d)"
    r"|(?<=%2[Bb])(?P<encoded>\d{8,15})(?![\w])"
    r"|" + _NOT_IN_NUMBER + r"(?:\([2-9]\d\d\) ?[2-9]\d\d[ .\-]\d{4}|[2-9]\d\d(?P<ns>[.\-])[2-9]\d\d(?P=ns)\d{4})"
    r"(?![\w]|[.\-]\d)"
    r"|" + _NOT_IN_NUMBER + r"(?P<trunk>\(0[1-9]\d{0,3}\) ?\d+(?:[ \-]\d+){0,3}"
    r"|0[1-9]\d*(?P<ts>[ \-/])\d+(?:(?P=ts)\d+){0,3})(?![\w]|[.\-/]\d| \d)"
)
_DIGIT_GROUPS = re.compile(r"\d+")
_TWO_DIGITS = re.compile(r"\d\d")  # every phone form has two digits in a row: a cheap first look
# Personal values in text by their key: JSON or dict literals ("city": "Springfield",
# 'phone': '...') and query strings (lat=52.5). A quoted value must close, so that a
# value cut short ("phone": "+1-202-555-0143}]) is left to the value rules. `name`
# counts only in text that also has an email, phone or username key: then it names a person.
_PERSONAL_KV = (
    r"(?i)(?<![\w.-])(?P<q>\\?[\"'])?(?P<name>first_?name|last_?name|full_?name|given_?name|family_?name|middle_?name"
    r"|display_?name|customer_?name|surname|city|country_?code|latitude|longitude|lat|lng|lon|time_?zone"
    r"|phone(?:_?number)?|mobile(?:_?phone)?|telephone|msisdn|fax|name)(?(q)\\?[\"'])"
    r"(?:\s*[:=]\s*(?:\\?\"(?P<dq>[^\"\\\n]*)(?=\\?\")|\\?'(?P<sq>[^'\\\n]*)(?=\\?'))"
    r"|=(?P<uq>[^\s&\"'\\,;}<>\[\]]+))"
)
_PERSONAL_TRIGGER = re.compile(r"name|city|country|lat|lng|lon|zone|phone|mobile|tel|msisdn|fax", re.I)
_PERSON_IN_TEXT = r"(?i)\b(?:e-?mail|phone|mobile|user_?name|ip_?address)\\?[\"']?\s*[:=]|\[email\]|\[phone\]"
_GRAVATAR = r"(gravatar\.com/avatar/)[0-9a-fA-F]{32,64}"


def luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _card_sub(m: re.Match) -> str:
    digits = re.sub(r"\D", "", m.group(0).replace("%20", " "))
    return CARD if 13 <= len(digits) <= 19 and luhn(digits) else m.group(0)


def _phone_sub(m: re.Match) -> str:
    text = m.group(0)
    groups = _DIGIT_GROUPS.findall(text)
    digits = sum(map(len, groups))
    if m.group("intl") == "00":  # without a `+`, only spaced groups tell it from a date or an id
        digits -= 2
        ok = (8 <= digits <= 15 and len(groups) > 1 and len(groups[0]) <= 5 and all(len(g) > 1 for g in groups[2:])
              and text.count(" ") == len(groups) - 1)
    elif m.group("intl") or m.group("encoded"):
        ok = 8 <= digits <= 15
    elif m.group("trunk"):
        ok = 9 <= digits <= 12 and 2 <= len(groups[0]) <= 5 and all(2 <= len(g) <= 8 for g in groups[1:])
    else:
        ok = True  # North American: its shape is the whole rule
    return PHONE if ok else text


def _ipv4_sub(m: re.Match) -> str:
    ip, start = m.group(0), m.start()
    # Loopback and "any" addresses name a machine's own sockets, never a person.
    if ip.startswith("127.") or ip == "0.0.0.0":
        return ip
    # A product version: Chrome/131.0.0.0, OPR/114.0.0.0 (never a host's address).
    if ip.endswith(".0.0.0") and start >= 2 and m.string[start - 1] == "/" and m.string[start - 2].isalpha():
        return ip
    return IP


def _is_ipv6(cand: str) -> bool:
    groups = [g for g in re.split(r"[:.]", cand) if g]
    # Demand real content so `[1::2]` slices, `a::b` and `::` survive.
    if len(groups) < 2 or sum(map(len, groups)) < 4 or not re.search(r"\d", cand) or ":" not in cand:
        return False
    try:
        ipaddress.IPv6Address(cand)
    except ValueError:
        return False  # times like 12:34:56, MAC addresses
    return True


def _ipv6_sub(m: re.Match) -> str:
    run = m.group(0)
    if len(run) > 80:  # longer than any address with a label: not one
        return run
    body = run.rstrip(".")  # the end of a sentence
    # A label glued on with a colon: "ip:2001:db8::1" (the run starts at ':'), "id:2001:db8::1"
    # (the run starts inside the word, at 'd'); a label alone ("abc:2001:db8::1") goes with it.
    in_word = m.start() > 0 and (m.string[m.start() - 1].isalnum() or m.string[m.start() - 1] == "_")
    for cand in (body, body[:-1] if body.endswith(":") else None):  # "2001:db8::1: refused"
        if cand is None:
            continue
        if cand == "::1":  # loopback, as for 127.0.0.1
            return run
        tail = run[len(cand):]
        head, _, rest = cand.partition(":")
        label = bool(_HEX_LETTERS.fullmatch(head)) and rest != "::1"
        if label and (in_word or not head) and _is_ipv6(rest):
            return head + ":" + IP + tail
        if _is_ipv6(cand):
            return IP + tail
        if label and _is_ipv6(rest):
            return head + ":" + IP + tail
    return run


def _personal_sub(m: re.Match, text: str) -> str:
    grp = "dq" if m.group("dq") is not None else "sq" if m.group("sq") is not None else "uq"
    val = m.group(grp).strip()
    if val in MASKED or val in _KEEP_LITERALS or (val.startswith("[") and val.endswith("]")):
        return m.group(0)
    key = norm_key(m.group("name"))
    if key == "name":
        if not re.search(_PERSON_IN_TEXT, text):
            return m.group(0)
        marker = NAME
    else:
        marker = personal_key(key) or NAME
    if marker == PHONE and grp == "uq" and m.string[m.end():m.end() + 1] == " ":
        return m.group(0)  # `phone=+1 202 555 0143`: the whole number is the phone rule's
    s, e = m.start(grp) - m.start(), m.end(grp) - m.start()
    return m.group(0)[:s] + marker + m.group(0)[e:]


def _auth_sub(m: re.Match) -> str:
    val = m.group("val")
    # Without an `Authorization:` label, demand a credential-looking value, so that
    # prose such as "Basic usage" or "Token expired" stays readable.
    if val in MASKED or (not m.group("hdr") and (len(val) < 8 or not re.search(_CREDLIKE, val))):
        return m.group(0)
    return m.group(0)[: m.start("val") - m.start()] + AUTH


# A source file and its line, as in tracebacks: `auth/token_service.py:57`, `session.js:12:7`.
_SOURCE_FILE = (
    r"(?i)\.(?:py|pyc|pyx|js|mjs|cjs|jsx|ts|tsx|rb|erb|go|java|kt|kts|scala|groovy|php|cs|fs|vb|rs|c|h|cc|cpp|hpp"
    r"|m|mm|swift|dart|ex|exs|erl|clj|lua|pl|pm|sh|vue|svelte|html|jinja|j2|tmpl)$")
_LINE_COL = r"\d{1,7}(?::\d{1,5})?(?!\w)"
# What can name a header, query parameter or tag in a ["name", value] pair (not a
# sentence, not a file path: ["Invalid token", "abc"], ["token_service.py:57", "x"]).
_NAME = r"[\w.\-\[\]]{1,64}"


def is_name(text: str) -> bool:
    return bool(re.fullmatch(_NAME, text)) and not re.search(_SOURCE_FILE, text)


def _kv_sub(m: re.Match) -> str:
    grp = "dq" if m.group("dq") is not None else "sq" if m.group("sq") is not None else "uq"
    val = m.group(grp).strip()
    if val in MASKED or val in _KEEP_LITERALS or re.fullmatch(_ALREADY, val):
        return m.group(0)
    if grp == "uq" and re.match(_LINE_COL, val) and re.search(_SOURCE_FILE, m.group("name")) \
            and m.string[m.start("uq") - 1] == ":":
        return m.group(0)  # a file and its line, not a secret
    s, e = m.start(grp) - m.start(), m.end(grp) - m.start()
    marker = USERNAME if m.group("name").lower().replace("_", "") == "username" else SECRET
    return m.group(0)[:s] + marker + m.group(0)[e:]


def mask_text(s: str, secrets: tuple) -> str:
    """Apply the free-text rules to one string. Order matters: whole credentials
    (URLs with userinfo, `Bearer x`, `password=x`) go before the smaller patterns."""
    for sec in secrets:
        if sec in s:
            s = s.replace(sec, TOKEN)
    if "://" in s:
        s = _URL_USERINFO.sub(r"\1" + SECRET + "@", s)
    if _TRIGGER.search(s):
        s = re.sub(_AUTH_SCHEME, _auth_sub, s)
        if "=" in s or ":" in s or "%3D" in s or "%3d" in s:
            s = re.sub(_KV, _kv_sub, s)
    if "sntry" in s:
        s = re.sub(_SENTRY_TOKEN, TOKEN, s)
        if "\u2026" in s or "..." in s:
            s = re.sub(_SENTRY_TOKEN_CUT, TOKEN, s)
    if "AKIA" in s or "ASIA" in s:
        s = re.sub(_AWS_KEY, AWS_KEY, s)
    if "@" in s or "%40" in s:
        s = re.sub(_EMAIL, EMAIL, s)
        if "\u2026" in s or "..." in s:
            s = re.sub(_EMAIL_CUT, EMAIL, s)
    if s.count(":") >= 2:
        s = _IPV6_CAND.sub(_ipv6_sub, s)
    if s.count(".") >= 3:
        s = _IPV4.sub(_ipv4_sub, s)
    if len(s) >= 13:
        if len(s) >= 64:
            s = re.sub(_HEX64, TOKEN, s)
        s = _CARD.sub(_card_sub, s)
    if ("=" in s or ":" in s) and _PERSONAL_TRIGGER.search(s):
        s = re.sub(_PERSONAL_KV, lambda m, text=s: _personal_sub(m, text), s)
    if len(s) >= 9 and _TWO_DIGITS.search(s):
        s = _PHONE.sub(_phone_sub, s)
    if "gravatar" in s:
        s = re.sub(_GRAVATAR, r"\1" + AVATAR, s)
    return s


# --- key names, which text pairs (`phone=...`) and structures share

_NON_ALNUM = re.compile(r"[^a-z0-9]")
_PERSONAL_KEYS = re.compile(
    r"(?P<phone>.*phone.*|(?:mobile|telephone|tel|fax|msisdn)(?:number|no|num)?)"
    r"|(?P<geo>geo(?:location)?|city|countrycode|latitude|longitude|lat|lng|lon|coordinates|subdivision)"
    r"|(?P<timezone>timezone)"
    r"|(?P<avatar>avatar(?:url|uuid))"
    r"|(?P<name>(?:first|last|full|given|family|middle|display|customer|cardholder)name|surname)")
_PERSONAL_MARKERS = {"phone": PHONE, "geo": GEO, "timezone": TIMEZONE, "avatar": AVATAR, "name": NAME}
# Keys that say an object describes a person, so its `name` is that person's name.


def norm_key(key: str) -> str:
    return _NON_ALNUM.sub("", key.lower())


def personal_key(norm: str):
    m = _PERSONAL_KEYS.fullmatch(norm)
    return _PERSONAL_MARKERS[m.lastgroup] if m else None
