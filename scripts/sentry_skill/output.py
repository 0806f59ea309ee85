"""The one place that turns a command's result into what stdout shows.

Order matters: redact the raw answer first (so shaping never cuts a secret in
half and leaves the rest readable), then shape, then drop empty values, then
pick fields, then render. Errors go through `emit_error`, redacted the same way.
"""

from __future__ import annotations

import json
import sys

from .errors import UsageError

EMPTY = (None, "", [], {})
ERROR_MESSAGE_CHARS = 400


def clip_text(text: str, limit: int = ERROR_MESSAGE_CHARS) -> str:
    return f"{text[:limit]}…[+{len(text) - limit} chars]" if len(text) > limit else text


class Result:
    """What a command hands to the output stage. (A plain class: @dataclass would cost every
    run the import of dataclasses and inspect.)"""

    def __init__(self, data, shape=None, is_list=False, next_cursor=None, extra=None, max_bytes=None,
                 exact=False, people="ref", client_keys=None, exit=0, summary=False):
        self.data = data                      # the raw API answer: a dict, or a list of dicts
        self.shape = shape                    # raw item -> compact dict (not used with --raw)
        self.is_list = is_list
        self.next_cursor = next_cursor
        self.extra = {} if extra is None else extra  # already-shaped additions (e.g. latestEvent)
        self.max_bytes = max_bytes            # the command's default budget (events have one)
        self.exact = exact                    # print as is, empty values too (a dry-run's body)
        self.people = people                  # "named": a member command, whose members show name and email
        self.client_keys = client_keys        # a key command: "public" shows the public DSN; "shown" the secrets too
        self.exit = exit                      # printed, yet not all well: the exit code (a failed part of several)
        self.summary = summary                # close with a note on stderr: bytes printed, requests sent, wall time


def parse_fields(text: str | None, valid) -> list | None:
    """--fields a,b,c checked against the command's catalogue, before any request."""
    if text is None:
        return None
    if not valid:
        raise UsageError("--fields does not apply to this command.")
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in valid]
    if not names or unknown:
        raise UsageError(
            f"Unknown field(s): {', '.join(unknown) or '(none given)'}.",
            hint="Valid fields: " + ",".join(valid),
        )
    return names


def prune(value):
    """Drop nulls, empty strings, lists and objects, at every depth; times to the second."""
    if isinstance(value, dict):
        pruned = {k: prune(v) for k, v in value.items()}
        return {k: v for k, v in pruned.items() if not _empty(v)}
    if isinstance(value, list):
        pruned = [prune(v) for v in value]
        return [v for v in pruned if not _empty(v)]
    if isinstance(value, str) and 20 <= len(value) <= 32 and value[10:11] == "T":
        return to_the_second(value)
    return value


def to_the_second(text: str) -> str:
    """`2026-11-23T01:32:18.083000+00:00` -> `2026-11-23T01:32:18Z`: triage never needs the
    fraction, and it is 4-11 bytes on every time printed. Anything else is left as it is."""
    import re
    match = re.fullmatch(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.\d+)?(Z|[+-]00:?00|[+-]\d\d:?\d\d)", text)
    if not match:
        return text
    zone = match.group(2)
    return match.group(1) + ("Z" if zone in ("Z", "+00:00", "-00:00", "+0000", "-0000") else zone)


def _empty(value) -> bool:
    return value is None or (isinstance(value, (str, list, dict)) and not value)


def build(result: Result, *, raw: bool, redact_on: bool, secrets=(), max_bytes: int | None = None,
          fmt: str = "json") -> object:
    """Redact, shape, prune, tabulate a JSON list, then fit the budget (--max-bytes, else the
    command's default): the budget measures what is printed."""
    document = _shaped(result, raw=raw or result.exact, redact_on=redact_on, secrets=secrets)
    if raw or result.exact:
        return document
    if fmt == "json":
        document = tabulate(document)
    from .budget import fit
    return fit(document, result.max_bytes if max_bytes is None else max_bytes)


def tabulate(document):
    """A list of objects as `columns` once and one row of values per item: each field's name
    is printed once instead of once per item (a third of list-issues' bytes). A cell is null
    where an item lacks that field. jsonl, table and --raw keep the objects."""
    items = document.get("items") if isinstance(document, dict) else None
    if not items or not all(isinstance(item, dict) for item in items):
        return document
    columns = list(dict.fromkeys(key for item in items for key in item))
    rows = [[item.get(column) for column in columns] for item in items]
    return {"columns": columns, **document, "items": rows}


def rows_as_objects(document):
    """The inverse of tabulate: the items as objects again (what the tests read)."""
    if not (isinstance(document, dict) and "columns" in document):
        return document
    items = [{k: v for k, v in zip(document["columns"], row) if v is not None} for row in document["items"]]
    return {**{k: v for k, v in document.items() if k != "columns"}, "items": items}


def _shaped(result: Result, *, raw: bool, redact_on: bool, secrets=()) -> object:
    data = result.data
    if redact_on:
        from .redact import redact
        data = redact(data, secrets=secrets, people=result.people, client_keys=result.client_keys)
        extra = redact(result.extra, secrets=secrets, people=result.people)
    else:
        extra = result.extra
        if result.client_keys:  # --no-redact does not show a key's secrets: only --show-secrets does
            from .redact import key_secrets
            data = key_secrets(data, shown=result.client_keys == "shown")
    if result.is_list:
        items = data if isinstance(data, list) else []
        if not raw and result.shape:
            items = [result.shape(item) for item in items]
        if not raw:  # an item whose fields are all empty is still an item: count and rows agree
            items = [prune(item) for item in items if isinstance(item, dict) or not _empty(item)]
        document = {"items": items, "count": len(items)}
        if result.next_cursor:
            document["next_cursor"] = result.next_cursor
        if extra and not raw:  # what the whole list says (a series' totals, say), after it
            document.update(prune(extra))
        return document
    document = data if raw or not result.shape else result.shape(data)
    if extra and isinstance(document, dict):
        document = {**document, **extra}
    return document if raw else prune(document)


def dumps(value) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


# The keys of a list document that are not a command's own additions (Result.extra).
LIST_KEYS = ("items", "count", "next_cursor", "trimmed")


def _list_extra(document: dict) -> dict:
    return {key: value for key, value in document.items() if key not in LIST_KEYS}


def render(document, fmt: str = "json") -> str:
    if fmt == "jsonl" and isinstance(document, dict) and "items" in document:
        lines = [dumps(item) for item in document["items"]]
        if _list_extra(document):  # one last line for what the whole list says
            lines.append(dumps(_list_extra(document)))
        if document.get("next_cursor"):
            lines.append(dumps({"next_cursor": document["next_cursor"]}))
        return "\n".join(lines)
    if fmt == "table":
        return render_table(document)
    return dumps(document)


def render_table(document) -> str:
    """For people: a list as an aligned table (cells cut at 60 characters); a single
    object as one `key: value` line per field, whole, nested values as compact JSON."""
    if not (isinstance(document, dict) and "items" in document):
        fields = document.items() if isinstance(document, dict) else [("value", document)]
        return "\n".join(f"{key}: {_cell(value)}".replace("\n", "\\n") for key, value in fields)
    rows = [row if isinstance(row, dict) else {"value": row} for row in document["items"]]
    columns = list(dict.fromkeys(k for row in rows for k in row))
    cells = [[_cell(row.get(c)) for c in columns] for row in rows]
    widths = [min(60, max([len(c)] + [len(r[i]) for r in cells])) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip()]
    for row in cells:
        lines.append("  ".join(_fit(v, w).ljust(w) for v, w in zip(row, widths)).rstrip())
    lines += [f"{key}: {_cell(value)}" for key, value in _list_extra(document).items()]
    if document.get("next_cursor"):
        lines.append(f"(more: --cursor {document['next_cursor']})")
    if document.get("trimmed"):
        lines.append(f"(trimmed: {'; '.join(document['trimmed'])})")
    return "\n".join(lines)


def _cell(value) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else dumps(value)


def _fit(text: str, width: int) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def write(text: str, secrets=(), stream=None) -> None:
    """Print, with a last literal scrub of the session's own secrets."""
    for secret in secrets:
        if secret and len(secret) >= 8:
            text = text.replace(secret, "[token]")
    # Arguments that were not UTF-8 arrive as lone surrogates; never crash on them.
    text = text.encode("utf-8", "replace").decode("utf-8")
    stream = stream or sys.stdout
    stream.write(text + "\n")


def emit_error(error_document: dict, secrets=(), redact_on: bool = True) -> None:
    """One JSON object on stderr. Never raises: it is the last thing that runs."""
    try:
        if redact_on:  # the message may quote the server; type and hint are our own words
            from .redact import redact_text
            error = dict(error_document.get("error", {}))
            if isinstance(error.get("message"), str):
                error["message"] = redact_text(error["message"], secrets=secrets)
            error_document = {**error_document, "error": error}
        error = error_document.get("error", {})
        if isinstance(error.get("message"), str) and len(error["message"]) > ERROR_MESSAGE_CHARS:
            # Cut only after redaction: a cut before it could split a secret past recognition.
            error_document = {**error_document, "error": {**error, "message": clip_text(error["message"])}}
        text = dumps(error_document)
    except Exception:  # keep a safe, fixed message rather than a traceback
        text = dumps({"error": {"type": "internal", "message": "could not render the error"}})
    write(text, secrets, sys.stderr)
