"""Zero-shot voice cloning for GPU workers: CosyVoice 2 (0.5B), with espeak-ng as the fallback.

Why CosyVoice 2 (compared Nov 2026, from the projects' own licence files and model cards):

| model        | code licence | weights licence                       | zh + en            | speed (GPU)          |
|--------------|--------------|---------------------------------------|--------------------|----------------------|
| CosyVoice 2  | Apache-2.0   | Apache-2.0 (FunAudioLLM/CosyVoice2-0.5B) | native, both strong | streaming, RTF < 0.1 |
| F5-TTS       | MIT          | CC-BY-NC-4.0 (trained on Emilia)      | zh + en            | RTF ~0.15 (32 NFE)   |
| XTTS-v2      | MPL-2.0      | Coqui Public Model License (non-commercial) | 17 languages, zh weaker | RTF ~0.2-0.5 |
| IndexTTS 1/2 | Apache-2.0   | bilibili Model Use License (custom; commercial use above 100M MAU or RMB 1bn revenue needs a separate licence; use restrictions) | zh + en, strong | AR GPT, slower |

Only CosyVoice 2 has weights under a plain permissive licence, which a self-hostable product that
people may run commercially needs; it is built for Mandarin first and speaks English well, does
cross-lingual cloning from a 3-10 s prompt without a transcript, and is fast enough for 15 s films.

How it runs: the `cosyvoice` package (installed from its repository with its requirements on a GPU
worker; it is not a small PyPI package) and the weights folder `VOICE_CLONE_WEIGHTS_DIR` holding
CosyVoice2-0.5B (cosyvoice2.yaml, llm.pt, flow.pt, hift.pt, campplus.onnx, speech_tokenizer_v2.onnx).
When either is missing, or an avatar has no speech sample, lines fall back to the espeak backend.

NOT TESTED HERE: the model call itself (no package, no weights and no GPU on the development
machines, and no tiny randomly initialised CosyVoice can be built without the package). Tested:
reference preparation, prompt text handling, output post-processing and the fallback.
"""
import inspect
import logging
import re
import tempfile
from pathlib import Path

import numpy as np

from . import dsp
from .audio import load_audio, write_wav
from .base import DEFAULT_RATE, VoiceBackend, VoiceError, as_float32, setting
from .profile import resample

log = logging.getLogger(__name__)

PROMPT_RATE = 16000  # CosyVoice's speech tokenizer and speaker embedding take 16 kHz
PROMPT_MAX_SECONDS = 10.0  # longer prompts slow the LLM and leak the prompt's prosody into the line
WEIGHT_FILES = ("cosyvoice2.yaml", "llm.pt", "flow.pt", "hift.pt")
# CosyVoice reads <|...|> tags and [laughter]-style markers as control tokens; user text must not.
CONTROL_TOKENS = re.compile(r"<\|[^|>]*\|>|\[(?:laughter|breath|noise|cough|sigh|[a-z_]+)\]", re.I)


class CloneUnavailable(RuntimeError):
    """The cloning model cannot run here: package or weights missing (the reason says which)."""


def weights_dir():
    value = setting("VOICE_CLONE_WEIGHTS_DIR", "")
    return Path(value) if value else None


def check_weights(folder):
    """Raises CloneUnavailable unless `folder` holds a CosyVoice 2 checkpoint."""
    if folder is None:
        raise CloneUnavailable("VOICE_CLONE_WEIGHTS_DIR is not set.")
    folder = Path(folder)
    if not folder.is_dir():
        raise CloneUnavailable(f"VOICE_CLONE_WEIGHTS_DIR {folder} does not exist.")
    missing = [name for name in WEIGHT_FILES if not (folder / name).exists()]
    if missing:
        raise CloneUnavailable(f"{folder} is not a CosyVoice2-0.5B folder: missing {', '.join(missing)}.")
    return folder


def prepare_reference(path, rate=PROMPT_RATE, max_seconds=PROMPT_MAX_SECONDS):
    """The avatar's voice sample as the model's prompt: mono float32 at 16 kHz, trimmed, <= 10 s."""
    samples = load_audio(path, rate)
    samples = dsp.trim_silence(samples, rate, threshold_db=-40.0, pad_seconds=0.05)
    samples = samples[: int(max_seconds * rate)]
    if len(samples) < rate // 2:
        raise VoiceError(f"Voice sample {path} has less than 0.5 s of sound.")
    peak = float(np.max(np.abs(samples)))
    return as_float32(samples * (0.9 / peak))


def prepare_text(text, language="en"):
    """The line as the model should read it: control tokens removed, whitespace collapsed, and a
    closing punctuation mark (CosyVoice otherwise trails off or rushes the last word)."""
    clean = " ".join(CONTROL_TOKENS.sub(" ", str(text)).split())
    if not clean:
        raise VoiceError("Nothing to say: the line is empty.")
    if clean[-1] not in ".!?。！？…~":
        clean += "。" if (language or "").lower().startswith(("zh", "cmn", "yue")) else "."
    return clean


def postprocess(chunks, model_rate, rate=DEFAULT_RATE):
    """Model output chunks (tensors or arrays, shape [1, T] or [T]) -> trimmed float32 at `rate`."""
    parts = []
    for chunk in chunks:
        array = chunk.detach().cpu().float().numpy() if hasattr(chunk, "detach") else np.asarray(chunk)
        parts.append(array.reshape(-1).astype(np.float32))
    samples = np.concatenate(parts) if parts else np.zeros(0, np.float32)
    if not len(samples) or not np.all(np.isfinite(samples)):
        raise VoiceError("The cloning model returned no usable audio.")
    samples = dsp.trim_silence(resample(samples, model_rate, rate), rate)
    peak = float(np.max(np.abs(samples)))
    if peak == 0:
        raise VoiceError("The cloning model returned silence.")
    return as_float32(samples * (0.9 / peak))


def load_model(folder):
    """Loads CosyVoice 2 from a local folder (never from a hub)."""
    folder = check_weights(folder)
    try:
        from cosyvoice.cli.cosyvoice import CosyVoice2
    except ImportError as error:
        raise CloneUnavailable(
            "The cosyvoice package is not installed (install it from its repository on the GPU worker)."
        ) from error
    import torch

    return CosyVoice2(str(folder), load_jit=False, load_trt=False, fp16=torch.cuda.is_available())


def generate(model, text, prompt_text, prompt_16k):
    """One call into CosyVoice 2: zero-shot with the prompt's transcript, cross-lingual without.

    Older releases take the prompt as a 16 kHz tensor (`prompt_speech_16k`), newer ones as a WAV
    path (`prompt_wav`); the signature says which.
    """
    import torch

    method = model.inference_zero_shot if prompt_text else model.inference_cross_lingual
    params = inspect.signature(method).parameters
    with tempfile.TemporaryDirectory() as tmp:
        if "prompt_wav" in params:
            prompt = Path(tmp) / "prompt.wav"
            write_wav(prompt, prompt_16k, PROMPT_RATE)
            prompt = str(prompt)
        else:
            prompt = torch.from_numpy(prompt_16k).unsqueeze(0)
        args = (text, prompt_text, prompt) if prompt_text else (text, prompt)
        return [out["tts_speech"] for out in method(*args, stream=False)]


class CloneBackend(VoiceBackend):
    """CosyVoice 2 cloning from the avatar's voice sample; espeak when it cannot run."""

    name = "clone"

    def __init__(self, weights=None, fallback=None, rate=DEFAULT_RATE):
        from .espeak import EspeakBackend

        self.weights = Path(weights) if weights else weights_dir()
        self.fallback = fallback or EspeakBackend(rate=rate)
        self.rate = rate
        self._model = None
        self.unavailable_reason = ""
        self.last_engine = ""  # which engine spoke the last line, for the film's provenance

    def model(self):
        if self._model is None and not self.unavailable_reason:
            try:
                self._model = load_model(self.weights)
            except CloneUnavailable as error:
                self.unavailable_reason = str(error)
                log.warning("Voice cloning unavailable, using espeak-ng: %s", error)
        return self._model

    def synthesize(self, text, language, voice):
        profile = voice.voice_profile or {}
        sample = voice.voice_sample
        model = self.model() if (sample and Path(sample).exists() and profile.get("has_speech")) else None
        if model is None:
            self.last_engine = self.fallback.name
            return self.fallback.synthesize(text, language, voice)
        prompt = prepare_reference(sample)
        chunks = generate(model, prepare_text(text, language), profile.get("transcript", ""), prompt)
        self.last_engine = self.name
        return postprocess(chunks, model.sample_rate, self.rate), self.rate
