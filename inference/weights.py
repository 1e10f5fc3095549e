"""The Wan weights on disk: downloading them on a machine with internet, checking a folder is a
complete WanVACEPipeline, and saying in one sentence what the site renders with when they are missing.

`manage.py fetch_weights` drives the first two; the film edit page and the admin show the third.
"""
import json
from functools import lru_cache
from pathlib import Path

from django.conf import settings

MODELS = {  # shorthands accepted by --model
    "1.3b": "Wan-AI/Wan2.1-VACE-1.3B-diffusers",
    "14b": "Wan-AI/Wan2.1-VACE-14B-diffusers",
    "h3": "MiniMaxAI/MiniMax-H3",
}
H3_PIPELINE = "MiniMaxH3ModularPipeline"
# The ref2va workflow's parts that hold weights; `transformer/` (the t2va/fl2va partition, 61.7 GB)
# is never loaded by the h3 backend, so it is not downloaded either.
H3_WEIGHT_COMPONENTS = ("transformer_ref", "vae", "audio_vae", "text_encoder")
H3_SKIPPED = ["transformer/*"]
# The parts that hold weights; the tokenizer and scheduler folders hold only configs.
WEIGHT_COMPONENTS = ("transformer", "vae", "text_encoder")


class WeightsError(Exception):
    """The weights are missing, incomplete or could not be fetched; the message says what to do."""


def model_id(name):
    return MODELS.get(str(name).lower(), name)


def is_h3(model):
    return model_id(model) == model_id("h3") or model_id(model) == settings.H3_MODEL


def default_folder(model):
    """settings.WAN_WEIGHTS_DIR for the configured model (H3_WEIGHTS_DIR for h3); a sibling folder
    named after any other."""
    if is_h3(model):
        return Path(settings.H3_WEIGHTS_DIR)
    if model_id(model) == settings.WAN_MODEL:
        return Path(settings.WAN_WEIGHTS_DIR)
    return Path(settings.WAN_WEIGHTS_DIR).parent / model_id(model).split("/")[-1].lower()


def download(model, folder, *, lora=None):
    """Fetches the pipeline (and an optional LoRA, "repo" or "repo:file.safetensors") into folder."""
    from huggingface_hub import snapshot_download

    folder = Path(folder)
    try:
        snapshot_download(repo_id=model_id(model), local_dir=folder,
                          ignore_patterns=H3_SKIPPED if is_h3(model) else None)
        if lora:
            repo, _, filename = lora.partition(":")
            snapshot_download(repo_id=repo, local_dir=folder / "lora",
                              allow_patterns=[filename] if filename else ["*.safetensors", "*.json"])
    except Exception as error:  # noqa: BLE001 - offline, DNS, 401/404: all end in the same advice
        raise WeightsError(
            f"Could not download {model_id(model)} ({type(error).__name__}: {error}). This needs a machine "
            "that reaches huggingface.co; or copy a downloaded folder here and run fetch_weights --check."
        ) from error
    return folder


def check_folder(folder):
    """Raises WeightsError naming what is missing; returns a short summary of a complete folder."""
    folder = Path(folder)
    components = _read_index(folder, "model_index.json", "a diffusers pipeline folder", "manage.py fetch_weights")
    if components.get("_class_name") == H3_PIPELINE:
        raise WeightsError(f"{folder} holds MiniMax-H3; check it with fetch_weights --model h3 --check.")
    if components.get("_class_name") != "WanVACEPipeline":
        raise WeightsError(f"{folder} holds a {components.get('_class_name')}, not a WanVACEPipeline.")
    parts = [name for name, spec in components.items()
             if not name.startswith("_") and isinstance(spec, list) and spec[0] is not None]
    # (metadata, and optional parts this model does not have, such as transformer_2, are skipped)
    size = _complete_size(folder, parts, WEIGHT_COMPONENTS, "manage.py fetch_weights")
    return f"{folder}: a complete WanVACEPipeline, {size / 1e9:.2f} GB of safetensors."


def _complete_size(folder, parts, weighted, fetch_command):
    """The bytes of safetensors in a folder where every part is there (with its weights, for the
    weighted ones); otherwise a WeightsError listing every missing piece and what to run."""
    missing = []
    for name in parts:
        part = folder / name
        if not part.is_dir():
            missing.append(f"{name}/")
        elif name in weighted:
            missing += [f"{name}/{problem}" for problem in _weight_files_missing(part)]
    if missing:
        raise WeightsError(f"The weights in {folder} are incomplete; missing: {', '.join(missing)}. "
                           f"Run {fetch_command} again (it resumes).")
    return sum(f.stat().st_size for f in folder.rglob("*.safetensors"))


def _read_index(folder, index_name, what, fetch_command):
    """The folder's pipeline index as a dict, or a WeightsError that says what to run."""
    if not folder.is_dir():
        raise WeightsError(f"There is no weights folder at {folder}. Run {fetch_command}.")
    index = folder / index_name
    if not index.is_file():
        raise WeightsError(f"{folder} has no {index_name}, so it is not {what}.")
    try:
        return json.loads(index.read_text())
    except ValueError as error:
        raise WeightsError(f"{index} is not valid JSON ({error}); download it again.") from error


def _weight_files_missing(part):
    """A component needs its safetensors: one file, or every shard its index lists."""
    shards_index = next(part.glob("*.safetensors.index.json"), None)
    if shards_index is not None:
        shards = set(json.loads(shards_index.read_text()).get("weight_map", {}).values())
        return sorted(shard for shard in shards if not (part / shard).is_file())
    return [] if any(part.glob("*.safetensors")) else ["*.safetensors"]


def check_h3_folder(folder):
    """Like check_folder, for a MiniMax-H3 modular folder (modular_model_index.json): every part the
    ref2va workflow loads is there with its weights."""
    folder = Path(folder)
    components = _read_index(folder, "modular_model_index.json", "a MiniMax-H3 folder",
                             "manage.py fetch_weights --model h3")
    if components.get("_class_name") != H3_PIPELINE:
        raise WeightsError(f"{folder} holds a {components.get('_class_name')}, not a {H3_PIPELINE}.")
    size = _complete_size(folder, H3_WEIGHT_COMPONENTS, H3_WEIGHT_COMPONENTS, "manage.py fetch_weights --model h3")
    return f"{folder}: a complete {H3_PIPELINE} (ref2va), {size / 1e9:.2f} GB of safetensors."


def in_hf_cache(model, index="model_index.json"):
    """Whether a model id's pipeline index is already in the local Hugging Face cache (no network)."""
    from huggingface_hub import try_to_load_from_cache

    try:
        return isinstance(try_to_load_from_cache(model_id(model), index), str)
    except Exception:  # noqa: BLE001 - a malformed id is simply not cached
        return False


def installed_source():
    """Where the wan backend loads from: the weights folder, else a cached model id, else None."""
    folder = Path(settings.WAN_WEIGHTS_DIR)
    if folder.is_dir():
        return folder
    return settings.WAN_MODEL if settings.WAN_MODEL and in_hf_cache(settings.WAN_MODEL) else None


def installed_h3_source():
    """Where the h3 backend loads from: H3_WEIGHTS_DIR, else H3_MODEL if cached, else None."""
    folder = Path(settings.H3_WEIGHTS_DIR)
    if folder.is_dir():
        return folder
    cached = settings.H3_MODEL and in_hf_cache(settings.H3_MODEL, "modular_model_index.json")
    return settings.H3_MODEL if cached else None


def backend_notice(setting=None):
    """One sentence for the film page and the admin when films will not be made by the GPU
    generator, or "" when they will."""
    from django.utils.translation import gettext as _

    state = _backend_state((setting or settings.THEATRE_BACKEND).lower())
    notices = {
        "ok": "",
        "wan_missing": _("The GPU generator is selected but its weights are missing: renders will fail "
                         "until manage.py fetch_weights is run."),
        "preview_no_weights": _("Rendering with the CPU preview renderer: no GPU weights installed."),
        "preview_no_gpu": _("Rendering with the CPU preview renderer: no GPU on this machine."),
        "tiny": _("Rendering with the tiny test generator (random weights): films show noise."),
        "tiny-h3": _("Rendering with the tiny MiniMax-H3 test generator (random weights): films show noise "
                     "and their sound is the model's noise."),
        "h3": _("Films are made by MiniMax-H3: picture and sound together, the stars speaking in their own "
                "voices."),
        "h3_missing": _("MiniMax-H3 is selected but its weights are missing: renders will fail until "
                        "manage.py fetch_weights --model h3 is run."),
    }
    return notices.get(state, state)


@lru_cache(maxsize=4)
def _backend_state(setting):
    """Cached: looking for CUDA imports torch, which a web process should do once at most."""
    from inference.backends import BackendUnavailable, choose_backend

    try:
        chosen = choose_backend(setting)
    except BackendUnavailable as error:
        return str(error)
    if chosen == "wan" and installed_source() is None:
        return "wan_missing"
    if chosen == "h3":
        return "h3" if installed_h3_source() is not None else "h3_missing"
    if chosen == "tiny-h3":
        return "tiny-h3"
    if chosen == "preview" and setting == "auto":
        return "preview_no_weights" if installed_source() is None else "preview_no_gpu"
    return "tiny" if chosen == "tiny" else "ok"


@lru_cache(maxsize=4)
def backend_speaks(setting=None):
    """Whether the backend films are rendered with here makes their sound (h3, tiny-h3); cached
    like _backend_state, since it may import torch to look for CUDA."""
    from inference.backends import REGISTRY, BackendUnavailable, choose_backend

    try:
        return REGISTRY[choose_backend(setting or settings.THEATRE_BACKEND)].speaks
    except BackendUnavailable:
        return False


def forget_backend_state():
    """For tests and after fetch_weights in a long-lived process."""
    _backend_state.cache_clear()
    backend_speaks.cache_clear()
