"""SKILL.md, references/ and --help must not drift apart."""

import re
from pathlib import Path

import pytest

from sentry_skill.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]


def commands():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return sub.choices


def test_every_command_is_in_skill_md_and_output_fields():
    skill = (ROOT / "SKILL.md").read_text()
    fields = (ROOT / "references" / "output-fields.md").read_text()
    for name in commands():
        assert f"`{name}" in skill or name in skill, f"SKILL.md does not document {name}"
        assert name in fields, f"references/output-fields.md does not cover {name}"


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


def test_documented_examples_are_real_demo_output(run):
    import json
    import shlex
    skill = (ROOT / "SKILL.md").read_text()
    examples = EXAMPLE_RE.findall(skill)
    assert len(examples) >= 4
    for command, shown in examples:
        result = run("--demo", *shlex.split(" ".join(command.split())))
        assert result.code == 0, (command, result.err)
        assert result.json == json.loads(shown), f"SKILL.md example is stale: --demo {command}"
