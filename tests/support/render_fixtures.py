"""Film specs for the render tests, with subject pictures drawn by Pillow (no real avatars needed)."""
from pathlib import Path

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
