"""/verify/ as a visitor uses it, logged out: upload a file or paste a film's address, read the
answer; bad uploads get a clear error and never a 500; checks are rate-limited."""
import lxml.html
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from theatre.models import ShareLink
from tests.support.filmmaking import make_film
from tests.support.provenance import signed_film, tampered, write_plain_film

VERIFY = "/verify/"


@pytest.fixture
def films(site_signing, tmp_path):
    here, _stamp = signed_film(tmp_path / "here.mp4", site_signing, film_id=42)
    return {"here": here.read_bytes(), "tampered": tampered(here.read_bytes()),
            "plain": write_plain_film(tmp_path / "plain.mp4").read_bytes()}


def upload(client, data, name="film.mp4", **extra):
    return client.post(VERIFY, {"file": SimpleUploadedFile(name, data, content_type="video/mp4"), "url": ""}, **extra)


def verdict(response):
    assert response.status_code == 200
    tree = lxml.html.fromstring(response.content.decode())
    found = tree.xpath('//*[@id="verdict"]')
    return (found[0].get("class").split()[-1], found[0].xpath("string(.//h1)").strip()) if found else None


def errors(response):
    return [e.text_content() for e in lxml.html.fromstring(response.content.decode()).xpath('//*[@class="error"]')]


def test_anyone_may_open_it_and_the_url_is_verify(client, db):
    assert reverse("theatre:verify") == VERIFY
    response = client.get(VERIFY)
    assert response.status_code == 200 and verdict(response) is None
    assert b'enctype="multipart/form-data"' in response.content


@pytest.mark.parametrize("kind, answer", [
    ("here", "Made here, and unchanged since"),
    ("tampered", "Changed after it was signed"),
    ("plain", "No Content Credentials"),
])
def test_an_upload_gets_a_clear_answer(client, films, kind, answer):
    assert verdict(upload(client, films[kind])) == (f"verdict-{'none' if kind == 'plain' else kind}", answer)


def test_an_upload_spooled_to_disk_reads_the_same(client, films, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1000  # Django keeps larger uploads in a temporary file
    assert verdict(upload(client, films["here"]))[0] == "verdict-here"


def test_the_answer_lists_the_aigc_label(client, films):
    html = upload(client, films["here"]).content.decode()
    for field in ("Label", "ContentProducer", "ProduceID", "ReservedCode1", "ContentPropagator", "PropagateID",
                  "ReservedCode2"):
        assert f"<code>{field}</code>" in html
    assert "Test Theatre" in html and "preview-animatic-1" in html


@pytest.mark.parametrize("data, name", [
    (b"", "empty.mp4"), (b"\x00" * 5000, "zeros.mp4"), (b"<svg onload=alert(1)>", "x.svg"),
    (b"GIF89a" + b"\x00" * 100, "film.gif"), (b"\xff\xd8\xff\xe0broken jpeg", "a.jpg"),
])
def test_bad_uploads_get_a_clear_answer_and_no_500(client, films, data, name):
    response = upload(client, data, name)
    assert response.status_code == 200
    result = verdict(response)
    assert result is not None or errors(response)
    if result:
        assert result[0] in ("verdict-unreadable", "verdict-none")


def test_a_file_over_the_cap_is_refused_with_the_limit(client, films, settings):
    settings.VERIFY_MAX_BYTES = 100_000
    response = upload(client, b"\x00" * 300_000)
    assert verdict(response) is None and any("too big" in e and "MB" in e for e in errors(response))


def test_an_empty_form_asks_for_a_file_or_an_address(client, db):
    response = client.post(VERIFY, {"url": "  "})
    assert verdict(response) is None and errors(response) == ["Choose a file, or paste the address of a film on this site."]


def test_a_share_link_is_checked_logged_out_and_the_watch_page_links_there(client, films, private_media, alice):
    film = make_film(alice)
    film.video.save("film.mp4", ContentFile(films["here"]), save=True)
    link = ShareLink.objects.create(film=film)
    page = client.get(link.get_absolute_url()).content.decode()
    tree = lxml.html.fromstring(page)
    [href] = tree.xpath('//a[@id="verify-link"]/@href')
    assert href.startswith(VERIFY + "?url=")
    assert verdict(client.get(href)) == ("verdict-here", "Made here, and unchanged since")


def test_an_address_elsewhere_is_refused_and_not_fetched(client, db):
    response = client.get(VERIFY, {"url": "https://example.com/films/1/"})
    assert verdict(response) is None and errors(response) == [
        "Only films on this site can be checked by address. To check another file, upload it."]


def test_a_private_film_cannot_be_checked_by_a_stranger(client, films, private_media, alice, bob):
    film = make_film(alice)
    client.force_login(bob)
    response = client.get(VERIFY, {"url": f"/films/{film.pk}/"})
    assert verdict(response) is None and "no film you may watch" in errors(response)[0]


def test_checks_are_rate_limited(client, films, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "verify": (2, 600)}
    assert upload(client, films["plain"]).status_code == 200
    assert upload(client, films["plain"]).status_code == 200
    response = upload(client, films["plain"])
    assert response.status_code == 429 and response["Retry-After"]


def test_the_page_speaks_chinese(client, films):
    response = upload(client, films["here"], HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = response.content.decode()
    assert "检查文件" in html and "本站制作，之后未被改动" in html and "签名者" in html
