"""The argparse parser of the command line: --help, every usage error, and any command
line that cli.py's plain reader (plain_args.py) leaves to it.

Only those runs import argparse: its import and the building of a parser cost a
command's start-up about 4 ms.
"""

from __future__ import annotations

import argparse

from . import __version__
from .commands.spec import COMMON_OPTIONS, REFS, options_of
from .errors import EXIT_CODES, UsageError

DESCRIPTION = """\
Triage Sentry issues and events from the command line. Prints one minified,
redacted JSON document on stdout; errors are one JSON object on stderr.

Set SENTRY_AUTH_TOKEN (read scopes org:read, project:read, event:read, team:read,
member:read; issue writes need event:write, deletes event:admin, and the other
writes theirs: references/scopes.md) and SENTRY_ORG, in the environment or a
.env file. Writes are off unless the user
allows them. Try it without an account:
  sentry_api.py --demo list-issues --limit 5
"""


def _epilog() -> str:
    codes = "\n".join(f"  {code}  {meaning}" for code, meaning in EXIT_CODES.items())
    return ("examples:\n"
            "  sentry_api.py list-issues --environment production --time-range 24h --limit 10\n"
            "  sentry_api.py issue-detail BACKEND-12 --latest-event\n"
            "  sentry_api.py event-detail latest --issue BACKEND-12 --stacktrace\n\n"
            f"exit codes:\n{codes}")


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is our JSON error with exit 2, not a usage dump."""

    def error(self, message):
        raise UsageError(f"{message[0].upper()}{message[1:]}.", hint=f"Run: {self.prog} --help")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser, with one sub-command per entry of the command table (or only the one named)."""
    from . import commands

    parser = Parser(prog="sentry_api.py", description=DESCRIPTION, epilog=_epilog(),
                    formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"sentry-api {__version__}")
    _add_common(parser, suppress=False)
    common = Parser(add_help=False)
    _add_common(common, suppress=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    sub.required = True
    for entry in (commands.find(only),) if only else commands.TABLE:
        _add_command(sub, common, entry)
    return parser


def _add_common(parser, suppress: bool) -> None:
    """Options every command takes, before or after the command name: after it, the
    command's parser (suppress=True) sets only what is given."""
    for opt in COMMON_OPTIONS:
        kwargs = _arguments(opt)
        if suppress:
            kwargs["default"] = argparse.SUPPRESS
        parser.add_argument(opt.flag, **kwargs)


def _add_command(sub, common, entry) -> None:
    p = sub.add_parser(entry.name, parents=[common], help=entry.summary,
                       description=entry.description or entry.summary[0].upper() + entry.summary[1:] + ".",
                       epilog=f"example: {entry.example}", formatter_class=argparse.RawDescriptionHelpFormatter)
    for kind in entry.refs:
        p.add_argument(kind, metavar=REFS[kind].metavar, help=REFS[kind].help, nargs="+" if entry.several else None)
    sections: dict = {}
    for opt in options_of(entry):
        target = p
        if opt.section:
            if opt.section not in sections:
                sections[opt.section] = p.add_argument_group(opt.section)
            target = sections[opt.section]
        target.add_argument(opt.flag, **_arguments(opt))
    p.set_defaults(entry=entry)


def _arguments(opt) -> dict:
    """An Opt as add_argument's keyword arguments."""
    kwargs = {key: value for key, value in (
        ("help", opt.help), ("type", opt.type), ("action", opt.action), ("const", opt.const),
        ("choices", opt.choices), ("metavar", opt.metavar), ("dest", opt.dest)) if value is not None}
    if opt.default is not None:
        kwargs["default"] = opt.default
    return kwargs
