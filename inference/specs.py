"""Plain data handed from the site to the renderers: what a film is, without the database.

The render job builds a FilmSpec from the film's rows (after checking permissions again); the
backends, the voice code and the encoder see only these objects, so they run the same in a worker,
a test or a benchmark.
"""
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class CastRef:
    """One role's avatar as the renderer needs it."""

    role_key: str
    name: str  # the avatar's name, as it appears in prompts and subtitles
    kind: str  # person, pet, cartoon, object
    description: str
    reference_images: list[Path]  # the avatar's reference frames, best first
    crop: Path | None  # the subject cut out of the chosen frame
    voice_profile: dict = field(default_factory=dict)  # median_pitch_hz, pitch_range_semitones, ...
    voice_sample: Path | None = None  # the avatar's own speech, for cloning backends
    voice_preset: str = ""  # a named voice when the clip had no speech
    # The avatar's own clip and the stretch of it where it speaks best (start, end in seconds), for
    # a generator that takes a video reference with its sound (h3); set only when the clip has speech.
    clip: Path | None = None
    clip_window: tuple[float, float] | None = None

    @property
    def has_speech(self) -> bool:
        return bool(self.voice_profile.get("has_speech"))


@dataclass
class LineSpec:
    """A line of dialogue. start/end are seconds from the start of its shot, set by the timing plan."""

    role_key: str
    text: str
    language: str = "en"
    start: float = 0.0
    end: float = 0.0


@dataclass
class ShotSpec:
    index: int
    framing: str  # wide, full, medium, close_up, extreme_close_up, over_the_shoulder
    camera_move: str  # static, pan, push_in, pull_out, orbit
    action: str  # the words of the shot with @role keys replaced by the avatars' names
    role_keys: list[str]
    lines: list[LineSpec]
    duration: float  # seconds


@dataclass
class ParentFilm:
    """The film a remix was made from, for its Content Credentials: its id, its title, and its file
    copied into the render's work folder (None when it has none any more)."""

    film_id: int
    title: str
    video: Path | None = None


@dataclass
class FilmSpec:
    film_id: int | None
    title: str
    seed: int
    shots: list[ShotSpec]
    cast: dict[str, CastRef]  # by role key
    language: str = "en"
    width: int = 854
    height: int = 480
    fps: int = 24
    parent: ParentFilm | None = None  # set for a remix

    @property
    def duration(self):
        return sum(shot.duration for shot in self.shots)


@dataclass
class Progress:
    """What a render reports: a stage, a percent, and where it is in the shots and steps."""

    stage: str
    percent: int
    shot: int = 0
    shots: int = 0
    step: int = 0
    steps: int = 0
