"""Benchmark: 50 concurrent clients against the template gallery, a shared film's watch page and a
film's status JSON, while renders run, on loopback. Needs `wrk` (Debian; `./run` installs it).

    REDIS_URL=redis://127.0.0.1:6379/8 python bench/load.py [--seconds 12] [--rounds 3] [--connections 50]

Starts a whole site (Daphne + one RQ worker on gpu, cpu and default + SQLite, as tests/support/live_site.py,
with production settings: DEBUG off) with the stock content, a few finished films and a share link,
keeps the render queue busy, then runs one wrk phase per URL, the phases taking turns over a few
rounds. Prints requests/s, p99 latency and errors for each, and the watch pages' throughput as a
ratio to the bare /healthz view measured in the same run: the target (>= 0.5, 0 errors) is for the
shared link's page, which a link posted in a group chat sends its crowd to; the logged-in page,
rendered for each viewer, is shown beside it.
"""
import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import sitekit  # noqa: E402


def wrk(url, seconds, connections, cookie=None):
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "5s", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = _ms(re.search(r"^\s*99%\s+(\S+)", out, re.M).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(bad.group(1)) if bad else 0) + (sum(map(int, sockets.groups())) if sockets else 0)
    total = int(re.search(r"(\d+) requests in", out).group(1))
    return {"rps": rps, "p99_ms": p99, "errors": errors, "requests": total}


def _ms(text):
    number, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def populate(films=4):
    """Alice with finished films and a share link, and a logged-in session for her."""
    from tests.support.filmmaking import make_avatar, make_film
    from theatre.models import ShareLink

    alice = sitekit.make_user("alice")
    twin = make_avatar(alice, "Ally")
    done = [make_film(alice, title=f"Balcony Duet {i}", cast=[twin]) for i in range(films)]
    link = ShareLink.objects.create(film=done[0])
    return alice, link


class RenderFeeder(threading.Thread):
    """Keeps a render or two waiting in the gpu queue, so the worker renders through every phase."""

    def __init__(self, owner):
        super().__init__(daemon=True)
        self.owner, self.stop, self.films = owner, threading.Event(), []

    def run(self):
        import django_rq
        from django.db import close_old_connections

        from theatre.services import casting
        from theatre.models import Script

        template = Script.objects.filter(is_template=True, language="en").order_by("pk").first()
        queue = django_rq.get_queue("gpu")
        while not self.stop.is_set():
            if queue.count < 2:
                film = casting.start_film(self.owner, template)
                casting.request_render(film, self.owner)
                self.films.append(film.pk)
            close_old_connections()
            self.stop.wait(0.5)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=12, help="per phase, over all rounds")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=50)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk (./run installs it)")
    redis = sitekit.ensure_redis()
    var = Path(tempfile.mkdtemp(prefix="bench-load-"))
    # Limits are for abuse, not for a benchmark that hammers from one address on purpose.
    unlimited = {"RATE_LIMITS": "off", "RENDERS_AT_ONCE": "1000", "RENDERS_PER_DAY": "100000"}
    site = sitekit.open_site(var, workers=[("gpu", "cpu", "default")], extra_env=unlimited, production=True)
    feeder = None
    try:
        alice, link = populate()
        session = sitekit.logged_in_session(alice)
        feeder = RenderFeeder(alice)
        feeder.start()
        time.sleep(2)  # the first render is under way before the clocks start
        status_film = feeder.films[-1]
        phases = [
            ("bare view /healthz", "/healthz", None),
            ("template gallery", "/templates/", None),
            # wrk keeps no cookies: a logged-out visitor, as from a chat app's link (no session).
            ("watch page, shared link", f"/s/{link.token}/", None),
            ("watch page, logged in", f"/films/{link.film_id}/", f"sessionid={session}"),
            ("film status JSON", f"/films/{status_film}/status/", f"sessionid={session}"),
        ]
        # The phases take turns in rounds, so that each one sees the renders in every stage (a
        # render's voice, shot and assembly steps load the CPU differently) and the ratios compare
        # like with like. Requests and errors add up over the rounds; p99 is the worst round's.
        slice_seconds = max(1, args.seconds // args.rounds)
        for _name, path, cookie in phases:  # warm up: the first request of a page loads its code
            wrk(site.url + path, 1, 2, cookie)
        results = {name: {"rps": 0.0, "p99_ms": 0.0, "errors": 0, "requests": 0} for name, _p, _c in phases}
        print(f"{args.connections} connections, {args.rounds} rounds of {slice_seconds} s per phase, renders running\n")
        for _round in range(args.rounds):
            for name, path, cookie in phases:
                result, total = wrk(site.url + path, slice_seconds, args.connections, cookie), results[name]
                total["requests"] += result["requests"]
                total["errors"] += result["errors"]
                total["p99_ms"] = max(total["p99_ms"], result["p99_ms"])
                total["rps"] += result["rps"] / args.rounds
        print(f"{'phase':28} {'req/s':>9} {'p99 ms':>9} {'errors':>7} {'requests':>9}")
        for name, result in results.items():
            print(f"{name:28} {result['rps']:9.1f} {result['p99_ms']:9.1f} {result['errors']:7d} {result['requests']:9d}", flush=True)
        feeder.stop.set()
        from theatre.models import Film

        rendered = Film.objects.filter(pk__in=feeder.films, status=Film.Status.DONE).count()
        bare = results["bare view /healthz"]["rps"]
        shared, logged_in = results["watch page, shared link"]["rps"] / bare, results["watch page, logged in"]["rps"] / bare
        errors = sum(r["errors"] for r in results.values())
        print(f"\nrenders finished during the run: {rendered}")
        print(f"watch page / bare view throughput: shared link {shared:.2f} (target >= 0.5), "
              f"logged in {logged_in:.2f}; errors: {errors} (target 0)")
    finally:
        if feeder:
            feeder.stop.set()
        site.stop()
        if redis:
            redis.terminate()
        shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
