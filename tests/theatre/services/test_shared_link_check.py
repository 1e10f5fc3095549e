"""A logged-out visit to a share link takes "the link still works" from the cache for a few
seconds (theatre/services/sharing.py, active_link_ids), so a link gone viral costs no database query per
visit; every change made through Django that can stop a link stops it at once."""
import time

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone


from theatre.services import sharing
from theatre.models import Film, ShareLink


def visit(world, number=1):
    return Client(REMOTE_ADDR=f"10.2.0.{number}").get(reverse("theatre:shared", args=[world.link.token]))


def test_a_repeat_visit_makes_no_database_query(world):
    assert visit(world).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        again = visit(world)
    assert again.status_code == 200 and world.film.title in again.content.decode()
    assert queries.captured_queries == []


def test_a_new_visitor_served_from_the_cache_only_writes_the_counts(world):
    visit(world, 1)
    with CaptureQueriesContext(connection) as queries:
        assert visit(world, 2).status_code == 200
    statements = [q["sql"].split()[0].upper() for q in queries.captured_queries]
    assert "SELECT" not in statements and statements.count("UPDATE") == 2
    world.film.refresh_from_db()
    assert world.film.view_count == 2


def test_revoking_on_the_film_page_stops_the_link_at_once(world):
    assert visit(world).status_code == 200
    owner = Client()
    owner.force_login(world.alice)
    owner.post(reverse("theatre:share_revoke", args=[world.film.pk, world.link.pk]))
    assert visit(world, 2).status_code == 404


def test_taking_the_film_down_stops_the_link_at_once_and_restoring_brings_it_back(world):
    assert visit(world).status_code == 200
    sharing.take_down(world.film, world.dave)
    assert visit(world, 2).status_code == 404
    sharing.restore(world.film, world.dave)
    assert visit(world, 3).status_code == 200


def test_rendering_the_film_again_stops_the_link_at_once(world):
    assert visit(world).status_code == 200
    world.film.status = Film.Status.QUEUED
    world.film.save(update_fields=["status"])
    assert visit(world, 2).status_code == 404


def test_deleting_the_film_stops_the_link_at_once(world):
    assert visit(world).status_code == 200
    Film.objects.filter(pk=world.film.pk).delete()
    assert visit(world, 2).status_code == 404


def test_an_edit_behind_djangos_back_shows_within_the_check_seconds(world, settings):
    settings.SHARED_LINK_CHECK_SECONDS = 1
    assert visit(world).status_code == 200
    ShareLink.objects.filter(pk=world.link.pk).update(revoked_at=timezone.now())  # no signal
    assert visit(world, 2).status_code == 200  # the remembered answer, for at most a second
    time.sleep(1.1)
    assert visit(world, 3).status_code == 404


def test_with_no_check_seconds_every_visit_asks_the_database(world, settings):
    settings.SHARED_LINK_CHECK_SECONDS = 0
    assert visit(world).status_code == 200
    ShareLink.objects.filter(pk=world.link.pk).update(revoked_at=timezone.now())
    assert visit(world, 2).status_code == 404


def test_a_page_is_never_rendered_from_a_link_that_stopped_while_remembered(world):
    assert visit(world).status_code == 200
    cache.delete_pattern("page:*")  # the cached page has expired, the remembered answer has not
    ShareLink.objects.filter(pk=world.link.pk).update(revoked_at=timezone.now())
    response = visit(world, 2)
    assert response.status_code == 404 and world.film.title not in response.content.decode()
    assert "This link no longer works" in response.content.decode()  # the page of any stopped link
