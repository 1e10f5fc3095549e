"""Benchmark: what the provenance of issue #16 costs a preview film's render, measured in one run:
the same film rendered and encoded without it (the corner label as it was, 3.2 % of the height,
no opening label, no AIGC field, no signature) and with it (GB 45438's opening label and larger
corner mark, the AIGC field, the signed C2PA manifest), the two taking turns.

    python bench/provenance.py [--seconds 8] [--runs 3]

Prints the medians of the process's CPU time (what other work on a shared machine disturbs least)
and of the wall time, their ratios with / without (target < 1.10), and what signing alone takes
(warm, as in a worker that has signed before, and the first signature of a process).
"""
import argparse
import statistics
import sys
import tempfile
import time
from functools import lru_cache
from pathlib import Path
from unittest import mock

import numpy as np
from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from inference.backends.preview import PreviewBackend  # noqa: E402
from inference.media import assemble  # noqa: E402
from inference.media.overlay import LABEL_TEXT, Layer, _blend, get_font  # noqa: E402
from inference.media.provenance import FilmStamp  # noqa: E402
from inference.media.signing import self_made_credentials  # noqa: E402
from tests.support.render_fixtures import make_film, one_shot  # noqa: E402


@lru_cache(maxsize=4)
def _old_layer(width, height):
    """The label before issue #16 (overlay.py at 772cbbf): 3.2 % of the height, bottom right."""
    size = max(11, round(height * 0.032))
    font = get_font(size)
    left, top, right, bottom = font.getbbox(LABEL_TEXT)
    pad_x, pad_y = round(size * 0.6), round(size * 0.35)
    layer = Image.new("RGBA", (right - left + 2 * pad_x, bottom - top + 2 * pad_y), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    draw.rounded_rectangle((0, 0, layer.width - 1, layer.height - 1), radius=layer.height // 2, fill=(0, 0, 0, 150))
    draw.text((pad_x - left, pad_y - top), LABEL_TEXT, font=font, fill=(255, 255, 255, 235))
    margin = round(height * 0.025)
    return Layer(layer), width - layer.width - margin, height - layer.height - margin


def old_label(frame, *_args):
    layer, x, y = _old_layer(frame.shape[1], frame.shape[0])
    return _blend(frame, layer, x, y)


def film_spec(folder, seconds):
    framings = ["wide", "medium", "close_up", "full"]
    moves = ["pan", "push_in", "orbit", "static"]
    shots = [one_shot(framings[i], moves[i], roles=("me", "cat"), duration=seconds / 4) for i in range(4)]
    for shot in shots:
        shot.lines = []
    spec = make_film(folder, shots=shots)
    spec.language = "zh-hans"
    return spec


def audio_for(seconds, rate=24000):
    t = np.arange(int(seconds * rate)) / rate
    return (0.2 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)


def clocks():
    """(wall seconds, CPU seconds of this process and its encoder threads)."""
    return time.perf_counter(), time.process_time()


def since(started):
    return tuple(now - then for now, then in zip(clocks(), started))


def without_provenance(spec, audio, out):
    started = clocks()
    with mock.patch.object(assemble, "draw_labels", old_label), mock.patch.object(assemble, "draw_label", old_label):
        assemble.write_film(spec, PreviewBackend(), out, audio=audio, poster_path=out.with_suffix(".jpg"))
    return since(started)


def with_provenance(spec, audio, out, credentials):
    started = clocks()
    backend = PreviewBackend()
    stamp = FilmStamp.for_film(spec, backend, site="Bench Theatre")
    assemble.write_film(spec, backend, out, audio=audio, poster_path=out.with_suffix(".jpg"),
                        extra_metadata=stamp.metadata)
    stamp.sign(out, credentials)
    return since(started)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        spec, audio = film_spec(folder, args.seconds), audio_for(args.seconds)
        credentials = self_made_credentials(folder / "signing", "Bench Theatre")
        # The first signature of a process loads the C2PA library; a render worker pays it once.
        assemble.write_film(film_spec(folder, 0.5), PreviewBackend(), folder / "warm.mp4")
        started = time.perf_counter()
        FilmStamp.for_film(spec, PreviewBackend(), site="Bench Theatre").sign(folder / "warm.mp4", credentials)
        first_sign = time.perf_counter() - started
        before, after, signing = [], [], []
        for run in range(args.runs):  # taking turns, so a busy moment of the machine hits both
            before.append(without_provenance(spec, audio, folder / f"before-{run}.mp4"))
            after.append(with_provenance(spec, audio, folder / f"after-{run}.mp4", credentials))
            plain = folder / f"before-{run}.mp4"
            started = time.perf_counter()
            FilmStamp.for_film(spec, PreviewBackend(), site="Bench Theatre").sign(plain, credentials)
            signing.append(time.perf_counter() - started)
    print(f"{args.seconds:.0f} s preview film at {spec.width}x{spec.height}, {args.runs} runs each, taking turns")
    for clock, name in ((1, "CPU time"), (0, "wall time")):
        without = statistics.median(run[clock] for run in before)
        with_ = statistics.median(run[clock] for run in after)
        print(f"  {name:9}  without: {without:6.2f} s   with: {with_:6.2f} s   ratio {with_ / without:.3f}   "
              f"(runs without: {', '.join(f'{run[clock]:.2f}' for run in before)}; "
              f"with: {', '.join(f'{run[clock]:.2f}' for run in after)})")
    print(f"  signing alone: {statistics.median(signing) * 1000:.0f} ms warm, {first_sign * 1000:.0f} ms the first time in a process")
    cpu = statistics.median(run[1] for run in after) / statistics.median(run[1] for run in before)
    print(f"ratio with / without (median CPU time, which other work on a shared machine disturbs least): "
          f"{cpu:.3f} (target < 1.10)")

if __name__ == "__main__":
    main()
