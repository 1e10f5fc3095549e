"""Film specs and avatars for the h3 tests: a star whose clip speaks (a video reference with its
sound), one with pictures and a preset voice, one with pictures only."""
from pathlib import Path

from inference.specs import CastRef, FilmSpec, LineSpec, ShotSpec

from tests.support.render_fixtures import draw_subject


def speaking_clip(path: Path, seconds=2.0) -> Path:
    """A small MP4 with a moving bar and a 440 Hz tone, standing in for a clip with speech."""
    from tests.support.filmmaking import mp4_bytes

    path.write_bytes(mp4_bytes(seconds))
    return path


def h3_cast(folder: Path, speakers=1) -> dict:
    """`speakers` avatars whose clips speak (Ann, then Ben, Cy, Dee, ...), Mimi the cat with a preset
    voice, and Rock, a silent object with no preset."""
    cast = {}
    for index, name in enumerate(["Ann", "Ben", "Cy", "Dee", "Eve"][:speakers]):
        key = name.lower()
        picture = draw_subject(folder / f"{key}.png", (200, 30 + 40 * index, 30))
        cast[key] = CastRef(key, name, "person", f"{name}, a young person", [picture], picture,
                            voice_profile={"has_speech": True, "duration": 2.0},
                            voice_sample=None, clip=speaking_clip(folder / f"{key}.mp4"), clip_window=(0.0, 2.0))
    mimi = draw_subject(folder / "mimi.png", (30, 60, 210))
    rock = draw_subject(folder / "rock.png", (120, 120, 120))
    cast["cat"] = CastRef("cat", "Mimi", "pet", "a fluffy blue cat", [mimi, rock], mimi, voice_preset="cat")
    cast["rock"] = CastRef("rock", "Rock", "object", "a grey rock", [rock], None)
    return cast


def h3_film(folder: Path, *, language="en", speakers=1, width=160, height=90) -> FilmSpec:
    """Mimi appears first, then Ann speaks, then Rock: the reference order follows the script."""
    zh = language.startswith("zh")
    shots = [
        ShotSpec(0, "wide", "pan", "夜晚，Mimi 在窗边" if zh else "Mimi by the window at night", ["cat"],
                 [LineSpec("cat", "喵，今晚好安静。" if zh else "Meow, what a quiet night.", language=language)], 2.0),
        ShotSpec(1, "close_up", "push_in", "Ann 微笑" if zh else "Ann smiles", ["ann", "rock"],
                 [LineSpec("ann", "你好，Mimi！" if zh else "Hello, Mimi!", language=language),
                  LineSpec("cat", "喵！" if zh else "Meow!", language=language)], 2.0),
    ]
    return FilmSpec(film_id=7, title="Window", seed=3, shots=shots, cast=h3_cast(folder, speakers),
                    language=language, width=width, height=height, fps=24)


class RecordingPipeline:
    """The real pipeline, with every call's arguments and returned state kept for the test."""

    def __init__(self, pipeline):
        self.pipeline, self.calls, self.states = pipeline, [], []

    def __call__(self, **kwargs):
        self.calls.append(kwargs)
        state = self.pipeline(**kwargs)
        self.states.append(state)
        return state

    def __getattr__(self, name):
        return getattr(self.pipeline, name)
