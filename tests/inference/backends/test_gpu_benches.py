"""The GPU benches run on the CPU in the two ways a CPU can: --dry-run (shapes and parameter counts of
the full-size models built on the meta device), and the measuring code itself on the tiny components."""
import importlib.util
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

pytest.importorskip("diffusers")
pytestmark = pytest.mark.slow  # the imports and model builds alone take tens of seconds here

import torch  # noqa: E402

BENCH = Path(__file__).resolve().parents[3] / "bench"


def load_bench(name):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_main(module, monkeypatch, *argv):
    monkeypatch.setattr(sys, "argv", [module.__file__, *argv])
    module.main()


def test_gpu_h3_dry_run_prints_the_released_sizes_and_every_films_sequence(monkeypatch, capsys):
    run_main(load_bench("gpu_h3"), monkeypatch, "--dry-run")
    out = capsys.readouterr().out
    assert "50 layers, 56 heads x 128, width 5376, FFN 14336, text width 5120: 33.12 B parameters" in out
    assert "32000 Hz" in out and "canvas 1344x768" in out
    for seconds, frames, video_latents in ((5, 124, 37), (10, 243, 72), (15, 345, 102)):
        assert f"{seconds} s film: {frames} frames" in out
        assert f"video (1, 24, {video_latents}, 48, 84)" in out
    # 1008 rows per latent frame of a 1344x768 film (84x48 latents in 2x2 patches)
    assert "video 37296" in out and "video 102816" in out


def test_gpu_h3_without_cuda_says_so_and_runs_nothing(monkeypatch):
    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    with pytest.raises(SystemExit, match="No CUDA device"):
        run_main(load_bench("gpu_h3"), monkeypatch)


def test_gpu_h3_measures_a_film_through_the_real_blocks_on_the_tiny_components(monkeypatch):
    from inference.backends.h3_tiny import build_tiny_h3_pipeline

    bench = load_bench("gpu_h3")
    monkeypatch.setattr(bench, "canvas", lambda: (32, 64))
    monkeypatch.setattr(bench, "REFERENCE_IMAGE_SIZE", (48, 64))
    tiny = build_tiny_h3_pipeline(seed=0)

    def config(model):
        return {key: value for key, value in model.config.items() if not key.startswith("_")}

    # the random-weights path (meta build, bf16 with the fp32-pinned modules, init, rope) at tiny sizes
    models = bench.random_models("cpu", config(tiny.transformer_ref), config(tiny.vae), config(tiny.audio_vae))
    assert models[0].dtype == torch.bfloat16 and models[0].proj_in.weight.dtype == torch.float32
    assert torch.isfinite(models[0].rope.inv_freq).all()
    pipe = bench.denoise_pipeline(*models)
    args = SimpleNamespace(text_rows=40, video_refs=1, image_refs=1, audio_refs=1, ref_seconds=2.0, steps=3)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # tiny tensors; see test_h3_tiny_pipeline.one_thread
    try:
        result = bench.measure(args, pipe, 5, "cpu")
    finally:
        torch.set_num_threads(threads)
    assert result["steps"] == 2 and result["step"] > 0 and result["video_decode"] > 0
    assert result["video_shape"] == (1, 3, 124, 32, 64)  # the decoded film at the canvas
    assert result["audio_shape"][0] == 2  # stereo, one batch item per channel
def test_gpu_wan_dry_run_prints_the_released_sizes(monkeypatch, capsys):
    run_main(load_bench("gpu_wan"), monkeypatch, "--random-weights", "--dry-run")
    out = capsys.readouterr().out
    assert "transformer: 30 layers" in out and "1536 wide" in out
    assert "text encoder: UMT5" in out


def test_gpu_wan_random_weights_assembles_the_real_pipeline_and_backend(monkeypatch):
    from diffusers import UniPCMultistepScheduler, WanVACEPipeline

    from inference.backends.tiny import build_tiny_pipeline
    from inference.backends.wan import WanBackend

    bench = load_bench("gpu_wan")
    tiny = build_tiny_pipeline(seed=0)  # stands in for the full-size models, which need a GPU
    monkeypatch.setattr(bench, "random_models", lambda device: (tiny.transformer, tiny.text_encoder, tiny.vae))
    backend = bench.random_backend(steps=4)
    assert isinstance(backend, WanBackend) and isinstance(backend.pipeline, WanVACEPipeline)
    assert isinstance(backend.pipeline.scheduler, UniPCMultistepScheduler) and backend.steps == 4
    assert "random weights" in backend.model
