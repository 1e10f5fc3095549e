"""Streams a whole film from a backend into an MP4: shots in order, subtitles and the AI label burnt
in, the sound track muxed, a poster saved. Frames pass straight through, so memory stays flat.

The render job calls `write_film`; benchmarks and tests call it the same way.
"""
from collections.abc import Callable
from pathlib import Path

import numpy as np

from inference.backends.base import Backend
from inference.media.film_writer import FilmWriter, provenance, save_poster
from inference.media.overlay import draw_label, draw_labels, draw_subtitle
from inference.specs import FilmSpec, Progress


def line_at(shot, t: float) -> str:
    """The subtitle on screen t seconds into a shot (the line being spoken, if any)."""
    return next((line.text for line in shot.lines if line.start <= t < line.end), "")


def write_film(film: FilmSpec, backend: Backend, path, *, audio: np.ndarray | None = None, audio_rate: int = 24000,
               loudness: Callable[[str, float], float] | None = None, subtitles: bool = True,
               poster_path=None, on_progress: Callable[[Progress], None] | None = None, extra_metadata=None) -> Path:
    """Renders every shot with `backend` and writes the finished, labelled film to `path`.

    `loudness(role_key, t)` takes seconds into the film; `shot.lines` carry their start and end
    in seconds into their shot (set by the voice timing plan) and give the subtitles."""
    metadata = provenance(backend=backend.name, model=backend.model, seed=film.seed, film_id=film.film_id,
                          title=film.title, **(extra_metadata or {}))
    shots = len(film.shots)
    poster_frame, offset = None, 0.0
    with FilmWriter(path, film.width, film.height, film.fps, audio, audio_rate, metadata) as writer:
        for number, shot in enumerate(film.shots, start=1):
            # The voice plan's loudness is in film time; backends ask in seconds into their shot.
            shot_loudness = (lambda role, t, start=offset: loudness(role, start + t)) if loudness else None

            def on_step(step, steps, number=number):
                if on_progress:
                    done = (number - 1 + step / max(steps, 1)) / shots
                    on_progress(Progress("rendering", int(done * 100), number, shots, step, steps))

            for i, frame in enumerate(backend.render_shot(film, shot, on_step=on_step, loudness=shot_loudness)):
                if subtitles:
                    frame = draw_subtitle(frame, line_at(shot, i / film.fps))
                if poster_frame is None and i == min(film.fps, round(shot.duration * film.fps) // 2):
                    poster_frame = draw_label(frame)  # an image: the corner mark, not the opening label
                # GB 45438's explicit labels: the opening one in the film's language, the corner mark throughout.
                writer.write(draw_labels(frame, offset + i / film.fps, film.language))
            offset += shot.duration
    if poster_path and poster_frame is not None:
        save_poster(poster_frame, poster_path)
    if on_progress:
        on_progress(Progress("done", 100, shots, shots))
    return Path(path)
