"""Reading the command line, dispatch and the exit-code contract.

Nothing heavy is imported here: `--help`, `--version` and every error caught
before a request run without loading requests or python-dotenv; a plain command
line runs without argparse (cli_parser.py has the parser).
"""

from __future__ import annotations

import sys
import time

from .errors import INTERNAL, OK, SentryError, UsageError


def parse(argv: list):
    """A plain command line (`COMMAND [REF ...] [--option VALUE] ...`) is read without argparse
    (plain_args.py). Anything else goes to argparse, with only the named command's parser (a few
    ms less, with ~50 commands); on any doubt (no name, an error, a name used as an option's
    value) the whole parser decides."""
    from .commands import MODULE_OF, find
    from .plain_args import read_plain

    named = next((arg for arg in argv if arg in MODULE_OF), None)
    if named:
        args = read_plain(argv, find(named))
        if args is not None:
            return args
    from .cli_parser import build_parser

    if named:
        try:
            return build_parser(only=named).parse_args(argv)
        except UsageError:
            pass
    return build_parser().parse_args(argv)


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
        document = build(result, raw=args.raw, redact_on=redact_on, secrets=secrets, max_bytes=args.max_bytes,
                         fmt=args.format)
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
