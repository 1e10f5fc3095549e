"""Film specs for the render tests, with subject pictures drawn by Pillow (no real avatars needed)."""
from pathlib import Path

from functools import lru_cache

from PIL import Image, ImageDraw

from inference.specs import CastRef, FilmSpec, LineSpec, ShotSpec


def draw_subject(path: Path, body_colour, backdrop=(255, 255, 255)) -> Path:
    """A simple figure (head and body) on a plain backdrop, like an avatar crop."""
    image = Image.new("RGB", (200, 300), backdrop)
    draw = ImageDraw.Draw(image)
    draw.ellipse((60, 20, 140, 110), fill=(240, 200, 170))
    draw.rectangle((45, 110, 155, 300), fill=body_colour)
    image.save(path)
    return path


def make_cast(folder: Path) -> dict:
    ann = draw_subject(folder / "ann.png", (200, 30, 30))
    mimi = draw_subject(folder / "mimi.png", (30, 60, 210))
    return {
        "me": CastRef("me", "Ann", "person", "a young woman in a red coat", [ann], ann),
        "cat": CastRef("cat", "Mimi", "pet", "a fluffy blue cat", [mimi], None),  # no crop: falls back
    }


def make_film(folder: Path, *, seed=1, shots=None, width=854, height=480, fps=24) -> FilmSpec:
    shots = shots or [
        ShotSpec(0, "wide", "pan", "夜晚，Ann and Mimi by the window", ["me", "cat"], [], 2.0),
        ShotSpec(1, "close_up", "push_in", "Ann smiles", ["me"],
                 [LineSpec("me", "Hello, Mimi!", start=0.2, end=1.5)], 2.0),
    ]
    return FilmSpec(film_id=42, title="Window", seed=seed, shots=shots, cast=make_cast(folder),
                    width=width, height=height, fps=fps)


def one_shot(framing, move="static", roles=("me",), duration=1.0, lines=()):
    return ShotSpec(0, framing, move, "a beach at noon", list(roles), list(lines), duration)


FACES = {"robot": (166, 100), "cat": (212, 110), "knight": (178, 92), "grandmother": (192, 96),
         "dragon": (164, 100), "astronaut": (174, 88)}  # face centre y and size, in 512 px frames


@lru_cache(maxsize=8)
def stock_clip(key="robot", *, frames=40, height=160, fps=24.0, speaking_from=None, drift=0.6):
    """A MatteClip made without any computation: a stock character (drawn with its own alpha) that
    sways, breathes and drifts sideways while idle, and from frame `speaking_from` on talks (mouth
    open and shut, arm waving, energy 1). Its face box is the drawn face's."""
    import math

    import numpy as np

    from inference.media.matte import MatteClip
    from theatre.stock.characters import BY_KEY, FRAME_SIZE, Pose, layer

    character, scale = BY_KEY[key], height / FRAME_SIZE
    rgba, energy = [], []
    for k in range(frames):
        phase = 2 * math.pi * round(8 * k / frames) / 8  # eight idle poses: drawing is the slow part
        talking = speaking_from is not None and k >= speaking_from
        expression = ("talk", "smile", "surprised")[k % 3] if talking else "smile"
        pose = (Pose(expression, 25.0, 150.0 if k % 2 else 110.0, 0.0) if talking else
                Pose(expression, 25 + 12 * math.sin(phase), 25 + 12 * math.cos(phase), 3 * math.sin(phase)))
        image = layer(character, pose)
        moved = Image.new("RGBA", image.size, (0, 0, 0, 0))
        moved.paste(image, (round(drift * k), 0))
        rgba.append(np.asarray(moved.resize((height, height), Image.Resampling.BILINEAR, reducing_gap=2.0)))
        energy.append(1.0 if talking else 0.0)
    cy, size = FACES[key]  # where theatre/stock/characters.py draws each character's face
    face = tuple(round(v * scale) for v in (256 - 0.6 * size, cy - 0.55 * size, 256 + 0.6 * size + drift * frames,
                                            cy + 0.7 * size))
    return MatteClip(rgba=np.stack(rgba), fps=fps, energy=np.asarray(energy, np.float32), face_box=face)


def save_clip(clip, path: Path) -> Path:
    from inference.media.matte import save_matte

    with open(path, "wb") as handle:
        save_matte(clip, handle)
    return path
