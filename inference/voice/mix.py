"""Mixing the film's dialogue: lines placed sample-accurately, levelled, summed, and limited.

No sample of the result exceeds 1.0: a gain limiter handles overlaps and loud clips, and a soft
clipper above -0.9 dBFS catches whatever is left, so the encoder never sees a clipped sample.
"""
import numpy as np
from scipy.ndimage import maximum_filter1d, uniform_filter1d

from .dsp import normalise_rms
from .profile import frame_rms

LINE_LEVEL_DB = -20.0  # every line at the same loudness, whoever speaks
CEILING = 0.9


def mix_lines(placed, total_samples, rate, level_db=LINE_LEVEL_DB):
    """Sums (start_sample, samples, role_key) clips into a track of `total_samples`.

    Returns (track, levelled) where levelled lists the clips after loudness normalisation, for the
    loudness envelopes. Clips running past the end are kept whole by lengthening the track, never
    cut: the timing plan should not let that happen, and a cut word is worse than a longer track.
    """
    levelled = [(start, normalise_rms(clip, level_db, rate), role) for start, clip, role in placed]
    end = max([total_samples] + [start + len(clip) for start, clip, _ in levelled])
    track = np.zeros(end, dtype=np.float32)
    for start, clip, _ in levelled:
        track[start : start + len(clip)] += clip
    return limit(track, rate), levelled


def limit(track, rate, ceiling=CEILING, release_seconds=0.05):
    """Peak limiter (instant attack via a look-around window, smooth release) plus a soft clip."""
    if len(track) == 0:
        return track.astype(np.float32)
    window = max(1, int(rate * 0.005))
    peak = maximum_filter1d(np.abs(track), size=2 * window + 1)
    gain = np.minimum(1.0, ceiling / np.maximum(peak, 1e-9))
    # Smooth the gain but never let smoothing raise it above what a peak needs.
    gain = np.minimum(gain, uniform_filter1d(gain, size=max(1, int(rate * release_seconds))))
    return soft_clip(track * gain, ceiling)


def soft_clip(samples, knee=CEILING):
    """Identity below `knee`; above it, a tanh curve that approaches but never reaches 1.0."""
    magnitude = np.abs(samples)
    over = magnitude > knee
    room = 1.0 - knee
    shaped = np.where(over, knee + room * np.tanh((magnitude - knee) / room) * 0.999, magnitude)
    return (np.sign(samples) * shaped).astype(np.float32)


def envelope_100hz(levelled, total_samples, rate):
    """Per role, a 0..1 loudness curve at 100 values a second (-50 dBFS -> 0, -14 dBFS -> 1)."""
    frames = int(np.ceil(total_samples / (rate / 100)))
    envelopes = {}
    for start, clip, role in levelled:
        if role not in envelopes:
            envelopes[role] = np.zeros(frames, dtype=np.float32)
        rms = frame_rms(clip, rate)
        db = 20 * np.log10(rms + 1e-9)
        values = np.clip((db + 50) / 36, 0, 1)
        first = int(round(start / (rate / 100)))
        last = min(frames, first + len(values))
        if last > first:
            envelopes[role][first:last] = np.maximum(envelopes[role][first:last], values[: last - first])
    for role, env in envelopes.items():
        envelopes[role] = uniform_filter1d(env, 3).astype(np.float32)  # 30 ms: mouths don't flicker
    return envelopes
