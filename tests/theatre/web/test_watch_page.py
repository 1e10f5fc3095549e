"""The watch page: player, cast, renderer, AI label, download, remix chain and "swap me in"."""
import lxml.html
from django.urls import reverse

from theatre.models import Film
from tests.support.filmmaking import make_film


def page_tree(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return lxml.html.fromstring(response.content.decode())


def test_it_has_a_player_with_poster_that_plays_inline(client, world):
    client.force_login(world.bob)
    tree = page_tree(client, reverse("theatre:film", args=[world.film.pk]))
    video = tree.get_element_by_id("film-player")
    assert {"controls", "playsinline"} <= set(video.attrib)
    assert video.get("preload") == "metadata"
    assert video.get("poster") == reverse("theatre:film_poster", args=[world.film.pk])
    assert video.xpath("source/@src") == [reverse("theatre:film_video", args=[world.film.pk])]


def test_it_shows_the_ai_label_the_renderer_and_a_download_button(client, world):
    client.force_login(world.bob)
    html = client.get(reverse("theatre:film", args=[world.film.pk])).content.decode()
    assert "AI-generated · AI生成" in html
    assert "Rendered by the CPU preview renderer" in html
    assert reverse("theatre:film_download", args=[world.film.pk]) in html


def test_a_wan_film_says_so(client, private_media, alice):
    film = make_film(alice, backend="wan")
    client.force_login(alice)
    assert "Rendered by Wan2.1-VACE" in client.get(film.get_absolute_url()).content.decode()


def test_the_cast_links_owners_only_where_the_viewer_may_see_the_avatar(client, world):
    stock_film = make_film(world.alice, title="With Robo", cast=[world.ally, world.stock])
    client.force_login(world.dave)  # Dave may not see Ally (approved friends only, and he is no friend)
    cast = page_tree(client, reverse("theatre:film", args=[world.film.pk])).get_element_by_id("cast")
    text = cast.text_content()
    assert "Ally" in text and "Dee" in text
    links = cast.xpath(".//a/@href")
    assert reverse("accounts:profile", args=["dave"]) in links
    assert reverse("accounts:profile", args=["alice"]) not in links

    client.force_login(world.bob)  # a friend sees both owners
    links = page_tree(client, reverse("theatre:film", args=[world.film.pk])).get_element_by_id("cast").xpath(".//a/@href")
    assert set(links) == {reverse("accounts:profile", args=["alice"]), reverse("accounts:profile", args=["dave"])}

    cast = page_tree(client, stock_film.get_absolute_url()).get_element_by_id("cast")
    assert "stock character" in cast.text_content()


def test_a_logged_out_visitor_is_sent_to_log_in_and_back_to_swap(client, world):
    url = reverse("theatre:shared", args=[world.link.token])
    tree = page_tree(client, url)
    swap = [a for a in tree.xpath("//a") if "Swap me in" in a.text_content()]
    assert len(swap) == 1
    assert swap[0].get("href") == f"{reverse('accounts:login')}?next={url}"


def test_the_remix_chain_links_only_films_the_viewer_may_see(client, world):
    erin_original = make_film(world.erin, title="Erin's Original")
    alice_middle = make_film(world.alice, title="Alice Middle", remixed_from=erin_original)
    remix = make_film(world.alice, title="Alice Remix", remixed_from=alice_middle)
    client.force_login(world.bob)
    chain = page_tree(client, remix.get_absolute_url()).get_element_by_id("remix-chain")
    assert chain.xpath(".//a/@href") == [alice_middle.get_absolute_url()]
    assert "Erin's Original" not in chain.text_content()
    assert "a film you cannot see" in chain.text_content()


def test_a_film_still_rendering_shows_its_status_and_a_progress_placeholder(client, private_media, alice):
    film = make_film(alice, status=Film.Status.RENDERING, progress=40)
    client.force_login(alice)
    tree = page_tree(client, film.get_absolute_url())
    progress = tree.get_element_by_id("film-progress")
    assert progress.get("data-kind") == "film" and progress.get("data-id") == str(film.pk)
    assert progress.xpath(".//*[@data-percent]")[0].text_content() == "40%"
    assert not tree.xpath("//video")
    assert "Rendering" in tree.get_element_by_id("film-status").text_content()
