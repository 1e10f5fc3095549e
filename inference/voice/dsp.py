"""Signal processing the voice backends share: time-stretch, pitch-shift, spectral matching, trims.

All numpy/scipy on mono float32, so it runs on any worker without a GPU.
"""
from fractions import Fraction

import numpy as np
from scipy.signal import fftconvolve, firwin2, resample_poly, welch

from .profile import frame_rms


def trim_silence(samples, rate, threshold_db=-45.0, pad_seconds=0.0):
    """Cuts leading and trailing quiet (relative to the peak) so a line starts at its first sound."""
    if len(samples) == 0:
        return samples
    peak = float(np.max(np.abs(samples)))
    if peak <= 0:
        return samples[:0]
    loud = np.flatnonzero(np.abs(samples) > peak * 10 ** (threshold_db / 20))
    pad = int(pad_seconds * rate)
    return samples[max(0, loud[0] - pad) : loud[-1] + 1 + pad]


def resample_ratio(samples, ratio):
    """Resamples so the output has len(samples) * ratio samples (a rational approximation)."""
    fraction = Fraction(ratio).limit_denominator(256)
    return resample_poly(samples, fraction.numerator, fraction.denominator).astype(np.float32)


def time_stretch(samples, rate, factor, frame_seconds=0.03, tolerance_seconds=0.012):
    """WSOLA: output lasts `factor` times as long with the same pitch.

    Each output frame is taken from near its nominal input position, at the offset whose waveform
    best continues the previous frame (cross-correlation), so periods line up and no phasiness or
    clicks appear the way a plain overlap-add would make them.
    """
    samples = np.asarray(samples, dtype=np.float32)
    if abs(factor - 1.0) < 1e-3 or len(samples) < 4:
        return samples.copy()
    size = int(rate * frame_seconds) // 2 * 2
    hop = size // 2
    tol = int(rate * tolerance_seconds)
    window = np.hanning(size).astype(np.float32)
    out_len = int(round(len(samples) * factor))
    count = out_len // hop + 1
    padded = np.concatenate([np.zeros(tol, np.float32), samples, np.zeros(size + 2 * tol, np.float32)])
    out = np.zeros(count * hop + size, dtype=np.float32)
    norm = np.zeros_like(out)
    position = 0  # input position (in `samples`) of the previous frame's start
    for k in range(count):
        nominal = int(k * hop / factor)
        if k == 0:
            start = nominal
        else:
            natural = padded[tol + position + hop : tol + position + hop + size]
            lo = nominal  # search region in padded coordinates: nominal - tol .. nominal + tol
            region = padded[lo : lo + size + 2 * tol]
            if len(region) < size + 2 * tol or not natural.any():
                start = nominal
            else:
                scores = fftconvolve(region, natural[::-1], mode="valid")
                start = nominal - tol + int(np.argmax(scores))
        start = max(0, start)
        frame = padded[tol + start : tol + start + size]
        if len(frame) < size:
            frame = np.pad(frame, (0, size - len(frame)))
        out[k * hop : k * hop + size] += frame * window
        norm[k * hop : k * hop + size] += window
        position = start
    out = out / np.maximum(norm, 1e-3)
    return out[:out_len]


def pitch_shift(samples, rate, ratio):
    """Multiplies pitch by `ratio`, keeping duration: stretch in time, then resample back."""
    if abs(ratio - 1.0) < 1e-3:
        return np.asarray(samples, dtype=np.float32).copy()
    stretched = time_stretch(samples, rate, ratio)
    return resample_ratio(stretched, 1.0 / ratio)


def long_term_spectrum(samples, rate, nperseg=1024):
    """Long-term average spectrum in dB (Welch), for spectral matching."""
    freqs, power = welch(samples, rate, nperseg=nperseg)
    return freqs, 10 * np.log10(power + 1e-12)


def _smooth_log_frequency(freqs, values, octaves=1 / 3):
    """Averages a spectrum over a band of `octaves` around each frequency: keeps only the envelope."""
    out = np.empty_like(values)
    for i, f in enumerate(freqs):
        lo, hi = f * 2 ** (-octaves / 2), f * 2 ** (octaves / 2)
        band = (freqs >= lo) & (freqs <= hi)
        out[i] = values[band].mean() if band.any() else values[i]
    return out


def apply_eq(samples, rate, freqs, gains_db, numtaps=257):
    """Applies a smooth gain curve with a linear-phase FIR (delay removed, so timing is unchanged)."""
    nyquist = rate / 2
    grid = np.concatenate([[0.0], np.clip(freqs, 1, nyquist - 1), [nyquist]])
    gains = np.concatenate([[gains_db[0]], gains_db, [gains_db[-1]]])
    grid, unique = np.unique(grid, return_index=True)
    taps = firwin2(numtaps, grid / nyquist, 10 ** (gains[unique] / 20))
    return fftconvolve(samples, taps, mode="same").astype(np.float32)


def match_spectrum(samples, rate, reference, reference_rate, max_db=12.0):
    """EQs `samples` toward the reference's long-term spectrum envelope (third-octave smoothed).

    Only the broad shape moves (brightness, body, nasality), never single harmonics, and each band
    is limited to +-`max_db` so a noisy reference cannot wreck the line.
    """
    if reference_rate != rate:
        reference = resample_poly(reference, rate, reference_rate)
    freqs, mine = long_term_spectrum(samples, rate)
    _, theirs = long_term_spectrum(reference, rate)
    difference = _smooth_log_frequency(freqs, theirs - mine)
    difference -= np.median(difference[(freqs > 300) & (freqs < 3000)])  # shape only, not level
    difference = np.clip(difference, -max_db, max_db)
    difference[freqs < 70] = difference[np.searchsorted(freqs, 70)]
    return apply_eq(samples, rate, freqs, difference)


def tilt_spectrum(samples, rate, db_per_octave, max_db=12.0):
    """Tilts the spectrum about 1 kHz (brighter for positive values)."""
    if abs(db_per_octave) < 0.1:
        return samples
    freqs = np.linspace(20, rate / 2 - 20, 64)
    gains = np.clip(db_per_octave * np.log2(freqs / 1000.0), -max_db, max_db)
    return apply_eq(samples, rate, freqs, gains)


def normalise_rms(samples, target_db=-20.0, rate=24000):
    """Scales so the audible part (10 ms frames within 30 dB of the loudest) sits at `target_db`."""
    rms = frame_rms(samples, rate)
    if len(rms) == 0 or rms.max() <= 0:
        return np.asarray(samples, dtype=np.float32)
    active = rms[rms > rms.max() * 10 ** (-30 / 20)]
    level = np.sqrt(np.mean(active**2))
    return (samples * (10 ** (target_db / 20) / level)).astype(np.float32)
