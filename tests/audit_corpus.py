"""The redaction audit corpus: real Sentry/GlitchTip bodies with planted secrets.

Every body starts as a deep copy of a recorded body in
tests/data/standin (those files are never written). Into it go
planted personal data and secrets, in every place where real SDKs and real
applications put them (as in the bodies recorded from a real GlitchTip, copied
into tests/data/real, see its README.md): exception values, titles, messages,
breadcrumbs, frame variables and source lines, request url/query/body/env, tags,
contexts, the user object, extra, fingerprints, dist, sdk options, keys, JSON
inside strings, URL-encoded forms, the secret key and secret DSN of client keys,
and the issue bodies (title, culprit,
metadata, assignee, releases, tag top values, activity). Besides secrets: phone
numbers, end users' names, places (city, region, coordinates) and timezones, and
the people of the organization, whole as Sentry serializes them (name, email,
avatar URL and id, last login: the status change's actor, seenBy, participants,
release authors, activity).

Every token, key, card number and credential here is a fake made up for the audit
(`sntrys_`/`sntryu_` strings, AKIA ids, 64-hex tokens, Luhn-valid test cards): none
was ever issued by a real service.

Each planted value is unique and recognisable (it carries `audit` or a unique
number), so a leak names its place: `PLACES[value]`. `NEEDLES` adds fragments
that must not survive either (an email's local part, a URL's password, a
token's tail), so a half-redacted value is caught too.

Public: PLANTED, PLACES, NEEDLES, SERVED (planted in bodies the router serves),
ERROR_BODIES (error answers quoting secrets), RECORDED_PLANTED, ISSUES, EVENT_IDS,
SURVIVE, REDACTED_FORMS, issue(name), issue_list(project=None), event(name),
event_list(name), keys(dialect), leaks(text), CorpusRouter (the tests' server model serving
these bodies, for tests/standin.py).
"""

from __future__ import annotations

import base64
import copy
import json

import server_keys
from server_model import DETAILED, ServerModel, recorded, spec_person

PLANTED: list[str] = []          # every planted value, in planting order
PLACES: dict[str, str] = {}      # value -> "kind: where"
NEEDLES: dict[str, str] = {}     # substring that must never be printed -> its planted value

# What the SDKs themselves left in the recorded bodies (README "Planted strings").
RECORDED_PLANTED = [
    "leaky.person@example.com", "card.holder@example.com", "node.shopper@example.com",
    "john.doe@example.com", "jane+test@example.org", "planted-Password!2024", "203.0.113.77",
    "198.51.100.23", "2001:db8:85a3::8a2e:370:7334", "10.20.30.40", "192.168.1.77",
    "4111111111111111", "AKIAPLANTEDKEY12345678", "plantedDbPass", "hunter2-planted-password",
    "sntryu_plantedusertoken", "sntrys_abc123", "leaky.login@example.com", "plantedbearer", "plantedcookie",
]

# name -> (issue id, short id, recorded file prefix)
ISSUES = {"checkout": ("16", "BACKEND-B", "flask_checkout"),
          "orders": ("17", "BACKEND-C", "flask_orders"),
          "typeerror": ("20", "FRONTEND-6", "express_typeerror")}
EVENT_IDS = {"checkout": "53f432b8964743dd8474097b83426201",
             "orders": "40d2f13ae1d148f8b32b22cfcafad5f3",        # latest
             "orders_1001": "74dcd623b77c40b288759bd72481546b",   # the older one
             "typeerror": "68606b2045a84a26ad768ecf34c59d0d"}
# Useful, non-secret text that must survive redaction (per issue).
SURVIVE = {
    "checkout": {"type": "KeyError", "file": "app.py", "function": "checkout", "project": "backend"},
    "orders": {"type": "ZeroDivisionError", "file": "app.py", "function": "_charge_installment",
               "project": "backend"},
    "typeerror": {"type": "TypeError", "file": "/srv/shop/app.js", "function": "?", "project": "frontend"},
}
# Exact redacted forms that show the text around a secret survives (checked on --raw output).
REDACTED_FORMS = [
    "login failed for [email] from [ip]",
    "sent code to [phone] and [phone]",
    '"city":"[geo]"',
    "postgres://[secret]@",
    "Bearer [auth]",
    "[aws-key]/20261123/us-east-1/s3/aws4_request",
]


# --- planted values ------------------------------------------------------------

_n = [100]
_ipv4_next = {"192.0.2": 100, "198.51.100": 100, "203.0.113": 100,
              "10.77.3": 100, "172.16.9": 100, "192.168.44": 100}
_cache: dict[tuple, str] = {}


def _num() -> int:
    _n[0] += 1
    return _n[0]


def _register(value: str, kind: str, place: str, needles=()) -> str:
    assert value not in PLACES, f"planted twice: {value}"
    PLANTED.append(value)
    PLACES[value] = f"{kind}: {place}"
    for needle in (value, *needles):
        NEEDLES.setdefault(needle, value)
    return value


def _luhn_complete(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return body + str((10 - total % 10) % 10)


class Planter:
    """Values for one scope (an event, an issue). The same slot gives the same
    value, so one event carries the same data in every endpoint that serves it."""

    def __init__(self, scope: str):
        self.scope = scope

    def _once(self, slot, make):
        key = (self.scope, make.__qualname__.split(".")[1], slot)  # (scope, kind, slot)
        if key not in _cache:
            _cache[key] = make(f"{self.scope} {slot}")
        return _cache[key]

    def email(self, slot, form="plain"):
        def make(place):
            n = _num()
            local, domain = {
                "plain": (f"audit.{n}", "example.com"),
                "plus": (f"audit+tag{n}", "example.org"),
                "subdomain": (f"audit.{n}", "mail.eu.example.net"),
                "upper": (f"AUDIT.UPPER{n}", "EXAMPLE.COM"),
                "dashed": (f"first.last-audit{n}", "shop.example.co.uk"),
            }[form]
            return _register(f"{local}@{domain}", f"email/{form}", place, needles=[local + "@"])
        return self._once(slot, make)

    def email_urlencoded(self, slot):
        def make(place):
            n = _num()
            local = f"audit.enc{n}"
            return _register(f"{local}%40example.com", "email/url-encoded", place, needles=[local])
        return self._once(slot, make)

    def email_cut(self, slot):
        """An email cut mid-domain by the server, as GlitchTip cuts titles ("…")."""
        def make(place):
            n = _num()
            return _register(f"audit.cut{n}@exam", "email/cut", place, needles=[f"audit.cut{n}"])
        return self._once(slot, make)

    def ipv4(self, slot, net="203.0.113"):
        def make(place):
            host = _ipv4_next[net]
            _ipv4_next[net] += 1
            assert host <= 254
            return _register(f"{net}.{host}", f"ipv4/{net}", place)
        return self._once(slot, make)

    def ipv6(self, slot, form="compressed"):
        def make(place):
            n = _num()
            value = {
                "compressed": f"2001:db8::a0d1:{n:x}",
                "full": f"2001:0db8:0000:0000:0000:0000:a0d1:{n:04x}",
                "mid": f"2001:db8:{n:x}::8a2e:370:7334",
                "mapped": f"::ffff:198.51.100.{_ipv4_next['198.51.100']}",
            }[form]
            if form == "mapped":
                _ipv4_next["198.51.100"] += 1
            return _register(value, f"ipv6/{form}", place)
        return self._once(slot, make)

    def card(self, slot, form="plain", brand="visa"):
        def make(place):
            n = _num()
            if brand == "amex":
                digits = _luhn_complete(f"37{n:06d}123456")           # 15 digits
                grouped = f"{digits[:4]}{{0}}{digits[4:10]}{{0}}{digits[10:]}"
            else:
                lead = {"visa": "4", "mastercard": "51", "discover": "6011"}[brand]
                digits = _luhn_complete((f"{lead}{n:06d}" + "9876543210")[:15])
                grouped = "{0}".join(digits[i:i + 4] for i in range(0, 16, 4))
            value = {"plain": digits, "spaces": grouped.format(" "), "dashes": grouped.format("-"),
                     "plus": grouped.format("+")}[form]
            return _register(value, f"card/{brand}/{form}", place, needles=[digits])
        return self._once(slot, make)

    def card_int(self, slot):
        return int(self.card(slot))

    def aws(self, slot, prefix="AKIA"):
        def make(place):
            n = _num()
            return _register(f"{prefix}AUDIT{n:04d}QWERTYU", f"aws/{prefix}", place)
        return self._once(slot, make)

    def sntrys(self, slot):
        def make(place):
            n = _num()
            tail = f"AuditOrgTok{n}Zm9vYmFyYmF6cXV4"
            return _register(f"sntrys_eyJpYXQiOjE3MDAwMDAwMDB9_{tail}", "token/sntrys", place, needles=[tail])
        return self._once(slot, make)

    def sntryu(self, slot):
        def make(place):
            n = _num()
            tail = f"audit{n:04d}" + "c0ffee0123456789abcdef0123456789abcdef0123456789"[: 64 - 9]
            return _register(f"sntryu_{tail}", "token/sntryu", place, needles=[tail])
        return self._once(slot, make)

    def hex64(self, slot):
        def make(place):
            n = _num()
            value = (f"{n:06d}" + "ad17" * 16)[:64]
            return _register(value, "token/hex64", place, needles=[value[8:56]])
        return self._once(slot, make)

    def bearer(self, slot):
        def make(place):
            n = _num()
            return _register(f"audit-bearer-{n}.AbCdEfGhIjKl", "auth/bearer", place)
        return self._once(slot, make)

    def basic(self, slot):
        def make(place):
            n = _num()
            return _register(base64.b64encode(f"audit_basic_{n}:Pw-{n}-x".encode()).decode(), "auth/basic", place)
        return self._once(slot, make)

    def password(self, slot):
        def make(place):
            n = _num()
            return _register(f"audit-Pw!{n}", "password", place)
        return self._once(slot, make)

    def secret(self, slot, kind="secret"):
        def make(place):
            n = _num()
            return _register(f"auditsecret{n}xq", kind, place)
        return self._once(slot, make)

    def username(self, slot):
        def make(place):
            n = _num()
            return _register(f"audit_user_{n}", "username", place)
        return self._once(slot, make)

    def dsn_key(self, slot):
        def make(place):
            n = _num()
            return _register(f"{n:04d}" + "abcdef0123456789abcdef01234567"[:28], "dsn key", place)
        return self._once(slot, make)

    def dsn(self, slot):
        return f"https://{self.dsn_key(slot)}@o4504.ingest.us.sentry.io/4505"

    def db_password(self, slot):
        def make(place):
            n = _num()
            return _register(f"Audit-Pg-{n}-s3cr%40t", "url password", place)
        return self._once(slot, make)

    def pg_url(self, slot):
        return f"postgres://shop_app:{self.db_password(slot)}@db-main.internal.example:5432/shop"

    def phone(self, slot, form="intl"):
        def make(place):
            n = _num()
            value = {"intl": f"+1-202-555-{n:04d}", "e164": f"+44207946{n:04d}", "nanp": f"(312) 555-{n:04d}",
                     "dotted": f"415.555.{n:04d}", "trunk": f"030 {n:07d}", "spaced": f"+49 30 {n:07d}",
                     "form": f"030+{n:07d}"}[form]  # `form`: a space URL-encoded in a form body
            return _register(value, f"phone/{form}", place)
        return self._once(slot, make)

    def name(self, slot):
        def make(place):
            return _register(f"Alex Auditor{_num()}", "person name", place)
        return self._once(slot, make)

    def city(self, slot):
        def make(place):
            return _register(f"Auditville{_num()}", "geo/city", place)
        return self._once(slot, make)

    def region(self, slot):
        def make(place):
            return _register(f"Audit Region {_num()}", "geo/region", place)
        return self._once(slot, make)

    def coordinate(self, slot):
        def make(place):
            return _register(f"48.85{_num():05d}", "geo/coordinate", place)
        return self._once(slot, make)

    def timezone(self, slot):
        def make(place):
            return _register(f"America/Audit_{_num()}", "timezone", place)
        return self._once(slot, make)

    def gravatar(self, slot):
        """A gravatar URL: its hash is an MD5 of a person's email."""
        def make(place):
            digest = f"{_num():08x}" + "9e107d9d372bb682"[:16] + "6acd2d48"
            _register(digest, "avatar/gravatar hash", place)
            return f"https://secure.gravatar.com/avatar/{digest}?s=32&d=mm"
        return self._once(slot, make)

    def avatar_uuid(self, slot):
        def make(place):
            return _register(f"{_num():08x}c0a1b2c3d4e5f60718293a4b", "avatar/uuid", place)
        return self._once(slot, make)

    def login_date(self, slot):
        def make(place):
            n = _num()
            return _register(f"2019-03-04T05:06:07.{n:06d}Z", "login data", place, needles=["lastLogin", "has2fa"])
        return self._once(slot, make)

    def person(self, slot, user_id="3"):
        """A person of the organization as Sentry serializes a user (the spec's member example's
        `user`, tests/data/spec/people.json), every identifying field planted."""
        user = spec_person("member")["user"]
        uuid = self.avatar_uuid(slot)
        user.update(id=user_id, name=self.name(slot), username=self.username(slot), email=self.email(slot),
                    avatarUrl=self.gravatar(slot), lastLogin=self.login_date(slot), has2fa=True,
                    emails=[{"id": "9", "email": self.email(slot), "is_verified": True}],
                    avatar={"avatarType": "upload", "avatarUuid": uuid, "avatarUrl": f"https://sentry.io/avatar/{uuid}/"})
        return user


# --- helpers over real bodies ---------------------------------------------------------


def _entry(event: dict, kind: str, create=False) -> dict | None:
    for entry in event.get("entries") or []:
        if entry.get("type") == kind:
            return entry
    if create:
        entry = {"type": kind, "data": {}}
        event.setdefault("entries", []).append(entry)
        return entry
    return None


def _culprit_frame(event: dict) -> dict:
    values = _entry(event, "exception")["data"]["values"]
    frames = values[-1]["stacktrace"]["frames"]
    return next(f for f in reversed(frames) if f.get("inApp"))


def _library_frame(event: dict) -> dict:
    values = _entry(event, "exception")["data"]["values"]
    return next(f for f in values[-1]["stacktrace"]["frames"] if not f.get("inApp"))


# --- planting into events ------------------------------------------------------


def _exception_text(p: Planter, original: str) -> str:
    return (f"{original} (customer {p.email('exc', 'plain')} from {p.ipv4('exc')} "
            f"via {p.ipv6('exc', 'compressed')}; token {p.sntryu('exc')})")


def _plant_event(ev: dict, scope: str, variant: dict) -> dict:
    """Plant secrets everywhere in one event body (camelCase or snake_case)."""
    p = Planter(scope)
    snake = "event_id" in ev

    # exception values, title, message, metadata, culprit
    exc_entry = _entry(ev, "exception")
    values = exc_entry["data"]["values"]
    main = values[-1]
    main["value"] = _exception_text(p, main["value"])
    title = f"{main['type']}: {main['value']}"
    ev["title"] = title
    ev["message"] = title
    ev["metadata"] = {**ev.get("metadata", {}), "value": main["value"]}
    ev["culprit"] = f"{ev.get('culprit') or 'handler'} /api/clients/{p.ipv4('culprit', '198.51.100')}/ban"
    main.setdefault("mechanism", {})["data"] = {"relevant_address": p.ipv6("mechanism", "full"),
                                               "url": f"https://shop.example.com/pay?card={p.card('mech', 'plus')}"}
    cause_frame = copy.deepcopy(_library_frame(ev))
    cause_frame["vars"] = {"dsn": f"'{p.pg_url('cause.vars')}'",
                           "conninfo": f"'host=db-main.internal.example password={p.password('cause.conninfo')}'"}
    values.insert(0, {
        "type": "OperationalError", "module": "psycopg",
        "value": (f'connection to server at "{p.ipv4("cause", "10.77.3")}", port 5432 failed '
                  f"(dsn {p.pg_url('cause')})"),
        "mechanism": {"type": "chained", "handled": True},
        "stacktrace": {"frames": [cause_frame]},
    })

    # frame variables (top level, nested, reprs), source lines
    frame = _culprit_frame(ev)
    line = frame["lineNo"]
    variables = frame.get("vars") or {}
    frame["vars"] = {
        "customer_email": f"'{p.email('vars.top', 'upper')}'",
        "client": (f"<Client id=7 email='{p.email('vars.repr', 'subdomain')}' "
                   f"last_ip='{p.ipv4('vars.repr', '172.16.9')}'>"),
        "payload": {"user": {"contact": f"'{p.email('vars.nested', 'plus')}'",
                             "card": f"'{p.card('vars.nested', 'spaces')}'",
                             "profile": {"v6": f"'{p.ipv6('vars.nested', 'mid')}'"}}},
        "auth_header": f"'Bearer {p.bearer('vars')}'",
        "upstream_basic": f"'Basic {p.basic('vars')}'",
        "amount_card": p.card_int("vars.int"),
        "aws_scope": f"'{p.aws('vars')}/20261123/us-east-1/s3/aws4_request'",
        "row": f"{{'email': '{p.email('vars.dictrepr')}', 'password': '{p.password('vars.dictrepr')}'}}",
        "customer": {"name": f"'{p.name('vars.customer')}'", "email": f"'{p.email('vars.customer')}'",
                     "phone": f"'{p.phone('vars.customer', 'nanp')}'"},
        "address": {"street": "'1 Example Way'", "city": f"'{p.city('vars.address')}'"},
        "contact_phone": p.phone("vars.contact", "e164"),
        "sms_log": f"sent code to {p.phone('vars.sms', 'intl')} and {p.phone('vars.sms.2', 'trunk')}",
        "import_line": (f"'[{{\"name\": \"{p.name('vars.import')}\", \"email\": \"{p.email('vars.import')}\", "
                        f"\"phone\": \"{p.phone('vars.import', 'dotted')}}}]'"),
        **variables,
    }
    context = dict(frame.get("context") or [])
    context[line - 2] = f'    STRIPE_FALLBACK = "{p.sntrys("context")}"  # {p.aws("context", "ASIA")}'
    context[line - 1] = f'    notify("{p.email("context", "dashed")}", "{p.ipv4("context", "192.168.44")}")'
    code_line = (frame.get("context_line") or context.get(line, "")) + f"  # card {p.card('context_line', 'dashes')}"
    context[line] = code_line
    frame["context_line"] = code_line
    frame["context"] = [[n, text] for n, text in sorted(context.items())]
    lib = _library_frame(ev)
    lib["vars"] = {**(lib.get("vars") or {}), "environ": {
        "HTTP_AUTHORIZATION": f"'Bearer {p.bearer('lib.environ')}'",
        "REMOTE_ADDR": f"'{p.ipv4('lib.environ', '192.0.2')}'",
        "QUERY_STRING": f"'email={p.email_urlencoded('lib.environ')}&sig={p.secret('lib.environ.sig')}'",
        "HTTP_COOKIE": f"'sessionid={p.secret('lib.environ.cookie', 'cookie')}'",
    }}

    # breadcrumbs
    crumbs = _entry(ev, "breadcrumbs", create=True)["data"].setdefault("values", [])
    crumbs.extend([
        {"type": "default", "category": "auth", "level": "warning", "timestamp": "2026-11-23T01:32:17.700Z",
         "message": f"login failed for {p.email('crumb.msg', 'plain')} from {p.ipv4('crumb.msg', '192.0.2')}",
         "data": {"attempt": 3, "client_ip": p.ipv6("crumb.data", "full"), "reset_token": p.secret("crumb.data")}},
        {"type": "default", "category": "sms", "level": "info", "timestamp": "2026-11-23T01:32:17.705Z",
         "message": f"SMS to {p.phone('crumb.sms', 'spaced')} sent",
         "data": {"first_name": p.name("crumb.sms.data"), "lat": p.coordinate("crumb.lat"),
                  "timezone": p.timezone("crumb.tz")}},
        {"type": "http", "category": "httplib", "level": "error", "timestamp": "2026-11-23T01:32:17.710Z",
         "data": {"url": (f"https://api.payments.example/v1/charge?api_key={p.secret('crumb.http.key')}"
                          f"&email={p.email_urlencoded('crumb.http')}"),
                  "method": "POST", "status_code": 402, "reason": "Payment Required",
                  "request_headers": f"Authorization: Basic {p.basic('crumb.http')}",
                  "response_body": json.dumps({"error": {"card": p.card("crumb.http", "plain", "mastercard"),
                                                         "customer": p.email("crumb.http.json")}})}},
        {"type": "query", "category": "query", "level": "info", "timestamp": "2026-11-23T01:32:17.720Z",
         "message": (f"SELECT id FROM users WHERE email = '{p.email('crumb.sql', 'subdomain')}' "
                     f"AND last_ip = '{p.ipv6('crumb.sql', 'mapped')}'"),
         "data": {"db.params": [p.email("crumb.sql.param", "upper"), p.ipv4("crumb.sql.param", "10.77.3")]}},
        {"type": "default", "category": "console", "level": "error", "timestamp": "2026-11-23T01:32:17.730Z",
         "message": (f'upstream said {{\\"password\\": \\"{p.password("crumb.escaped")}\\", '
                     f'\\"email\\": \\"{p.email("crumb.escaped")}\\"}}'),
         "data": {"arguments": [f"redis://:{p.password('crumb.redis')}@cache.internal.example:6379/0",
                                f"DSN {p.dsn('crumb.args')}"]}},
    ])

    # request
    req = _entry(ev, "request", create=True)["data"]
    query_key = "query_string" if snake else "query"
    req["url"] = (f"https://shop.example.com/users/{p.email('url.path', 'plus')}"
                  f"/block/{p.ipv4('url.path', '203.0.113')}")
    if variant["query"] == "pairs":
        req[query_key] = [["email", p.email("query", "plain")], ["next", f"/confirm?token={p.secret('query.next')}"],
                          ["ref", p.email("query.ref", "upper")], ["cc", p.card("query", "dashes")],
                          ["api_key", p.secret("query.api_key")], ["page", "2"],
                          ["redirect", (f"/admin%3Fip%3D{p.ipv4('query.encoded', '198.51.100')}"
                                        f"%26card%3D{p.card('query.encoded')}"
                                        f"%26password%3D{p.password('query.encoded')}%26page%3D3")]]
    else:
        req[query_key] = (f"email={p.email_urlencoded('query.str')}&api_key={p.secret('query.str.key')}"
                          f"&ip={p.ipv4('query.str', '172.16.9')}&page=2")
    if variant["data"] == "dict":
        req["data"] = {"email": p.email("data.dict"), "password": p.password("data.dict"),
                       "full_name": p.name("data.dict"), "phone": p.phone("data.dict", "intl"),
                       "card": {"number": p.card("data.dict", "plain", "amex"), "exp": "12/29"},
                       "profile": {"ip": p.ipv4("data.dict", "203.0.113"),
                                   "note": json.dumps({"backup_email": p.email("data.json-in-string", "subdomain"),
                                                       "api_token": p.sntrys("data.json-in-string")})},
                       p.email("data.key", "dashed"): {"orders": 3}}
    elif variant["data"] == "raw-json":
        inner = json.dumps({"password": p.password("data.raw.inner"), "otp_secret": p.secret("data.raw.inner")})
        req["data"] = json.dumps({"name": p.name("data.raw"), "phone": p.phone("data.raw", "e164"),
                                  "email": p.email("data.raw"), "cardNumber": p.card("data.raw", "spaces"),
                                  "meta": inner, "ipv6": p.ipv6("data.raw", "compressed")})
    elif variant["data"] == "form-string":
        req["data"] = (f"email={p.email_urlencoded('data.form')}&password={p.password('data.form')}"
                       f"&phone={p.phone('data.form', 'form')}"
                       f"&card={p.card('data.form', 'plus')}&remember=1")
        req["inferred_content_type" if snake else "inferredContentType"] = "application/x-www-form-urlencoded"
    else:  # form dict of lists
        req["data"] = {"email": [p.email("data.formdict", "upper")], "password": [p.password("data.formdict")],
                       "card": [p.card("data.formdict", "dashes", "discover")], "remember": ["1"]}
    req["env"] = {"REMOTE_ADDR": p.ipv4("env", "192.0.2"),
                  "HTTP_X_FORWARDED_FOR": f"{p.ipv4('env.xff', '203.0.113')}, {p.ipv4('env.xff2', '10.77.3')}",
                  "HTTP_X_REAL_IP": p.ipv6("env", "full"), "SERVER_NAME": "shop-web-01", "SERVER_PORT": "443",
                  "HTTP_AUTHORIZATION": f"Bearer {p.bearer('env')}"}
    req["headers"] = [["Authorization", f"Bearer {p.bearer('headers')}"],
                      ["X-Forwarded-For", p.ipv6("headers", "compressed")],
                      ["Cookie", f"sessionid={p.secret('headers.cookie', 'cookie')}"],
                      ["User-Agent", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) Chrome/131.0.0.0 Safari/537.36"]]
    if variant["cookies"] == "string":
        req["cookies"] = f"sessionid={p.secret('cookies.str', 'cookie')}; theme=dark"
    else:
        req["cookies"] = {"sessionid": p.secret("cookies.dict", "cookie"), "csrftoken": p.secret("cookies.csrf")}

    # message entry (logged message with params)
    msg = _entry(ev, "message", create=True)
    msg["data"] = {"formatted": f"checkout failed for {p.email('message')} at {p.ipv4('message', '172.16.9')}",
                   "message": "checkout failed for %s at %s",
                   "params": [p.email("message.params", "plus"), p.ipv4("message.params", "192.168.44")]}

    # tags
    planted_tags = [("customer", p.email("tags")), ("client_ip", p.ipv4("tags", "198.51.100")),
                    ("payment.card", p.card("tags")), ("user", f"email:{p.email('tags.user')}"),
                    ("api_key", p.secret("tags.api_key")), ("user.email", p.email("tags.user.email", "upper")),
                    ("user.username", p.username("tags.user.username")),
                    ("user.name", p.name("tags.user.name")), ("geo.city", p.city("tags.geo.city")),
                    ("customer.phone", p.phone("tags.phone", "intl")),
                    ("url", f"https://shop.example.com/checkout?email={p.email_urlencoded('tags.url')}")]
    original_tags = [(t["key"], t["value"]) for t in ev.get("tags") or []
                     if t["key"] not in ("user.email", "user.username")]
    tags = planted_tags + original_tags
    if variant["tags"] == "pairs":
        ev["tags"] = [[k, v] for k, v in tags]
    else:
        ev["tags"] = [{"key": k, "value": v} for k, v in tags]

    # contexts
    contexts = ev.setdefault("contexts", {})
    contexts.setdefault("os", {"type": "os", "name": "Linux"})["raw_description"] = (
        f"Linux build-host {p.ipv4('contexts.os', '10.77.3')} 6.1.0-13-amd64")
    contexts.setdefault("runtime", {"type": "runtime", "name": "CPython"})["raw_description"] = (
        f"built by {p.email('contexts.runtime', 'subdomain')}")
    contexts.setdefault("device", {"type": "device"})["name"] = f"{p.email('contexts.device')}'s MacBook Pro"
    contexts["customer"] = {"type": "default", "email": p.email("contexts.custom", "upper"),
                            "last_ip": p.ipv4("contexts.custom", "203.0.113"),
                            "card_on_file": p.card("contexts.custom", "spaces", "mastercard"),
                            "billing": {"v6": p.ipv6("contexts.custom", "full"), "street": "1 Example Way"}}
    contexts["culture"] = {"type": "culture", "locale": "en-US", "timezone": p.timezone("contexts.culture")}
    contexts["device"]["timezone"] = p.timezone("contexts.device")
    contexts["response"] = {"type": "response", "status_code": 500,
                            "headers": [["Set-Cookie", f"sessionid={p.secret('contexts.response', 'cookie')}"]]}

    # user
    user_id = p.email("user.id") if variant["user_id"] == "email" else str((ev.get("user") or {}).get("id") or "7")
    ev["user"] = {"id": user_id, "email": p.email("user.email", "upper"),
                  "ip_address": p.ipv6("user.ip", "compressed") if variant["user_ip"] == "v6"
                  else p.ipv4("user.ip", "198.51.100"),
                  "username": p.username("user.username"), "name": p.name("user.name"),
                  "geo": {"city": p.city("user.geo"), "country_code": "US", "region": p.region("user.geo"),
                          "subdivision": p.region("user.geo.subdivision")},
                  "data": {"last_card": p.card("user.data"), "backup_ip": p.ipv4("user.data", "192.168.44"),
                           "phone": p.phone("user.data", "spaced"), "nickname": p.email("user.name", "subdomain")}}

    # extra and the legacy `context`
    ev["extra"] = {
        "customer_email": p.email("extra"),
        p.email("extra.key", "plus"): {"orders": 3},
        "payload_json": json.dumps({"user": {"email": p.email("extra.json"), "ip": p.ipv4("extra.json", "192.0.2")},
                                    "password": p.password("extra.json"),
                                    "nested": json.dumps({"card": p.card("extra.json.nested", "dashes")})}),
        "escaped": f'upstream said: {{\\"password\\": \\"{p.password("extra.escaped")}\\"}}',
        "db_url": p.pg_url("extra"),
        "aws": p.aws("extra"),
        "hex_token": f"api token {p.hex64('extra')} rejected",
        "sentry_dsn_used": p.dsn("extra"),
        "cards": [p.card("extra.list"), p.card("extra.list.sp", "spaces"), p.card("extra.list.da", "dashes", "amex")],
        "ips": [p.ipv4("extra.ips", "203.0.113"), p.ipv4("extra.ips.p", "10.77.3"), p.ipv4("extra.ips.q", "172.16.9"),
                p.ipv6("extra.ips", "full"), p.ipv6("extra.ips.c", "compressed")],
        "auth_log": f"Authorization: Basic {p.basic('extra')}",
    }
    ev["context"] = {**(ev.get("context") or {}),
                     "sys.argv": ["app.py", "--database-url", p.pg_url("context.argv")],
                     "job": {"owner": p.email("context.job", "dashed"),
                             "webhook": f"https://hooks.example.com/notify?sig={p.secret('context.sig')}"
                                        f"&to={p.email_urlencoded('context.job')}"},
                     "blocked": {p.ipv4("context.key", "198.51.100"): "rate limited",
                                 p.ipv6("context.key", "mid"): "rate limited"}}

    # fingerprints, dist, sdk, processing errors
    ev["fingerprints"] = ["{{ default }}", f"payment-failed-{p.email('fingerprint')}"]
    ev["dist"] = f"build-7-by-{p.email('dist', 'subdomain')}"
    ev.setdefault("sdk", {})["options"] = {"dsn": p.dsn("sdk.dsn"), "transport_url": p.dsn("sdk.transport"),
                                           "server_name": "shop-web-01"}
    ev["errors"] = [{"type": "invalid_data", "name": "user.ip_address",
                     "value": f"not-an-ip {p.ipv4('errors', '172.16.9')}"},
                    {"type": "invalid_attribute", "name": "contexts.customer",
                     "value": {"email": p.email("errors.value")}}]
    return ev


VARIANTS = {
    "checkout": {"query": "pairs", "data": "dict", "tags": "dicts", "user_id": "number", "user_ip": "v4",
                 "cookies": "dict"},
    "orders": {"query": "string", "data": "form-string", "tags": "dicts", "user_id": "email", "user_ip": "v4",
               "cookies": "string"},
    "orders_1001": {"query": "pairs", "data": "form-dict", "tags": "pairs", "user_id": "number", "user_ip": "v6",
                    "cookies": "dict"},
    "typeerror": {"query": "string", "data": "raw-json", "tags": "dicts", "user_id": "number", "user_ip": "v6",
                  "cookies": "dict"},
}


def _event_scope(event_body: dict) -> str:
    event_id = event_body.get("eventID") or event_body.get("event_id")
    return next(name for name, eid in EVENT_IDS.items() if eid == event_id)


# --- planting into issues ----------------------------------------------------------


def _plant_issue(issue: dict, event_title: str | None, event_culprit: str | None, cut=False) -> dict:
    p = Planter(f"issue:{issue['id']}")
    if cut:  # a GlitchTip-style title, cut at 100 characters in the middle of an email
        issue["title"] = f"ValueError: Invalid login for account holder {p.email_cut('title.cut')}\u2026"
    if event_title:  # a detailed issue: the same text as its events
        issue["title"] = event_title
        issue["metadata"] = {**issue.get("metadata", {}), "value": event_title.split(": ", 1)[1]}
        issue["culprit"] = event_culprit
    else:
        original = issue["title"]
        if not cut:
            issue["title"] = f"{original} for {p.email('title', 'plus')} at {p.ipv4('title', '192.0.2')}"
        issue["culprit"] = f"GET /api/clients/{p.ipv4('culprit', '203.0.113')}/orders?token={p.sntryu('culprit')}"
        issue["metadata"] = {**issue.get("metadata", {}),
                             "value": f"{original}; card {p.card('metadata', 'spaces')} key {p.aws('metadata')}"}
    issue["assignedTo"] = {"type": "user", "id": str(300 + int(issue["id"])),  # spec: the actor form
                           "name": p.name("assignedTo.name"),
                           "email": p.email("assignedTo.email", "dashed")}
    return issue


def _plant_issue_detail(issue: dict) -> dict:
    """What Sentry's issue detail adds beyond the list item: releases, tags, activity."""
    p = Planter(f"issue:{issue['id']}")
    sha = "0123456789abcdef0123456789abcdef01234567"
    release = {"version": "shop@2.4.1", "shortVersion": "2.4.1", "dateCreated": "2026-11-20T10:00:00Z",
               "lastCommit": {"id": sha, "message": (f"fix checkout for {p.email('release.commit')} "
                                                     f"(reported from {p.ipv4('release.commit', '192.168.44')})"),
                              "author": p.person("release.author", "5")},
               "authors": [p.person("release.authors", "6"), {"name": p.name("release.authors.bare"),
                                                              "email": p.email("release.authors", "plus")}],
               "lastDeploy": {"environment": "production",
                              "url": f"https://deploy:{p.password('release.deploy')}@ci.example.com/job/42"}}
    issue["firstRelease"] = release
    issue["lastRelease"] = copy.deepcopy(release)
    issue["tags"] = [
        {"key": "url", "name": "URL", "totalValues": 1,
         "topValues": [{"key": "url", "name": f"https://shop.example.com/u/{p.email('tags.url')}",
                        "value": f"https://shop.example.com/u/{p.email('tags.url')}", "count": 1}]},
        {"key": "client_ip", "name": "Client Ip", "totalValues": 1,
         "topValues": [{"key": "client_ip", "name": p.ipv4("tags.ip", "10.77.3"),
                        "value": p.ipv4("tags.ip", "10.77.3"), "count": 1}]},
        {"key": "user", "name": "User", "totalValues": 2,
         "topValues": [{"key": "user", "name": p.email("tags.user"), "value": f"email:{p.email('tags.user')}",
                        "count": 1},
                       {"key": "user", "name": p.username("tags.user"),
                        "value": f"username:{p.username('tags.user')}", "count": 1}]},
        {"key": "card", "name": "Card", "totalValues": 1,
         "topValues": [{"key": "card", "name": p.card("tags.card"), "value": p.card("tags.card"), "count": 1}]},
        {"key": "server_name", "name": "Server", "totalValues": 1,
         "topValues": [{"key": "server_name", "name": "shop-web-01", "value": "shop-web-01", "count": 1}]},
    ]
    issue["statusDetails"] = {"ignoreCount": 50, "actor": p.person("statusDetails.actor", "3")}
    issue["seenBy"] = [{**p.person("seenBy", "4"), "lastSeen": "2026-11-23T03:00:00Z"}]
    issue["participants"] = [{"id": "3", "email": p.email("participants"), "username": p.username("participants"),
                              "name": p.name("participants")}, p.person("participants.user", "7")]
    issue["activity"] = [{"id": "1", "type": "note", "dateCreated": "2026-11-23T02:00:00Z",
                          "data": {"text": (f"Customer {p.email('activity')} called from "
                                            f"{p.ipv6('activity', 'full')}; card {p.card('activity', 'dashes')}")},
                          "user": p.person("activity.user", "3")}]
    return issue


# --- build the corpus once ---------------------------------------------------------

_BODIES: dict[str, object] = {}


def _build() -> None:
    for name, (issue_id, short_id, prefix) in ISSUES.items():
        latest = _plant_event(recorded(f"{prefix}_event_latest"), name, VARIANTS[name])
        events = recorded(f"{prefix}_events")
        for item in events:
            scope = _event_scope(item)
            _plant_event(item, scope, VARIANTS[scope])
        _BODIES[f"{name}_event"] = latest
        _BODIES[f"{name}_events"] = events
        _BODIES[f"{name}_titles"] = (latest["title"], latest["culprit"])
    lists = {}
    for project in ("backend", "frontend"):
        items = recorded(f"org_issues_{project}")
        for item in items:
            detailed = DETAILED.get(item["id"])
            name = next((n for n, v in ISSUES.items() if v[0] == item["id"]), None)
            title, culprit = _BODIES[f"{name}_titles"] if detailed and name else (None, None)
            _plant_issue(item, title, culprit, cut=item is items[-1])
        lists[project] = items
    _BODIES["issues_backend"], _BODIES["issues_frontend"] = lists["backend"], lists["frontend"]
    for name, (issue_id, _short, prefix) in ISSUES.items():
        body = recorded(f"{prefix}_issue")
        list_item = next(i for items in lists.values() for i in items if i["id"] == issue_id)
        for key in ("title", "culprit", "metadata", "assignedTo"):
            body[key] = copy.deepcopy(list_item[key])
        _BODIES[f"{name}_issue"] = _plant_issue_detail(body)


_build()

# The members of a team, as each server lists them: the member's own name and email show
# (a member command), so they are not planted; what must not show is: the avatar, the login
# data and the other addresses of the person, and the one who invited them (spec: inviterName).
SHOWN_MEMBER = {"name": "Sam Shown", "email": "sam.shown@example.com"}


def _plant_member_user(user: dict, p: Planter) -> dict:
    user.update(lastLogin=p.login_date("member.lastLogin"), dateJoined=p.login_date("member.dateJoined"))
    return user


def _build_team_members() -> None:
    p = Planter("team-members")
    glitchtip = recorded("team_members")  # GlitchTip: the admin, with its real name and email
    for member in glitchtip:
        _plant_member_user(member["user"], p)
    _BODIES["team_members"] = glitchtip
    from server_teams import spec_team_example
    sentry = spec_team_example("team_members")
    for member in sentry:
        member.update(SHOWN_MEMBER, inviterName=p.email("member.inviter", "dashed"))
        user = _plant_member_user(member["user"], p)
        uuid = p.avatar_uuid("member.avatar")
        user.update(name=SHOWN_MEMBER["name"], username=SHOWN_MEMBER["email"], email=SHOWN_MEMBER["email"],
                    avatarUrl=p.gravatar("member.gravatar"), has2fa=True,
                    emails=[{"id": "9", "email": p.email("member.emails", "plus"), "is_verified": True}],
                    avatar={"avatarType": "upload", "avatarUuid": uuid,
                            "avatarUrl": f"https://sentry.io/avatar/{uuid}/"})
    _BODIES["spec_team_members"] = sentry


_build_team_members()


def _plant_keys(keys: list, dialect: str) -> list:
    """Client keys whose secret DSN holds a planted secret key, as Sentry's does (spec:
    `public:secret@host`), and, where Sentry sends it, the secret key itself. The public
    DSN is left as the server sent it: it is meant to show."""
    p = Planter(f"keys-{dialect}")
    for n, key in enumerate(keys):
        secret = p.dsn_key(f"secret key {n}")
        scheme, _, rest = key["dsn"]["public"].partition("://")
        public_key, _, host = rest.partition("@")
        key["dsn"]["secret"] = f"{scheme}://{public_key}:{secret}@{host}"
        if dialect == "sentry":
            key["secret"] = secret
    return keys


_BODIES["keys_sentry"] = _plant_keys(server_keys.spec_keys()["list"], "sentry")
_BODIES["keys_glitchtip"] = _plant_keys(recorded("project_keys"), "glitchtip")


def _plant_commit(commit: dict, p, slot: str) -> dict:
    """A commit as Sentry serializes it: its author a whole user, its message free text."""
    commit["author"] = p.person(f"{slot}.author", "5")
    commit["message"] = f"fix checkout for {p.email(f'{slot}.message')} (from {p.ipv4(f'{slot}.message', '192.168.44')})"
    if isinstance(commit.get("pullRequest"), dict):
        commit["pullRequest"]["author"] = p.person(f"{slot}.pr.author", "6")
    return commit


def _plant_releases(dialect: str) -> list:
    """Releases with what a server may hold of people and secrets there. Sentry (spec: the
    release serializer): the authors and owner as whole users, the newest commit and its
    author, the newest deploy's URL; this model's commits and deploys the same. GlitchTip
    (recorded: releases_list) keeps a release's `ref`, `url` and `data` as given: free text."""
    p = Planter(f"releases-{dialect}")
    if dialect == "glitchtip":
        releases = recorded("releases_list")
        for n, release in enumerate(releases):
            release["ref"] = f"deployed by {p.email(f'release{n}.ref')}"
            release["url"] = f"https://ci:{p.password(f'release{n}.url')}@ci.example.com/{n}"
            release["data"] = {"token": p.bearer(f"release{n}.data"), "by": p.email(f"release{n}.data", "plus")}
        return releases
    releases = ServerModel().releases_body("sentry")
    for n, release in enumerate(releases):
        release["authors"] = [p.person(f"release{n}.authors", "6"),
                              {"name": p.name(f"release{n}.authors.bare"), "email": p.email(f"release{n}.authors", "plus")}]
        release["owner"] = p.person(f"release{n}.owner", "7")
        release["url"] = f"https://ci:{p.password(f'release{n}.url')}@ci.example.com/{n}"
        if release.get("lastCommit"):
            _plant_commit(release["lastCommit"], p, f"release{n}.lastCommit")
        for m, commit in enumerate(release.get("commits", [])):
            _plant_commit(commit, p, f"release{n}.commit{m}")
        for m, deploy in enumerate(release.get("deploys", [])):
            deploy["url"] = f"https://deploy:{p.password(f'release{n}.deploy{m}')}@ci.example.com/{m}"
            deploy["name"] = f"shipped by {p.email(f'release{n}.deploy{m}')}"
        if release.get("lastDeploy"):
            release["lastDeploy"]["url"] = f"https://deploy:{p.password(f'release{n}.lastDeploy')}@ci.example.com/"
    return releases


_BODIES["releases_sentry"] = _plant_releases("sentry")
_BODIES["releases_glitchtip"] = _plant_releases("glitchtip")


def _plant_member(member: dict, scope: str) -> dict:
    """A member of the organization with all a server may say about its person beyond name and
    email (which the member commands show: the recorded ones, nothing planted there): avatar
    URL and upload, last login, 2FA, other addresses, login identities (Sentry's user
    serializer, the spec's member example), and who invited it (`inviterName`, another person)."""
    p = Planter(scope)
    user = member.get("user")
    if isinstance(user, dict):
        uuid = p.avatar_uuid("member.avatar")
        user.update(avatarUrl=p.gravatar("member.avatarUrl"), lastLogin=p.login_date("member.lastLogin"),
                    has2fa=True, emails=[{"id": "9", "email": p.email("member.emails"), "is_verified": True}],
                    identities=[{"id": "5", "name": p.username("member.identity"),
                                 "provider": {"id": "github", "name": "GitHub"}}],
                    avatar={"avatarType": "upload", "avatarUuid": uuid,
                            "avatarUrl": f"https://sentry.io/avatar/{uuid}/"})
    member["inviterName"] = p.email("member.inviter", "plus")
    return member


_BODIES["member_admin"] = _plant_member(recorded("member_detail_admin"), "member:1")
_BODIES["member_invitee"] = _plant_member(recorded("member_detail"), "member:2")


def _build_error_bodies() -> dict:
    """JSON error answers that quote secrets back (status -> body)."""
    p = Planter("error-body")
    return {
        404: {"detail": f"No issue for {p.email('404')} (asked from {p.ipv4('404', '203.0.113')})"},
        403: {"detail": f"Token {p.sntrys('403')} lacks the scope event:read"},
        401: {"detail": f"Invalid token header. Authorization: Bearer {p.bearer('401')}"},
        400: {"query": [f"Invalid query near user.email:{p.email('400', 'plus')} and {p.card('400', 'spaces')}"]},
        409: [{"conflict": f"release owned by {p.email('409', 'upper')} at {p.ipv6('409', 'compressed')}"}],
        500: {"detail": {"message": f"database {p.pg_url('500')} unavailable", "code": "db"}},
        503: {"detail": f"upstream {p.ipv6('503', 'full')} refused key {p.aws('503')}"},
    }


# --- the organization, its projects and their end users ------------------------------------


def _build_organization() -> None:
    """Where Sentry puts people and secrets in these bodies (spec: its organization and project
    serializers): an uploaded avatar, the person who completed an onboarding task, a relay's
    PII rules naming an address; a project's options holding its `sentry:token`, its avatar;
    and the end users a project saw, whole as listProjectUsers gives them."""
    p = Planter("organization")
    org = recorded("org_detail")
    uuid = p.avatar_uuid("org.avatar")
    org["avatar"] = {"avatarType": "upload", "avatarUuid": uuid, "avatarUrl": f"https://sentry.io/organization-avatar/{uuid}/"}
    org["onboardingTasks"] = [{"task": "setup_second_platform", "status": "complete",
                               "user": p.person("onboarding.user", "8"), "dateCompleted": "2026-11-20T10:00:00Z",
                               "data": {"invited_by": p.email("onboarding.data")}}]
    org["relayPiiConfig"] = json.dumps({"rules": {"mask_admin": {"type": "pattern", "pattern": p.email("org.pii")}}})
    org["trustedRelays"] = [{"name": "edge", "description": f"run by {p.email('org.relay', 'plus')}"}]
    projects = recorded("org_projects")
    for project in projects:
        q = Planter(f"project:{project['slug']}")
        project["options"] = {"sentry:token": q.hex64("options.token"),
                              "sentry:relay_pii_config": json.dumps({"owner": q.email("options.pii")}),
                              "mail:subject_prefix": f"[{q.email('options.prefix', 'subdomain')}]",
                              "sentry:origins": ["shop.example.com", q.ipv4("options.origins", "203.0.113")]}
        project["avatar"] = {"avatarType": "upload", "avatarUuid": q.avatar_uuid("project.avatar")}
        project["latestDeploys"] = {"production": {"version": "shop@2.4.1",
                                                   "url": f"https://deploy:{q.password('deploy')}@ci.example.com/1"}}
    _BODIES["org"], _BODIES["projects"] = org, projects
    users = []
    for n, kind in enumerate(("email", "username", "ip", "id")):
        q = Planter(f"end user {n}")
        email, name, username = q.email("user"), q.name("user"), q.username("user")
        ip = q.ipv4("user", "198.51.100") if n % 2 else q.ipv6("user", "full")
        value = {"email": email, "username": username, "ip": ip}.get(kind) or q.email("identifier", "plus")
        digest = q.gravatar("user").split("/avatar/")[1].split("?")[0]
        users.append({"id": str(n + 1), "tagValue": f"{kind}:{value}", "identifier": value if kind == "id" else None,
                      "username": username, "email": email, "name": name, "ipAddress": ip,
                      "avatarUrl": f"https://secure.gravatar.com/avatar/{digest}?s=32", "hash": digest,
                      "dateCreated": "2026-11-23T01:32:17Z"})
    _BODIES["end_users"] = users


def _build_events_query():
    """The events query's rows as Sentry answers them (spec: listOrganizationEvents), with the
    personal data such a query selects: the user's email, IP and username, and an email in the title."""
    rows = []
    for n in range(3):
        q = Planter(f"events query row {n}")
        rows.append({"title": f"login failed for {q.email('title')}", "user.email": q.email("user"),
                     "user.ip": q.ipv4("user", "192.0.2"), "user.username": q.username("user"),
                     "count()": 10 * (n + 1)})
    _BODIES["events_query"] = {"data": rows, "meta": {"fields": {"title": "string", "user.email": "string",
                                                                 "user.ip": "string", "user.username": "string",
                                                                 "count()": "integer"}}}


_build_organization()
_build_events_query()
ERROR_BODIES = _build_error_bodies()
SERVED = [v for v in PLANTED if not PLACES[v].split(": ", 1)[1].startswith("error-body")]


# --- public accessors (fresh deep copies) -----------------------------------------------


def issue(name: str) -> dict:
    """The issue detail body of `checkout` (16), `orders` (17) or `typeerror` (20)."""
    return copy.deepcopy(_BODIES[f"{name}_issue"])


def issue_list(project: str | None = None) -> list:
    """The organization issue list (both projects, newest first, as the server model serves it)."""
    if project:
        return copy.deepcopy(_BODIES[f"issues_{project}"])
    items = copy.deepcopy(_BODIES["issues_backend"] + _BODIES["issues_frontend"])
    items.sort(key=lambda i: i["lastSeen"], reverse=True)
    return items


def event(name: str) -> dict:
    """The latest event of an issue (camelCase, as `/events/latest/` answers)."""
    return copy.deepcopy(_BODIES[f"{name}_event"])


def keys(dialect: str) -> list:
    """The client keys of `backend` in a dialect, their secrets planted."""
    return copy.deepcopy(_BODIES[f"keys_{dialect}"])


def event_list(name: str) -> list:
    """The events of an issue (snake_case, as GlitchTip's `/events/` answers)."""
    return copy.deepcopy(_BODIES[f"{name}_events"])


class CorpusRouter(ServerModel):
    """The tests' server model, serving the corpus in place of the recorded bodies:
    each planted copy under the name of the recorded body it was made from."""

    _PLANTED_AS = {"org_issues_backend": "issues_backend", "org_issues_frontend": "issues_frontend",
                   "org_detail": "org", "org_projects": "projects",

                   "member_detail_admin": "member_admin", "member_detail": "member_invitee",
                   **{f"{prefix}_{recorded_as}": f"{name}_{kind}" for name, (_id, _short, prefix) in ISSUES.items()
                      for recorded_as, kind in (("issue", "issue"), ("events", "events"), ("event_latest", "event"))}}

    def body(self, name):
        if name == "team_members":
            return copy.deepcopy(_BODIES["team_members"])
        if name not in self._PLANTED_AS:  # nothing planted (the token's own user): the recorded body
            return super().body(name)
        return copy.deepcopy(_BODIES[self._PLANTED_AS[name]])

    def keys_body(self, dialect):
        return keys(dialect)

    def releases_body(self, dialect):
        return copy.deepcopy(_BODIES[f"releases_{dialect}"])

    def end_users(self):
        return copy.deepcopy(_BODIES["end_users"])

    def events_query_body(self):
        return copy.deepcopy(_BODIES["events_query"])

    def spec_body(self, name):
        if name == "team_members":
            return copy.deepcopy(_BODIES["spec_team_members"])
        return super().spec_body(name)


_UNTAGGED = [n for n in NEEDLES if "audit" not in n.lower()]  # IPs, cards, hex, DSN keys, Basic


def leaks(text: str) -> list[str]:
    """The planted (and recorded) secrets found in `text`, each with its place.

    Most planted values contain `audit`: when the text has no `audit` at all,
    only the others (IPs, cards, hex tokens, ...) need a look."""
    pool = NEEDLES if "audit" in text.lower() else _UNTAGGED
    found = [f"{needle!r} ({PLACES[NEEDLES[needle]]})" for needle in pool if needle in text]
    found += [f"{value!r} (recorded by the SDKs)" for value in RECORDED_PLANTED if value in text]
    return found
