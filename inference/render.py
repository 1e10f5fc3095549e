"""Renders a FilmSpec to an MP4 and a poster, then gives the file its Content Credentials.

A backend that does not speak (preview, wan) gets today's voice plan first: every line synthesised,
shots as long as their lines, our track muxed under its frames. A backend that speaks (h3) makes the
film's sound itself and sets the shots' and lines' timing; no synthetic voice is laid over it. Either
way the frames get subtitles and the AI labels and are streamed to the encoder, so memory does not
grow with the film's length, and the provenance says whose the sound is."""
import logging
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from .media.provenance import FilmStamp
from .specs import Progress

log = logging.getLogger(__name__)


class RenderError(Exception):
    """The film cannot be rendered; the message is for its owner."""


@dataclass
class RenderResult:
    video: Path
    poster: Path
    backend: str
    duration: float
    model: str = ""
    sound: str = ""  # "model", "synthetic" or "none": whose the film's sound is


def render_film_files(spec, workdir, *, on_progress=None, backend=None, voice_backend=None, should_cancel=None):
    from .backends import SOUND_MODEL, SOUND_NONE, SOUND_SYNTHETIC, BackendUnavailable, get_backend

    report = on_progress or (lambda progress: None)
    try:
        backend = backend or get_backend(settings.THEATRE_BACKEND)
    except BackendUnavailable as error:
        raise RenderError(str(error)) from error
    audio = None
    if backend.speaks:
        sound = SOUND_MODEL
    else:
        audio = _voice_plan(spec, report, voice_backend)
        sound = SOUND_SYNTHETIC if audio.cues else SOUND_NONE
    video, poster = Path(workdir) / "film.mp4", Path(workdir) / "poster.jpg"
    stamp = FilmStamp.for_film(spec, backend, site=settings.SITE_NAME, producer=settings.AIGC_PRODUCER, sound=sound)
    _encode(spec, backend, audio, video, poster, report, stamp.metadata, should_cancel)
    report(Progress("assembling", 99, shots=len(spec.shots)))
    _sign(stamp, video)
    return RenderResult(video=video, poster=poster, backend=backend.name, duration=round(spec.duration, 3),
                        model=backend.model, sound=sound)


def _voice_plan(spec, report, voice_backend):
    """Our voices for a backend that does not speak: shots lengthened to hold their lines."""
    from .voice.base import get_voice_backend
    from .voice.timing import TimingError, plan_film_audio

    report(Progress("voices", 2, shots=len(spec.shots)))
    try:
        audio = plan_film_audio(spec.shots, spec.cast, voice_backend or get_voice_backend(),
                                max_seconds=settings.FILM_MAX_SECONDS, fps=spec.fps)
    except TimingError as error:
        raise RenderError(str(error)) from error
    for shot, duration in zip(spec.shots, audio.shot_durations):
        shot.duration = duration
    return audio


def _sign(stamp, video):
    """Content Credentials go on the finished file, before anything stores it."""
    from .media.provenance import ProvenanceError
    from .media.signing import SigningError, site_credentials

    try:
        stamp.sign(video, site_credentials())
    except (ProvenanceError, SigningError) as error:
        log.error("film %s could not be signed: %s", stamp.film_id, error)
        raise RenderError(_("The film could not be given its Content Credentials: this site's signing "
                            "certificate does not work. Please tell the site's operator.")) from error


def _encode(spec, backend, audio, video, poster, report, metadata, should_cancel=None):
    from .media.assemble import write_film

    def shot_progress(progress):
        # The film's bar: 0-10 % voices, 10-95 % shots, the rest assembling (reported by the caller,
        # so write_film's own closing "done" is not passed on as a shot).
        if progress.stage == "done":
            return
        report(Progress("shot", 10 + int(0.85 * progress.percent), shot=progress.shot, shots=progress.shots,
                        step=progress.step, steps=progress.steps))

    voices = {} if audio is None else {"audio": audio.track, "audio_rate": audio.rate, "loudness": audio.loudness}
    write_film(spec, backend, video, poster_path=poster, on_progress=shot_progress, extra_metadata=metadata,
               should_cancel=should_cancel, **voices)
    if not poster.exists():
        raise RenderError(_("The film has no frames."))
