"""Benchmark for a GPU worker: seconds per shot and peak VRAM of the wan backend on real weights.

    python bench/gpu_wan.py --source /path/to/Wan2.1-VACE-1.3B-diffusers [--lora FILE] [--shots 3]
        [--seconds 2.5] [--cpu-offload] [--vae-tiling] [--steps N]

Not run in CI: on a machine without CUDA it exits with a message saying so.
"""
import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", default="Wan-AI/Wan2.1-VACE-1.3B-diffusers",
                        help="a local diffusers folder, or a model id already in the Hugging Face cache")
    parser.add_argument("--lora", default=None, help="a step-distillation LoRA (fewer steps, guidance 1.0)")
    parser.add_argument("--shots", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=2.5)
    parser.add_argument("--steps", type=int, default=None)
    parser.add_argument("--cpu-offload", action="store_true")
    parser.add_argument("--vae-tiling", action="store_true")
    args = parser.parse_args()

    import torch

    if not torch.cuda.is_available():
        raise SystemExit("No CUDA device here: bench/gpu_wan.py measures the wan backend on a GPU worker "
                         "with the weights installed. Nothing was run.")
    from inference.backends.wan import wan_backend
    from tests.support.render_fixtures import make_film, one_shot

    started = time.perf_counter()
    backend = wan_backend(args.source, lora=args.lora, cpu_offload=args.cpu_offload,
                          vae_tiling=args.vae_tiling, steps=args.steps)
    print(f"pipeline loaded in {time.perf_counter() - started:.1f} s ({backend.steps} steps, "
          f"guidance {backend.guidance})")
    with tempfile.TemporaryDirectory() as folder:
        film = make_film(Path(folder), shots=[
            one_shot(framing, move, roles=("me", "cat"), duration=args.seconds)
            for framing, move in zip(["wide", "medium", "close_up", "full"] * 2,
                                     ["pan", "push_in", "orbit", "static"] * 2)][:args.shots])
        torch.cuda.reset_peak_memory_stats()
        times = []
        for shot in film.shots:
            started = time.perf_counter()
            frames = sum(1 for _ in backend.render_shot(film, shot))
            torch.cuda.synchronize()
            times.append(time.perf_counter() - started)
            print(f"shot {len(times)}: {frames} frames of {args.seconds} s in {times[-1]:.1f} s")
    peak = torch.cuda.max_memory_allocated() / 2**30
    print(f"{torch.cuda.get_device_name()}: {sum(times) / len(times):.1f} s per {args.seconds} s shot "
          f"(first shot includes warm-up), peak VRAM {peak:.1f} GiB")


if __name__ == "__main__":
    main()
