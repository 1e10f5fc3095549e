"""Queue latency: from enqueue to the start of the job on a warm RQ worker.

Run: `python bench/queue_latency.py [--jobs 200]`. Uses REDIS_URL (a database of its own, say
redis://127.0.0.1:6379/9; the queue is emptied) or starts `redis-server` on a free port. A real
`rq worker` SimpleWorker process (as our GPU workers run: no fork per job) serves a queue of no-op
jobs; each job is enqueued only when the worker is idle, so the figure is the warm path a user's
render takes. Prints median and p95 in ms, and the ratio to a Redis PING round trip measured in
the same run. Target: median under 50 ms.
"""
import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
QUEUE = "bench-latency"


def started_at():
    """The job: report when it began, on the worker's clock (the same machine's)."""
    return time.time()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_redis():
    """A throwaway redis-server in the foreground of a child process (a daemonized one can linger)."""
    binary = shutil.which("redis-server")
    if not binary:
        sys.exit("No REDIS_URL and no redis-server on PATH: set REDIS_URL=redis://HOST:PORT/DB.")
    port = free_port()
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                                "--dir", tempfile.mkdtemp()], stdout=subprocess.DEVNULL)
    return process, f"redis://127.0.0.1:{port}/0"


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def ping_round_trip(connection, count):
    times = []
    for _ in range(count):
        start = time.perf_counter()
        connection.ping()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=200)
    args = parser.parse_args()
    from redis import Redis
    from rq import Queue

    server, url = (None, os.environ["REDIS_URL"]) if os.environ.get("REDIS_URL") else start_redis()
    connection = Redis.from_url(url)
    for _ in range(50):
        try:
            connection.ping()
            break
        except Exception:  # noqa: BLE001 - the server is still starting
            time.sleep(0.1)
    queue = Queue(QUEUE, connection=connection)
    queue.empty()
    rq = str(Path(sys.executable).with_name("rq"))
    worker = subprocess.Popen([rq, "worker", "--url", url, "--worker-class", "rq.worker.SimpleWorker",
                               "--path", str(ROOT), "--quiet", QUEUE], cwd=ROOT, stderr=subprocess.DEVNULL)
    try:
        # Warm up: the worker imports this module and connects before the first job it serves.
        queue.enqueue("bench.queue_latency.started_at").latest_result(timeout=30)
        latencies = []
        for _ in range(args.jobs):
            enqueued = time.time()
            job = queue.enqueue("bench.queue_latency.started_at", result_ttl=60)
            result = job.latest_result(timeout=10)
            if result is None or result.type != result.Type.SUCCESSFUL:
                sys.exit(f"A job did not finish: {result}")
            latencies.append(result.return_value - enqueued)
        ping = ping_round_trip(connection, args.jobs)
    finally:
        worker.terminate()
        worker.wait(10)
        queue.empty()
        if server:
            server.terminate()
            server.wait(10)
    median, p95 = statistics.median(latencies), percentile(latencies, 0.95)
    print(f"jobs: {len(latencies)} on a warm SimpleWorker, Redis at {url.rsplit('@', 1)[-1]}")
    print(f"enqueue -> job start: median {median * 1000:.2f} ms, p95 {p95 * 1000:.2f} ms, max {max(latencies) * 1000:.2f} ms")
    print(f"Redis PING round trip (baseline, same run): median {ping * 1000:.3f} ms")
    print(f"ratio median latency / PING: {median / ping:.1f}x; target median < 50 ms: {'met' if median < 0.05 else 'NOT met'}")


if __name__ == "__main__":
    main()
