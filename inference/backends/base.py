"""The one interface every generator backend offers: a shot in, RGB frames out.

A backend sees only the plain FilmSpec/ShotSpec data (inference/specs.py), so the same backend runs
in an RQ worker, a test or a benchmark.
"""
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
from PIL import Image

from inference.specs import CastRef, FilmSpec, ShotSpec

StepCallback = Callable[[int, int], None]  # (step done, steps in total)
Loudness = Callable[[str, float], float]  # (role key, seconds into the shot) -> 0..1


class BackendUnavailable(Exception):
    """The backend cannot run on this machine; the message says what to do about it."""


class RenderCancelled(Exception):
    """Raised from inside a render when its cancel hook says the film was cancelled."""


class Backend:
    """A renderer of shots. Subclasses set `name` and implement `render_shot`."""

    name: str = ""
    model: str = ""  # what the provenance metadata records as the model

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
