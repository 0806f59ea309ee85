"""Parser, dispatch and the exit-code contract.

Nothing heavy is imported here: `--help`, `--version` and every error caught
before a request run without loading requests or python-dotenv.
"""

from __future__ import annotations

import argparse
import sys
import time

from . import __version__
from .errors import EXIT_CODES, INTERNAL, OK, SentryError, UsageError

FORMATS = ("json", "jsonl", "table")

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


def _add_common(parser, suppress: bool) -> None:
    """Options every command takes, before or after the command name."""
    d = (lambda value: argparse.SUPPRESS) if suppress else (lambda value: value)
    parser.add_argument("--org", default=d(None), metavar="SLUG", help="organization slug [env SENTRY_ORG]")
    parser.add_argument("--base-url", default=d(None), metavar="URL",
                        help="Sentry server [env SENTRY_BASE_URL, SENTRY_URL, SENTRY_HOST; default https://sentry.io]")
    parser.add_argument("--profile", default=d(None), metavar="NAME",
                        help="a named server (base URL, org, project, token variable) from the profiles file; "
                             "list-profiles shows them [env SENTRY_PROFILE]")
    parser.add_argument("--fields", default=d(None), metavar="A,B", help="pick output fields (an unknown one lists the valid ones)")
    parser.add_argument("--raw", action="store_true", default=d(False), help="the whole API answer, redacted")
    parser.add_argument("--format", choices=FORMATS, default=d("json"), help="json (default), jsonl, table")
    parser.add_argument("--no-redact", action="store_true", default=d(False), help="turn redaction off (warns)")
    parser.add_argument("--max-bytes", type=_max_bytes, default=d(None), metavar="N",
                        help="fit the output in N bytes, least useful parts first, naming what was cut "
                             "(event output: 10000 by default; 0: no limit)")
    parser.add_argument("--timeout", type=_timeout, default=d(None), metavar="SECONDS",
                        help="the whole command's time limit, retries included (default 30); "
                             "a retry is sent only if it fits")
    parser.add_argument("--demo", action="store_true", default=d(False),
                        help="answer from bundled recorded responses, no network [env SENTRY_DEMO=1]")
    parser.add_argument("--allow-insecure-http", action="store_true", default=d(False),
                        help="allow http:// to a host that is not loopback")
    parser.add_argument("--verbose", action="store_true", default=d(False), help="log requests to stderr (never the token)")


def _max_bytes(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise UsageError(f"--max-bytes {text!r} is not a whole number.") from None
    if value != 0 and not 500 <= value <= 100_000_000:
        raise UsageError(f"--max-bytes {value} is out of range.", hint="Use 500 or more, or 0 for no limit.")
    return value


def _timeout(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise UsageError(f"--timeout {text!r} is not a number of seconds.") from None
    if not 0.1 <= value <= 600:
        raise UsageError(f"--timeout {value} is out of range.", hint="Use 0.1 to 600 seconds.")
    return value


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


def parse(argv: list):
    """Build only the named command's parser (a few ms less per run, with ~50 commands); on
    any doubt (no name, an error, a name used as an option's value) the whole parser decides."""
    from .commands import MODULE_OF

    named = next((arg for arg in argv if arg in MODULE_OF), None)
    if named:
        try:
            return build_parser(only=named).parse_args(argv)
        except UsageError:
            pass
    return build_parser().parse_args(argv)


def _add_command(sub, common, entry) -> None:
    from .commands.spec import REFS, options_of

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
        kwargs = {key: value for key, value in (
            ("help", opt.help), ("type", opt.type), ("action", opt.action), ("const", opt.const),
            ("choices", opt.choices), ("metavar", opt.metavar), ("dest", opt.dest)) if value is not None}
        if opt.default is not None:
            kwargs["default"] = opt.default
        target.add_argument(opt.flag, **kwargs)
    p.set_defaults(entry=entry)


def main(argv=None, *, session=None, sleep=None) -> int:
    """Run one command; returns the exit code (0 on success)."""
    from .output import emit_error

    argv = sys.argv[1:] if argv is None else list(argv)
    secrets: tuple = ()
    redact_on = True
    try:
        try:
            args = parse(argv)
        except SystemExit as done:  # --help and --version
            return int(done.code or 0)
        from .config import load_settings
        settings = load_settings(args)
        secrets = (settings.token,) if settings.token else ()
        redact_on = not args.no_redact
        if not redact_on:
            print('{"warning":"redaction is off: output may hold personal data and secrets"}', file=sys.stderr)
        if args.raw and (args.fields or args.max_bytes):
            raise UsageError("--fields and --max-bytes do not go with --raw.",
                             hint="They shape the compact output; --raw prints the whole answer.")
        from .engine import Context, execute
        started = time.monotonic()
        ctx = Context(args.entry, args, settings, session=session, sleep=sleep)
        result = execute(ctx)
        from .output import build, render, write
        document = build(result, raw=args.raw, redact_on=redact_on, secrets=secrets, max_bytes=args.max_bytes)
        text = render(document, args.format)
        write(text, secrets)
        if result.summary:  # what the one call cost, for an agent weighing it against its peers
            print(f"sentry-api: {args.entry.name}: {len(text.encode()) + 1} bytes, {ctx.client.sent} requests, "
                  f"{time.monotonic() - started:.2f} s", file=sys.stderr)
        return result.exit
    except SentryError as error:
        emit_error(error.to_dict(), secrets, redact_on=True)
        return error.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return OK
    except Exception as error:  # a bug: say so without a traceback, and never leak the token
        emit_error({"error": {"type": "internal", "message": f"{type(error).__name__}: {error}",
                              "hint": "This is a bug in sentry-api; please report the command you ran."}},
                   secrets)
        return INTERNAL


def main_console() -> None:
    """The `sentry-api` console command installed by pip."""
    sys.exit(main())
