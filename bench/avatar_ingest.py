"""Benchmark: avatar clip ingest (prepare_clip) against merely decoding the same clip with PyAV.

Makes a 5 s 1080p30 H.264 clip with a chirp sound track in a temporary folder, then prints the best
of 3 for each and their ratio. Target: ingest at most 2.0x the plain decode. Then the matte (the
subject cut out of the window, inference.media.matte), which preparation makes on top: its extra
seconds, and prepare_clip + matte against the plain decode.
Run from the repository root: python bench/avatar_ingest.py
"""
import os
import sys
import tempfile
import time
from pathlib import Path

import av
import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "theatre.config.settings")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")

import django  # noqa: E402

django.setup()
from inference.media.ingest import clip_matte, prepare_clip  # noqa: E402
from inference.media.matte import matte_bytes  # noqa: E402

WIDTH, HEIGHT, FPS, SECONDS, RATE = 1920, 1080, 30, 5, 48000
TARGET = 2.0


def make_clip(path):
    """A person (scikit-image's astronaut) drifting across a noisy textured room, with a chirp."""
    from skimage.data import astronaut

    person = cv2.resize(astronaut(), (700, 700), interpolation=cv2.INTER_AREA)
    rng = np.random.default_rng(0)
    room = cv2.resize(rng.integers(60, 200, (54, 96, 3), dtype=np.uint8), (WIDTH, HEIGHT))
    with av.open(str(path), "w") as container:
        video = container.add_stream("libx264", rate=FPS, options={"preset": "veryfast", "crf": "20"})
        video.width, video.height, video.pix_fmt = WIDTH, HEIGHT, "yuv420p"
        audio = container.add_stream("aac", rate=RATE)  # every stream before the first packet
        for index in range(FPS * SECONDS):
            image = room.copy()
            x = 300 + index * 4
            image[200:900, x: x + 700] = person
            # Sensor noise gives a phone-like bitrate; a clean synthetic picture decodes too fast.
            image += rng.integers(0, 16, image.shape, dtype=np.uint8)
            frame = av.VideoFrame.from_ndarray(image, format="rgb24")
            frame.pts = index
            container.mux(video.encode(frame))
        container.mux(video.encode())
        _write_chirp(container, audio)


def _write_chirp(container, audio):
    step, total = audio.codec_context.frame_size or 1024, RATE * SECONDS
    for start in range(0, total, step):
        t = np.arange(start, start + step) / RATE
        samples = (0.3 * np.sin(2 * np.pi * (200 + 300 * t) * t)).astype(np.float32)
        frame = av.AudioFrame.from_ndarray(samples[None, :], format="flt", layout="mono")
        frame.sample_rate, frame.pts = RATE, start
        container.mux(audio.encode(frame))
    container.mux(audio.encode())


def decode_only(path):
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"  # the same threading prepare_clip uses: a fair baseline
        for _ in container.decode(stream):
            pass


def best_of(runs, action):
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return min(timings)


def main():
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "avatar.mp4"
        make_clip(path)
        size_mb = path.stat().st_size / 1e6
        decode = best_of(3, lambda: decode_only(path))
        ingest = best_of(3, lambda: prepare_clip(path, "person"))
        clip = prepare_clip(path, "person")
        matte_time = best_of(3, lambda: clip_matte(path, clip.window, clip.crop_box))
        matte = clip_matte(path, clip.window, clip.crop_box)
    print(f"clip: {WIDTH}x{HEIGHT} {FPS} fps {SECONDS} s H.264 + AAC, {size_mb:.1f} MB")
    print(f"decode every video frame (PyAV, best of 3): {decode:.3f} s")
    print(f"prepare_clip end to end   (best of 3):      {ingest:.3f} s")
    print(f"ingest/decode: {ingest / decode:.2f}x (target: at most {TARGET:.1f}x)"
          f" -> {'OK' if ingest / decode <= TARGET else 'MISSED'}")
    print(f"references: {len(clip.frames)}, chosen {clip.chosen}, crop box {clip.crop_box}, "
          f"audio {len(clip.audio)} samples at {clip.audio_rate} Hz")
    frames, height, width = matte.rgba.shape[:3]
    print(f"matte (window decode + cut-out, best of 3): {matte_time:.3f} s extra: "
          f"{frames} frames {width}x{height} at {matte.fps:g} fps, {len(matte_bytes(matte)) / 1e6:.2f} MB stored")
    print(f"(ingest + matte)/decode: {(ingest + matte_time) / decode:.2f}x; "
          f"matte/ingest: {matte_time / ingest:.2f}x")


if __name__ == "__main__":
    main()
