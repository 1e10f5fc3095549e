"""A view is counted once per session per film, on the film and on the link it came through."""
from django.test import Client
from django.urls import reverse

from tests.filmmaking import world  # noqa: F401 (fixtures)


def test_a_session_counts_once_however_often_it_reloads(client, world):
    url = reverse("theatre:shared", args=[world.link.token])
    for _ in range(3):
        client.get(url)
    world.film.refresh_from_db()
    world.link.refresh_from_db()
    assert world.film.view_count == 1
    assert world.link.view_count == 1


def test_each_new_session_counts(world):
    url = reverse("theatre:shared", args=[world.link.token])
    for _ in range(3):
        Client().get(url)
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


def test_the_page_shows_the_count(client, world):
    client.get(reverse("theatre:shared", args=[world.link.token]))
    assert "2 views" in Client().get(reverse("theatre:shared", args=[world.link.token])).content.decode()
