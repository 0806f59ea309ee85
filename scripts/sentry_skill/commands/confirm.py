"""What a settings write confirmed: the changed keys as the server's answer states them.

A server may take part of a change and drop the rest without a word (GlitchTip's
organization update reads only `name`; its project update only name, slug and
platform), so what a write prints comes from the answer, never from the request,
and `unconfirmed` names what was asked for that the answer does not show.
"""

from __future__ import annotations

from ..errors import ApiError


def confirmed(view: dict, answer, body: dict, aliases: dict | None = None) -> dict:
    """`view` (the compact answer) with each asked key as the answer states it, and
    `unconfirmed`: the asked keys whose value the answer does not show. `aliases` names
    other spellings of a key in answers (GlitchTip's `require2fa`)."""
    answer = answer if isinstance(answer, dict) else {}
    out = dict(view)
    unconfirmed = []
    for key, asked in body.items():
        spellings = (key, *(aliases or {}).get(key, ()))
        stated = next((answer[name] for name in spellings if name in answer), None)
        if stated is not None:
            out[key] = stated
        if stated != asked:
            unconfirmed.append(key)
    if unconfirmed:
        out["unconfirmed"] = unconfirmed
    return out


def hint_refusal(hint_for):
    """A write's refusal hook (Command.refusal): a 4xx gets the hint `hint_for(error)` gives,
    if any: what this server wants instead."""
    def refusal(ctx, error):
        if isinstance(error, ApiError) and error.status and 400 <= error.status < 500:
            hint = hint_for(error)
            if hint:
                error.hint = hint
        return error
    return refusal


def missing_fields(error) -> list:
    """The body fields a 422 says are required (django-ninja's answer, as GlitchTip gives it:
    {"detail": [{"type": "missing", "loc": ["body", "payload", NAME]}]})."""
    data = getattr(error, "data", None)
    detail = data.get("detail") if isinstance(data, dict) else None
    if error.status != 422 or not isinstance(detail, list):
        return []
    return [item["loc"][-1] for item in detail
            if isinstance(item, dict) and item.get("type") == "missing" and isinstance(item.get("loc"), list)
            and item["loc"][:1] == ["body"]]
