"""My films, films featuring me and the home feed: sections, empty states, and query ceilings."""
import lxml.html
from django.urls import reverse

from theatre.services import sharing
from theatre.models import Film
from tests.support.filmmaking import make_avatar, make_film


def section_titles(html, section):
    tree = lxml.html.fromstring(html)
    return [t.text_content().strip() for t in tree.get_element_by_id(section).xpath(".//*[@class='tile-title']")]


def test_my_films_sorts_films_by_status_with_counts(client, world, django_assert_max_num_queries):
    make_film(world.alice, title="A Draft", status=Film.Status.DRAFT)
    make_film(world.alice, title="In The Oven", status=Film.Status.RENDERING)
    make_film(world.alice, title="Waiting", status=Film.Status.QUEUED)
    make_film(world.alice, title="Broken", status=Film.Status.FAILED)
    make_film(world.alice, title="Unshared")
    client.force_login(world.alice)
    with django_assert_max_num_queries(8):
        html = client.get(reverse("theatre:films")).content.decode()
    assert section_titles(html, "drafts") == ["A Draft"]
    assert set(section_titles(html, "rendering")) == {"In The Oven", "Waiting"}
    assert set(section_titles(html, "done")) == {"Balcony Duet", "Unshared"}
    assert section_titles(html, "failed") == ["Broken"]
    assert section_titles(html, "shared") == ["Balcony Duet"]


def test_my_films_query_count_does_not_grow_with_films(client, world, django_assert_max_num_queries):
    for i in range(15):
        make_film(world.alice, title=f"Film {i}")
    client.force_login(world.alice)
    with django_assert_max_num_queries(8):
        client.get(reverse("theatre:films"))


def test_empty_sections_say_what_to_do_next(client, private_media, bob):
    client.force_login(bob)
    html = client.get(reverse("theatre:films")).content.decode()
    assert "Pick a template to start a film" in html
    assert "make a share link" in html


def test_films_featuring_me_lists_other_peoples_films_with_my_avatar(client, world, django_assert_max_num_queries):
    make_film(world.bob, title="Bob Stars Dee", cast=[make_avatar(world.bob, "Bo", with_files=False), world.dee])
    make_film(world.dave, title="Dave's Own", cast=[world.dee])  # his own film is not "featuring me"
    client.force_login(world.dave)
    with django_assert_max_num_queries(6):
        html = client.get(reverse("theatre:featuring")).content.decode()
    assert "Balcony Duet" in html and "Bob Stars Dee" in html
    assert "Dave's Own" not in html
    assert html.count("Take down") >= 2


def test_featuring_me_is_empty_with_a_hint(client, private_media, bob):
    client.force_login(bob)
    assert "No one has made a film with your avatars yet" in client.get(reverse("theatre:featuring")).content.decode()


def test_the_home_feed_shows_friends_finished_films(client, world, django_assert_max_num_queries):
    make_film(world.alice, title="Still Rendering", status=Film.Status.RENDERING)
    make_film(world.erin, title="Stranger Film")
    hidden = make_film(world.alice, title="Taken Down One", cast=[world.dee])
    sharing.take_down(hidden, world.dave)
    client.force_login(world.bob)
    with django_assert_max_num_queries(9):  # 8, and the unread-notification count in the top bar
        html = client.get(reverse("theatre:home")).content.decode()
    assert section_titles(html, "feed") == ["Balcony Duet"]


def test_the_home_page_invites_visitors_to_sign_up(client, db):
    html = client.get(reverse("theatre:home")).content.decode()
    assert reverse("accounts:signup") in html
    assert 'id="feed"' not in html
    assert 'id="gallery"' in html
