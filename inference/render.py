"""Renders a FilmSpec to an MP4 and a poster: voices and timing first (shots last as long as their
lines), then each shot's frames from the backend, with subtitles and the AI label burned in, streamed
to the encoder so memory does not grow with the film's length."""
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from .specs import Progress


class RenderError(Exception):
    """The film cannot be rendered; the message is for its owner."""


@dataclass
class RenderResult:
    video: Path
    poster: Path
    backend: str
    duration: float


def render_film_files(spec, workdir, *, on_progress=None, backend=None, voice_backend=None):
    from .backends import BackendUnavailable, choose_backend, get_backend
    from .voice.base import get_voice_backend
    from .voice.timing import TimingError, plan_film_audio

    report = on_progress or (lambda progress: None)
    try:
        backend = backend or get_backend(choose_backend(settings.THEATRE_BACKEND))
    except BackendUnavailable as error:
        raise RenderError(str(error)) from error
    report(Progress("voices", 2, shots=len(spec.shots)))
    try:
        audio = plan_film_audio(spec.shots, spec.cast, voice_backend or get_voice_backend(),
                                max_seconds=settings.FILM_MAX_SECONDS)
    except TimingError as error:
        raise RenderError(str(error)) from error
    for shot, duration in zip(spec.shots, audio.shot_durations):
        shot.duration = duration
    video, poster = Path(workdir) / "film.mp4", Path(workdir) / "poster.jpg"
    _encode(spec, backend, audio, video, poster, report)
    report(Progress("assembling", 99, shots=len(spec.shots)))
    return RenderResult(video=video, poster=poster, backend=backend.name, duration=round(spec.duration, 3))


def _encode(spec, backend, audio, video, poster, report):
    from .backends.base import frame_count
    from .media.film_writer import FilmWriter, provenance, save_poster
    from .media.overlay import draw_label, draw_subtitle

    total = sum(frame_count(spec, shot) for shot in spec.shots) or 1
    metadata = provenance(backend=backend.name, model=getattr(backend, "model_name", ""), seed=spec.seed,
                          film_id=spec.film_id, title=spec.title)
    written, offset, poster_saved = 0, 0.0, False
    with FilmWriter(video, spec.width, spec.height, spec.fps, audio=audio.track, audio_rate=audio.rate,
                    metadata=metadata) as writer:
        for number, shot in enumerate(spec.shots, start=1):
            shot_start = offset
            steps = StepReporter(report, number, len(spec.shots), written / total)
            frames = backend.render_shot(spec, shot, on_step=steps,
                                         loudness=lambda role, t, s=shot_start: audio.loudness(role, s + t))
            for index, frame in enumerate(frames):
                now = shot_start + index / spec.fps
                text = _cue_at(audio.cues, now)
                if text:
                    frame = draw_subtitle(frame, text)
                frame = draw_label(frame)
                writer.write(frame)
                written += 1
                if not poster_saved and (number > 1 or index >= frame_count(spec, shot) // 2):
                    save_poster(frame, poster)
                    poster_saved = True
                if written % spec.fps == 0:
                    report(Progress("shot", 10 + int(85 * written / total), shot=number, shots=len(spec.shots)))
            offset += shot.duration
    if not poster_saved:
        raise RenderError(_("The film has no frames."))


def _cue_at(cues, t):
    for start, end, text, _role in cues:
        if start <= t < end:
            return text
    return ""


class StepReporter:
    """Turns a backend's per-step callback into progress for one shot of the film."""

    def __init__(self, report, shot, shots, done_fraction):
        self.report, self.shot, self.shots, self.done = report, shot, shots, done_fraction

    def __call__(self, step, steps):
        share = 85 / self.shots
        percent = 10 + int(85 * self.done + share * step / max(steps, 1) * 0.9)
        self.report(Progress("shot", percent, shot=self.shot, shots=self.shots, step=step, steps=steps))
