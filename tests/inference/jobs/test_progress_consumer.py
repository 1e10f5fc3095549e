"""The progress WebSocket, through the whole ASGI stack (origin check, session auth, routing):
only the owner's session subscribes; it gets the current status first, then every event."""
import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator

from inference.progress import broadcast, film_group
from tests.support.filmmaking import make_film
from tests.support.live_site import logged_in_session
from theatre.config.asgi import application
from theatre.models import Film


@pytest.fixture
def film(alice, redis_conn):
    return make_film(alice, status=Film.Status.RENDERING, with_files=False, stage="shot", progress=40)


def communicator(film, session_key=None, origin="http://testserver"):
    headers = [(b"origin", origin.encode())]
    if session_key:
        headers.append((b"cookie", f"sessionid={session_key}".encode()))
    return WebsocketCommunicator(application, f"/ws/film/{film.pk}/", headers=headers)


def test_the_owner_gets_the_current_status_then_each_event(film, alice):
    session_key = logged_in_session(alice)  # here, not in the coroutine: the ORM stays in the test's thread

    async def run():
        socket = communicator(film, session_key)
        connected, _ = await socket.connect()
        assert connected
        first = await socket.receive_json_from(timeout=5)
        assert (first["status"], first["stage"], first["progress"]) == ("rendering", "shot", 40)
        for step in (50, 60):
            await _broadcast(film, progress=step)
            assert (await socket.receive_json_from(timeout=5))["progress"] == step
        await socket.disconnect()

    async_to_sync(run)()


def test_another_user_is_refused_with_4403(film, bob):
    session_key = logged_in_session(bob)

    async def run():
        socket = communicator(film, session_key)
        connected, code = await socket.connect()
        # End the consumer as a closing browser does, so asyncio.run has no task left to cancel: a
        # cancelled blocking pop of the channel layer once hung a loaded CI run here.
        await socket.disconnect()
        assert not connected and code == 4403

    async_to_sync(run)()


def test_an_anonymous_visitor_is_refused_with_4403(film):
    async def run():
        socket = communicator(film)
        connected, code = await socket.connect()
        await socket.disconnect()
        assert not connected and code == 4403

    async_to_sync(run)()


def test_a_page_from_another_site_is_refused(film, alice):
    session_key = logged_in_session(alice)

    async def run():
        socket = communicator(film, session_key, origin="https://evil.example")
        connected, _ = await socket.connect()
        await socket.disconnect()
        assert not connected

    async_to_sync(run)()


async def _broadcast(film, **event):
    from asgiref.sync import sync_to_async

    await sync_to_async(broadcast)(film_group(film.pk), kind="film", id=film.pk, **event)


def test_a_subscriber_outlives_quiet_spells_longer_than_the_layers_blocking_read(film, alice, monkeypatch):
    """The consumer waits for messages in a blocking pop on Redis. Its socket read must outlast that
    pop: redis-py 8's default read timeout (5 s) ended it first and closed the socket. The pop is
    made 7 s here, so the default would fail every time; the site's setting must not."""
    from channels_redis.core import RedisChannelLayer

    monkeypatch.setattr(RedisChannelLayer, "brpop_timeout", 7)
    session_key = logged_in_session(alice)

    async def run():
        import asyncio

        socket = communicator(film, session_key)
        connected, _ = await socket.connect()
        assert connected
        await socket.receive_json_from(timeout=5)
        await asyncio.sleep(8)  # one whole pop passes with nothing to read, and the next begins
        await _broadcast(film, progress=70)
        assert (await socket.receive_json_from(timeout=5))["progress"] == 70
        await socket.disconnect()

    async_to_sync(run)()
