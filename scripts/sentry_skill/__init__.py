"""Sentry API skill: triage Sentry issues and events with compact, redacted JSON."""

__version__ = "0.1.0"
