"""A view is counted once per film: per session for people logged in, per visitor a day for
logged-out visitors (who get no session), on the film and on the link it came through."""
import time

from django.test import Client
from django.urls import reverse


def test_a_logged_out_visitor_counts_once_however_often_they_reload(client, world):
    url = reverse("theatre:shared", args=[world.link.token])
    for _ in range(3):
        client.get(url)
    world.film.refresh_from_db()
    world.link.refresh_from_db()
    assert world.film.view_count == 1
    assert world.link.view_count == 1


def test_each_new_visitor_counts(world):
    url = reverse("theatre:shared", args=[world.link.token])
    for number in range(3):
        Client(REMOTE_ADDR=f"10.0.0.{number}").get(url)
    world.film.refresh_from_db()
    assert world.film.view_count == 3


def test_a_friend_watching_counts_and_the_owner_does_not(client, world):
    client.force_login(world.bob)
    client.get(reverse("theatre:film", args=[world.film.pk]))
    client.get(reverse("theatre:film", args=[world.film.pk]))
    owner = Client()
    owner.force_login(world.alice)
    owner.get(reverse("theatre:film", args=[world.film.pk]))
    world.film.refresh_from_db()
    assert world.film.view_count == 1


def test_file_requests_do_not_count_as_views(client, world):
    client.get(reverse("theatre:shared_video", args=[world.link.token]), HTTP_RANGE="bytes=0-9")
    client.get(reverse("theatre:shared_video", args=[world.link.token]), HTTP_RANGE="bytes=10-")
    world.film.refresh_from_db()
    assert world.film.view_count == 0


def test_a_gone_link_counts_nothing(client, world):
    client.get(reverse("theatre:shared", args=["no-such-token"]))
    world.film.refresh_from_db()
    assert world.film.view_count == 0


def test_the_page_shows_the_count_and_logged_out_visitors_see_it_catch_up(client, world, settings):
    # Logged-out visitors share one cached page (theatre/web/page_cache.py): every view counts at
    # once, and the count shown catches up when the cached page expires.
    settings.SHARED_PAGE_SECONDS = 1
    url = reverse("theatre:shared", args=[world.link.token])
    assert "1 view" in client.get(url).content.decode()
    assert "1 view" in Client(REMOTE_ADDR="10.0.0.9").get(url).content.decode()
    world.film.refresh_from_db()
    assert world.film.view_count == 2
    time.sleep(1.5)
    assert "2 views" in client.get(url).content.decode()


def test_a_logged_in_visitor_sees_the_count_with_their_view_in_it(client, world):
    Client(REMOTE_ADDR="10.0.0.9").get(reverse("theatre:shared", args=[world.link.token]))
    client.force_login(world.bob)
    assert "2 views" in client.get(reverse("theatre:film", args=[world.film.pk])).content.decode()


def test_a_logged_out_visitor_gets_no_session(client, world):
    client.get(reverse("theatre:shared", args=[world.link.token]))
    assert "sessionid" not in client.cookies
