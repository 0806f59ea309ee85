"""--max-bytes: fit a shaped document into a byte budget, least useful parts first.

Every cut is named once in a `trimmed` list on the document, so nothing
disappears silently. The order follows what an agent debugging an error can
best do without: frame variables, then old breadcrumbs, then source lines
around outer frames, then contexts and tags, then library and outer frames;
then all but the essentials (the issue's identity, the event's id, exception
and culprit frame), which are shortened last. The size checked is always the
size printed, `trimmed` included; when the essentials alone are over the
budget, the last entry says how big the output still is.
"""

from __future__ import annotations

import json

DEFAULT_EVENT_MAX_BYTES = 10_000  # about 2,500 tokens: room for a deep in-app stack
SHORT_VALUE = 120


def size(document) -> int:
    return len(json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode())


# What stays to the last: who the issue is, which event, what was raised and where.
ESSENTIAL_ISSUE = frozenset({"id", "shortId", "title", "status", "latestEvent", "trimmed"})
ESSENTIAL_EVENT = frozenset({"eventID", "exceptions", "frame", "unavailable"})
LAST_VALUE = 40   # exception values, when nothing else is left to cut
LAST_TITLE = 80


def fit(document, max_bytes: int | None):
    """Return the document trimmed to at most max_bytes (None or 0: no budget)."""
    if not max_bytes or size(document) <= max_bytes:
        return document
    if isinstance(document, dict) and isinstance(document.get("items"), list):
        return _fit_list(document, max_bytes)
    if not isinstance(document, dict):
        return document
    document = dict(document)
    nested = isinstance(document.get("latestEvent"), dict)
    if nested:
        document["latestEvent"] = dict(document["latestEvent"])
    event = document["latestEvent"] if nested else document
    cuts = _Cuts(document, nested)
    in_event, in_issue = cuts.namer(inner=True), cuts.namer(inner=False)

    def over() -> bool:
        return size(document) > max_bytes

    steps = [(event, in_event, step) for step in (
        _frame_vars, _breadcrumbs, _frame_context, _dropper("contexts"), _dropper("tags"), _library_frames,
        _outer_frames, _dropper("request"), _dropper("message"), _dropper("user"), _dropper("platform"),
        _dropper("type"), _dropper("stacktrace"))]
    if nested:
        steps += [(document, in_issue, _dropper(key)) for key in
                  ("tags", "permalink", "firstRelease", "lastRelease", "platform", "substatus", "priority")]
    steps.append((event, in_event, _shorten_exceptions(SHORT_VALUE)))
    # Then everything but the essentials: the event's first, then the issue's, last field first.
    if nested:
        steps += [(event, in_event, _all_but(ESSENTIAL_EVENT)), (document, in_issue, _all_but(ESSENTIAL_ISSUE))]
    else:
        steps.append((event, in_event, _all_but(ESSENTIAL_ISSUE | ESSENTIAL_EVENT)))
    steps += [(event, in_event, _exception_details), (event, in_event, _earlier_exceptions)]
    if nested:
        steps.append((event, in_event, _value_in_title(document.get("title"))))
    steps += [(event, in_event, _shorten_exceptions(LAST_VALUE)), (event, in_event, _frame_code),
              (document, in_issue, _shorten_title)]
    for holder, named, step in steps:
        step(holder, named, over)
        if not over():
            return document
    in_issue("still over")
    for _ in range(3):  # the note holds the size it is part of
        document["trimmed"][-1] = f"still {size(document)} bytes: raise --max-bytes to see it whole"
    return document


class _Cuts:
    """The `trimmed` list: the document's own cuts one by one; the cuts inside its
    latestEvent in one entry, `latestEvent: a; b`. So the issue's `platform` and its
    event's `platform` are two cuts, each named once. When only the essentials are
    left, "all but ..." replaces the names of the parts that went."""

    def __init__(self, document: dict, nested: bool):
        self.document, self.nested = document, nested
        # inner? -> [(text, True if it is about a part that stays, or "summary")]
        self.names: dict[bool, list] = {False: [], True: []}
        self.inner_at = 0
        document["trimmed"] = []

    def namer(self, inner: bool):
        inner = inner and self.nested

        def named(text: str, kept: bool = False) -> None:
            if inner and not self.names[True]:
                self.inner_at = len(self.names[False])
            self.names[inner].append((text, kept))
            self._render()
        named.summarize = lambda text: self._summarize(inner, text)
        return named

    def _summarize(self, inner: bool, text: str) -> None:
        """Replaces the names of the parts that went (and an earlier summary) with one."""
        self.names[inner] = [(name, kept) for name, kept in self.names[inner] if kept is True] + [(text, "summary")]
        self._render()

    def _render(self) -> None:
        names = [text for text, _ in self.names[False]]
        if self.names[True]:
            names.insert(min(self.inner_at, len(names)),
                         "latestEvent: " + "; ".join(text for text, _ in self.names[True]))
        self.document["trimmed"] = names


def _dropper(key: str):
    def drop(holder: dict, named, over) -> None:
        if key in holder and over():
            del holder[key]
            named(key)
    return drop


def _all_but(essential: frozenset):
    """Everything but the essentials, last field first; once it comes to that, the
    earlier names of what went are summed up as "all but ..."."""
    def drop(holder: dict, named, over) -> None:
        for key in reversed([k for k in holder if k not in essential]):
            if not over():
                break
            del holder[key]
            # Said after each field, so that the size checked is the size printed.
            named.summarize("all but " + ", ".join(k for k in holder if k not in ("trimmed", "latestEvent")))
    return drop


def _frames(event) -> list:
    return [f for f in event.get("stacktrace") or [] if isinstance(f, dict) and "function" in f]


def _frame_vars(event, named, over) -> None:
    count = 0
    for frame in _frames(event):  # outermost first; the innermost frame keeps its vars longest
        if not over():
            break
        if frame.pop("vars", None) is not None:
            count += 1
    if count:
        named(f"variables of {count} frame(s)")


def _breadcrumbs(event, named, over) -> None:
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
        named(f"{dropped} oldest breadcrumb(s)")


def _frame_context(event, named, over) -> None:
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
        named(f"source lines around {count} outer frame(s)")


def _outer_frames(event, named, over) -> None:
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
        named(f"{dropped} outer frame(s)")


def _library_frames(event, named, over) -> None:
    """--all-frames: library frames go back to counts, outermost first."""
    stack = event.get("stacktrace")
    if not isinstance(stack, list):
        return
    stack = event["stacktrace"] = list(stack)
    count = 0
    while over():
        index = next((i for i, f in enumerate(stack) if isinstance(f, dict) and "library" in f), None)
        if index is None:
            break
        before = stack[index - 1] if index else None
        if isinstance(before, dict) and "libraryFrames" in before:
            stack[index - 1] = {"libraryFrames": before["libraryFrames"] + 1}
            del stack[index]
        else:
            stack[index] = {"libraryFrames": 1}
        count += 1
    if count:
        named(f"{count} library frame(s)")


def _shorten_exceptions(limit: int):
    def shorten(event, named, over) -> None:
        shortened = 0
        for exception in event.get("exceptions") or []:
            value = exception.get("value")
            if isinstance(value, str) and len(value) > limit and over():
                exception["value"] = f"{value[:limit]}…[+{len(value) - limit} chars]"
                shortened += 1
        if shortened:
            named(f"exceptions.value cut to {limit} chars", kept=True)
    return shorten


def _exception_details(event, named, over) -> None:
    """Type and value say what was raised; the mechanism and module go."""
    exceptions = event.get("exceptions")
    if isinstance(exceptions, list) and over():
        kept = [{k: v for k, v in e.items() if k in ("type", "value")} for e in exceptions if isinstance(e, dict)]
        if kept != exceptions:
            event["exceptions"] = kept
            named("exceptions.mechanism", kept=True)


def _value_in_title(title):
    """The issue's title is most often "Type: value" of the exception that was raised
    (cut by the server or by TITLE_CHARS): then the event need not say it again."""
    def drop(event, named, over) -> None:
        exceptions = event.get("exceptions")
        if not (isinstance(title, str) and isinstance(exceptions, list) and exceptions and over()):
            return
        last = exceptions[-1]
        said = f"{last.get('type')}: {last.get('value')}"
        stem = title.split("…")[0]
        if stem != title:  # a cut title may end in half a word (or half a secret)
            stem = stem.rsplit(" ", 1)[0]
        if last.get("value") and len(stem) > len(str(last.get("type"))) + 2 and said.startswith(stem):
            event["exceptions"] = [*exceptions[:-1], {k: v for k, v in last.items() if k != "value"}]
            named("exceptions.value (the title says it)", kept=True)
    return drop


def _earlier_exceptions(event, named, over) -> None:
    """A chain keeps the exception that was raised last."""
    exceptions = event.get("exceptions")
    if isinstance(exceptions, list) and len(exceptions) > 1 and over():
        event["exceptions"] = exceptions[-1:]
        named(f"{len(exceptions) - 1} earlier exception(s)", kept=True)


def _frame_code(event, named, over) -> None:
    frame = event.get("frame")
    if isinstance(frame, dict) and "code" in frame and over():
        event["frame"] = {k: v for k, v in frame.items() if k != "code"}
        named("frame.code", kept=True)


def _shorten_title(holder, named, over) -> None:
    title = holder.get("title")
    if isinstance(title, str) and len(title) > LAST_TITLE and over():
        holder["title"] = f"{title[:LAST_TITLE]}…[+{len(title) - LAST_TITLE} chars]"
        named(f"title cut to {LAST_TITLE} chars", kept=True)


def _fit_list(document: dict, max_bytes: int) -> dict:
    """Drop trailing items; the cursor then no longer follows on, so it goes too."""
    document = dict(document)
    document.pop("next_cursor", None)
    items = list(document["items"])
    dropped = 0

    def note():  # counted in the size: the note is part of what is printed
        return [f"the last {dropped} item(s): ask again with --limit {max(1, len(items))} and page with --cursor"]

    while items and size({**document, "items": items, "count": len(items), "trimmed": note()}) > max_bytes:
        items.pop()
        dropped += 1
    document["items"], document["count"], document["trimmed"] = items, len(items), note()
    return document
