"""Reading and writing voice audio files (avatar voice samples, test references, film tracks)."""
import io
import wave
from pathlib import Path

import numpy as np

from .profile import resample


def load_audio(path, rate):
    """Any audio file -> float32 mono at `rate`: WAV with `wave`, .npy directly, anything else via PyAV."""
    path = Path(path)
    if path.suffix == ".npy":
        return np.load(path).astype(np.float32)  # already mono float32 at the ingest's 24 kHz
    if path.suffix.lower() == ".wav":
        try:
            with wave.open(str(path)) as wav:
                source_rate, channels, width = wav.getframerate(), wav.getnchannels(), wav.getsampwidth()
                frames = wav.readframes(wav.getnframes())
            if width == 2:
                samples = np.frombuffer(frames, "<i2").astype(np.float32) / 32768.0
                samples = samples.reshape(-1, channels).mean(axis=1)
                return resample(samples, source_rate, rate)
        except wave.Error:
            pass  # float WAV and friends: PyAV reads them
    import av

    chunks = []
    with av.open(str(path)) as container:
        resampler = av.AudioResampler(format="flt", layout="mono", rate=rate)
        for frame in container.decode(audio=0):
            for out in resampler.resample(frame):
                chunks.append(out.to_ndarray().reshape(-1))
        for out in resampler.resample(None):
            chunks.append(out.to_ndarray().reshape(-1))
    return np.concatenate(chunks).astype(np.float32) if chunks else np.zeros(0, np.float32)


def wav_bytes(samples, rate):
    """float32 mono -> the bytes of a 16-bit PCM WAV file (clipped to [-1, 1])."""
    pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(pcm.tobytes())
    return buffer.getvalue()


def write_wav(path, samples, rate):
    """float32 mono -> a 16-bit PCM WAV file (clipped to [-1, 1])."""
    Path(path).write_bytes(wav_bytes(samples, rate))
