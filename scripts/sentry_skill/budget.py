"""--max-bytes: fit a shaped document into a byte budget, least useful parts first.

Every cut is named in a `trimmed` list on the document, so nothing disappears
silently. The order follows what an agent debugging an error can best do
without: frame variables, then old breadcrumbs, then source lines around
outer frames, then contexts and tags, then outer frames; the exception, the
culprit frame and the issue's identity go last.
"""

from __future__ import annotations

import json

DEFAULT_EVENT_MAX_BYTES = 10_000  # about 2,500 tokens: room for a deep in-app stack
SHORT_VALUE = 120


def size(document) -> int:
    return len(json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode())


def fit(document, max_bytes: int | None):
    """Return the document trimmed to at most max_bytes (None or 0: no budget)."""
    if not max_bytes or size(document) <= max_bytes:
        return document
    if isinstance(document, dict) and isinstance(document.get("items"), list):
        return _fit_list(document, max_bytes)
    trimmed: list[str] = []
    document = dict(document)
    document["trimmed"] = trimmed
    event_holder = "latestEvent" if isinstance(document.get("latestEvent"), dict) else None
    if event_holder:
        document[event_holder] = dict(document[event_holder])
    event = document[event_holder] if event_holder else document

    def over() -> bool:
        return size(document) > max_bytes

    steps = [_frame_vars, _breadcrumbs, _frame_context,
             _dropper("contexts"), _dropper("tags"), _outer_frames,
             _dropper("request"), _dropper("message"), _dropper("user"), _dropper("platform"),
             _dropper("type"), _dropper("stacktrace")]
    for step in steps:
        step(event, trimmed, over)
        if not over():
            return document
    if event is not document:
        for key in ("tags", "permalink", "firstRelease", "lastRelease", "platform", "substatus", "priority"):
            _dropper(key)(document, trimmed, over)
            if not over():
                return document
    _shorten_exceptions(event, trimmed)
    if over():
        trimmed.append(f"still {size(document)} bytes: raise --max-bytes to see it whole")
    return document


def _dropper(key: str):
    def drop(holder: dict, trimmed: list, over) -> None:
        if key in holder and over():
            del holder[key]
            trimmed.append(key)
    return drop


def _frames(event) -> list:
    return [f for f in event.get("stacktrace") or [] if isinstance(f, dict) and "function" in f]


def _frame_vars(event, trimmed, over) -> None:
    count = 0
    for frame in _frames(event):  # outermost first; the innermost frame keeps its vars longest
        if not over():
            break
        if frame.pop("vars", None) is not None:
            count += 1
    if count:
        trimmed.append(f"variables of {count} frame(s)")


def _breadcrumbs(event, trimmed, over) -> None:
    crumbs = event.get("breadcrumbs")
    if not isinstance(crumbs, list):
        return
    dropped = 0
    while crumbs and over():
        crumbs.pop(0)  # oldest first
        dropped += 1
    if not crumbs:
        event.pop("breadcrumbs", None)
    if dropped:
        trimmed.append(f"{dropped} oldest breadcrumb(s)")


def _frame_context(event, trimmed, over) -> None:
    count = 0
    for frame in _frames(event)[:-1]:  # the innermost frame keeps its source longest
        if not over():
            break
        context = frame.pop("context", None)
        if context is not None:
            marked = [line for line in context if isinstance(line, str) and ">" in line[:8]]
            if marked:
                frame["code"] = marked[0].split(">", 1)[1].strip()
            count += 1
    if count:
        trimmed.append(f"source lines around {count} outer frame(s)")


def _outer_frames(event, trimmed, over) -> None:
    stack = event.get("stacktrace")
    if not isinstance(stack, list):
        return
    dropped = 0
    while over() and len([f for f in stack if "function" in f]) > 1:
        index = next(i for i, f in enumerate(stack) if "function" in f)
        del stack[index]
        dropped += 1
    if dropped:
        stack.insert(0, {"omittedFrames": dropped})
        trimmed.append(f"{dropped} outer frame(s)")


def _shorten_exceptions(event, trimmed) -> None:
    shortened = 0
    for exception in event.get("exceptions") or []:
        value = exception.get("value")
        if isinstance(value, str) and len(value) > SHORT_VALUE:
            exception["value"] = f"{value[:SHORT_VALUE]}…[+{len(value) - SHORT_VALUE} chars]"
            shortened += 1
    if shortened:
        trimmed.append(f"exception value(s) cut to {SHORT_VALUE} chars")


def _fit_list(document: dict, max_bytes: int) -> dict:
    """Drop trailing items; the cursor then no longer follows on, so it goes too."""
    document = dict(document)
    items = list(document["items"])
    dropped = 0
    while items and size({**document, "items": items}) > max_bytes:
        items.pop()
        dropped += 1
    document["items"], document["count"] = items, len(items)
    document.pop("next_cursor", None)
    document["trimmed"] = [f"the last {dropped} item(s): ask again with --limit {max(1, len(items))} "
                           f"and page with --cursor"]
    return document
