"""Benchmark: 500 WebSocket progress subscribers on one Daphne process, each receiving every event.

    REDIS_URL=redis://127.0.0.1:6379/8 python bench/ws_fanout.py [--subscribers 500] [--events 20]

Starts a site (Daphne only, SQLite, the Redis channel layer), opens N WebSockets to one film's
progress as its owner (N tabs), then sends events from another process through
inference.progress.broadcast, as a render worker does. Prints the delay from send to arrival
(p50, p99, max) and how many subscribers received every event in order.
"""
import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import sitekit  # noqa: E402
from tests.support.fanout import run_fan_out  # noqa: E402
from tests.support.live_site import LiveSite  # noqa: E402


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--subscribers", type=int, default=500)
    parser.add_argument("--events", type=int, default=20)
    parser.add_argument("--interval", type=float, default=0.25, help="seconds between events")
    args = parser.parse_args()
    redis = sitekit.ensure_redis()
    var = Path(tempfile.mkdtemp(prefix="bench-ws-"))
    try:
        with LiveSite(var, redis_db=8, workers=()) as site:
            started = time.perf_counter()
            received = run_fan_out(site, args.subscribers, args.events, args.interval)
            elapsed = time.perf_counter() - started
    finally:
        if redis:
            redis.terminate()
        shutil.rmtree(var, ignore_errors=True)
    delays = [(at - event["sent"]) * 1000 for events in received for at, event in events]
    complete = sum(1 for events in received if [e["seq"] for _at, e in events] == list(range(args.events)))
    expected = args.subscribers * args.events
    print(f"{args.subscribers} subscribers on one Daphne process, {args.events} events {args.interval} s apart "
          f"(run took {elapsed:.1f} s including connecting)")
    print(f"delivered {len(delays)}/{expected} events; subscribers with every event in order: "
          f"{complete}/{args.subscribers}")
    if delays:
        print(f"delay send -> arrival: p50 {statistics.median(delays):.1f} ms, p99 {percentile(delays, 0.99):.1f} ms, "
              f"max {max(delays):.1f} ms")


if __name__ == "__main__":
    main()
