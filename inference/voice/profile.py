"""What a voice sounds like, measured from a mono float32 signal: pitch track and a small profile.

The avatar ingest calls `voice_profile` on the clip's audio; the voice backends aim at its numbers,
and the tests use `estimate_pitch` to check that they hit them.
"""
import numpy as np
from scipy.ndimage import median_filter
from scipy.signal import find_peaks, resample_poly

FRAME_SECONDS = 0.01  # one pitch value per 10 ms
F0_MIN, F0_MAX = 55.0, 900.0  # a deep growl up to a child's or a cat's squeak
ANALYSIS_RATE = 16000  # pitch is found at 16 kHz: enough for f0 <= 900 Hz, and cheaper
YIN_THRESHOLD = 0.2  # below this the cumulative mean normalised difference counts as periodic


def to_mono_float(samples):
    """Any array of samples as mono float32 (channels last or first are both averaged)."""
    samples = np.asarray(samples, dtype=np.float32)
    if samples.ndim == 2:
        axis = 0 if samples.shape[0] < samples.shape[1] else 1
        samples = samples.mean(axis=axis)
    return samples


def resample(samples, rate, new_rate):
    """Polyphase resampling between integer rates (kept here so every module uses the same one)."""
    if rate == new_rate:
        return np.asarray(samples, dtype=np.float32)
    gcd = np.gcd(int(rate), int(new_rate))
    return resample_poly(samples, new_rate // gcd, rate // gcd).astype(np.float32)


def frame_rms(samples, rate, frame_seconds=FRAME_SECONDS):
    """RMS per frame of `frame_seconds` (non-overlapping), as a float array."""
    hop = max(1, int(round(rate * frame_seconds)))
    count = len(samples) // hop
    if count == 0:
        return np.zeros(0, dtype=np.float32)
    frames = np.asarray(samples[: count * hop], dtype=np.float64).reshape(count, hop)
    return np.sqrt(np.mean(frames**2, axis=1))


def _yin(samples, rate, fmin, fmax, hop):
    """YIN (de Cheveigné & Kawahara 2002) on all frames at once: returns (f0, aperiodicity).

    The difference function is computed from an FFT cross-correlation and cumulative energies, so
    the whole clip is a few array operations rather than a loop over frames.
    """
    tau_max = int(np.ceil(rate / fmin))
    tau_min = max(2, int(np.floor(rate / fmax)))
    window = tau_max  # integration window of one longest period: the usual YIN choice
    length = window + tau_max + 1
    padded = np.concatenate([np.zeros(window // 2), samples, np.zeros(length)])
    count = max(0, (len(samples)) // hop)
    if count == 0:
        return np.zeros(0), np.ones(0)
    starts = np.arange(count) * hop
    frames = np.lib.stride_tricks.sliding_window_view(padded, length)[starts].astype(np.float64)
    frames = frames - frames.mean(axis=1, keepdims=True)  # DC offset would look like periodicity

    nfft = 1 << int(np.ceil(np.log2(length + window)))
    spectrum = np.fft.rfft(frames, nfft)
    head = np.fft.rfft(frames[:, :window], nfft)
    corr = np.fft.irfft(np.conj(head) * spectrum, nfft)[:, : tau_max + 1]  # r(tau), tau=0..tau_max
    energy = np.concatenate([np.zeros((count, 1)), np.cumsum(frames**2, axis=1)], axis=1)
    taus = np.arange(tau_max + 1)
    e_tau = energy[:, taus + window] - energy[:, taus]  # energy of x[tau:tau+window]
    diff = e_tau[:, :1] + e_tau - 2 * corr
    diff[:, 0] = 0.0
    diff = np.maximum(diff, 0.0)
    cumulative = np.cumsum(diff[:, 1:], axis=1) / np.arange(1, tau_max + 1)
    cmnd = np.ones_like(diff)
    cmnd[:, 1:] = diff[:, 1:] / np.maximum(cumulative, 1e-12)

    # The first dip below the threshold that is a local minimum; else the global minimum.
    inner = cmnd[:, tau_min:tau_max]
    is_min = (inner <= cmnd[:, tau_min - 1 : tau_max - 1]) & (inner <= cmnd[:, tau_min + 1 : tau_max + 1])
    candidate = is_min & (inner < YIN_THRESHOLD)
    has_candidate = candidate.any(axis=1)
    first = np.where(has_candidate, candidate.argmax(axis=1), inner.argmin(axis=1)) + tau_min
    rows = np.arange(count)
    best = cmnd[rows, first]

    # Parabolic interpolation around the dip for sub-sample period accuracy.
    left = cmnd[rows, np.clip(first - 1, 0, tau_max)]
    right = cmnd[rows, np.clip(first + 1, 0, tau_max)]
    denom = left - 2 * best + right
    shift = np.where(np.abs(denom) > 1e-12, 0.5 * (left - right) / np.where(denom == 0, 1, denom), 0.0)
    period = first + np.clip(shift, -1, 1)
    return rate / period, best


def estimate_pitch(samples, rate, fmin=F0_MIN, fmax=F0_MAX):
    """f0 in Hz per 10 ms frame; NaN where the frame is unvoiced or too quiet.

    YIN on the signal resampled to 16 kHz; a frame is voiced when its aperiodicity is low and its
    energy is within 40 dB of the clip's loud frames (so room noise in pauses never gets a pitch).
    """
    samples = to_mono_float(samples)
    if len(samples) == 0:
        return np.zeros(0, dtype=np.float32)
    signal = resample(samples, rate, ANALYSIS_RATE)
    hop = int(ANALYSIS_RATE * FRAME_SECONDS)
    f0, aperiodicity = _yin(signal, ANALYSIS_RATE, fmin, fmax, hop)
    rms = frame_rms(np.concatenate([signal, np.zeros(hop)]), ANALYSIS_RATE)[: len(f0)]
    loud = np.percentile(rms, 95) if len(rms) else 0.0
    audible = (rms > loud * 10 ** (-40 / 20)) & (rms > 10 ** (-60 / 20))
    voiced = (aperiodicity < YIN_THRESHOLD) & audible & (f0 >= fmin) & (f0 <= fmax)
    track = np.where(voiced, f0, np.nan)
    # A 3-frame median removes lone octave jumps without moving real pitch changes.
    filled = np.where(voiced, f0, 0.0)
    smoothed = median_filter(filled, size=3, mode="nearest")
    track = np.where(voiced & (smoothed > 0), smoothed, track)
    return track.astype(np.float32)


def median_pitch(samples, rate):
    """Median f0 of the voiced frames, or NaN when nothing is voiced."""
    track = estimate_pitch(samples, rate)
    voiced = track[np.isfinite(track)]
    return float(np.median(voiced)) if len(voiced) else float("nan")


def loudness_dbfs(samples, rate):
    """RMS level in dBFS over the audible part: 20 ms frames within 30 dB of the loudest."""
    samples = to_mono_float(samples)
    rms = frame_rms(samples, rate, 0.02)
    if len(rms) == 0 or rms.max() <= 0:
        return -120.0
    active = rms[rms > rms.max() * 10 ** (-30 / 20)]
    return float(20 * np.log10(np.sqrt(np.mean(active**2)) + 1e-12))


def syllable_rate(samples, rate):
    """Syllables per second: peaks of the smoothed energy envelope, at least 100 ms apart."""
    rms = frame_rms(samples, rate)
    if len(rms) < 5 or rms.max() <= 0:
        return 0.0
    envelope = np.convolve(rms, np.hanning(7) / np.hanning(7).sum(), mode="same")
    db = 20 * np.log10(envelope / envelope.max() + 1e-9)
    peaks, _ = find_peaks(db, height=-30, distance=10, prominence=4)
    active = np.count_nonzero(db > -30) * FRAME_SECONDS
    return float(len(peaks) / active) if active > 0 else 0.0


def spectral_tilt(samples, rate):
    """Slope of the long-term spectrum in dB per octave between 200 Hz and 5 kHz."""
    from scipy.signal import welch

    if len(samples) < 1024:
        return 0.0
    freqs, power = welch(samples, rate, nperseg=1024)
    band = (freqs >= 200) & (freqs <= min(5000, rate / 2 - 1))
    if band.sum() < 4:
        return 0.0
    slope = np.polyfit(np.log2(freqs[band]), 10 * np.log10(power[band] + 1e-20), 1)[0]
    return float(slope)


def _speech_like(track, rms):
    """Speech, unlike noise or music, comes in syllables with gliding pitch.

    Noise and silence have few voiced frames; sustained notes have flat pitch (almost no change from
    frame to frame) and little 2-10 Hz energy modulation. Returns (is_speech, voiced_seconds).
    """
    voiced = np.isfinite(track)
    voiced_seconds = float(voiced.sum() * FRAME_SECONDS)
    if voiced_seconds < 0.4:
        return False, voiced_seconds
    semitones = 12 * np.log2(np.where(voiced, track, 1.0))
    steps = np.abs(np.diff(semitones))[voiced[1:] & voiced[:-1]]
    # Upper quartile, not median: synthetic voices hold a pitch per syllable, then glide.
    pitch_motion = float(np.percentile(steps, 75)) if len(steps) else 0.0
    # Syllabic modulation: the envelope's 2-10 Hz energy relative to its mean.
    env = rms[: len(track)] if len(rms) >= len(track) else np.pad(rms, (0, len(track) - len(rms)))
    modulation = 0.0
    if env.mean() > 0 and len(env) >= 50:
        spectrum = np.abs(np.fft.rfft(env - env.mean())) / len(env)
        mod_freqs = np.fft.rfftfreq(len(env), FRAME_SECONDS)
        band = (mod_freqs >= 2) & (mod_freqs <= 10)
        modulation = float(np.sqrt(2 * np.sum(spectrum[band] ** 2)) / env.mean())
    is_speech = pitch_motion >= 0.04 and modulation >= 0.3
    return bool(is_speech), voiced_seconds


def voice_profile(samples, rate):
    """A small dict describing the voice in a clip; `has_speech` is False for music, noise, silence.

    Keys: has_speech, median_pitch_hz, pitch_range_semitones (10th-90th percentile of voiced f0),
    speaking_rate_sps, loudness_db (dBFS of the audible part), spectral_tilt_db_per_octave,
    voiced_seconds, duration.
    """
    samples = to_mono_float(samples)
    duration = len(samples) / float(rate) if rate else 0.0
    track = estimate_pitch(samples, rate)
    rms = frame_rms(samples, rate)
    has_speech, voiced_seconds = _speech_like(track, rms)
    voiced = track[np.isfinite(track)]
    if len(voiced):
        low, median, high = np.percentile(voiced, [10, 50, 90])
        pitch_range = float(12 * np.log2(high / low))
    else:
        median, pitch_range = float("nan"), 0.0
    return {
        "has_speech": has_speech,
        "median_pitch_hz": round(float(median), 2) if len(voiced) else None,
        "pitch_range_semitones": round(pitch_range, 2),
        "speaking_rate_sps": round(syllable_rate(samples, rate), 2),
        "loudness_db": round(loudness_dbfs(samples, rate), 2),
        "spectral_tilt_db_per_octave": round(spectral_tilt(samples, rate), 2),
        "voiced_seconds": round(voiced_seconds, 2),
        "duration": round(duration, 3),
    }
