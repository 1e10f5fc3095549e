"""The real generator: Wan2.1-VACE through diffusers' WanVACEPipeline, with every avatar in a shot
given as a reference image.

The backend takes a built pipeline (real weights on a GPU worker, tiny random components in tests),
so the same code path runs in both. `load_pipeline` does the real loading; `get_pipeline` keeps the
loaded pipeline for the life of the worker process so jobs after the first skip the load.
"""
import math
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np

from inference.backends.base import (Backend, BackendUnavailable, RenderCancelled, fit_to_frame, frame_count,
                                     load_subject_image, shot_cast)

DEFAULT_MODEL = "Wan-AI/Wan2.1-VACE-1.3B-diffusers"
NATIVE_FPS = 16  # Wan generates at 16 frames per second
NEGATIVE_PROMPT = ("blurry, low quality, distorted face, extra limbs, deformed hands, watermark, text, "
                   "static frame, overexposed, jpeg artifacts")
FRAMING_PROMPTS = {
    "wide": "wide shot",
    "full": "full shot, whole body in frame",
    "medium": "medium shot, waist up",
    "close_up": "close-up shot of the face",
    "extreme_close_up": "extreme close-up detail shot",
    "over_the_shoulder": "over-the-shoulder shot",
}
CAMERA_PROMPTS = {
    "static": "static camera",
    "pan": "the camera pans slowly sideways",
    "push_in": "the camera slowly pushes in",
    "pull_out": "the camera slowly pulls out",
    "orbit": "the camera orbits around the subjects",
}

LOAD_COUNT = 0  # how many times this process loaded a pipeline; tests read it
_PIPELINES: dict = {}
_LOCK = threading.Lock()


def compose_prompt(film, shot) -> str:
    """The shot's prompt: framing, camera move, action, then who appears and what they look like."""
    parts = [FRAMING_PROMPTS.get(shot.framing, shot.framing.replace("_", " ")),
             CAMERA_PROMPTS.get(shot.camera_move, shot.camera_move.replace("_", " "))]
    if shot.action.strip():
        parts.append(shot.action.strip())
    for cast in shot_cast(film, shot):
        who = f"{cast.name} ({cast.kind})" if cast.kind else cast.name
        parts.append(f"{who}: {cast.description.strip()}" if cast.description.strip() else who)
    speakers = [film.cast[line.role_key].name for line in shot.lines if line.role_key in film.cast]
    if speakers:
        parts.append(" and ".join(dict.fromkeys(speakers)) + " talking")
    parts.append("consistent characters, cinematic lighting, natural motion")
    return ". ".join(parts)


def native_frame_count(duration: float, temporal_factor: int = 4) -> int:
    """The smallest k*factor+1 frame count covering the shot at Wan's 16 fps (81 = 5 s)."""
    needed = max(1, math.ceil(duration * NATIVE_FPS))
    return math.ceil((needed - 1) / temporal_factor) * temporal_factor + 1


def resample_indices(native_frames: int, duration: float, fps: int) -> list[int]:
    """For each output frame at the film's fps, the nearest generated frame at 16 fps."""
    count = max(1, round(duration * fps))
    return [min(round(i / fps * NATIVE_FPS), native_frames - 1) for i in range(count)]


class WanBackend(Backend):
    """Renders shots with a built WanVACEPipeline. `should_cancel()` is polled after every step."""

    name = "wan"

    def __init__(self, pipeline, *, model: str = DEFAULT_MODEL, steps: int = 30, guidance: float = 5.0,
                 gen_width: int = 832, gen_height: int = 480, device: str | None = None,
                 should_cancel: Callable[[], bool] | None = None, negative_prompt: str = NEGATIVE_PROMPT):
        self.pipeline = pipeline
        self.model = model
        self.steps, self.guidance = steps, guidance
        self.gen_width, self.gen_height = gen_width, gen_height
        self.device = device or str(getattr(pipeline, "_execution_device", "cpu"))
        self.should_cancel = should_cancel
        self.negative_prompt = negative_prompt

    def reference_images(self, film, shot):
        """The subject picture of every avatar in the shot (multi-subject reference)."""
        images = [load_subject_image(cast) for cast in shot_cast(film, shot)]
        return [image.convert("RGB") for image in images if image is not None]

    def _step_callback(self, on_step):
        def callback(pipe, step, timestep, callback_kwargs):
            if on_step:
                on_step(step + 1, self.steps)
            if self.should_cancel and self.should_cancel():
                raise RenderCancelled("The film was cancelled.")
            return callback_kwargs

        return callback

    def generate(self, film, shot, on_step=None) -> np.ndarray:
        """The shot's frames as Wan made them: (frames, gen_height, gen_width, 3) floats in 0..1."""
        import torch

        temporal = getattr(self.pipeline, "vae_scale_factor_temporal", 4)
        references = self.reference_images(film, shot)
        output = self.pipeline(
            prompt=compose_prompt(film, shot),
            negative_prompt=self.negative_prompt,
            reference_images=references or None,
            height=self.gen_height,
            width=self.gen_width,
            num_frames=native_frame_count(shot.duration, temporal),
            num_inference_steps=self.steps,
            guidance_scale=self.guidance,
            # One seed per film: every shot starts from the same noise, which keeps the look steady.
            generator=torch.Generator(self.device).manual_seed(film.seed),
            output_type="np",
            callback_on_step_end=self._step_callback(on_step),
        )
        return np.asarray(output.frames[0])

    def render_shot(self, film, shot, *, on_step=None, loudness=None):
        # loudness is unused: Wan animates speech from the prompt; lip sync would be a later pass.
        frames = self.generate(film, shot, on_step)
        for index in resample_indices(len(frames), shot.duration, film.fps)[:frame_count(film, shot)]:
            frame = (np.clip(frames[index], 0.0, 1.0) * 255 + 0.5).astype(np.uint8)
            yield fit_to_frame(frame, film.width, film.height)


def load_pipeline(source, *, dtype=None, device: str | None = None, cpu_offload: bool = False,
                  vae_tiling: bool = False, lora: str | None = None):
    """Loads WanVACEPipeline from a local folder (offline) or a model id already in the HF cache."""
    import torch
    from diffusers import AutoencoderKLWan, WanVACEPipeline

    device = device or ("cuda" if torch.cuda.is_available() else "cpu")
    dtype = dtype or (torch.bfloat16 if device.startswith("cuda") else torch.float32)
    local = Path(str(source)).is_dir()
    # Wan's VAE is kept in float32 as the model card advises; the transformer runs in bf16.
    # (diffusers 0.42 renamed torch_dtype= to dtype=; the old name still works but warns.)
    vae = AutoencoderKLWan.from_pretrained(str(source), subfolder="vae", dtype=torch.float32,
                                           local_files_only=local)
    pipe = WanVACEPipeline.from_pretrained(str(source), vae=vae, dtype=dtype, local_files_only=local)
    if lora:
        pipe.load_lora_weights(lora)
    if vae_tiling:
        pipe.vae.enable_tiling()
    if cpu_offload and device.startswith("cuda"):
        pipe.enable_model_cpu_offload()
    else:
        pipe.to(device)
    pipe.set_progress_bar_config(disable=True)
    return pipe


def get_pipeline(source, *, dtype=None, device: str | None = None, cpu_offload: bool = False,
                 vae_tiling: bool = False, lora: str | None = None, loader=load_pipeline):
    """The process-wide pipeline for these options, loaded on first use and then reused."""
    global LOAD_COUNT
    key = (str(source), str(dtype), device, cpu_offload, vae_tiling, lora or "")
    with _LOCK:
        if key not in _PIPELINES:
            _PIPELINES[key] = loader(source, dtype=dtype, device=device, cpu_offload=cpu_offload,
                                     vae_tiling=vae_tiling, lora=lora)
            LOAD_COUNT += 1
        return _PIPELINES[key]


def clear_pipelines():
    """Drops cached pipelines (tests, or a worker switching models)."""
    with _LOCK:
        _PIPELINES.clear()


def not_installed(where) -> BackendUnavailable:
    return BackendUnavailable(f"The Wan weights are not installed at {where}; run manage.py fetch_weights on a "
                              "machine with internet, or set THEATRE_BACKEND=preview.")


def wan_backend(source=None, *, lora: str | None = None, cpu_offload: bool = False, vae_tiling: bool = False,
                steps: int | None = None, guidance: float | None = None, allow_cpu: bool = False,
                weights_dir=None, **options):
    """A WanBackend on the cached pipeline, or BackendUnavailable saying what is missing."""
    from inference.backends import cuda_available

    source = source or DEFAULT_MODEL
    looks_like_path = Path(str(source)).is_absolute() or str(source).startswith((".", "~"))
    if looks_like_path and not Path(str(source)).is_dir():
        raise not_installed(source)
    if not allow_cpu and not cuda_available():
        raise BackendUnavailable("The wan backend needs a CUDA GPU and none is visible here; "
                                 "use THEATRE_BACKEND=preview (or auto) on this machine.")
    try:
        pipe = get_pipeline(source, cpu_offload=cpu_offload, vae_tiling=vae_tiling, lora=lora)
    except OSError as error:  # a model id that is not in the local Hugging Face cache, offline
        raise not_installed(weights_dir or source) from error
    # A step-distillation LoRA is trained for a few steps without classifier-free guidance.
    defaults = {"steps": 8, "guidance": 1.0} if lora else {"steps": 30, "guidance": 5.0}
    return WanBackend(pipe, model=str(source), steps=steps or defaults["steps"],
                      guidance=guidance if guidance is not None else defaults["guidance"], **options)


def wan_backend_from_settings(**options):
    """The registry's factory: the wan backend with the WAN_* settings filled in. The installed
    weights folder wins; else the model id, which loads only if already in the HF cache. Neither:
    say so now, before anything asks for CUDA, so the film's reason is about weights."""
    from inference.backends import _setting
    from inference.weights import installed_source

    folder = _setting("WAN_WEIGHTS_DIR", None)
    folder = Path(folder) if folder else None
    if "source" not in options:
        options["source"] = installed_source()
        if options["source"] is None:
            raise not_installed(folder or _setting("WAN_MODEL", None))
    options.setdefault("weights_dir", folder)
    options.setdefault("lora", _setting("WAN_LORA", "") or None)
    options.setdefault("cpu_offload", _setting("WAN_CPU_OFFLOAD", False))
    options.setdefault("vae_tiling", _setting("WAN_VAE_TILING", False))
    return wan_backend(**options)
