"""Many WebSocket subscribers to one film's live progress on a LiveSite, and events broadcast to
them from another process, as a render worker would: for the fan-out test and bench/ws_fanout.py."""
import asyncio
import json
import subprocess
import sys
import time

from tests.support.live_site import BASE_DIR

# Runs in the site's own environment (its database): one owner, one rendering film, one session.
SEED = """
from tests.support.users import make_user
from tests.support.filmmaking import make_film
from tests.support.live_site import logged_in_session
from theatre.models import Film
owner = make_user("fan")
film = make_film(owner, title="Fan-out", status=Film.Status.RENDERING, with_files=False)
print(film.pk, logged_in_session(owner))
"""

# Sends `count` progress events to the film's group every `interval` seconds, stamped with the
# wall-clock time they left, through the same helper the render job uses.
BROADCAST = """
import sys, time
from inference.progress import broadcast, film_group
film_id, count, interval = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
for seq in range(count):
    broadcast(film_group(film_id), kind="film", id=film_id, stage="shot", progress=seq, seq=seq, sent=time.time())
    time.sleep(interval)
"""


def seed_film_and_session(site):
    out = subprocess.run([sys.executable, "manage.py", "shell", "-c", SEED], cwd=BASE_DIR, env=site.env,
                         check=True, capture_output=True, text=True).stdout.split()
    return int(out[-2]), out[-1]


def broadcast_from_another_process(site, film_id, count, interval):
    code = "import django; django.setup()\n" + BROADCAST
    subprocess.run([sys.executable, "-c", code, str(film_id), str(count), str(interval)], cwd=BASE_DIR,
                   env=site.env, check=True, timeout=60 + count * interval)


async def open_subscribers(site, film_id, session_key, count, parallel=50):
    """`count` tabs of the film's owner, each connected and past its first message (the current
    status), so none misses an event sent afterwards."""
    from websockets.asyncio.client import connect

    url = site.url.replace("http://", "ws://") + f"/ws/film/{film_id}/"
    gate = asyncio.Semaphore(parallel)

    async def one():
        async with gate:
            socket = await connect(url, origin=site.url, additional_headers={"Cookie": f"sessionid={session_key}"},
                                   open_timeout=60, max_queue=None, ping_interval=None)
            first = json.loads(await asyncio.wait_for(socket.recv(), 30))
            assert first["id"] == film_id, first
            return socket

    return await asyncio.gather(*(one() for _ in range(count)))


async def collect(socket, count, timeout):
    """(arrival time, event) for up to `count` events, stopping early when none comes for `timeout`."""
    received = []
    try:
        while len(received) < count:
            event = json.loads(await asyncio.wait_for(socket.recv(), timeout))
            received.append((time.time(), event))
    except Exception:  # noqa: BLE001 - a silent (timeout) or closed socket just stops the count here
        pass
    return received


async def fan_out(site, subscribers, events, interval):
    """Opens the subscribers, broadcasts from another process, and returns what each received."""
    film_id, session_key = seed_film_and_session(site)
    sockets = await open_subscribers(site, film_id, session_key, subscribers)
    try:
        # A generous silence before giving up: under a loaded CI machine 50 sockets on one Daphne can lag
        # for seconds; what is asserted is that every event arrives, in order, not how fast (see bench/ws_fanout.py).
        listeners = [asyncio.create_task(collect(socket, events, timeout=60 + events * interval)) for socket in sockets]
        await asyncio.to_thread(broadcast_from_another_process, site, film_id, events, interval)
        return await asyncio.gather(*listeners)
    finally:
        await asyncio.gather(*(socket.close() for socket in sockets), return_exceptions=True)


def run_fan_out(site, subscribers, events, interval):
    """fan_out from synchronous code, on a thread of its own: the test thread may hold an event
    loop already (Playwright's sync API keeps one there)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, fan_out(site, subscribers, events, interval)).result()
