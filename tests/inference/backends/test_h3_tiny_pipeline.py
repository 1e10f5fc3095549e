"""The real MiniMaxH3ModularPipeline (diffusers' ref2va blocks) on tiny random components, offline.

With random weights the frames and the soundtrack mean nothing: these tests check the call the h3
backend makes (references of every kind, a multi-shot prompt), the shapes of what comes back, the
seed, the per-step hook cancel is wired to, and the local-folder loading path.
"""
import numpy as np
import pytest

pytest.importorskip("diffusers")
pytestmark = pytest.mark.slow  # the imports and model builds alone take tens of seconds here

import torch  # noqa: E402
from diffusers.modular_pipelines import MiniMaxH3ModularPipeline  # noqa: E402
from diffusers.modular_pipelines.minimax_h3 import (  # noqa: E402
    MiniMaxH3AudioReference,
    MiniMaxH3ImageReference,
    MiniMaxH3VideoReference,
)
from diffusers.modular_pipelines.minimax_h3.encoders import MiniMaxH3Ref2VATextEncoderStep  # noqa: E402
from PIL import Image  # noqa: E402

from inference.backends.h3_tiny import (  # noqa: E402
    TINY_AUDIO_RATE,
    TINY_HEIGHT,
    TINY_STEPS,
    TINY_WIDTH,
    build_tiny_h3_pipeline,
    load_h3_pipeline,
    save_tiny_h3_pipeline,
)

NUM_FRAMES = 124  # 5.17 s at 24 fps, the shortest the model makes (17 * 7 + 5)
PROMPT = ("[Shot 1] Wide shot, static camera. <Picture 1> waves at <Video 1>. <Video 1> says: \"Hello!\" "
          "[Shot 2] 特写, 镜头缓慢推进. <Picture 2> 说: \"你好\"")


class Cancelled(Exception):
    pass


def references(rng_seed=0):
    """Two pictures (different aspects), a 3 s talking clip with its soundtrack (mono, at another
    frame rate than the model's) and a 2 s voice clip."""
    rng = np.random.default_rng(rng_seed)
    noise = lambda *shape: (rng.random(shape) * 255).astype("uint8")  # noqa: E731
    sound = lambda *shape: torch.from_numpy(rng.random(shape, dtype=np.float32) * 2 - 1)  # noqa: E731
    return [
        MiniMaxH3ImageReference(image=Image.fromarray(noise(60, 40, 3))),
        MiniMaxH3ImageReference(image=Image.fromarray(noise(64, 64, 3))),
        MiniMaxH3VideoReference(frames=noise(90, 36, 64, 3), fps=30.0,
                                audio=sound(1, 3 * TINY_AUDIO_RATE), sample_rate=TINY_AUDIO_RATE),
        MiniMaxH3AudioReference(audio=sound(2, 2 * TINY_AUDIO_RATE), sample_rate=TINY_AUDIO_RATE),
    ]


def call(pipe, seed=0, **overrides):
    inputs = dict(prompt=PROMPT, references=references(), num_frames=NUM_FRAMES, height=TINY_HEIGHT,
                  width=TINY_WIDTH, num_inference_steps=TINY_STEPS + 1,
                  generator=torch.Generator("cpu").manual_seed(seed), output_type="np")
    inputs.update(overrides)
    return pipe(**inputs)


@pytest.fixture(scope="module", autouse=True)
def one_thread():
    """The tiny model's tensors are a few kilobytes: torch's thread fan-out costs more than it
    gains, and on shared cores a call goes from ~1.5 s to tens of seconds. Restored afterwards."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def pipe():
    return build_tiny_h3_pipeline(seed=0)


@pytest.fixture(scope="module")
def first(pipe):
    """One full call, shared by the tests that only read its result; its step hook records."""
    steps = []
    state = call(pipe, step_callback=lambda i, n: steps.append((i, n)))
    return state, steps


def test_it_is_the_real_modular_pipeline_running_the_ref2va_blocks(pipe):
    assert isinstance(pipe, MiniMaxH3ModularPipeline)
    assert pipe.transformer_ref is not None and "transformer" not in pipe.components  # ref2va only
    assert pipe.text_encoder.config.text_config.num_hidden_layers > pipe.text_encoder_layer


def test_references_of_every_kind_give_frames_of_the_asked_size_and_a_stereo_soundtrack(pipe, first):
    state, _ = first
    frames, audio = state.get("videos"), state.get("audio")
    assert frames.shape == (1, NUM_FRAMES, TINY_HEIGHT, TINY_WIDTH, 3) and frames.dtype == np.float32
    assert 0.0 <= frames.min() and frames.max() <= 1.0 and frames.std() > 0
    assert state.get("sampling_rate") == pipe.audio_sampling_rate == TINY_AUDIO_RATE
    # 40 audio latents per second of film, 400 samples each at 16 kHz: the film's own length
    assert audio.shape == (1, 2, round(NUM_FRAMES / 24 * 40) * 400) and audio.dtype == torch.float32
    assert torch.isfinite(audio).all() and audio.abs().max() > 0
    # every reference is packed: 2 pictures + 1 clip as video rows, the clip's and the voice's sound as audio rows
    kinds = [reference.kind for reference in state.get("normalized_references")]
    assert kinds == ["image", "image", "video", "audio"]
    assert len(state.get("condition_latents")) == 3 and len(state.get("audio_condition_latents")) == 2


def test_the_step_hook_is_called_after_every_denoising_step(first):
    _, steps = first
    assert steps == [(i, TINY_STEPS) for i in range(TINY_STEPS)]


def test_raising_in_the_step_hook_stops_the_denoise_within_that_step(pipe):
    forwards, decodes = [], []
    handles = [pipe.transformer_ref.register_forward_hook(lambda *a: forwards.append(1)),
               pipe.vae.decoder.register_forward_hook(lambda *a: decodes.append(1))]

    def cancel(i, n):
        raise Cancelled(f"stopped after step {i + 1} of {n}")

    try:
        with pytest.raises(Cancelled, match="after step 1 of 2"):
            call(pipe, step_callback=cancel)
    finally:
        for handle in handles:
            handle.remove()
    assert forwards == [1] and decodes == []  # one transformer pass, the second step and the decode never ran


def test_the_same_seed_gives_the_same_film_and_another_seed_another(pipe, first):
    state, _ = first
    again, other = call(pipe, seed=0), call(pipe, seed=1)
    assert np.array_equal(state.get("videos"), again.get("videos"))
    assert torch.equal(state.get("audio"), again.get("audio"))
    assert not np.array_equal(state.get("videos"), other.get("videos"))
    assert not torch.equal(state.get("audio"), other.get("audio"))


def test_the_presentation_labels_references_per_kind_in_their_order(pipe):
    """What h3_api.md tells the backend: <Picture i> per image, <Audio j> then <Video k> for a clip
    with sound, <Audio j> per voice; audio numbered over clips and voices together."""
    refs = references()
    token_ids, tags = MiniMaxH3Ref2VATextEncoderStep._build_presentation(
        pipe.tokenizer, "PROMPT", refs, [1, 1], [1], [[0.2, 1.2]])
    text = pipe.tokenizer.decode([t for t, tag in zip(token_ids, tags) if tag == pipe.text_tag])
    assert text == ("<Picture 1>: <Picture 2>: <Audio 1>: <Video 1>: <0.2 seconds><1.2 seconds>"
                    "<Audio 2>: PROMPT")


def test_a_saved_folder_loads_back_offline_and_renders_the_same_film(pipe, first, tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    folder = save_tiny_h3_pipeline(tmp_path / "tiny-h3", seed=0)
    assert (folder / "modular_model_index.json").is_file() and (folder / "transformer_ref").is_dir()
    loaded = load_h3_pipeline(folder, local_files_only=True)
    assert isinstance(loaded, MiniMaxH3ModularPipeline)
    assert loaded.config["canvas_short_edge"] == pipe.config["canvas_short_edge"]
    assert loaded.processor.image_token_id == pipe.processor.image_token_id != 0  # its tokenizer came along
    steps = []
    state, (reference, _) = call(loaded, step_callback=lambda i, n: steps.append(i)), first
    assert steps == list(range(TINY_STEPS))  # the hook is installed on the loaded pipeline too
    # Same weights, same film. Not bit-identical: transformers' loader leaves the Qwen3-VL weights in
    # other memory than freshly built ones, and CPU BLAS rounds the vision rows ~1e-8 differently.
    np.testing.assert_allclose(state.get("videos"), reference.get("videos"), atol=1e-5)
    np.testing.assert_allclose(state.get("audio").numpy(), reference.get("audio").numpy(), atol=1e-5)
    other_weights = call(build_tiny_h3_pipeline(seed=1))
    assert np.abs(other_weights.get("videos") - reference.get("videos")).max() > 1e-2
