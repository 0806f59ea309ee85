#!/usr/bin/env python3
"""Measure what agents feel: output size against the raw API, requests, wall time.

Starts the loopback stand-in (tests/standin.py: real recorded bodies, as
sentry.io's paths answer them), runs each command as a fresh process several
times, and prints a Markdown table with medians.

  python3 bench/bench.py              # 7 runs per command
  python3 bench/bench.py --runs 15
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
SCENARIOS = [
    ("--help", ["--help"]),
    ("list-issues --limit 20", ["list-issues", "--limit", "20", "--query", ""]),
    ("issue-detail BACKEND-C", ["issue-detail", "BACKEND-C"]),
    ("issue-detail BACKEND-C --latest-event", ["issue-detail", "BACKEND-C", "--latest-event"]),
    ("issue-events BACKEND-C", ["issue-events", "BACKEND-C"]),
    ("event-detail latest --issue BACKEND-C", ["event-detail", "latest", "--issue", "BACKEND-C"]),
    ("event-detail latest --issue BACKEND-C --stacktrace", ["event-detail", "latest", "--issue", "BACKEND-C", "--stacktrace"]),
    ("lookup-short-id FRONTEND-6", ["lookup-short-id", "FRONTEND-6"]),
]


def run_once(server, argv, env):
    before = len(server.log)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, SCRIPT, *argv], capture_output=True, env=env)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{argv} failed: {done.stderr.decode()}")
    requests = server.log[before:]
    return elapsed, len(done.stdout), len(requests), sum(r["response_bytes"] for r in requests)


def _time(argv) -> float:
    started = time.perf_counter()
    subprocess.run(argv, capture_output=True)
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    options = parser.parse_args()
    with StandIn("sentry") as server:
        env = {**{k: v for k, v in os.environ.items() if not k.startswith("SENTRY_")},
               "SENTRY_BASE_URL": server.url, "SENTRY_AUTH_TOKEN": TOKEN, "SENTRY_ORG": "acme"}
        print(f"{options.runs} runs per command, Python {sys.version.split()[0]}, loopback stand-in\n")
        print("| command | raw API bytes | output bytes | output/raw | ~tokens | requests | median ms | min ms |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        bare = [_time([sys.executable, "-c", "pass"]) for _ in range(options.runs)]
        print(f"| `python3 -c pass` (interpreter start, for scale) | - | - | - | - | 0 "
              f"| {statistics.median(bare):.0f} | {min(bare):.0f} |")
        for label, argv in SCENARIOS:
            samples = [run_once(server, argv, env) for _ in range(options.runs)]
            times = [s[0] * 1000 for s in samples]
            _, out_bytes, requests, raw_bytes = samples[-1]
            ratio = f"{out_bytes / raw_bytes:.1%}" if raw_bytes else "-"
            print(f"| `{label}` | {raw_bytes or '-'} | {out_bytes} | {ratio} | {out_bytes // 4} | {requests} "
                  f"| {statistics.median(times):.0f} | {min(times):.0f} |")


if __name__ == "__main__":
    main()
