"""On Postgres, pages reuse pooled connections: under ASGI each request runs in a new thread, where
a persistent connection would never be found again, so without the pool every page opened one."""
import pytest
from asgiref.sync import ThreadSensitiveContext, async_to_sync, sync_to_async
from django.db import close_old_connections, connection


def backend_pid_as_a_request_would():
    # What a request's thread does: use the database, then Django's request_finished handler.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    close_old_connections()
    return pid


@pytest.mark.django_db(transaction=True)  # other threads: no test transaction to share
def test_requests_in_threads_of_their_own_share_a_few_postgres_connections():
    if connection.vendor != "postgresql":
        pytest.skip("the pool is for Postgres (CI runs the suite on Postgres too)")
    assert connection.settings_dict["OPTIONS"].get("pool")

    async def requests(count):
        pids = []
        for _ in range(count):
            async with ThreadSensitiveContext():  # as Django's ASGIHandler wraps each request
                pids.append(await sync_to_async(backend_pid_as_a_request_would)())
        return pids

    pids = async_to_sync(requests)(12)
    assert len(set(pids)) <= 2, pids
