"""The CPU preview animatic: frame counts, determinism, framing, camera moves, speaking figures."""
import numpy as np
import pytest

from inference.backends import BackendUnavailable, choose_backend, get_backend
from inference.backends.preview import PreviewBackend
from inference.backends.scenery import choose_place
from tests.support.render_fixtures import make_film, one_shot


def render(film, shot, **kwargs):
    return list(PreviewBackend().render_shot(film, shot, **kwargs))


def subject_pixels(frame, empty):
    """How many pixels differ from the same shot rendered with nobody in it."""
    return int((np.abs(frame.astype(int) - empty.astype(int)).sum(axis=2) > 40).sum())


def test_it_renders_duration_times_fps_frames_of_the_film_size(tmp_path):
    film = make_film(tmp_path, width=320, height=180, fps=12)
    for shot in film.shots:
        frames = render(film, shot)
        assert len(frames) == round(shot.duration * film.fps)
        assert all(f.shape == (180, 320, 3) and f.dtype == np.uint8 for f in frames)


def test_it_is_deterministic_for_a_seed(tmp_path):
    film = make_film(tmp_path, seed=5, width=320, height=180)
    again = make_film(tmp_path, seed=5, width=320, height=180)
    other = make_film(tmp_path, seed=6, width=320, height=180)
    first, second, third = (render(f, f.shots[0])[0] for f in (film, again, other))
    assert np.array_equal(first, second)
    assert not np.array_equal(first, third)  # the stars move with the seed


def test_a_close_up_shows_the_subject_bigger_than_a_wide_shot(tmp_path):
    sizes = {}
    for framing in ("wide", "close_up"):
        film = make_film(tmp_path, width=320, height=180, shots=[one_shot(framing)])
        empty = make_film(tmp_path, width=320, height=180, shots=[one_shot(framing, roles=())])
        sizes[framing] = subject_pixels(render(film, film.shots[0])[0], render(empty, empty.shots[0])[0])
    assert sizes["wide"] > 200
    assert sizes["close_up"] > 4 * sizes["wide"]


def test_several_roles_share_the_frame_side_by_side(tmp_path):
    film = make_film(tmp_path, width=320, height=180, shots=[one_shot("full", roles=("me", "cat"))])
    frame = render(film, film.shots[0])[0].astype(int)
    red = (frame[..., 0] > 150) & (frame[..., 1] < 80) & (frame[..., 2] < 80)
    blue = (frame[..., 2] > 150) & (frame[..., 0] < 80) & (frame[..., 1] < 100)
    assert red.sum() > 100 and blue.sum() > 100
    assert np.nonzero(red)[1].mean() < np.nonzero(blue)[1].mean()  # Ann left, Mimi right


def test_the_speaking_figure_moves_with_loudness(tmp_path):
    film = make_film(tmp_path, width=320, height=180, fps=10, shots=[one_shot("medium", duration=1.0)])
    quiet = render(film, film.shots[0], loudness=lambda role, t: 0.0)
    loud = render(film, film.shots[0], loudness=lambda role, t: 1.0 if role == "me" else 0.0)
    pulsing = render(film, film.shots[0], loudness=lambda role, t: float(int(t * 10) % 2))
    assert not np.array_equal(quiet[3], loud[3])
    assert not np.array_equal(pulsing[0], pulsing[1])


def test_push_in_zooms_and_pull_out_zooms_out(tmp_path):
    film = make_film(tmp_path, width=320, height=180, shots=[one_shot("medium", "push_in", duration=1.0)])
    empty = make_film(tmp_path, width=320, height=180, shots=[one_shot("medium", "push_in", roles=(), duration=1.0)])
    frames, blank = render(film, film.shots[0]), render(empty, empty.shots[0])
    start, end = subject_pixels(frames[0], blank[0]), subject_pixels(frames[-1], blank[-1])
    assert end > start * 1.2
    film.shots[0].camera_move = empty.shots[0].camera_move = "pull_out"
    frames, blank = render(film, film.shots[0]), render(empty, empty.shots[0])
    assert subject_pixels(frames[-1], blank[-1]) < subject_pixels(frames[0], blank[0])


@pytest.mark.parametrize("move", ["pan", "orbit", "static"])
def test_every_camera_move_animates_the_shot(tmp_path, move):
    film = make_film(tmp_path, width=160, height=90, shots=[one_shot("full", move, duration=1.0)])
    frames = render(film, film.shots[0])
    assert not np.array_equal(frames[0], frames[len(frames) // 2])


@pytest.mark.parametrize("framing", ["extreme_close_up", "over_the_shoulder", "full", "unknown"])
def test_every_framing_renders(tmp_path, framing):
    film = make_film(tmp_path, width=160, height=90, shots=[one_shot(framing, roles=("me", "cat"))])
    assert len(render(film, film.shots[0])) == 24


def test_on_step_reports_every_frame(tmp_path):
    film = make_film(tmp_path, width=160, height=90, fps=10, shots=[one_shot("wide")])
    steps = []
    render(film, film.shots[0], on_step=lambda done, total: steps.append((done, total)))
    assert steps == [(i, 10) for i in range(1, 11)]


def test_it_picks_a_set_from_english_and_chinese_words():
    assert choose_place("夜晚的海边") == "beach"
    assert choose_place("a walk in the forest") == "forest"
    assert choose_place("down the street") == "street"  # "street" is not a "tree"
    assert choose_place("在厨房里") == "room"
    assert choose_place("somewhere") == "sky"


def test_auto_chooses_preview_without_cuda_or_weights(tmp_path):
    assert choose_backend("auto", weights_dir=tmp_path / "missing") == "preview"
    assert isinstance(get_backend("preview"), PreviewBackend)


def test_wan_without_weights_says_what_to_do(tmp_path):
    with pytest.raises(BackendUnavailable, match="not installed at"):
        get_backend("wan", source=tmp_path / "missing")
    with pytest.raises(BackendUnavailable, match="Unknown backend"):
        choose_backend("sora")
