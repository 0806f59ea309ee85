"""Named server profiles: one agent, several Sentry servers side by side.

A profile is a section of a small INI file (configparser: Python 3.10 has no
tomllib) naming a server's `base_url`, `org`, default `project` and `token_env`,
the NAME of the environment variable that holds that server's token:

    [selfhosted]
    base_url = https://sentry.example.com
    org = acme
    project = backend
    token_env = SENTRY_SELFHOSTED_TOKEN

The file is $SENTRY_PROFILES_FILE, else $XDG_CONFIG_HOME/sentry-api/profiles.ini,
else ~/.config/sentry-api/profiles.ini. A token written in the file is refused:
the file is plain configuration, listed by list-profiles, copied and backed up
like any dotfile; secrets stay in the environment (or a .env file).
Nothing here talks to the network.
"""

from __future__ import annotations

import configparser
import re
from pathlib import Path
from typing import NamedTuple

from .errors import ConfigError, UsageError

KEYS = ("base_url", "org", "project", "token_env")
TOKEN_KEYS = ("token", "auth_token", "auth-token", "sentry_auth_token")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class Profile(NamedTuple):
    name: str
    base_url: str
    org: str | None
    project: str | None
    token_env: str | None


def profiles_file(environ, home: Path) -> Path:
    if environ.get("SENTRY_PROFILES_FILE"):
        return Path(environ["SENTRY_PROFILES_FILE"]).expanduser()
    config_home = environ.get("XDG_CONFIG_HOME")
    return (Path(config_home) if config_home else home / ".config") / "sentry-api" / "profiles.ini"


def read_profiles(path: Path) -> dict:
    """Every profile of the file, checked: {} when there is no file."""
    if not path.exists():
        return {}
    parser = configparser.ConfigParser(interpolation=None, default_section="\x00none")
    try:
        with open(path, encoding="utf-8") as handle:
            parser.read_file(handle)
    except (OSError, UnicodeDecodeError, configparser.Error) as error:
        raise ConfigError(f"The profiles file {path} cannot be read: {type(error).__name__}.",
                          hint="It is an INI file: one [NAME] section per server with base_url, org, "
                               "project and token_env.") from None
    found = {}
    for name in parser.sections():
        section = parser[name]
        held = [key for key in section if key.lower() in TOKEN_KEYS]
        if held:
            raise ConfigError(f"Profile {name!r} in {path} holds a token in clear ({held[0]}); refused.",
                              hint="Put the token in an environment variable (or a .env file) and name "
                                   "that variable: token_env = SENTRY_<NAME>_TOKEN.")
        unknown = sorted(set(section) - set(KEYS))
        if unknown:
            raise ConfigError(f"Profile {name!r} in {path} has unknown keys: {', '.join(unknown)}.",
                              hint="A profile takes " + ", ".join(KEYS) + ".")
        values = {key: section.get(key, "").strip() or None for key in KEYS}
        if not values["base_url"]:
            raise ConfigError(f"Profile {name!r} in {path} names no base_url.",
                              hint="Add e.g. base_url = https://sentry.io to the section.")
        token_env = values["token_env"]
        if token_env and not _ENV_NAME.fullmatch(token_env):
            raise ConfigError(f"Profile {name!r} in {path}: token_env is not an environment variable's name.",
                              hint="token_env names the variable holding the token (e.g. SENTRY_IO_TOKEN), "
                                   "never the token itself.")
        found[name] = Profile(name, values["base_url"], values["org"], values["project"], token_env)
    return found


def find_profile(name: str, path: Path) -> Profile:
    known = read_profiles(path)
    if not known:
        raise ConfigError(f"Profile {name!r} asked for, but {path} holds no profiles.",
                          hint="Create it (one [NAME] section per server), or set SENTRY_PROFILES_FILE.")
    if name not in known:
        raise UsageError(f"No profile {name!r} in {path}.", hint="Known: " + ", ".join(sorted(known)) + ".")
    return known[name]
