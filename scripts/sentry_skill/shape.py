"""Compact views of issues, and what every view shares (cuts, people as references).

Input is already redacted (output.py redacts before it shapes, so a string is
never cut in the middle of a secret). Every getter tolerates missing keys.
Events are event_shape.py's.
"""

from __future__ import annotations

TITLE_CHARS = 200
VALUE_CHARS = 400
CODE_CHARS = 160
VAR_CHARS = 80
MAX_VARS = 12
CONTEXT_AROUND = 2
TOP_TAGS = 8
HIDDEN_TAGS = {"user", "user.id", "user.email", "user.ip", "user.username", "user.name",
               "environment", "release", "level", "url", "transaction", "server_name", "mechanism",
               "handled"}

SNAKE_TO_CAMEL = {"event_id": "eventID", "group_id": "groupID", "project_id": "projectID",
                  "date_created": "dateCreated", "date_received": "dateReceived",
                  "event.type": "type"}


def clip(value, limit: int):
    """Cut a long string with a visible marker saying how much was cut."""
    if isinstance(value, str) and len(value) > limit:
        return f"{value[:limit]}…[+{len(value) - limit} chars]"
    return value


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


# -- issues -----------------------------------------------------------------

def person_ref(value):
    """A person of the organization as `user:<id>`, a team as `team:<slug>` (PRODUCT.md 5).

    Sentry's actor form of a team carries its slug as `name` ({"type": "team", "id", "name"});
    a user's `name` is the person's, so a user without an id gets no reference at all."""
    if not isinstance(value, dict):
        return value if isinstance(value, str) and value else None
    if value.get("type") == "team":
        slug = value.get("slug") or value.get("name")
        return f"team:{slug}" if slug else (f"team:{value['id']}" if value.get("id") else None)
    return f"user:{value['id']}" if value.get("id") not in (None, "") else None


def status_details(value):
    """statusDetails with its `actor` (a whole serialized user on Sentry) as a reference."""
    if isinstance(value, dict) and "actor" in value:
        return {**value, "actor": person_ref(value["actor"])}
    return value


def _release(value):
    return value.get("version") or value.get("shortVersion") if isinstance(value, dict) else value


def _issue_tags(tags):
    """Sentry's tag summaries -> {key: top value}."""
    out = {}
    for tag in tags if isinstance(tags, list) else []:
        if not isinstance(tag, dict):
            continue
        top = tag.get("topValues") or []
        if top and isinstance(top[0], dict):
            out[tag.get("key")] = top[0].get("value") or top[0].get("name")
    return out


def _issue_message(issue):
    """metadata.value: a feedback's text, a performance issue's offending query, an
    exception's value (which its title already says)."""
    metadata = issue.get("metadata")
    return clip(metadata.get("value"), TITLE_CHARS) if isinstance(metadata, dict) else None


ISSUE_FIELDS = {
    "id": lambda i: i.get("id"),
    "shortId": lambda i: i.get("shortId"),
    "title": lambda i: clip(i.get("title"), TITLE_CHARS),
    "message": _issue_message,
    "culprit": lambda i: clip(i.get("culprit"), TITLE_CHARS),
    "status": lambda i: i.get("status"),
    "substatus": lambda i: i.get("substatus"),
    "level": lambda i: i.get("level"),
    "priority": lambda i: i.get("priority"),
    "count": lambda i: _int(i.get("count")),
    "userCount": lambda i: _int(i.get("userCount")),
    "firstSeen": lambda i: i.get("firstSeen"),
    "lastSeen": lambda i: i.get("lastSeen"),
    "project": lambda i: (i.get("project") or {}).get("slug") if isinstance(i.get("project"), dict) else i.get("project"),
    "platform": lambda i: i.get("platform"),
    "type": lambda i: i.get("type"),
    "issueCategory": lambda i: i.get("issueCategory"),
    "issueType": lambda i: i.get("issueType"),
    "assignedTo": lambda i: person_ref(i.get("assignedTo")),
    "isUnhandled": lambda i: i.get("isUnhandled"),
    "isBookmarked": lambda i: i.get("isBookmarked") or None,
    "hasSeen": lambda i: i.get("hasSeen"),
    "numComments": lambda i: i.get("numComments") or None,
    "firstRelease": lambda i: _release(i.get("firstRelease")),
    "lastRelease": lambda i: _release(i.get("lastRelease")),
    "statusDetails": lambda i: status_details(i.get("statusDetails")),
    "metadata": lambda i: i.get("metadata"),
    "permalink": lambda i: i.get("permalink"),
    "logger": lambda i: i.get("logger"),
    "tags": lambda i: _issue_tags(i.get("tags")),
}
class Defaults(tuple):
    """A command's default fields. Shown by default, a field whose value says nothing
    about this item (see `_says_nothing`) is left out; asked for with --fields, it is
    always shown."""


# What kind of issue it is (issueCategory, issueType, type, substatus, message) shows
# only where it says something: an ongoing error issue prints as it always did.
KIND_FIELDS = ("message", "issueCategory", "issueType", "type")
ISSUE_LIST_DEFAULT = Defaults(["id", "shortId", "title", *KIND_FIELDS, "status", "substatus", "level", "count",
                               "userCount", "firstSeen", "lastSeen", "project", "assignedTo"])
# No `tags`: sentry.io's issue detail names tag keys without values, GlitchTip's has none.
ISSUE_DETAIL_DEFAULT = Defaults(["id", "shortId", "title", *KIND_FIELDS, "culprit", "status", "substatus",
                                 "level", "priority", "count", "userCount", "firstSeen", "lastSeen", "project",
                                 "platform", "assignedTo", "isUnhandled", "firstRelease", "lastRelease",
                                 "permalink"])
LOOKUP_DEFAULT = Defaults(["id", "shortId", "title", "project", "status"])


def _says_nothing(name: str, value, issue: dict) -> bool:
    category = issue.get("issueCategory")
    if name in ("issueCategory", "issueType", "type") and value == "error":
        return True
    if name == "issueType":
        return value == category  # feedback / feedback
    if name == "type":
        return category not in (None, "error")  # issueType says more (generic, transaction)
    if name == "substatus":
        return value == "ongoing"
    if name == "message":
        metadata = issue.get("metadata") if isinstance(issue.get("metadata"), dict) else {}
        return bool(metadata.get("type")) or _repeats(value, [issue.get("title")])  # "Type: value" titles
    return False


def _repeats(text, others) -> bool:
    """Is `text` one of `others`, or a server-cut prefix of one (GlitchTip ends cuts with '…')?"""
    if not isinstance(text, str) or not text:
        return False
    stem = text.rstrip("…").rstrip()
    return any(isinstance(o, str) and (o == text or (stem and o.startswith(stem))) for o in others)


def shape_issue(issue: dict, fields) -> dict:
    out = {name: ISSUE_FIELDS[name](issue) for name in fields}
    if isinstance(fields, Defaults):
        out = {name: value for name, value in out.items() if not _says_nothing(name, value, issue)}
    return out
