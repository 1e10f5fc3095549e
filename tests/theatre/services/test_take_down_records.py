"""A take-down is a record of who took the film down and why, and it holds until that same person
lifts it: the film's owner cannot undo the take-down of someone in the film (issue #18), nor one
person in it another's; share links stay dead until every take-down is lifted."""
import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from accounts.models import ApiToken
from theatre.models import Film, TakeDown
from theatre.services import sharing
from theatre.services.avatars import delete_avatar

from tests.support.filmmaking import make_avatar, make_film
from tests.support.users import make_user


def link_works(client, link):
    client.logout()
    return client.get(reverse("theatre:shared", args=[link.token])).status_code == 200


def down(film):
    film.refresh_from_db()
    return film.taken_down


def test_the_films_owner_cannot_restore_what_someone_in_it_took_down(client, world):
    sharing.take_down(world.film, world.dave)
    with pytest.raises(sharing.SharingError, match="Dave took this film down; only they can restore it"):
        sharing.restore(world.film, world.alice)
    assert down(world.film) and not link_works(client, world.link)

    response = client.post(f"/api/films/{world.film.pk}/restore/", HTTP_AUTHORIZATION=f"Token {ApiToken.issue(world.alice)}")
    assert response.status_code == 400 and "only they can restore it" in response.json()["error"]
    client.force_login(world.alice)
    page = client.post(reverse("theatre:restore", args=[world.film.pk]), follow=True).content.decode()
    assert "only they can restore it" in page
    assert down(world.film) and not link_works(client, world.link)

    sharing.restore(world.film, world.dave)
    assert not down(world.film) and link_works(client, world.link)


def test_each_persons_take_down_must_be_lifted_by_them(client, world):
    from theatre.models import ShareLink

    erins = make_avatar(world.erin, "Eri")
    film = make_film(world.alice, title="Trio", cast=[world.dee, erins])
    link = ShareLink.objects.create(film=film)
    sharing.take_down(film, world.dave)
    sharing.take_down(film, world.erin)
    assert list(film.take_downs.values_list("by__username", "reason")) == [("dave", "in_cast"), ("erin", "in_cast")]

    sharing.restore(film, world.dave)
    assert down(film) and not link_works(client, link)  # Erin's still holds
    with pytest.raises(sharing.SharingError, match="Erin took this film down"):
        sharing.restore(film, world.dave)  # Dave has nothing left to lift
    sharing.restore(film, world.erin)
    assert not down(film) and link_works(client, link)
    assert not TakeDown.objects.exists()


def test_the_owner_is_told_when_one_lifts_and_the_film_stays_down(world):
    from theatre.models import Notification

    erins = make_avatar(world.erin, "Eri")
    film = make_film(world.alice, title="Trio", cast=[world.dee, erins])
    sharing.take_down(film, world.dave)
    sharing.take_down(film, world.erin)
    sharing.restore(film, world.dave)
    texts = list(Notification.objects.filter(user=world.alice).values_list("text", flat=True))
    assert any("Dave lifted their take-down" in t and "stays down" in t for t in texts)


def test_the_owners_own_take_down_is_theirs_to_lift(client, world):
    sharing.take_down(world.film, world.alice)
    assert world.film.take_downs.get().reason == TakeDown.Reason.OWNER
    with pytest.raises(sharing.SharingError, match="Alice took this film down"):
        sharing.restore(world.film, world.dave)
    sharing.restore(world.film, world.alice)
    assert not down(world.film) and link_works(client, world.link)


def test_taking_down_twice_is_one_record(world):
    sharing.take_down(world.film, world.dave)
    sharing.take_down(world.film, world.dave)
    assert world.film.take_downs.count() == 1


def test_deleting_an_avatar_takes_its_films_down_for_good(client, world):
    delete_avatar(world.dee)
    record = world.film.take_downs.get()
    assert (record.by, record.reason) == (world.dave, TakeDown.Reason.AVATAR_DELETED)
    with pytest.raises(sharing.SharingError):
        sharing.restore(world.film, world.alice)
    client.force_login(world.dave)  # no avatar in it any more: the film is not his to restore
    assert client.post(reverse("theatre:restore", args=[world.film.pk])).status_code == 404
    assert down(world.film) and not link_works(client, world.link)


def test_someone_else_in_the_film_can_add_their_own_take_down(client, world):
    erins = make_avatar(world.erin, "Eri")
    film = make_film(world.alice, title="Trio", cast=[world.dee, erins])
    sharing.take_down(film, world.dave)
    client.force_login(world.erin)
    page = client.get(reverse("theatre:featuring")).content.decode()
    assert reverse("theatre:take_down", args=[film.pk]) in page and reverse("theatre:restore", args=[film.pk]) not in page
    page = client.get(reverse("theatre:film", args=[film.pk])).content.decode()
    assert "Someone else in it took it down" in page
    client.post(reverse("theatre:take_down", args=[film.pk]))
    page = client.get(reverse("theatre:featuring")).content.decode()
    assert reverse("theatre:restore", args=[film.pk]) in page


def test_films_taken_down_before_the_records_get_one_anyone_may_lift(world):
    Film.objects.filter(pk=world.film.pk).update(taken_down=True)
    migration = importlib.import_module("theatre.migrations.0005_take_down_records")
    migration.record_earlier_take_downs(apps, None)
    assert world.film.take_downs.get().reason == TakeDown.Reason.EARLIER
    sharing.restore(world.film, world.alice)  # the rule when it was taken down
    assert not down(world.film)


def test_a_stranger_cannot_restore(world):
    sharing.take_down(world.film, world.dave)
    with pytest.raises(sharing.SharingError):
        sharing.restore(world.film, make_user("zed", "Zed"))
    assert down(world.film)
