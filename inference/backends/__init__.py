"""Generator backends: pick one by name ("preview", "wan", "tiny") or let "auto" decide.

"auto" means the real Wan2.1-VACE generator when this machine has CUDA and the weights folder, else
the CPU preview animatic. Heavy imports (torch, diffusers) happen only when a Wan backend is asked for.
"""
from pathlib import Path

from inference.backends.base import Backend, BackendUnavailable, RenderCancelled, frame_count

__all__ = ["Backend", "BackendUnavailable", "RenderCancelled", "frame_count", "get_backend", "choose_backend",
           "backend_names"]

BACKEND_NAMES = ("preview", "wan", "tiny")


def backend_names():
    return BACKEND_NAMES


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


def _weights_dir(weights_dir):
    found = weights_dir or _setting("WAN_WEIGHTS_DIR", None)
    return Path(found) if found else None


def cuda_available() -> bool:
    try:
        import torch
    except ImportError:
        return False
    return torch.cuda.is_available()


def choose_backend(setting: str | None = None, *, weights_dir: Path | str | None = None) -> str:
    """The backend name to use: the setting itself, or for "auto" wan when it can run, else preview."""
    setting = (setting or _setting("THEATRE_BACKEND", "auto")).lower()
    if setting != "auto":
        if setting not in BACKEND_NAMES:
            raise BackendUnavailable(f"Unknown backend {setting!r}; choose one of auto, {', '.join(BACKEND_NAMES)}.")
        return setting
    folder = _weights_dir(weights_dir)
    if folder is not None and folder.is_dir() and cuda_available():
        return "wan"
    return "preview"


def get_backend(name: str = "auto", **options) -> Backend:
    """A ready backend. Options go to the backend's factory (e.g. source=, lora= for wan)."""
    name = choose_backend(name, weights_dir=options.get("source"))
    if name == "preview":
        from inference.backends.preview import PreviewBackend

        return PreviewBackend(**options)
    if name == "tiny":
        from inference.backends.tiny import TinyWanBackend

        return TinyWanBackend(**options)
    from inference.backends.wan import wan_backend

    # The installed weights folder wins; else the model id, which loads only if already in the HF
    # cache. Neither: say so now, before anything asks for CUDA, so the film's reason is about weights.
    from inference.weights import installed_source

    folder = _weights_dir(None)
    if "source" not in options:
        options["source"] = installed_source()
        if options["source"] is None:
            from inference.backends.wan import not_installed

            raise not_installed(folder or _setting("WAN_MODEL", None))
    options.setdefault("weights_dir", folder)
    options.setdefault("lora", _setting("WAN_LORA", "") or None)
    options.setdefault("cpu_offload", _setting("WAN_CPU_OFFLOAD", False))
    options.setdefault("vae_tiling", _setting("WAN_VAE_TILING", False))
    return wan_backend(**options)
