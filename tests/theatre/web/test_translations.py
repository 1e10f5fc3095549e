"""The journey's pages in Simplified Chinese carry no English UI text, and the catalog compiles cleanly."""
import gettext
import re
import shutil
import subprocess
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.test import Client

from tests.support.filmmaking import approve, make_avatar, make_film
from theatre.services import casting
from theatre.models import Avatar, Script, ShareLink
from tests.support.paths import BASE_DIR

LOCALE = BASE_DIR / "locale" / "zh_Hans" / "LC_MESSAGES"
# Shown as themselves on purpose: the language menu names each language in its own words, and the
# AI label is bilingual on every film.
ALLOWED = {"English", "AI", "AI-generated · AI生成"}
SHOWN_ATTRIBUTES = ("alt", "aria-label", "placeholder", "title")


class VisibleText(HTMLParser):
    """Text a person sees or hears: text nodes and labelling attributes, not scripts or metadata."""

    def __init__(self):
        super().__init__()
        self.chunks, self.skipping = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "head"):
            self.skipping += 1
        for name, value in attrs:
            if name in SHOWN_ATTRIBUTES and value:
                self.chunks.append(value)
            if name == "value" and tag == "input" and ("type", "submit") in attrs:
                self.chunks.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "head") and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.chunks.append(data)


def english_ui_strings():
    """The catalog's English msgids whose translation differs from them (so they must not show)."""
    with open(LOCALE / "django.mo", "rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog
    strings = set()
    for key, translation in catalog.items():
        msgid = key[0] if isinstance(key, tuple) else key
        if msgid and translation != msgid and re.search("[A-Za-z]{2}", msgid):
            strings.add(msgid)
    return strings


def untranslated(html, english):
    parser = VisibleText()
    parser.feed(html)
    chunks = [" ".join(chunk.split()) for chunk in parser.chunks]
    found = {chunk for chunk in chunks if chunk in english and chunk not in ALLOWED}
    # Longer sentences may sit inside a chunk with other words (a link, a name) around them.
    page = " ".join(chunks)
    found |= {msgid for msgid in english if len(msgid) > 24 and "%" not in msgid and msgid in page}
    return sorted(found)


@pytest.fixture
def journey(private_media, alice, bob, carol, befriend):
    """A small world in Chinese words: Alice's avatar and films, Bob her friend, Carol a stranger with a link."""
    call_command("load_stock", verbosity=0)
    befriend(alice, bob)
    ally = make_avatar(alice, "小艾", policy=Avatar.Policy.APPROVED)
    approve(ally, bob)
    make_avatar(carol, "小卡")
    film = make_film(alice, title="阳台二重唱", cast=[ally])
    link = ShareLink.objects.create(film=film)
    template = Script.objects.filter(is_template=True, language="zh-hans").first()
    draft = casting.start_film(alice, template)
    return {"ally": ally, "film": film, "link": link, "draft": draft}


def client_for(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    if user is not None:
        client.force_login(user)
    return client


def test_the_journey_pages_have_no_english_ui_text_in_chinese(journey, alice, bob, carol):
    english = english_ui_strings()
    ally, film, link, draft = journey["ally"], journey["film"], journey["link"], journey["draft"]
    pages = [
        (None, "/"), (None, "/templates/"), (None, "/accounts/signup/"), (None, "/accounts/login/"),
        (None, link.get_absolute_url()), (None, "/verify/"),
        (alice, "/"), (alice, "/templates/"), (alice, "/avatars/"), (alice, "/avatars/new/"),
        (alice, ally.get_absolute_url()), (alice, "/accounts/friends/"), (alice, f"/films/{draft.pk}/edit/"),
        (alice, film.get_absolute_url()), (alice, "/films/"),
        (bob, ally.get_absolute_url()), (bob, "/avatars/"),
    ]
    # The check itself must see English when it is there.
    assert "Pick a story" in untranslated(Client(HTTP_ACCEPT_LANGUAGE="en").get("/").content.decode(), english)
    problems = {}
    for user, url in pages:
        response = client_for(user).get(url)
        assert response.status_code == 200, url
        assert response.headers["Content-Language"] == "zh-hans", url
        found = untranslated(response.content.decode(), english)
        if found:
            problems[f"{user or 'visitor'} {url}"] = found

    # Carol reaches the swap page through the share link, as a visitor who then logs in does.
    carol_client = client_for(carol)
    carol_client.get(link.get_absolute_url())
    found = untranslated(carol_client.get(f"/films/{film.pk}/swap/").content.decode(), english)
    if found:
        problems["carol swap"] = found
    assert problems == {}


def test_the_chinese_catalog_is_complete_and_passes_msgfmt_check():
    po = (LOCALE / "django.po").read_text()
    assert "#, fuzzy" not in po
    # An empty msgstr followed by a blank line (or the end) is an untranslated entry; the header is the only one allowed.
    assert len(re.findall(r'^msgstr(?:\[\d+\])? ""\n(?:\n|\Z)', po, flags=re.M)) == 0
    if shutil.which("msgfmt") is None:
        pytest.skip("msgfmt (gettext) is not installed")
    result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(LOCALE / "django.po")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_the_verify_pages_answers_have_no_english_ui_text_in_chinese(db, site_signing, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.support.provenance import signed_film, tampered, write_plain_film

    english = english_ui_strings()
    here, _stamp = signed_film(tmp_path / "here.mp4", site_signing)
    files = [here.read_bytes(), tampered(here.read_bytes()), write_plain_film(tmp_path / "plain.mp4").read_bytes(), b"junk"]
    problems = {}
    for number, data in enumerate(files):
        response = client_for(None).post("/verify/", {"file": SimpleUploadedFile("f.mp4", data), "url": ""})
        assert response.status_code == 200 and b'id="verdict"' in response.content
        # "AI Little Theatre" there is the software's name as the file's manifest states it: data, not UI.
        found = [text for text in untranslated(response.content.decode(), english) if text != "AI Little Theatre"]
        if found:
            problems[number] = found
    assert problems == {}
