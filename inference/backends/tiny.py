"""A FAKE of the part that cannot run here: the real WanVACEPipeline class built from tiny randomly
initialised components instead of the multi-gigabyte GPU weights.

The pipeline class, the call, the callbacks, reference images, seeding and the save/load path are
all the real diffusers code; only the weights are random (sizes from diffusers' own Wan-VACE test),
so the "tiny" backend tests the plumbing of the wan backend, not what the video shows. Its frames are
coloured noise. Everything is built offline: the tokenizer is a small WordLevel vocabulary made in
code, the text encoder a UMT5 with d_model=32.
"""
from pathlib import Path

from inference.backends.wan import WanBackend

TINY_WIDTH, TINY_HEIGHT = 112, 64  # about 16:9 and divisible by 16 (VAE x8, patch x2)
TINY_STEPS = 3
VOCAB_WORDS = (
    "wide full medium close-up extreme over-the-shoulder shot static camera pans pushes pulls orbits "
    "in out slowly around the a an of and talking person pet cartoon object cat dog woman man girl boy "
    "walks runs sits looks says at on by with window night beach forest city street room kitchen "
    "consistent characters cinematic lighting natural motion face body waist up detail"
).split()


def build_tokenizer():
    """A WordLevel tokenizer in a PreTrainedTokenizerFast, made without any download."""
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    specials = ["<pad>", "</s>", "<unk>"]
    vocab = {token: i for i, token in enumerate(specials + sorted(set(VOCAB_WORDS)))}
    tokenizer = Tokenizer(models.WordLevel(vocab=vocab, unk_token="<unk>"))
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.Whitespace()])
    return PreTrainedTokenizerFast(tokenizer_object=tokenizer, pad_token="<pad>", eos_token="</s>",
                                   unk_token="<unk>")


def build_tiny_pipeline(seed: int = 0):
    """The real WanVACEPipeline with tiny random components; the same seed gives the same weights."""
    import torch
    from diffusers import (AutoencoderKLWan, FlowMatchEulerDiscreteScheduler, WanVACEPipeline,
                           WanVACETransformer3DModel)
    from transformers import UMT5Config, UMT5EncoderModel

    tokenizer = build_tokenizer()
    torch.manual_seed(seed)
    vae = AutoencoderKLWan(base_dim=3, z_dim=16, dim_mult=[1, 1, 1, 1], num_res_blocks=1,
                           temperal_downsample=[False, True, True])
    torch.manual_seed(seed)
    # rope_max_seq_len is a position table, not weights: 32 (the diffusers test) is too short for a
    # 15 s shot's latent frames, 1024 is the real model's value.
    transformer = WanVACETransformer3DModel(
        patch_size=(1, 2, 2), num_attention_heads=2, attention_head_dim=12, in_channels=16, out_channels=16,
        text_dim=32, freq_dim=256, ffn_dim=32, num_layers=3, cross_attn_norm=True,
        qk_norm="rms_norm_across_heads", rope_max_seq_len=1024, vace_layers=[0, 2], vace_in_channels=96)
    torch.manual_seed(seed)
    text_encoder = UMT5EncoderModel(UMT5Config(
        vocab_size=len(tokenizer), d_model=32, d_kv=8, d_ff=64, num_layers=2, num_heads=4,
        relative_attention_num_buckets=8, pad_token_id=0, eos_token_id=1, decoder_start_token_id=0))
    pipe = WanVACEPipeline(tokenizer=tokenizer, text_encoder=text_encoder.eval(), vae=vae.eval(),
                           transformer=transformer.eval(), scheduler=FlowMatchEulerDiscreteScheduler(shift=7.0))
    pipe.set_progress_bar_config(disable=True)
    return pipe


def save_tiny_pipeline(directory, seed: int = 0) -> Path:
    """Writes the tiny pipeline as a diffusers folder, to exercise the real from_pretrained path."""
    directory = Path(directory)
    build_tiny_pipeline(seed).save_pretrained(directory)
    return directory


TINY_SOURCE = "tiny-random-wan-vace"  # the cache key of the built-in-code pipeline


def _load_tiny(source, *, seed: int = 0, **_options):
    return build_tiny_pipeline(seed)


def cached_tiny_pipeline(seed: int = 0):
    """The tiny pipeline through wan.get_pipeline's process-wide cache, exactly as a GPU worker keeps
    the real one: the first job builds it, later jobs in the same worker reuse it."""
    from inference.backends.wan import get_pipeline

    return get_pipeline(f"{TINY_SOURCE}:{seed}", device="cpu", loader=lambda source, **options: _load_tiny(source, seed=seed))


class TinyWanBackend(WanBackend):
    """The wan backend's code on the tiny fake pipeline: 112x64, 3 steps, upscaled to the film size."""

    name = "tiny"

    def __init__(self, pipeline=None, *, seed: int = 0, **options):
        options.setdefault("steps", TINY_STEPS)
        options.setdefault("guidance", 5.0)
        options.setdefault("gen_width", TINY_WIDTH)
        options.setdefault("gen_height", TINY_HEIGHT)
        options.setdefault("model", "tiny-random-wan-vace (test fake)")
        options.setdefault("device", "cpu")
        super().__init__(pipeline if pipeline is not None else cached_tiny_pipeline(seed), **options)
