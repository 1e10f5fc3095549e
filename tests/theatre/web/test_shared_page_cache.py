"""Logged-out visitors of a share link get a cached page (theatre/web/page_cache.py): each still gets
their own CSRF token, the link is still checked and the view still counted on every visit, and
nothing of a logged-in visitor's page ever reaches the cache or the other way round."""
import re

from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone


from theatre.services import sharing

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def visitor(number, **extra):
    return Client(enforce_csrf_checks=True, REMOTE_ADDR=f"10.1.0.{number}", **extra)


def test_the_second_visitor_gets_the_cached_page_with_their_own_working_csrf_token(world):
    url = reverse("theatre:shared", args=[world.link.token])
    first, second = visitor(1), visitor(2)
    first_page, second_page = first.get(url).content.decode(), second.get(url).content.decode()
    assert cache.keys("page:*"), "the page was not cached"
    first_token, second_token = CSRF_INPUT.search(first_page).group(1), CSRF_INPUT.search(second_page).group(1)
    assert first_token != second_token and "csrf-slot" not in second_page
    assert CSRF_INPUT.sub("", first_page) == CSRF_INPUT.sub("", second_page)  # the same page otherwise
    # The second visitor's language form works: their token matches their own CSRF cookie.
    switched = second.post(reverse("set_language"), {"language": "zh-hans", "next": url, "csrfmiddlewaretoken": second_token})
    assert switched.status_code == 302
    assert "小剧场" in second.get(url).content.decode()


def test_a_cached_page_never_outlives_its_link_or_its_film(world):
    url = reverse("theatre:shared", args=[world.link.token])
    assert visitor(1).get(url).status_code == 200
    world.link.revoked_at = timezone.now()
    world.link.save()
    assert visitor(2).get(url).status_code == 404
    world.link.revoked_at = None
    world.link.save()
    assert visitor(3).get(url).status_code == 200
    sharing.take_down(world.film, world.dave)
    assert visitor(4).get(url).status_code == 404


def test_visitors_served_from_the_cache_are_still_counted(world):
    url = reverse("theatre:shared", args=[world.link.token])
    for number in range(4):
        visitor(number).get(url)
    world.film.refresh_from_db()
    world.link.refresh_from_db()
    assert (world.film.view_count, world.link.view_count) == (4, 4)


def test_logged_in_and_logged_out_pages_never_mix(world):
    url = reverse("theatre:shared", args=[world.link.token])
    bob = Client()
    bob.force_login(world.bob)
    assert "@bob" in bob.get(url).content.decode()
    anonymous = visitor(1).get(url).content.decode()
    assert "@bob" not in anonymous and "Log in" in anonymous
    assert "@bob" in bob.get(url).content.decode()


def test_each_language_has_its_own_cached_page(world):
    url = reverse("theatre:shared", args=[world.link.token])
    assert "Cast" in visitor(1).get(url).content.decode()
    assert "角色" in visitor(2, HTTP_ACCEPT_LANGUAGE="zh-Hans").get(url).content.decode()
    assert "Cast" in visitor(3).get(url).content.decode()


def test_the_cache_keys_do_not_hold_the_links_secret_token(world):
    visitor(1).get(reverse("theatre:shared", args=[world.link.token]))
    keys = cache.keys("*")
    assert keys and not any(world.link.token in key for key in keys)


def test_a_visitor_with_a_message_waiting_gets_a_page_of_their_own(world):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpRequest

    url = reverse("theatre:shared", args=[world.link.token])
    visitor(1).get(url)  # the page is in the cache now
    with_message = visitor(2)
    with_message.cookies["messages"] = CookieStorage(HttpRequest())._encode([Message(constants.INFO, "Hello from earlier")])
    assert "Hello from earlier" in with_message.get(url).content.decode()
    assert "Hello from earlier" not in visitor(3).get(url).content.decode()
