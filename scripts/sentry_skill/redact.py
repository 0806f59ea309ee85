"""Redaction of personal data and secrets (PRODUCT.md section 5).

Everything printed by the skill goes through `redact()` first. Sentry stores
whatever applications send, and the SDKs scrub only part of it (see
shared/api/facts.md): emails, IPs, tokens, card numbers and database passwords
arrive in exception values, breadcrumbs, frame variables, source context lines,
query strings and raw request bodies. So redaction works on values, not only on
field names, and walks every string at any depth, including dict keys and JSON
encoded inside strings.

Each finding becomes a short typed marker (`[email]`, `[ip]`, ...), so an agent
still sees *what kind* of data stood there and the surrounding text stays useful.

Whose data it is decides what shows. End users (the people in events) never show:
their email, IP address, username, name, phone number, place and timezone become
markers. People of the organization (assignees, the actor of a status change,
seenBy, participants, release authors, activity) keep their id: their name, email
and avatar become markers and their login data is dropped, unless the caller asks
for `people="named"` (the member commands, whose subject they are: there name and
email show). Teams are not people: a team's name is its slug.

Client keys (DSNs) are for the key commands to show: with `client_keys="public"`
a key object's public DSN and its other public URLs show as the server sent them
(SDKs embed them in applications), while its secret key and secret DSN stay
masked; `client_keys="shown"` (--show-secrets with writes allowed) lets those
two through as well. Nothing else changes in either mode.
"""

from __future__ import annotations

import ipaddress
import json
import re
from functools import lru_cache

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

_MAX_DEPTH = 100  # deeper input is replaced, never walked into (no RecursionError)
_S = r"[-_. ]?"  # optional separator inside key names: api_key, api-key, apiKey

# Key names whose values are secrets. Short ambiguous words (auth, pass, sig,
# session) must be the whole name, so `authors`, `sessionCount` survive.
SENSITIVE_KEY = re.compile(
    r"pass(?:word|wd|phrase)|secret|token|api" + _S + r"key|authori[sz]ation|cookie"
    r"|session" + _S + r"(?:id|key)|csrf|xsrf|private" + _S + r"key|access" + _S + r"key"
    r"|credential|dsn|signature|^[-_. ]*(?:auth|pwd|pass|session|sig|jwt)[-_. ]*$",
    re.I,
)
# Names the Sentry API (or usage counters) uses for harmless data.
_SAFE_KEYS = frozenset({"key", "keys", "tokentype", "tokenlastcharacters", "sessioncount"})
_SAFE_KEY_RE = re.compile(r"(?:input|output|total|prompt|completion|max|cached)tokens|tokens?(?:used|count)")
# The user object's fields, and the tags Sentry derives from them.
_NON_ALNUM = re.compile(r"[^a-z0-9]")
_USER_KEYS = {"email": EMAIL, "ipaddress": IP, "username": USERNAME}
_USER_TAGS = {"user.email": EMAIL, "user.username": USERNAME, "user.ip": IP, "user.ip_address": IP,
              "user.name": NAME}
# Key names (lowercased, without separators) whose values are personal whatever they hold.
# `region` is not one: it is as often a cloud region (`us-east-1`) as a place; inside
# `geo` it goes with the rest.
_PERSONAL_KEYS = re.compile(
    r"(?P<phone>.*phone.*|(?:mobile|telephone|tel|fax|msisdn)(?:number|no|num)?)"
    r"|(?P<geo>geo(?:location)?|city|countrycode|latitude|longitude|lat|lng|lon|coordinates|subdivision)"
    r"|(?P<timezone>timezone)"
    r"|(?P<avatar>avatar(?:url|uuid))"
    r"|(?P<name>(?:first|last|full|given|family|middle|display|customer|cardholder)name|surname)")
_PERSONAL_MARKERS = {"phone": PHONE, "geo": GEO, "timezone": TIMEZONE, "avatar": AVATAR, "name": NAME}
# Keys that say an object describes a person, so its `name` is that person's name.
_PERSON_KEYS = frozenset({"email", "contactemail", "username", "ipaddress", "phone", "phonenumber"})
# People of the organization as Sentry and GlitchTip serialize them: a user (these keys
# appear only on users), a member, or Sentry's actor form {"type": "user", "id", "name", "email"};
# under _PEOPLE_KEYS every object with an id is one.
_USER_SIGNS = ("avatarUrl", "lastLogin", "has2fa", "dateJoined", "hasPasswordAuth")
_MEMBER_SIGNS = ("orgRole", "roleName", "inviteStatus")
_PEOPLE_KEYS = frozenset({"assignedto", "actor", "seenby", "participants", "authors", "author", "createdby"})
_SHOWN_TO_MEMBERS = frozenset({"name", "email", "username"})  # people="named"
# What a person object says about their account and their logins: never shown.
_LOGIN_DATA = frozenset({"lastlogin", "lastactive", "datejoined", "has2fa", "haspasswordauth", "canreset2fa",
                         "authenticators", "identities", "emails", "experiments", "issuperuser", "isstaff",
                         "ismanaged", "issuspended", "isactive", "options", "chatwootidentifierhash"})
_DROP_KEYS = frozenset({"headers", "cookies"})  # request headers/cookies: dropped whole
_NAMES_ARE_DATA = frozenset({"packages", "modules", "sensitivefields", "safefields"})
# Values already masked (by the SDK or by us) carry no secret: keep them as they are.
_MASKED = frozenset({"[Filtered]", "[filtered]", "[Redacted]", "[redacted]", "[REDACTED]", ""}) | set(MARKERS)
_KEEP_LITERALS = frozenset({"true", "false", "null", "None", "True", "False"})
_SCHEMES = r"Bearer|bearer|BEARER|Basic|DSN|Dsn|Token|Digest"

# --- free-text patterns (all precompiled; each is only run when a cheap trigger hits)
_URL_USERINFO = re.compile(r"(\b[A-Za-z][A-Za-z0-9+.-]*://)[^\s/?#@\"'<>\\\[\]]+@(?=[\w\[])")
_AUTH_SCHEME = re.compile(
    r"(?P<hdr>(?i:authorization)\\?[\"']?\s*[:=]\s*\\?[\"']?)?"
    r"\b(?P<scheme>" + _SCHEMES + r")[ \t]+(?P<val>[^\s\"'\\,;<>]+)"
)
_CREDLIKE = re.compile(r"[0-9_=+/.:~-]|[a-z].*[A-Z]|[A-Z].*[A-Z]")
_KV_STRONG = (r"password|passwd|passphrase|secret|token|api[_-]?key|credentials?|private[_-]?key"
              r"|access[_-]?key|csrf|xsrf|authorization|cookie|signature")
_KV_WEAK = r"auth|pwd|pass|sig|session|sessionid|sid|jwt|dsn|sentry_key|glitchtip_key|user_?name"
_MASK_ALT = "|".join(re.escape(m) for m in sorted(_MASKED) if m)
_ALREADY = re.compile(r"(?:" + _SCHEMES + r")(?:\s+(?:" + _MASK_ALT + r"))?|(?:" + _MASK_ALT + ")")
# `%3D` is a URL-encoded `=` (a query string inside a query value); such a value
# ends at `%26`, an encoded `&`.
_KV = re.compile(
    r"(?<![\w.-])(?P<name>[\w.-]*(?:" + _KV_STRONG + r")[\w.-]*|(?:" + _KV_WEAK + r"))\\?[\"']?"
    r"(?:\s*[:=]\s*(?:\\?\"(?P<dq>[^\"\\\n]*)|\\?'(?P<sq>[^'\\\n]*))"
    r"|(?:=|%3[Dd]|:[ \t]*)(?P<uq>(?:[^\s&\"'\\,;}<>\[\]%]|%(?!26))+))",
    re.I,
)
_TRIGGER = re.compile(r"pass|pwd|secret|token|key|auth|sig|session|sid|jwt|dsn|cred|csrf|xsrf|cookie|bearer|basic|digest|user_?name", re.I)
_SENTRY_TOKEN = re.compile(r"sntry[su]_[^\s\"'&\\<>,;)\]\u2026]{6,}")
# `_PCT`: right after a URL-encoded character (`%3D` of an encoded `=`, `%2F`), which
# ends in a letter or digit yet is a separator.
_PCT = r"(?<=%[0-9A-Fa-f]{2})"
_AWS_KEY = re.compile(r"(?:(?<![A-Za-z0-9])|" + _PCT + r")(?:AKIA|ASIA)[A-Z0-9]{16,}(?![A-Za-z0-9])")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]{1,64}(?:@|%40)(?:[A-Za-z0-9-]{1,63}\.){1,10}[A-Za-z]{2,24}(?![A-Za-z0-9-])")
# An address the server cut short ("… for jane.doe@exam…": GlitchTip cuts titles at 100 chars).
_EMAIL_CUT = re.compile(r"[A-Za-z0-9._%+-]{1,64}(?:@|%40)(?:[A-Za-z][A-Za-z0-9.-]*)?(?=\u2026|\.\.\.)")
_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
# Not after a letter/digit/dot (v1.2.3.4, 1.2.3.4.5) or a `+` (a phone number grouped by
# dots); not before `.digit`, a letter/digit or `-letters` (1.2.3.4-beta): those are versions.
# After `Name/` only `N.0.0.0` is a version (Chrome/131.0.0.0); `/clients/203.0.113.9` is an address.
_IPV4 = re.compile(r"(?:(?<![\w.+])|" + _PCT + r")(?:" + _OCTET + r"\.){3}" + _OCTET + r"(?![\w]|\.\d|-[A-Za-z])")
# A whole run of hex digits, colons and dots with at least two colons; `_ipv6_sub`
# finds the address in it (a run may carry a label or a colon: `ip:2001:db8::1:`).
_IPV6_CAND = re.compile(r"(?<![0-9A-Fa-f:.])[0-9A-Fa-f.]*(?::[0-9A-Fa-f.]*){2,}")
_HEX_LETTERS = re.compile(r"[A-Fa-f]*")
_HEX64 = re.compile(r"(?:(?<![0-9A-Za-z])|" + _PCT + r")[0-9a-fA-F]{64}(?![0-9A-Za-z])")
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
_PERSONAL_KV = re.compile(
    r"(?<![\w.-])(?P<q>\\?[\"'])?(?P<name>first_?name|last_?name|full_?name|given_?name|family_?name|middle_?name"
    r"|display_?name|customer_?name|surname|city|country_?code|latitude|longitude|lat|lng|lon|time_?zone"
    r"|phone(?:_?number)?|mobile(?:_?phone)?|telephone|msisdn|fax|name)(?(q)\\?[\"'])"
    r"(?:\s*[:=]\s*(?:\\?\"(?P<dq>[^\"\\\n]*)(?=\\?\")|\\?'(?P<sq>[^'\\\n]*)(?=\\?'))"
    r"|=(?P<uq>[^\s&\"'\\,;}<>\[\]]+))",
    re.I,
)
_PERSONAL_TRIGGER = re.compile(r"name|city|country|lat|lng|lon|zone|phone|mobile|tel|msisdn|fax", re.I)
_PERSON_IN_TEXT = re.compile(r"\b(?:e-?mail|phone|mobile|user_?name|ip_?address)\\?[\"']?\s*[:=]|\[email\]|\[phone\]",
                             re.I)
_GRAVATAR = re.compile(r"(gravatar\.com/avatar/)[0-9a-fA-F]{32,64}")


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _card_sub(m: re.Match) -> str:
    digits = re.sub(r"\D", "", m.group(0).replace("%20", " "))
    return CARD if 13 <= len(digits) <= 19 and _luhn(digits) else m.group(0)


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
    if val in _MASKED or val in _KEEP_LITERALS or (val.startswith("[") and val.endswith("]")):
        return m.group(0)
    key = _norm(m.group("name"))
    if key == "name":
        if not _PERSON_IN_TEXT.search(text):
            return m.group(0)
        marker = NAME
    else:
        marker = _personal_key(key) or NAME
    if marker == PHONE and grp == "uq" and m.string[m.end():m.end() + 1] == " ":
        return m.group(0)  # `phone=+1 202 555 0143`: the whole number is the phone rule's
    s, e = m.start(grp) - m.start(), m.end(grp) - m.start()
    return m.group(0)[:s] + marker + m.group(0)[e:]


def _auth_sub(m: re.Match) -> str:
    val = m.group("val")
    # Without an `Authorization:` label, demand a credential-looking value, so that
    # prose such as "Basic usage" or "Token expired" stays readable.
    if val in _MASKED or (not m.group("hdr") and (len(val) < 8 or not _CREDLIKE.search(val))):
        return m.group(0)
    return m.group(0)[: m.start("val") - m.start()] + AUTH


# A source file and its line, as in tracebacks: `auth/token_service.py:57`, `session.js:12:7`.
_SOURCE_FILE = re.compile(
    r"\.(?:py|pyc|pyx|js|mjs|cjs|jsx|ts|tsx|rb|erb|go|java|kt|kts|scala|groovy|php|cs|fs|vb|rs|c|h|cc|cpp|hpp"
    r"|m|mm|swift|dart|ex|exs|erl|clj|lua|pl|pm|sh|vue|svelte|html|jinja|j2|tmpl)$", re.I)
_LINE_COL = re.compile(r"\d{1,7}(?::\d{1,5})?(?!\w)")
# What can name a header, query parameter or tag in a ["name", value] pair (not a
# sentence, not a file path: ["Invalid token", "abc"], ["token_service.py:57", "x"]).
_NAME = re.compile(r"[\w.\-\[\]]{1,64}")


def _is_name(text: str) -> bool:
    return bool(_NAME.fullmatch(text)) and not _SOURCE_FILE.search(text)


def _kv_sub(m: re.Match) -> str:
    grp = "dq" if m.group("dq") is not None else "sq" if m.group("sq") is not None else "uq"
    val = m.group(grp).strip()
    if val in _MASKED or val in _KEEP_LITERALS or _ALREADY.fullmatch(val):
        return m.group(0)
    if grp == "uq" and _LINE_COL.match(val) and _SOURCE_FILE.search(m.group("name")) \
            and m.string[m.start("uq") - 1] == ":":
        return m.group(0)  # a file and its line, not a secret
    s, e = m.start(grp) - m.start(), m.end(grp) - m.start()
    marker = USERNAME if m.group("name").lower().replace("_", "") == "username" else SECRET
    return m.group(0)[:s] + marker + m.group(0)[e:]


def _text(s: str, secrets: tuple) -> str:
    """Apply the free-text rules to one string. Order matters: whole credentials
    (URLs with userinfo, `Bearer x`, `password=x`) go before the smaller patterns."""
    for sec in secrets:
        if sec in s:
            s = s.replace(sec, TOKEN)
    if "://" in s:
        s = _URL_USERINFO.sub(r"\1" + SECRET + "@", s)
    if _TRIGGER.search(s):
        s = _AUTH_SCHEME.sub(_auth_sub, s)
        if "=" in s or ":" in s or "%3D" in s or "%3d" in s:
            s = _KV.sub(_kv_sub, s)
    if "sntry" in s:
        s = _SENTRY_TOKEN.sub(TOKEN, s)
    if "AKIA" in s or "ASIA" in s:
        s = _AWS_KEY.sub(AWS_KEY, s)
    if "@" in s or "%40" in s:
        s = _EMAIL.sub(EMAIL, s)
        if "\u2026" in s or "..." in s:
            s = _EMAIL_CUT.sub(EMAIL, s)
    if s.count(":") >= 2:
        s = _IPV6_CAND.sub(_ipv6_sub, s)
    if s.count(".") >= 3:
        s = _IPV4.sub(_ipv4_sub, s)
    if len(s) >= 13:
        if len(s) >= 64:
            s = _HEX64.sub(TOKEN, s)
        s = _CARD.sub(_card_sub, s)
    if ("=" in s or ":" in s) and _PERSONAL_TRIGGER.search(s):
        s = _PERSONAL_KV.sub(lambda m, text=s: _personal_sub(m, text), s)
    if len(s) >= 9 and _TWO_DIGITS.search(s):
        s = _PHONE.sub(_phone_sub, s)
    if "gravatar" in s:
        s = _GRAVATAR.sub(r"\1" + AVATAR, s)
    return s


def _norm(key: str) -> str:
    return _NON_ALNUM.sub("", key.lower())


def is_sensitive_key(key) -> bool:
    """True when a key's value must be hidden whatever it holds."""
    if not isinstance(key, str):
        return False
    n = _norm(key)
    return n not in _SAFE_KEYS and not _SAFE_KEY_RE.fullmatch(n) and bool(SENSITIVE_KEY.search(key))


def _personal_key(norm: str):
    m = _PERSONAL_KEYS.fullmatch(norm)
    return _PERSONAL_MARKERS[m.lastgroup] if m else None


@lru_cache(maxsize=4096)  # the same few hundred key names repeat in every event
def _key_marker(key):
    """The marker that replaces the value of `key`, or None to walk it normally."""
    if not isinstance(key, str):
        return None
    low = key.lower()
    if low in _USER_TAGS:
        return _USER_TAGS[low]
    if low.startswith(("geo.", "user.geo.")):  # Sentry's tags from the user's place
        return GEO
    norm = _norm(key)
    return _USER_KEYS.get(norm) or _personal_key(norm) or (SECRET if is_sensitive_key(key) else None)


def _mask(value, marker):
    # None/bool/empty and already-masked values hold nothing: keep them (shape stays readable).
    if value is None or isinstance(value, bool) or (isinstance(value, str) and value in _MASKED):
        return value
    return marker


# A URL whose userinfo holds a password (`key:secret@`): a secret DSN, whatever its name.
_URL_PASSWORD = re.compile(r"://[^/@\s:]*:[^/@\s]*@")


def is_client_key(d: dict) -> bool:
    """A client key as Sentry and GlitchTip serialize it: its public key and its DSNs."""
    return isinstance(d.get("dsn"), dict) and isinstance(d.get("public"), str)


def key_secrets(value, shown: bool = False):
    """The client keys in `value` with their secret key and secret DSN masked (unless `shown`),
    nothing else touched: what --no-redact still hides in the key commands."""
    if isinstance(value, list):
        return [key_secrets(item, shown) for item in value]
    if not isinstance(value, dict) or not is_client_key(value) or shown:
        return value
    dsn = {name: _mask(url, SECRET) if name == "secret" else url for name, url in value["dsn"].items()}
    return {**value, "dsn": dsn, **({"secret": _mask(value["secret"], SECRET)} if "secret" in value else {})}


def _is_org_person(d: dict, parent) -> bool:
    """Is `d` a person of the organization (see _USER_SIGNS)? Teams are not people."""
    if "id" not in d or d.get("type") == "team":
        return False
    if d.get("type") == "user" or parent in _PEOPLE_KEYS:
        return True
    return any(k in d for k in _USER_SIGNS) or ("email" in d and any(k in d for k in _MEMBER_SIGNS))


def _names_a_person(d: dict, parent) -> bool:
    """Is the `name` in `d` a person's name: the user object's, or beside an email, phone or username?"""
    return parent == "user" or any(isinstance(k, str) and _norm(k) in _PERSON_KEYS for k in d)


class _Redactor:
    def __init__(self, secrets, people="ref", client_keys=None):
        if isinstance(secrets, str):
            secrets = (secrets,)
        found = {s for s in (secrets or ()) if isinstance(s, str) and len(s) >= 8}
        self.secrets = tuple(sorted(found, key=len, reverse=True))  # longest first
        self.seen = {}  # string -> redacted text: context lines, reprs repeat a lot
        self.named = people == "named"  # anything else is the default: people by id only
        self.client_keys = client_keys  # "public", "shown", or None: a key is masked like any secret

    def string(self, s: str, depth: int) -> str:
        head = s.lstrip()[:1]
        if head in ("{", "[") and depth < _MAX_DEPTH:
            try:
                parsed = json.loads(s)
            except (ValueError, RecursionError):
                parsed = None
            if isinstance(parsed, (dict, list)):
                out = self.walk(parsed, depth + 1)
                if out == parsed:  # nothing found: keep the original formatting
                    return s
                return json.dumps(out, ensure_ascii=False, separators=(",", ":"))
        out = self.seen.get(s)
        if out is None:
            out = self.seen[s] = _text(s, self.secrets)
        return out

    def walk(self, v, depth: int = 0, names_are_data: bool = False, parent: str | None = None):
        if isinstance(v, str):
            return self.string(v, depth)
        if v is None or isinstance(v, (bool, float)):
            return v
        if isinstance(v, int):
            digits = str(abs(v))
            return CARD if 13 <= len(digits) <= 19 and digits[0] in "23456" and _luhn(digits) else v
        if depth >= _MAX_DEPTH:
            return TOO_DEEP
        if isinstance(v, dict):
            if self.client_keys and is_client_key(v):
                return self.client_key(v, depth)
            return self.mapping(v, depth, names_are_data, parent)
        if isinstance(v, (list, tuple, set, frozenset)):
            items = list(v)
            if len(items) == 2 and isinstance(items[0], str) and not names_are_data and _is_name(items[0]):
                marker = _key_marker(items[0])  # a ["name", value] pair: headers, query
                if marker:
                    return [self.string(items[0], depth), _mask(items[1], marker)]
            return [self.walk(x, depth + 1, parent=parent) for x in items]  # seenBy: [person, ...]
        return self.string(str(v), depth)  # unknown object: its text, redacted

    def mapping(self, d: dict, depth: int, names_are_data: bool, parent: str | None = None) -> dict:
        tag = d.get("key")
        tag = tag.lower() if isinstance(tag, str) else None
        is_item = "value" in d  # a tag value item ({key, value[, name]}), not the tag header
        # A labelled value ({"name": "contact_email", "value": ...}: an occurrence's evidence)
        # is masked as its label would mask a key of that name; a bare "name" label is a person's name.
        label = d.get("name") if is_item and tag is None and not names_are_data else None
        label_marker = None
        if isinstance(label, str):
            label_marker = _key_marker(label) or (NAME if _norm(label) in ("name", "fullname") else None)
        person = not names_are_data and _is_org_person(d, parent)
        # Sentry's end user as a project lists it (EventUser): its `hash` is the gravatar hash of the email.
        event_user = not names_are_data and "tagValue" in d and "hash" in d
        shown = person and self.named  # a member command shows its members' name and email
        name_marker = None
        if "name" in d and not names_are_data and not shown and (person or _names_a_person(d, parent)):
            name_marker = NAME
        out = {}
        for k, x in d.items():
            nk = _norm(k) if isinstance(k, str) else None
            if nk in _DROP_KEYS and isinstance(x, (list, dict)):
                continue
            if person and nk in _LOGIN_DATA:
                continue
            marker = None if names_are_data else _key_marker(k) or (name_marker if k == "name" else None)
            if event_user and k == "hash":
                val = _mask(x, AVATAR)
            elif shown and nk in _SHOWN_TO_MEMBERS and isinstance(x, str):
                val = x  # as the server sent it
            elif marker:
                val = _mask(x, marker)
            elif label_marker and k == "value":
                val = _mask(x, label_marker)
            elif tag is not None and is_item and k in ("value", "name"):
                val = self.tag_value(tag, x, depth, d)
            else:
                val = self.walk(x, depth + 1, nk in _NAMES_ARE_DATA, nk)
            if isinstance(k, str):
                k = self.string(k, depth)
                base, n = k, 2
                while k in out:  # two keys redacted to the same marker: keep both
                    k, n = f"{base}#{n}", n + 1
            out[k] = val
        return out

    def client_key(self, d: dict, depth: int) -> dict:
        """A key object in a key command: redacted as any object (its `dsn` and `secret` masked
        by name), then its public URLs put back as sent. A URL with a password in it, or the
        secret key itself, is no public URL, whatever its name. GlitchTip's `dsn.secret` equals
        its public DSN (recorded: project_keys), but it stays masked all the same: PRODUCT.md
        keeps the secret DSN redacted, and a rule that looked at its value to decide would
        show a real secret DSN the day a server sends one that differs from it by a typo."""
        mode = self.client_keys
        out = self.mapping(d, depth, False)
        secret = d.get("secret") if isinstance(d.get("secret"), str) and len(d.get("secret")) >= 8 else None
        dsn = {}
        for name, url in d["dsn"].items():
            if name == "secret" and mode == "shown" and isinstance(url, str):
                dsn[name] = url
            elif name == "secret" or not isinstance(url, str) or _URL_PASSWORD.search(url) \
                    or (secret and secret in url):
                dsn[name] = _mask(url, SECRET)
            else:
                dsn[name] = self.literal(url)
        out["dsn"] = dsn
        if mode == "shown" and isinstance(d.get("secret"), str):
            out["secret"] = d["secret"]
        return out

    def literal(self, s: str) -> str:
        """Only the session's own secrets (the token) replaced: a value shown as the server sent it."""
        for sec in self.secrets:
            s = s.replace(sec, TOKEN)
        return s

    def tag_value(self, tag: str, x, depth: int, item: dict):
        marker = _key_marker(tag)  # user.email, user.username, user.ip, or a secret-named tag
        if marker:
            return _mask(x, marker)
        # Sentry's `user` tag holds "username:jdoe" (its email:/ip: forms meet the text rules).
        if tag in ("user", "sentry:user") and str(item.get("value")).startswith("username:"):
            return "username:" + USERNAME if str(x).startswith("username:") else USERNAME
        return self.walk(x, depth + 1)


def redact(value, secrets=(), people="ref", client_keys=None):
    """Return a redacted copy of a JSON-like value; the input is not modified.

    `secrets` are literal strings (e.g. the session's auth token) replaced by
    `[token]` wherever they occur; those shorter than 8 characters are ignored.
    `people`: "ref" (the default) keeps only the id of the organization's people;
    "named" also shows their name, email and username (the member commands).
    `client_keys`: None (the default) masks a client key's DSNs as secrets; "public"
    shows its public DSN (the key commands); "shown" its secret key and DSN too.
    """
    r = _Redactor(secrets, people, client_keys)
    try:
        return r.walk(value)
    except Exception:  # never raise, and never fall back to the unredacted value
        try:
            return _text(repr(value), r.secrets)
        except Exception:
            return SECRET


def redact_text(text, secrets=()) -> str:
    """Apply only the free-text rules (no JSON parsing, no key rules) to `text`."""
    r = _Redactor(secrets)
    try:
        return _text(text if isinstance(text, str) else str(text), r.secrets)
    except Exception:
        return SECRET
