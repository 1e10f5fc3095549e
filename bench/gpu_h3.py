"""Benchmark for a GPU worker: MiniMax-H3 (ref2va) seconds per denoising step, decode time and peak VRAM.

    python bench/gpu_h3.py [--seconds 5 10 15] [--steps 4] [--video-refs 2] [--image-refs 1]
        [--audio-refs 0] [--ref-seconds 4] [--text-rows 1024] [--weights DIR] [--dry-run]

Without --weights the full-size transformer and both VAEs are built from the released configuration
with random weights (compute does not depend on the values): the transformer is
`MiniMaxH3Transformer3DModel()` whose defaults are, field for field, `MINIMAX_H3_TRANSFORMER_CONFIG`
of diffusers' own conversion script (scripts/convert_minimax_h3_to_diffusers.py: 56 heads x 128,
width 5376, 50 layers, FFN 14336, text width 5120); likewise `AutoencoderKLMiniMaxH3()` and
`AutoencoderKLMiniMaxH3Audio()` (32 kHz). With --weights DIR (a diffusers MiniMax-H3 folder) the
released weights are loaded from DIR's transformer_ref/, vae/ and audio_vae/ instead.

Every film is rendered through diffusers' own ref2va denoise blocks (layout, noise, the two
schedulers, the loop) at the model's canvas (the 16:9 canvas `resolve_canvas_size` gives for
768 short edge / 768x1344 pixels), with references of the real shapes: each video reference a
`--ref-seconds` clip with its soundtrack on the canvas, each image reference a 3:4 picture at the
2048 px short edge the model encodes pictures at. `--text-rows` stands for the Qwen3-VL
presentation (prompt plus the references' vision blocks); the text encoder itself runs once per film
and is not timed here. Ratios are against the first --seconds value, measured in the same run.

--dry-run (any machine, no GPU, nothing allocated at full size): prints the configuration, the
parameter counts (models built on the meta device) and the packed sequence of every film.
Not run in CI.
"""
import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

FPS = 24
REFERENCE_IMAGE_SIZE = (1536, 2048)  # a 3:4 avatar picture (width, height); encoded at a 2048 short edge


def frame_count(seconds: float) -> int:
    """The 17n+5 frame count MiniMax-H3 generates for a film of about `seconds` (5 to 15 s)."""
    from diffusers.modular_pipelines.minimax_h3.modular_pipeline import align_num_frames

    frames = align_num_frames(round(seconds * FPS), 17, 5)
    while frames / FPS > 15.0:
        frames -= 17
    return frames


def canvas():
    from diffusers.modular_pipelines.minimax_h3.modular_pipeline import resolve_canvas_size

    return resolve_canvas_size(16, 9, 32, 768, 768 * 1344)  # (height, width)


def reference_plan(args, num_frames, latent_channels=24, audio_channels=32):
    """The references and the shapes of their encoded latents, as the setup and VAE-encoder steps make them."""
    import numpy as np
    import torch
    from PIL import Image
    from diffusers.modular_pipelines.minimax_h3 import (
        MiniMaxH3AudioReference, MiniMaxH3ImageReference, MiniMaxH3VideoReference)
    from diffusers.modular_pipelines.minimax_h3.modular_pipeline import (
        audio_latent_num_frames, video_latent_num_frames)

    height, width = canvas()
    references, visual, audio = [], [], []
    # a clip is truncated to the film and snapped down to 17n+5 before it is encoded
    clip_frames = min(round(args.ref_seconds * FPS), num_frames)
    clip_frames = max(1, (clip_frames - 5) // 17) * 17 + 5
    clip_audio_rows = audio_latent_num_frames(min(round(args.ref_seconds * FPS), num_frames)) * 2
    for _ in range(args.video_refs):
        references.append(MiniMaxH3VideoReference(frames=np.zeros((1, 1, 1, 3), "uint8"), audio=torch.zeros(2, 1)))
        audio.append((clip_audio_rows, audio_channels))
        visual.append((1, latent_channels, video_latent_num_frames(clip_frames, 17, 5), height // 16, width // 16))
    scale = 2048 / min(REFERENCE_IMAGE_SIZE)
    image_h = round(REFERENCE_IMAGE_SIZE[1] * scale / 32) * 32
    image_w = round(REFERENCE_IMAGE_SIZE[0] * scale / 32) * 32
    for _ in range(args.image_refs):
        references.append(MiniMaxH3ImageReference(image=Image.new("RGB", (1, 1))))
        visual.append((1, latent_channels, 1, image_h // 16, image_w // 16))
    for _ in range(args.audio_refs):
        references.append(MiniMaxH3AudioReference(audio=torch.zeros(2, 1)))
        audio.append((audio_latent_num_frames(round(args.ref_seconds * FPS)) * 2, audio_channels))
    return references, visual, audio


def layout(args, seconds):
    """Rows of the packed `[text | references | target audio | target video]` sequence, by the blocks' own code."""
    import torch
    from diffusers.modular_pipelines.minimax_h3.before_denoise import MiniMaxH3Ref2VAPrepareLayoutStep
    from diffusers.modular_pipelines.minimax_h3.modular_pipeline import (
        audio_latent_num_frames, video_latent_num_frames)

    num_frames = frame_count(seconds)
    height, width = canvas()
    references, visual, audio = reference_plan(args, num_frames)
    tags = torch.ones(args.text_rows, dtype=torch.long)
    result = MiniMaxH3Ref2VAPrepareLayoutStep.build_ref2va_packed_sequence(
        tags, references, [torch.empty(shape, device="meta") for shape in visual],
        [torch.empty(shape, device="meta") for shape in audio],
        video_latent_num_frames(num_frames, 17, 5), height // 16, width // 16, audio_latent_num_frames(num_frames),
        (1, 2, 2), 2, 2, 0)
    position_ids, _, video_indices, audio_indices, _, ref_video_rows, ref_audio_rows = result
    return {"seconds": seconds, "num_frames": num_frames, "rows": position_ids.shape[0], "text": args.text_rows,
            "reference_video": ref_video_rows, "reference_audio": ref_audio_rows,
            "target_video": video_indices.numel() - ref_video_rows,
            "target_audio": audio_indices.numel() - ref_audio_rows}


def count(module) -> str:
    return f"{sum(p.numel() for p in module.parameters()) / 1e9:.2f} B"


def dry_run(args):
    import torch
    from diffusers import AutoencoderKLMiniMaxH3, AutoencoderKLMiniMaxH3Audio, MiniMaxH3Transformer3DModel

    with torch.device("meta"):
        transformer = MiniMaxH3Transformer3DModel()
        vae, audio_vae = AutoencoderKLMiniMaxH3(), AutoencoderKLMiniMaxH3Audio()
    config = transformer.config
    print(f"transformer: {config.num_layers} layers, {config.num_attention_heads} heads x "
          f"{config.attention_head_dim}, width {config.hidden_size}, FFN {config.ffn_dim}, text width "
          f"{config.text_dim}: {count(transformer)} parameters")
    print(f"video VAE: {count(vae)} parameters; audio VAE: {count(audio_vae)} parameters, "
          f"{audio_vae.config.sampling_rate} Hz")
    height, width = canvas()
    print(f"canvas {width}x{height} at {FPS} fps; references: {args.video_refs} clip(s) of {args.ref_seconds} s "
          f"with sound, {args.image_refs} picture(s), {args.audio_refs} voice clip(s); {args.text_rows} text rows")
    for seconds in args.seconds:
        rows = layout(args, seconds)
        print(f"{seconds:g} s film: {rows['num_frames']} frames, packed sequence {rows['rows']} rows = text "
              f"{rows['text']} + reference video {rows['reference_video']} + reference audio "
              f"{rows['reference_audio']} + audio {rows['target_audio']} + video {rows['target_video']}")
        print(f"  latents: video (1, 24, {(rows['num_frames'] - 5) // 17 * 5 + 2}, {height // 16}, {width // 16}), "
              f"audio (2, 32, {rows['target_audio'] // 2})")


def mixed_precision(model):
    """bf16, except the parameters `_keep_in_fp32_modules` names, matched as diffusers'
    from_pretrained(dtype=torch.bfloat16) matches them: against the dotted parts of a parameter's name."""
    import torch

    model.to(torch.bfloat16)
    keep = model._keep_in_fp32_modules or []
    for name, parameter in model.named_parameters():
        if any(part in name.split(".") for part in keep):
            parameter.data = parameter.data.float()
    return model


def random_models(device, transformer_config=None, vae_config=None, audio_vae_config=None):
    """The released architectures with random weights, in the dtypes the released checkpoint loads in:
    the transformer bf16 except its fp32-pinned modules, the video VAE's decoder bf16, the audio VAE fp32.
    The configs default to the released ones (the classes' defaults); the test passes tiny ones."""
    import torch
    from diffusers import AutoencoderKLMiniMaxH3, AutoencoderKLMiniMaxH3Audio, MiniMaxH3Transformer3DModel
    from diffusers.models.transformers.transformer_minimax_h3 import MiniMaxH3RotaryPosEmbed

    with torch.device("meta"):
        transformer = MiniMaxH3Transformer3DModel(**(transformer_config or {}))
    # 33 B parameters: built on meta and materialised once in bf16 (an fp32 build would need 130 GB)
    transformer = mixed_precision(transformer.to_empty(device=device))
    with torch.no_grad():
        for name, parameter in transformer.named_parameters():
            if parameter.ndim >= 2:
                parameter.normal_(0.0, 0.02)
            elif "norm" in name:
                parameter.fill_(1.0)
            else:
                parameter.zero_()
    config = transformer.config
    transformer.rope = MiniMaxH3RotaryPosEmbed(config.rope_freq_dim, config.rope_theta).to(device)  # its buffer
    with torch.device(device):
        vae = AutoencoderKLMiniMaxH3(**(vae_config or {}))
        audio_vae = AutoencoderKLMiniMaxH3Audio(**(audio_vae_config or {"latents_mean": [0.0] * 32,
                                                                        "latents_std": [1.0] * 32}))
    return transformer.eval(), mixed_precision(vae).eval(), audio_vae.eval()


def released_models(folder, device):
    import torch
    from diffusers import AutoencoderKLMiniMaxH3, AutoencoderKLMiniMaxH3Audio, MiniMaxH3Transformer3DModel

    kwargs = dict(local_files_only=True, dtype=torch.bfloat16)
    transformer = MiniMaxH3Transformer3DModel.from_pretrained(folder, subfolder="transformer_ref", **kwargs)
    vae = AutoencoderKLMiniMaxH3.from_pretrained(folder, subfolder="vae", **kwargs)
    audio_vae = AutoencoderKLMiniMaxH3Audio.from_pretrained(folder, subfolder="audio_vae", **kwargs)
    return transformer.to(device).eval(), vae.to(device).eval(), audio_vae.to(device).eval()


def denoise_pipeline(transformer, vae, audio_vae):
    """diffusers' ref2va denoise blocks (prepare_layout .. after_denoise) with our per-step hook."""
    from diffusers import MiniMaxH3Scheduler
    from diffusers.modular_pipelines import MiniMaxH3Blocks, MiniMaxH3ModularPipeline, SequentialPipelineBlocks

    from inference.backends.h3_tiny import install_step_callback

    workflow = MiniMaxH3Blocks().get_workflow("ref2va")
    blocks = SequentialPipelineBlocks.from_blocks_dict(
        {name: block for name, block in workflow.sub_blocks.items() if name.startswith("denoise.")})
    pipe = MiniMaxH3ModularPipeline(blocks=install_step_callback(blocks))
    pipe.update_components(transformer_ref=transformer, scheduler=MiniMaxH3Scheduler(shift=12.0),
                           audio_scheduler=MiniMaxH3Scheduler(shift=3.0))
    # The decoders are timed one by one outside the blocks, so no block of this chain declares the VAEs;
    # they are set as plain attributes, which is where the pipeline's geometry properties read them.
    pipe.vae, pipe.audio_vae = vae, audio_vae
    pipe.set_progress_bar_config(disable=True)
    return pipe


def measure(args, pipe, seconds, device):
    """One film through the denoise blocks, then both decoders; times and peak memory. Runs on the CPU
    too (the test does, with the tiny components), where the memory figures are 0."""
    import torch

    cuda = str(device).startswith("cuda")
    sync = torch.cuda.synchronize if cuda else (lambda: None)
    peak = (lambda: torch.cuda.max_memory_allocated() / 2**30) if cuda else (lambda: 0.0)
    reset = (lambda: (torch.cuda.empty_cache(), torch.cuda.reset_peak_memory_stats())) if cuda else (lambda: None)
    num_frames = frame_count(seconds)
    height, width = canvas()
    references, visual, audio = reference_plan(args, num_frames, pipe.vae_latent_channels, pipe.audio_latent_channels)
    text_width = pipe.transformer_ref.config.text_dim
    dtype = pipe.transformer_ref.context_embedder.weight.dtype  # what the text encoder hands over
    generator = torch.Generator("cpu").manual_seed(0)
    marks = []

    def on_step(i, n):
        sync()
        marks.append(time.perf_counter())

    reset()
    started = time.perf_counter()
    state = pipe(
        prompt_embeds=torch.randn(1, args.text_rows, text_width, generator=generator).to(device, dtype),
        text_token_tags=torch.ones(args.text_rows, dtype=torch.long), normalized_references=references,
        condition_latents=[torch.randn(shape, generator=generator) for shape in visual],
        audio_condition_latents=[torch.randn(shape, generator=generator) for shape in audio],
        height=height, width=width, num_frames=num_frames, num_inference_steps=args.steps,
        generator=generator, step_callback=on_step)
    steps = [b - a for a, b in zip([started] + marks[:-1], marks)]
    latents, audio_latents = state.get("latents"), state.get("audio_latents")
    sync()
    denoise_peak = peak()
    del state
    reset()
    begun = time.perf_counter()
    with torch.no_grad():
        video = pipe.vae.decode(latents.to(device, torch.float32), return_dict=False)[0]
        sync()
        video_decode = time.perf_counter() - begun
        begun = time.perf_counter()
        sound = pipe.audio_vae.decode(audio_latents.to(device, torch.float32), return_dict=False)[0]
        sync()
    audio_decode = time.perf_counter() - begun
    decode_peak = peak()
    # the first step includes the layout, the noise and the warm-up; later steps are the steady state
    steady = statistics.median(steps[1:]) if len(steps) > 1 else steps[0]
    return {"seconds": seconds, "frames": num_frames, "first_step": steps[0], "step": steady, "steps": len(steps),
            "video_shape": tuple(video.shape), "audio_shape": tuple(sound.shape),
            "video_decode": video_decode, "audio_decode": audio_decode,
            "peak": max(denoise_peak, decode_peak), "denoise_peak": denoise_peak, "decode_peak": decode_peak}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, nargs="+", default=[5, 10, 15])
    parser.add_argument("--steps", type=int, default=4,
                        help="sigma grid points as diffusers counts them: N gives N-1 transformer passes")
    parser.add_argument("--video-refs", type=int, default=2, help="speaking stars' clips, each with its sound")
    parser.add_argument("--image-refs", type=int, default=1)
    parser.add_argument("--audio-refs", type=int, default=0)
    parser.add_argument("--ref-seconds", type=float, default=4.0)
    parser.add_argument("--text-rows", type=int, default=1024)
    parser.add_argument("--weights", default=None, help="a diffusers MiniMax-H3 folder (real weights)")
    parser.add_argument("--dry-run", action="store_true", help="print shapes and sizes; allocate nothing")
    args = parser.parse_args()
    if args.steps < 2:
        parser.error("--steps must be at least 2 (one transformer pass)")
    if args.dry_run:
        dry_run(args)
        return

    import torch

    if not torch.cuda.is_available():
        raise SystemExit("No CUDA device here: bench/gpu_h3.py measures MiniMax-H3 on a GPU worker "
                         "(use --dry-run for the shapes). Nothing was run.")
    device = "cuda"
    started = time.perf_counter()
    models = released_models(args.weights, device) if args.weights else random_models(device)
    print(f"{'released' if args.weights else 'random'} weights ready in {time.perf_counter() - started:.1f} s, "
          f"{torch.cuda.memory_allocated() / 2**30:.1f} GiB; {torch.cuda.get_device_name()}")
    pipe = denoise_pipeline(*models)
    results = [measure(args, pipe, seconds, device) for seconds in args.seconds]
    base = results[0]
    height, width = canvas()
    print(f"canvas {width}x{height}, {args.steps - 1} transformer passes per film measured, "
          f"{args.video_refs} clip + {args.image_refs} picture + {args.audio_refs} voice references")
    for result in results:
        rows = layout(args, result["seconds"])
        print(f"{result['seconds']:g} s ({result['frames']} frames, {rows['rows']} rows): "
              f"{result['step']:.2f} s/step (x{result['step'] / base['step']:.2f}; first step "
              f"{result['first_step']:.2f} s), decode video {result['video_decode']:.2f} s "
              f"(x{result['video_decode'] / base['video_decode']:.2f}) + audio {result['audio_decode']:.2f} s, "
              f"peak {result['peak']:.1f} GiB (denoise {result['denoise_peak']:.1f}, decode "
              f"{result['decode_peak']:.1f})")


if __name__ == "__main__":
    main()
