"""The one engine that runs every command entry (commands/spec.py).

In this order, always: check all input (fields, references, cross-option
checks, query parameters, the body of a write) before any request; then the
safety gate for every method other than GET, so no command can forget it;
then the request(s) through the one client; then shaping, in output.py.
"""

from __future__ import annotations

from functools import cached_property

from .errors import NotFound, SentryError
from .ids import seg
from .output import Result, parse_fields
from .resolve import ISSUE_ROUTE


class Context:
    """One run of one entry: its arguments, settings, checked input, and a client made on first use."""

    def __init__(self, entry, args, settings, session=None, sleep=None):
        self.entry, self.args, self.settings = entry, args, settings
        self._session, self._sleep = session, sleep
        self.fields: list | None = None   # --fields, checked
        self.refs: dict = {}              # kind -> parsed reference, for the path templates
        self.selection: dict = {}         # what a command's checks parsed for its run
        self.params: dict = {}            # query parameters
        self.body = None                  # the body of a write

    @property
    def method(self) -> str | None:
        """The method this run sends: the entry's, or for `api` the METHOD argument."""
        return self.args.method if self.entry.method == "*" else self.entry.method

    @property
    def writes(self) -> bool:
        """Every method but GET writes, whatever the entry says."""
        return self.method not in (None, "GET")

    @property
    def org(self) -> str:
        """The configured org, unless an issue URL named another."""
        from .ids import check_slug
        issue = self.refs.get("issue")
        if issue is not None and getattr(issue, "org", None):
            return issue.org
        return check_slug(self.settings.require_org(), "Organization")

    @cached_property
    def client(self):
        """Made on first use, after the input checks and once the references (an issue URL may name
        the org) are known. No token, or no org for a command inside one, is exit 3 before the HTTP
        stack loads: that alone costs more than --help. Listing the organizations needs none."""
        from .config import require_token

        require_token(self.settings)
        if self.entry.org_scoped:
            self.org  # the property raises ConfigError when no org is configured
        from .client import SentryClient

        session = self._session
        if self.settings.demo and session is None:
            from .demo import demo_session
            session = demo_session()
        options = {"session": session}
        if self._sleep is not None:
            options["sleep"] = self._sleep
        return SentryClient(self.settings, **options)

    @property
    def shown_fields(self):
        """--fields, else the entry's defaults (as they are: shape.Defaults leaves out what says nothing)."""
        return self.fields or self.entry.default_fields

    @property
    def route(self) -> str:
        """Requests of one route share the client's memory of which candidate path exists here:
        every issue-scoped path is one route; any other is named by its path template."""
        path = self.entry.path or ""
        return ISSUE_ROUTE if "{issue}" in path else path

    def candidates(self, entry=None, **more) -> list:
        """An entry's path (this one's by default), then its fallback; a fallback that
        needs a numeric issue id looks it up lazily, only if it is tried."""
        entry = entry or self.entry
        paths = [self.expand(entry.path, **more)]
        if entry.fallback:
            if "{issue_id}" in entry.fallback:
                paths.append(lambda: self.expand(entry.fallback, issue_id=self._numeric_issue_id(), **more))
            else:
                paths.append(self.expand(entry.fallback, **more))
        return paths

    def expand(self, template: str, **more) -> str:
        """Fill a path template: each value is one URL-encoded path segment."""
        values = {kind: getattr(value, "value", value) for kind, value in self.refs.items()}
        values.update(more)
        if "{org}" in template:
            values["org"] = self.org
        return template.format(**{key: seg(value) for key, value in values.items()})

    def _numeric_issue_id(self) -> str:
        from .resolve import numeric_issue_id
        return numeric_issue_id(self.client, self.org, self.refs["issue"], scope=self.entry.scope)

    def use_numeric_issue_id(self) -> None:
        """A write names the issue by its numeric id, the dry run's URL too: GlitchTip routes
        only numeric ids and answers a short id in a write path with a CSRF page (an HTML
        403 that reads like a missing scope). One lookup, after the safety gate."""
        from .ids import IssueRef
        ref = self.refs.get("issue")
        if ref is not None and ref.is_short_id:
            self.refs["issue"] = IssueRef(self._numeric_issue_id(), False, ref.org)


def prepare(ctx: Context) -> None:
    """Every check of the input, before any request: a mistake costs nothing and exits 2."""
    from .commands.spec import REFS

    entry, args = ctx.entry, ctx.args
    ctx.fields = parse_fields(args.fields, entry.fields)
    for kind in entry.refs:
        given = getattr(args, kind)
        if entry.several:  # every one is checked now; the first fills the templates, the run takes the rest
            ctx.selection["several"] = [(text, REFS[kind].parse(text, ctx.settings)) for text in given]
            given = given[0]
        ctx.refs[kind] = REFS[kind].parse(given, ctx.settings)
    for check in entry.checks:
        check(ctx)
    for opt in entry.options:
        value = getattr(args, opt.name, None)
        if opt.param and value is not None and value is not False:
            ctx.params[opt.param] = value
    if entry.params:
        ctx.params.update(entry.params(ctx))
    if entry.body:
        ctx.body = entry.body(ctx)


def gate(ctx: Context) -> None:
    """Refuse a write before any request unless writes are allowed (and confirmed where needed)."""
    from .safety import Write, check

    entry = ctx.entry
    destructive = entry.needs_confirm or ctx.method == "DELETE"
    check(ctx.args, ctx.settings, Write(ctx.method, [entry.path], ctx.body, destructive=destructive))


def execute(ctx: Context) -> Result:
    entry = ctx.entry
    prepare(ctx)
    if ctx.writes:
        gate(ctx)
        ctx.use_numeric_issue_id()
    if entry.run:
        return entry.run(ctx)
    if entry.writes:
        return _write(ctx)
    if entry.lists:
        return _list(ctx)
    return _get(ctx)


def _list(ctx: Context) -> Result:
    return list_result(ctx)


def list_result(ctx: Context, paths=None, *, scope=None, route=None, fields=None, keep=None,
                **result) -> Result:
    """The entry's list, walked to --limit, as a Result. A run that lists another path (a
    team's, a project's), with other fields or another redaction mode, says only that."""
    entry, args = ctx.entry, ctx.args
    items, next_cursor = ctx.client.paginate(
        paths or ctx.candidates(), ctx.params, limit=args.limit, cursor=args.cursor,
        page_param=entry.page_param, scope=scope or entry.scope, route=route or ctx.route, partial=True)
    if keep:
        items = [item for item in items if keep(item)]
    fields = fields or ctx.shown_fields
    result.setdefault("people", entry.people)
    return Result(items, lambda item: entry.shape(item, fields), is_list=True, next_cursor=next_cursor, **result)


def _get(ctx: Context) -> Result:
    entry = ctx.entry
    data = ctx.client.get_first(ctx.route, ctx.candidates(), ctx.params or None, scope=entry.scope)
    if isinstance(data, list):  # a fallback that is a search: its first hit is the answer
        if not data:
            wanted = " ".join(str(getattr(value, "value", value)) for value in ctx.refs.values())
            raise NotFound(f"Nothing found for {wanted} in {ctx.org}.",
                           hint="Check the id; it may be in another organization or past its retention.")
        data = data[0]
    fields = ctx.shown_fields
    return Result(data, lambda raw: entry.shape(raw, fields), max_bytes=entry.budget, people=entry.people)


def _write(ctx: Context) -> Result:
    from .safety import Write, perform

    entry = ctx.entry
    write = Write(entry.method, ctx.candidates(), ctx.body, params=ctx.params,
                  destructive=entry.needs_confirm, scope=entry.scope, route=ctx.route)
    try:
        answer = perform(ctx, write)
    except SentryError as error:
        if not entry.refusal:
            raise
        raise entry.refusal(ctx, error) from None
    if ctx.args.dry_run:
        return Result(answer, exact=True)
    if entry.answer:
        said = entry.answer(ctx, answer)  # a Result when it shapes the answer after redaction
        return said if isinstance(said, Result) else Result(said, people=entry.people)
    if entry.shape:  # the answer is the resource written: shaped as its reads shape it
        fields = ctx.shown_fields
        return Result(answer.data, lambda raw: entry.shape(raw, fields), people=entry.people)
    return Result(answer.data, people=entry.people)
