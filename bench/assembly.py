"""Benchmark: encode + mux a 15 s 480p film with sound through FilmWriter (PyAV, streamed) against
the ffmpeg command line fed the same raw frames through a pipe, with the same settings.

    python bench/assembly.py [--runs 3]

Prints both times and the ratio FilmWriter / ffmpeg (target <= 1.2). The frames are made before the
clocks start, so only encoding and muxing are timed.
"""
import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from inference.backends.scenery import paint_set, plan_sets  # noqa: E402
from inference.media.film_writer import FilmWriter, provenance  # noqa: E402
from inference.media.overlay import draw_label  # noqa: E402

WIDTH, HEIGHT, FPS, SECONDS, RATE = 854, 480, 24, 15, 24000
CRF, PRESET = 23, "veryfast"


def make_frames():
    """360 frames of a painted set the camera pans across, with the label: like a preview film."""
    rng = np.random.default_rng(0)
    stage = np.asarray(paint_set(plan_sets("", ["a city street at night 夜 窗"])[0], WIDTH * 2, HEIGHT, rng))
    count = FPS * SECONDS
    frames = []
    for i in range(count):
        x = round(i * WIDTH / count)
        frame = stage[:, x:x + WIDTH].copy()
        frame[200:330, 300 + i % 200:420 + i % 200] = (200, 40, 40)  # a moving figure
        frames.append(draw_label(frame))
    return frames


def make_audio():
    t = np.arange(SECONDS * RATE) / RATE
    return (0.2 * np.sin(2 * np.pi * 220 * t) * (0.5 + 0.5 * np.sin(2 * np.pi * 3 * t))).astype(np.float32)


def with_film_writer(frames, audio, out):
    started = time.perf_counter()
    with FilmWriter(out, WIDTH, HEIGHT, FPS, audio, RATE, provenance(backend="bench"), crf=CRF,
                    preset=PRESET) as writer:
        for frame in frames:
            writer.write(frame)
    return time.perf_counter() - started


def with_ffmpeg(frames, wav, out):
    command = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
               "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{WIDTH}x{HEIGHT}", "-r", str(FPS), "-i", "pipe:0",
               "-i", str(wav), "-c:v", "libx264", "-preset", PRESET, "-crf", str(CRF), "-pix_fmt", "yuv420p",
               "-c:a", "aac", "-b:a", "128k", "-movflags", "+faststart", "-shortest", str(out)]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdin=subprocess.PIPE)
    for frame in frames:
        process.stdin.write(frame.tobytes())
    process.stdin.close()
    if process.wait() != 0:
        raise SystemExit("ffmpeg failed")
    return time.perf_counter() - started


def write_wav(audio, path):
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(RATE)
        handle.writeframes((audio * 32767).astype(np.int16).tobytes())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not shutil.which("ffmpeg"):
        raise SystemExit("The ffmpeg command line is needed for the baseline: apt-get install ffmpeg")
    frames, audio = make_frames(), make_audio()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        write_wav(audio, folder / "voice.wav")
        ours, theirs = [], []
        for _ in range(args.runs):  # alternate so both see the same machine conditions
            ours.append(with_film_writer(frames, audio, folder / "ours.mp4"))
            theirs.append(with_ffmpeg(frames, folder / "voice.wav", folder / "theirs.mp4"))
        sizes = ((folder / "ours.mp4").stat().st_size, (folder / "theirs.mp4").stat().st_size)
    a, b = statistics.median(ours), statistics.median(theirs)
    print(f"{SECONDS} s {WIDTH}x{HEIGHT} @ {FPS} fps, libx264 {PRESET} crf {CRF}, aac; median of {args.runs}")
    print(f"FilmWriter (PyAV): {a:.2f} s  [{', '.join(f'{x:.2f}' for x in ours)}]  {sizes[0] / 1e6:.2f} MB")
    print(f"ffmpeg CLI (pipe): {b:.2f} s  [{', '.join(f'{x:.2f}' for x in theirs)}]  {sizes[1] / 1e6:.2f} MB")
    print(f"ratio FilmWriter / ffmpeg: {a / b:.2f}x (target <= 1.2x)")


if __name__ == "__main__":
    main()
