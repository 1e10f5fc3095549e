"""Pitch tracking and voice profiles on signals whose answers are known."""
import numpy as np
import pytest

from inference.voice.profile import estimate_pitch, median_pitch, voice_profile
from tests.support.signals import music, sine_voice

RATE = 24000


def tone(f0, seconds=1.5, harmonics=1, rate=RATE):
    t = np.arange(int(seconds * rate)) / rate
    return sum(np.sin(2 * np.pi * f0 * k * t) / k for k in range(1, harmonics + 1)).astype(np.float32) * 0.3


@pytest.mark.parametrize("f0", [60, 110, 220, 440, 800])
def test_it_finds_the_pitch_of_a_pure_sine_within_2_percent(f0):
    assert median_pitch(tone(f0), RATE) == pytest.approx(f0, rel=0.02)


@pytest.mark.parametrize("f0", [75, 130, 210, 350])
def test_it_finds_the_fundamental_of_a_harmonic_tone_within_2_percent(f0):
    assert median_pitch(tone(f0, harmonics=8), RATE) == pytest.approx(f0, rel=0.02)


def test_it_finds_the_pitch_through_noise():
    noisy = tone(150, harmonics=6) + 0.05 * np.random.default_rng(1).standard_normal(int(1.5 * RATE))
    assert median_pitch(noisy, RATE) == pytest.approx(150, rel=0.02)


def test_it_works_at_other_sample_rates():
    assert median_pitch(tone(200, rate=16000, harmonics=4), 16000) == pytest.approx(200, rel=0.02)


def test_it_marks_silence_and_noise_unvoiced():
    noise = 0.1 * np.random.default_rng(2).standard_normal(RATE).astype(np.float32)
    assert np.isnan(estimate_pitch(np.zeros(RATE, np.float32), RATE)).all()
    assert np.isnan(estimate_pitch(noise, RATE)).mean() > 0.95


def test_it_gives_one_pitch_value_per_10_ms():
    assert abs(len(estimate_pitch(tone(100, seconds=2.0), RATE)) - 200) <= 1


def test_a_sine_voice_has_speech_and_its_numbers():
    profile = voice_profile(sine_voice(180), RATE)
    assert profile["has_speech"] is True
    assert profile["median_pitch_hz"] == pytest.approx(180, rel=0.05)
    assert 1.0 < profile["pitch_range_semitones"] < 6.0
    assert 1.0 < profile["speaking_rate_sps"] < 6.0
    assert -30 < profile["loudness_db"] < -5
    assert profile["duration"] == pytest.approx(3.0)


def test_espeak_speech_has_speech(tmp_path):
    from inference.voice.espeak import run_espeak

    for language, text in [("en", "The quick brown fox jumps over the lazy dog."), ("zh", "今天天气很好，我们去公园散步吧。")]:
        samples, rate = run_espeak(text, language)
        assert voice_profile(samples, rate)["has_speech"] is True


@pytest.mark.parametrize("clip", ["silence", "noise", "music", "drone"])
def test_a_clip_without_speech_has_no_speech(clip):
    rng = np.random.default_rng(3)
    samples = {
        "silence": np.zeros(3 * RATE, np.float32),
        "noise": 0.2 * rng.standard_normal(3 * RATE).astype(np.float32),
        "music": music(),
        "drone": tone(110, seconds=3.0, harmonics=5),
    }[clip]
    profile = voice_profile(samples, RATE)
    assert profile["has_speech"] is False
