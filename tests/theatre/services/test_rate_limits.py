"""Rate limits on sign-up, log-in, uploads and render requests: counted per address (and per user
when logged in) in Redis; over the limit the answer is 429 with a friendly page or JSON."""
import pytest
from django.urls import reverse

from accounts.models import ApiToken
from theatre.services import casting
from theatre.models import Film, Script
from theatre.stock.loading import load_stock


@pytest.fixture
def tight(settings):
    def _tight(name, count):
        settings.RATE_LIMITS = {**settings.RATE_LIMITS, name: (count, 3600)}
    return _tight


def signup_data(n):
    return {"handle": f"mia_{n}", "display_name": "Mia", "password1": "tofu-and-guitar-42", "password2": "tofu-and-guitar-42"}


def test_sign_ups_from_one_address_are_limited_with_a_friendly_page(client, db, tight):
    tight("signup", 2)
    for n in range(2):
        assert client.post(reverse("accounts:signup"), signup_data(n)).status_code == 302
        client.logout()
    response = client.post(reverse("accounts:signup"), signup_data(3))
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    page = response.content.decode()
    assert "Slow down a little" in page and "try again" in page
    assert client.get(reverse("accounts:signup")).status_code == 200  # looking at the form is fine


def test_another_address_may_still_sign_up(client, db, tight):
    tight("signup", 1)
    client.post(reverse("accounts:signup"), signup_data(1))
    client.logout()
    assert client.post(reverse("accounts:signup"), signup_data(2)).status_code == 429
    assert client.post(reverse("accounts:signup"), signup_data(3), REMOTE_ADDR="10.0.0.9").status_code == 302


def test_log_in_attempts_from_one_address_are_limited(client, alice, bob, carol, tight):
    tight("login", 3)
    for name in ("alice", "bob", "carol"):  # different accounts, so the per-account lockout is not what stops it
        client.post(reverse("accounts:login"), {"username": name, "password": "wrong"})
    response = client.post(reverse("accounts:login"), {"username": "alice", "password": "a-Long-pass-4-tests"})
    assert response.status_code == 429 and "Slow down a little" in response.content.decode()


def test_avatar_uploads_are_limited_per_user(client, alice, private_media, tight):
    tight("upload", 1)
    client.force_login(alice)
    client.post(reverse("theatre:avatar_new"), {"name": "x"})  # an invalid form still counts: it was an upload
    response = client.post(reverse("theatre:avatar_new"), {"name": "y"}, REMOTE_ADDR="10.0.0.7")
    assert response.status_code == 429


def test_api_uploads_over_the_limit_get_json(client, alice, private_media, tight):
    tight("upload", 0)
    token = ApiToken.issue(alice, label="test")
    response = client.post(reverse("api:avatars"), {}, HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 429 and "error" in response.json()


def test_render_requests_are_limited_per_user(client, alice, private_media, redis_conn, tight):
    load_stock()
    tight("render", 1)
    client.force_login(alice)
    template = Script.objects.filter(is_template=True).first()
    films = [casting.start_film(alice, template) for _ in range(2)]
    client.post(reverse("theatre:film_render", args=[films[0].pk]))
    response = client.post(reverse("theatre:film_render", args=[films[1].pk]))
    assert response.status_code == 429
    assert Film.objects.get(pk=films[1].pk).status == Film.Status.DRAFT


def test_limits_can_be_switched_off_for_load_tests(client, db, settings, tight):
    tight("signup", 0)
    settings.RATE_LIMITS_ENABLED = False
    assert client.post(reverse("accounts:signup"), signup_data(1)).status_code == 302
