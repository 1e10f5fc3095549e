"""Benchmark: how the script parser and the stock loader scale, as ratios measured in one run.

    python bench/script_speed.py

- The parser on a 2 000-character, six-shot prompt against a 200-character one-shot prompt, per character
  (target: below 3, i.e. linear; a regular expression that backtracks shows as a ratio in the tens).
- `load_stock` on a fresh database, and run again on a database that already holds everything (the second
  run only compares; target: well below 1).
These used to be timed assertions in the tests; a wall-clock bound there fails on a loaded machine and
says nothing on a fast one, so the figures live here.
"""
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SHORT = "Shot 1: wide shot, @Mia walks through the old market at dusk, past lanterns and fruit stalls. "
LONG = "".join(
    f"Shot {n}: wide shot, @Mia walks through the old market at dusk, past lanterns, fruit stalls, "
    f"a juggler, a bicycle, a fountain and a sleeping dog, {'while the camera keeps its distance, ' * 5}"
    f"and the evening light turns orange. " for n in range(1, 7)
)


def best_of(fn, repeats):
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times), statistics.median(times)


def parser_figures():
    from theatre.script.parser import parse_prompt

    short_min, _ = best_of(lambda: parse_prompt(SHORT), 50)
    long_min, _ = best_of(lambda: parse_prompt(LONG), 20)
    per_char = (long_min / len(LONG)) / (short_min / len(SHORT))
    print(f"parser: {len(SHORT)} chars {short_min * 1000:.2f} ms, {len(LONG)} chars {long_min * 1000:.2f} ms; "
          f"time per character, long / short = {per_char:.2f} (target below 3)")


def stock_figures():
    from django.core.management import call_command

    from theatre.stock.loading import load_stock

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    load_stock()
    first = time.perf_counter() - started
    started = time.perf_counter()
    load_stock()
    again = time.perf_counter() - started
    print(f"load_stock: fresh database {first:.2f} s, again {again:.2f} s; again / fresh = {again / first:.2f}")


def main():
    folder = Path(tempfile.mkdtemp(prefix="script-speed-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "theatre.config.settings")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ["THEATRE_VAR_DIR"] = str(folder)
    os.environ["MEDIA_ROOT"] = str(folder / "media")
    import django

    django.setup()
    parser_figures()
    stock_figures()


if __name__ == "__main__":
    main()
