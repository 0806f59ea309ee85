"""The redaction audit: every read command, in every output mode, on both
dialects, against bodies full of planted secrets (tests/audit_corpus.py).

Each run must exit 0, print no planted value (nor a fragment of one, nor any
`audit`-tagged text) on stdout or stderr, and keep the useful text around the
secrets: exception types, file and function names, short ids, and the typed
markers that stand where a secret was. Error answers that quote secrets back
are checked on stderr the same way.
"""

from __future__ import annotations

import json

import pytest

import audit_corpus as corpus
from sentry_skill import shape
from server_model import DATA
from standin import TOKEN, Fault, StandIn

BASE = [(), ("--format", "jsonl"), ("--format", "table")]
RAW = ("--raw",)
ISSUE_MODES = BASE + [("--fields", ",".join(shape.ISSUE_FIELDS))]
LATEST_FULL = ("--stacktrace",)
LATEST_MODES = BASE + [("--stacktrace", "--max-bytes", "0", "--format", "table")]
EVENT_FULL = ("--stacktrace", "--breadcrumbs", "100", "--max-bytes", "0")  # nothing trimmed away unseen
EVENT_MODES = BASE + [
    ("--stacktrace",), ("--breadcrumbs", "100"),
    EVENT_FULL + ("--format", "jsonl"), EVENT_FULL + ("--format", "table"),
    ("--fields", ",".join(shape.EVENT_FIELDS), "--max-bytes", "0"),
]
NAMES = list(corpus.ISSUES)
RUNS: list = []  # (dialect, argv) of every audited run, for the count in the last test
DIALECTS_RUN: set = set()


@pytest.fixture(scope="module", params=["sentry", "glitchtip"])
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
    DIALECTS_RUN.add(corpus_server.mode)
    yield corpus_server
    corpus_server.faults.clear()


class Audit:
    """Runs commands and collects every problem, so one failure lists them all."""

    def __init__(self, run, dialect):
        self.run, self.dialect, self.problems = run, dialect, []

    def __call__(self, *argv, survive=(), code=0):
        result = self.run(*argv)
        RUNS.append((self.dialect, argv))
        argv = (self.dialect, *argv)
        if result.code != code:
            self.problems.append(f"{argv}: exit {result.code} (want {code}): {result.err[-300:]}")
        for stream, text in (("stdout", result.out), ("stderr", result.err)):
            found = corpus.leaks(text)
            if found:
                self.problems.append(f"{argv}: {stream} leaks {found}")
            low = text.lower()
            if "audit" in low:  # a fragment of an audit-tagged value, whatever it was
                at = low.index("audit")
                self.problems.append(f"{argv}: {stream} keeps {text[max(0, at - 40):at + 40]!r}")
        for text in survive:
            if text not in result.out:
                self.problems.append(f"{argv}: lost {text!r}")
        return result

    def check(self):
        assert not self.problems, "\n".join(self.problems)


@pytest.fixture
def audit(run, server):
    return Audit(run, server.mode)  # each test ends with audit.check()


def plan(items, full, modes):
    """Every item in the fullest modes (`--raw`, and all parts shaped); the other
    modes rotate over the items, so each mode meets each dialect and command."""
    runs = [(item, mode) for item in items for mode in full]
    runs += [(items[i % len(items)], mode) for i, mode in enumerate(modes)]
    return runs


def _survivors(name: str, mode: tuple, *keys) -> list:
    """What must survive in this mode. A table clips each cell at 60 characters."""
    facts = {**corpus.SURVIVE[name], "shortId": corpus.ISSUES[name][1]}
    if "table" in mode:
        return [facts["shortId"]] if "shortId" in keys else []
    return [facts[key] for key in keys]


def _ref(name: str) -> str:
    """Short ids for two issues, the numeric id for one: both forms get audited."""
    issue_id, short_id, _ = corpus.ISSUES[name]
    return issue_id if name == "orders" else short_id


# --- the read commands ---------------------------------------------------------


def test_list_issues(audit, server):
    queries = [(), ("--query", "", "--limit", "100")]
    for query, mode in plan(queries, [RAW], ISSUE_MODES):
        survive = [corpus.ISSUES[n][1] for n in NAMES]
        if "table" not in mode:
            survive += [corpus.SURVIVE[n]["type"] for n in NAMES] + ["[email]"]
        audit("list-issues", *query, *mode, survive=survive)
    audit.check()


def test_issue_detail(audit, server):
    for name, mode in plan(NAMES, [RAW], ISSUE_MODES):
        audit("issue-detail", _ref(name), *mode, survive=_survivors(name, mode, "shortId", "type"))
    audit.check()
    if server.mode == "glitchtip":  # the 405 on the org path sent the client to the older one
        assert "/api/0/issues/16/" in server.paths()


def test_issue_detail_with_latest_event(audit, server):
    for name, mode in plan(NAMES, [RAW, LATEST_FULL], LATEST_MODES):
        keys = ("shortId", "type", "file", "function")
        result = audit("issue-detail", _ref(name), "--latest-event", *mode, survive=_survivors(name, mode, *keys))
        if mode == LATEST_FULL:
            frames = [f for f in result.json["latestEvent"]["stacktrace"] if "function" in f]
            assert frames[-1]["function"] == corpus.SURVIVE[name]["function"]
    audit.check()


def test_lookup_short_id(audit, server):
    for name, mode in plan(NAMES, [RAW], ISSUE_MODES):
        audit("lookup-short-id", corpus.ISSUES[name][1].lower(), *mode,
              survive=_survivors(name, mode, "shortId", "type"))
    audit.check()


def test_issue_events(audit, server):
    for name, mode in plan(NAMES, [RAW], BASE):
        survive = _survivors(name, mode, "type")
        if "table" not in mode:
            survive.append("https://shop.example.com/users/[email]/block/[ip]")
        audit("issue-events", _ref(name), *mode, survive=survive)
    audit.check()


def _event_survivors(name, mode):
    survive = _survivors(name, mode, "type", "file", "function")
    if "--breadcrumbs" in mode and "table" not in mode:
        survive.append("login failed for [email] from [ip]")
    if mode == RAW:
        survive += corpus.REDACTED_FORMS
    return survive


def _events():
    """(issue name, event id) for every event, including the older one of BACKEND-C."""
    return [(name, corpus.EVENT_IDS[scope]) for name in NAMES for scope in corpus.EVENT_IDS
            if scope.split("_")[0] == name]


def test_event_detail_latest(audit, server):
    for name, mode in plan(NAMES, [RAW, EVENT_FULL], EVENT_MODES):
        audit("event-detail", "latest", "--issue", _ref(name), *mode, survive=_event_survivors(name, mode))
    audit.check()


def test_event_detail_by_id_with_project(audit, server):
    for (name, event_id), mode in plan(_events(), [RAW], EVENT_MODES):
        audit("event-detail", event_id, "--project", corpus.SURVIVE[name]["project"], *mode,
              survive=_event_survivors(name, mode))
    audit.check()


def test_event_detail_by_id_alone(audit, server):
    for (name, event_id), mode in plan(_events(), [RAW], EVENT_MODES):
        audit("event-detail", event_id, *mode, survive=_event_survivors(name, mode))
    audit.check()


# --- errors that quote secrets back -------------------------------------------------


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


def test_error_answers_are_redacted(audit, server):
    for status, argv, code, survives in ERROR_CASES:
        body = json.dumps(corpus.ERROR_BODIES[status]).encode()
        server.fail(r"^/api/0/", *[Fault(status, body)] * (2 if status == 503 else 1))  # a 503 is retried once
        result = audit(*argv, code=code)
        assert result.out == "", argv
        assert survives in result.error["message"], (argv, result.error)
        assert not server.faults, argv
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
    outputs = [run("list-issues", "--query", "", "--limit", "100", "--raw", "--no-redact")]
    for name in NAMES:
        outputs.append(run("issue-detail", _ref(name), "--raw", "--no-redact"))
        outputs.append(run("issue-events", _ref(name), "--raw", "--no-redact"))
        outputs.append(run("event-detail", "latest", "--issue", _ref(name), "--raw", "--no-redact"))
    assert all(r.code == 0 for r in outputs)
    printed = "\n".join(r.out for r in outputs)
    missing = [value for value in corpus.SERVED if value not in printed]
    assert not missing, missing
    assert len(corpus.SERVED) >= 700 and len(set(corpus.PLANTED)) == len(corpus.PLANTED)


def test_corpus_leaves_the_recorded_files_alone_and_is_deterministic():
    recorded = sorted(DATA.glob("*.json"))
    assert len(recorded) == 11
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
    """Runs last in this file: the audit above really ran this many commands."""
    for dialect in DIALECTS_RUN:
        argvs = [argv for d, argv in RUNS if d == dialect]
        commands = {argv[0] for argv in argvs}
        assert commands >= {"list-issues", "issue-detail", "issue-events", "event-detail", "lookup-short-id"}
        flags = {flag for argv in argvs for flag in argv}
        assert flags >= {"--raw", "jsonl", "table", "--stacktrace", "--breadcrumbs", "--latest-event", "--project"}
    if {"sentry", "glitchtip"} <= DIALECTS_RUN:  # the whole file ran, not a -k selection
        assert len(RUNS) >= 150
