"""The one interface every generator backend offers: a film in, streamed RGB frames out, and, for a
backend that speaks, the film's own sound track with where each shot and line falls.

A backend sees only the plain FilmSpec/ShotSpec data (inference/specs.py), so the same backend runs
in an RQ worker, a test or a benchmark. Most of our backends draw one shot at a time (preview, wan,
tiny): they implement `render_shot`, and the `Backend.render_film` written here runs them shot after
shot, which is the adapter that keeps them working unchanged. A model that makes a whole film in one
call (h3) overrides `render_film` itself.
"""
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from inference.specs import CastRef, FilmSpec, ShotSpec

StepCallback = Callable[[int, int], None]  # (step done, steps in total)
FilmStepCallback = Callable[[int, int, int, int], None]  # (shot, shots, step done, steps in total)
Loudness = Callable[[str, float], float]  # (role key, seconds into the shot) -> 0..1
CancelCheck = Callable[[], bool]  # True once the film was cancelled

SOUND_MODEL = "model"  # the film's sound was made by the generator itself
SOUND_SYNTHETIC = "synthetic"  # our voice plan (espeak or the cloning voice) spoke the lines
SOUND_NONE = "none"  # a film without lines and a backend without sound


class BackendUnavailable(Exception):
    """The backend cannot run on this machine; the message says what to do about it."""


class RenderCancelled(Exception):
    """Raised from inside a render when its cancel hook says the film was cancelled."""


@dataclass
class FilmRender:
    """What `render_film` returns. `frames` is a lazy iterator (the encoder pulls frames one by one, so
    memory stays flat); the shot durations and the lines' start/end are already set on the FilmSpec
    when this is returned, so subtitles and the sound line up with the frames. `audio` is the model's
    own track ((channels, samples) float32 at `audio_rate`) for a backend that speaks, else None."""

    frames: Iterator[np.ndarray]
    audio: np.ndarray | None = None
    audio_rate: int = 24000

    @property
    def sound(self) -> str:
        return SOUND_MODEL if self.audio is not None else SOUND_NONE


class Backend:
    """A renderer of films. A shot-based backend sets `name` and implements `render_shot`; a
    whole-film backend implements `render_film` and sets `speaks` when it makes the film's sound."""

    name: str = ""
    model: str = ""  # what the provenance metadata records as the model
    speaks: bool = False  # True: the backend makes the film's sound; the voice plan does not run

    def render_film(self, film: FilmSpec, *, on_step: FilmStepCallback | None = None,
                    loudness: Loudness | None = None, should_cancel: CancelCheck | None = None) -> FilmRender:
        """Every frame of the film, round(duration * fps) per shot, film.height x film.width.

        `loudness(role_key, t)` takes seconds into the film. `should_cancel` is asked after each step;
        when it says yes the render raises RenderCancelled. The default runs `render_shot` per shot."""
        return FilmRender(frames=self._shot_by_shot(film, on_step, loudness, should_cancel))

    def _shot_by_shot(self, film, on_step, loudness, should_cancel):
        shots, offset = len(film.shots), 0.0
        for number, shot in enumerate(film.shots, start=1):
            # The voice plan's loudness is in film time; a shot backend asks in seconds into its shot.
            shot_loudness = (lambda role, t, start=offset: loudness(role, start + t)) if loudness else None

            def step(done, steps, number=number):
                if on_step:
                    on_step(number, shots, done, steps)
                # Raised from inside the backend's own step (a Wan denoise step, a preview frame), so a
                # cancel stops the shot being drawn, not only the next one.
                if should_cancel and should_cancel():
                    raise RenderCancelled("The film was cancelled.")

            if should_cancel and should_cancel():
                raise RenderCancelled("The film was cancelled.")
            yield from self.render_shot(film, shot, on_step=step, loudness=shot_loudness)
            offset += shot.duration

    def render_shot(
        self,
        film: FilmSpec,
        shot: ShotSpec,
        *,
        on_step: StepCallback | None = None,
        loudness: Loudness | None = None,
    ) -> Iterator[np.ndarray]:
        """Yields round(shot.duration * film.fps) RGB uint8 frames of film.height x film.width."""
        raise NotImplementedError

    def __repr__(self):
        return f"<{type(self).__name__} {self.name}>"


def frame_count(film: FilmSpec, shot: ShotSpec) -> int:
    return max(1, round(shot.duration * film.fps))


def shot_position(film: FilmSpec, shot: ShotSpec) -> int:
    """1-based place of the shot in the film (ShotSpec.index may count from 0 or 1)."""
    for position, candidate in enumerate(film.shots, start=1):
        if candidate is shot:
            return position
    return shot.index + 1


def shot_cast(film: FilmSpec, shot: ShotSpec) -> list[CastRef]:
    """The avatars appearing in a shot, in the shot's order, skipping unknown role keys."""
    return [film.cast[key] for key in shot.role_keys if key in film.cast]


def subject_image_path(cast: CastRef) -> Path | None:
    """The subject crop when there is one, else the best reference frame."""
    if cast.crop and Path(cast.crop).exists():
        return Path(cast.crop)
    for path in cast.reference_images:
        if Path(path).exists():
            return Path(path)
    return None


def load_subject_image(cast: CastRef) -> Image.Image | None:
    path = subject_image_path(cast)
    if path is None:
        return None
    with Image.open(path) as image:
        image.load()
        return image.convert("RGBA") if image.mode in ("RGBA", "LA", "P") else image.convert("RGB")


def fit_to_frame(image: np.ndarray, width: int, height: int) -> np.ndarray:
    """Resizes an RGB frame to fit width x height keeping its aspect, letterboxed on black."""
    source = Image.fromarray(image)
    scale = min(width / source.width, height / source.height)
    size = (max(1, round(source.width * scale)), max(1, round(source.height * scale)))
    canvas = Image.new("RGB", (width, height))
    canvas.paste(source.resize(size, Image.Resampling.BICUBIC), ((width - size[0]) // 2, (height - size[1]) // 2))
    return np.asarray(canvas)
