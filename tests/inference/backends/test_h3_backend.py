"""The h3 backend's code path on the real MiniMaxH3ModularPipeline (ref2va) with tiny random weights:
references in order, kinds and labels; one multi-shot prompt carrying every shot and line; the
film's sound is the pipeline's own; cancel stops the denoise within a step; one load per process.

With random weights the film is noise: these tests check plumbing, not what the film shows or says.
"""
import numpy as np
import pytest

pytestmark = pytest.mark.slow  # tens of seconds: the tiny pipeline's build and a few calls
pytest.importorskip("diffusers")

from inference.backends import REGISTRY, RenderCancelled, get_backend, h3  # noqa: E402
from inference.backends.h3 import (TinyH3Backend, compose_prompt, generated_frames,  # noqa: E402
                                   plan_references)
from tests.support.h3_films import RecordingPipeline, h3_film  # noqa: E402


class Voice:
    """A stand-in preset voice: a quiet 220 Hz tone, so the test does not depend on espeak."""

    name = "tone"

    def synthesize(self, text, language, voice):
        t = np.arange(12000) / 24000
        return (0.2 * np.sin(2 * np.pi * 220 * t)).astype(np.float32), 24000


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    """One tiny render of the three-avatar film, with the pipeline's calls recorded."""
    h3.clear_pipelines()
    pipe = RecordingPipeline(h3.cached_tiny_pipeline(seed=0))
    film = h3_film(tmp_path_factory.mktemp("h3"))
    backend = TinyH3Backend(pipe, voice_backend=Voice())
    steps = []
    rendered = backend.render_film(film, on_step=lambda *args: steps.append(args))
    frames = list(rendered.frames)
    return {"pipe": pipe, "film": film, "backend": backend, "rendered": rendered, "frames": frames, "steps": steps}


def test_the_references_reach_the_pipeline_in_order_with_their_kinds(recorded):
    from diffusers.modular_pipelines.minimax_h3 import (MiniMaxH3AudioReference, MiniMaxH3ImageReference,
                                                        MiniMaxH3VideoReference)

    (call,) = recorded["pipe"].calls
    kinds = [type(reference) for reference in call["references"]]
    # Mimi first (she appears first): her two pictures and her preset voice; then Ann's clip with its
    # sound; then Rock's picture. No preset, no audio for Rock.
    assert kinds == [MiniMaxH3ImageReference, MiniMaxH3ImageReference, MiniMaxH3AudioReference,
                     MiniMaxH3VideoReference, MiniMaxH3ImageReference]
    video = call["references"][3]
    assert video.has_audio and video.sample_rate == recorded["pipe"].audio_sampling_rate
    assert video.audio.shape[0] == 2 and video.audio.shape[1] > 0
    assert len(video.frames) >= 24
    preset = call["references"][2]
    assert preset.sample_rate == recorded["pipe"].audio_sampling_rate and float(abs(preset.audio).max()) > 0.1


def test_each_reference_is_labelled_in_the_prompt_by_the_characters_name(recorded):
    (call,) = recorded["pipe"].calls
    planned = [(r.name, r.kind, r.label) for r in recorded["backend"].last_call["planned"]]
    assert planned == [("Mimi", "image", "<Picture 1>"), ("Mimi", "image", "<Picture 2>"),
                       ("Mimi", "audio", "<Audio 1>"), ("Ann", "video", "<Video 1>"), ("Rock", "image", "<Picture 3>")]
    prompt = call["prompt"]
    # diffusers numbers a soundtracked video's audio before its video: Ann's sound is <Audio 2>.
    for sentence in ("Mimi is <Picture 1> and <Picture 2>.", "Mimi speaks with the voice of <Audio 1>.",
                     "Ann is <Video 1>.", "Ann speaks with the voice of <Audio 2>.", "Rock is <Picture 3>."):
        assert sentence in prompt


def test_the_prompt_carries_every_shot_and_line_with_its_speaker(recorded):
    prompt = recorded["pipe"].calls[0]["prompt"]
    assert prompt.index("[Shot 1]") < prompt.index("[Shot 2]")
    shot1, shot2 = prompt.split("[Shot 2]")
    assert "wide shot" in shot1 and "pans" in shot1 and "Mimi by the window at night" in shot1
    assert 'Mimi says: "Meow, what a quiet night."' in shot1
    assert "close-up" in shot2 and "pushes in" in shot2 and "Ann smiles" in shot2
    assert shot2.index('Ann says: "Hello, Mimi!"') < shot2.index('Mimi says: "Meow!"')


def test_the_films_sound_is_the_pipelines_own(recorded):
    state = recorded["pipe"].states[0]
    model_audio = state.get("audio")[0].float().numpy()
    rendered = recorded["rendered"]
    assert rendered.sound == "model" and rendered.audio_rate == state.get("sampling_rate")
    samples = rendered.audio.shape[1]
    assert rendered.audio.shape[0] == 2
    assert np.array_equal(rendered.audio[:, :min(samples, model_audio.shape[1])],
                          model_audio[:, :min(samples, model_audio.shape[1])])


def test_the_film_lasts_what_the_model_generated_in_whole_frames_at_the_film_size(recorded):
    film, frames = recorded["film"], recorded["frames"]
    call = recorded["pipe"].calls[0]
    assert call["num_frames"] == 124  # 4 s asked, the model's shortest: 17 * 7 + 5 frames, 5.17 s
    assert (call["width"], call["height"]) == (64, 32)
    assert len(frames) == round(124 / 24 * film.fps) and frames[0].shape == (90, 160, 3)
    assert abs(film.duration - 124 / 24) < 1 / film.fps
    assert abs(recorded["rendered"].audio.shape[1] / recorded["rendered"].audio_rate - len(frames) / film.fps) < 1e-3
    # The lines are placed in their shots (the subtitles follow them), in order.
    for shot in film.shots:
        starts = [line.start for line in shot.lines]
        assert starts == sorted(starts) and all(0 <= l.start < l.end <= shot.duration for l in shot.lines)


def test_progress_is_reported_for_every_denoise_step(recorded):
    steps = recorded["steps"]
    assert steps and [s[2] for s in steps] == list(range(1, len(steps) + 1))
    assert all(s[:2] == (0, 0) and s[3] == len(steps) for s in steps)  # one pass draws every shot


def test_cancel_stops_the_denoise_within_a_step(tmp_path):
    pipe = RecordingPipeline(h3.cached_tiny_pipeline(seed=0))
    backend = TinyH3Backend(pipe, voice_backend=Voice())
    steps = []
    with pytest.raises(RenderCancelled):
        backend.render_film(h3_film(tmp_path), on_step=lambda *args: steps.append(args),
                            should_cancel=lambda: len(steps) >= 1)
    assert len(steps) == 1 and steps[0][3] > 1  # stopped after the first of several steps
    assert pipe.calls and not pipe.states  # the call never returned: nothing was decoded


def test_a_chinese_script_becomes_a_chinese_prompt(tmp_path):
    film = h3_film(tmp_path, language="zh-hans")
    prompt = compose_prompt(film, plan_references(film))
    assert "[Shot 1]" in prompt and "[Shot 2]" in prompt
    assert "远景" in prompt and "镜头缓慢推近" in prompt and "Mimi说：“喵，今晚好安静。”" in prompt
    assert "Ann是<Video 1>。" in prompt and "Ann的声音是<Audio 2>。" in prompt


def test_more_speaking_stars_than_three_keep_within_the_models_limits(tmp_path):
    film = h3_film(tmp_path, speakers=5)
    film.shots[1].role_keys += ["ben", "cy", "dee", "eve"]  # after Ann
    planned = plan_references(film)
    kinds = [r.kind for r in planned]
    assert kinds.count("video") == 3 and kinds.count("image") <= 9 and kinds.count("audio") <= 3
    assert len(planned) <= 12
    videos = [r.name for r in planned if r.kind == "video"]
    assert videos == ["Ann", "Ben", "Cy"]  # the first three speakers by appearance
    # Dee and Eve are shown from their pictures; their voices do not fit (Mimi's and 3 clips use them).
    assert {r.name for r in planned if r.kind == "image"} >= {"Dee", "Eve"}
    assert not [r for r in planned if r.kind == "audio" and r.name in ("Dee", "Eve")]


def test_the_frame_count_follows_the_models_rule():
    assert generated_frames(3.0) == 124  # at least 5 s
    assert generated_frames(10.0) == 243  # 17 * 14 + 5 covers 240
    assert generated_frames(15.0) == 345  # 362 would be 15.08 s: one chunk fewer


def test_tiny_h3_is_in_the_registry_and_loads_once_per_process():
    assert REGISTRY["tiny-h3"].speaks and REGISTRY["h3"].speaks and not REGISTRY["wan"].speaks
    h3.clear_pipelines()
    before = h3.LOAD_COUNT
    first, second = get_backend("tiny-h3"), get_backend("tiny-h3")
    assert first.pipeline is second.pipeline and h3.LOAD_COUNT == before + 1
    assert first.name == "tiny-h3" and first.speaks
