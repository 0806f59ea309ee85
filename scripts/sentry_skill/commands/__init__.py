"""The command table: every command, one entry each, grouped by resource.

Each group module declares its entries in `COMMANDS` (see spec.py for what an
entry holds); the parser, the engine, the docs and the contract tests read
them from here and from nowhere else.

A run needs one entry: `find` imports only the module that declares it, since
importing every group would cost each command's start-up several milliseconds.
`TABLE`, every entry in order, is built the first time something asks for it
(--help, the docs, the tests).
"""

from importlib import import_module

# The group modules, in the table's order. A new group module goes here.
MODULES = ("issues", "digest", "tags", "events", "orgs", "projects", "keys", "teams", "members", "releases",
           "stats", "discover", "account", "api")

# The module that declares each command, written from every module's COMMANDS by
# tools/gen_docs.py (run it after adding a command; tests/test_docs.py fails while it is stale).
# generated:index
MODULE_OF = {
    "list-issues": "issues", "issue-detail": "issues", "lookup-short-id": "issues", "update-issue": "issues",
    "bulk-update-issues": "issues", "bulk-delete-issues": "issues", "delete-issue": "issues",
    "digest": "digest",
    "issue-tags": "tags", "issue-hashes": "tags",
    "issue-events": "events", "list-events": "events", "event-detail": "events", "lookup-event-id": "events",
    "list-orgs": "orgs", "org-detail": "orgs", "update-org": "orgs",
    "list-projects": "projects", "project-detail": "projects", "create-project": "projects",
    "update-project": "projects", "delete-project": "projects", "project-users": "projects",
    "list-keys": "keys", "create-key": "keys", "delete-key": "keys",
    "list-teams": "teams", "team-detail": "teams", "team-projects": "teams", "team-members": "teams",
    "create-team": "teams", "update-team": "teams", "delete-team": "teams",
    "list-members": "members", "member-detail": "members", "invite-member": "members", "update-member": "members",
    "remove-member": "members",
    "list-releases": "releases", "release-detail": "releases", "create-release": "releases",
    "update-release": "releases", "delete-release": "releases", "release-commits": "releases",
    "list-deploys": "releases", "create-deploy": "releases",
    "org-stats": "stats", "project-stats": "stats",
    "search-events": "discover",
    "whoami": "account", "list-profiles": "account",
    "api": "api", "verify-webhook": "api",
}
# /generated:index


def find(name: str):
    """The entry of one command, importing only its own group's module."""
    module = import_module(f"{__name__}.{MODULE_OF[name]}")
    return next(entry for entry in module.COMMANDS if entry.name == name)


def __getattr__(name: str):
    """`TABLE` (every entry, in order) and `GROUPS`, built on first use."""
    if name not in ("TABLE", "GROUPS"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    table = tuple(entry for module in MODULES for entry in import_module(f"{__name__}.{module}").COMMANDS)
    globals().update(TABLE=table, GROUPS=tuple(dict.fromkeys(entry.group for entry in table)))
    return globals()[name]
