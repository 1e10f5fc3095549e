"""Voice-like test signals whose answers are known."""
import numpy as np

RATE = 24000


def sine_voice(f0=180.0, seconds=3.0, rate=RATE):
    """A harmonic tone with vibrato, a slow pitch glide and syllable-like bursts of loudness."""
    t = np.arange(int(seconds * rate)) / rate
    f = f0 * 2 ** ((0.5 * np.sin(2 * np.pi * 5 * t) + 1.5 * np.sin(2 * np.pi * 0.7 * t)) / 12)
    phase = 2 * np.pi * np.cumsum(f) / rate
    syllables = np.clip(np.sin(2 * np.pi * 2.2 * t), 0, 1) ** 0.7
    return (sum(np.sin(k * phase) / k for k in range(1, 10)) * syllables * 0.3).astype(np.float32)


def music(seconds=4.0, rate=RATE):
    """A legato melody of steady notes with harmonics: voiced all the time, no syllables."""
    t = np.arange(int(seconds * rate)) / rate
    notes = np.repeat([220, 247, 262, 294, 330, 294, 262, 247], len(t) // 8 + 1)[: len(t)]
    phase = 2 * np.pi * np.cumsum(notes) / rate
    return (sum(np.sin(k * phase) / k for k in range(1, 6)) * 0.3).astype(np.float32)
