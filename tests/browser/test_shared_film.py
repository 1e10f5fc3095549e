"""A logged-out visitor opens a shared link on a phone: the poster shows and the film plays."""
import pytest

from tests.support.filmmaking import make_avatar, make_film
from theatre.models import ShareLink

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_shared_film_plays_logged_out_on_a_phone(private_media, alice, live_server, phone_page, artifacts):
    cast = [make_avatar(alice, "Ally", with_files=False), make_avatar(None, "Robo", stock_key="robo", with_files=False)]
    film = make_film(alice, title="Balcony Duet", cast=cast)
    link = ShareLink.objects.create(film=film)
    page = phone_page
    page.goto(f"{live_server.url}{link.get_absolute_url()}")
    video = page.locator("video#film-player")
    assert video.is_visible()

    poster_ok = page.evaluate(
        """async () => {
            const src = document.querySelector('video').poster;
            const img = new Image();
            await new Promise((resolve, reject) => { img.onload = resolve; img.onerror = reject; img.src = src; });
            return [img.naturalWidth, img.naturalHeight];
        }"""
    )
    assert poster_ok == [320, 240]

    # Muted so headless Chromium's autoplay policy lets play() start without a gesture.
    current_time = page.evaluate(
        """async () => {
            const v = document.querySelector('video');
            v.muted = true;
            await v.play();
            await new Promise(r => setTimeout(r, 800));
            return v.currentTime;
        }"""
    )
    assert current_time > 0.2
    assert page.evaluate("document.querySelector('video').videoWidth") == 320
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.get_by_text("AI-generated · AI生成").is_visible()
    page.evaluate("() => { const v = document.querySelector('video'); v.pause(); v.currentTime = 0; }")
    page.wait_for_timeout(300)
    page.screenshot(path=str(artifacts / "shared-film-phone.png"), full_page=True)


def test_the_owner_manages_share_links_on_a_phone(private_media, alice, live_server, phone_page, artifacts):
    from django.conf import settings
    from django.test import Client

    film = make_film(alice, title="Balcony Duet")
    client = Client()
    client.force_login(alice)
    page = phone_page
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": live_server.url}])
    page.goto(f"{live_server.url}{film.get_absolute_url()}")
    page.get_by_label("Expires after (days)").fill("7")
    page.get_by_role("button", name="Make a share link").click()
    page.wait_for_load_state()
    assert "Share link made" in page.content()
    link = film.share_links.get()
    assert page.locator("input.share-url").input_value().endswith(link.get_absolute_url())
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.locator("#share-links").screenshot(path=str(artifacts / "share-links-phone.png"))
    page.get_by_role("button", name="Revoke").click()
    page.wait_for_load_state()
    link.refresh_from_db()
    assert link.revoked_at is not None
