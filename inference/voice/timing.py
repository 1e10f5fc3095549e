"""The film's timing plan: every line spoken in full, shots lengthened to fit, the film within 15 s.

`plan_film_audio` synthesises each line with the voice backend, sets each shot's duration and each
line's start/end (seconds within its shot), and hands the clips to `mix.mix_lines` for the track.
"""
import math
import re
from dataclasses import dataclass, field

import numpy as np

from .mix import envelope_100hz, mix_lines

LEAD_IN = 0.2  # silence before a shot's first line: a cut lands, then someone speaks
GAP = 0.25  # between two lines of one shot
TAIL = 0.3  # after a shot's last line, before the cut
MIN_SHOT = 1.0  # a shot without dialogue may shrink to this when the film is too long
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
LATIN_WORD = re.compile(r"[A-Za-z0-9\u00c0-\u024f']+")
PAUSE = re.compile(r"[,.;:!?，。；：！？、…]")


class TimingError(ValueError):
    """The lines alone cannot fit in the film's maximum length."""


@dataclass
class FilmAudio:
    track: np.ndarray  # float32 mono, the whole film
    rate: int
    shot_durations: list[float]
    cues: list[tuple[float, float, str, str]]  # (start_s, end_s, text, role_key) in film time
    envelopes: dict[str, np.ndarray] = field(default_factory=dict)  # role -> 0..1 per 1/100 s

    @property
    def duration(self):
        return len(self.track) / self.rate

    def loudness(self, role_key, t_film):
        """How loud `role_key` is speaking at film time `t_film` (seconds, scalar or array), 0..1."""
        envelope = self.envelopes.get(role_key)
        if envelope is None or len(envelope) == 0:
            return np.zeros_like(np.asarray(t_film, dtype=float)) if np.ndim(t_film) else 0.0
        values = np.interp(np.asarray(t_film, dtype=float) * 100.0, np.arange(len(envelope)), envelope,
                           left=0.0, right=0.0)
        return float(values) if np.ndim(values) == 0 else values


def estimate_line_seconds(text, language="en"):
    """A rule-of-thumb speaking time for the script editor's "too long to fit" warning.

    Mandarin runs about 4.5 characters a second, English about 2.7 words a second; each comma or
    full stop adds a short pause. Mixed text counts both.
    """
    cjk = len(CJK.findall(text))
    words = len(LATIN_WORD.findall(CJK.sub(" ", text)))
    pauses = len(PAUSE.findall(text.strip().rstrip(",.;:!?，。；：！？、…")))
    seconds = cjk / 4.5 + words / 2.7 + pauses * 0.2
    return round(max(seconds, 0.5 if (cjk or words) else 0.0), 2)


def _needed(clips_seconds):
    """The shortest shot that holds these lines with their gaps."""
    if not clips_seconds:
        return 0.0
    return LEAD_IN + sum(clips_seconds) + GAP * (len(clips_seconds) - 1) + TAIL


def fit_durations(wanted, needed, max_seconds):
    """Shot durations: each at least what its lines need; shortened toward that if over the limit.

    Raises TimingError naming the shots when the lines alone are longer than `max_seconds`.
    """
    durations = [max(w, n) for w, n in zip(wanted, needed)]
    # A shot with lines cannot be shorter than its lines; a silent one may shrink to MIN_SHOT.
    floor = [n if n > 0 else min(w, MIN_SHOT) for w, n in zip(wanted, needed)]
    if sum(floor) > max_seconds + 1e-9:
        running, lines = 0.0, []
        for index, (n, f) in enumerate(zip(needed, floor)):
            running += f
            lines.append(f"shot {index + 1}: lines need {n:.1f} s (film {running:.1f} s)")
        over = next(i for i, total in enumerate(np.cumsum(floor)) if total > max_seconds + 1e-9)
        raise TimingError(
            f"The lines need {sum(floor):.1f} s but a film is at most {max_seconds:.0f} s; it overflows "
            f"in shot {over + 1}. Shorten or cut lines. " + "; ".join(lines)
        )
    excess = sum(durations) - max_seconds
    if excess > 1e-9:
        # Take the time back from the slack each shot has above its floor, in proportion.
        slack = np.array([d - f for d, f in zip(durations, floor)])
        durations = list(np.array(durations) - slack * (excess / slack.sum()))
    return [float(d) for d in durations]


def whole_frames(duration, fps):
    """The duration cut down to a whole number of frames (at least one).

    The picture of a shot is a whole number of frames; if the sound's shot were a fraction of a
    frame longer, every later line would drift against its picture, up to half a frame per cut.
    Rounding down keeps the film within its maximum and never cuts a line: a shot with lines ends
    with TAIL seconds of silence, more than a frame.
    """
    return max(1, math.floor(duration * fps + 1e-6)) / fps


def plan_film_audio(shots, cast, backend, rate=24000, max_seconds=15.0, fps=None):
    """Synthesises every line, times shots and lines, and mixes the film's dialogue track.

    Mutates each ShotSpec.duration and each LineSpec.start/end (seconds within the shot), as the
    render job expects, and returns the FilmAudio with the mixed track, cues and loudness envelopes.
    With `fps`, shot durations are whole frames so sound and picture cut at the same instant.
    """
    from .profile import resample

    clips = []  # per shot, a list of float32 arrays at `rate`
    for shot in shots:
        shot_clips = []
        for line in shot.lines:
            voice = cast.get(line.role_key)
            if voice is None:
                raise KeyError(f"Shot {shot.index}: no cast for role {line.role_key!r}.")
            samples, clip_rate = backend.synthesize(line.text, line.language, voice)
            shot_clips.append(resample(samples, clip_rate, rate))
        clips.append(shot_clips)

    needed = [_needed([len(c) / rate for c in shot_clips]) for shot_clips in clips]
    durations = fit_durations([shot.duration for shot in shots], needed, max_seconds)
    if fps:
        durations = [whole_frames(duration, fps) for duration in durations]

    placed, cues = [], []  # placed: (start_sample, samples, role_key)
    shot_start = 0.0
    for shot, shot_clips, duration in zip(shots, clips, durations):
        shot.duration = duration if fps else round(duration, 3)
        at = LEAD_IN
        for line, clip in zip(shot.lines, shot_clips):
            length = len(clip) / rate
            line.start, line.end = round(at, 3), round(at + length, 3)
            film_start = shot_start + line.start
            placed.append((int(round(film_start * rate)), clip, line.role_key))
            cues.append((round(film_start, 3), round(film_start + length, 3), line.text, line.role_key))
            at += length + GAP
        shot_start += shot.duration

    total = int(round(shot_start * rate))
    track, levelled = mix_lines(placed, total, rate)
    envelopes = envelope_100hz(levelled, total, rate)
    return FilmAudio(track=track, rate=rate, shot_durations=[s.duration for s in shots], cues=cues,
                     envelopes=envelopes)
