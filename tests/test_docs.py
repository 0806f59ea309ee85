"""SKILL.md, references/ and --help must not drift apart."""

import re
import sys
from pathlib import Path

import pytest

from sentry_skill.cli_parser import build_parser
from sentry_skill.commands import TABLE

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import gen_docs  # noqa: E402


def commands():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return sub.choices


def test_generated_docs_match_the_command_table():
    """SKILL.md's command table, the scopes table and references/commands-<group>.md."""
    assert gen_docs.stale() == [], "run: python3 tools/gen_docs.py"


def test_the_generator_notices_a_change_of_the_table(monkeypatch):
    entry = TABLE[0]
    monkeypatch.setattr(gen_docs, "TABLE", (entry._replace(summary="something else"), *TABLE[1:]))
    stale = {path.name for path in gen_docs.stale()}
    assert stale == {"SKILL.md", f"commands-{entry.group}.md"}


def test_a_new_command_makes_the_command_index_stale(monkeypatch):
    from sentry_skill.commands import account
    added = account.COMMANDS[0]._replace(name="whoami-too")
    monkeypatch.setattr(account, "COMMANDS", (*account.COMMANDS, added))
    assert [path.name for path in gen_docs.stale() if path.suffix == ".py"] == ["__init__.py"]
    assert '"whoami-too": "account"' in gen_docs.module_index()


def test_skill_md_is_a_router_of_at_most_250_lines():
    lines = (ROOT / "SKILL.md").read_text().splitlines()
    assert len(lines) <= 250
    for entry in TABLE:  # every command is named, each group page is linked
        assert f"`{entry.name}" in "\n".join(lines), entry.name
        assert f"(references/commands-{entry.group}.md)" in "\n".join(lines)


def test_every_field_of_every_command_is_explained():
    explained = (ROOT / "references" / "output-fields.md").read_text()
    for entry in TABLE:
        missing = [name for name in entry.fields if f"`{name}`" not in explained]
        assert not missing, (entry.name, missing)


def test_every_documented_command_exists():
    skill = (ROOT / "SKILL.md").read_text()
    known = set(commands())
    mentioned = set(re.findall(r"sentry_api\.py (?:--demo )?([a-z]+(?:-[a-z]+)+)", skill))
    assert mentioned and mentioned <= known, mentioned - known


def test_every_option_in_help_is_in_skill_md_or_references():
    docs = (ROOT / "SKILL.md").read_text() + "".join(p.read_text() for p in (ROOT / "references").glob("*.md"))
    for name, parser in commands().items():
        for action in parser._actions:
            for option in action.option_strings:
                if option.startswith("--") and option != "--help":
                    assert option in docs, f"{name} {option} is not documented"


def test_frontmatter():
    text = (ROOT / "SKILL.md").read_text()
    match = re.match(r"---\nname: (?P<name>[^\n]+)\ndescription: (?P<description>.+?)\n---\n", text, re.S)
    assert match, "SKILL.md must start with name and description frontmatter"
    assert match["name"] == "sentry-api"
    description = match["description"]
    assert len(description) <= 1024 and "<" not in description and ">" not in description
    for word in ("Sentry", "issue", "error", "event", "stack trace", "production"):
        assert word.lower() in description.lower()
    assert len(text.splitlines()) < 500


@pytest.mark.parametrize("link", sorted(set(re.findall(r"\]\((references/[^)#]+)", (ROOT / "SKILL.md").read_text()))))
def test_reference_links_resolve(link):
    assert (ROOT / link).is_file()


def test_exit_codes_match_the_table():
    from sentry_skill.errors import EXIT_CODES
    skill = (ROOT / "SKILL.md").read_text()
    for code in EXIT_CODES:
        assert re.search(rf"\|\s*`?{code}`?\s*\|", skill), f"exit code {code} missing from SKILL.md"


EXAMPLE_RE = re.compile(r"\(`--demo ([^`]+)`\):?\s*```json\n(.+?)\n```", re.S)


@pytest.mark.parametrize("page, at_least", [("SKILL.md", 6), ("references/workflows.md", 4)])
def test_documented_examples_are_real_demo_output(run, page, at_least):
    import shlex
    examples = EXAMPLE_RE.findall((ROOT / page).read_text())
    assert len(examples) >= at_least
    for command, shown in examples:
        result = run("--demo", *shlex.split(" ".join(command.split())))
        assert result.code == 0, (command, result.err)
        assert result.out.rstrip("\n") == shown, f"{page} example is stale: --demo {command}"


def _section(text: str, heading: str) -> str:
    """The body of one `## heading` section."""
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert match, heading
    return match.group(1)


def test_the_docs_agree_that_writes_exist_and_only_the_user_turns_them_on(run):
    """README, SKILL.md, --help, the refusal hint and troubleshooting tell one story."""
    from sentry_skill.cli_parser import DESCRIPTION
    from sentry_skill.safety import WRITE_HINT

    readme = (ROOT / "README.md").read_text()
    intro = readme.split("\n## ", 1)[0]
    assert "read-only by default" in intro and not re.search(r"read-only(?! by default)", intro)
    # The hint an agent reads on exit 8 must not tell it to switch writes on by itself.
    assert "only the user" in WRITE_HINT and "--dry-run" in WRITE_HINT
    assert not re.search(r"(then|just) add --allow-write", WRITE_HINT)
    refused = run("update-issue", "1", "--status", "resolved", "--org", "acme")
    assert refused.code == 8 and refused.error["hint"] == WRITE_HINT
    for scope in ("event:write", "event:admin"):  # --help names the write scopes too
        assert scope in DESCRIPTION
    exit8 = _section((ROOT / "references" / "troubleshooting.md").read_text(), "Exit 8: `write_refused`")
    assert "cannot produce" not in exit8
    for cause in ("--allow-write", "SENTRY_ALLOW_WRITE=1", "--dry-run", "--confirm", "--max", "--id or --query"):
        assert cause in exit8, cause


def test_skill_md_says_what_it_does_not_do_and_forbids_curl():
    skill = (ROOT / "SKILL.md").read_text()
    missing = _section(skill, "What this skill does not do yet")
    assert "`api METHOD" in missing  # the escape hatch, before anything else
    assert "curl" in missing and "tell the user" in missing.lower()


def test_the_readme_quick_start_prints_what_the_readme_shows(run):
    readme = (ROOT / "README.md").read_text()
    shown = re.search(r"The first command prints.*?```json\n(.+?)\n```", readme, re.S).group(1)
    command = re.search(r"sentry-api (--demo [^\n`]+)", readme).group(1).split()
    result = run(*command)
    assert result.code == 0 and result.out.rstrip("\n") == shown
