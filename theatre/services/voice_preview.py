""""Preview voice" on the avatar page: a short line in the avatar's current voice, as a WAV.

Synthesised by the same voice backend the render job uses, so the preview is what films will
sound like. Cached by (avatar, voice, language): repeated clicks cost a cache read.
"""
from django.core.cache import cache

from inference.specs import CastRef

PREVIEW_LINES = {"en": "Hello, this is how I sound.", "zh": "你好，这是我的声音。"}
CACHE_SECONDS = 7 * 86400


def preview_language(language_code):
    return "zh" if (language_code or "").lower().startswith("zh") else "en"


def voice_key(avatar):
    """What decides how the avatar sounds: its preset, else its own sample (a new clip, a new key)."""
    return avatar.voice_preset or f"own:{avatar.voice_sample.name}"


def cache_key(avatar, language):
    return f"voice-preview:{avatar.pk}:{voice_key(avatar)}:{language}"


def voice_preview_wav(avatar, language):
    """The WAV bytes of the preview line in `language` ("en" or "zh") spoken by `avatar`."""
    key = cache_key(avatar, language)
    wav = cache.get(key)
    if wav is None:
        wav = _synthesise(avatar, language)
        cache.set(key, wav, CACHE_SECONDS)
    return wav


def _synthesise(avatar, language):
    from inference.voice.audio import wav_bytes
    from inference.voice.base import get_voice_backend

    voice = CastRef(
        role_key="preview", name=avatar.name, kind=avatar.kind, description=avatar.description,
        reference_images=[], crop=None, voice_profile=avatar.voice_profile or {},
        voice_sample=_sample_path(avatar), voice_preset=avatar.voice_preset,
    )
    samples, rate = get_voice_backend().synthesize(PREVIEW_LINES[language], language, voice)
    return wav_bytes(samples, rate)


def _sample_path(avatar):
    from pathlib import Path

    try:
        return Path(avatar.voice_sample.path) if avatar.voice_sample else None
    except NotImplementedError:  # storage without local paths: the preset or profile still speaks
        return None
