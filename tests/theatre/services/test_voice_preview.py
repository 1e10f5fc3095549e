"""The avatar page lets its owner hear and change the avatar's voice; stock characters have their own."""
import io
import wave

import numpy as np
import pytest
from django.core.cache import cache
from django.urls import reverse

from inference.voice.presets import PRESETS
from inference.voice.profile import voice_profile
from theatre.services import voice_preview
from theatre.models import Avatar
from theatre.stock.characters import CHARACTERS

from tests.support.filmmaking import make_avatar


@pytest.fixture
def mia(alice, private_media, redis_conn):
    return make_avatar(alice, name="Mia", kind="person", description="a woman", voice_preset="warm_female", with_files=False)


def preview(client, avatar, language="en"):
    return client.get(reverse("theatre:avatar_voice_preview", args=[avatar.pk]), HTTP_ACCEPT_LANGUAGE=language)


def decode(response):
    with wave.open(io.BytesIO(response.content)) as wav:
        rate = wav.getframerate()
        samples = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2").astype(np.float32) / 32768
    return samples, rate


def test_the_owner_hears_a_short_line_in_the_avatars_voice(client, alice, mia):
    client.force_login(alice)
    response = preview(client, mia)
    assert response.status_code == 200 and response["Content-Type"] == "audio/wav"
    samples, rate = decode(response)
    assert 1.0 < len(samples) / rate < 5.0
    pitch = voice_profile(samples, rate)["median_pitch_hz"]
    assert abs(pitch - PRESETS["warm_female"]["median_pitch_hz"]) / PRESETS["warm_female"]["median_pitch_hz"] < 0.15


def test_the_line_is_in_the_pages_language(client, alice, mia):
    client.force_login(alice)
    preview(client, mia, "zh-hans")
    assert cache.get(voice_preview.cache_key(mia, "zh")) is not None
    assert cache.get(voice_preview.cache_key(mia, "en")) is None


def test_a_second_click_is_served_from_the_cache(client, alice, mia):
    client.force_login(alice)
    first = preview(client, mia).content
    assert cache.get(voice_preview.cache_key(mia, "en")) == first
    cache.set(voice_preview.cache_key(mia, "en"), b"cached")  # proves the next answer is not a new synthesis
    assert preview(client, mia).content == b"cached"


def test_changing_the_voice_changes_what_the_preview_says(client, alice, mia):
    client.force_login(alice)
    before = voice_profile(*decode(preview(client, mia)))["median_pitch_hz"]
    response = client.post(reverse("theatre:avatar_settings", args=[mia.pk]),
                           {"name": "Mia", "description": "a woman", "policy": mia.policy, "voice_preset": "deep"})
    assert response.status_code == 302
    mia.refresh_from_db()
    assert mia.voice_preset == "deep"
    after = voice_profile(*decode(preview(client, mia)))["median_pitch_hz"]
    assert after < before * 0.6  # 85 Hz against 205 Hz


def test_an_unknown_voice_is_refused(client, alice, mia):
    client.force_login(alice)
    client.post(reverse("theatre:avatar_settings", args=[mia.pk]),
                {"name": "Mia", "description": "", "policy": mia.policy, "voice_preset": "nobody"})
    mia.refresh_from_db()
    assert mia.voice_preset == "warm_female"


def test_the_owners_page_has_the_preview_button_and_the_voice_select(client, alice, mia):
    client.force_login(alice)
    page = client.get(mia.get_absolute_url()).content.decode()
    assert reverse("theatre:avatar_voice_preview", args=[mia.pk]) in page and "Preview voice" in page
    assert 'name="voice_preset"' in page and 'value="deep"' in page


def test_nobody_else_may_preview_someone_elses_avatar(client, bob, mia):
    client.force_login(bob)
    assert preview(client, mia).status_code == 404
    client.logout()
    assert preview(client, mia).status_code == 302


def test_stock_characters_have_their_own_voices_and_anyone_signed_in_may_hear_them(client, bob, private_media, redis_conn):
    from theatre.stock.loading import load_stock

    load_stock()
    presets = {character.stock_key: character.voice_preset for character in CHARACTERS}
    assert all(preset in PRESETS for preset in presets.values())
    assert len(set(presets.values())) == len(presets)  # each has its own
    for avatar in Avatar.objects.filter(stock_key__isnull=False):
        assert avatar.voice_preset == presets[avatar.stock_key]
    client.force_login(bob)
    robot = Avatar.objects.get(stock_key="robot")
    assert preview(client, robot).status_code == 200
