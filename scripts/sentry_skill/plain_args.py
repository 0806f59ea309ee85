"""A plain command line, read without argparse: `COMMAND [REF ...] [--option [VALUE]] ...`.

Most runs are plain: the command's name, its references, then options spelled out in
full. Reading those here spares a run the import of argparse and the building of its
parser, about 4 ms of a command's start-up. Anything else is left to argparse
(cli_parser.py), so every usage error and every help text stays its own: --help, an
unknown or abbreviated option, `--option=value`, a value or reference that starts
with `-`, a value that its check refuses or that is not among its choices, a missing
or extra reference, a reference after an option, an option before the command's name.
tests/test_plain_args.py checks that both read command lines alike.
"""

from __future__ import annotations

from types import SimpleNamespace

from .commands.spec import COMMON_OPTIONS, options_of

_REFUSED = object()  # a value its check refuses: argparse reports it


def read_plain(argv: list, entry):
    """What argparse would make of `argv` for this entry, or None: let argparse read it."""
    if not argv or argv[0] != entry.name:
        return None
    rest = list(argv[1:])
    words = []
    while rest and not rest[0].startswith("-"):  # the references, right after the name
        words.append(rest.pop(0))
    own = options_of(entry)
    positionals = [opt for opt in own if not opt.flag.startswith("-")]  # after the references, in order
    if entry.several:  # one reference kind, one or more values
        if len(entry.refs) != 1 or positionals or not words:
            return None
        values: dict = {entry.refs[0]: words}
    elif len(words) != len(entry.refs) + len(positionals) or any(opt.action for opt in positionals):
        return None
    else:
        values = dict(zip(entry.refs, words))
        for opt, text in zip(positionals, words[len(entry.refs):]):
            value = _value(opt, text)
            if value is _REFUSED:
                return None
            values[opt.flag] = value  # a positional's destination is its name as given
    try:
        common = {opt.name: _default(opt) for opt in COMMON_OPTIONS}
        defaults: dict = {}
        for opt in own:  # options sharing a destination: the first one's default, as argparse does
            if opt.flag.startswith("-"):
                defaults.setdefault(opt.name, _default(opt))
    except Exception:  # a default its own check refuses: argparse reports it
        return None
    by_flag = {opt.flag: opt for opt in (*COMMON_OPTIONS, *own) if opt.flag.startswith("-")}
    flags = iter(rest)
    for flag in flags:
        opt = by_flag.get(flag)
        if opt is None:
            return None
        if opt.action == "store_true":
            values[opt.name] = True
        elif opt.action == "store_const":
            values[opt.name] = opt.const
        else:
            text = next(flags, None)
            if text is None or text.startswith("-"):
                return None
            value = _value(opt, text)
            if value is _REFUSED:
                return None
            if opt.action == "append":  # onto a copy of the default, as argparse does
                value = [*values.get(opt.name, defaults.get(opt.name) or []), value]
            values[opt.name] = value
    # As argparse: the defaults of the options before the name, then what the command's parser set.
    return SimpleNamespace(**{**common, "command": entry.name, **defaults, **values, "entry": entry})


def _value(opt, text: str):
    """The option's check applied to its text, as argparse applies it; _REFUSED if it fails."""
    try:
        value = opt.type(text) if opt.type else text
    except Exception:  # argparse runs the same check and reports what it raises
        return _REFUSED
    if opt.choices is not None and value not in opt.choices:
        return _REFUSED
    return value


def _default(opt):
    """argparse's default: False for a switch; a text default goes through the option's check."""
    if opt.action == "store_true" and opt.default is None:
        return False
    if isinstance(opt.default, str) and opt.type:
        return opt.type(opt.default)
    return opt.default
