import math
import re
import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from theatre.services import sharing
from theatre.models import Film, ShareLink
from tests.support.filmmaking import make_film


def test_a_share_token_carries_at_least_128_bits_and_is_not_guessable(private_media, alice):
    film = make_film(alice)
    tokens = {sharing.create_share_link(film, alice).token for _ in range(50)}
    assert len(tokens) == 50
    for token in tokens:
        # URL-safe base64: 6 bits per character.
        assert len(token) * 6 >= 128
    assert len(set(t[:8] for t in tokens)) == 50  # no shared prefix or counter


def test_the_shared_page_works_logged_out(client, world):
    response = client.get(reverse("theatre:shared", args=[world.link.token]))
    assert response.status_code == 200
    html = response.content.decode()
    assert world.film.title in html
    assert reverse("theatre:shared_video", args=[world.link.token]) in html
    # The page does not point a logged-out visitor at the private file URLs.
    assert reverse("theatre:film_video", args=[world.film.pk]) not in html


def _gone(client, token):
    response = client.get(reverse("theatre:shared", args=[token]))
    html = response.content.decode().replace(token, "TOKEN")
    # The CSRF token of the language form differs on every response; nothing else may.
    return response.status_code, re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_revoked_expired_and_unknown_links_give_the_same_clear_page(client, world):
    expired = ShareLink.objects.create(film=world.film, expires_at=timezone.now() - timedelta(minutes=1))
    revoked = sharing.revoke_share_link(ShareLink.objects.create(film=world.film), world.alice)
    unknown = "x" * len(world.link.token)
    pages = [_gone(client, token) for token in (expired.token, revoked.token, unknown)]
    assert pages[0] == pages[1] == pages[2]
    status, html = pages[0]
    assert status == 404
    assert "This link no longer works" in html
    assert world.film.title not in html


def test_a_revoked_link_stops_serving_files(client, world):
    sharing.revoke_share_link(world.link, world.alice)
    assert client.get(reverse("theatre:shared_video", args=[world.link.token])).status_code == 404
    assert client.get(reverse("theatre:shared_poster", args=[world.link.token])).status_code == 404


def test_a_link_with_an_expiry_works_until_then(client, world, settings):
    # The logged-out page remembers that the link works (theatre/services/sharing.py) for longer than the
    # link has left: the expiry is still kept to the second.
    settings.SHARED_LINK_CHECK_SECONDS = 60
    link = sharing.create_share_link(world.film, world.alice, expires_in=timedelta(seconds=1))
    assert client.get(link.get_absolute_url()).status_code == 200
    time.sleep(1.1)
    assert client.get(link.get_absolute_url()).status_code == 404
    assert client.get(reverse("theatre:shared_video", args=[link.token])).status_code == 404


@pytest.mark.parametrize("token", ["", "a" * 65, "../../etc/passwd", "%00", "ü" * 10])
def test_odd_tokens_get_the_gone_page_not_a_500(client, world, token):
    response = client.get(f"/s/{token}/")
    assert response.status_code == 404


def test_only_the_owner_can_make_a_share_link(world):
    with pytest.raises(sharing.SharingError):
        sharing.create_share_link(world.film, world.bob)


def test_an_unfinished_or_taken_down_film_cannot_be_shared(private_media, alice):
    rendering = make_film(alice, status=Film.Status.RENDERING)
    with pytest.raises(sharing.SharingError):
        sharing.create_share_link(rendering, alice)
    taken_down = make_film(alice, taken_down=True)
    with pytest.raises(sharing.SharingError):
        sharing.create_share_link(taken_down, alice)


def test_the_owner_makes_a_link_with_an_expiry_in_days(client, world):
    client.force_login(world.alice)
    response = client.post(reverse("theatre:share_create", args=[world.film.pk]), {"expires_in_days": "3"}, follow=True)
    link = world.film.share_links.latest("created")
    assert link.expires_at is not None
    assert math.isclose((link.expires_at - timezone.now()).total_seconds(), 3 * 86400, abs_tol=60)
    assert "Share link made" in response.content.decode()


def test_a_bad_expiry_is_refused(client, world):
    client.force_login(world.alice)
    response = client.post(reverse("theatre:share_create", args=[world.film.pk]), {"expires_in_days": "0"}, follow=True)
    assert world.film.share_links.count() == 1
    assert "greater than or equal to 1" in response.content.decode()


def test_the_owner_revokes_a_link_and_sees_it_listed_as_revoked(client, world):
    client.force_login(world.alice)
    client.post(reverse("theatre:share_revoke", args=[world.film.pk, world.link.pk]))
    world.link.refresh_from_db()
    assert world.link.revoked_at is not None
    page = client.get(reverse("theatre:film", args=[world.film.pk])).content.decode()
    assert "revoked" in page
    assert world.link.token not in page  # a dead link's full token is not shown again


def test_the_owner_sees_the_links_with_their_view_counts(client, world):
    ShareLink.objects.filter(pk=world.link.pk).update(view_count=7)
    client.force_login(world.alice)
    page = client.get(reverse("theatre:film", args=[world.film.pk])).content.decode()
    assert world.link.token in page
    assert "7 views" in page


def test_a_friend_sees_no_share_links_on_the_watch_page(client, world):
    client.force_login(world.bob)
    page = client.get(reverse("theatre:film", args=[world.film.pk])).content.decode()
    assert world.link.token not in page
    assert 'id="share-links"' not in page
