"""The command table: every command, one entry each, grouped by resource.

Each group module declares its entries in `COMMANDS` (see spec.py for what an
entry holds); the parser, the engine, the docs and the contract tests read
them from here and from nowhere else.
"""

from . import account, api, digest, discover, events, issues, keys, members, orgs, projects, releases, stats, tags, teams

TABLE = (*issues.COMMANDS, *digest.COMMANDS, *tags.COMMANDS, *events.COMMANDS, *orgs.COMMANDS, *projects.COMMANDS, *keys.COMMANDS,
         *teams.COMMANDS, *members.COMMANDS, *releases.COMMANDS, *stats.COMMANDS, *discover.COMMANDS,
         *account.COMMANDS, *api.COMMANDS)
GROUPS = tuple(dict.fromkeys(entry.group for entry in TABLE))


def find(name: str):
    return next(entry for entry in TABLE if entry.name == name)
