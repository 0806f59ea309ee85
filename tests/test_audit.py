"""The redaction audit: every read command, in every output mode, on both
dialects, against bodies full of planted secrets (tests/audit_corpus.py).

Each run must exit 0, print no planted value (nor a fragment of one, nor any
`audit`-tagged text) on stdout or stderr, and keep the useful text around the
secrets: exception types, file and function names, short ids, and the typed
markers that stand where a secret was. Error answers that quote secrets back
are checked on stderr the same way.

What runs is fixed before any test starts: audit_plan() lists every run (dialect,
command line, what must survive), each audit test runs exactly its own rows, and
the last test checks that the plan covers every read command, mode and dialect,
whatever ran before it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import tempfile
from pathlib import Path
from typing import NamedTuple

import pytest

import audit_corpus as corpus
from sentry_skill import event_shape, shape
from sentry_skill.commands import TABLE, tags, teams
from sentry_skill.commands.keys import KEY_FIELDS
from sentry_skill.commands.orgs import ORG_FIELDS
from sentry_skill.commands.projects import PROJECT_FIELDS, PROJECT_USER_FIELDS
from sentry_skill.commands.releases import COMMIT_FIELDS, DEPLOY_FIELDS, RELEASE_FIELDS
from server_model import DATA
from standin import TOKEN, Fault, StandIn

# The read commands the audit must cover: every one the command table has.
READ_COMMANDS = {entry.name for entry in TABLE if not entry.writes}
# The flags that change what a read command prints (formats, parts, selections) or how it fetches.
MODE_FLAGS = {"--raw", "--format", "jsonl", "table", "--fields", "--stacktrace", "--breadcrumbs", "--max-bytes",
              "--latest-event", "--project", "--show-secrets", "--no-redact"}
DIALECTS = ("sentry", "glitchtip")
MIN_RUNS = 150

BASE = [(), ("--format", "jsonl"), ("--format", "table")]
RAW = ("--raw",)
ISSUE_MODES = BASE + [("--fields", ",".join(shape.ISSUE_FIELDS))]
LATEST_FULL = ("--stacktrace",)
LATEST_MODES = BASE + [("--stacktrace", "--max-bytes", "0", "--format", "table")]
EVENT_FULL = ("--stacktrace", "--breadcrumbs", "100", "--max-bytes", "0")  # nothing trimmed away unseen
EVENT_MODES = BASE + [
    ("--stacktrace",), ("--breadcrumbs", "100"),
    EVENT_FULL + ("--format", "jsonl"), EVENT_FULL + ("--format", "table"),
    ("--fields", ",".join(event_shape.EVENT_FIELDS), "--max-bytes", "0"),
]
NAMES = list(corpus.ISSUES)
# The members team-members shows by name and email: GlitchTip's recorded admin, the corpus's Sentry member.
SHOWN_MEMBERS = {"glitchtip": {"name": "Alice Admin", "email": "alice.admin@acme-corp.example"},
                 "sentry": corpus.SHOWN_MEMBER}


class Row(NamedTuple):
    """One audited run."""
    dialect: str
    test: str                 # the test that runs it
    argv: tuple               # the command, its arguments, then `mode`
    mode: tuple = ()
    issue: str | None = None  # the corpus issue it reads (corpus.ISSUES)
    survive: tuple = ()       # text that must be on stdout
    code: int = 0
    fault: int | None = None  # the server answers this status with corpus.ERROR_BODIES[fault]
    message: str = ""         # text that must survive in the error message


def rotate(items, full, modes):
    """Every item in the fullest modes (`--raw`, and all parts shaped); the other
    modes rotate over the items, so each mode meets each dialect and command."""
    runs = [(item, mode) for item in items for mode in full]
    runs += [(items[i % len(items)], mode) for i, mode in enumerate(modes)]
    return runs


def _survivors(name: str, mode: tuple, *keys, listed: bool = False) -> list:
    """What must survive in this mode. A list's table clips each cell at 60 characters;
    a single object's table keeps every field whole."""
    facts = {**corpus.SURVIVE[name], "shortId": corpus.ISSUES[name][1]}
    if "table" in mode and listed:
        return [facts["shortId"]] if "shortId" in keys else []
    return [facts[key] for key in keys]


def _ref(name: str) -> str:
    """Short ids for two issues, the numeric id for one: both forms get audited."""
    issue_id, short_id, _ = corpus.ISSUES[name]
    return issue_id if name == "orders" else short_id


def _event_survivors(name, mode):
    survive = _survivors(name, mode, "type", "file", "function")
    if "--breadcrumbs" in mode:
        survive.append("login failed for [email] from [ip]")
    if mode == RAW:
        survive += corpus.REDACTED_FORMS
    return survive


def _events():
    """(issue name, event id) for every event, including the older one of BACKEND-C."""
    return [(name, corpus.EVENT_IDS[scope]) for name in NAMES for scope in corpus.EVENT_IDS
            if scope.split("_")[0] == name]


# --- the plan: every run, before anything runs ------------------------------------------
# Each planner yields (command and arguments, mode, corpus issue, what must survive).


def _plan_list_issues():
    for query, mode in rotate([(), ("--query", "", "--limit", "100")], [RAW], ISSUE_MODES):
        survive = [corpus.ISSUES[n][1] for n in NAMES]
        if "table" not in mode:
            survive += [corpus.SURVIVE[n]["type"] for n in NAMES] + ["[email]"]
        yield ("list-issues", *query), mode, None, survive


def _plan_digest():
    """Each issue of the corpus with its latest event's exception and culprit frame."""
    for query, mode in rotate([("--limit", "25")], [RAW], BASE):
        survive = [corpus.ISSUES[n][1] for n in NAMES]
        if "table" not in mode:
            survive += [corpus.SURVIVE[n][key] for n in NAMES for key in ("type", "function")]
        yield ("digest", *query), mode, None, survive


def _plan_issue_detail():
    for name, mode in rotate(NAMES, [RAW], ISSUE_MODES):
        yield ("issue-detail", _ref(name)), mode, name, _survivors(name, mode, "shortId", "type")
    for mode in [RAW, (), ("--format", "table")]:  # several at once: the list envelope
        survive = [corpus.ISSUES[n][1] for n in NAMES]
        if "table" not in mode:
            survive += [corpus.SURVIVE[n]["type"] for n in NAMES]
        yield ("issue-detail", *[_ref(n) for n in NAMES]), mode, None, survive


def _plan_issue_detail_with_latest_event():
    for name, mode in rotate(NAMES, [RAW, LATEST_FULL], LATEST_MODES):
        survive = _survivors(name, mode, "shortId", "type", "file", "function")
        yield ("issue-detail", _ref(name), "--latest-event"), mode, name, survive


def _plan_lookup_short_id():
    for name, mode in rotate(NAMES, [RAW], ISSUE_MODES):
        yield ("lookup-short-id", corpus.ISSUES[name][1].lower()), mode, name, _survivors(name, mode, "shortId", "type")


def _plan_issue_events():
    for name, mode in rotate(NAMES, [RAW], BASE):
        survive = _survivors(name, mode, "type", listed=True)
        if "table" not in mode:
            survive.append("https://shop.example.com/users/[email]/block/[ip]")
        yield ("issue-events", _ref(name)), mode, name, survive


def _plan_event_detail_latest():
    for name, mode in rotate(NAMES, [RAW, EVENT_FULL], EVENT_MODES):
        yield ("event-detail", "latest", "--issue", _ref(name)), mode, name, _event_survivors(name, mode)


def _plan_event_detail_by_id_with_project():
    for (name, event_id), mode in rotate(_events(), [RAW], EVENT_MODES):
        argv = ("event-detail", event_id, "--project", corpus.SURVIVE[name]["project"])
        yield argv, mode, name, _event_survivors(name, mode)


def _plan_event_detail_by_id_alone():
    for (name, event_id), mode in rotate(_events(), [RAW], EVENT_MODES):
        yield ("event-detail", event_id), mode, name, _event_survivors(name, mode)


def _plan_lookup_event_id():
    modes = BASE + [("--fields", ",".join(event_shape.EVENT_LOOKUP_FIELDS))]
    for (name, event_id), mode in rotate(_events(), [RAW], modes):
        yield ("lookup-event-id", event_id), mode, name, [event_id]


def _plan_whoami():
    """The token's own user shows with name and email; the token GlitchTip echoes never does."""
    for _, mode in rotate([None], [RAW], BASE):
        yield ("whoami",), mode, None, ["[secret]"] if mode == RAW else ["user:1", "Alice Admin"]


def _plan_list_keys(dialect):
    """The public DSN shows; the planted secret key and secret DSN never do: not in --raw, not
    with --no-redact (which the key commands do not take for --show-secrets), and --show-secrets
    without writes allowed is refused (exit 8) before any request."""
    keys = corpus.keys(dialect)
    modes = [RAW, ("--raw", "--no-redact"), ("--fields", ",".join(KEY_FIELDS)), ("--no-redact",), *BASE]
    for mode in modes:
        if "table" in mode:  # a list's table cuts cells at 60 characters: the ids show whole
            survive = [key["id"] for key in keys]
        else:
            survive = [key["dsn"]["public"] for key in keys]
        if "--raw" in mode or "--fields" in mode:
            survive.append("[secret]")
        yield ("list-keys", "--project", "backend"), mode, None, survive, 0
    yield ("list-keys", "--project", "backend", "--show-secrets"), ("--raw",), None, [], 8
    yield ("list-keys", "--project", "backend", "--show-secrets"), ("--no-redact",), None, [], 8


def _webhook_file() -> str:
    """An issue webhook whose issue is the corpus's planted checkout issue, signed in the test:
    verify-webhook reads a body no server sent, so the audit hands it one. Written once per run."""
    if not _WEBHOOK:
        body = {"action": "created", "installation": {"uuid": "a8e5d37a-696c-4c54-adb5-b3f28d64c7de"},
                "data": {"issue": corpus.issue("checkout")}, "actor": {"type": "user", "id": "1"}}
        path = Path(tempfile.mkdtemp(prefix="audit-webhook-")) / "hook.json"
        path.write_bytes(json.dumps(body).encode())
        _WEBHOOK.append(str(path))
    return _WEBHOOK[0]


_WEBHOOK: list = []
WEBHOOK_SECRET = "audit-webhook-client-secret"


def _plan_verify_webhook():
    """The payload's people, secrets and personal data stay out of the summary and of --raw."""
    path = _webhook_file()
    signature = hmac.new(WEBHOOK_SECRET.encode(), Path(path).read_bytes(), hashlib.sha256).hexdigest()
    for _, mode in rotate([None], [RAW], BASE):
        yield ("verify-webhook", "--file", path, "--signature", signature), mode, "checkout", \
            [corpus.ISSUES["checkout"][1], "user:1" if mode != RAW else "created"]


def _profiles_file() -> str:
    """A profiles file naming two servers and their token variables: list-profiles reads only
    this local file. Written once per run, in a folder whose name the audit does not flag."""
    if not _PROFILES:
        path = Path(tempfile.mkdtemp(prefix="profiles-")) / "profiles.ini"
        path.write_text("[saas]\nbase_url = https://sentry.io\norg = acme\ntoken_env = SAAS_PROFILE_TOKEN\n"
                        "[onprem]\nbase_url = https://sentry.example.com\norg = acme\nproject = backend\n"
                        "token_env = ONPREM_PROFILE_TOKEN\n", encoding="utf-8")
        _PROFILES.append(str(path))
    return _PROFILES[0]


_PROFILES: list = []
PROFILE_TOKENS = {"SAAS_PROFILE_TOKEN": "sntryu_" + "5a" * 32, "ONPREM_PROFILE_TOKEN": "onprem-profile-secret-77"}


def _plan_list_profiles():
    """Each profile's server and token variable shows; no token's value, in any mode."""
    _profiles_file()
    for _, mode in rotate([None], [RAW], BASE):
        yield ("list-profiles",), mode, None, ["saas", "https://sentry.example.com", "ONPREM_PROFILE_TOKEN"]


def _plan_list_orgs():
    for _, mode in rotate([None], [RAW], BASE):
        yield ("list-orgs",), mode, None, ["acme"]


def _plan_org_detail():
    for _, mode in rotate([None], [RAW], BASE + [("--fields", ",".join(ORG_FIELDS))]):
        yield ("org-detail",), mode, None, ["acme"] if mode == RAW else ["acme", "team:acme"]


def _plan_list_projects():
    for team, mode in rotate([(), ("--team", "acme")], [RAW], BASE + [("--fields", ",".join(PROJECT_FIELDS))]):
        yield ("list-projects", *team), mode, None, ["backend", "frontend"]


def _plan_project_detail():
    for slug, mode in rotate(["backend", "frontend"], [RAW], BASE + [("--fields", ",".join(PROJECT_FIELDS))]):
        yield ("project-detail", slug), mode, None, [slug] if mode == RAW else [slug, "team:acme"]


def _plan_project_users():
    """End users, whole as the spec shows them: only how each is identified survives."""
    for _, mode in rotate([None], [RAW], BASE + [("--fields", ",".join(PROJECT_USER_FIELDS))]):
        yield ("project-users", "backend"), mode, None, ["[email]", "[username]"] if mode == RAW else ["email"]


def _plan_list_teams():
    for _, mode in rotate([None], [RAW], BASE + [("--fields", ",".join(teams.TEAM_FIELDS))]):
        yield ("list-teams",), mode, None, ["acme"]


def _plan_team_detail():
    for _, mode in rotate([None], [RAW], BASE + [("--fields", ",".join(teams.TEAM_FIELDS))]):
        yield ("team-detail", "acme"), mode, None, ["acme"]


def _plan_team_projects():
    for _, mode in rotate([None], [RAW], BASE + [("--fields", ",".join(teams.PROJECT_FIELDS))]):
        yield ("team-projects", "acme"), mode, None, ["backend", "frontend"]


def _plan_team_members():
    """A member command: the members show with name and email, nothing else of them or of others."""
    for _, mode in rotate([None], [RAW], BASE + [("--fields", ",".join(teams.MEMBER_FIELDS))]):
        yield ("team-members", "acme"), mode, None, ["{member_name}", "{member_email}"]


MEMBER_SHOWN = ["Alice Admin", "alice.admin@acme-corp.example"]  # the member commands' subject: shown


def _plan_list_members():
    """Members' names and emails show; their avatars, logins and inviters never do."""
    for _, mode in rotate([None], [RAW], BASE):
        survive = [*MEMBER_SHOWN, "scratch.invitee@example.com"]
        yield ("list-members",), mode, None, survive + (["[avatar]", "[email]"] if mode == RAW else [])


def _plan_member_detail():
    for member, mode in rotate(["1", "2"], [RAW], BASE):
        survive = MEMBER_SHOWN if member == "1" else ["scratch.invitee@example.com"]
        yield ("member-detail", member), mode, None, survive + (["[email]"] if mode == RAW else [])


RELEASE_SHOWN = {"sentry": "control@abc123", "glitchtip": "1.0.0"}  # a release of each dialect's corpus


def _plan_list_releases():
    """Versions and projects show; authors and owners only as user:<id>, never named; a ref,
    URL, commit message or deploy name keeps no address, password or token."""
    for project, mode in rotate([(), ("--project", "backend")], [RAW], BASE + [("--fields", ",".join(RELEASE_FIELDS))]):
        yield ("list-releases", *project), mode, None, ["backend"]


def _plan_release_detail(dialect):
    version = RELEASE_SHOWN[dialect]
    for _, mode in rotate([None], [RAW], BASE + [("--fields", ",".join(RELEASE_FIELDS))]):
        survive = [version] + (["user:6"] if dialect == "sentry" and mode != RAW else [])
        yield ("release-detail", version), mode, None, survive, 0


def _plan_release_commits(dialect):
    """Sentry only (GlitchTip has no commits: exit 7): the author as user:<id>, the message redacted."""
    for _, mode in rotate([None], [RAW], BASE + [("--fields", ",".join(COMMIT_FIELDS))]):
        lacks = dialect == "glitchtip"
        survive = [] if lacks else ["xyz123"] + (["fix checkout for [email]"] if "table" not in mode else [])
        yield ("release-commits", RELEASE_SHOWN[dialect]), mode, None, survive, 7 if lacks else 0


def _plan_list_deploys(dialect):
    for _, mode in rotate([None], [RAW], BASE + [("--fields", ",".join(DEPLOY_FIELDS))]):
        lacks = dialect == "glitchtip"
        yield ("list-deploys", RELEASE_SHOWN[dialect]), mode, None, [] if lacks else ["canary-test-control"], \
            7 if lacks else 0


def _plan_issue_tags():
    """Tag values are end-user data where the tag says so (user.email ...) or the value looks it."""
    for name, mode in rotate(NAMES, [RAW], BASE + [("--fields", ",".join(tags.TAG_FIELDS))]):
        yield ("issue-tags", _ref(name)), mode, name, ["environment"]
    for name, mode in rotate(NAMES, [RAW], BASE + [("--fields", ",".join(tags.VALUE_FIELDS))]):
        yield ("issue-tags", _ref(name), "--key", "user.email"), mode, name, ["[email]"]
    for name, mode in rotate(NAMES, [RAW], BASE):
        yield ("issue-tags", _ref(name), "--key", "customer"), mode, name, ["[email]"]


def _plan_issue_detail_with_tags():
    for name, mode in rotate(NAMES, [RAW, ("--latest-event", "--stacktrace")], BASE):
        yield ("issue-detail", _ref(name), "--tags"), mode, name, [*_survivors(name, mode, "shortId"), "environment"]


def _plan_issue_hashes():
    for name, mode in rotate(NAMES, [RAW], BASE + [("--fields", ",".join(tags.HASH_FIELDS))]):
        yield ("issue-hashes", _ref(name)), mode, name, _survivors(name, mode, "type", listed=True)


def _plan_list_events():
    """A project's events: GlitchTip sends them whole (user, request, frames), Sentry as summaries."""
    modes = BASE + [("--fields", ",".join(event_shape.EVENT_SUMMARY_FIELDS))]
    for project, mode in rotate(["backend", "frontend"], [RAW], modes):
        kinds = [corpus.SURVIVE[n]["type"] for n in NAMES if corpus.SURVIVE[n]["project"] == project]
        yield ("list-events", "--project", project), mode, None, [] if "table" in mode else kinds


STATS_RANGE = ("--start", "2026-11-25T00:00:00Z", "--end", "2026-12-01T23:59:59Z", "--interval", "1d")


def _plan_org_stats():
    """Counts carry no personal data; the rows and totals survive in every mode."""
    for project, mode in rotate([(), ("--project", "backend")], [RAW], BASE):
        yield ("org-stats", *STATS_RANGE, *project), mode, None, ["2026-11-25"]


def _plan_project_stats():
    for _, mode in rotate([None], [RAW], BASE):
        yield ("project-stats", "backend", *STATS_RANGE), mode, None, ["2026-11-25"]


EVENT_QUERY = ("search-events", "--dataset", "errors", "--field", "title", "--field", "user.email",
               "--field", "user.ip", "--field", "user.username", "--field", "count()")


def _plan_search_events():
    """Rows with the user's email, IP and username: only the columns' names and the counts survive."""
    for _, mode in rotate([None], [RAW], BASE):
        yield EVENT_QUERY, mode, None, ["login failed for [email]", "user.email"]


# Read commands a dialect lacks: each run exits 7 (unsupported), and stderr is audited the same way.
UNSUPPORTED = {"glitchtip": {"project-users", "search-events"}}

ERROR_CASES = [  # status (its body: corpus.ERROR_BODIES), command, exit code, text that must survive
    (404, ("issue-detail", "16"), 5, "No issue for [email] (asked from [ip])"),
    (403, ("issue-events", "BACKEND-B"), 4, "Token [auth] lacks the scope event:read"),
    (401, ("list-issues",), 4, "Authorization: Bearer [auth]"),
    (400, ("list-issues", "--query", "user.email:x"), 7, "Invalid query near user.email:[email] and [card]"),
    (409, ("lookup-short-id", "BACKEND-B"), 7, "release owned by [email] at [ip]"),
    (500, ("event-detail", "latest", "--issue", "16"), 6, "database postgres://[secret]@db-main"),
    (503, ("event-detail", "53f432b8964743dd8474097b83426201", "--project", "backend"), 6,
     "upstream [ip] refused key [aws-key]"),
]

READ_PLANS = {
    "test_list_issues": _plan_list_issues,
    "test_issue_detail": _plan_issue_detail,
    "test_digest": _plan_digest,
    "test_issue_detail_with_latest_event": _plan_issue_detail_with_latest_event,
    "test_lookup_short_id": _plan_lookup_short_id,
    "test_issue_events": _plan_issue_events,
    "test_event_detail_latest": _plan_event_detail_latest,
    "test_event_detail_by_id_with_project": _plan_event_detail_by_id_with_project,
    "test_event_detail_by_id_alone": _plan_event_detail_by_id_alone,
    "test_lookup_event_id": _plan_lookup_event_id,
    "test_whoami": _plan_whoami,
    "test_verify_webhook": _plan_verify_webhook,
    "test_list_profiles": _plan_list_profiles,
    "test_list_orgs": _plan_list_orgs,
    "test_org_detail": _plan_org_detail,
    "test_list_projects": _plan_list_projects,
    "test_project_detail": _plan_project_detail,
    "test_project_users": _plan_project_users,
    "test_list_teams": _plan_list_teams,
    "test_team_detail": _plan_team_detail,
    "test_team_projects": _plan_team_projects,
    "test_team_members": _plan_team_members,
    "test_list_members": _plan_list_members,
    "test_member_detail": _plan_member_detail,
    "test_list_releases": _plan_list_releases,
    "test_issue_tags": _plan_issue_tags,
    "test_issue_detail_with_tags": _plan_issue_detail_with_tags,
    "test_issue_hashes": _plan_issue_hashes,
    "test_list_events": _plan_list_events,
    "test_org_stats": _plan_org_stats,
    "test_project_stats": _plan_project_stats,
    "test_search_events": _plan_search_events,
}
# Planners whose runs differ by dialect: (dialect) -> (command, mode, issue, survive, exit code).
DIALECT_PLANS = {
    "test_list_keys": _plan_list_keys,
    "test_release_detail": _plan_release_detail,
    "test_release_commits": _plan_release_commits,
    "test_list_deploys": _plan_list_deploys,
}


def audit_plan() -> list[Row]:
    """Every run of the audit, on both dialects, in the order the tests run them."""
    rows = []
    for dialect in DIALECTS:
        for test, planner in READ_PLANS.items():
            for command, mode, issue, survive in planner():
                lacks = command[0] in UNSUPPORTED.get(dialect, ())
                rows.append(Row(dialect, test, (*command, *mode), mode, issue, () if lacks else tuple(survive),
                                code=7 if lacks else 0))
        for test, planner in DIALECT_PLANS.items():
            rows += [Row(dialect, test, (*command, *mode), mode, issue, tuple(survive), code)
                     for command, mode, issue, survive, code in planner(dialect)]
        rows += [Row(dialect, "test_error_answers_are_redacted", argv, code=code, fault=status, message=survives)
                 for status, argv, code, survives in ERROR_CASES]
    return rows


# --- running the plan ----------------------------------------------------------------


@pytest.fixture(scope="module", params=DIALECTS)
def corpus_server(request):
    """The stand-in of either dialect serving the audit corpus, one per dialect for the file."""
    with StandIn(request.param, model=corpus.CorpusRouter()) as server:
        yield server


@pytest.fixture
def server(corpus_server, monkeypatch):
    monkeypatch.setenv("SENTRY_BASE_URL", corpus_server.url)
    monkeypatch.setenv("SENTRY_AUTH_TOKEN", TOKEN)
    monkeypatch.setenv("SENTRY_ORG", "acme")
    corpus_server.faults.clear()
    yield corpus_server
    corpus_server.faults.clear()


class Audit:
    """Runs the planned rows of one test on one dialect and collects every problem,
    so one failure lists them all."""

    def __init__(self, run, server, test):
        self.run, self.server, self.dialect = run, server, server.mode
        self.rows = [row for row in audit_plan() if row.dialect == self.dialect and row.test == test]
        self.ran: list[Row] = []
        self.problems: list[str] = []

    def each(self):
        """Run the rows in order, yielding (row, result)."""
        for row in self.rows:
            if row.fault:
                body = json.dumps(corpus.ERROR_BODIES[row.fault]).encode()
                faults = [Fault(row.fault, body)] * (2 if row.fault == 503 else 1)  # a 503 is retried once
                # event-detail also asks for the event's issue, alongside the event when --issue
                # names it: the fault is the event's answer, whichever request arrives first.
                self.server.fail(r"/events/" if row.argv[0] == "event-detail" else r"^/api/0/", *faults)
            yield row, self._run(row)

    def run_all(self):
        for _ in self.each():
            pass

    def _run(self, row):
        result = self.run(*row.argv)
        self.ran.append(row)
        label = (self.dialect, *row.argv)
        if result.code != row.code:
            self.problems.append(f"{label}: exit {result.code} (want {row.code}): {result.err[-300:]}")
        for stream, text in (("stdout", result.out), ("stderr", result.err)):
            found = corpus.leaks(text)
            if found:
                self.problems.append(f"{label}: {stream} leaks {found}")
            low = text.lower()
            if "audit" in low:  # a fragment of an audit-tagged value, whatever it was
                at = low.index("audit")
                self.problems.append(f"{label}: {stream} keeps {text[max(0, at - 40):at + 40]!r}")
        for text in row.survive:
            shown = SHOWN_MEMBERS[self.dialect]  # a member command's members, by dialect
            text = text.replace("{member_name}", shown["name"]).replace("{member_email}", shown["email"])
            if text not in result.out:
                self.problems.append(f"{label}: lost {text!r}")
        return result

    def check(self):
        assert self.rows, f"nothing planned for this test on {self.dialect}"
        assert self.ran == self.rows, f"ran {len(self.ran)} of the {len(self.rows)} planned runs"
        assert not self.problems, "\n".join(self.problems)


@pytest.fixture
def audit(run, server, request):
    return Audit(run, server, request.function.__name__)  # each test ends with audit.check()


# --- the read commands ---------------------------------------------------------


def test_list_issues(audit):
    audit.run_all()
    audit.check()


def test_digest(audit):
    audit.run_all()
    audit.check()


def test_issue_detail(audit, server):
    audit.run_all()
    audit.check()
    if server.mode == "glitchtip":  # the 405 on the org path sent the client to the older one
        assert "/api/0/issues/16/" in server.paths()


def test_issue_detail_with_latest_event(audit):
    for row, result in audit.each():
        if row.mode == LATEST_FULL:
            frames = [f for f in result.json["latestEvent"]["stacktrace"] if "function" in f]
            assert frames[-1]["function"] == corpus.SURVIVE[row.issue]["function"]
    audit.check()


def test_issue_tags(audit):
    audit.run_all()
    audit.check()


def test_issue_detail_with_tags(audit):
    audit.run_all()
    audit.check()


def test_issue_hashes(audit):
    audit.run_all()
    audit.check()


def test_list_events(audit):
    audit.run_all()
    audit.check()


def test_lookup_short_id(audit):
    audit.run_all()
    audit.check()


def test_issue_events(audit):
    audit.run_all()
    audit.check()


def test_event_detail_latest(audit):
    audit.run_all()
    audit.check()


def test_event_detail_by_id_with_project(audit):
    audit.run_all()
    audit.check()


def test_event_detail_by_id_alone(audit):
    audit.run_all()
    audit.check()


def test_lookup_event_id(audit):
    audit.run_all()
    audit.check()


def test_whoami(audit):
    for row, result in audit.each():
        assert TOKEN not in result.out + result.err, row.argv
    audit.check()


def test_list_keys(audit, server):
    sent = len(server.log)
    for row, result in audit.each():
        if row.code == 8:  # refused before any request
            assert result.out == "" and result.error["type"] == "write_refused", row.argv
            assert len(server.log) == sent, row.argv
        sent = len(server.log)
    audit.check()


def test_list_releases(audit):
    audit.run_all()
    audit.check()


def test_release_detail(audit):
    audit.run_all()
    audit.check()


def test_release_commits(audit):
    audit.run_all()
    audit.check()


def test_list_deploys(audit):
    audit.run_all()
    audit.check()


def test_verify_webhook(audit, monkeypatch):
    monkeypatch.setenv("SENTRY_CLIENT_SECRET", WEBHOOK_SECRET)
    sent = len(audit.server.log)
    audit.run_all()
    assert len(audit.server.log) == sent  # checked locally: nothing goes to the server
    audit.check()


def test_list_profiles(audit, monkeypatch):
    monkeypatch.setenv("SENTRY_PROFILES_FILE", _profiles_file())
    for name, value in PROFILE_TOKENS.items():
        monkeypatch.setenv(name, value)
    sent = len(audit.server.log)
    for row, result in audit.each():
        for value in PROFILE_TOKENS.values():
            assert value not in result.out + result.err, row.argv
    assert len(audit.server.log) == sent  # read locally: nothing goes to the server
    audit.check()


def test_list_orgs(audit):
    audit.run_all()
    audit.check()


def test_org_detail(audit):
    audit.run_all()
    audit.check()


def test_list_projects(audit):
    audit.run_all()
    audit.check()


def test_project_detail(audit):
    audit.run_all()
    audit.check()


def test_project_users(audit):
    for row, result in audit.each():
        if row.code == 7:
            assert result.error["type"] == "unsupported", row.argv
    audit.check()


def test_org_stats(audit):
    audit.run_all()
    audit.check()


def test_project_stats(audit):
    audit.run_all()
    audit.check()


def test_search_events(audit):
    for row, result in audit.each():
        if row.code == 7:
            assert result.error["type"] == "unsupported", row.argv
    audit.check()


def test_list_teams(audit):
    audit.run_all()
    audit.check()


def test_team_detail(audit):
    audit.run_all()
    audit.check()


def test_team_projects(audit):
    audit.run_all()
    audit.check()


def test_team_members(audit):
    audit.run_all()
    audit.check()


def test_list_members(audit):
    audit.run_all()
    audit.check()


def test_member_detail(audit):
    audit.run_all()
    audit.check()


# --- errors that quote secrets back -------------------------------------------------


def test_error_answers_are_redacted(audit, server):
    for row, result in audit.each():
        assert result.out == "", row.argv
        assert row.message in result.error["message"], (row.argv, result.error)
        assert not server.faults, row.argv
    audit.check()


@pytest.mark.parametrize("head_length", [280, 320, 340, 360, 380, 400])
def test_error_detail_cut_in_the_middle_of_a_secret(run, standin, head_length):
    # One of these lengths puts the secret across the 400-character cut of the message.
    head = "x" * head_length
    leaked = []
    for detail, fragment in ((f"{head} for audit.errcut@example.com", "audit.errcut"),
                             (f"{head[:-2]} card 4111 1111 1111 1111", "4111 1111 1111")):
        standin.fail(r"^/api/0/", Fault(404, json.dumps({"detail": detail}).encode()))
        result = run("issue-detail", "16")
        assert result.code == 5
        if fragment in result.err:
            leaked.append(result.error["message"][-60:])
    assert not leaked


# --- the audit itself is sound ---------------------------------------------------


def test_every_planted_value_reaches_the_output_without_redaction(run, standin_factory):
    """With --no-redact the same commands print every planted value: the corpus is served,
    so the clean results above mean redaction worked, not that the data never arrived."""
    standin_factory("sentry", model=corpus.CorpusRouter())
    outputs = [run("list-issues", "--query", "", "--limit", "100", "--raw", "--no-redact"),
               run("member-detail", "1", "--raw", "--no-redact"), run("list-members", "--raw", "--no-redact")]
    for name in NAMES:
        outputs.append(run("issue-detail", _ref(name), "--raw", "--no-redact"))
        outputs.append(run("issue-events", _ref(name), "--raw", "--no-redact"))
        outputs.append(run("event-detail", "latest", "--issue", _ref(name), "--raw", "--no-redact"))
    for argv in (("org-detail",), ("list-projects",), ("project-detail", "backend"), ("project-users", "backend"),
                 ("team-members", "acme"), ("release-commits", "control@abc123"),
                 ("list-deploys", "control@abc123"), EVENT_QUERY):
        outputs.append(run(*argv, "--raw", "--no-redact"))
    for dialect in DIALECTS:  # the client keys' secrets show only where the user allows it
        standin_factory(dialect, model=corpus.CorpusRouter())
        outputs.append(run("list-releases", "--raw", "--no-redact"))
        outputs.append(run("list-keys", "--project", "backend", "--raw", "--no-redact", "--show-secrets",
                           "--allow-write"))
    assert all(r.code == 0 for r in outputs)
    printed = "\n".join(r.out for r in outputs)
    missing = [value for value in corpus.SERVED if value not in printed]
    assert not missing, missing
    assert len(corpus.SERVED) >= 700 and len(set(corpus.PLANTED)) == len(corpus.PLANTED)
    kinds = {corpus.PLACES[value].split(":")[0].split("/")[0] for value in corpus.SERVED}
    assert {"email", "ipv4", "ipv6", "card", "phone", "person name", "geo", "timezone", "avatar",
            "login data"} <= kinds, kinds


def test_corpus_leaves_the_recorded_files_alone_and_is_deterministic():
    recorded = sorted(DATA.glob("*.json"))
    assert len(recorded) == 30
    for path in recorded:
        text = path.read_text(encoding="utf-8")
        assert "audit" not in text.lower(), path.name  # planted only in copies
    assert corpus.event("orders") == corpus.event("orders")
    assert corpus.event("orders") is not corpus.event("orders")
    # One event carries the same planted data wherever it is served.
    latest = corpus.event("checkout")
    listed = corpus.event_list("checkout")[0]
    assert latest["user"] == listed["user"] and latest["extra"] == listed["extra"]


def test_audit_covered_every_command_mode_and_dialect():
    """The plan the tests above run, row by row: it holds whatever ran before, or if nothing did."""
    plan = audit_plan()
    assert {row.dialect for row in plan} == set(DIALECTS)
    assert len(plan) >= MIN_RUNS, len(plan)
    for dialect in DIALECTS:
        rows = [row for row in plan if row.dialect == dialect]
        missing = READ_COMMANDS - {row.argv[0] for row in rows}
        assert not missing, f"{dialect}: no audited run of {sorted(missing)}"
        for command in sorted(READ_COMMANDS):  # every command in --raw and every format
            flags = {flag for row in rows if row.argv[0] == command for flag in row.argv}
            missing = {"--raw", "jsonl", "table"} - flags
            assert not missing, f"{dialect}: {command} never audited with {sorted(missing)}"
        missing = MODE_FLAGS - {flag for row in rows for flag in row.argv}
        assert not missing, f"{dialect}: no audited run with {sorted(missing)}"
    tests = {name for name, value in globals().items() if name.startswith("test_") and callable(value)}
    assert {row.test for row in plan} <= tests  # each row has a test that runs it
