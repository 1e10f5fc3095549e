"""Small synthetic clips written with PyAV, for the avatar media tests (no files are checked in)."""
from __future__ import annotations

from fractions import Fraction

import av
import numpy as np

AUDIO_RATE = 48000  # Opus only takes 48 kHz; AAC is happy with it too


def moving_bar(index, time, width, height):
    """A gradient with a bar that moves with time and a red corner (to see rotations)."""
    rng = np.random.default_rng(index)
    image = np.empty((height, width, 3), np.uint8)
    image[:] = np.linspace(40, 200, width, dtype=np.uint8)[None, :, None]
    image[: height // 4, : width // 4] = (220, 30, 30)
    column = int(time * 40) % width
    image[:, column: column + 4] = 255
    # A little noise keeps packets a realistic size, so damage in the middle hits picture data.
    image += rng.integers(0, 12, image.shape, dtype=np.uint8)
    return image


def write_clip(path, *, size=(160, 120), fps=25, seconds=2.0, codec="libx264", format=None,
               audio=None, rotation=None, times=None, draw=moving_bar, options=None, tone=None):
    """Write a clip; `times` (seconds) gives irregular timestamps for a variable frame rate."""
    width, height = size
    if times is None:
        times = [i / fps for i in range(int(round(seconds * fps)))]
    with av.open(str(path), "w", format=format, options=options or {}) as container:
        video = _add_video(container, codec, fps, width, height, rotation)
        sound = container.add_stream(audio, rate=AUDIO_RATE) if audio else None
        for index, time in enumerate(times):
            frame = av.VideoFrame.from_ndarray(draw(index, time, width, height), format="rgb24")
            frame.pts = int(round(time / video.codec_context.time_base))
            container.mux(video.encode(frame))
        container.mux(video.encode())
        if sound is not None:
            length = times[-1] + (times[-1] - times[-2] if len(times) > 1 else 1 / fps)
            _write_audio(container, sound, length, tone)
    return path


def _add_video(container, codec, fps, width, height, rotation):
    video = container.add_stream(codec, rate=fps)
    video.width, video.height = width, height
    video.pix_fmt = "yuv420p"
    # Millisecond timestamps let the variable-frame-rate rows place frames anywhere.
    video.codec_context.time_base = Fraction(1, 1000)
    if codec in ("libx264", "libx265"):
        video.options = {"preset": "ultrafast"}
    if codec == "libx265":
        video.options = {"preset": "ultrafast", "x265-params": "log-level=error"}
    if codec in ("libvpx", "libvpx-vp9"):
        video.options = {"deadline": "realtime", "cpu-used": "8"}  # libvpx's default is slow
    if rotation is not None:
        video.set_display_rotation(rotation)
    return video


def _write_audio(container, stream, seconds, tone=None):
    """A 440 Hz sine (or `tone(t) -> samples`) as mono float frames of the encoder's size."""
    step = stream.codec_context.frame_size or 1024
    total = int(seconds * AUDIO_RATE)
    for start in range(0, total, step):
        t = np.arange(start, min(start + step, total)) / AUDIO_RATE
        samples = tone(t) if tone else 0.3 * np.sin(2 * np.pi * 440 * t)
        if stream.codec_context.frame_size and len(t) < step:
            samples = np.pad(samples, (0, step - len(t)))
        frame = av.AudioFrame.from_ndarray(samples.astype(np.float32)[None, :], format="flt",
                                           layout="mono")
        frame.sample_rate, frame.pts = AUDIO_RATE, start
        container.mux(stream.encode(frame))
    container.mux(stream.encode())


def write_audio_only(path, seconds=2.0, codec="aac"):
    with av.open(str(path), "w") as container:
        _write_audio(container, container.add_stream(codec, rate=AUDIO_RATE), seconds)
    return path
