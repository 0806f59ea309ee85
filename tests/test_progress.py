"""Long work shows a one-line progress indicator to a person at a terminal, and nothing to
anyone else (agents, pipes, files, these tests' captured stderr)."""

import io
import json
import sys
from types import SimpleNamespace
from urllib.parse import urlsplit

from sentry_skill.client import SentryClient
from standin import TOKEN


class Terminal(io.StringIO):
    def isatty(self):
        return True


def walk(server, stream, limit=250):
    settings = SimpleNamespace(base_url=server.url, token=TOKEN, token_hosts={urlsplit(server.url).netloc}, timeout=10.0, verbose=False)
    client = SentryClient(settings, status_stream=stream, log=lambda line: None)
    return client.paginate("/organizations/acme/issues/", {"query": ""}, limit=limit)


def test_a_walk_over_pages_rewrites_one_line_on_a_terminal_and_clears_it(standin_factory):
    server = standin_factory("sentry", generated_issues=250)
    terminal = Terminal()
    items, cursor = walk(server, terminal)
    assert len(items) == 250 and cursor is None and len(server.log) == 3
    first, second = "sentry-api: 100 items after page 1...", "sentry-api: 200 items after page 2..."
    assert terminal.getvalue() == "\r" + first + "\r" + second + "\r" + " " * len(second) + "\r"


def test_a_walk_of_one_page_shows_nothing(standin_factory):
    server = standin_factory("sentry", generated_issues=250)
    terminal = Terminal()
    walk(server, terminal, limit=50)
    assert terminal.getvalue() == ""


def test_a_stream_that_is_not_a_terminal_gets_nothing(standin_factory):
    server = standin_factory("sentry", generated_issues=250)
    pipe = io.StringIO()
    items, _ = walk(server, pipe)
    assert len(items) == 250 and pipe.getvalue() == ""


def test_agents_see_no_progress_on_stderr(run, standin_factory):
    standin_factory("sentry", generated_issues=250)
    result = run("list-issues", "--limit", "250", "--query", "")
    assert result.code == 0 and result.json["count"] == 250
    assert result.err == ""


def test_a_bulk_change_counts_the_issues_sent(run, standin_factory, monkeypatch):
    server = standin_factory("sentry", generated_issues=250)
    matched = run("list-issues", "--limit", "300", "--query", "", "--fields", "id").json["count"]
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    result = run("bulk-update-issues", "--query", "", "--max", "300", "--status", "resolved",
                 "--allow-write", "--confirm")
    assert result.code == 0, terminal.getvalue()
    puts = [e for e in server.log if e["method"] == "PUT"]
    assert len(puts) >= 3 and json.loads(result.out)["matched"] == matched
    sent_before = [sum(len(put["query"]["id"]) for put in puts[:n]) for n in range(len(puts))]
    shown = [line.strip() for line in terminal.getvalue().split("\r") if "issues sent" in line]
    assert shown == [f"sentry-api: {n} of {matched} issues sent..." for n in sent_before]
    assert terminal.getvalue().endswith("\r")  # cleared: the prompt comes back on a clean line


def test_a_note_during_a_walk_starts_on_a_clean_line(standin_factory):
    """--verbose notes (and retry notices) go to stderr between pages: the progress is blanked first."""
    server = standin_factory("sentry", generated_issues=250)
    terminal = Terminal()
    settings = SimpleNamespace(base_url=server.url, token=TOKEN, token_hosts={urlsplit(server.url).netloc},
                               timeout=10.0, verbose=True)
    client = SentryClient(settings, status_stream=terminal, log=lambda line: terminal.write(line + "\n"))
    client.paginate("/organizations/acme/issues/", {"query": ""}, limit=250)
    first = "sentry-api: 100 items after page 1..."
    notes = [line for line in terminal.getvalue().split("\n") if "GET " in line]
    assert len(notes) == 3
    assert notes[1].startswith("\r" + first + "\r" + " " * len(first) + "\rsentry-api: GET ")
