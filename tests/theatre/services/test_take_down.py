"""Someone whose avatar is in a film can take it down: friends and share links lose it, its owner
still sees it marked so and is told."""
import pytest
from django.urls import reverse

from theatre.services import sharing
from theatre.models import Notification


def test_taking_down_hides_the_film_from_friends_and_share_links(client, world):
    client.force_login(world.dave)
    response = client.post(reverse("theatre:take_down", args=[world.film.pk]))
    assert response["Location"] == reverse("theatre:featuring")
    world.film.refresh_from_db()
    assert world.film.taken_down

    client.force_login(world.bob)
    assert client.get(reverse("theatre:film", args=[world.film.pk])).status_code == 404
    assert client.get(reverse("theatre:film_video", args=[world.film.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("theatre:shared", args=[world.link.token])).status_code == 404
    assert client.get(reverse("theatre:shared_video", args=[world.link.token])).status_code == 404


def test_the_owner_still_sees_a_taken_down_film_marked_so(client, world):
    sharing.take_down(world.film, world.dave)
    client.force_login(world.alice)
    page = client.get(reverse("theatre:film", args=[world.film.pk]))
    assert page.status_code == 200
    assert "Taken down" in page.content.decode()
    assert "Taken down" in client.get(reverse("theatre:films")).content.decode()


def test_the_owner_is_told_who_took_it_down_and_who_restored_it(world):
    sharing.take_down(world.film, world.dave)
    sharing.restore(world.film, world.dave)
    texts = list(Notification.objects.filter(user=world.alice).values_list("text", flat=True))
    assert any("Dave took down" in t and "Balcony Duet" in t for t in texts)
    assert any("Dave restored" in t for t in texts)


def test_restoring_brings_back_the_share_links(client, world):
    sharing.take_down(world.film, world.dave)
    client.force_login(world.dave)
    client.post(reverse("theatre:restore", args=[world.film.pk]))
    client.logout()
    assert client.get(reverse("theatre:shared", args=[world.link.token])).status_code == 200


def test_a_friend_not_in_the_film_cannot_take_it_down(world):
    with pytest.raises(sharing.SharingError):
        sharing.take_down(world.film, world.bob)
    world.film.refresh_from_db()
    assert not world.film.taken_down


def test_the_person_in_the_film_sees_it_and_a_restore_button_on_their_page(client, world):
    sharing.take_down(world.film, world.dave)
    client.force_login(world.dave)
    page = client.get(reverse("theatre:featuring")).content.decode()
    assert "Balcony Duet" in page
    assert reverse("theatre:restore", args=[world.film.pk]) in page
