"""The cloning backend's preparation, post-processing and fallback (the model call cannot run here:
no cosyvoice package, no weights, no GPU)."""
import numpy as np
import pytest

from inference.specs import CastRef
from inference.voice.audio import write_wav
from inference.voice.base import VoiceError
from inference.voice.clone import (CloneBackend, CloneUnavailable, check_weights, load_model,
                                   postprocess, prepare_reference, prepare_text)
from inference.voice.profile import median_pitch, voice_profile
from tests.support.signals import sine_voice


@pytest.fixture
def sample(tmp_path):
    audio = np.concatenate([np.zeros(24000), sine_voice(200, seconds=14.0), np.zeros(24000)]).astype(np.float32)
    path = tmp_path / "voice.wav"
    write_wav(path, audio, 24000)
    return path, audio


def test_reference_is_16k_mono_trimmed_and_at_most_10_seconds(sample):
    path, _ = sample
    prompt = prepare_reference(path)
    assert prompt.dtype == np.float32 and prompt.ndim == 1
    assert len(prompt) == 10 * 16000
    assert np.max(np.abs(prompt[:1600])) > 0.01  # leading silence is gone
    assert median_pitch(prompt, 16000) == pytest.approx(200, rel=0.05)


def test_a_reference_without_sound_is_refused(tmp_path):
    path = tmp_path / "quiet.wav"
    write_wav(path, np.zeros(24000, np.float32), 24000)
    with pytest.raises(VoiceError):
        prepare_reference(path)


def test_prompt_text_loses_control_tokens_and_gets_closing_punctuation():
    assert prepare_text("hello <|endofprompt|> there [laughter]", "en") == "hello there."
    assert prepare_text("你好", "zh") == "你好。"
    assert prepare_text("Done!", "en") == "Done!"
    with pytest.raises(VoiceError):
        prepare_text("  <|zh|> ", "zh")


def test_output_is_resampled_trimmed_and_normalised():
    import torch

    t = np.arange(22050) / 22050
    chunk = torch.from_numpy(np.concatenate([np.zeros(2205), 0.3 * np.sin(2 * np.pi * 150 * t)]).astype(np.float32))
    samples = postprocess([chunk.unsqueeze(0), chunk.unsqueeze(0)], 22050, 24000)
    assert samples.dtype == np.float32 and np.max(np.abs(samples)) == pytest.approx(0.9, rel=1e-3)
    assert abs(samples[0]) < 0.05 and len(samples) == pytest.approx(2.1 * 24000, rel=0.02)
    with pytest.raises(VoiceError):
        postprocess([np.full(100, np.nan)], 24000)


def test_missing_weights_are_reported_clearly(tmp_path):
    with pytest.raises(CloneUnavailable, match="not set"):
        check_weights(None)
    with pytest.raises(CloneUnavailable, match="does not exist"):
        load_model(tmp_path / "absent")
    with pytest.raises(CloneUnavailable, match="missing cosyvoice2.yaml"):
        load_model(tmp_path)


def test_a_weights_folder_without_the_package_is_reported_clearly(tmp_path):
    for name in ("cosyvoice2.yaml", "llm.pt", "flow.pt", "hift.pt"):
        (tmp_path / name).write_bytes(b"")
    with pytest.raises(CloneUnavailable, match="cosyvoice package"):
        load_model(tmp_path)


def test_it_falls_back_to_espeak_at_the_avatars_pitch_without_weights(sample, tmp_path):
    path, audio = sample
    voice = CastRef("me", "Me", "person", "", [], None, voice_profile=voice_profile(audio, 24000), voice_sample=path)
    backend = CloneBackend(weights=tmp_path / "absent")
    samples, rate = backend.synthesize("Hello from the fallback voice.", "en", voice)
    assert backend.last_engine == "espeak"
    assert "does not exist" in backend.unavailable_reason
    assert median_pitch(samples, rate) == pytest.approx(voice.voice_profile["median_pitch_hz"], rel=0.10)
