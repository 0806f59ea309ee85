"""Settings: flags > environment > .env (cwd, then skill folder) > ~/.sentryclirc.

A profile (--profile NAME or SENTRY_PROFILE; profiles.py) replaces those layers
for the server, token, organization and project: its base URL, its org and
project (only --org/--project override them) and the token from the variable it
names. The environment's SENTRY_AUTH_TOKEN and SENTRY_BASE_URL are then ignored
and --base-url is refused, so one server's token never goes to another.

Nothing here talks to the network. python-dotenv is imported only when a
command actually needs its settings, so `--help` stays cheap.
"""

from __future__ import annotations

import base64
import ipaddress
import json
import os
from pathlib import Path
from urllib.parse import urlsplit

from .errors import ConfigError, UsageError
from .routes import cache_file

DEFAULT_BASE_URL = "https://sentry.io"
DEMO_BASE_URL = "https://demo.sentry.invalid"
DEMO_ORG = "acme"
READ_SCOPES = "org:read, project:read, event:read, team:read, member:read"

ENV_NAMES = {
    "token": ("SENTRY_AUTH_TOKEN", "SENTRY_TOKEN"),
    "base_url": ("SENTRY_BASE_URL", "SENTRY_URL", "SENTRY_HOST"),
    "org": ("SENTRY_ORG",),
    "project": ("SENTRY_PROJECT",),
    "allow_write": ("SENTRY_ALLOW_WRITE",),
    "demo": ("SENTRY_DEMO",),
    "profile": ("SENTRY_PROFILE",),
}
RC_KEYS = {"token": ("auth", "token"), "base_url": ("defaults", "url"),
           "org": ("defaults", "org"), "project": ("defaults", "project")}
SKILL_DIR = Path(__file__).resolve().parents[2]


class Settings:
    """Where to send requests, with which token, and what the user allowed. (A plain class:
    @dataclass would cost every run the import of dataclasses and inspect.)"""

    def __init__(self, base_url, token, org, project, allow_write=False, demo=False, timeout=30.0,
                 allow_insecure_http=False, verbose=False, token_hosts=None, sources=None, route_cache=None,
                 profile=None):
        self.base_url: str = base_url
        self.token: str | None = token
        self.org: str | None = org
        self.project: str | None = project
        self.allow_write = allow_write
        self.demo = demo
        self.timeout = timeout
        self.allow_insecure_http = allow_insecure_http
        self.verbose = verbose
        # Hosts the token may be sent to: the configured host and its org's region.
        self.token_hosts: set = set() if token_hosts is None else token_hosts
        self.sources: dict = {} if sources is None else sources
        self.route_cache: Path | None = route_cache  # what servers lack (routes.py); None: remember nothing
        self.profile = profile                        # the chosen profiles.Profile, if any

    def require_org(self) -> str:
        if not self.org and not self.token and not self.demo:
            raise missing_token_error(self, org_missing=True)
        if not self.org:
            raise ConfigError(
                "No organization configured.",
                hint="Pass --org SLUG or set SENTRY_ORG (the slug in https://SLUG.sentry.io/ "
                "or /organizations/SLUG/), in the environment or a .env file.",
            )
        return self.org

    def require_project(self) -> str:
        if not self.project:
            raise ConfigError(
                "No project configured.",
                hint="Pass --project SLUG or set SENTRY_PROJECT.",
            )
        return self.project


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def read_dotenv_files(cwd: Path) -> list[dict]:
    found = []
    for folder in dict.fromkeys([cwd, SKILL_DIR]):
        path = folder / ".env"
        if path.is_file():
            from dotenv import dotenv_values  # only a run that has a .env file pays for importing it
            found.append({k: v for k, v in dotenv_values(path).items() if v})
    return found


def _read_sentryclirc(home: Path) -> dict:
    path = home / ".sentryclirc"
    if not path.is_file():
        return {}
    import configparser  # only a run that has the file pays for importing it

    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError):
        return {}
    values = {}
    for name, (section, key) in RC_KEYS.items():
        if parser.has_option(section, key) and parser.get(section, key).strip():
            values[name] = parser.get(section, key).strip()
    return values


def normalize_base_url(raw: str, allow_insecure_http: bool = False) -> str:
    """https://host[:port][/prefix] without a trailing slash or /api/0."""
    value = raw.strip()
    if "://" not in value:
        value = "https://" + value  # a bare host means https
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"Base URL {raw!r} is not an http(s) URL.",
                         hint="Use e.g. https://sentry.io or https://sentry.example.com")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise UsageError(f"Base URL {raw!r} must not hold credentials, a query or a fragment.")
    if parts.scheme == "http" and not allow_insecure_http and not is_loopback(parts.hostname):
        raise UsageError(
            f"Refusing plain http:// to {parts.hostname}: the token would travel unencrypted.",
            hint="Use https://, or pass --allow-insecure-http if you really mean it.",
        )
    path = parts.path.rstrip("/")
    if path.endswith("/api/0"):
        path = path[: -len("/api/0")]
    netloc = parts.hostname if parts.port is None else f"{parts.hostname}:{parts.port}"
    if ":" in parts.hostname:  # IPv6 literal
        netloc = f"[{parts.hostname}]" + ("" if parts.port is None else f":{parts.port}")
    return f"{parts.scheme}://{netloc.lower()}{path}"


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def org_token_payload(token: str) -> dict:
    """An organization token (sntrys_<base64 json>_<secret>) names its region and org."""
    if not token.startswith("sntrys_"):
        return {}
    body = token[len("sntrys_"):].rsplit("_", 1)[0]
    try:
        payload = json.loads(base64.b64decode(body + "=" * (-len(body) % 4)))
    except (ValueError, TypeError):
        return {}
    return payload if isinstance(payload, dict) else {}


def load_settings(args, environ=None, cwd: Path | None = None, home: Path | None = None) -> Settings:
    environ = os.environ if environ is None else environ
    cwd = Path.cwd() if cwd is None else cwd
    home = Path(environ.get("HOME") or Path.home()) if home is None else home

    layers: list[tuple[str, dict]] = [("environment", {})]
    for name, names in ENV_NAMES.items():
        for env_name in names:
            if environ.get(env_name):
                layers[0][1][name] = (environ[env_name], env_name)
                break
    for values in read_dotenv_files(cwd):
        layer = {}
        for name, names in ENV_NAMES.items():
            for env_name in names:
                if values.get(env_name):
                    layer[name] = (values[env_name], env_name)
                    break
        layers.append((".env", layer))
    layers.append(("~/.sentryclirc", {k: (v, k) for k, v in _read_sentryclirc(home).items()}))

    def pick(name, flag_value=None):
        if flag_value:
            return flag_value, f"--{name.replace('_', '-')}"
        for origin, layer in layers:
            if name in layer:
                value, key = layer[name]
                return value, f"{key} ({origin})"
        return None, None

    sources = {}
    demo = bool(getattr(args, "demo", False)) or _truthy(pick("demo")[0])
    insecure = bool(getattr(args, "allow_insecure_http", False))
    allow_write = bool(getattr(args, "allow_write", False)) or _truthy(pick("allow_write")[0])
    profile_name, profile_source = pick("profile", getattr(args, "profile", None))
    profile = None
    local = bool(getattr(getattr(args, "entry", None), "local", False))
    if profile_name and not demo and not local:  # a local command (list-profiles) uses no server
        from .profiles import find_profile, profiles_file
        profile = find_profile(profile_name.strip(), profiles_file(environ, home))
        if getattr(args, "base_url", None):
            raise UsageError("--base-url does not go with a profile: the profile names its server, and its "
                             "token must go to that server only.",
                             hint="Drop --base-url, or drop the profile (--profile / SENTRY_PROFILE).")
        sources["profile"] = f"{profile.name} ({profile_source})"
        # Only the profile's own layer: the environment's server, token, org and project belong elsewhere.
        layers = [("profile " + profile.name, {key: (value, key) for key, value in (
            ("base_url", profile.base_url), ("org", profile.org), ("project", profile.project)) if value})]
        if profile.token_env:  # its token: the variable it names, from the environment or a .env file
            found = [environ.get(profile.token_env)] + [v.get(profile.token_env) for v in read_dotenv_files(cwd)]
            token_value = next((value for value in found if value), None)
            if token_value:
                layers[0][1]["token"] = (token_value, profile.token_env)
    token, sources["token"] = (None, None) if demo else pick("token")
    base_raw, sources["base_url"] = pick("base_url", getattr(args, "base_url", None))
    org, sources["org"] = pick("org", getattr(args, "org", None))
    project_flag = getattr(args, "project", None)
    if isinstance(project_flag, list):  # list-issues takes --project repeatedly
        project_flag = project_flag[0] if project_flag else None
    project, sources["project"] = pick("project", project_flag)

    if demo:
        base_url, org = DEMO_BASE_URL, org or DEMO_ORG
    else:
        base_url = normalize_base_url(base_raw or DEFAULT_BASE_URL, insecure)
    token_hosts = {urlsplit(base_url).netloc}
    payload = org_token_payload(token or "")
    if payload:
        region = payload.get("region_url")
        if region and base_raw is None:
            base_url = normalize_base_url(region, insecure)
            token_hosts.add(urlsplit(base_url).netloc)
            sources["base_url"] = "region of the organization token"
        if not org and payload.get("org"):
            org, sources["org"] = payload["org"], "organization token"

    timeout = getattr(args, "timeout", None) or 30.0
    return Settings(
        base_url=base_url, token=token, org=org, project=project, allow_write=allow_write,
        demo=demo, timeout=float(timeout), allow_insecure_http=insecure,
        verbose=bool(getattr(args, "verbose", False)), token_hosts=token_hosts,
        sources={k: v for k, v in sources.items() if v},
        route_cache=None if demo else cache_file(environ, home), profile=profile,
    )


def require_token(settings: Settings) -> None:
    if settings.demo or settings.token:
        return
    raise missing_token_error(settings, org_missing=not settings.org)


def missing_token_error(settings: Settings, org_missing: bool) -> ConfigError:
    profile = settings.profile
    if profile is not None:
        where = (f"the variable {profile.token_env} it names is not set" if profile.token_env
                 else "it names no token_env")
        return ConfigError(f"No auth token for profile {profile.name!r}, as {where}.",
                           hint=f"Export {profile.token_env or 'SENTRY_<NAME>_TOKEN'}=<token> (or put it in a "
                                ".env file), and name it with token_env in the profile.")
    return ConfigError(
        "No Sentry auth token found" + (" and no organization configured." if org_missing else "."),
        hint=(
            "Create a token with the scopes " + READ_SCOPES + " (Sentry > Settings > Account > "
            f"Personal Tokens, or {settings.base_url}/settings/account/api/auth-tokens/), then "
            "export SENTRY_AUTH_TOKEN=<token> or put SENTRY_AUTH_TOKEN=<token> in a .env file here. "
            "Add SENTRY_ORG=<org slug>. To try the tool without an account, add --demo."
        ),
    )
