#!/usr/bin/env python3
"""Start-up cost of a command as a user runs it, against importing its dependency.

A read command's whole process (interpreter, our imports, the parse, one request
to the loopback stand-in, the output) is timed against
`python3 -c 'import requests, json'` (the floor: what any Python client of the
API pays). Runs are paired, A B A B ..., after a warm-up that also leaves the
bytecode cached; each pair gives one ratio A/B, so a drift in the machine's speed
moves both sides of a pair. Prints the medians and the median paired ratio.

  python3 bench/startup.py              # 9 pairs per command
  python3 bench/startup.py --pairs 21
  python3 bench/startup.py --script /tmp/old/scripts/sentry_api.py   # another checkout, for a before/after

Not a test: timings on a shared machine are noisy; tests/test_startup.py guards
what makes start-up cheap (which modules a run imports) without timing anything.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from standin import TOKEN, StandIn  # noqa: E402

SCRIPT = str(ROOT / "scripts" / "sentry_api.py")
COMMANDS = [
    ("issue-detail BACKEND-C", ["issue-detail", "BACKEND-C"]),
    ("list-issues --limit 20", ["list-issues", "--limit", "20"]),
    ("--help", ["--help"]),
]
FLOOR = "import requests, json"


def wall_ms(argv: list, env: dict) -> float:
    started = time.perf_counter()
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    elapsed = (time.perf_counter() - started) * 1000
    if done.returncode:
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr.decode()[:500]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", type=int, default=9, help="paired runs per command (default 9)")
    parser.add_argument("--warmup", type=int, default=2, help="unpaired runs of each side first (default 2)")
    parser.add_argument("--script", default=SCRIPT, help="the entry point to time (default: this checkout's)")
    options = parser.parse_args()
    python = sys.executable
    floor = [python, "-c", FLOOR]
    print(f"{options.pairs} pairs per command after {options.warmup} warm-up runs, Python "
          f"{sys.version.split()[0]}, {os.cpu_count()} cores; B = python3 -c '{FLOOR}'\n")
    print("| command (A) | A median ms | B median ms | median A/B of pairs | min A/B | max A/B |")
    print("|---|---:|---:|---:|---:|---:|")
    with StandIn("sentry") as server:
        # As a user runs it: bytecode written on the first run and read after (the warm-up writes it).
        env = {k: v for k, v in os.environ.items() if not k.startswith("SENTRY_") and k != "PYTHONDONTWRITEBYTECODE"}
        env.update(SENTRY_BASE_URL=server.url, SENTRY_AUTH_TOKEN=TOKEN, SENTRY_ORG="acme")
        for label, argv in COMMANDS:
            command = [python, options.script, *argv]
            for _ in range(options.warmup):
                wall_ms(command, env)
                wall_ms(floor, env)
            a_times, b_times = [], []
            for _ in range(options.pairs):
                a_times.append(wall_ms(command, env))
                b_times.append(wall_ms(floor, env))
            ratios = [a / b for a, b in zip(a_times, b_times)]
            print(f"| `{label}` | {statistics.median(a_times):.1f} | {statistics.median(b_times):.1f} "
                  f"| {statistics.median(ratios):.2f} | {min(ratios):.2f} | {max(ratios):.2f} |")


if __name__ == "__main__":
    main()
