"""Per-user caps on renders: at most RENDERS_AT_ONCE films queued or rendering, and at most
RENDERS_PER_DAY render requests a day, checked in casting.request_render with clear messages."""
import pytest
from django.urls import reverse

from accounts.models import ApiToken
from theatre.services import casting
from theatre.models import Film, Script
from theatre.stock.loading import load_stock


@pytest.fixture
def template(db, private_media, redis_conn):
    load_stock()
    return Script.objects.filter(is_template=True).first()


def test_a_third_film_waits_while_two_are_rendering(client, alice, template, django_capture_on_commit_callbacks):
    films = [casting.start_film(alice, template) for _ in range(3)]
    for film in films[:2]:
        assert casting.request_render(film, alice)
    client.force_login(alice)
    response = client.post(reverse("theatre:film_render", args=[films[2].pk]), follow=True)
    assert "You already have 2 films rendering" in response.content.decode()
    assert Film.objects.get(pk=films[2].pk).status == Film.Status.DRAFT


def test_the_cap_frees_up_when_a_render_finishes(alice, template):
    films = [casting.start_film(alice, template) for _ in range(3)]
    for film in films[:2]:
        casting.request_render(film, alice)
    Film.objects.filter(pk=films[0].pk).update(status=Film.Status.DONE)
    assert casting.request_render(films[2], alice)


def test_a_double_click_on_a_rendering_film_is_not_a_cap_error(alice, template, settings):
    settings.RENDERS_AT_ONCE = 1
    film = casting.start_film(alice, template)
    assert casting.request_render(film, alice)
    assert casting.request_render(film, alice) is False


def test_the_daily_cap_says_come_back_tomorrow(alice, template, settings):
    settings.RENDERS_PER_DAY = 2
    films = [casting.start_film(alice, template) for _ in range(3)]
    for film in films[:2]:
        casting.request_render(film, alice)
        Film.objects.filter(pk=film.pk).update(status=Film.Status.FAILED)  # retries count too
    with pytest.raises(casting.RenderLimitReached, match="daily limit"):
        casting.request_render(films[2], alice)


def test_the_cap_is_per_user(alice, bob, template, settings):
    settings.RENDERS_AT_ONCE = 1
    casting.request_render(casting.start_film(alice, template), alice)
    assert casting.request_render(casting.start_film(bob, template), bob)


def test_the_api_answers_429_with_the_reason(client, alice, template, settings):
    settings.RENDERS_AT_ONCE = 0
    token = ApiToken.issue(alice)
    response = client.post(reverse("api:films"), {"template": template.pk}, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 429 and "rendering" in response.json()["error"]
