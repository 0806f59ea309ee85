"""One module per resource group; each exposes `register(subparsers, common)`."""

from . import events, issues, triage

MODULES = (issues, events, triage)
