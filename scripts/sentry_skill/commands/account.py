"""Account: who the configured token is."""

from __future__ import annotations

from ..errors import AuthError
from ..output import Result
from .spec import Command

ORG_TOKEN_NOTE = "An organization token acts for its organization, not for a user."


def whoami(ctx) -> Result:
    """One GET of the API root, which names the token's user and scopes on Sentry and on
    GlitchTip. GlitchTip's answer also holds the token itself (auth.token): the compact
    view takes only the user and the scopes; --raw shows the answer redacted."""
    from ..config import org_token_payload

    answer = ctx.client.get("/", scope=None, expect=dict)
    if not isinstance(answer.get("auth"), dict):
        raise AuthError("The server did not take the token (GET /api/0/ answered without a session).",
                        hint="Check SENTRY_AUTH_TOKEN and --base-url.")
    # Scopes and the user id are read here: redaction masks `auth` whole (a key named like a secret).
    scopes = [scope for scope in answer["auth"].get("scopes") or [] if isinstance(scope, str)]
    user = answer.get("user")
    payload = org_token_payload(ctx.settings.token or "")
    if payload or not isinstance(user, dict):  # Sentry names no user for an organization token
        view = {"tokenType": "organization", "org": payload.get("org") or ctx.settings.org, "scopes": scopes,
                "message": ORG_TOKEN_NOTE}
        return Result(answer, lambda redacted: view)
    view = {"tokenType": "user", "user": f"user:{user.get('id')}", "scopes": scopes}

    def named(redacted):  # PRODUCT.md section 5: whoami shows its person's name and email
        person = redacted.get("user") or {}
        return {**view, "name": person.get("name"), "email": person.get("email")}
    return Result(answer, named, people="named")


COMMANDS = (
    Command(
        "whoami", "account", "the token's user (id, name, email) and scopes, or its organization",
        "whoami",
        description=("Who the configured token is: its user and that user's name and email, and the "
                     "token's scopes; for an organization token, its organization."),
        path="/", scope=None, run=whoami,
    ),
)
