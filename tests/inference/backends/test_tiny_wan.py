"""The wan backend's code path on the real WanVACEPipeline class with tiny random weights (offline).

With random weights the pictures mean nothing: these tests check plumbing, shapes, callbacks,
determinism by seed, the prompt, the pipeline cache and the from_pretrained loading path.
"""
import numpy as np
import pytest

pytest.importorskip("diffusers")

from diffusers import DiffusionPipeline, WanVACEPipeline  # noqa: E402

from inference.backends import RenderCancelled, wan  # noqa: E402
from inference.backends.tiny import TinyWanBackend, build_tiny_pipeline, save_tiny_pipeline  # noqa: E402
from tests.support.render_fixtures import make_film  # noqa: E402


@pytest.fixture(scope="module")
def tiny_pipeline():
    return build_tiny_pipeline(seed=0)


@pytest.fixture
def film(tmp_path):
    film = make_film(tmp_path, width=160, height=90, fps=12)
    for shot in film.shots:
        shot.duration = 0.5
    return film


def render(backend, film, shot=None, **kwargs):
    return list(backend.render_shot(film, shot or film.shots[0], **kwargs))


def test_it_uses_the_real_wan_vace_pipeline_class(tiny_pipeline):
    assert isinstance(tiny_pipeline, WanVACEPipeline)
    assert TinyWanBackend(tiny_pipeline).name == "tiny"


def test_it_renders_the_shots_frames_at_the_film_size(tiny_pipeline, film):
    frames = render(TinyWanBackend(tiny_pipeline), film)
    assert len(frames) == 6
    assert all(f.shape == (90, 160, 3) and f.dtype == np.uint8 for f in frames)


def test_every_avatar_in_the_shot_goes_in_as_a_reference_image(tiny_pipeline, film):
    calls = []

    class Recording(TinyWanBackend):
        def reference_images(self, film, shot):
            images = super().reference_images(film, shot)
            calls.append(images)
            return images

    render(Recording(tiny_pipeline), film)
    assert len(calls[0]) == 2  # Ann's crop and Mimi's reference frame (she has no crop)
    assert calls[0][0].size == (200, 300)


def test_on_step_is_called_for_each_step(tiny_pipeline, film):
    steps = []
    render(TinyWanBackend(tiny_pipeline, steps=3), film, on_step=lambda done, total: steps.append((done, total)))
    assert steps == [(1, 3), (2, 3), (3, 3)]


def test_a_cancel_hook_stops_the_render_inside_the_callback(tiny_pipeline, film):
    steps = []
    backend = TinyWanBackend(tiny_pipeline, steps=3, should_cancel=lambda: len(steps) >= 1)
    with pytest.raises(RenderCancelled):
        render(backend, film, on_step=lambda done, total: steps.append(done))
    assert steps == [1]


def test_the_same_seed_gives_identical_frames_and_another_seed_different(tiny_pipeline, tmp_path, film):
    backend = TinyWanBackend(tiny_pipeline)
    first, second = render(backend, film), render(backend, film)
    assert all(np.array_equal(a, b) for a, b in zip(first, second))
    film.seed = 2
    assert not np.array_equal(render(backend, film)[0], first[0])


def test_the_prompt_names_framing_camera_action_and_roles(film):
    prompt = wan.compose_prompt(film, film.shots[0])
    assert "wide shot" in prompt and "pans" in prompt
    assert "Ann and Mimi by the window" in prompt
    assert "a young woman in a red coat" in prompt and "a fluffy blue cat" in prompt
    close_up = wan.compose_prompt(film, film.shots[1])
    assert "close-up" in close_up and "Ann talking" in close_up and "blue cat" not in close_up


def test_frame_counts_follow_wans_4k_plus_1_rule_at_16_fps():
    assert wan.native_frame_count(5.0) == 81
    assert wan.native_frame_count(2.5) == 41
    assert wan.native_frame_count(0.1) == 1 or wan.native_frame_count(0.1) % 4 == 1
    indices = wan.resample_indices(41, 2.5, 24)
    assert len(indices) == 60 and indices[0] == 0 and indices[-1] <= 40


def test_the_pipeline_cache_loads_once_for_two_renders(tmp_path, film):
    folder = save_tiny_pipeline(tmp_path / "weights")
    wan.clear_pipelines()
    before = wan.LOAD_COUNT
    for _ in range(2):
        pipe = wan.get_pipeline(folder, device="cpu")
        assert len(render(TinyWanBackend(pipe), film)) == 6
    assert wan.LOAD_COUNT == before + 1
    wan.clear_pipelines()


def test_a_saved_pipeline_round_trips_through_load_pipeline(tmp_path, tiny_pipeline, film):
    folder = save_tiny_pipeline(tmp_path / "weights", seed=0)
    generic = DiffusionPipeline.from_pretrained(folder, local_files_only=True)
    loaded = wan.load_pipeline(folder, device="cpu")
    assert isinstance(generic, WanVACEPipeline) and isinstance(loaded, WanVACEPipeline)
    built, reloaded = render(TinyWanBackend(tiny_pipeline), film), render(TinyWanBackend(loaded), film)
    assert all(np.array_equal(a, b) for a, b in zip(built, reloaded))


def test_wan_backend_refuses_a_cpu_machine_clearly(tmp_path):
    from inference.backends import BackendUnavailable, cuda_available

    if cuda_available():
        pytest.skip("this machine has CUDA")
    folder = tmp_path / "weights"
    folder.mkdir()
    with pytest.raises(BackendUnavailable, match="CUDA"):
        wan.wan_backend(folder)


def test_get_backend_builds_the_tiny_backend_by_name():
    from inference.backends import get_backend

    backend = get_backend("tiny")
    assert isinstance(backend, TinyWanBackend) and isinstance(backend.pipeline, WanVACEPipeline)
    assert "fake" in backend.model
