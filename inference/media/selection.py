"""Choose the best stretch of a clip and a handful of reference frames from sampled candidates.

Candidates are small RGB frames sampled while decoding; scores are cheap (variance of the
Laplacian for sharpness, the foreground box for subject presence), so they run on every sample.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from .subject import subject_box

WINDOW_SECONDS = 5.0
MIN_REFERENCES, MAX_REFERENCES = 4, 6
BLURRY = 0.35  # below this share of the window's sharpest frame, a frame is blurry


@dataclass
class Candidate:
    time: float  # seconds from the first video frame
    rgb: np.ndarray  # at most 512 px on the long side, display orientation
    sharpness: float = 0.0
    presence: float = 0.0
    box: list = field(default_factory=list)
    thumb: np.ndarray | None = None  # 32x32 grey, for telling near-duplicates apart
    hist: np.ndarray | None = None

    @property
    def score(self) -> float:
        return self.sharpness * self.presence


def describe(candidate: Candidate) -> Candidate:
    gray = cv2.cvtColor(candidate.rgb, cv2.COLOR_RGB2GRAY)
    # Sharpness is measured at a fixed size so that clips of any resolution compare alike.
    analysed = cv2.resize(gray, (256, round(256 * gray.shape[0] / gray.shape[1])),
                          interpolation=cv2.INTER_AREA)
    candidate.sharpness = float(cv2.Laplacian(analysed, cv2.CV_32F).var())
    candidate.box, candidate.presence = subject_box(candidate.rgb)
    candidate.thumb = cv2.resize(gray, (32, 32), interpolation=cv2.INTER_AREA).astype(np.float32)
    hsv = cv2.cvtColor(candidate.rgb, cv2.COLOR_RGB2HSV)
    hist = cv2.calcHist([hsv], [0, 1, 2], None, [8, 4, 4], [0, 180, 0, 256, 0, 256])
    candidate.hist = cv2.normalize(hist, hist).flatten()
    return candidate


def best_window(candidates: list[Candidate], duration: float) -> tuple[float, float]:
    """The 5 s stretch with the best mean score; a clip of 5 s or less is used whole."""
    if duration <= WINDOW_SECONDS:
        return 0.0, round(duration, 3)
    times = np.array([c.time for c in candidates])
    scores = _relative_scores(candidates)
    best, best_start = -1.0, 0.0
    for start in np.arange(0.0, duration - WINDOW_SECONDS + 1e-6, 0.25):
        inside = (times >= start) & (times < start + WINDOW_SECONDS)
        value = float(scores[inside].mean()) if inside.any() else 0.0
        if value > best + 1e-9:
            best, best_start = value, float(start)
    return round(best_start, 3), round(best_start + WINDOW_SECONDS, 3)


def _relative_scores(candidates: list[Candidate]) -> np.ndarray:
    sharp = np.array([c.sharpness for c in candidates])
    sharp = sharp / max(float(sharp.max()), 1e-6)
    return sharp * np.array([c.presence for c in candidates])


def pick_references(candidates: list[Candidate], window) -> list[Candidate]:
    """4 to 6 sharp candidates from the window, spread in time and unlike one another."""
    pool = [c for c in candidates if window[0] <= c.time <= window[1]] or list(candidates)
    top_sharpness = max(c.sharpness for c in pool) or 1.0
    sharp = [c for c in pool if c.sharpness >= BLURRY * top_sharpness]
    length = max(window[1] - window[0], 1e-3)
    # Relax the rules step by step, so a short or static clip still yields four references.
    for source, gap, unlike in ((sharp, length / 8, True), (sharp, length / 12, False),
                                (pool, length / 12, False), (pool, 0.0, False)):
        picked = _greedy(source, gap, unlike)
        if len(picked) >= min(MIN_REFERENCES, len(pool)):
            return sorted(picked, key=lambda c: c.time)
    return sorted(pool[:MAX_REFERENCES], key=lambda c: c.time)


def _greedy(source, gap, unlike) -> list[Candidate]:
    picked: list[Candidate] = []
    for candidate in sorted(source, key=lambda c: c.score, reverse=True):
        if len(picked) == MAX_REFERENCES:
            break
        if all(abs(candidate.time - p.time) >= gap and (not unlike or _differ(candidate, p))
               for p in picked):
            picked.append(candidate)
    return picked


def _differ(a: Candidate, b: Candidate) -> bool:
    histogram = cv2.compareHist(a.hist, b.hist, cv2.HISTCMP_BHATTACHARYYA)
    pixels = float(np.abs(a.thumb - b.thumb).mean())
    return histogram > 0.04 or pixels > 4.0
