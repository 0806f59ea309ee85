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
The patterns that find them in text, and the markers, are scrub.py's; this module
walks structures and decides by key and by whose data it is.

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

import json
import re
from functools import lru_cache

# The markers are this module's vocabulary too (redact.EMAIL, ...): imported whole.
from .scrub import (AUTH, AVATAR, AWS_KEY, CARD, EMAIL, GEO, IP, MARKERS, MASKED, NAME, PHONE,  # noqa: F401
                    SECRET, TIMEZONE, TOKEN, TOO_DEEP, USERNAME, is_name, luhn, mask_text, norm_key, personal_key)


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

_USER_KEYS = {"email": EMAIL, "ipaddress": IP, "username": USERNAME}
_USER_TAGS = {"user.email": EMAIL, "user.username": USERNAME, "user.ip": IP, "user.ip_address": IP,
              "user.name": NAME}
# Key names (lowercased, without separators) whose values are personal whatever they hold.
# `region` is not one: it is as often a cloud region (`us-east-1`) as a place; inside
# `geo` it goes with the rest.
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
def is_sensitive_key(key) -> bool:
    """True when a key's value must be hidden whatever it holds."""
    if not isinstance(key, str):
        return False
    n = norm_key(key)
    return n not in _SAFE_KEYS and not _SAFE_KEY_RE.fullmatch(n) and bool(SENSITIVE_KEY.search(key))


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
    norm = norm_key(key)
    return _USER_KEYS.get(norm) or personal_key(norm) or (SECRET if is_sensitive_key(key) else None)


def _mask(value, marker):
    # None/bool/empty and already-masked values hold nothing: keep them (shape stays readable).
    if value is None or isinstance(value, bool) or (isinstance(value, str) and value in MASKED):
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
    return parent == "user" or any(isinstance(k, str) and norm_key(k) in _PERSON_KEYS for k in d)


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
            out = self.seen[s] = mask_text(s, self.secrets)
        return out

    def walk(self, v, depth: int = 0, names_are_data: bool = False, parent: str | None = None):
        if isinstance(v, str):
            return self.string(v, depth)
        if v is None or isinstance(v, (bool, float)):
            return v
        if isinstance(v, int):
            digits = str(abs(v))
            return CARD if 13 <= len(digits) <= 19 and digits[0] in "23456" and luhn(digits) else v
        if depth >= _MAX_DEPTH:
            return TOO_DEEP
        if isinstance(v, dict):
            if self.client_keys and is_client_key(v):
                return self.client_key(v, depth)
            return self.mapping(v, depth, names_are_data, parent)
        if isinstance(v, (list, tuple, set, frozenset)):
            items = list(v)
            if len(items) == 2 and isinstance(items[0], str) and not names_are_data and is_name(items[0]):
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
            label_marker = _key_marker(label) or (NAME if norm_key(label) in ("name", "fullname") else None)
        person = not names_are_data and _is_org_person(d, parent)
        # Sentry's end user as a project lists it (EventUser): its `hash` is the gravatar hash of the email.
        event_user = not names_are_data and "tagValue" in d and "hash" in d
        shown = person and self.named  # a member command shows its members' name and email
        name_marker = None
        if "name" in d and not names_are_data and not shown and (person or _names_a_person(d, parent)):
            name_marker = NAME
        out = {}
        for k, x in d.items():
            nk = norm_key(k) if isinstance(k, str) else None
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
            return mask_text(repr(value), r.secrets)
        except Exception:
            return SECRET


def redact_text(text, secrets=()) -> str:
    """Apply only the free-text rules (no JSON parsing, no key rules) to `text`."""
    r = _Redactor(secrets)
    try:
        return mask_text(text if isinstance(text, str) else str(text), r.secrets)
    except Exception:
        return SECRET
