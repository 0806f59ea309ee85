"""Tests for sentry_skill.redact: every rule of PRODUCT.md section 5, checked on
bodies recorded from a real GlitchTip fed by the official SDKs, copied into
tests/data/real (planted fake personal data and secrets, see its README.md), plus
what must survive untouched."""

from __future__ import annotations

import copy
import json
import time
from pathlib import Path

import pytest

from sentry_skill.redact import (
    SENSITIVE_KEY,
    redact,
    redact_text,
)

REAL = Path(__file__).resolve().parent / "data" / "real"
WEB = REAL / "glitchtip-web"
API = REAL / "glitchtip-api"
SPEC_PEOPLE = Path(__file__).resolve().parent / "data" / "spec" / "people.json"
# What tests/data/real holds (see its README.md): the corpus walk checks every one.
REAL_BODY_COUNT = {"glitchtip-web": 43, "glitchtip": 65, "glitchtip-api": 1}

PLANTED = [
    "leaky.login@example.com", "leaky.person@example.com", "card.holder@example.com",
    "import.victim@example.com", "node.shopper@example.com", "john.doe@example.com",
    "jane+test@example.org", "planted-Password!2024", "203.0.113.77", "198.51.100.23",
    "2001:db8:85a3::8a2e:370:7334", "10.20.30.40", "192.168.1.77", "4111111111111111",
    "cardholder",  # the flask_orders username, also in a source context line
    "AKIAPLANTEDKEY12345678", "plantedDbPass", "hunter2-planted-password",
    "sntryu_plantedusertoken0123456789abcdef0123456789abcdef0123", "sntrys_abc123",
    "leaky.person",  # the username (and the local part of the email)
    "202-555-0143",  # the phone number in the import body
    "Import Victim", "Springfield",  # an end user's name and city (glitchtip-api)
]


def _load(name: str, folder: Path = WEB):
    return json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))


def _entry(event: dict, kind: str) -> dict:
    return next(e for e in event["entries"] if e["type"] == kind)


def _frames(event: dict, n: int = 0) -> list:
    return _entry(event, "exception")["data"]["values"][n]["stacktrace"]["frames"]


def _frame(event: dict, function: str, n: int = 0) -> dict:
    return next(f for f in _frames(event, n) if f["function"] == function)


def _all_bodies():
    for folder in (WEB, REAL / "glitchtip", API):
        for path in sorted(folder.glob("*.json")):
            yield f"{folder.name}/{path.name}", json.loads(path.read_text(encoding="utf-8"))


# --- the whole corpus -------------------------------------------------------


def test_no_planted_string_survives_in_any_real_body_and_it_is_fast():
    bodies = list(_all_bodies())
    per_folder = {folder: sum(name.startswith(folder + "/") for name, _ in bodies) for folder in REAL_BODY_COUNT}
    assert per_folder == REAL_BODY_COUNT, "tests/data/real lost or gained bodies: update REAL_BODY_COUNT"
    before = copy.deepcopy(bodies)
    start = time.perf_counter()
    results = [(name, redact(body)) for name, body in bodies]
    assert time.perf_counter() - start < 1.0  # budget 0.5 s; slack for slow CI
    assert bodies == before  # input not mutated
    for name, result in results:
        text = json.dumps(result, ensure_ascii=False)
        for planted in PLANTED:
            assert planted not in text, f"{planted} leaked in {name}"
        assert "plantedbearer" not in text and "plantedcookie" not in text
        assert "X-Forwarded-For" not in text and "x-forwarded-for" not in text


# --- real event bodies: each planted class ----------------------------------


def test_email_in_exception_value_keeps_the_surrounding_text():
    ev = redact(_load("flask_login_event_latest"))
    exc = _entry(ev, "exception")["data"]["values"][0]
    assert exc["type"] == "ValueError"
    assert exc["value"] == "Invalid credentials for [email]"
    assert ev["title"] == "ValueError: Invalid credentials for [email]"
    assert ev["metadata"]["value"] == "Invalid credentials for [email]"
    assert _frame(ev, "wsgi_app")["vars"]["e"] == "ValueError('Invalid credentials for [email]')"


def test_nested_password_the_sdk_missed_and_sdk_filtered_values():
    ev = redact(_load("flask_login_event_latest"))
    login = _frame(ev, "login")
    assert login["vars"]["body"]["password"] == "[secret]"
    assert login["vars"]["body"]["email"] == "[email]"
    assert login["vars"]["password"] == "[Filtered]"  # the SDK's own marker stays
    req = _entry(ev, "request")["data"]
    assert req["data"] == {"email": "[email]", "password": "[Filtered]", "remember": True}


def test_request_headers_and_cookies_are_dropped():
    for name in ("flask_checkout_event_latest", "express_typeerror_project_event"):
        req = _entry(redact(_load(name)), "request")["data"]
        assert "headers" not in req and "cookies" not in req
        assert req["method"] in ("GET", "POST")
    events = redact(_load("flask_checkout_events"))  # snake_case list form
    assert all("headers" not in _entry(e, "request")["data"] for e in events)


def test_query_pairs_user_object_tags_and_breadcrumbs():
    ev = redact(_load("flask_checkout_event_latest"))
    req = _entry(ev, "request")["data"]
    assert req["query"] == [["email", "[email]"], ["token", "[secret]"]]
    assert req["url"] == "http://127.0.0.1:5077/checkout"
    assert ev["user"] == {"id": "42", "email": "[email]", "username": "[username]", "ip_address": "[ip]"}
    tags = {t["key"]: t["value"] for t in ev["tags"]}
    assert tags["user.email"] == "[email]" and tags["user.username"] == "[username]"
    assert tags["user.id"] == "42" and tags["release"] == "shop@2.4.1" and tags["os.name"] == "Mac OS X"
    crumbs = [b["message"] for b in _entry(ev, "breadcrumbs")["data"]["values"]]
    assert crumbs == [
        "checkout started for [email]",
        "fraud check: client [ip] scored 0.87 (threshold 0.8)",
        "cart loaded with 3 lines, token prefix sntryu_",
    ]
    req_repr = _frame(ev, "dispatch_request")["vars"]["req"]
    assert req_repr == "<Request 'http://127.0.0.1:5077/checkout?email=[email]&token=[secret]' [GET]>"
    assert ev["contexts"]["os"]["version"] == "10.15.7"
    assert ev["contexts"]["runtime"]["version"] == "3.13.0"


def test_snake_case_events_list_query_string():
    ev = redact(_load("flask_checkout_events"))[0]
    assert _entry(ev, "request")["data"]["query_string"] == [["email", "[email]"], ["token", "[secret]"]]
    assert ev["event_id"] == _load("flask_checkout_events")[0]["event_id"]


def test_tag_top_values_keep_keys_and_hide_values():
    tags = {t["key"]: t for t in redact(_load("flask_checkout_tags"))}
    assert set(tags) >= {"browser", "environment", "user.id", "user.email", "user.username", "release"}
    assert tags["user.username"]["name"] == "user.username"
    assert tags["user.username"]["topValues"][0] == {
        "name": "[username]", "value": "[username]", "count": 1, "key": "user.username"}
    assert tags["user.email"]["topValues"][0]["value"] == "[email]"
    assert tags["browser"]["topValues"][0]["value"] == "Chrome 131.0.0"


def test_card_and_cloud_key_in_frame_vars_and_source_context():
    ev = redact(_load("flask_orders_event_latest"))
    charge = _frame(ev, "_charge_installment")
    assert charge["vars"]["card_number"] == "'[card]'"
    assert charge["vars"]["api_key"] == "[Filtered]"
    assert charge["vars"]["amount"] == "19.98"
    assert charge["vars"]["items"] == [{"sku": "'SKU-1001'", "price": "19.98"}]
    context = dict(charge["context"])
    assert context[77] == '    card_number = "[card]"'
    assert "AKIAPLANTEDKEY" not in json.dumps(charge)
    assert charge["filename"] == "app.py" and charge["absPath"] == "/srv/shop/app.py"
    assert charge["inApp"] is True and isinstance(charge["lineNo"], int)
    assert _frame(ev, "order")["vars"] == {"order_id": "1002"}
    assert ev["user"]["email"] == "[email]" and ev["user"]["ip_address"] == "[ip]"


def test_cloud_key_with_scope_text():
    scope = "'AKIAPLANTEDKEY12345678/20261123/us-east-1/execute-api/aws4_request'"
    assert redact_text(scope) == "'[aws-key]/20261123/us-east-1/execute-api/aws4_request'"
    assert redact_text("key ASIAABCDEFGHIJKLMNOP used") == "key [aws-key] used"
    assert redact_text("AKIA alone, AKIAshort") == "AKIA alone, AKIAshort"


def test_database_url_password_in_chained_exception():
    ev = redact(_load("flask_reports_chained_event_latest"))
    values = _entry(ev, "exception")["data"]["values"]
    assert [v["type"] for v in values] == ["ConnectionRefusedError", "RuntimeError"]
    assert values[1]["value"] == (
        "report 'q3-revenue' unavailable: cannot reach postgresql://[secret]@127.0.0.1:9/reports")
    assert _frame(ev, "report", 0)["vars"]["dsn"] == "[secret]"  # a secret-named key
    assert ev["title"].startswith("RuntimeError: report 'q3-revenue' unavailable: cannot reach postgresql://[secret]@")


def test_url_password_and_node_raw_json_body():
    ev = redact(_load("express_urlpassword_event_latest"))
    exc = _entry(ev, "exception")["data"]["values"][0]
    assert exc["value"] == ("replica handshake failed for https://[secret]@db.internal.example/x "
                            "(host db.internal.example unreachable)")
    body = _entry(redact(_load("express_typeerror_event_latest")), "request")["data"]["data"]
    assert json.loads(body) == {"email": "[email]", "password": "[secret]", "cardNumber": "[card]"}


def test_token_in_message_and_sdk_filtered_query():
    issue = redact(_load("express_rejection_issue"))
    assert issue["id"] == "21" and issue["shortId"] == "FRONTEND-7"
    assert issue["metadata"]["value"] == (
        "warehouse webhook rejected order 5005 for [email] (HTTP 401, token [token])")
    assert issue["metadata"]["function"] == "notifyWarehouse"
    req = _entry(redact(_load("express_rejection_event_latest")), "request")["data"]
    assert req["url"] == "http://127.0.0.1:3077/orders/5005/notify?email=[email]&token=[Filtered]"
    assert req["query"] == [["email", "[email]"], ["token", "[Filtered]"]]


def test_invalid_json_body_in_python_repr_and_its_phone_number():
    ev = redact(_load("flask_import_event_latest"))
    body = "'[{\"email\": \"[email]\", \"phone\": \"[phone]\", \"note\": \"unterminated}]'"
    assert _frame(ev, "import_customers")["vars"]["raw"] == body
    for function in ("loads", "decode", "raw_decode"):  # the stdlib frames that got the same text
        assert _frame(ev, function)["vars"]["s"] == body
    assert _frame(ev, "raw_decode")["vars"]["idx"] == "0"
    assert ev["title"] == _load("flask_import_event_latest")["title"]  # "line 1 column 77 (char 76)" stays


def test_end_user_name_and_city_in_a_text_body_and_frame_variables():
    # Recorded from the live GlitchTip (project events): the import body names its customer,
    # and the checkout frame holds the customer's address.
    events = {e["groupID"]: e for e in redact(_load("project_events", API))}
    raw = _frame(events["18"], "import_contacts")["vars"]["raw"]
    assert raw == "'[{\"name\": \"[name]\", \"email\": \"[email]\", \"phone\": \"[phone]}]'"
    checkout = _frame(events["16"], "checkout")
    assert checkout["vars"]["address"] == {"city": "[geo]", "street": "'1 Main St'"}
    assert dict(checkout["context"])[45] == '    address = {"street": "1 Main St", "city": "[geo]"}'
    assert checkout["vars"]["email"] == "[email]" and checkout["function"] == "checkout"
    packages = events["16"]["packages"]
    assert packages == _load("project_events", API)[1]["packages"]  # package names are not people


def test_end_user_timezone_and_locale():
    ev = redact(_load("express_typeerror_event_latest"))
    assert ev["contexts"]["culture"] == {"type": "culture", "locale": "en-US", "timezone": "[timezone]"}
    assert ev["contexts"]["device"]["arch"] == "x64"


def test_end_user_object_name_geo_and_their_tags():
    # The user interface of a Sentry event (spec: user.name, user.geo with city, country_code,
    # region, subdivision), laid on a real event.
    ev = _load("flask_checkout_event_latest")
    ev["user"].update(name="Jane Doe", geo={"city": "Springfield", "country_code": "US", "region": "United States",
                                            "subdivision": "Illinois"})
    ev["tags"] += [{"key": "user.name", "value": "Jane Doe"}, {"key": "geo.city", "value": "Springfield"},
                   {"key": "geo.country_code", "value": "US"}, {"key": "region", "value": "us-east-1"}]
    out = redact(ev)
    assert out["user"] == {"id": "42", "email": "[email]", "username": "[username]", "ip_address": "[ip]",
                           "name": "[name]", "geo": "[geo]"}
    tags = {t["key"]: t["value"] for t in out["tags"]}
    assert tags["user.name"] == "[name]" and tags["geo.city"] == "[geo]" and tags["geo.country_code"] == "[geo]"
    assert tags["region"] == "us-east-1"  # a cloud region, not where a person is
    assert redact({"user": {"id": "5", "name": "Jane Doe"}}) == {"user": {"id": "5", "name": "[name]"}}
    coords = {"lat": 52.52, "lng": 13.405, "latitude": "52.52", "longitude": "13.40", "country_code": "DE"}
    assert redact(coords) == {k: "[geo]" for k in coords}


def _people():
    return json.loads(SPEC_PEOPLE.read_text(encoding="utf-8"))


def test_people_of_the_organization_keep_only_their_id():
    # Sentry's own examples (tests/data/spec): an assignee, a whole serialized user (the shape of
    # statusDetails.actor and of each person in seenBy), a release author with an uploaded avatar.
    people = _people()
    user, author = people["member"]["user"], people["release_author"]
    issue = {"assignedTo": people["issue_assignee"], "statusDetails": {"inNextRelease": True, "actor": user},
             "seenBy": [{**user, "lastSeen": "2026-11-23T10:00:00Z"}], "participants": [user],
             "firstRelease": {"version": "shop@2.4.1", "authors": [author], "lastCommit": {"author": author}},
             "activity": [{"id": "1", "type": "note", "user": user, "data": {"text": "looked at it"}}]}
    out = redact(issue)
    assert out["assignedTo"] == {"type": "user", "id": "1", "name": "[name]", "email": "[email]"}
    masked = {"id": user["id"], "name": "[name]", "username": "[username]", "email": "[email]",
              "avatarUrl": "[avatar]", "avatar": {"avatarType": "letter_avatar", "avatarUuid": None}}
    assert out["statusDetails"] == {"inNextRelease": True, "actor": masked}
    assert out["seenBy"] == [{**masked, "lastSeen": "2026-11-23T10:00:00Z"}]
    assert out["participants"] == [masked] and out["activity"][0]["user"] == masked
    uploaded = {**masked, "id": author["id"],
                "avatar": {"avatarType": "upload", "avatarUuid": "[avatar]", "avatarUrl": "[avatar]"}}
    assert out["firstRelease"]["authors"] == [uploaded]
    assert out["firstRelease"]["lastCommit"]["author"] == uploaded
    text = json.dumps(out)
    for leak in ("John Doe", "Sir Penguin", "Raj", "gravatar", "16aeb26c5f", "bf99685de5", "xyz123",
                 "lastLogin", "lastActive", "dateJoined", "has2fa", "isSuperuser", "2021-08-02"):
        assert leak not in text, leak


def test_teams_are_not_people():
    team = {"type": "team", "id": "1", "name": "acme"}  # spec: Sentry's actor form of a team (name = slug)
    assert redact({"assignedTo": team}) == {"assignedTo": team}
    assert redact({"project": {"id": "2", "name": "Pump Station", "slug": "pump-station"}}) == {
        "project": {"id": "2", "name": "Pump Station", "slug": "pump-station"}}


def test_member_commands_show_the_name_and_email_of_members():
    member = _people()["member"]
    out = redact(member, people="named")
    assert out["user"] == {"id": "280094367316", "name": "Sir Penguin", "username": "sirpenguin@antarcticarocks.com",
                           "email": "sirpenguin@antarcticarocks.com", "avatarUrl": "[avatar]",
                           "avatar": {"avatarType": "letter_avatar", "avatarUuid": None}}
    assert (out["name"], out["email"], out["orgRole"]) == ("Sir Penguin", "sirpenguin@antarcticarocks.com", "member")
    assert "lastLogin" not in json.dumps(out) and "gravatar" not in json.dumps(out)
    masked = redact(member)
    assert (masked["name"], masked["email"], masked["orgRole"]) == ("[name]", "[email]", "member")
    # End users stay redacted whatever the mode.
    assert redact({"user": {"id": "7", "email": "a@b.co", "name": "Jane Doe"}}, people="named") == {
        "user": {"id": "7", "email": "[email]", "name": "[name]"}}


def test_issue_list_keeps_triage_fields():
    issues = redact(_load("org_issues_backend"))
    orig = _load("org_issues_backend")
    assert [i["id"] for i in issues] == [i["id"] for i in orig]
    assert [i["shortId"] for i in issues] == [i["shortId"] for i in orig]
    titles = {i["shortId"]: i["title"] for i in issues}
    assert titles["BACKEND-A"] == "ValueError: Invalid credentials for [email]"
    assert "ConnectionError: Could not connect to database at [ip]:5432" in titles.values()
    assert "PermissionError: API token [token] was rejected by upstream" in titles.values()


def test_api_root_token_and_auth_object():
    root = redact(_load("api_root", REAL / "glitchtip"))
    assert root["auth"] == "[secret]"  # `auth` is a secret-named key
    assert root["user"]["email"] == "[email]" and root["user"]["username"] == "[username]"
    assert root["user"]["id"] == "1" and "hasPasswordAuth" not in root["user"]  # a person's login data
    assert root["auth"] != "[secret]" or redact({"auth": {"id": 1}}) == {"auth": "[secret]"}
    assert redact({"token": "0" * 64}) == {"token": "[secret]"}
    assert redact_text("t " + "0" * 64) == "t [token]"


def test_node_module_names_are_data_not_secret_keys():
    ev = redact(_load("express_typeerror_event_latest"))
    assert ev["packages"]["cookie"] == "0.7.2"
    assert ev["packages"]["cookie-signature"] == "1.2.2"


# --- free-text rules --------------------------------------------------------


def test_emails():
    assert redact_text("Bad email address entered: jane+test@example.org from 192.168.1.77") == (
        "Bad email address entered: [email] from [ip]")
    assert redact_text("?email=leaky.person%40example.com&x=1") == "?email=[email]&x=1"
    assert redact_text("release shop@2.4.1, express@5.3.0, @sentry/node") == (
        "release shop@2.4.1, express@5.3.0, @sentry/node")


def test_ipv4_and_ipv6():
    assert redact_text("db at 10.20.30.40:5432.") == "db at [ip]:5432."
    assert redact_text("xff 2001:db8:85a3::8a2e:370:7334") == "xff [ip]"
    assert redact_text("local ::1 and ::ffff:192.0.2.1 and fe80::1") == "local ::1 and [ip] and [ip]"
    assert redact_text("2001:0db8:0000:0000:0000:ff00:0042:8329") == "[ip]"
    assert redact_text("laddr=('127.0.0.1', 5077)") == "laddr=('127.0.0.1', 5077)"  # loopback names nobody
    assert redact_text("raddr=('10.1.2.3', 5077)") == "raddr=('[ip]', 5077)"


@pytest.mark.parametrize("text", [
    "1.2.3.4-beta", "1.2.3", "v20.20.2", "Mac OS X 10.15.7", "Intel Mac OS X 10_15_7",
    "01:32:17.676", "12:34:56", "2026-11-23T01:32:17.678Z", "::", "x[1::2]", "std::vector",
    "53f432b8964743dd8474097b83426201", "0123456789abcdef0123456789abcdef01234567",
    "ad0f9598-9da0-4e19-b7aa-a28a51b10230", "file.py:123", "/srv/shop/app.py:81", "flask/app.py",
    "Python 3.13.0", "CPython 3.13.0 sentry-sdk 2.48.0", "Chrome/131.0.0.0 Safari/537.36",
    "price 19.98", "order 1002", "ts 1763861537000", "[Filtered]", "token=[Filtered]",
    "6.18.44-fc-v669", "1.2.3.4.5", "256.1.1.1", "KeyError: 'country'",
    "cart loaded with 3 lines, token prefix sntryu_", "Basic usage; Token expired; bearer of news",
    "author=bob&signal=1", "password = request.form['password']",
    "2026.11.23", "v2026.11.23", "2026-11-23", "23.11.2026", "11/23/2026", "localhost:8000", "127.0.0.1:8000",
    "line 1234", "x = 20255501430", "ms 1763861537000", "raddr=('127.0.0.1', 49642)", "id 0123456789",
    "+0530", "2026-11-23T01:32:17.700+00:00", "1.5e+10", "a+12345678", "sizes 512 256 1024",
    "12345678-1234-1234-1234-123456789012", "00 01 02 03 04 05 06", "0.12.345.6789", "char 76",
])
def test_ordinary_text_survives(text):
    assert redact_text(text) == text


@pytest.mark.parametrize("text", [
    "+1-202-555-0143", "+1 202 555 0143", "+1 (202) 555-0143", "+12025550143", "+44 20 7946 0958",
    "+44 (0)20 7946 0958", "+49 30 1234567", "+4915112345678", "+33 1 23 45 67 89", "+353.1.234.5678",
    "0044 20 7946 0958", "(202) 555-0143", "202-555-0143", "202.555.0143", "020 7946 0958", "07700 900123",
    "030 1234567", "(030) 1234567", "0151-12345678", "06-12345678", "01 23 45 67 89", "030/1234567",
])
def test_phone_numbers(text):
    for around in ("{}", "call {} now", "tel:{}", "phone={}", '"phone": "{}"', "({})", "{}."):
        expected = around.format("[phone]")
        assert redact_text(around.format(text)) == expected, around.format(text)
    assert redact_text("phone=%2B12025550143&x=1") == "phone=[phone]&x=1"
    assert redact_text("to=%2B12025550143&x=1") == "to=%2B[phone]&x=1"  # a URL-encoded +


def test_phone_keys_hold_phone_numbers_in_any_form():
    value = {"phone": 12025550143, "mobile": "2025550143", "phone_number": "555 0143", "phoneVerified": True,
             "fax": None, "telephone": "[Filtered]"}
    assert redact(value) == {"phone": "[phone]", "mobile": "[phone]", "phone_number": "[phone]",
                             "phoneVerified": True, "fax": None, "telephone": "[Filtered]"}
    assert redact([["phone", "2025550143"], ["page", "2"]]) == [["phone", "[phone]"], ["page", "2"]]


def test_avatar_urls_in_text():
    url = "https://secure.gravatar.com/avatar/16aeb26c5fdba335c7078e9e9ddb5149?s=32&d=mm"
    assert redact_text(f"avatar {url}") == "avatar https://secure.gravatar.com/avatar/[avatar]?s=32&d=mm"
    assert redact({"avatarUrl": "https://sentry.io/avatar/xyz123/", "avatarUuid": "xyz123",
                   "avatarType": "upload"}) == {"avatarUrl": "[avatar]", "avatarUuid": "[avatar]", "avatarType": "upload"}


def test_sentry_tokens_and_hex_tokens():
    assert redact_text("API token sntrys_abc123 was rejected") == "API token [token] was rejected"
    assert redact_text("a sntryu_plantedu\u2026") == "a [token]\u2026"
    assert redact_text('"sntrys_eyJpYXQiOjE3MDB9_abc+/=" x') == '"[token]" x'
    assert redact_text("q=sntryu_abcdefgh&next=1") == "q=[token]&next=1"
    assert redact_text("sntryu_ab short") == "sntryu_ab short"
    # cut short by the server: what is left of it is still a token's start
    assert redact_text("(HTTP 401, token sntryu_p\u2026") == "(HTTP 401, token [token]\u2026"
    assert redact_text("token sntrys_... expired") == "token [token]... expired"
    assert redact_text("h " + "b" * 63 + " " + "c" * 65) == "h " + "b" * 63 + " " + "c" * 65


def test_authorization_schemes_keep_the_scheme_word():
    assert redact_text("Authorization: Bearer plantedbearer_abcdefghijklmnopqrstuvwx") == (
        "Authorization: Bearer [auth]")
    assert redact_text("Basic dXNlcjpwYXNz") == "Basic [auth]"
    assert redact_text("DSN https://abc@o1.ingest.sentry.io/1") == "DSN [auth]"
    assert redact_text('-H "Authorization: Token abcdefgh"') == '-H "Authorization: Token [auth]"'


def test_userinfo_in_urls():
    assert redact_text("https://0123456789abcdef0123456789abcdef@o1.ingest.sentry.io/1") == (
        "https://[secret]@o1.ingest.sentry.io/1")
    assert redact_text("https://pub:sec@o1.ingest.sentry.io/1") == "https://[secret]@o1.ingest.sentry.io/1"
    assert redact_text("postgresql://reports:plantedDbPass@127.0.0.1:9/reports") == (
        "postgresql://[secret]@127.0.0.1:9/reports")


def test_secrets_in_query_strings_and_json_text():
    assert redact_text("/x?password=hunter2&token=abc&api_key=k1&secret=s&access_token=t&auth=a&sig=z&page=2") == (
        "/x?password=[secret]&token=[secret]&api_key=[secret]&secret=[secret]"
        "&access_token=[secret]&auth=[secret]&sig=[secret]&page=2")
    assert redact_text('{\\"password\\": \\"planted-Password!2024\\", \\"remember\\": true}') == (
        '{\\"password\\": \\"[secret]\\", \\"remember\\": true}')
    assert redact_text("{'password': 'with spaces', 'user': 'bob'}") == "{'password': '[secret]', 'user': 'bob'}"
    assert redact_text('"password": "[Filtered]", "token": ""') == '"password": "[Filtered]", "token": ""'
    assert redact_text('    "username": "cardholder", "ip_address": "198.51.100.23"})') == (
        '    "username": "[username]", "ip_address": "[ip]"})')
    assert redact_text("login?user_name=bob&next=/") == "login?user_name=[username]&next=/"


def test_credit_cards_luhn_checked():
    assert redact_text("card 4111111111111111.") == "card [card]."
    assert redact_text("4111 1111 1111 1111 / 4111-1111-1111-1111 / 378282246310005") == (
        "[card] / [card] / [card]")
    assert redact_text("not luhn 4111111111111112") == "not luhn 4111111111111112"
    assert redact_text("id 1234567890123452 ts 1763861537000") == "id 1234567890123452 ts 1763861537000"
    assert redact({"n": 4111111111111111, "ts": 1763861537000}) == {"n": "[card]", "ts": 1763861537000}


def test_secrets_literals_are_replaced_first():
    tok = "0123abcdQWERTY-value9"
    assert redact({"msg": f"sent {tok}", tok: 1}, secrets=[tok]) == {"msg": "sent [token]", "[token]": 1}
    assert redact_text("tiny abc here", secrets=["abc", ""]) == "tiny abc here"
    assert redact_text(f"x {tok}", secrets=tok) == "x [token]"


# --- structure rules ----------------------------------------------------------


def test_sensitive_key_names():
    secret = ["password", "X-Api-Key", "aws_secret_access_key", "csrfmiddlewaretoken", "Authorization",
              "auth", "Cookie", "sessionid", "session", "private_key", "client_secret", "dsn",
              "credentials", "pwd", "passwd", "access_key", "apiKey"]
    plain = ["cardNumber", "key", "keys", "sessionCount", "session_count", "hasSeen", "authors",
             "author", "shortId", "id", "isBookmarked", "userCount", "tokenType", "total_tokens"]
    out = redact({k: "v1" for k in secret + plain})
    assert all(out[k] == "[secret]" for k in secret)
    assert all(out[k] == "v1" for k in plain)
    assert SENSITIVE_KEY.search("X-Api-Key") and not SENSITIVE_KEY.search("authors")
    value = redact({"token": {"a": [1]}, "secret": 123, "password": None, "api_key": "[Filtered]"})
    assert value == {"token": "[secret]", "secret": "[secret]", "password": None, "api_key": "[Filtered]"}


def test_user_keys_tags_and_pairs():
    user = {"id": "7", "email": "x", "ip_address": "1.1.1.1", "ipAddress": "::1", "username": "u",
            "user_name": "z", "name": "Jane"}
    assert redact(user) == {"id": "7", "email": "[email]", "ip_address": "[ip]", "ipAddress": "[ip]",
                            "username": "[username]", "user_name": "[username]", "name": "[name]"}
    tags = [{"key": "user.username", "value": "cardholder"}, {"key": "user.ip", "value": "x"},
            {"key": "user", "value": "username:bob"}, ["user.email", "a@b.co"],
            ["user.username", "bob"], ["token", "sntryu_x1234567"], ["page", "2"]]
    assert redact(tags) == [{"key": "user.username", "value": "[username]"}, {"key": "user.ip", "value": "[ip]"},
                            {"key": "user", "value": "username:[username]"}, ["user.email", "[email]"],
                            ["user.username", "[username]"], ["token", "[secret]"], ["page", "2"]]
    assert redact([77, "    card_number = \"4111111111111111\""]) == [77, '    card_number = "[card]"']


def test_keys_are_data_too():
    out = redact({"a@b.co": 1, "c@d.org": 2, "10.0.0.1": 3, "plain": 4})
    assert out == {"[email]": 1, "[email]#2": 2, "[ip]": 3, "plain": 4}


def test_headers_and_cookies_dropped_only_when_structured():
    v = {"headers": [["Authorization", "x"]], "cookies": {"sid": "y"}, "Headers": {"a": "b"},
         "data": {"headers": "a plain string"}}
    assert redact(v) == {"data": {"headers": "a plain string"}}


def test_json_inside_strings():
    assert redact('{"password":"x","n":1}') == '{"password":"[secret]","n":1}'
    assert redact(' [{"email": "a@b.co"}]') == '[{"email":"[email]"}]'
    untouched = '{"a": 1,  "b": [2]}'
    assert redact(untouched) == untouched  # nothing found: formatting kept
    assert redact("{not json, password=abc}") == "{not json, password=[secret]}"


def test_input_not_mutated_and_odd_inputs_never_raise():
    v = {"user": {"email": "a@b.co"}, "l": [["token", "t0k3n-value"]], 1: None, None: 2.5}
    before = copy.deepcopy(v)
    out = redact(v)
    assert v == before and out is not v
    assert out[1] is None and out[None] == 2.5
    deep = inner = []
    for _ in range(3000):
        inner.append([])
        inner = inner[0]
    assert "[too-deep]" in json.dumps(redact(deep))
    assert isinstance(redact("[" * 5000), str)
    assert redact(("10.0.0.1", {"x"})) == ["[ip]", ["x"]]
    assert isinstance(redact(object()), str)
    assert redact(None) is None and redact(True) is True and redact(3.5) == 3.5
    assert redact_text(None) == "None"
    start = time.perf_counter()
    for junk in ("1" * 50_000, ":" * 50_000, "a." * 25_000, "x=" * 25_000, "a@" * 25_000):
        redact(junk)
    assert time.perf_counter() - start < 1.0


def test_a_feedback_author_is_an_end_user_wherever_the_name_stands():
    """contexts.feedback, the occurrence's evidence (data and labelled display) and the
    issue's metadata all carry the author's name beside a contact email."""
    kinds = Path(__file__).parent / "data" / "sentry-kinds"
    for name in ("event_feedback", "issues"):
        body = json.loads((kinds / f"{name}.json").read_text(encoding="utf-8"))
        assert "Plantie McFeedback" in json.dumps(body)
        text = json.dumps(redact(body))
        assert "Plantie" not in text and "planted.feedback" not in text, name
    event = redact(json.loads((kinds / "event_feedback.json").read_text(encoding="utf-8")))
    shown = {item["name"]: item["value"] for item in event["occurrence"]["evidenceDisplay"]}
    assert shown == {"contact_email": "[email]", "name": "[name]",
                     "message": "The checkout button does nothing on the second try"}  # the feedback itself stays


def test_an_end_user_s_hash_is_masked_as_an_avatar_and_no_other_hash_is():
    """Sentry's EventUser (a project's users) carries the gravatar hash of the email."""
    user = {"id": "1", "hash": "16aeb26c5fdba335c7078e9e9ddb5149", "tagValue": "email:x", "email": "x@example.com"}
    shown = redact(user)
    assert shown["hash"] == "[avatar]" and shown["email"] == "[email]" and shown["id"] == "1"
    other = {"hash": "16aeb26c5fdba335c7078e9e9ddb5149", "type": "commit"}  # no tagValue: not a user
    assert redact(other) == other
