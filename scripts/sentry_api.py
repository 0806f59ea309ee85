#!/usr/bin/env python3
"""Entry point: `python3 scripts/sentry_api.py COMMAND ...` (see SKILL.md).

Python puts this file's folder on sys.path, so the sentry_skill package beside
it imports without installation.
"""

import sys

from sentry_skill.cli import main

if __name__ == "__main__":
    sys.exit(main())
