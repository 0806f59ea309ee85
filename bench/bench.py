#!/usr/bin/env python3
"""Measure what agents feel: output size against the raw API, requests, wall time, memory.

Starts the loopback stand-in (tests/standin.py: real recorded bodies, as
sentry.io's paths answer them), runs each command as a fresh process several
times, and prints Markdown tables with medians.

  python3 bench/bench.py                    # 7 runs per command
  python3 bench/bench.py --runs 15
  python3 bench/bench.py --compare "sentry-cli issues list -o acme -p backend"
  (sentry-cli: `npm install @sentry/cli`; its binary comes inside the registry package)

--compare runs any other command line the same way, with SENTRY_URL,
SENTRY_BASE_URL, SENTRY_HOST, SENTRY_AUTH_TOKEN and SENTRY_ORG pointing at the
stand-in, so a peer can be timed side by side (requests are counted too).
"""

from __future__ import annotations

import argparse
import os
import shlex
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from standin import TOKEN, StandIn  # noqa: E402

SCRIPT = str(ROOT / "scripts" / "sentry_api.py")
SCENARIOS = [
    ("--help", ["--help"]),
    ("list-issues --limit 20", ["list-issues", "--limit", "20", "--query", ""]),
    ("list-issues --project backend --query ''", ["list-issues", "--project", "backend", "--query", ""]),
    ("issue-detail BACKEND-C", ["issue-detail", "BACKEND-C"]),
    ("issue-detail BACKEND-C --latest-event", ["issue-detail", "BACKEND-C", "--latest-event"]),
    ("issue-events BACKEND-C", ["issue-events", "BACKEND-C"]),
    ("event-detail latest --issue BACKEND-C", ["event-detail", "latest", "--issue", "BACKEND-C"]),
    ("event-detail latest --issue BACKEND-C --stacktrace",
     ["event-detail", "latest", "--issue", "BACKEND-C", "--stacktrace"]),
    ("lookup-short-id FRONTEND-6", ["lookup-short-id", "FRONTEND-6"]),
]
WALKS = [("list-issues --limit 100", 100), ("list-issues --limit 1000", 1000)]


def run_once(server, argv, env):
    """Wall ms, stdout bytes, requests, raw response bytes, peak RSS (MB) of one process."""
    before = len(server.log)
    started = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    err_chunks: list = []
    reader = threading.Thread(target=lambda: err_chunks.append(child.stderr.read()))
    reader.start()
    out = child.stdout.read()
    reader.join()
    _, status, usage = os.wait4(child.pid, 0)  # this child's own peak memory, not all children's
    child.returncode = os.waitstatus_to_exitcode(status)
    elapsed = (time.perf_counter() - started) * 1000
    if child.returncode:
        raise SystemExit(f"{' '.join(argv)} failed ({child.returncode}): {b''.join(err_chunks).decode()[:500]}")
    requests = server.log[before:]
    return elapsed, len(out), len(requests), sum(r["response_bytes"] for r in requests), usage.ru_maxrss / 1024


def environment(server) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SENTRY_")}
    env.update(SENTRY_BASE_URL=server.url, SENTRY_URL=server.url, SENTRY_HOST=server.url,
               SENTRY_AUTH_TOKEN=TOKEN, SENTRY_ORG="acme")
    return env


def table(server, rows, runs, env):
    print("| command | raw API bytes | output bytes | output/raw | ~tokens | requests | median ms | min ms |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for label, argv in rows:
        samples = [run_once(server, argv, env) for _ in range(runs)]
        times = [s[0] for s in samples]
        _, out_bytes, requests, raw_bytes, _ = samples[-1]
        ratio = f"{out_bytes / raw_bytes:.1%}" if raw_bytes else "-"
        print(f"| `{label}` | {raw_bytes or '-'} | {out_bytes} | {ratio} | {out_bytes // 4} | {requests} "
              f"| {statistics.median(times):.0f} | {min(times):.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--compare", action="append", default=[], metavar="COMMAND",
                        help="another CLI's command line to time against the same stand-in")
    options = parser.parse_args()
    python = sys.executable
    print(f"{options.runs} runs per command, Python {sys.version.split()[0]}, {os.cpu_count()} cores, "
          "loopback stand-in serving recorded bodies\n")
    with StandIn("sentry") as server:
        env = environment(server)
        bare = [run_once(server, [python, "-c", "pass"], env)[0] for _ in range(options.runs)]
        print(f"Interpreter start alone (`python3 -c pass`): median {statistics.median(bare):.0f} ms\n")
        rows = [(label, [python, SCRIPT, *argv]) for label, argv in SCENARIOS]
        rows += [(f"other: {command}", shlex.split(command)) for command in options.compare]
        table(server, rows, options.runs, env)

    print("\nWalking a long list (stand-in with 1,000 generated issues shaped like the recorded ones):\n")
    print("| command | requests | page sizes | output bytes | median ms | peak RSS MB |")
    print("|---|---:|---|---:|---:|---:|")
    with StandIn("sentry", generated_issues=1000) as server:
        env = environment(server)
        for label, limit in WALKS:
            argv = [python, SCRIPT, "list-issues", "--query", "", "--limit", str(limit)]
            samples = []
            for _ in range(max(3, options.runs // 2)):
                before = len(server.log)
                samples.append(run_once(server, argv, env))
                sizes = [e["query"]["limit"][0] for e in server.log[before:]]
            times = [s[0] for s in samples]
            _, out_bytes, requests, _, _ = samples[-1]
            peak = max(s[4] for s in samples)
            print(f"| `{label}` | {requests} | {'+'.join(sizes)} | {out_bytes} | {statistics.median(times):.0f} "
                  f"| {peak:.1f} |")


if __name__ == "__main__":
    main()
