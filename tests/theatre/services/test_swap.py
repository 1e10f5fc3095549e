"""One-click role swap: a remix keeps the script, seed and other cast, and remembers its origin."""
import pytest
from django.urls import reverse

from theatre.services import casting, sharing
from theatre.models import Avatar, Film, Script
from theatre.stock.loading import load_stock

from tests.support.filmmaking import make_avatar


@pytest.fixture
def stock(db, private_media):
    load_stock()


@pytest.fixture
def finished_film(alice, stock):
    """Alice's film of a template with two roles a person may play, rendered (status set as the
    job would)."""
    templates = Script.objects.filter(is_template=True, language="en").prefetch_related("roles")
    template = next(t for t in templates if sum(not r.kinds or "person" in r.kinds for r in t.roles.all()) >= 2)
    film = casting.start_film(alice, template)
    Film.objects.filter(pk=film.pk).update(status=Film.Status.DONE)
    film.refresh_from_db()
    return film


def swap(client, film, role_key, avatar):
    return client.post(reverse("theatre:swap", args=[film.pk]), {"role": role_key, "avatar": avatar.pk})


def test_a_friend_swaps_in_and_the_remix_keeps_script_seed_and_cast(client, alice, bob, befriend, finished_film, django_capture_on_commit_callbacks, redis_conn):
    befriend(alice, bob)
    mine = make_avatar(bob, name="Bob twin", kind="person", with_files=False)
    roles = list(finished_film.script.roles.all())
    taken = next(r for r in roles if r.accepts(mine))
    client.force_login(bob)
    with django_capture_on_commit_callbacks(execute=True):
        response = swap(client, finished_film, taken.key, mine)
    remix = Film.objects.get(owner=bob)
    assert response["Location"] == remix.get_absolute_url()
    assert remix.status == Film.Status.QUEUED  # one click: it renders straight away
    assert remix.remixed_from == finished_film and remix.seed == finished_film.seed
    assert [s.action for s in remix.script.shots.all()] == [s.action for s in finished_film.script.shots.all()]
    cast = {m.role.key: m.avatar_id for m in remix.cast.select_related("role")}
    original = {m.role.key: m.avatar_id for m in finished_film.cast.select_related("role")}
    assert cast[taken.key] == mine.pk
    assert {k: v for k, v in cast.items() if k != taken.key} == {k: v for k, v in original.items() if k != taken.key}
    assert finished_film.script_id != remix.script_id  # the remix owns its copy


def test_the_watch_page_shows_the_remix_chain(client, alice, bob, befriend, finished_film, redis_conn):
    befriend(alice, bob)
    mine = make_avatar(bob, name="Bob twin", kind="person", with_files=False)
    role = next(r for r in finished_film.script.roles.all() if r.accepts(mine))
    remix = casting.swap_me_in(finished_film, bob, role.key, mine.pk)
    Film.objects.filter(pk=remix.pk).update(status=Film.Status.DONE)
    client.force_login(bob)
    chain = client.get(remix.get_absolute_url()).content.decode()
    assert finished_film.get_absolute_url() in chain.split('id="remix-chain"')[1]


def test_a_stranger_cannot_swap_into_a_film_they_cannot_see(client, carol, finished_film):
    mine = make_avatar(carol, name="Carol twin", kind="person", with_files=False)
    client.force_login(carol)
    assert client.get(reverse("theatre:swap", args=[finished_film.pk])).status_code == 404
    assert swap(client, finished_film, "x", mine).status_code == 404
    assert not Film.objects.filter(owner=carol).exists()


def test_a_share_link_lets_a_logged_out_visitor_swap_in_after_logging_in(client, alice, carol, finished_film, redis_conn):
    link = sharing.create_share_link(finished_film, alice)
    client.get(link.get_absolute_url())
    swap_url = reverse("theatre:swap", args=[finished_film.pk])
    response = client.get(swap_url)
    assert response.status_code == 302 and "next=" in response["Location"]
    client.force_login(carol)
    page = client.get(link.get_absolute_url()).content.decode()
    assert f"{swap_url}?via={link.token}" in page  # the shared page's button carries the link
    mine = make_avatar(carol, name="Carol twin", kind="person", with_files=False)
    role = next(r for r in finished_film.script.roles.all() if r.accepts(mine))
    client.post(f"{swap_url}?via={link.token}", {"role": role.key, "avatar": mine.pk})
    assert Film.objects.get(owner=carol).remixed_from == finished_film


def test_someone_else_s_avatar_the_remixer_may_not_cast_is_not_kept(client, alice, bob, carol, befriend, finished_film, redis_conn):
    befriend(alice, bob)
    bobs = make_avatar(bob, name="Bob twin", kind="person", with_files=False, policy=Avatar.Policy.FRIENDS)
    roles = [r for r in finished_film.script.roles.all() if r.accepts(bobs)]
    casting_film = casting.start_film(alice, finished_film.script)
    casting.cast_role(casting_film, alice, roles[0].key, bobs.pk)
    Film.objects.filter(pk=casting_film.pk).update(status=Film.Status.DONE)
    link = sharing.create_share_link(Film.objects.get(pk=casting_film.pk), alice)
    client.force_login(carol)
    client.get(link.get_absolute_url())
    carols = make_avatar(carol, name="Carol twin", kind="person", with_files=False)
    other_role = next(r for r in casting_film.script.roles.all() if r.key != roles[0].key and r.accepts(carols))
    swap(client, casting_film, other_role.key, carols)
    remix = Film.objects.get(owner=carol)
    assert bobs.pk not in remix.cast.values_list("avatar_id", flat=True)  # Carol may not cast Bob
