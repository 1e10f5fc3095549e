"""A FAKE of the part that cannot run here: the real MiniMaxH3ModularPipeline (diffusers 0.42.1's
`ref2va` blocks, unchanged) built from tiny randomly initialised components instead of the released
weights (well over 100 GB for the ref2va half).

Everything the blocks run is diffusers' and transformers' own code: reference normalisation, the
Qwen3-VL presentation (labels, vision blocks), the VAE encodes of every reference, the packed
sequence, the two MiniMaxH3Schedulers, the denoise loop, both decoders. Only the weights are random
and the sizes small (modelled on diffusers' own test of the pipeline, which runs the real blocks at
32 px and 124 frames), so the `tiny-h3` backend tests the plumbing of the `h3` backend, not what the
film shows or says: its frames are coloured noise and its soundtrack is noise. Built offline: no hub.

What is tiny, and why each piece is what it is:
- text encoder: a `Qwen3VLForConditionalGeneration` with hidden size 16 and 51 decoder layers, since
  MiniMax-H3 reads `hidden_states[50]` and the block refuses a shallower conditioner;
- tokenizer: a byte-level BPE `Qwen2TokenizerFast` (the 256 byte symbols, no merges) plus Qwen's
  special tokens, so any prompt (English, Chinese) tokenizes as bytes;
- processor: a real `Qwen3VLProcessor` with transformers' `Qwen2VLImageProcessor` (its PIL backend);
  its video processor is `TinyQwen3VLVideoProcessor` below, because transformers'
  `Qwen3VLVideoProcessor` needs torchvision, and the only torchvision wheel this machine can install
  is a CUDA build that does not load against the CPU torch (the real `h3` model, on a GPU machine
  with torchvision, uses transformers' own processor);
- video VAE: `AutoencoderKLMiniMaxH3`, x16 spatial / x4 temporal compression like the released one
  (so the `17 * n + 5` frame rule is the real one), 4 latent channels, a 1-layer ViT decoder;
- audio VAE: `AutoencoderKLMiniMaxH3Audio` at 16 kHz (hop 400, i.e. the model's 40 latents/s),
  8 latent channels, a BigVGAN decoder 16 channels wide;
- transformer: `MiniMaxH3Transformer3DModel` with 2 layers of width 32;
- schedulers: the real `MiniMaxH3Scheduler` with the released shifts (12 video, 3 audio).
The pipeline's geometry configs are scaled down with it: canvas short edge 32 (a 16:9 film
generates at 64x32), reference images encoded at a short edge of 32.

How to call it (the same call the real model takes; see /work/scratch/lead/h3_api.md):

    from diffusers.modular_pipelines.minimax_h3 import (
        MiniMaxH3AudioReference, MiniMaxH3ImageReference, MiniMaxH3VideoReference)

    pipe = build_tiny_h3_pipeline(seed=0)          # or load_h3_pipeline(folder) after save
    state = pipe(
        prompt="[Shot 1] ... <Picture 1> says ... [Shot 2] ...",   # one str; labels below
        references=[                                 # ORDER MATTERS: it numbers the labels
            MiniMaxH3ImageReference(image=pil_or_HxWx3_uint8),
            MiniMaxH3VideoReference(frames=TxHxWx3_uint8, fps=24.0,
                                    audio=CxN_float32_tensor, sample_rate=pipe.audio_sampling_rate),
            MiniMaxH3AudioReference(audio=CxN_float32_tensor, sample_rate=pipe.audio_sampling_rate),
        ],
        num_frames=124,            # at 24 fps; snapped UP to 17n+5; must be 5..15 s after snapping
        height=32, width=64,       # multiples of pipe.canvas_multiple (32); None -> 16:9 canvas
        num_inference_steps=TINY_STEPS + 1,  # sigma grid points: N gives N - 1 transformer passes
        generator=torch.Generator("cpu").manual_seed(seed),
        output_type="np",          # "np" | "pt" | "pil"
        step_callback=fn,          # ours (see install_step_callback): fn(step_index, num_steps)
    )
    state.get("num_frames")             # the 17n+5 count actually generated (124 .. 345)
    frames = state.get("videos")[0]     # np: (num_frames, H, W, 3) float32 in [0, 1], 24 fps
    audio = state.get("audio")[0]       # torch float32 (2, num_samples): stereo
    rate = state.get("sampling_rate")   # pipe.audio_sampling_rate: 16000 tiny, 32000 released

Labels: the prompt presentation names references per kind in list order: image references are
"<Picture 1>", "<Picture 2>", ...; a video reference is "<Video k>", and when it carries a soundtrack
also "<Audio j>"; audio references are "<Audio j>" (audio counted over soundtracked videos and audio
references together, in list order). A prompt refers to characters by those labels.

Audio given at another sample rate than `pipe.audio_sampling_rate` is resampled by diffusers with
torchaudio, which this project does not install: resample to the pipeline's rate first (PyAV's
AudioResampler) and pass mono or stereo `(channels, samples)` float32 in [-1, 1].

On the CPU run torch on one thread around a call (torch.set_num_threads(1)): the tensors are tiny,
and thread fan-out makes a call ~10x slower on shared cores.

Per-step hook (cancel, progress): the modular pipeline has no `callback_on_step_end`; its denoise
loop is a `LoopSequentialPipelineBlocks` whose sub-blocks run once per step, so
`install_step_callback(blocks)` appends one more loop sub-block that calls the `step_callback`
input after each scheduler step. An exception raised there propagates out of `pipe(...)`, which
stops the denoise within the step. The h3 backend uses the same function on the real blocks.
"""
from __future__ import annotations

from pathlib import Path

TINY_SOURCE = "tiny-random-minimax-h3"  # the cache key of the built-in-code pipeline
TINY_WIDTH, TINY_HEIGHT = 64, 32  # 2:1, the canvas a 16:9 film resolves to at canvas_short_edge 32
TINY_STEPS = 2  # transformer passes per film; pass num_inference_steps=TINY_STEPS + 1
TINY_AUDIO_RATE = 16000
TINY_CANVAS_SHORT_EDGE = 32
TINY_REFERENCE_IMAGE_SHORT_EDGE = 32

# Qwen's special tokens the MiniMax-H3 blocks and the Qwen3-VL processor look up by name.
SPECIAL_TOKENS = (
    "<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|vision_start|>", "<|vision_end|>",
    "<|image_pad|>", "<|video_pad|>",
)


def _byte_level_alphabet() -> list[str]:
    """GPT-2's byte-to-unicode table: the 256 symbols a byte-level BPE spells every byte with."""
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(
        range(ord("®"), ord("ÿ") + 1))
    codes, extra = list(printable), 0
    for byte in range(256):
        if byte not in printable:
            codes.append(256 + extra)
            extra += 1
    return sorted({chr(code) for code in codes})


def build_tokenizer():
    """A byte-level BPE Qwen2TokenizerFast made in code: every byte is a token, no merges, plus the
    special tokens; so any text, Chinese included, tokenizes (as bytes) and round-trips."""
    from transformers import Qwen2TokenizerFast

    vocab = {symbol: index for index, symbol in enumerate(_byte_level_alphabet())}
    for token in SPECIAL_TOKENS:
        vocab[token] = len(vocab)
    tokenizer = Qwen2TokenizerFast(vocab=vocab, merges=[], unk_token="<|endoftext|>",
                                   eos_token="<|endoftext|>", pad_token="<|endoftext|>")
    tokenizer.add_special_tokens({"additional_special_tokens": list(SPECIAL_TOKENS[1:])})
    return tokenizer


def build_processor(tokenizer=None):
    """A real Qwen3VLProcessor over the tiny tokenizer, a Qwen2-VL image processor (16 px patches,
    merge 2, so a 32 px reference image is one vision token) and the tiny video processor."""
    from transformers import Qwen2VLImageProcessor

    from inference.backends.h3_tiny_processor import TinyQwen3VLProcessor, TinyQwen3VLVideoProcessor

    tokenizer = tokenizer if tokenizer is not None else build_tokenizer()
    image_processor = Qwen2VLImageProcessor(
        patch_size=16, temporal_patch_size=2, merge_size=2,
        size={"shortest_edge": 32 * 32, "longest_edge": 64 * 64},
        image_mean=[0.5, 0.5, 0.5], image_std=[0.5, 0.5, 0.5])
    return TinyQwen3VLProcessor(image_processor=image_processor, tokenizer=tokenizer,
                                video_processor=TinyQwen3VLVideoProcessor())


def build_text_encoder(tokenizer, seed: int = 0):
    """A Qwen3-VL with a 16-wide text stack of 51 layers (MiniMax-H3 reads hidden_states[50]) and a
    1-layer vision tower whose 16 px patches match the processor."""
    import torch
    from transformers import Qwen3VLConfig, Qwen3VLForConditionalGeneration

    ids = {token: tokenizer.convert_tokens_to_ids(token) for token in SPECIAL_TOKENS}
    config = Qwen3VLConfig(
        text_config=dict(
            vocab_size=len(tokenizer), hidden_size=16, intermediate_size=32, num_hidden_layers=51,
            num_attention_heads=2, num_key_value_heads=1, head_dim=8, max_position_embeddings=4096,
            rope_parameters={"rope_type": "default", "rope_theta": 10000.0, "mrope_section": [2, 1, 1],
                             "mrope_interleaved": True},
            pad_token_id=ids["<|endoftext|>"]),
        vision_config=dict(
            depth=1, hidden_size=16, intermediate_size=32, num_heads=2, patch_size=16,
            spatial_merge_size=2, temporal_patch_size=2, out_hidden_size=16, num_position_embeddings=16,
            deepstack_visual_indexes=[0]),
        image_token_id=ids["<|image_pad|>"], video_token_id=ids["<|video_pad|>"],
        vision_start_token_id=ids["<|vision_start|>"], vision_end_token_id=ids["<|vision_end|>"])
    torch.manual_seed(seed)
    return Qwen3VLForConditionalGeneration(config).eval()


def build_video_vae(seed: int = 0):
    import torch
    from diffusers import AutoencoderKLMiniMaxH3

    torch.manual_seed(seed)
    return AutoencoderKLMiniMaxH3(
        latent_channels=4, block_out_channels=(4, 4, 8, 8), layers_per_block=1,
        spatial_downsample_factors=(2, 2, 2, 2), temporal_downsample_factors=(1, 2, 2, 1),
        norm_num_groups=4, decoder_num_layers=1, decoder_num_attention_heads=2,
        decoder_attention_head_dim=8, decoder_num_register_tokens=1, decoder_ffn_mult=2,
        latents_mean=(0.0,) * 4, latents_std=(1.0,) * 4).eval()


def build_audio_vae(seed: int = 0):
    import torch
    from diffusers import AutoencoderKLMiniMaxH3Audio

    torch.manual_seed(seed)
    return AutoencoderKLMiniMaxH3Audio(
        encoder_dim=2, encoder_rates=(4, 4, 5, 5), latent_dim=16, latent_channels=8, num_attention_heads=2,
        decoder_dim=16, decoder_rates=(5, 5, 4, 4), decoder_kernel_sizes=(9, 9, 8, 8),
        resblock_kernel_sizes=(3,), resblock_dilation_sizes=((1,),), sampling_rate=TINY_AUDIO_RATE,
        latents_mean=[0.0] * 8, latents_std=[1.0] * 8).eval()


def build_transformer(text_dim: int = 16, seed: int = 0):
    import torch
    from diffusers import MiniMaxH3Transformer3DModel

    torch.manual_seed(seed)
    return MiniMaxH3Transformer3DModel(
        num_attention_heads=2, attention_head_dim=16, hidden_size=32, num_layers=2, num_refiner_layers=1,
        ffn_dim=64, in_channels=4, audio_in_channels=8, patch_size=(1, 2, 2), text_dim=text_dim,
        freq_dim=32, time_embed_hidden_dim=32, time_embed_dim=16, rope_freq_dim=2).eval()


# --- the per-step hook -------------------------------------------------------------------------

def _step_callback_block_class():
    global _STEP_CALLBACK_CLASS
    if _STEP_CALLBACK_CLASS is not None:
        return _STEP_CALLBACK_CLASS
    from diffusers.modular_pipelines import ModularPipelineBlocks
    from diffusers.modular_pipelines.modular_pipeline_utils import InputParam

    class MiniMaxH3StepCallback(ModularPipelineBlocks):
        """A denoise-loop sub-block: after the scheduler step of iteration i it calls the request's
        `step_callback(i, num_steps)`; whatever that raises stops the loop (cancel)."""

        model_name = "minimax-h3"

        @property
        def description(self) -> str:
            return "Calls `step_callback(step_index, num_steps)` after every denoising step."

        @property
        def inputs(self):
            return [InputParam(name="step_callback", default=None,
                               description="Called as fn(step_index, num_steps) after each step.")]

        def __call__(self, components, block_state, i, t):
            callback = getattr(block_state, "step_callback", None)
            if callback is not None:
                callback(i, len(block_state.timesteps))
            return components, block_state

    _STEP_CALLBACK_CLASS = MiniMaxH3StepCallback
    return MiniMaxH3StepCallback


_STEP_CALLBACK_CLASS = None


def install_step_callback(blocks):
    """Appends the step-callback sub-block to every MiniMax-H3 denoise loop in `blocks` (the full
    MiniMaxH3Blocks or a workflow pruned from it); returns `blocks`. Idempotent. Call it before the
    blocks become a pipeline (ModularPipeline keeps its own copy of the blocks)."""
    from diffusers.modular_pipelines.minimax_h3.denoise import MiniMaxH3DenoiseLoopWrapper

    block_class = _step_callback_block_class()
    found = 0

    def visit(block):
        nonlocal found
        if isinstance(block, MiniMaxH3DenoiseLoopWrapper):
            found += 1
            if not any(isinstance(sub, block_class) for sub in block.sub_blocks.values()):
                block.sub_blocks.insert("step_callback", block_class(), len(block.sub_blocks))
            return
        for sub in (getattr(block, "sub_blocks", None) or {}).values():
            visit(sub)

    visit(blocks)
    if not found:
        raise ValueError("no MiniMax-H3 denoise loop in these blocks")
    return blocks


def ref2va_blocks():
    """MiniMaxH3Blocks pruned to the `ref2va` workflow (so only `transformer_ref` is expected, never
    the t2va partition), with the step callback installed."""
    from diffusers.modular_pipelines import MiniMaxH3Blocks

    return install_step_callback(MiniMaxH3Blocks().get_workflow("ref2va"))


# --- building, saving, loading -------------------------------------------------------------------

def build_tiny_h3_pipeline(seed: int = 0):
    """The real MiniMaxH3ModularPipeline (ref2va workflow, step callback installed) with tiny random
    components; the same seed gives the same weights."""
    from diffusers import MiniMaxH3Scheduler
    from diffusers.modular_pipelines import MiniMaxH3ModularPipeline

    tokenizer = build_tokenizer()
    text_encoder = build_text_encoder(tokenizer, seed)
    pipe = MiniMaxH3ModularPipeline(blocks=ref2va_blocks())
    pipe.update_components(
        text_encoder=text_encoder, tokenizer=tokenizer, processor=build_processor(tokenizer),
        vae=build_video_vae(seed), audio_vae=build_audio_vae(seed),
        transformer_ref=build_transformer(text_encoder.config.text_config.hidden_size, seed),
        scheduler=MiniMaxH3Scheduler(shift=12.0), audio_scheduler=MiniMaxH3Scheduler(shift=3.0))
    pipe.register_to_config(canvas_short_edge=TINY_CANVAS_SHORT_EDGE,
                            canvas_max_pixels=TINY_WIDTH * TINY_HEIGHT,
                            reference_image_short_edge=TINY_REFERENCE_IMAGE_SHORT_EDGE)
    pipe.set_progress_bar_config(disable=True)
    return pipe


def save_tiny_h3_pipeline(directory, seed: int = 0) -> Path:
    """Writes the tiny pipeline as a diffusers modular folder (modular_model_index.json plus one
    subfolder per component), to exercise the real local-folder loading path."""
    directory = Path(directory)
    build_tiny_h3_pipeline(seed).save_pretrained(str(directory), overwrite_modular_index=True)
    return directory


def load_h3_pipeline(source, *, torch_dtype=None, device=None, local_files_only: bool = True):
    """Loads a MiniMax-H3 `ref2va` pipeline from a local folder (or, with local_files_only=False, a
    model id) through diffusers' own loading path, with the step callback installed. The same code
    loads the tiny folder and the released one."""
    import torch
    from diffusers.modular_pipelines import MiniMaxH3ModularPipeline

    # A saved tiny pipeline names its processor by our module path, which diffusers resolves only
    # from modules already imported (it never imports what a folder names); harmless otherwise.
    import inference.backends.h3_tiny_processor  # noqa: F401
    pipe = MiniMaxH3ModularPipeline(blocks=ref2va_blocks(), pretrained_model_name_or_path=str(source),
                                    local_files_only=local_files_only)
    pipe.load_components(dtype=torch_dtype or torch.float32, local_files_only=local_files_only)
    if device is not None:
        pipe.to(device)
    pipe.set_progress_bar_config(disable=True)
    return pipe
