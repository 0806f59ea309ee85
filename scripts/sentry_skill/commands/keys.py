"""Client keys: a project's DSNs, listed, created and deleted.

The public DSN is what SDKs embed in applications, so it shows. The secret key and
the secret DSN are credentials: they stay masked, in every mode, unless the user
asks with --show-secrets and has allowed writes (PRODUCT.md section 5).
"""

from __future__ import annotations

from ..errors import UsageError, WriteRefused
from ..ids import check_slug
from ..output import Result
from .common import select
from .spec import Command, Opt

KEYS_PATH = "/projects/{org}/{project}/keys/"
KEY_PATH = KEYS_PATH + "{key}/"

KEY_FIELDS = ("id", "name", "label", "public", "dsn", "secretDsn", "secret", "isActive", "rateLimit",
              "dateCreated", "projectId", "browserSdkVersion", "endpoints")
KEY_DEFAULT = ("id", "name", "dsn", "isActive", "dateCreated", "rateLimit")
SECRET_FIELDS = ("secret", "secretDsn")

SHOW_SECRETS = Opt("--show-secrets", "also print the secret key and secret DSN (credentials); only where the "
                   "user allows writes", action="store_true")
SHOW_SECRETS_HINT = ("The public DSN (`dsn`) is all an SDK needs. Only the user can allow the secrets: "
                     "--show-secrets with --allow-write or SENTRY_ALLOW_WRITE=1.")


def shape_key(key: dict, fields) -> dict:
    """A key, compact: `dsn` is the public DSN; `endpoints` the other public URLs (security, csp, ...)."""
    dsn = key.get("dsn") if isinstance(key.get("dsn"), dict) else {}
    view = {
        "id": key.get("id"), "name": key.get("name"), "label": key.get("label"), "public": key.get("public"),
        "dsn": dsn.get("public"), "secretDsn": dsn.get("secret"), "secret": key.get("secret"),
        "isActive": key.get("isActive"), "rateLimit": key.get("rateLimit"), "dateCreated": key.get("dateCreated"),
        "projectId": key.get("projectId", key.get("projectID")),  # GlitchTip spells it projectID
        "browserSdkVersion": key.get("browserSdkVersion"),
        "endpoints": {name: url for name, url in dsn.items() if name not in ("public", "secret")},
    }
    return select(view, fields)


def use_project(ctx) -> None:
    """--project, else the configured project: the keys are a project's."""
    ctx.refs["project"] = check_slug(ctx.settings.require_project(), "Project")


def check_show_secrets(ctx) -> None:
    """--show-secrets only where writes are allowed: refused before any request otherwise."""
    if getattr(ctx.args, "show_secrets", False) and not ctx.settings.allow_write:
        raise WriteRefused("--show-secrets refused: the secret key and secret DSN are credentials, shown only "
                           "where the user allows writes.", hint=SHOW_SECRETS_HINT)


def _mode(ctx) -> str:
    return "shown" if getattr(ctx.args, "show_secrets", False) else "public"


def _fields(ctx):
    if ctx.fields:
        return ctx.fields
    return (*KEY_DEFAULT, *SECRET_FIELDS) if _mode(ctx) == "shown" else KEY_DEFAULT


def list_keys(ctx) -> Result:
    from ..engine import list_result
    return list_result(ctx, fields=_fields(ctx), client_keys=_mode(ctx))


def key_body(ctx) -> dict:
    name = ctx.args.name
    if name is not None and not (name.strip() and len(name) <= 64):
        raise UsageError("--name must be 1 to 64 characters.", hint="Without --name the server names the key.")
    return {"name": name} if name is not None else {}


def created(ctx, response) -> Result:
    fields = _fields(ctx)
    return Result(response.data, lambda key: shape_key(key, fields), client_keys=_mode(ctx))


def deleted(ctx, response) -> dict:
    return {"id": ctx.refs["key"], "deleted": "done", "message": "The key was deleted: events sent with its "
            "DSN are refused from now on."}


PROJECT = Opt("--project", "project slug (default: SENTRY_PROJECT)", metavar="SLUG")

COMMANDS = (
    Command(
        "list-keys", "keys", "a project's client keys (DSNs): id, name, public DSN",
        "list-keys --project backend",
        description=("A project's client keys. `dsn` is the public DSN an SDK needs; the secret key and "
                     "secret DSN stay masked (--show-secrets shows them, only where writes are allowed)."),
        path=KEYS_PATH, scope="project:read", page_param=("per_page", "limit"), limit=25,
        options=(PROJECT, SHOW_SECRETS,
                 Opt("--allow-write", "with --show-secrets: the user allows it [env SENTRY_ALLOW_WRITE=1]",
                     action="store_true")),
        checks=(use_project, check_show_secrets), run=list_keys,
        fields=KEY_FIELDS, default_fields=KEY_DEFAULT, shape=shape_key,
    ),
    Command(
        "create-key", "keys", "create a client key (DSN) in a project",
        "create-key --project backend --name web-app --dry-run",
        description="Create a client key; prints it as list-keys does. Needs --allow-write.",
        method="POST", path=KEYS_PATH, scope="project:write",
        options=(PROJECT, Opt("--name", "the key's name (default: the server names it)", metavar="NAME"),
                 SHOW_SECRETS),
        checks=(use_project, check_show_secrets), body=key_body, answer=created,
        fields=KEY_FIELDS, default_fields=KEY_DEFAULT,
    ),
    Command(
        "delete-key", "keys", "delete a client key: its DSN stops working",
        "delete-key 60120449b6b1d5e45f75561e6dabd80b --project backend --dry-run",
        description=("Delete a client key by its id (list-keys shows it). Events sent with its DSN are "
                     "refused from then on. Needs --allow-write and --confirm, and a token with project:admin."),
        method="DELETE", path=KEY_PATH, scope="project:admin", refs=("key",),
        options=(PROJECT,), checks=(use_project,), answer=deleted,
    ),
)
