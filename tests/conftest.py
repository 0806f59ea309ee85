"""Shared fixtures: an isolated environment, a way to run main(argv), the stand-in.
Also a hook that fails the run when any test is skipped or xfailed."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

import pytest

from sentry_skill.cli import main
from sentry_skill.output import rows_as_objects
from standin import TOKEN, StandIn


class SkippedIsFailure:
    """A skipped (or xfailed) test fails the run: a test that cannot run here proves
    nothing, and a silent skip hides it. Deselection (-k, -m) is not a skip."""

    def __init__(self):
        self.skipped: list[str] = []

    def pytest_runtest_logreport(self, report):
        if report.skipped and report.nodeid not in self.skipped:
            self.skipped.append(report.nodeid)

    def pytest_collectreport(self, report):
        if report.skipped:  # a whole module skipped at import (pytest.importorskip, ...)
            self.skipped.append(report.nodeid)

    def pytest_terminal_summary(self, terminalreporter):
        if self.skipped:
            terminalreporter.write_line(
                "a skipped test is a failure here: " + ", ".join(self.skipped), red=True, bold=True)

    def pytest_sessionfinish(self, session):
        if self.skipped and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_configure(config):
    config.pluginmanager.register(SkippedIsFailure(), "skipped-is-failure")


@pytest.fixture(autouse=True)
def isolated_env(tmp_path, monkeypatch):
    """No test reads the developer's environment, .env files, ~/.sentryclirc or cache."""
    for name in list(os.environ):
        if name.startswith("SENTRY_"):
            monkeypatch.delenv(name)
    home = tmp_path / "home"
    work = tmp_path / "work"
    home.mkdir()
    work.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # what servers lack (routes.py)
    monkeypatch.chdir(work)
    monkeypatch.setattr("sentry_skill.config.SKILL_DIR", tmp_path / "skill")
    return tmp_path


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def json(self):
        """What was printed; a list's columns and rows read back as objects, so a test can say
        `items[0]["shortId"]` (the layout itself: test_output.py and the recorded cases)."""
        return rows_as_objects(json.loads(self.out))

    @property
    def error(self):
        lines = [line for line in self.err.splitlines() if line.startswith('{"error"')]
        return json.loads(lines[-1])["error"]


@pytest.fixture
def run(capsys):
    """Run the CLI in-process: run("list-issues", "--limit", "3") -> Run."""
    sleeps: list = []

    def invoke(*argv, session=None):
        capsys.readouterr()
        code = main(list(argv), session=session, sleep=sleeps.append)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    invoke.sleeps = sleeps
    return invoke


@pytest.fixture
def standin_factory(monkeypatch):
    """Start a loopback stand-in and point the configuration at it."""
    started = []

    def start(mode="sentry", generated_issues=0, model=None):
        server = StandIn(mode, generated_issues=generated_issues, model=model).__enter__()
        started.append(server)
        monkeypatch.setenv("SENTRY_BASE_URL", server.url)
        monkeypatch.setenv("SENTRY_AUTH_TOKEN", TOKEN)
        monkeypatch.setenv("SENTRY_ORG", "acme")
        return server

    yield start
    for server in started:
        server.__exit__(None, None, None)


@pytest.fixture
def standin(standin_factory):
    return standin_factory("sentry")


@pytest.fixture
def sentry_old(standin_factory):
    """Sentry before mid-2026, as most self-hosted installs run it."""
    return standin_factory("sentry-old")


@pytest.fixture
def glitchtip(standin_factory):
    return standin_factory("glitchtip")
