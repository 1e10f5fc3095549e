"""Live render progress over the WebSocket: the owner's session sees every stage in order, with
shots, steps and a rising percent, then `done`; anyone else is refused before joining."""
import asyncio

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from inference import jobs
from theatre.services import casting
from theatre.config.asgi import application
from theatre.models import Film
from theatre.stock.loading import load_stock

from tests.support.short_films import short_film

pytestmark = pytest.mark.django_db(transaction=True)  # the consumer reads the rows from another thread


@pytest.fixture
def film(alice, private_media, redis_conn, settings):
    settings.THEATRE_BACKEND = "preview"
    load_stock()
    film = short_film(alice, seconds=0.5, shots=2)
    casting.request_render(film, alice)
    return film


def session_cookie(user):
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def communicator(film, user=None):
    headers = [(b"origin", b"http://testserver")]
    if user is not None:
        headers.append((b"cookie", f"sessionid={session_cookie(user)}".encode()))
    return WebsocketCommunicator(application, f"/ws/film/{film.pk}/", headers=headers)


def run(scenario):
    """Runs a coroutine function on its own thread's event loop: the browser tests leave
    Playwright's loop running in the main thread, where asyncio.run refuses to start."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, scenario()).result()


async def events_until_done(socket, timeout=30):
    events = []
    while not events or not events[-1].get("done") and events[-1].get("status") != "failed":
        events.append(await socket.receive_json_from(timeout=timeout))
    return events


def test_the_owner_sees_the_render_stage_by_stage_until_done(film, alice):
    async def scenario():
        socket = communicator(film, alice)
        connected, _ = await socket.connect()
        assert connected
        first = await socket.receive_json_from()
        await sync_to_async(jobs.render_film, thread_sensitive=False)(film.pk)
        events = [first] + await events_until_done(socket)
        await socket.disconnect()
        return events

    events = run(scenario)
    assert events[0]["status"] == "queued" and events[0]["queue_position"] == 1
    stages = [e["stage"] for e in events[1:]]
    assert stages[0] == "voices" and "shot" in stages and "assembling" in stages and stages[-1] == "done"
    assert stages.index("voices") < stages.index("shot") < stages.index("assembling")
    percents = [e["progress"] for e in events[1:]]
    assert percents == sorted(percents) and percents[-1] == 100
    shot_events = [e for e in events if e["stage"] == "shot"]
    assert shot_events and all(e["shots"] == 2 and 1 <= e["shot"] <= 2 and 1 <= e["step"] <= e["steps"] for e in shot_events)
    assert events[-1]["done"] is True and events[-1]["status"] == Film.Status.DONE


@pytest.mark.parametrize("who", ["bob", "anonymous"])
def test_anyone_but_the_owner_is_refused(film, bob, who):
    async def scenario():
        socket = communicator(film, bob if who == "bob" else None)
        connected, code = await socket.connect()
        await socket.disconnect()
        return connected, code

    connected, code = run(scenario)
    assert not connected and code == 4403
