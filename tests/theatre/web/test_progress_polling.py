"""The polling fallback: the status endpoint says the same as the WebSocket, queue place included."""
import pytest
from django.urls import reverse

from inference import jobs
from theatre.services import casting
from theatre.stock.loading import load_stock

from tests.support.short_films import short_film


@pytest.fixture
def film(alice, private_media, redis_conn, settings, django_capture_on_commit_callbacks):
    settings.THEATRE_BACKEND = "preview"
    load_stock()
    film = short_film(alice, shots=1)
    with django_capture_on_commit_callbacks(execute=True):
        casting.request_render(film, alice)
    return film


def status(client, film):
    response = client.get(reverse("theatre:film_status", args=[film.pk]))
    return response.status_code, response.json() if response.status_code == 200 else None


def test_it_reports_queued_with_the_place_in_the_queue_then_done(client, alice, film):
    client.force_login(alice)
    code, queued = status(client, film)
    assert code == 200 and queued["status"] == "queued" and queued["queue_position"] == 1 and not queued["done"]
    jobs.render_film(film.pk)
    code, done = status(client, film)
    assert done["status"] == "done" and done["done"] and done["progress"] == 100 and done["backend"] == "preview"
    assert "queue_position" not in done


def test_it_hides_the_film_from_others(client, bob, film):
    client.force_login(bob)
    assert status(client, film)[0] == 404


def test_it_asks_a_stranger_to_log_in(client, film):
    assert client.get(reverse("theatre:film_status", args=[film.pk])).status_code == 302
