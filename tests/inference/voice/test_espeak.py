"""The espeak-ng backend lands on each reference voice's pitch, speaks both languages, and never
hands the text to a shell; presets cover avatars without speech."""
import numpy as np
import pytest

from inference.specs import CastRef
from inference.voice.audio import write_wav
from inference.voice.base import get_voice_backend
from inference.voice.espeak import EspeakBackend, run_espeak
from inference.voice.presets import PRESETS, preset_for
from inference.voice.profile import median_pitch, resample, voice_profile
from tests.support.signals import music, sine_voice

RATE = 24000
LINES = {"en": "Hello! Shall we go to the park together this afternoon?", "zh": "你好！我们今天下午一起去公园玩吧。"}


def avatar(samples, rate, tmp_path, kind="person", description=""):
    """A CastRef as the avatar ingest would make it: a profile and a 24 kHz voice sample file."""
    samples = resample(samples, rate, RATE)
    path = tmp_path / "voice.wav"
    write_wav(path, samples, RATE)
    return CastRef("me", "Me", kind, description, [], None, voice_profile=voice_profile(samples, RATE),
                   voice_sample=path)


@pytest.fixture(scope="module")
def backend():
    return EspeakBackend()


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("espeak_pitch", [20, 50, 80])
def test_a_line_lands_within_10_percent_of_an_espeak_reference_pitch(backend, tmp_path, language, espeak_pitch):
    # The reference speaks other words, in the other language, at another espeak pitch.
    other = "en" if language == "zh" else "zh"
    reference, rate = run_espeak(LINES[other], other, pitch=espeak_pitch)
    voice = avatar(reference, rate, tmp_path)
    assert voice.voice_profile["has_speech"]
    samples, out_rate = backend.synthesize(LINES[language], language, voice)
    assert median_pitch(samples, out_rate) == pytest.approx(voice.voice_profile["median_pitch_hz"], rel=0.10)


@pytest.mark.parametrize("f0", [95, 180, 260])
@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_line_lands_within_10_percent_of_a_sine_voice_pitch(backend, tmp_path, f0, language):
    voice = avatar(sine_voice(f0), RATE, tmp_path)
    assert voice.voice_profile["has_speech"]
    samples, rate = backend.synthesize(LINES[language], language, voice)
    assert median_pitch(samples, rate) == pytest.approx(voice.voice_profile["median_pitch_hz"], rel=0.10)


@pytest.mark.parametrize("clip", ["noise", "music"])
def test_a_clip_without_speech_gets_a_preset_voice(backend, tmp_path, clip):
    samples = music() if clip == "music" else 0.2 * np.random.default_rng(4).standard_normal(3 * RATE)
    voice = avatar(samples.astype(np.float32), RATE, tmp_path, kind="pet", description="a fluffy orange cat")
    assert voice.voice_profile["has_speech"] is False
    line, rate = backend.synthesize(LINES["en"], "en", voice)
    assert median_pitch(line, rate) == pytest.approx(PRESETS["cat"]["median_pitch_hz"], rel=0.10)


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_every_preset_speaks_at_its_pitch(backend, name):
    voice = CastRef("x", "X", "object", "", [], None, voice_preset=name)
    line, rate = backend.synthesize("Good evening, everyone. The show begins now.", "en", voice)
    assert median_pitch(line, rate) == pytest.approx(PRESETS[name]["median_pitch_hz"], rel=0.10)


@pytest.mark.parametrize("language", ["en", "zh", "zh-CN", "en-GB"])
def test_espeak_speaks_chinese_and_english(backend, language):
    voice = CastRef("x", "X", "person", "", [], None, voice_preset="warm_female")
    text = LINES["zh" if language.startswith("zh") else "en"]
    samples, rate = backend.synthesize(text, language, voice)
    assert rate == RATE and samples.dtype == np.float32
    assert len(samples) / rate > 1.0
    assert np.sqrt(np.mean(samples**2)) > 0.02 and np.max(np.abs(samples)) <= 1.0


def test_text_with_shell_metacharacters_is_spoken_literally(backend, tmp_path):
    marker = tmp_path / "pwned"
    text = f'-x "Quote" it\'s $(touch {marker}) `touch {marker}`; touch {marker} && echo <b>bold</b> | cat'
    voice = CastRef("x", "X", "person", "", [], None, voice_preset="bright_male")
    samples, rate = backend.synthesize(text, "en", voice)
    assert not marker.exists()
    # Every word is read out: about as long as the same words with the symbols removed.
    words_only = "x Quote its touch " + " ".join(["touch"] * 3) + " echo b bold b cat"
    short, short_rate = run_espeak(words_only, "en")
    assert len(samples) / rate > 0.8 * len(short) / short_rate


def test_preset_for_reads_kind_and_description_in_english_and_chinese():
    assert preset_for("object", "A shiny tin robot") == "robot"
    assert preset_for("pet", "我家的小猫咪") == "cat"
    assert preset_for("cartoon", "a brave knight in armour") == "knight"
    assert preset_for("person", "一位慈祥的老奶奶") == "grandmother"
    assert preset_for("person", "an old woman with a shawl") == "grandmother"
    assert preset_for("cartoon", "会喷火的龙") == "dragon"
    assert preset_for("person", "宇航员") == "astronaut"
    assert preset_for("person", "一个小女孩") == "child"
    assert preset_for("person", "a tall man") == "bright_male"
    assert preset_for("person", "a woman in red") == "warm_female"
    assert preset_for("object", "a teapot") == "robot"
    assert preset_for("pet", "") == "cat"


def test_get_voice_backend_names_the_backends():
    assert get_voice_backend("espeak").name == "espeak"
    assert get_voice_backend("clone").name == "clone"
    with pytest.raises(ValueError):
        get_voice_backend("nope")
