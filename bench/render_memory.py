"""Benchmark: the preview renderer's speed against the renderer before avatars acted with their
clips (issue 15), and its peak memory for a 5 s and a 15 s film, each run in a fresh subprocess.

    python bench/render_memory.py [--baseline REV]

Speed: a 3-shot 15 s 480p film (two roles, one speaking; each role with a 320 px matte clip of 60
frames, which the baseline cannot use and so shows as its cut-out picture), frames rendered and
counted, no encoding; the baseline is `inference/backends/preview.py` and `scenery.py` as of REV
(default: the last commit before issue 15), loaded from git at bench time. Target: at most 2x.
Memory: the same kind of film end to end (render, subtitles, label, H.264/AAC encode) at 5 s and
15 s with the current renderer; ru_maxrss of each child. Streaming means the ratio 15 s / 5 s stays
<= 1.2.
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
BASELINE = "09fc399"  # main just before issue 15: the still cut-out preview


def film_with_clips(folder: Path, seconds: float):
    """Three shots (medium, close-up, extreme close-up) of `seconds` in all; Ann speaks in the second."""
    from tests.support.render_fixtures import make_film, one_shot, save_clip, stock_clip
    from inference.specs import LineSpec

    third = seconds / 3
    shots = [one_shot("medium", "pan", roles=("me", "cat"), duration=third),
             one_shot("close_up", "push_in", roles=("me",), duration=third,
                      lines=[LineSpec("me", "Hello there, Mimi!", start=0.3, end=third - 0.3)]),
             one_shot("extreme_close_up", "static", roles=("me",), duration=third)]
    film = make_film(folder, shots=shots)
    film.cast["me"].matte = save_clip(stock_clip("grandmother", frames=60, height=320, speaking_from=30),
                                      folder / "me.npz")
    film.cast["cat"].matte = save_clip(stock_clip("cat", frames=60, height=320), folder / "cat.npz")
    return film


def load_baseline(rev: str, folder: Path):
    """The renderer as of `rev`, imported from files written out of git (not kept in the tree)."""
    import importlib

    def show(path):
        return subprocess.run(["git", "show", f"{rev}:{path}"], cwd=ROOT, check=True, capture_output=True,
                              text=True).stdout

    (folder / "baseline_scenery.py").write_text(show("inference/backends/scenery.py"))
    (folder / "baseline_preview.py").write_text(show("inference/backends/preview.py").replace(
        "from inference.backends import scenery\n", "import baseline_scenery as scenery\n"))
    sys.path.insert(0, str(folder))
    return importlib.import_module("baseline_preview").PreviewBackend


def child_speed(which: str, rev: str, folder: Path):
    if which == "baseline":
        backend = load_baseline(rev, folder)()
    else:
        from inference.backends.preview import PreviewBackend

        backend = PreviewBackend()
    film = film_with_clips(folder, 15.0)
    started = time.perf_counter()
    count = sum(1 for shot in film.shots for _ in backend.render_shot(film, shot))
    print(json.dumps({"which": which, "frames": count, "render_s": time.perf_counter() - started}))


def child_memory(seconds: float, folder: Path):
    """One end-to-end film, then its own peak RSS."""
    import numpy as np

    from inference.backends.preview import PreviewBackend
    from inference.media.assemble import write_film

    film = film_with_clips(folder, seconds)
    t = np.arange(int(seconds * 24000)) / 24000
    audio = (0.2 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)
    started = time.perf_counter()
    write_film(film, PreviewBackend(), folder / f"film-{seconds}.mp4", audio=audio, audio_rate=24000)
    elapsed = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "render_s": elapsed}))


def run_child(*args) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        out = subprocess.run([sys.executable, __file__, "--child", *args, folder], check=True,
                             capture_output=True, text=True, cwd=ROOT).stdout
    return json.loads(out.strip().splitlines()[-1])


def main(rev: str):
    # Interleaved and repeated, best of three: the machine is shared, the minimum is the least noisy.
    runs = {"baseline": [], "current": []}
    for _ in range(3):
        for which in runs:
            runs[which].append(run_child("speed", which, rev)["render_s"])
    old, new = min(runs["baseline"]), min(runs["current"])
    print(f"3-shot 15 s 480p preview, frames only: baseline ({rev}) {old:.2f} s, current {new:.2f} s, "
          f"ratio {new / old:.2f} (target <= 2)")
    short, long = run_child("memory", "5"), run_child("memory", "15")
    for run in (short, long):
        print(f"{run['seconds']:>4.0f} s preview film end to end: peak RSS {run['peak_mb']:.0f} MB, "
              f"rendered + encoded in {run['render_s']:.1f} s")
    print(f"ratio 15 s / 5 s peak RSS: {long['peak_mb'] / short['peak_mb']:.2f} (target <= 1.2)")


if __name__ == "__main__":
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "theatre.config.settings")
    import django

    django.setup()  # the fixtures draw stock characters from the theatre app
    if len(sys.argv) >= 2 and sys.argv[1] == "--child":
        if sys.argv[2] == "speed":
            child_speed(sys.argv[3], sys.argv[4], Path(sys.argv[5]))
        else:
            child_memory(float(sys.argv[3]), Path(sys.argv[4]))
    else:
        main(sys.argv[sys.argv.index("--baseline") + 1] if "--baseline" in sys.argv else BASELINE)
