"""What every logged-in request costs before its page: the session comes from the cache (with the
database behind it) and the user comes with their profile in one query (accounts/backends.py)."""
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


def log_in(client, handle):
    response = client.post(reverse("accounts:login"), {"username": handle, "password": "a-Long-pass-4-tests"})
    assert response.status_code == 302


def tables_read(queries):
    return [q["sql"].split(" FROM ")[1].split()[0].strip('"') for q in queries.captured_queries if q["sql"].startswith("SELECT")]


def test_the_user_comes_with_their_profile_and_the_session_from_the_cache(client, alice):
    log_in(client, "alice")
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("theatre:notifications")).content.decode()
    assert "@alice" in page  # the top bar shows the profile's handle
    read = tables_read(queries)
    assert read.count("auth_user") == 1
    assert "accounts_profile" not in read and "django_session" not in read


def test_a_person_stays_logged_in_when_the_cache_is_emptied(client, alice):
    log_in(client, "alice")
    cache.clear()  # as after a Redis restart
    assert "@alice" in client.get(reverse("theatre:notifications")).content.decode()


def test_a_deactivated_person_is_logged_out_at_their_next_request(client, alice):
    log_in(client, "alice")
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    response = client.get(reverse("theatre:notifications"))
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_the_owners_watch_page_stays_within_six_queries(client, world, django_assert_max_num_queries):
    log_in(client, "alice")
    # user+profile, film, cast, which cast owners to name (Dave's avatar is in it), unread count, share links
    with django_assert_max_num_queries(6):
        assert client.get(reverse("theatre:film", args=[world.film.pk])).status_code == 200
