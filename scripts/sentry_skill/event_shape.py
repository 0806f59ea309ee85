"""Compact views of events: the exception, the culprit frame, the stack, the request.

Input is already redacted (output.py redacts before it shapes, so a string is
never cut in the middle of a secret). Every getter tolerates missing keys:
error, message, CSP, performance, feedback and transaction events, and both
Sentry's camelCase and GlitchTip's snake_case event lists. Issues are shape.py's.
"""

from __future__ import annotations

import json
import re

from .shape import (CODE_CHARS, CONTEXT_AROUND, HIDDEN_TAGS, ISSUE_FIELDS, MAX_VARS, SNAKE_TO_CAMEL, TITLE_CHARS,
                    TOP_TAGS, VALUE_CHARS, VAR_CHARS, _release, _repeats, clip, shape_issue)


# -- events -----------------------------------------------------------------

def normalize_event(event: dict) -> dict:
    """GlitchTip's event lists use snake_case; Sentry's use camelCase."""
    if not isinstance(event, dict):
        return {}
    out = dict(event)
    for snake, camel in SNAKE_TO_CAMEL.items():
        if snake in out and camel not in out:
            out[camel] = out[snake]
    return out


def _tag_map(event) -> dict:
    tags = event.get("tags")
    out = {}
    for tag in tags if isinstance(tags, list) else []:
        if isinstance(tag, dict) and "key" in tag:
            out[tag["key"]] = tag.get("value")
        elif isinstance(tag, (list, tuple)) and len(tag) == 2:
            out[tag[0]] = tag[1]
    if isinstance(tags, dict):
        out.update(tags)
    return out


def _entries(event, kind):
    for entry in event.get("entries") or []:
        if isinstance(entry, dict) and entry.get("type") == kind:
            return entry.get("data") or {}
    return {}


def _exceptions(event) -> list:
    values = _entries(event, "exception").get("values") or []
    if not values and isinstance(event.get("exception"), dict):  # raw-shaped event payloads
        values = event["exception"].get("values") or []
    return [v for v in values if isinstance(v, dict)]


def raised_exception(event) -> dict | None:
    """The last exception of the chain: the one that was raised (digest)."""
    exceptions = _exceptions(normalize_event(event))
    return exceptions[-1] if exceptions else None


def _frames(holder) -> list:
    """The frames of an exception or a thread (processed, else raw)."""
    stack = holder.get("stacktrace") or holder.get("rawStacktrace") or {}
    frames = stack.get("frames") if isinstance(stack, dict) else None
    return [f for f in frames or [] if isinstance(f, dict)]


def _stacks(event) -> list:
    """(exception type, frames) for each exception that has frames. An event without
    one (a message: the Python SDK's capture_message with attach_stacktrace) has its
    stack in `threads` (the crashed thread, else the current one) or in a top-level
    `stacktrace` entry."""
    exceptions = _exceptions(event)
    stacks = [(e.get("type"), _frames(e)) for e in exceptions]
    stacks = [(kind, frames) for kind, frames in stacks if frames]
    if stacks or exceptions:
        return stacks
    threads = [t for t in _entries(event, "threads").get("values") or [] if isinstance(t, dict) and _frames(t)]
    thread = next((t for t in threads if t.get("crashed")), None) or next(
        (t for t in threads if t.get("current")), None) or (threads[0] if threads else None)
    if thread:
        return [(None, _frames(thread))]
    frames = _frames({"stacktrace": _entries(event, "stacktrace")})
    return [(None, frames)] if frames else []


def _location(frame) -> dict:
    line = frame.get("lineNo") or frame.get("lineno")
    return {
        "file": frame.get("filename") or frame.get("absPath") or frame.get("module"),
        "line": line,
        "function": frame.get("function"),
        "code": clip(_code_line(frame, line).strip(), CODE_CHARS),
    }


def _code_line(frame, line) -> str:
    """GlitchTip sends context_line; sentry.io sends only [[number, text], ...] in context."""
    text = frame.get("context_line") or frame.get("contextLine")
    if text:
        return text
    for pair in frame.get("context") or []:
        if isinstance(pair, (list, tuple)) and len(pair) == 2 and pair[0] == line and isinstance(pair[1], str):
            return pair[1]
    return ""


def _in_app(frame) -> bool:
    return frame.get("inApp") is True or frame.get("in_app") is True


def culprit_frame(event) -> dict | None:
    """The innermost in-app frame of the last exception (the one that was raised), or of
    the thread's stack when there is no exception."""
    for _, frames in reversed(_stacks(event)):
        chosen = next((f for f in reversed(frames) if _in_app(f)), None) or frames[-1]
        return _location(chosen)
    return None


def _frame_detail(frame) -> dict:
    out = _location(frame)
    line = out.get("line")
    context = frame.get("context") or []
    if isinstance(line, int) and context:
        around = [(n, text) for n, text in (c for c in context if isinstance(c, (list, tuple)) and len(c) == 2)
                  if isinstance(n, int) and abs(n - line) <= CONTEXT_AROUND]
        out["context"] = [f"{n}{'>' if n == line else ' '} {clip(text, CODE_CHARS)}" for n, text in around]
        out.pop("code", None)
    variables = frame.get("vars")
    if isinstance(variables, dict) and variables:
        names = list(variables)[:MAX_VARS]
        out["vars"] = {name: clip(_without_addresses(_compact(variables[name])), VAR_CHARS) for name in names}
        if len(variables) > MAX_VARS:
            out["vars"]["…"] = f"{len(variables) - MAX_VARS} more"
    return out


# `<app.views.CheckoutView object at 0x7f3a12bc4d90>`: the address names no fact triage can use.
MEMORY_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]{4,16}(?=>)")


def _without_addresses(text: str) -> str:
    return MEMORY_ADDRESS.sub("", text) if " at 0x" in text else text


def _compact(value) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def stack_frames(event, *, all_frames: bool = False) -> list:
    """In-app frames with context; runs of library frames collapsed to a count, or with
    all_frames each shown compact: {"library": "file:line function"}."""
    out = []
    chained = len(_exceptions(event)) > 1
    for kind, frames in _stacks(event):
        if chained:
            out.append({"exception": kind})
        library = 0
        for frame in frames:
            if _in_app(frame):
                if library:
                    out.append({"libraryFrames": library})
                    library = 0
                out.append(_frame_detail(frame))
            elif all_frames:
                out.append({"library": _library_line(frame)})
            else:
                library += 1
        if library:
            out.append({"libraryFrames": library})
    return out


def _library_line(frame) -> str:
    where = _location(frame)
    place = f"{where['file']}:{where['line']}" if where.get("line") is not None else str(where.get("file"))
    return f"{place} {where['function']}" if where.get("function") else place


def _exception_summary(exception) -> dict:
    mechanism = exception.get("mechanism") if isinstance(exception.get("mechanism"), dict) else {}
    return {
        "type": exception.get("type"),
        "value": clip(exception.get("value"), VALUE_CHARS),
        "module": exception.get("module"),
        "mechanism": mechanism.get("type"),
        "handled": mechanism.get("handled"),
    }


def _context_line(context) -> str | None:
    if not isinstance(context, dict):
        return None
    parts = [context.get("name"), context.get("version") or context.get("kernel_version")]
    text = " ".join(str(p).strip() for p in parts if p)
    return text or None


def _request(event) -> dict:
    request = _entries(event, "request") or (event.get("request") if isinstance(event.get("request"), dict) else {})
    url = request.get("url")
    return {"method": request.get("method"), "url": clip(url, CODE_CHARS) if url else None}


def _message(event):
    formatted = _entries(event, "message").get("formatted")
    message = formatted or event.get("message")
    if isinstance(message, dict):
        message = message.get("formatted") or message.get("message")
    return message


def _event_time(event):
    """dateCreated; a transaction has none (sentry.io): its end, when it happened, else
    when the server received it."""
    if event.get("dateCreated"):
        return event["dateCreated"]
    end = event.get("endTimestamp") or event.get("timestamp")
    if isinstance(end, (int, float)) and not isinstance(end, bool):
        from datetime import datetime, timezone
        moment = datetime.fromtimestamp(end, timezone.utc)
        return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    return event.get("dateReceived")


def shape_event(event: dict, *, stacktrace: bool = False, breadcrumbs: int = 0, all_frames: bool = False) -> dict:
    event = normalize_event(event)
    tags = _tag_map(event)
    title = clip(event.get("title"), TITLE_CHARS)
    exceptions = _exceptions(event)
    message = _message(event)
    if _repeats(message, [event.get("title")] + [f"{e.get('type')}: {e.get('value')}" for e in exceptions]):
        message = None
    release = event.get("release")
    out = {
        "eventID": event.get("eventID") or event.get("id"),
        "issueId": event.get("groupID"),
        "dateCreated": _event_time(event),
        "level": event.get("level") or tags.get("level"),
        "type": event.get("type"),
        "title": title,
        "message": clip(message, VALUE_CHARS),
        "culprit": clip(event.get("culprit") or event.get("location"), TITLE_CHARS),
        "platform": event.get("platform"),
        "environment": event.get("environment") or tags.get("environment"),
        "release": _release(release) or tags.get("release"),
        "request": _request(event),
        "exceptions": [_exception_summary(e) for e in exceptions],
        "frame": culprit_frame(event),
        "tags": {k: v for k, v in list((k, v) for k, v in tags.items() if k not in HIDDEN_TAGS)[:TOP_TAGS]},
        "user": _user_ref(event.get("user")),
        "contexts": {k: _context_line(v) for k, v in (event.get("contexts") or {}).items()
                     if k in ("runtime", "os", "browser", "device")},
    }
    out.update(_type_specific(event, tags, shown=(title, out["message"])))
    if stacktrace:
        out["stacktrace"] = stack_frames(event, all_frames=all_frames)
    if breadcrumbs:
        out["breadcrumbs"] = _breadcrumbs(event, breadcrumbs)
    return out


def said_once(compact: dict) -> dict:
    """The default event view without what it would say twice; --fields and --raw keep all.

    - `type` "error": the default kind, which its exceptions already show;
    - a tag that repeats a context (`browser` "Chrome 131" beside contexts.browser "Chrome 131");
    - the culprit when it is the culprit frame's function or the request's "METHOD /path";
    - the title when it is the raised exception's "Type: value", word for word;
    - a chained cause's mechanism and handled flag when the raised exception has the same."""
    out = dict(compact)
    exceptions = [dict(e) for e in out.get("exceptions") or []]
    if out.get("type") == "error" and exceptions:
        out.pop("type")
    contexts = out.get("contexts") or {}
    if isinstance(out.get("tags"), dict):
        out["tags"] = {key: value for key, value in out["tags"].items()
                       if not (isinstance(value, str) and value in (contexts.get(key.split(".")[0]) or ""))}
    frame, request = out.get("frame") or {}, out.get("request") or {}
    if out.get("culprit") and out["culprit"] in (frame.get("function"), _method_and_path(request)):
        out.pop("culprit")
    if exceptions:
        raised = exceptions[-1]
        if out.get("title") and out["title"] == f"{raised.get('type')}: {raised.get('value')}":
            out.pop("title")
        for cause in exceptions[:-1]:
            if (cause.get("mechanism"), cause.get("handled")) == (raised.get("mechanism"), raised.get("handled")):
                cause.pop("mechanism", None)
                cause.pop("handled", None)
        out["exceptions"] = exceptions
    return out


def _method_and_path(request: dict) -> str | None:
    from urllib.parse import urlsplit
    if not request.get("method") or not isinstance(request.get("url"), str):
        return None
    return f"{request['method']} {urlsplit(request['url']).path}"


CSP_KEYS = ("blocked_uri", "violated_directive", "effective_directive", "document_uri", "source_file")


# Evidence that names a feedback's author: personal data that does not help triage.
AUTHOR_EVIDENCE = {"contact_email", "name"}


def _type_specific(event, tags: dict, shown) -> dict:
    """What a CSP report or a performance/generic issue occurrence adds to the picture,
    without repeating what the event already shows (its title, its message)."""
    out = {}
    csp = _entries(event, "csp")
    if csp:
        out["csp"] = {key: clip(csp.get(key), CODE_CHARS) for key in CSP_KEYS}
    occurrence = event.get("occurrence")
    if isinstance(occurrence, dict):
        evidence = occurrence.get("evidenceDisplay") or []
        out["evidence"] = {e.get("name"): clip(e.get("value"), VALUE_CHARS) for e in evidence
                           if isinstance(e, dict) and e.get("name") and e.get("name") not in AUTHOR_EVIDENCE
                           and clip(e.get("value"), VALUE_CHARS) not in shown}
        title = clip(occurrence.get("issueTitle"), TITLE_CHARS)
        out["issueTitle"] = None if title in shown else title
    if event.get("type") == "transaction":
        # An issue's occurrence renames the event ("N+1 Query"): the transaction is in its tag.
        out["transaction"] = tags.get("transaction") or event.get("transaction") or (
            None if isinstance(occurrence, dict) else event.get("title"))
    return out


def _user_ref(user):
    """Only a non-identifying id survives (email, ip and username never do)."""
    if isinstance(user, dict) and user.get("id") is not None:
        return {"id": str(user["id"])}
    return None


def _breadcrumbs(event, count: int) -> list:
    values = _entries(event, "breadcrumbs").get("values") or []
    return [{"time": b.get("timestamp"), "category": b.get("category"), "level": b.get("level"),
             "message": clip(b.get("message"), CODE_CHARS)} for b in values[-count:] if isinstance(b, dict)]


EVENT_SUMMARY_FIELDS = {
    "eventID": lambda e: e.get("eventID") or e.get("id"),
    "dateCreated": _event_time,
    "title": lambda e: clip(e.get("title"), TITLE_CHARS),
    "message": lambda e: (lambda m: clip(m, VALUE_CHARS) if m and m != e.get("title") else None)(_message(e)),
    "culprit": lambda e: clip(e.get("culprit") or e.get("location"), TITLE_CHARS),
    "level": lambda e: e.get("level") or _tag_map(e).get("level"),
    "environment": lambda e: _tag_map(e).get("environment"),
    "release": lambda e: _tag_map(e).get("release"),
    "url": lambda e: _request(e).get("url") or _tag_map(e).get("url"),
    "user": lambda e: _user_ref(e.get("user")),
    "issueId": lambda e: e.get("groupID"),
    "projectID": lambda e: e.get("projectID"),
    "platform": lambda e: e.get("platform"),
    "type": lambda e: e.get("type"),
    "tags": lambda e: {k: v for k, v in _tag_map(e).items() if k not in HIDDEN_TAGS},
}
EVENT_LIST_DEFAULT = ["eventID", "dateCreated", "title", "message", "culprit", "environment",
                      "release", "url", "user"]


def shape_event_summary(event: dict, fields) -> dict:
    event = normalize_event(event)
    return {name: EVENT_SUMMARY_FIELDS[name](event) for name in fields}


# What event-detail adds from the event's issue (one more request, or none: see commands/events.py).
EVENT_ISSUE_FIELDS = ("shortId", "project", "issueStatus")


def with_issue_facts(compact: dict, issue) -> dict:
    """The event with its issue's short id, project and status, right after issueId."""
    if not isinstance(issue, dict):
        return compact
    facts = {"shortId": issue.get("shortId"), "project": ISSUE_FIELDS["project"](issue),
             "issueStatus": issue.get("status")}
    out: dict = {}
    for key, value in compact.items():
        out[key] = value
        if key == "issueId":
            out[key] = value or issue.get("id")
            out.update(facts)
    return out


EVENT_FIELDS = ["eventID", "issueId", *EVENT_ISSUE_FIELDS, "dateCreated", "level", "type", "title", "message",
                "culprit", "platform", "environment", "release", "request", "exceptions",
                "frame", "tags", "user", "contexts", "csp", "evidence", "issueTitle", "transaction",
                "stacktrace", "breadcrumbs"]


# -- event id lookups ---------------------------------------------------------

EVENT_LOOKUP_FIELDS = ("eventID", "issueId", "shortId", "project", "title", "dateCreated")
EVENT_LOOKUP_DEFAULT = ("eventID", "issueId", "shortId", "project", "title")


def shape_event_lookup(found: dict, fields) -> dict:
    """Sentry's eventids answer, or the issue that a search by event id found (older servers)."""
    if "groupId" in found or "eventId" in found:
        event = found.get("event") if isinstance(found.get("event"), dict) else {}
        facts = {"eventID": found.get("eventId"), "issueId": found.get("groupId"),
                 "project": found.get("projectSlug"), "title": event.get("title"),
                 "dateCreated": event.get("dateCreated")}
    else:
        facts = {"eventID": found.get("matchingEventId"), "issueId": found.get("id"),
                 "shortId": found.get("shortId"), "project": ISSUE_FIELDS["project"](found),
                 "title": found.get("title")}
    return {name: clip(facts.get(name), TITLE_CHARS) for name in fields}


def shape_issue_with_event(issue: dict, fields, event: dict, *, stacktrace: bool = False,
                           all_frames: bool = False) -> dict:
    """The issue, and its event without what the issue already says (title, id)."""
    out = shape_issue(issue, fields)
    compact = said_once(shape_event(event, stacktrace=stacktrace, all_frames=all_frames))
    compact.pop("issueId", None)
    for key in ("title", "culprit", "platform"):  # the issue says them already
        if compact.get(key) is not None and compact.get(key) == out.get(key):
            compact.pop(key)
    out["latestEvent"] = compact
    return out
