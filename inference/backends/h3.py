"""The speaking generator: MiniMax-H3 (diffusers' MiniMaxH3ModularPipeline, `ref2va` workflow) makes
the whole film, picture and sound together, in one call, from the cast as references and the script
as one multi-shot prompt.

- References, in a fixed order (the avatars by their first appearance in the script): an avatar
  whose clip has speech gives the best window of its clip as a video reference with its soundtrack
  (the model copies look and voice from it); any other avatar gives its best pictures as image
  references, plus, when it has a preset voice, that voice speaking its first line as an audio
  reference. The model's limits (9 images, 3 videos, 3 audio clips, 12 in all) are kept here: a
  fourth speaking star is shown from its pictures and speaks in a voice the model makes up
  (`cast_notice` says so when casting). The prompt names every reference by the character's name.
- The prompt: one `[Shot n]` block per shot in the script's language (English or Chinese): framing,
  camera move, action, and the lines with who says them.
- Length: what the script asks for, within the model's 5-15 s (its frame rule is 17n+5 at 24 fps);
  the shots are stretched or shortened to the generated length, and the lines placed by their
  estimated speaking time (the model times the speech itself; subtitles follow that estimate).

The backend takes a built pipeline (real weights on a GPU worker, tiny random ones in tests), so the
same code path runs in both; `get_pipeline` keeps it loaded for the life of the worker process.
"""
import math
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from inference.backends.base import (Backend, BackendUnavailable, FilmRender, RenderCancelled, fit_to_frame,
                                     frame_count)

DEFAULT_MODEL = "MiniMaxAI/MiniMax-H3"
NATIVE_FPS = 24
MAX_IMAGES, MAX_VIDEOS, MAX_AUDIOS, MAX_REFERENCES = 9, 3, 3, 12
IMAGES_PER_AVATAR = 3  # crop plus the two best frames, when the 9 allow it
VIDEO_REFERENCE_SECONDS = 5.0
MIN_VIDEO_FRAMES = 25  # the conditioner samples a video at 2 fps and merges pairs: about 1 s at least
LICENCE_URL = "https://huggingface.co/MiniMaxAI/MiniMax-H3"

LOAD_COUNT = 0  # how many times this process loaded a pipeline; tests read it
_PIPELINES: dict = {}
_LOCK = threading.Lock()

FRAMING = {
    "en": {"wide": "wide shot", "full": "full shot, whole body in frame", "medium": "medium shot, waist up",
           "close_up": "close-up of the face", "extreme_close_up": "extreme close-up",
           "over_the_shoulder": "over-the-shoulder shot"},
    "zh": {"wide": "远景", "full": "全景，全身入画", "medium": "中景，腰部以上", "close_up": "面部特写",
           "extreme_close_up": "大特写", "over_the_shoulder": "过肩镜头"},
}
CAMERA = {
    "en": {"static": "static camera", "pan": "the camera pans slowly", "push_in": "the camera slowly pushes in",
           "pull_out": "the camera slowly pulls out", "orbit": "the camera orbits the characters"},
    "zh": {"static": "固定机位", "pan": "镜头缓慢横摇", "push_in": "镜头缓慢推近", "pull_out": "镜头缓慢拉远",
           "orbit": "镜头环绕角色"},
}
WORDS = {
    "en": {"is": "{name} is {labels}.", "voice": "{name} speaks with the voice of {label}.",
           "and": " and ", "says": '{name} says: "{text}"', "about": "(about {seconds} s)",
           "style": "Cinematic lighting, natural motion, lips in sync with the speech."},
    "zh": {"is": "{name}是{labels}。", "voice": "{name}的声音是{label}。", "and": "和",
           "says": "{name}说：“{text}”", "about": "（约{seconds}秒）",
           "style": "电影感光线，动作自然，口型与台词同步。"},
}
VOICE_SAMPLE_TEXT = {"en": "Hello, this is how I sound.", "zh": "你好，这就是我的声音。"}


def language_of(film) -> str:
    return "zh" if str(film.language).lower().startswith("zh") else "en"


# --- references ------------------------------------------------------------------------------------

@dataclass
class Reference:
    """One reference as planned: which avatar, which kind, its label in the prompt, and where its
    media comes from (`source`: a picture path, a clip window, or "preset" / "voice")."""

    role_key: str
    name: str
    kind: str  # image, video, audio
    label: str  # "<Picture 1>", "<Video 1>", "<Audio 2>"
    source: object = None
    audio_label: str = ""  # a video with its soundtrack is also an "<Audio j>"


def cast_order(film) -> list[str]:
    """Role keys by first appearance in the script (in a shot, then in a line), then the rest."""
    order = []
    for shot in film.shots:
        for key in list(shot.role_keys) + [line.role_key for line in shot.lines]:
            if key in film.cast and key not in order:
                order.append(key)
    return order + [key for key in film.cast if key not in order]


def pictures_of(cast, count) -> list[Path]:
    """The avatar's best pictures: its subject crop, then its reference frames best first."""
    found = [Path(cast.crop)] if cast.crop and Path(cast.crop).exists() else []
    found += [Path(p) for p in cast.reference_images if Path(p).exists() and Path(p) not in found]
    return found[:count]


def plan_references(film) -> list[Reference]:
    """The references in the order the model reads them, labelled as diffusers' presentation numbers
    them: per kind in list order, a video with sound counting as an audio too (encoders.py of
    diffusers' minimax_h3 emits "<Audio j>" then "<Video k>" for it)."""
    keys = cast_order(film)
    speaking = [k for k in keys if film.cast[k].has_speech and film.cast[k].clip and film.cast[k].clip_window]
    as_video = set(speaking[:MAX_VIDEOS])
    picture_avatars = [k for k in keys if k not in as_video]
    per_avatar = max(1, min(IMAGES_PER_AVATAR, MAX_IMAGES // max(1, len(picture_avatars))))
    counts = {"image": 0, "video": 0, "audio": 0}
    planned = []

    def add(key, kind, source, with_sound=False):
        if sum(counts.values()) >= MAX_REFERENCES:
            return False
        audio_label = ""
        if with_sound or kind == "audio":
            counts["audio"] += 1
            audio_label = f"<Audio {counts['audio']}>"
        if kind == "audio":
            label = audio_label
        else:
            counts[kind] += 1
            label = f"<{'Picture' if kind == 'image' else 'Video'} {counts[kind]}>"
        planned.append(Reference(key, film.cast[key].name, kind, label, source,
                                 audio_label if kind == "video" else ""))
        return True

    for key in keys:
        cast = film.cast[key]
        if key in as_video:
            add(key, "video", cast.clip_window, with_sound=True)
            continue
        for path in pictures_of(cast, per_avatar):
            if counts["image"] < MAX_IMAGES:
                add(key, "image", path)
        if counts["audio"] < MAX_AUDIOS and any(r.role_key == key for r in planned):
            # A speaking star beyond the three videos still lends its voice, while audio slots last.
            if cast.has_speech and cast.voice_sample:
                add(key, "audio", "voice")
            elif cast.voice_preset:
                add(key, "audio", "preset")
    return planned


def references_legend(film, planned) -> list[str]:
    """One sentence per avatar naming its references by the character's name."""
    words = WORDS[language_of(film)]
    sentences = []
    for key in dict.fromkeys(r.role_key for r in planned):
        mine = [r for r in planned if r.role_key == key]
        name = film.cast[key].name
        looks = [r.label for r in mine if r.kind in ("image", "video")]
        if looks:
            sentences.append(words["is"].format(name=name, labels=words["and"].join(looks)))
        voice = next((r.audio_label for r in mine if r.audio_label), "") or \
            next((r.label for r in mine if r.kind == "audio"), "")
        if voice:
            sentences.append(words["voice"].format(name=name, label=voice))
    return sentences


def compose_prompt(film, planned, durations=None) -> str:
    """The one multi-shot prompt: the references legend, then per shot its framing, camera move,
    action and lines (who says what), in the script's language."""
    lang = language_of(film)
    words = WORDS[lang]
    parts = references_legend(film, planned)
    for number, shot in enumerate(film.shots, start=1):
        bits = [FRAMING[lang].get(shot.framing, shot.framing.replace("_", " ")),
                CAMERA[lang].get(shot.camera_move, shot.camera_move.replace("_", " "))]
        head = f"[Shot {number}]"
        if durations:
            head += " " + words["about"].format(seconds=f"{durations[number - 1]:.0f}")
        text = ("，" if lang == "zh" else ", ").join(bits) + ("。" if lang == "zh" else ".")
        if shot.action.strip():
            text += " " + shot.action.strip().rstrip(".。") + ("。" if lang == "zh" else ".")
        for line in shot.lines:
            if line.role_key in film.cast:
                text += " " + words["says"].format(name=film.cast[line.role_key].name, text=line.text.strip())
        parts.append(f"{head} {text}")
    parts.append(words["style"])
    return "\n".join(parts)


def cast_notice(speaking_names: list[str], language: str = "en") -> str:
    """What a film with more speaking stars than the model takes will do, for the casting page;
    "" when every speaking star fits. Translated by the caller's gettext."""
    from django.utils.translation import gettext as _

    extra = speaking_names[MAX_VIDEOS:]
    if not extra:
        return ""
    # Each of the 3 clips brings its soundtrack, which fills the model's 3 audio references too.
    return _("MiniMax-H3 copies the look and voice of at most %(limit)d speaking stars from their clips. "
             "%(names)s will be shown from their pictures and speak in a voice the model makes up.") % {
            "limit": MAX_VIDEOS, "names": "、".join(extra) if language.startswith("zh") else ", ".join(extra)}


# --- timing ----------------------------------------------------------------------------------------

def generated_frames(seconds, min_seconds=5.0, max_seconds=15.0, per_chunk=17, latents=5) -> int:
    """The frame count at 24 fps the model generates for a film of `seconds`: the smallest 17n+5
    covering it, at least `min_seconds`, and never past `max_seconds` once snapped."""
    wanted = max(seconds, min_seconds)
    n = max(0, math.ceil((wanted * NATIVE_FPS - latents) / per_chunk))
    while n > 0 and (per_chunk * n + latents) / NATIVE_FPS > max_seconds + 1e-9:
        n -= 1
    return per_chunk * n + latents


def plan_timing(film, total_seconds):
    """Sets each shot's duration (whole frames at the film's fps, summing to the generated length)
    and each line's start/end by its estimated speaking time. The model times the speech itself;
    these estimates place the subtitles and are what the film's timeline records."""
    from inference.voice.timing import GAP, LEAD_IN, TAIL, estimate_line_seconds

    wanted = [max(0.5, shot.duration) for shot in film.shots]
    needs = [LEAD_IN + sum(estimate_line_seconds(l.text, l.language) for l in shot.lines)
             + GAP * max(0, len(shot.lines) - 1) + TAIL if shot.lines else 0.0 for shot in film.shots]
    wanted = [max(w, n) for w, n in zip(wanted, needs)]
    scale = total_seconds / sum(wanted)
    total_frames = round(total_seconds * film.fps)
    boundaries = [round(sum(wanted[:i + 1]) * scale * film.fps) for i in range(len(wanted))]
    boundaries[-1] = total_frames
    previous = 0
    for shot, boundary in zip(film.shots, boundaries):
        frames = max(1, boundary - previous)
        shot.duration, previous = frames / film.fps, previous + frames
        at = LEAD_IN * min(1.0, scale)
        for line in shot.lines:
            seconds = estimate_line_seconds(line.text, line.language) * min(1.0, scale)
            line.start, line.end = round(at, 3), round(min(shot.duration, at + seconds), 3)
            at += seconds + GAP * min(1.0, scale)


# --- the backend -----------------------------------------------------------------------------------

class H3Backend(Backend):
    """Renders a whole film with a built MiniMaxH3ModularPipeline (ref2va, with the step-callback
    loop block of inference/backends/h3_tiny.py). `should_cancel()` is asked after every step."""

    name = "h3"
    speaks = True

    def __init__(self, pipeline, *, model: str = DEFAULT_MODEL, steps: int = 30, gen_width: int | None = None,
                 gen_height: int | None = None, max_seconds: float = 15.0, voice_backend=None):
        self.pipeline = pipeline
        self.model = model
        self.steps = steps
        self.gen_width, self.gen_height = gen_width, gen_height
        self.max_seconds = max_seconds
        self.voice_backend = voice_backend  # speaks a preset voice's audio reference
        self.last_call: dict = {}  # the prompt and references of the last call (tests, the admin's log)

    # The pipeline's own figures, with the released model's as defaults for a pipeline that lacks them.
    def _pipe(self, name, default):
        return getattr(self.pipeline, name, default) or default

    @property
    def audio_rate(self) -> int:
        return int(self._pipe("audio_sampling_rate", 32000))

    def canvas(self, film) -> tuple[int, int]:
        """(width, height) to generate at: the settings', else the film's aspect on the model's canvas."""
        if self.gen_width and self.gen_height:
            return self.gen_width, self.gen_height
        from diffusers.modular_pipelines.minimax_h3.modular_pipeline import resolve_canvas_size

        config = getattr(self.pipeline, "config", None)
        short_edge = getattr(config, "canvas_short_edge", 768)
        max_pixels = getattr(config, "canvas_max_pixels", 768 * 1344)
        try:
            height, width = resolve_canvas_size(film.width, film.height, self._pipe("canvas_multiple", 32),
                                                short_edge, max_pixels)
        except TypeError:  # an older signature without the canvas rule's figures
            height, width = resolve_canvas_size(film.width, film.height, self._pipe("canvas_multiple", 32))
        return width, height

    def build_references(self, film, planned):
        """The diffusers reference objects for the plan, media loaded and at the pipeline's rates."""
        import torch
        from diffusers.modular_pipelines.minimax_h3 import (MiniMaxH3AudioReference, MiniMaxH3ImageReference,
                                                            MiniMaxH3VideoReference)
        from PIL import Image

        from inference.media.clip_window import read_window

        config = getattr(self.pipeline, "config", None)
        short_edge = int(getattr(config, "canvas_short_edge", 768) or 768)
        rate = self.audio_rate
        built = []
        for ref in planned:
            cast = film.cast[ref.role_key]
            if ref.kind == "image":
                with Image.open(ref.source) as image:
                    built.append(MiniMaxH3ImageReference(image=image.convert("RGB")))
            elif ref.kind == "video":
                start, end = ref.source
                window = read_window(cast.clip, start, min(end - start, VIDEO_REFERENCE_SECONDS) or 1.0,
                                     short_edge=short_edge, audio_rate=rate)
                frames = _at_least(window.frames, round(MIN_VIDEO_FRAMES * window.fps / NATIVE_FPS))
                audio = None if window.audio is None else torch.from_numpy(window.audio)
                built.append(MiniMaxH3VideoReference(frames=frames, fps=window.fps, audio=audio,
                                                     sample_rate=rate if audio is not None else None))
            else:
                built.append(MiniMaxH3AudioReference(audio=torch.from_numpy(self._voice(film, cast, ref.source)),
                                                     sample_rate=rate))
        return built

    def _voice(self, film, cast, source):
        """A mono (1, samples) voice clip at the pipeline's rate: the avatar's own speech, or its
        preset voice speaking its first line."""
        from inference.voice.audio import load_audio

        if source == "voice":
            samples = load_audio(cast.voice_sample, self.audio_rate)
        else:
            from inference.voice.base import get_voice_backend
            from inference.voice.profile import resample

            line = next((l.text for s in film.shots for l in s.lines if l.role_key == cast.role_key), "")
            text = line or VOICE_SAMPLE_TEXT[language_of(film)]
            samples, rate = (self.voice_backend or get_voice_backend()).synthesize(text, film.language, cast)
            samples = resample(samples, rate, self.audio_rate)
        return np.ascontiguousarray(np.asarray(samples, dtype=np.float32)[None, :])

    def render_film(self, film, *, on_step=None, loudness=None, should_cancel=None):
        import torch

        min_seconds = float(self._pipe("min_duration", 5.0))
        max_seconds = min(float(self._pipe("max_duration", 15.0)), self.max_seconds)
        wanted = sum(max(0.5, shot.duration) for shot in film.shots)
        num_frames = generated_frames(wanted, min_seconds, max_seconds, int(self._pipe("vae_frames_per_chunk", 17)),
                                      int(self._pipe("vae_latents_per_chunk", 5)))
        plan_timing(film, num_frames / NATIVE_FPS)
        planned = plan_references(film)
        prompt = compose_prompt(film, planned, [shot.duration for shot in film.shots])
        references = self.build_references(film, planned)
        width, height = self.canvas(film)
        self.last_call = {"prompt": prompt, "planned": planned, "references": references,
                          "num_frames": num_frames, "width": width, "height": height}

        def step_callback(index, steps):
            if on_step:
                on_step(0, 0, index + 1, steps)  # shot 0 of 0: every shot is drawn in every step
            if should_cancel and should_cancel():
                raise RenderCancelled("The film was cancelled.")

        if should_cancel and should_cancel():
            raise RenderCancelled("The film was cancelled.")
        state = self.pipeline(
            prompt=prompt, references=references, num_frames=num_frames, height=height, width=width,
            num_inference_steps=self.steps,
            # One seed per film, on the CPU generator: the same film draws the same noise on any card.
            generator=torch.Generator("cpu").manual_seed(film.seed),
            # "pt" keeps the decoded video where the VAE left it (the GPU): a 15 s film at the model's
            # canvas is 4 GB of floats, so frames are turned into bytes one at a time as they stream.
            output_type="pt", step_callback=step_callback)
        frames = state.get("videos")[0]  # (frames, 3, height, width) floats in 0..1
        audio = state.get("audio")[0]
        audio = audio.float().cpu().numpy() if hasattr(audio, "cpu") else np.asarray(audio, dtype=np.float32)
        rate = int(state.get("sampling_rate") or self.audio_rate)
        total = sum(frame_count(film, shot) for shot in film.shots)
        audio = _fit_length(audio, round(total / film.fps * rate))
        return FilmRender(frames=_film_frames(frames, film, total), audio=audio, audio_rate=rate)


def _at_least(frames, count):
    """Pads a too-short clip window by holding its last frame (the conditioner needs about 1 s)."""
    if len(frames) >= count:
        return frames
    return np.concatenate([frames, np.repeat(frames[-1:], count - len(frames), axis=0)])


def _fit_length(audio, samples):
    audio = np.asarray(audio, dtype=np.float32)[:, :samples]
    if audio.shape[1] < samples:
        audio = np.pad(audio, ((0, 0), (0, samples - audio.shape[1])))
    return np.ascontiguousarray(audio)


def _film_frames(frames, film, total):
    """The generated 24 fps frames at the film's fps and size (downscaled, letterboxed if needed)."""
    for index in range(total):
        source = min(round(index / film.fps * NATIVE_FPS), len(frames) - 1)
        frame = (frames[source].float().clamp(0.0, 1.0) * 255 + 0.5).to(dtype=_uint8()).permute(1, 2, 0)
        yield fit_to_frame(frame.cpu().numpy(), film.width, film.height)


def _uint8():
    import torch

    return torch.uint8


# --- loading ---------------------------------------------------------------------------------------

def load_pipeline(source, *, device: str | None = None, cpu_offload: bool = False, dtype=None):
    """MiniMax-H3's ref2va pipeline from a local folder or a model id already in the Hugging Face
    cache (offline either way), in bf16 on CUDA; `cpu_offload` uses diffusers' own hooks (a
    ComponentsManager with auto CPU offload) so an 80 GB card holds it."""
    import torch
    from diffusers.modular_pipelines import ComponentsManager, MiniMaxH3ModularPipeline

    # A saved tiny pipeline names its processor by our module path, which diffusers resolves only
    # from modules already imported; harmless for the released folder.
    import inference.backends.h3_tiny_processor  # noqa: F401
    from inference.backends.h3_tiny import ref2va_blocks

    device = device or ("cuda" if torch.cuda.is_available() else "cpu")
    dtype = dtype or (torch.bfloat16 if device.startswith("cuda") else torch.float32)
    manager = ComponentsManager() if cpu_offload and device.startswith("cuda") else None
    pipe = MiniMaxH3ModularPipeline(blocks=ref2va_blocks(), pretrained_model_name_or_path=str(source),
                                    components_manager=manager, local_files_only=True)
    pipe.load_components(dtype=dtype, local_files_only=True)
    if manager is not None:
        manager.enable_auto_cpu_offload(device=device)
    else:
        pipe.to(device)
    pipe.set_progress_bar_config(disable=True)
    return pipe


def get_pipeline(source, *, device: str | None = None, cpu_offload: bool = False, loader=load_pipeline):
    """The process-wide pipeline for these options, loaded on first use and then reused."""
    global LOAD_COUNT
    key = (str(source), device, cpu_offload)
    with _LOCK:
        if key not in _PIPELINES:
            _PIPELINES[key] = loader(source, device=device, cpu_offload=cpu_offload)
            LOAD_COUNT += 1
        return _PIPELINES[key]


def clear_pipelines():
    with _LOCK:
        _PIPELINES.clear()


def licence_not_accepted() -> BackendUnavailable:
    return BackendUnavailable(
        "The h3 backend (MiniMax-H3) is not enabled: its weights' licence is not Apache-2.0 and excludes some "
        f"territories. Read it ({LICENCE_URL}) and set H3_LICENCE_ACCEPTED=1 if you accept it.")


def not_installed(where) -> BackendUnavailable:
    return BackendUnavailable(f"The MiniMax-H3 weights are not installed at {where}; run manage.py fetch_weights "
                              "--model h3 on a machine with internet, or set THEATRE_BACKEND=preview.")


def h3_backend(source=None, *, cpu_offload: bool | None = None, steps: int | None = None,
               allow_cpu: bool = False, **options):
    """The registry's factory for `h3`: the cached pipeline from the H3_* settings, or
    BackendUnavailable saying what is missing (the licence first, then weights, then CUDA)."""
    from inference.backends import _setting, cuda_available, h3_licence_accepted
    from inference.weights import installed_h3_source

    if not h3_licence_accepted():
        raise licence_not_accepted()
    source = source or installed_h3_source()
    if source is None:
        raise not_installed(_setting("H3_WEIGHTS_DIR", None) or _setting("H3_MODEL", DEFAULT_MODEL))
    if not allow_cpu and not cuda_available():
        raise BackendUnavailable("The h3 backend needs a CUDA GPU and none is visible here; "
                                 "use THEATRE_BACKEND=preview (or auto) on this machine.")
    offload = _setting("H3_CPU_OFFLOAD", False) if cpu_offload is None else cpu_offload
    try:
        pipe = get_pipeline(source, cpu_offload=bool(offload))
    except OSError as error:  # a model id that is not in the local cache, offline
        raise not_installed(source) from error
    return H3Backend(pipe, model=str(source), steps=steps or int(_setting("H3_STEPS", 30)),
                     max_seconds=float(_setting("FILM_MAX_SECONDS", 15.0)), **options)


# --- the tiny stand-in -----------------------------------------------------------------------------

class TinyH3Backend(H3Backend):
    """The h3 backend's code on the tiny fake MiniMaxH3ModularPipeline: 64x32, 3 steps (2 denoise
    calls), noise for picture and sound, upscaled to the film size."""

    name = "tiny-h3"

    def __init__(self, pipeline=None, *, seed: int = 0, **options):
        from inference.backends import h3_tiny

        options.setdefault("steps", h3_tiny.TINY_STEPS + 1)
        options.setdefault("gen_width", h3_tiny.TINY_WIDTH)
        options.setdefault("gen_height", h3_tiny.TINY_HEIGHT)
        options.setdefault("model", "tiny-random-minimax-h3 (test fake)")
        super().__init__(pipeline if pipeline is not None else cached_tiny_pipeline(seed), **options)


def cached_tiny_pipeline(seed: int = 0):
    """The tiny pipeline through get_pipeline's process-wide cache, exactly as a GPU worker keeps the
    real one: the first job builds it, later jobs in the same worker reuse it."""
    from inference.backends.h3_tiny import TINY_SOURCE, build_tiny_h3_pipeline

    return get_pipeline(f"{TINY_SOURCE}:{seed}", device="cpu",
                        loader=lambda source, **options: build_tiny_h3_pipeline(seed))


def tiny_h3_backend(**options):
    from inference.backends import _setting

    options.setdefault("max_seconds", float(_setting("FILM_MAX_SECONDS", 15.0)))
    return TinyH3Backend(**options)
