"""The default voice backend: espeak-ng, steered toward the avatar's voice by signal processing.

espeak-ng is told the pitch, pitch range and rate the avatar's voice profile asks for; the line is
then pitch-shifted (WSOLA + resampling, duration kept) until its median pitch lands on the
profile's, EQ'd toward the avatar's own long-term spectrum (or spectral tilt), and given a preset's
effect when the avatar had no speech. It sounds synthetic, but it runs anywhere in milliseconds.
"""
import io
import shutil
import subprocess
import wave
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np

from . import dsp
from .base import DEFAULT_RATE, VoiceBackend, VoiceError, as_float32
from .presets import apply_effect, preset_for, preset_profile
from .profile import median_pitch, resample, to_mono_float

ESPEAK = "espeak-ng"
# Measured here (espeak-ng 1.51, default range): median f0 at -p 50 and how f0 grows per -p step.
PITCH_AT_50 = {"en": 105.0, "cmn": 96.0}
LOG_PITCH_PER_STEP = 0.0085
# SSML prosody range value -> 10th-90th percentile pitch range in semitones (measured, English).
RANGE_SEMITONES = [0.4, 2.7, 5.4, 7.2]
RANGE_SETTING = [0, 25, 50, 100]
# At -s 175 (espeak's default) our syllable counter reads about 4.9 syllables/s in both languages.
SPS_AT_175_WPM = 4.9
# espeak's Mandarin reads about 2.3 characters/s at 175 wpm, half a natural pace: it needs twice
# the setting (measured: 17 characters take 7.4 s at 175 and 4.1 s at 350).
WPM_FACTOR = {"en": 1.0, "cmn": 2.0}
PITCH_TOLERANCE = 0.03  # re-shift when the measured median is further than 3% from the target


def espeak_voice(language):
    """espeak-ng's voice name for a script language code ('zh', 'zh-CN', 'en', 'en-GB', ...)."""
    code = (language or "en").lower().replace("_", "-")
    if code.startswith(("zh", "cmn")):
        return "yue" if "yue" in code or code in ("zh-hk", "zh-mo") else "cmn"
    if code == "en" or code.startswith("en-us"):
        return "en-us"
    return code


def target_profile(voice):
    """(profile, preset name): the avatar's measured voice, or a preset when its clip had no speech."""
    profile = dict(voice.voice_profile or {})
    if profile.get("has_speech") and profile.get("median_pitch_hz"):
        return profile, ""
    name = voice.voice_preset or preset_for(voice.kind, voice.description)
    return preset_profile(name), name


def espeak_command(voice_name, pitch, wpm):
    """The argument list (no shell): SSML on stdin, WAV on stdout."""
    return [ESPEAK, "-m", "-b", "1", "--stdout", "-v", voice_name, "-p", str(int(pitch)),
            "-s", str(int(wpm)), "--stdin"]


def run_espeak(text, language, pitch=50, range_setting=50, wpm=175):
    """Runs espeak-ng once; returns (samples, rate) exactly as espeak made them.

    The text goes in on stdin as escaped SSML, never on a command line and never through a shell,
    so quotes, `$()`, backticks, `;` and leading dashes are just text to be read out.
    """
    if shutil.which(ESPEAK) is None:
        raise VoiceError("espeak-ng is not installed (apt-get install espeak-ng).")
    flat = " ".join(str(text).split())
    ssml = f'<speak><prosody range="{int(range_setting)}">{escape(flat)}</prosody></speak>'
    result = subprocess.run(
        espeak_command(espeak_voice(language), pitch, wpm),
        input=ssml.encode("utf-8"), capture_output=True, timeout=30, check=False,
    )
    if result.returncode != 0 or len(result.stdout) <= 44:
        raise VoiceError(f"espeak-ng failed ({result.returncode}): {result.stderr.decode(errors='replace')[:200]}")
    return read_wav_bytes(result.stdout)


def read_wav_bytes(data):
    """16-bit PCM WAV bytes -> (float32 mono, rate). espeak's streamed header may overstate length."""
    with wave.open(io.BytesIO(data)) as wav:
        rate, channels = wav.getframerate(), wav.getnchannels()
        frames = wav.readframes(wav.getnframes())
    samples = np.frombuffer(frames[: len(frames) // 2 * 2], dtype="<i2").astype(np.float32) / 32768.0
    if channels > 1:
        samples = samples[: len(samples) // channels * channels].reshape(-1, channels).mean(axis=1)
    return samples, rate


@lru_cache(maxsize=32)
def _cached_audio(path, mtime, rate):
    from .audio import load_audio

    return load_audio(Path(path), rate)


def _reference_audio(path, rate):
    """The avatar's voice sample, read once per render (keyed by mtime: a re-recorded clip reloads)."""
    return _cached_audio(str(path), Path(path).stat().st_mtime_ns, rate)


def espeak_settings(profile, language):
    """espeak-ng pitch (-p), SSML range and rate (-s wpm) for a voice profile."""
    key = "cmn" if espeak_voice(language) in ("cmn", "yue") else "en"
    target = float(profile.get("median_pitch_hz") or PITCH_AT_50[key])
    pitch = 50 + np.log(target / PITCH_AT_50[key]) / LOG_PITCH_PER_STEP
    range_setting = np.interp(float(profile.get("pitch_range_semitones", 5.4)), RANGE_SEMITONES, RANGE_SETTING)
    sps = float(profile.get("speaking_rate_sps") or SPS_AT_175_WPM)
    wpm = 175 * WPM_FACTOR[key] * np.clip(sps, 2.0, 8.0) / SPS_AT_175_WPM
    return int(np.clip(pitch, 0, 99)), int(round(range_setting)), int(np.clip(wpm, 80, 500))


def shift_to_pitch(samples, rate, target_hz):
    """Pitch-shifts until the median f0 is within 3% of `target_hz` (two passes at most)."""
    measured = median_pitch(samples, rate)
    if not np.isfinite(measured) or not target_hz:
        return samples
    ratio = float(np.clip(target_hz / measured, 0.3, 3.5))
    shifted = dsp.pitch_shift(samples, rate, ratio)
    for _ in range(2):
        now = median_pitch(shifted, rate)
        if not np.isfinite(now) or abs(now / target_hz - 1) <= PITCH_TOLERANCE:
            break
        ratio = float(np.clip(ratio * target_hz / now, 0.3, 3.5))
        shifted = dsp.pitch_shift(samples, rate, ratio)
    return shifted


class EspeakBackend(VoiceBackend):
    """espeak-ng plus pitch, spectrum and effect processing toward the avatar's voice."""

    name = "espeak"

    def __init__(self, rate=DEFAULT_RATE, match_pitch=True, match_timbre=True):
        self.rate = rate
        self.match_pitch = match_pitch
        self.match_timbre = match_timbre

    def synthesize(self, text, language, voice):
        if not str(text).strip():
            raise VoiceError("Nothing to say: the line is empty.")
        profile, preset = target_profile(voice)
        pitch, range_setting, wpm = espeak_settings(profile, language)
        raw, raw_rate = run_espeak(text, language, pitch, range_setting, wpm)
        samples = dsp.trim_silence(resample(raw, raw_rate, self.rate), self.rate)
        if self.match_pitch:
            samples = shift_to_pitch(samples, self.rate, profile.get("median_pitch_hz"))
        if self.match_timbre:
            samples = self._match_timbre(samples, voice, profile, preset)
        if preset:
            samples = apply_effect(samples, self.rate, profile.get("effect", ""))
        samples = dsp.trim_silence(samples, self.rate)
        peak = float(np.max(np.abs(samples))) if len(samples) else 0.0
        if peak == 0:
            raise VoiceError(f"espeak-ng produced silence for {text!r}.")
        return as_float32(samples * (0.9 / peak)), self.rate

    def _match_timbre(self, samples, voice, profile, preset):
        """EQ toward the avatar's own speech when there is a sample of it, else toward its tilt."""
        if not preset and voice.voice_sample and Path(voice.voice_sample).exists():
            reference = _reference_audio(str(voice.voice_sample), self.rate)
            if len(reference) >= self.rate // 2:
                return dsp.match_spectrum(samples, self.rate, to_mono_float(reference), self.rate)
        tilt = profile.get("spectral_tilt_db_per_octave")
        if tilt is not None:
            from .profile import spectral_tilt

            return dsp.tilt_spectrum(samples, self.rate, float(tilt) - spectral_tilt(samples, self.rate))
        return samples
