"""The plain reader (plain_args.py) reads a command line as argparse would, or leaves it to argparse."""

import shlex

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sentry_skill.cli_parser import build_parser
from sentry_skill.commands import TABLE
from sentry_skill.commands.spec import COMMON_OPTIONS, Opt, options_of
from sentry_skill.plain_args import read_plain

PARSER = build_parser()
BY_NAME = {"ids": lambda entry: entry.name}
# Words a command line may hold: values each check accepts or refuses, and what only argparse reads.
VALUES = ["5", "0", "20", "5001", "ten", "", "24h", "7d", "json", "table", "xml", "backend", "all", "-1", "-5",
          "BACKEND-C", "17", "latest", "7306aab8480d4cd19eac0d61c840f15c", "2026-11-23T08:00:00Z", "resolved",
          "GET", "/projects/", "a=b", "date", "freq",
          "2026-11-23T09:00:00+01:00", "--", "-h", "--help", "--lim", "--format=json", "--no-such-option"]


def argparse_reads(argv):
    return vars(PARSER.parse_args(argv))


def options(entry) -> list:
    return [opt for opt in (*COMMON_OPTIONS, *options_of(entry)) if opt.flag.startswith("-")]


def positional_count(entry) -> int:
    return len(entry.refs) + sum(1 for opt in options_of(entry) if not opt.flag.startswith("-"))


def accepted(opt, pool) -> list:
    """The words of the pool that the option's own check accepts (none that looks like an option)."""
    good = []
    for word in pool:
        if word.startswith("-"):
            continue
        try:
            value = opt.type(word) if opt.type else word
        except Exception:
            continue
        if opt.choices is None or value in opt.choices:
            good.append(word)
    return good


def pool_of(entry) -> list:
    return [*VALUES, *shlex.split(entry.example)[1:],
            *(str(choice) for opt in options_of(entry) for choice in opt.choices or ())]


@st.composite
def plain_lines(draw, entry):
    """The command's name, its references, then options with values their checks accept."""
    pool = pool_of(entry)
    refs = [draw(st.sampled_from(accepted(Opt("ref"), pool)))
            for _ in range(len(entry.refs) + (draw(st.integers(0, 2)) if entry.several else 0))]
    refs += [draw(st.sampled_from(accepted(opt, pool))) for opt in options_of(entry) if not opt.flag.startswith("-")]
    switches = ("store_true", "store_const")
    usable = [opt for opt in options(entry) if opt.action in switches or accepted(opt, pool)]
    rest = []
    for opt in draw(st.lists(st.sampled_from(usable), max_size=6)):
        rest.append(opt.flag)
        if opt.action not in switches:
            rest.append(draw(st.sampled_from(accepted(opt, pool))))
    return [entry.name, *refs, *rest]


@st.composite
def command_lines(draw, entry):
    """Any words after the command's name: options, values, references, in any order."""
    pool = pool_of(entry) + [opt.flag for opt in options(entry)]
    return [entry.name, *draw(st.lists(st.sampled_from(pool), max_size=10))]


@pytest.mark.parametrize("entry", TABLE, **BY_NAME)
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_a_plain_line_is_read_as_argparse_reads_it(entry, data):
    argv = data.draw(plain_lines(entry))
    plain = read_plain(argv, entry)
    assert plain is not None, argv
    assert vars(plain) == argparse_reads(argv), argv


@pytest.mark.parametrize("entry", TABLE, **BY_NAME)
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_any_line_the_plain_reader_reads_is_read_alike_by_argparse(entry, data):
    argv = data.draw(command_lines(entry))
    plain = read_plain(argv, entry)
    if plain is not None:  # argparse must accept it, and read the same
        assert vars(plain) == argparse_reads(argv), argv


@pytest.mark.parametrize("entry", TABLE, **BY_NAME)
def test_every_example_is_read_alike(entry):
    argv = shlex.split(entry.example)
    plain = read_plain(argv, entry)
    if "=" in entry.example.split(" --", 1)[-1] and plain is None:
        return  # `--sort=-count()`: only argparse reads `--option=value`
    assert plain is not None, entry.example
    assert vars(plain) == argparse_reads(argv)


@pytest.mark.parametrize("argv", [
    ["list-issues", "--help"], ["list-issues", "-h"], ["list-issues", "--lim", "5"], ["list-issues", "--limit=5"],
    ["list-issues", "--limit", "0"], ["list-issues", "--limit"], ["list-issues", "--format", "xml"],
    ["list-issues", "--query", "-is:resolved"], ["list-issues", "--", "x"], ["list-issues", "extra"],
    ["issue-detail"], ["issue-detail", "17", "--tags", "18"], ["issue-detail", "-17"],
    ["--org", "acme", "list-issues"], ["list-issues", "--no-such-option"],
    ["event-detail", "latest", "--breadcrumbs", "many"], ["api", "PATCH", "/projects/"],
])
def test_what_is_not_plain_is_left_to_argparse(argv):
    from sentry_skill.commands import MODULE_OF, find
    assert read_plain(argv, find(next(arg for arg in argv if arg in MODULE_OF))) is None


def test_plain_lines_read_as_argparse_reads_them():
    from sentry_skill.commands import find
    for line in ["list-issues --limit 20 --query '' --environment prod --environment stage --format table",
                 "issue-detail BACKEND-C 17 --latest-event --stacktrace --org acme --max-bytes 2000",
                 "event-detail latest --issue BACKEND-C --breadcrumbs 5 --timeout 2.5 --raw",
                 "list-issues --start 2026-11-23T08:00:00Z --end 2026-11-23T09:00:00+01:00 --sort freq"]:
        argv = shlex.split(line)
        plain = read_plain(argv, find(argv[0]))
        assert plain is not None and vars(plain) == argparse_reads(argv), line
