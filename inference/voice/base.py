"""The voice backend interface: text + language + an avatar's CastRef in, mono float32 audio out.

Backends are chosen by name (`get_voice_backend`), the same way the video generator backends are,
so the render job needs no knowledge of which voice engine runs.
"""
import logging
import os

import numpy as np

log = logging.getLogger(__name__)

DEFAULT_RATE = 24000


class VoiceError(RuntimeError):
    """A line could not be spoken (engine missing, bad language, empty output)."""


class VoiceBackend:
    """Speaks one line in one avatar's voice. Subclasses set `name` and implement `synthesize`."""

    name = "base"
    rate = DEFAULT_RATE

    def synthesize(self, text, language, voice):
        """Returns (samples, rate): float32 mono, silence trimmed at both ends."""
        raise NotImplementedError


def setting(name, default=None):
    """A knob from Django settings when they are configured, else from the environment."""
    try:
        from django.conf import settings

        if settings.configured and hasattr(settings, name):
            return getattr(settings, name)
    except ImportError:  # the voice code also runs in a bare worker or a benchmark
        pass
    return os.environ.get(name, default)


def get_voice_backend(name=None):
    """The backend called `name` ("espeak", "clone"); "auto"/None picks VOICE_BACKEND or espeak.

    "clone" falls back to espeak per line when its package or weights are missing, so asking for it
    on a CPU machine still gives a film with voices.
    """
    name = (name or setting("VOICE_BACKEND", "auto") or "auto").lower()
    if name in ("auto", "espeak", "default"):
        from .espeak import EspeakBackend

        return EspeakBackend()
    if name in ("clone", "cosyvoice", "cosyvoice2"):
        from .clone import CloneBackend

        return CloneBackend()
    raise ValueError(f"Unknown voice backend {name!r}: use 'espeak' or 'clone'.")


def as_float32(samples):
    return np.ascontiguousarray(samples, dtype=np.float32)
