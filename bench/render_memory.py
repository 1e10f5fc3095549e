"""Benchmark: peak memory of rendering a 5 s and a 15 s preview film end to end (render, subtitles,
label, H.264/AAC encode), each in a fresh subprocess. Streaming means the peak should barely grow.

    python bench/render_memory.py

Prints both peaks (ru_maxrss) and the ratio 15 s / 5 s (target <= 1.2).
"""
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def child(seconds: float, folder: Path):
    """Runs in the subprocess: one end-to-end film, then reports its own peak RSS."""
    import numpy as np

    from inference.backends.preview import PreviewBackend
    from inference.media.assemble import write_film
    from tests.support.render_fixtures import make_film, one_shot

    framings = ["wide", "medium", "close_up", "over_the_shoulder", "extreme_close_up", "full"]
    moves = ["pan", "push_in", "orbit", "static", "pull_out", "static"]
    shots = [one_shot(framings[i], moves[i], roles=("me", "cat"), duration=seconds / 6) for i in range(6)]
    for shot in shots:
        shot.lines = []
    film = make_film(folder, shots=shots)
    t = np.arange(int(seconds * 24000)) / 24000
    audio = (0.2 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)
    started = time.perf_counter()
    write_film(film, PreviewBackend(), folder / f"film-{seconds}.mp4", audio=audio, audio_rate=24000)
    elapsed = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "render_s": elapsed}))


def measure(seconds: float) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        out = subprocess.run([sys.executable, __file__, "--child", str(seconds), folder], check=True,
                             capture_output=True, text=True, cwd=ROOT).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    short, long = measure(5.0), measure(15.0)
    for run in (short, long):
        print(f"{run['seconds']:>4.0f} s preview film: peak RSS {run['peak_mb']:.0f} MB, "
              f"rendered + encoded in {run['render_s']:.1f} s")
    print(f"ratio 15 s / 5 s peak RSS: {long['peak_mb'] / short['peak_mb']:.2f} (target <= 1.2)")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(float(sys.argv[2]), Path(sys.argv[3]))
    else:
        main()
