"""Benchmark for a GPU worker: seconds per shot and peak VRAM of the wan backend on real weights.

    python bench/gpu_wan.py --source /path/to/Wan2.1-VACE-1.3B-diffusers [--lora FILE] [--shots 3]
        [--seconds 2.5] [--cpu-offload] [--vae-tiling] [--steps N]
    python bench/gpu_wan.py --random-weights [--shots 3] [--seconds 2.5] [--steps N] [--dry-run]

--random-weights builds the released Wan2.1-VACE-1.3B architecture with random weights instead of
loading it (compute does not depend on the values; no download): the transformer with the config
diffusers' conversion script gives "Wan-VACE-1.3B" (30 layers, 12 heads x 128, FFN 8960, VACE
blocks on every other layer), the UMT5-XXL text encoder, the Wan 2.1 VAE (float32, as loaded) and
a UniPC flow scheduler with shift 3. The tokenizer is the tiny backend's small vocabulary made in
code; prompts are padded to the real 512 tokens, so the text encoder does the real work. The same
backend code then renders the same shots. --dry-run builds the three models on the meta device and
prints their sizes (no GPU needed, nothing allocated).

Not run in CI: on a machine without CUDA it exits with a message saying so.
"""
import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


# diffusers' scripts/convert_wan_to_diffusers.py, "Wan-VACE-1.3B"
WAN_VACE_1_3B = dict(
    added_kv_proj_dim=None, attention_head_dim=128, cross_attn_norm=True, eps=1e-06, ffn_dim=8960, freq_dim=256,
    in_channels=16, num_attention_heads=12, num_layers=30, out_channels=16, patch_size=(1, 2, 2),
    qk_norm="rms_norm_across_heads", text_dim=4096, vace_layers=list(range(0, 30, 2)), vace_in_channels=96)
# google/umt5-xxl, the encoder Wan 2.1 ships
UMT5_XXL = dict(vocab_size=256384, d_model=4096, d_kv=64, d_ff=10240, num_layers=24, num_heads=64,
                relative_attention_num_buckets=32, relative_attention_max_distance=128,
                feed_forward_proj="gated-gelu", dense_act_fn="gelu_new", is_gated_act=True, pad_token_id=0,
                eos_token_id=1, decoder_start_token_id=0)


def random_models(device):
    """The three released architectures with random weights, in the dtypes wan.load_pipeline uses."""
    import torch
    from diffusers import AutoencoderKLWan, WanVACETransformer3DModel
    from transformers import UMT5Config, UMT5EncoderModel

    with torch.device(device):
        transformer = WanVACETransformer3DModel(**WAN_VACE_1_3B)
        text_encoder = UMT5EncoderModel(UMT5Config(**UMT5_XXL))
        vae = AutoencoderKLWan()  # its defaults are the Wan 2.1 VAE
    if str(device) != "meta":
        transformer, text_encoder = transformer.to(torch.bfloat16), text_encoder.to(torch.bfloat16)
    return transformer.eval(), text_encoder.eval(), vae.eval()


def random_backend(steps=None):
    from diffusers import UniPCMultistepScheduler, WanVACEPipeline

    from inference.backends.tiny import build_tokenizer
    from inference.backends.wan import WanBackend

    transformer, text_encoder, vae = random_models("cuda")
    scheduler = UniPCMultistepScheduler(prediction_type="flow_prediction", use_flow_sigmas=True, flow_shift=3.0,
                                        num_train_timesteps=1000)
    pipe = WanVACEPipeline(tokenizer=build_tokenizer(), text_encoder=text_encoder, vae=vae,
                           transformer=transformer, scheduler=scheduler)
    pipe.set_progress_bar_config(disable=True)
    return WanBackend(pipe, model="Wan2.1-VACE-1.3B architecture, random weights", device="cuda",
                      **({"steps": steps} if steps else {}))


def dry_run():
    transformer, text_encoder, vae = random_models("meta")

    def billions(module):
        return f"{sum(p.numel() for p in module.parameters()) / 1e9:.2f} B parameters"

    config = transformer.config
    print(f"transformer: {config.num_layers} layers, {config.num_attention_heads} heads x "
          f"{config.attention_head_dim} ({config.num_attention_heads * config.attention_head_dim} wide), "
          f"FFN {config.ffn_dim}, VACE blocks at {list(config.vace_layers)}: {billions(transformer)}")
    print(f"text encoder: UMT5 {text_encoder.config.num_layers} layers x {text_encoder.config.d_model}: "
          f"{billions(text_encoder)}")
    print(f"VAE: z_dim {vae.config.z_dim}, base_dim {vae.config.base_dim}: {billions(vae)}")


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
    parser.add_argument("--random-weights", action="store_true",
                        help="the released architecture with random weights instead of --source")
    parser.add_argument("--dry-run", action="store_true", help="with --random-weights: print sizes only")
    args = parser.parse_args()
    if args.dry_run:
        if not args.random_weights:
            parser.error("--dry-run goes with --random-weights")
        dry_run()
        return

    import torch

    if not torch.cuda.is_available():
        raise SystemExit("No CUDA device here: bench/gpu_wan.py measures the wan backend on a GPU worker "
                         "with the weights installed. Nothing was run.")
    from inference.backends.wan import wan_backend
    from tests.support.render_fixtures import make_film, one_shot

    started = time.perf_counter()
    if args.random_weights:
        backend = random_backend(args.steps)
    else:
        backend = wan_backend(args.source, lora=args.lora, cpu_offload=args.cpu_offload,
                              vae_tiling=args.vae_tiling, steps=args.steps)
    print(f"pipeline {'built (random weights)' if args.random_weights else 'loaded'} in "
          f"{time.perf_counter() - started:.1f} s ({backend.steps} steps, guidance {backend.guidance})")
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
