"""A stretch of an avatar's clip as frames and sound, for a generator that takes a video reference
with its soundtrack (MiniMax-H3's ref2va): decoded with PyAV, frames scaled down as they arrive so
a long 4K clip never sits in memory whole."""
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
from PIL import Image


@dataclass
class ClipWindow:
    frames: np.ndarray  # (count, height, width, 3) uint8
    fps: float
    audio: np.ndarray | None  # (channels, samples) float32 in -1..1, or None for a silent clip
    audio_rate: int


def read_window(path, start: float, seconds: float, *, short_edge: int = 768, audio_rate: int = 32000,
                channels: int = 2) -> ClipWindow:
    """`seconds` of the clip at `path` from `start`, frames at most `short_edge` on their short side,
    the sound resampled to `audio_rate` with `channels` channels."""
    end = start + seconds
    frames, fps = [], 24.0
    with av.open(str(Path(path))) as container:
        video = container.streams.video[0]
        fps = float(video.average_rate or video.guessed_rate or 24)
        for frame in container.decode(video=0):
            time = float(frame.time or 0.0)
            if time < start:
                continue
            if time >= end:
                break
            image = frame.to_image()
            scale = min(1.0, short_edge / min(image.size))
            if scale < 1.0:
                image = image.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))),
                                     Image.Resampling.BILINEAR)
            frames.append(np.asarray(image.convert("RGB")))
    audio = _read_audio(path, start, end, audio_rate, channels)
    if not frames:
        raise ValueError(f"{path} has no frames between {start:.2f} s and {end:.2f} s")
    return ClipWindow(frames=np.stack(frames), fps=fps, audio=audio, audio_rate=audio_rate)


def _read_audio(path, start, end, rate, channels):
    with av.open(str(Path(path))) as container:
        if not container.streams.audio:
            return None
        layout = "mono" if channels == 1 else "stereo"
        resampler = av.AudioResampler(format="fltp", layout=layout, rate=rate)
        chunks = []
        for frame in container.decode(audio=0):
            for out in resampler.resample(frame):
                chunks.append(out.to_ndarray())
        for out in resampler.resample(None):
            chunks.append(out.to_ndarray())
    if not chunks:
        return None
    track = np.concatenate(chunks, axis=1).astype(np.float32)
    return np.ascontiguousarray(track[:, int(start * rate):int(end * rate)])
