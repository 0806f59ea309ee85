"""Commands through main(argv), replayed from cassettes recorded from a real GlitchTip.

Each case is a cassette (tests/cassettes/<case>.yaml: what the tool sent and what
the server answered) and its runs (tests/cassettes/<case>.json: the argv of each
run, its exit code and its stdout). A case passes when every run prints exactly
what it printed against the real server, every recorded exchange was asked for
once, and every write sent the recorded body. A run's argv may hold
`{next_cursor}`, the cursor the previous run printed, `{id}`, the id it printed
(a key the run before created), and `{base_url}`. A case
with `built_from` was assembled from recorded exchanges by
tools/cassette_from_recordings.py (writes that cannot be recorded twice).

Re-record against a real server (see README.md, Development):
  SENTRY_RECORD=1 SENTRY_BASE_URL=... SENTRY_AUTH_TOKEN=... SENTRY_ORG=acme python -m pytest tests/test_recorded.py
which also rewrites each case's exit codes and stdout, for review in the diff.
"""

import json
import os

import pytest
import requests

from cassettes_support import CASSETTES, LIVE, PLACEHOLDER_URL, RECORDING, cassette, configure
from sentry_skill.commands import TABLE

PLANTED = ["card.holder@example.com", "198.51.100.23", "4111111111111111", "AKIAPLANTEDKEY12345678",
           "leaky.person@example.com", "203.0.113.77", "planted-Password!2024", "node.shopper@example.com",
           "2001:db8:85a3::8a2e:370:7334", "hunter2-planted-password", "sntryu_planted", "cardholder",
           "john.doe@example.com", "sntryu_p\u2026"]  # the last: a planted token that GlitchTip's title cut
CASES = sorted(CASSETTES.glob("*.json"))


@pytest.fixture
def replay(run, monkeypatch):
    configure(monkeypatch)
    # vcrpy's recorder is not thread-safe, so the requests a command would send at
    # the same time are sent one after the other here (test_loopback covers concurrency).
    monkeypatch.setattr("sentry_skill.client.SentryClient.concurrently",
                        lambda self, *calls: [call() for call in calls])

    def play(*argv):
        result = run(*argv)
        for planted in PLANTED:
            assert planted not in result.out + result.err, planted
        return result
    return play


def _argv(run_spec: dict, previous) -> list:
    cursor = previous.get("next_cursor", "") if isinstance(previous, dict) else ""
    ident = str(previous.get("id", "")) if isinstance(previous, dict) else ""
    base_url = os.environ["SENTRY_BASE_URL"]
    return [arg.replace("{next_cursor}", cursor).replace("{id}", ident).replace("{base_url}", base_url)
            for arg in run_spec["argv"]]


@pytest.mark.parametrize("case", CASES, ids=lambda path: path.stem)
def test_recorded_case(replay, case):
    spec = json.loads(case.read_text())
    previous = None
    # A cassette built from recorded exchanges (a delete, say) is never recorded again.
    with cassette(case.stem, record="built_from" not in spec) as recorded:
        for run_spec in spec["runs"]:
            result = replay(*_argv(run_spec, previous))
            printed = json.loads(result.out) if result.out else None
            if RECORDING:  # a dry run's URLs name the server the replay stands in for; the
                # server's own URLs (a permalink, a key's security endpoint) stay as it wrote them
                live_url = LIVE.get("SENTRY_BASE_URL") or "\0"
                dry_run = isinstance(printed, dict) and "dry_run" in printed
                run_spec.update(exit=result.code, stdout=json.loads(
                    result.out.replace(live_url, PLACEHOLDER_URL) if dry_run else result.out) if result.out else None)
                previous = printed
                continue
            assert result.code == run_spec["exit"], result.err
            assert printed == run_spec["stdout"]
            previous = printed
    if RECORDING:
        case.write_text(json.dumps(spec, indent=1, ensure_ascii=False) + "\n")
    else:
        assert recorded.all_played, "a recorded exchange was never asked for"


def test_every_command_has_a_recorded_case():
    covered = {run_spec["argv"][0] for case in CASES for run_spec in json.loads(case.read_text())["runs"]}
    # A local command (verify-webhook) exchanges nothing with a server: there is nothing to record.
    assert {entry.name for entry in TABLE if not entry.local} <= covered


def test_the_cases_cover_a_second_page_a_fallback_and_the_write_statuses():
    cassettes = {case.stem: (CASSETTES / f"{case.stem}.yaml").read_text() for case in CASES}
    assert any("cursor=" in text for text in cassettes.values())           # a second page
    assert any("code: 405" in text for text in cassettes.values())         # an older path after a 405
    assert any("code: 204" in text for text in cassettes.values())         # GlitchTip's delete
    assert any("method: PUT" in text for text in cassettes.values())


def test_a_write_with_another_body_finds_no_recorded_answer(replay):
    """The body matters: the recorded PUT does not answer a different change."""
    with cassette("update_issue_archive") as recorded:
        result = replay("update-issue", "5", "--archive", "--for", "14h", "--allow-write")
    assert result.code == 1 and not recorded.play_count  # vcrpy refused the unrecorded request


def test_refused_write_sends_nothing(replay, monkeypatch):
    sent = []
    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", lambda self, request, **kw: sent.append(request))
    result = replay("update-issue", "17", "--status", "resolved")
    assert result.code == 8 and result.out == "" and sent == []
