"""Streams a whole film from a backend into an MP4: frames in order, subtitles and the AI label burnt
in, the sound track muxed (ours, or the model's own when the backend speaks), a poster saved. Frames
pass straight through, so memory stays flat.

The render job calls `write_film`; benchmarks and tests call it the same way.
"""
from collections.abc import Callable
from pathlib import Path

import numpy as np

from inference.backends.base import Backend, CancelCheck, frame_count
from inference.media.film_writer import FilmWriter, provenance, save_poster
from inference.media.provenance import public_model_name
from inference.media.overlay import draw_label, draw_labels, draw_subtitle
from inference.specs import FilmSpec, Progress


def line_at(shot, t: float) -> str:
    """The subtitle on screen t seconds into a shot (the line being spoken, if any)."""
    return next((line.text for line in shot.lines if line.start <= t < line.end), "")


def frame_plan(film: FilmSpec):
    """For every frame of the film, (its shot, seconds into that shot, seconds into the film). The
    backends yield frame_count(film, shot) frames per shot, so this is where each frame belongs."""
    offset = 0.0
    for shot in film.shots:
        for i in range(frame_count(film, shot)):
            yield shot, i / film.fps, offset + i / film.fps
        offset += shot.duration


def write_film(film: FilmSpec, backend: Backend, path, *, audio: np.ndarray | None = None, audio_rate: int = 24000,
               loudness: Callable[[str, float], float] | None = None, subtitles: bool = True,
               poster_path=None, on_progress: Callable[[Progress], None] | None = None, extra_metadata=None,
               should_cancel: CancelCheck | None = None) -> Path:
    """Renders the film with `backend` and writes the finished, labelled film to `path`.

    `audio` is our voice plan's track, for a backend that does not speak; a backend that speaks
    returns its own, which replaces it. `loudness(role_key, t)` takes seconds into the film;
    `shot.lines` carry their start and end in seconds into their shot and give the subtitles."""
    metadata = provenance(backend=backend.name, model=public_model_name(backend.model), seed=film.seed, film_id=film.film_id,
                          title=film.title, **(extra_metadata or {}))
    shots = len(film.shots)

    def on_step(shot, of, step, steps):
        if on_progress:
            # A whole-film backend reports shot 0 of 0: every shot is drawn in the same steps.
            done = (shot - 1 + step / max(steps, 1)) / of if of else step / max(steps, 1)
            on_progress(Progress("rendering", int(done * 100), shot, of, step, steps))

    rendered = backend.render_film(film, on_step=on_step, loudness=loudness, should_cancel=should_cancel)
    if rendered.audio is not None:
        audio, audio_rate = rendered.audio, rendered.audio_rate
    first = film.shots[0]
    poster_at = min(film.fps, frame_count(film, first) // 2)
    poster_frame = None
    with FilmWriter(path, film.width, film.height, film.fps, audio, audio_rate, metadata) as writer:
        for index, (frame, (shot, t_shot, t_film)) in enumerate(zip(rendered.frames, frame_plan(film))):
            if subtitles:
                frame = draw_subtitle(frame, line_at(shot, t_shot))
            if index == poster_at:
                poster_frame = draw_label(frame)  # an image: the corner mark, not the opening label
            # GB 45438's explicit labels: the opening one in the film's language, the corner mark throughout.
            writer.write(draw_labels(frame, t_film, film.language))
    if poster_path and poster_frame is not None:
        save_poster(poster_frame, poster_path)
    if on_progress:
        on_progress(Progress("done", 100, shots, shots))
    return Path(path)
