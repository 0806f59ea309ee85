#!/usr/bin/env python3
"""Write the docs that come from the command table, so they cannot drift from it.

  python3 tools/gen_docs.py           rewrite them
  python3 tools/gen_docs.py --check   exit 1 naming each stale file (tests/test_docs.py runs it)

What it writes: SKILL.md's command table and references/scopes.md's scope table
(between their `<!-- generated:NAME -->` markers), one page per group,
references/commands-<group>.md, whole, and the index of which module declares each
command (`MODULE_OF` in commands/__init__.py, between `# generated:index` lines), by
which a run imports only its own command's module.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from importlib import import_module  # noqa: E402

from sentry_skill.commands import GROUPS, MODULES, TABLE  # noqa: E402
from sentry_skill.commands.spec import REFS, options_of  # noqa: E402

SCRIPT = "python3 scripts/sentry_api.py"
GENERATED = "Generated from the command table (`scripts/sentry_skill/commands/`) by `tools/gen_docs.py`; do not edit."
API = "/api/0"


def page_name(group: str) -> str:
    return f"references/commands-{group}.md"


def usage(entry) -> str:
    positionals = [REFS[kind].metavar + (" [...]" if entry.several else "") for kind in entry.refs]
    positionals += [opt.metavar or opt.flag.upper() for opt in entry.options if not opt.flag.startswith("-")]
    return " ".join([entry.name, *positionals])


def options(entry) -> list:
    """(flag as typed, meaning) for every option of the entry, in --help order."""
    rows = [(REFS[kind].metavar, REFS[kind].help) for kind in entry.refs]
    for opt in options_of(entry):
        if not opt.flag.startswith("-"):
            rows.append((opt.metavar or opt.flag.upper(), opt.help or ""))
            continue
        taken = opt.action not in ("store_true", "store_const")
        value = ("|".join(opt.choices) if opt.choices else opt.metavar or opt.name.upper()) if taken else ""
        meaning = opt.help or ""
        if opt.action == "append":
            meaning = meaning if "repeat" in meaning else f"{meaning} (repeatable)".strip()
        rows.append((f"{opt.flag} {value}".strip(), meaning))
    return rows


def skill_table() -> str:
    """One row per group, so SKILL.md stays the same size however many commands there are."""
    rows = ["| group | commands (writes marked ✎; each has `--help` with an example) | every flag, scope and request |",
            "|---|---|---|"]
    for group in GROUPS:
        commands = "; ".join(f"`{usage(entry)}`{' ✎' if entry.writes else ''}: {entry.summary}"
                             for entry in TABLE if entry.group == group)
        rows.append(f"| {group} | {commands} | [{page_name(group)}]({page_name(group)}) |")
    return "\n".join(rows)


def requests_of(entry) -> list:
    """(when, request, scope) of every request the entry makes, main one first."""
    if entry.local:
        return [("", "none: checked locally", None)]
    if entry.method == "*":  # api: the method and path are its arguments
        return [("", f"METHOD {API}/PATH", entry.scope)]
    rows = [("", f"{entry.method} {API}{entry.path}", entry.scope)]
    if entry.fallback:
        rows.append(("older servers", f"{entry.method} {API}{entry.fallback}", entry.scope))
    rows += [(when, request.replace(" /", f" {API}/", 1), scope) for when, request, scope in entry.also]
    return rows


def scopes_table() -> str:
    rows = ["| command | request | scope |", "|---|---|---|"]
    for entry in TABLE:
        for when, request, scope in requests_of(entry):
            name = f"`{entry.name}`" + (f" ({when})" if when else "")
            rows.append(f"| {name} | `{request}` | {f'`{scope}`' if scope else 'none'} |")
    return "\n".join(rows)


def group_page(group: str) -> str:
    entries = [entry for entry in TABLE if entry.group == group]
    lines = [f"# Commands: {group}", "", GENERATED, "",
             "Every command also takes the common options (`--org`, `--base-url`, `--fields`, `--raw`, "
             "`--format`, `--max-bytes`, `--no-redact`, `--timeout`, `--demo`, `--verbose`): see SKILL.md.", ""]
    lines += [f"- [`{entry.name}`](#{entry.name}): {entry.summary}" for entry in entries]
    for entry in entries:
        lines += ["", f"## {entry.name}", "", f"`{usage(entry)}`: {entry.summary}.", ""]
        if entry.description:
            lines += [entry.description.split("\n")[0], ""]
        for when, request, scope in requests_of(entry):
            lines.append(f"- {when[0].upper() + when[1:] if when else 'Request'}: `{request}` "
                         f"({f'scope `{scope}`' if scope else 'no scope needed'})")
        if entry.lists:
            lines.append(f"- A list: `--limit` (default {entry.limit}) and `--cursor` page through it.")
        if entry.method == "*":
            lines.append("- Any method but GET is a write: refused unless writes are allowed, a DELETE needs "
                         "`--confirm` too; `--dry-run` prints the request.")
        elif entry.writes:
            confirm = " and `--confirm`" if entry.needs_confirm else ""
            lines.append(f"- A write: refused unless writes are allowed{confirm}; `--dry-run` prints the request.")
        if entry.fields:
            default = ", ".join(entry.default_fields) or "the whole compact view"
            lines.append(f"- Fields: {default} by default; `--fields` takes any of {', '.join(entry.fields)}.")
        rows = options(entry)
        if rows:
            lines += ["", "| argument | meaning |", "|---|---|"]
            lines += [f"| `{flag}` | {meaning.replace('|', '/')} |" for flag, meaning in rows]
        lines += ["", "```bash", f"{SCRIPT} {entry.example}", "```"]
    return "\n".join(lines) + "\n"


def module_index() -> str:
    """`MODULE_OF`: each command's name -> its module, a line per module, in the table's order."""
    lines = ["MODULE_OF = {"]
    for module in MODULES:
        names = [entry.name for entry in import_module(f"sentry_skill.commands.{module}").COMMANDS]
        line = "    " + " ".join(f'"{name}": "{module}",' for name in names)
        while len(line) > 115:  # the project's line length
            cut = line.rindex(", ", 0, 115) + 1
            lines.append(line[:cut])
            line = "    " + line[cut:].lstrip()
        lines.append(line)
    return "\n".join(lines + ["}"])


def between(text: str, name: str, content: str, comment: str = "<!-- {} -->") -> str:
    start, end = (re.escape(comment.format(mark)) for mark in (f"generated:{name}", f"/generated:{name}"))
    pattern = re.compile(rf"({start}\n).*?({end})", re.S)
    if not pattern.search(text):
        raise SystemExit(f"markers for {name!r} are missing")
    return pattern.sub(lambda m: m.group(1) + content + "\n" + m.group(2), text)


def wanted() -> dict:
    """Path -> the text it should have."""
    files = {}
    skill = ROOT / "SKILL.md"
    files[skill] = between(skill.read_text(encoding="utf-8"), "commands", skill_table())
    scopes = ROOT / "references" / "scopes.md"
    files[scopes] = between(scopes.read_text(encoding="utf-8"), "scopes", scopes_table())
    for group in GROUPS:
        files[ROOT / page_name(group)] = group_page(group)
    index = ROOT / "scripts" / "sentry_skill" / "commands" / "__init__.py"
    files[index] = between(index.read_text(encoding="utf-8"), "index", module_index(), comment="# {}")
    return files


def stale() -> list:
    return [path for path, text in wanted().items()
            if not path.is_file() or path.read_text(encoding="utf-8") != text]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a file is stale")
    args = parser.parse_args(argv)
    if args.check:
        paths = stale()
        for path in paths:
            print(f"stale: {path.relative_to(ROOT)} (run python3 tools/gen_docs.py)", file=sys.stderr)
        return 1 if paths else 0
    for path, text in wanted().items():
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
