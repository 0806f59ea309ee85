"""An issue's tags and grouping hashes: what its events have in common, and why they group.

Sentry serves the tag distribution at the organization's issue path, and one key's
values, paged, under it. GlitchTip has only `/api/0/issues/{id}/tags/`, which takes
`?key=K` and answers every value of that key at once: paged here, on this side.
Tag values are end-user data where they are (user.email, user.ip ...): redacted as
everywhere (redact.py masks tag value items by their key).
"""

from __future__ import annotations

from .. import event_shape
from ..errors import UsageError
from ..output import Result
from ..pagination import resume_cursor, split_cursor
from .common import select
from .spec import Command, Opt

TAGS_PATH = "/organizations/{org}/issues/{issue}/tags/"
LEGACY_TAGS_PATH = "/issues/{issue_id}/tags/"
VALUES_PATH = TAGS_PATH + "{key}/values/"
TAG_VALUES_ROUTE = "issue tag values"
TOP_VALUES = 5  # per key in the distribution; --key K gives all of one key

TAG_FIELDS = ("key", "totalValues", "uniqueValues", "topValues")
VALUE_FIELDS = ("value", "count", "share", "firstSeen", "lastSeen")


def share(count, total):
    """The part of the issue's events (those with this key) that have this value."""
    if isinstance(count, int) and isinstance(total, int) and total > 0:
        return round(count / total, 3)
    return None


def shape_value(item: dict, total, fields=VALUE_FIELDS) -> dict:
    view = {"value": item.get("value"), "count": item.get("count"), "share": share(item.get("count"), total),
            "firstSeen": item.get("firstSeen"), "lastSeen": item.get("lastSeen")}
    return select(view, fields)


def shape_tag(tag: dict, fields=TAG_FIELDS) -> dict:
    """One key: how many events carry it, how many distinct values, the top ones with their share."""
    total = tag.get("totalValues")
    values = tag.get("topValues") if isinstance(tag.get("topValues"), list) else []
    ranked = sorted(values, key=lambda item: -(item.get("count") or 0) if isinstance(item, dict) else 0)
    view = {"key": tag.get("key"), "totalValues": total, "uniqueValues": tag.get("uniqueValues"),
            "topValues": [shape_value(item, total, ("value", "count", "share")) for item in ranked[:TOP_VALUES]
                          if isinstance(item, dict)]}
    return select(view, fields)


def ranked_tags(tags) -> list:
    """The keys most events carry first; GlitchTip sends them in no order."""
    tags = [tag for tag in tags if isinstance(tag, dict)] if isinstance(tags, list) else []
    return sorted(tags, key=lambda tag: (-(tag.get("totalValues") or 0), str(tag.get("key"))))


def fetch_tags(ctx):
    """The distribution (one request; GlitchTip's older path after a short id's lookup)."""
    from . import find
    entry = find("issue-tags")
    return ctx.client.get_first(ctx.route, ctx.candidates(entry), scope=entry.scope, expect=list)


def check_tag_options(ctx) -> None:
    args = ctx.args
    wrong = [f for f in (ctx.fields or []) if f not in (VALUE_FIELDS if args.key else TAG_FIELDS)]
    if wrong:
        raise UsageError(f"--fields {','.join(wrong)} does not apply {'with' if args.key else 'without'} --key.",
                         hint="With --key: " + ",".join(VALUE_FIELDS) + "; without: " + ",".join(TAG_FIELDS))
    if args.key is not None and not (args.key.strip() and len(args.key) <= 200 and "/" not in args.key):
        raise UsageError(f"--key {args.key!r} is not a tag key.", hint="issue-tags ISSUE lists the keys.")
    if args.cursor and not args.key:
        raise UsageError("--cursor goes with --key: the distribution comes whole.")


def issue_tags(ctx) -> Result:
    if ctx.args.key:
        return tag_values(ctx)
    tags = ranked_tags(fetch_tags(ctx))
    fields = ctx.fields or TAG_FIELDS
    shown = tags[:ctx.args.limit]
    if len(tags) > len(shown):  # the distribution has no pages: say what --limit left out
        ctx.client.note(f"{len(tags) - len(shown)} more tag keys; raise --limit to see them")
    return Result(shown, lambda tag: shape_tag(tag, fields), is_list=True)


def tag_values(ctx) -> Result:
    """One key's values, most frequent first: Sentry pages them; GlitchTip's `?key=K` answer
    holds them all, so --limit and --cursor cut that answer here."""
    args, client, scope = ctx.args, ctx.client, ctx.entry.scope
    key = args.key.strip()
    cursor, skip = split_cursor(args.cursor)
    paths = [ctx.expand(VALUES_PATH, key=key), lambda: ctx.expand(LEGACY_TAGS_PATH, issue_id=ctx._numeric_issue_id())]
    params = {"key": key, "per_page": min(100, args.limit + skip)}  # `key` is for GlitchTip; Sentry's is the path
    if cursor:
        params["cursor"] = cursor
    response, path = client.request_first(TAG_VALUES_ROUTE, paths, params, scope=scope)
    fields = ctx.fields or VALUE_FIELDS
    page = response.data if isinstance(response.data, list) else []
    if path != paths[0]:  # GlitchTip: [the key, with every value]
        tag = next((t for t in page if isinstance(t, dict) and t.get("key") == key), {})
        values = sorted(tag.get("topValues") or [], key=lambda item: -(item.get("count") or 0))
        total = tag.get("totalValues")
        shown = values[skip:skip + args.limit]
        more = resume_cursor(None, skip + args.limit) if len(values) > skip + args.limit else None
        return Result(shown, lambda item: shape_value(item, total, fields), is_list=True, next_cursor=more)
    from ..pagination import next_cursor_from_link
    items = page[skip:skip + args.limit]
    if len(page) - skip > args.limit:
        more = resume_cursor(cursor, skip + args.limit)
    else:
        more = next_cursor_from_link(response.headers.get("Link"))
        if more and len(items) < args.limit:
            rest, more = client.paginate([path], {"key": key}, limit=args.limit - len(items), cursor=more,
                                         page_param="per_page", scope=scope, route=path, partial=True)
            items += rest
    return Result(items, lambda item: shape_value(item, None, fields), is_list=True, next_cursor=more)


def shape_hash(item: dict, fields) -> dict:
    """A grouping hash and the latest event that carried it."""
    event = event_shape.normalize_event(item.get("latestEvent") or {})
    view = {"id": item.get("id"), "eventID": event.get("eventID") or event.get("id"),
            "title": event.get("title"), "culprit": event.get("culprit") or event.get("location"),
            "dateCreated": event.get("dateCreated")}
    return select(view, fields)


HASH_FIELDS = ("id", "eventID", "title", "culprit", "dateCreated")

COMMANDS = (
    Command(
        "issue-tags", "issues", "an issue's tag distribution: every key's top values, counts, share",
        "issue-tags BACKEND-C --key environment",
        description=(f"Every tag key of the issue's events, the keys most events carry first, each with its "
                     f"top {TOP_VALUES} values, their counts and share of the events with that key. --key K "
                     "lists one key's values, most frequent first (paged).\n"
                     "another example: issue-tags BACKEND-C"),
        path=TAGS_PATH, fallback=LEGACY_TAGS_PATH, scope="event:read", refs=("issue",),
        options=(Opt("--key", "one tag key: all its values, paged", metavar="KEY"),),
        page_param="per_page", limit=25, checks=(check_tag_options,), run=issue_tags,
        fields=(*TAG_FIELDS, *VALUE_FIELDS), default_fields=TAG_FIELDS,
        also=(("--key K", f"GET {VALUES_PATH} (GlitchTip: {LEGACY_TAGS_PATH}?key=K)", "event:read"),),
    ),
    Command(
        "issue-hashes", "issues", "an issue's grouping hashes, each with its latest event",
        "issue-hashes BACKEND-C",
        description=("The fingerprints the server grouped the issue's events by, each with the latest event "
                     "that had it: why these errors are one issue, or which to split off."),
        path="/organizations/{org}/issues/{issue}/hashes/", fallback="/organizations/{org}/issues/{issue_id}/hashes/",
        # Sentry pages by per_page; GlitchTip by limit (apps/issue_events/api/hashes.py, numeric ids only).
        scope="event:read", refs=("issue",), page_param=("per_page", "limit"), limit=25,
        fields=HASH_FIELDS, default_fields=HASH_FIELDS, shape=shape_hash,
    ),
)
