"""A render lost too many times fails the one way every film fails: the row says why, and the
owner's open page hears it (before, the reconciler wrote the row and told nobody)."""
import asyncio

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from inference.progress import film_group
from inference.reconcile import LOST_RENDER, MAX_ATTEMPTS, reconcile_films
from tests.support.filmmaking import make_film
from theatre.models import Film


def test_a_film_lost_too_often_fails_and_its_open_page_is_told(alice, redis_conn, django_capture_on_commit_callbacks):
    film = make_film(alice, status=Film.Status.RENDERING, with_files=False, job_id="gone-from-redis",
                     render_attempts=MAX_ATTEMPTS)
    layer = get_channel_layer()
    page = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(film_group(film.pk), page)

    with django_capture_on_commit_callbacks(execute=True):
        requeued, failed = reconcile_films()

    assert (requeued, failed) == ([], [film.pk])
    film.refresh_from_db()
    assert (film.status, film.failure_reason) == (Film.Status.FAILED, LOST_RENDER)
    async def next_message():
        return await asyncio.wait_for(layer.receive(page), timeout=5)

    event = async_to_sync(next_message)()["event"]
    assert (event["id"], event["status"], event["failure_reason"]) == (film.pk, "failed", LOST_RENDER)
