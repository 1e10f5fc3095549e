"""Every page and file URL of sharing and watching, for every kind of visitor: nothing leaks.

Columns: anonymous, owner (alice), friend (bob), approved friend (carol), cast member who is not a
friend (dave), stranger (erin), and a logged-out share-link visitor (the token URLs)."""
import pytest
from django.urls import reverse


WHO = ["anonymous", "alice", "bob", "carol", "dave", "erin"]

# (url name, args built from the world, expected status for each of WHO)
GET_TABLE = [
    ("theatre:film", lambda w: [w.film.pk], [302, 200, 200, 200, 200, 404]),
    ("theatre:film_video", lambda w: [w.film.pk], [404, 200, 200, 200, 200, 404]),
    ("theatre:film_poster", lambda w: [w.film.pk], [404, 200, 200, 200, 200, 404]),
    ("theatre:film_download", lambda w: [w.film.pk], [404, 200, 200, 200, 200, 404]),
    ("theatre:film", lambda w: [999999], [302, 404, 404, 404, 404, 404]),
    ("theatre:film_video", lambda w: [999999], [404, 404, 404, 404, 404, 404]),
    # The share-link visitor's URLs work for everyone, logged in or not.
    ("theatre:shared", lambda w: [w.link.token], [200, 200, 200, 200, 200, 200]),
    ("theatre:shared_video", lambda w: [w.link.token], [200, 200, 200, 200, 200, 200]),
    ("theatre:shared_poster", lambda w: [w.link.token], [200, 200, 200, 200, 200, 200]),
    ("theatre:shared_download", lambda w: [w.link.token], [200, 200, 200, 200, 200, 200]),
    ("theatre:shared", lambda w: ["not-a-real-token-at-all"], [404, 404, 404, 404, 404, 404]),
    ("theatre:shared_video", lambda w: ["not-a-real-token-at-all"], [404, 404, 404, 404, 404, 404]),
    ("theatre:shared_poster", lambda w: ["not-a-real-token-at-all"], [404, 404, 404, 404, 404, 404]),
    # Ally may be cast by approved friends: friends see her, Dave and Erin do not.
    ("theatre:avatar_file", lambda w: [w.ally.pk, "poster"], [404, 200, 200, 200, 404, 404]),
    ("theatre:avatar_file", lambda w: [w.ally.pk, "crop"], [404, 200, 200, 200, 404, 404]),
    ("theatre:avatar_frame", lambda w: [w.ally.pk, w.ally.frames.get().pk], [404, 200, 200, 200, 404, 404]),
    ("theatre:avatar_file", lambda w: [w.ally.pk, "clip"], [404, 200, 404, 404, 404, 404]),
    ("theatre:avatar_file", lambda w: [w.ally.pk, "voice"], [404, 200, 404, 404, 404, 404]),
    ("theatre:avatar_file", lambda w: [w.ally.pk, "nonsense"], [404, 404, 404, 404, 404, 404]),
    ("theatre:avatar_file", lambda w: [w.secret.pk, "poster"], [404, 200, 404, 404, 404, 404]),
    ("theatre:avatar_frame", lambda w: [w.secret.pk, w.secret.frames.get().pk], [404, 200, 404, 404, 404, 404]),
    # A frame id must belong to the avatar in the URL.
    ("theatre:avatar_frame", lambda w: [w.ally.pk, w.secret.frames.get().pk], [404, 404, 404, 404, 404, 404]),
    ("theatre:avatar_file", lambda w: [w.dee.pk, "poster"], [404, 200, 200, 200, 200, 200]),
    ("theatre:avatar_file", lambda w: [w.dee.pk, "clip"], [404, 404, 404, 404, 200, 404]),
    ("theatre:avatar_file", lambda w: [w.stock.pk, "poster"], [200, 200, 200, 200, 200, 200]),
    ("theatre:films", lambda w: [], [302, 200, 200, 200, 200, 200]),
    ("theatre:featuring", lambda w: [], [302, 200, 200, 200, 200, 200]),
    ("theatre:home", lambda w: [], [200, 200, 200, 200, 200, 200]),
]

POST_TABLE = [
    ("theatre:share_create", lambda w: [w.film.pk], [302, 302, 404, 404, 404, 404]),
    ("theatre:share_revoke", lambda w: [w.film.pk, w.link.pk], [302, 302, 404, 404, 404, 404]),
    ("theatre:take_down", lambda w: [w.film.pk], [302, 302, 404, 404, 302, 404]),
    ("theatre:restore", lambda w: [w.film.pk], [302, 302, 404, 404, 302, 404]),
]


def _client_for(client, world, who):
    if who != "anonymous":
        client.force_login(getattr(world, who))
    return client


@pytest.mark.parametrize("name,args,expected", GET_TABLE, ids=[f"{row[0]}-{i}" for i, row in enumerate(GET_TABLE)])
def test_every_get_url_answers_each_visitor_as_the_table_says(client, world, name, args, expected):
    url = reverse(name, args=args(world))
    got = []
    for who in WHO:
        client.logout()
        got.append(_client_for(client, world, who).get(url).status_code)
    assert dict(zip(WHO, got)) == dict(zip(WHO, expected)), url


@pytest.mark.parametrize("name,args,expected", POST_TABLE, ids=[row[0] for row in POST_TABLE])
def test_every_post_url_answers_each_visitor_as_the_table_says(client, world, name, args, expected):
    url = reverse(name, args=args(world))
    for who, status in zip(WHO, expected):
        client.logout()
        response = _client_for(client, world, who).post(url)
        assert response.status_code == status, (url, who)
        if who == "anonymous":
            assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name,args,expected", POST_TABLE, ids=[row[0] for row in POST_TABLE])
def test_changes_refuse_get(client, world, name, args, expected):
    client.force_login(world.alice)
    assert client.get(reverse(name, args=args(world))).status_code == 405


def test_the_private_watch_page_of_a_logged_out_visitor_goes_to_login_and_back(client, world):
    url = reverse("theatre:film", args=[world.film.pk])
    response = client.get(url)
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"


def test_a_stranger_learns_nothing_from_a_real_film_id_compared_to_a_missing_one(client, world):
    client.force_login(world.erin)
    real = client.get(reverse("theatre:film", args=[world.film.pk]))
    missing = client.get(reverse("theatre:film", args=[999999]))
    assert real.status_code == missing.status_code == 404
    assert world.film.title not in real.content.decode()


def test_file_responses_are_private_to_caches(client, world):
    response = client.get(reverse("theatre:shared_video", args=[world.link.token]))
    assert response["Cache-Control"].startswith("private")
    assert response["Content-Type"] == "video/mp4"
    assert response["Accept-Ranges"] == "bytes"
