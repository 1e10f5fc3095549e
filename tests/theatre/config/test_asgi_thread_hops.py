"""Under ASGI a page costs a few thread hand-offs, not one per middleware: theatre.config.middleware.SyncChain
keeps Django's middleware chain in one thread (about 20 hand-offs per page without it)."""
import asgiref.sync
import pytest
from asgiref.sync import async_to_sync
from channels.testing import HttpCommunicator

from theatre.config.asgi import application


# The page runs in another thread with its own database connection: it must see committed rows.
@pytest.mark.django_db(transaction=True)
def test_a_page_through_the_asgi_app_hops_to_a_thread_at_most_four_times(client, alice, monkeypatch, redis_conn):
    client.force_login(alice)  # a logged-in page: sessions, auth, messages and CSRF all take part
    cookie = f"sessionid={client.cookies['sessionid'].value}".encode()
    hops = []
    original = asgiref.sync.SyncToAsync.__call__

    async def counting(self, *args, **kwargs):
        hops.append(getattr(self.func, "__qualname__", repr(self.func)))
        return await original(self, *args, **kwargs)

    monkeypatch.setattr(asgiref.sync.SyncToAsync, "__call__", counting)

    async def get():
        return await HttpCommunicator(application, "GET", "/notifications/", headers=[(b"host", b"testserver"), (b"cookie", cookie)]).get_response(timeout=20)

    response = async_to_sync(get)()
    assert response["status"] == 200, response["body"][:500]
    assert b"@alice" in response["body"]  # really the logged-in page, through every middleware
    # Django's request_started signal, the middleware chain, CSRF's process_view and the view itself.
    assert len(hops) <= 4, hops
