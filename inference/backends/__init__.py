"""Generator backends: a registry of name -> factory, what each needs to run and the settings it
reads; pick one by name or let "auto" decide.

"auto" walks the registry in order and takes the first backend that can run here: `h3` (MiniMax-H3,
picture and sound together) when the operator has accepted its licence (H3_LICENCE_ACCEPTED), this
machine has CUDA and its weights are installed; else `wan` (Wan2.1-VACE, silent, our voices laid
over) when CUDA and its weights are there; else `preview`, the CPU animatic. The tiny backends (tiny,
tiny-h3: the real pipeline classes with random weights) are never chosen by auto. Heavy imports
(torch, diffusers) happen only when a GPU backend is asked for.

Adding a model is one module with a factory plus one `Entry` here.
"""
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path

from inference.backends.base import (SOUND_MODEL, SOUND_NONE, SOUND_SYNTHETIC, Backend, BackendUnavailable,
                                     FilmRender, RenderCancelled, frame_count)

__all__ = ["Backend", "BackendUnavailable", "FilmRender", "RenderCancelled", "SOUND_MODEL", "SOUND_NONE",
           "SOUND_SYNTHETIC", "REGISTRY", "Entry", "frame_count", "get_backend", "choose_backend",
           "backend_names"]


def _setting(name, default):
    """Reads a Django setting when Django is configured; these modules also run without it."""
    try:
        from django.conf import settings
        from django.core.exceptions import ImproperlyConfigured
    except ImportError:
        return default
    try:
        return getattr(settings, name, default)
    except ImproperlyConfigured:  # no DJANGO_SETTINGS_MODULE: a benchmark or a plain script
        return default


def cuda_available() -> bool:
    try:
        import torch
    except ImportError:
        return False
    return torch.cuda.is_available()


def _wan_weights_dir(weights_dir=None):
    found = weights_dir or _setting("WAN_WEIGHTS_DIR", None)
    return Path(found) if found else None


def _wan_can_run(weights_dir=None) -> bool:
    folder = _wan_weights_dir(weights_dir)
    return folder is not None and folder.is_dir() and cuda_available()


def _h3_can_run(weights_dir=None) -> bool:
    if not h3_licence_accepted():
        return False  # checked first: without it auto must not even look for the weights
    from inference.weights import installed_h3_source

    return installed_h3_source() is not None and cuda_available()


def h3_licence_accepted() -> bool:
    return bool(_setting("H3_LICENCE_ACCEPTED", False))


@dataclass(frozen=True)
class Entry:
    """One backend: how to build it, what it needs, which settings it reads, and whether auto may
    pick it (`can_run` answers for this machine; None: auto never picks it)."""

    name: str
    factory: str  # "module:callable", imported only when the backend is built
    model: str  # the model in words, for the README, the admin and the film page
    needs: str  # what it needs to run, in one phrase
    speaks: bool = False  # makes the film's sound itself (no synthetic voice is laid over it)
    settings: tuple[str, ...] = ()
    can_run: Callable[..., bool] | None = field(default=None, compare=False)

    def build(self, **options) -> Backend:
        module, _, attribute = self.factory.partition(":")
        return getattr(import_module(module), attribute)(**options)


# In auto's order of preference.
REGISTRY: dict[str, Entry] = {entry.name: entry for entry in (
    Entry("h3", "inference.backends.h3:h3_backend", "MiniMax-H3 (ref2va), picture and sound together",
          "a CUDA GPU with 80 GB or more, the MiniMax-H3 weights, and H3_LICENCE_ACCEPTED", speaks=True,
          settings=("H3_LICENCE_ACCEPTED", "H3_MODEL", "H3_WEIGHTS_DIR", "H3_CPU_OFFLOAD", "H3_STEPS"),
          can_run=_h3_can_run),
    Entry("wan", "inference.backends.wan:wan_backend_from_settings", "Wan2.1-VACE, silent (our voices laid over)",
          "a CUDA GPU and the Wan weights",
          settings=("WAN_MODEL", "WAN_WEIGHTS_DIR", "WAN_LORA", "WAN_CPU_OFFLOAD", "WAN_VAE_TILING"),
          can_run=_wan_can_run),
    Entry("preview", "inference.backends.preview:PreviewBackend", "the CPU storyboard animatic", "nothing (CPU)",
          can_run=lambda weights_dir=None: True),
    Entry("tiny", "inference.backends.tiny:TinyWanBackend", "Wan2.1-VACE classes with tiny random weights (tests)",
          "nothing (CPU); films show noise"),
    Entry("tiny-h3", "inference.backends.h3:tiny_h3_backend", "MiniMax-H3 classes with tiny random weights (tests)",
          "nothing (CPU); films show noise and hum", speaks=True),
)}


def backend_names():
    return tuple(REGISTRY)


def choose_backend(setting: str | None = None, *, weights_dir: Path | str | None = None) -> str:
    """The backend name to use: the setting itself, or for "auto" the first registry entry that can
    run here. `h3` named outright without the licence setting is refused, not quietly replaced."""
    setting = (setting or _setting("THEATRE_BACKEND", "auto")).lower()
    if setting != "auto":
        if setting not in REGISTRY:
            raise BackendUnavailable(f"Unknown backend {setting!r}; choose one of auto, {', '.join(REGISTRY)}.")
        if setting == "h3" and not h3_licence_accepted():
            from inference.backends.h3 import licence_not_accepted

            raise licence_not_accepted()
        return setting
    for entry in REGISTRY.values():
        if entry.can_run is not None and entry.can_run(weights_dir):
            return entry.name
    return "preview"


def get_backend(name: str = "auto", **options) -> Backend:
    """A ready backend. Options go to the backend's factory (e.g. source=, lora= for wan)."""
    name = choose_backend(name, weights_dir=options.get("source"))
    return REGISTRY[name].build(**options)
