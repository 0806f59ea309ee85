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


def list_profiles(ctx) -> Result:
    """The profiles file, read locally: each server's name, base URL, org, project and token
    variable, with whether that variable is set; never a token's value."""
    import os
    from pathlib import Path

    from ..config import read_dotenv_files
    from ..profiles import profiles_file, read_profiles

    environ = os.environ
    path = profiles_file(environ, Path(environ.get("HOME") or Path.home()))
    found = read_profiles(path)
    names_set = {name for name, value in environ.items() if value}
    if found:  # a token may sit in a .env file too, as load_settings reads it
        names_set |= {name for values in read_dotenv_files(Path.cwd()) for name in values}
    profiles = [{"name": p.name, "base_url": p.base_url, "org": p.org, "project": p.project,
                 "auth_variable": p.token_env, "auth_variable_set": p.token_env in names_set}
                for p in found.values()]
    asked = (getattr(ctx.args, "profile", None) or environ.get("SENTRY_PROFILE") or "").strip() or None
    # Named auth_variable, not token_env: a key naming a token is masked whole by the redaction.
    view = {"file": str(path), "active": asked if asked in found else None, "profiles": profiles}
    if asked and asked not in found:  # listed anyway: this is where a user finds the right name
        view["unknown_profile"] = asked
    return Result(view, exact=True)


COMMANDS = (
    Command(
        "whoami", "account", "the token's user (id, name, email) and scopes, or its organization",
        "whoami",
        description=("Who the configured token is: its user and that user's name and email, and the "
                     "token's scopes; for an organization token, its organization."),
        path="/", scope=None, run=whoami,
    ),
    Command(
        "list-profiles", "account", "the named servers of the profiles file (--profile NAME), without tokens",
        "list-profiles",
        description=("The profiles file's servers: name, base URL, org, project, and the environment "
                     "variable holding each token with whether it is set (never its value). Sends nothing."),
        method=None, run=list_profiles, org_scoped=False,
    ),
)
