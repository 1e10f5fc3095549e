"""/verify/ in a phone's browser, logged out: a film made here, a tampered copy of it and a file
with no Content Credentials each get a clear answer; a film's page links to its check."""
import pytest
from django.core.files.base import ContentFile

from theatre.models import ShareLink
from tests.support.filmmaking import make_film
from tests.support.provenance import signed_film, tampered, write_plain_film

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def files(site_signing, tmp_path):
    here, _stamp = signed_film(tmp_path / "balcony-duet.mp4", site_signing, film_id=42)
    (tmp_path / "balcony-duet-edited.mp4").write_bytes(tampered(here.read_bytes()))
    write_plain_film(tmp_path / "holiday.mp4")
    return {"here": here, "tampered": tmp_path / "balcony-duet-edited.mp4", "none": tmp_path / "holiday.mp4"}


@pytest.mark.parametrize("kind, headline", [
    ("here", "Made here, and unchanged since"),
    ("tampered", "Changed after it was signed"),
    ("none", "No Content Credentials"),
])
def test_each_upload_gets_a_clear_answer_on_a_phone(live_server, phone_page, artifacts, files, kind, headline):
    page = phone_page
    page.goto(f"{live_server.url}/verify/")
    page.get_by_label("A file").set_input_files(str(files[kind]))
    page.get_by_role("button", name="Check").click()
    verdict = page.locator("#verdict")
    verdict.wait_for()
    assert verdict.locator("h1").inner_text() == headline
    assert f"verdict-{kind}" in verdict.get_attribute("class")
    if kind == "here":
        assert verdict.get_by_text("Test Theatre signed this file").is_visible()
        assert verdict.locator("dd", has_text="preview-animatic-1").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the phone
    assert verdict.bounding_box()["y"] < 200  # the answer is the first thing on the page
    page.screenshot(path=str(artifacts / f"verify-{kind}-phone.png"), full_page=True)


def test_a_shared_films_page_links_to_its_check(live_server, phone_page, artifacts, files, private_media, alice):
    film = make_film(alice, title="Balcony Duet")
    film.video.save("film.mp4", ContentFile(files["here"].read_bytes()), save=True)
    link = ShareLink.objects.create(film=film)
    page = phone_page
    page.goto(f"{live_server.url}{link.get_absolute_url()}")
    page.get_by_role("link", name="Check its Content Credentials").click()
    page.locator("#verdict").wait_for()
    assert page.locator("#verdict h1").inner_text() == "Made here, and unchanged since"
    page.set_viewport_size({"width": 1100, "height": 900})
    page.screenshot(path=str(artifacts / "verify-share-link-desktop.png"), full_page=True)
