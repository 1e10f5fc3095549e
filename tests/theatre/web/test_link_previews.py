"""Chat apps build a preview card from Open Graph tags: read them back with a real metadata parser."""
from urllib.parse import urlsplit

import extruct
import pytest
from django.urls import reverse

from tests.support.filmmaking import HEIGHT, WIDTH

SITE = "https://theatre.example"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def open_graph(html, url):
    data = extruct.extract(html, base_url=url, syntaxes=["opengraph"])["opengraph"]
    assert len(data) == 1
    properties = dict(data[0]["properties"])
    assert len(properties) == len(data[0]["properties"]), "each property once"
    return properties


def twitter_tags(html):
    import lxml.html

    tree = lxml.html.fromstring(html)
    return {m.get("name"): m.get("content") for m in tree.xpath("//meta[starts-with(@name, 'twitter:')]")}


def test_the_shared_page_has_a_complete_preview_card(client, world):
    url = reverse("theatre:shared", args=[world.link.token])
    og = open_graph(client.get(url).content.decode(), SITE + url)
    assert og["og:title"] == "Balcony Duet"
    assert "Alice" in og["og:description"]
    assert og["og:type"] == "video.other"
    assert og["og:url"] == SITE + url
    assert og["og:image"] == SITE + reverse("theatre:shared_poster", args=[world.link.token])
    assert (og["og:image:width"], og["og:image:height"]) == (str(WIDTH), str(HEIGHT))
    assert og["og:video"] == SITE + reverse("theatre:shared_video", args=[world.link.token])
    assert og["og:video:secure_url"] == og["og:video"]
    assert og["og:video:type"] == "video/mp4"
    assert (og["og:video:width"], og["og:video:height"]) == (str(WIDTH), str(HEIGHT))


def test_the_preview_image_and_video_can_be_fetched_logged_out(client, world):
    url = reverse("theatre:shared", args=[world.link.token])
    og = open_graph(client.get(url).content.decode(), SITE + url)
    image = client.get(urlsplit(og["og:image"]).path)
    assert image.status_code == 200
    assert image["Content-Type"] == "image/jpeg"
    video = client.get(urlsplit(og["og:video"]).path)
    assert video.status_code == 200
    assert video["Content-Type"] == "video/mp4"


def test_the_shared_page_has_a_twitter_card(client, world):
    html = client.get(reverse("theatre:shared", args=[world.link.token])).content.decode()
    twitter = twitter_tags(html)
    assert twitter["twitter:card"] in {"player", "summary_large_image"}
    assert twitter["twitter:title"] == "Balcony Duet"
    assert twitter["twitter:image"] == SITE + reverse("theatre:shared_poster", args=[world.link.token])


def test_the_private_watch_page_puts_no_token_in_its_tags(client, world):
    client.force_login(world.alice)
    url = reverse("theatre:film", args=[world.film.pk])
    html = client.get(url).content.decode()
    og = open_graph(html, SITE + url)
    assert og["og:url"] == SITE + url
    assert og["og:image"] == SITE + reverse("theatre:film_poster", args=[world.film.pk])
    head = html.split("</head>")[0]
    assert world.link.token not in head
    assert all(world.link.token not in value for value in twitter_tags(html).values())
