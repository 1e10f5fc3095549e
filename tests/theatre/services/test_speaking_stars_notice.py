"""When casting a film that h3 will make, the page says what a fourth speaking star will do (the
model copies voices from at most three clips), in English and Chinese; nothing otherwise."""
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from inference import weights
from theatre.models import CastMember, Film
from theatre.services import casting

from tests.support.filmmaking import make_avatar, make_story_script

ROLES = tuple((key, key.title(), []) for key in ("a", "b", "c", "d"))


@pytest.fixture
def four_speakers(alice, private_media):
    script = make_story_script(roles=ROLES, owner=alice)
    film = Film.objects.create(owner=alice, script=script, title="Four voices")
    for role, name in zip(script.roles.all(), ("Ann", "Ben", "Cy", "Dee")):
        avatar = make_avatar(alice, name, voice_profile={"has_speech": True, "duration": 2.0})
        CastMember.objects.create(film=film, role=role, avatar=avatar)
    return film


@pytest.fixture
def backend(settings):
    def use(name):
        settings.THEATRE_BACKEND = name
        weights.forget_backend_state()

    yield use
    weights.forget_backend_state()


def test_it_names_the_fourth_speaking_star_when_h3_makes_the_film(four_speakers, backend):
    backend("tiny-h3")
    notice = casting.speaking_stars_notice(four_speakers)
    assert "at most 3 speaking stars" in notice and "Dee" in notice and "Ann" not in notice


def test_it_says_it_in_chinese(four_speakers, backend):
    backend("tiny-h3")
    with translation.override("zh-hans"):
        notice = casting.speaking_stars_notice(four_speakers)
    assert "最多从 3 位会说话的演员" in notice and "Dee" in notice


def test_it_says_nothing_for_a_backend_that_does_not_speak(four_speakers, backend):
    backend("preview")
    assert casting.speaking_stars_notice(four_speakers) == ""


def test_it_says_nothing_for_three_speaking_stars(four_speakers, backend):
    backend("tiny-h3")
    four_speakers.cast.filter(avatar__name="Dee").delete()
    assert casting.speaking_stars_notice(four_speakers) == ""


def test_the_casting_page_shows_it(four_speakers, alice, backend):
    backend("tiny-h3")
    client = Client()
    client.force_login(alice)
    page = client.get(reverse("theatre:film_edit", args=[four_speakers.pk])).content.decode()
    assert 'id="speaking-notice"' in page and "Dee will be shown from their pictures" in page
