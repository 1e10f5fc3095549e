"""The preview's figures act with their avatar's own matted clip: an idle loop without a visible
seam while silent, the clip's speaking frames following the voice while a line is spoken."""
import numpy as np

from inference.backends import acting
from inference.backends.preview import PreviewBackend
from tests.support.render_fixtures import make_film, one_shot, save_clip, stock_clip


def clip_film(tmp_path, clip, shot, **kwargs):
    film = make_film(tmp_path, shots=[shot], **kwargs)
    film.cast["me"].matte = save_clip(clip, tmp_path / "me-matte.npz")
    return film


def render(film, **kwargs):
    return np.stack(list(PreviewBackend().render_shot(film, film.shots[0], **kwargs))).astype(np.int16)


def subject_region(frames, empty):
    """Pixels where the figure is in any frame: they differ from the same shot with nobody in it."""
    return (np.abs(frames - empty).sum(axis=3) > 40).any(axis=0)


def changes(frames, region):
    """Mean change inside `region` from each frame to the next."""
    return np.abs(np.diff(frames, axis=0)).sum(axis=3)[:, region].mean(axis=1)


def clip_change(rgba, a, b):
    """Mean absolute change between two clip frames, in the clip's own full-size pixels."""
    return float(np.abs(rgba[a].astype(np.int16) - rgba[b].astype(np.int16)).mean())


def test_a_silent_figure_moves_instead_of_standing_still(tmp_path):
    clip = stock_clip(frames=40)
    film = clip_film(tmp_path, clip, one_shot("full", duration=2.0), width=320, height=180)
    empty = make_film(tmp_path, shots=[one_shot("full", roles=(), duration=2.0)], width=320, height=180)
    frames, blank = render(film), render(empty)
    region = subject_region(frames, blank)
    assert region.sum() > 1000
    moving = changes(frames, region)
    assert (moving > 0.5).mean() > 0.5  # most frames differ from the one before: it is not a still
    assert np.abs(frames[0] - frames[len(frames) // 2]).sum(axis=2)[region].mean() > 5


def test_the_idle_loop_seam_is_no_bigger_than_the_clips_own_steps(tmp_path):
    # A figure that drifts sideways through its clip: starting again from the first frame would
    # jump (the test's precondition); the loop must not.
    clip = stock_clip(frames=40, drift=1.5)
    steps = [clip_change(clip.rgba, k, k + 1) for k in range(len(clip.rgba) - 1)]
    assert clip_change(clip.rgba, len(clip.rgba) - 1, 0) > 1.5 * max(steps)
    motion = acting.clip_motion(clip.rgba, clip.energy, clip.fps, 24)
    shown = acting.idle_frames(motion, 3 * len(clip.rgba), offset=7)  # wraps at least twice
    played = [clip_change(clip.rgba, a, b) for a, b in zip(shown[:-1], shown[1:])]
    assert len(set(shown.tolist())) > len(clip.rgba) // 2  # it plays the clip, not a couple of frames
    assert max(played) <= max(steps) + 1e-6


def test_a_clip_that_comes_back_to_its_start_loops_forward(tmp_path):
    clip = stock_clip(frames=40, drift=0.0)  # a sway that ends where it began
    motion = acting.clip_motion(clip.rgba, clip.energy, clip.fps, 24)
    cycle = acting.idle_loop(motion)
    assert np.all(np.diff(cycle) == 1)  # forward only: no there-and-back
    assert clip_change(clip.rgba, cycle[-1], cycle[0]) <= max(
        clip_change(clip.rgba, k, k + 1) for k in range(len(clip.rgba) - 1))


def test_a_speaking_figure_moves_with_the_voice_loudness(tmp_path):
    clip = stock_clip(frames=48, speaking_from=24)  # idle first half, talking second half

    def voice(role, t):
        # Syllables as speech has them: a loud vowel held for 0.24 s, a 0.12 s dip, from 0.6 s to
        # 2.4 s. Held loudness is what tells acting from leaning: a still picture that only leans
        # with the voice changes at the edges of each syllable and scores r of about 0.1 here.
        if role != "me" or not 0.6 <= t < 2.4:
            return 0.0
        return 0.9 if (t - 0.6) % 0.36 < 0.24 else 0.1

    film = clip_film(tmp_path, clip, one_shot("medium", duration=3.0), width=320, height=180)
    empty = make_film(tmp_path, shots=[one_shot("medium", roles=(), duration=3.0)], width=320, height=180)
    frames, blank = render(film, loudness=voice), render(empty, loudness=voice)
    region = subject_region(frames, blank)
    moving = changes(frames, region)
    loud = np.array([voice("me", i / 24) for i in range(1, len(frames))])
    assert np.corrcoef(moving, loud)[0, 1] >= 0.5
    quiet_after = render(film, loudness=lambda role, t: 0.0)
    assert not np.array_equal(frames, quiet_after)  # the voice, not only the idle loop, moved it


def test_speaking_never_jumps_further_than_the_clips_largest_step(tmp_path):
    clip = stock_clip(frames=48, speaking_from=24)
    motion = acting.clip_motion(clip.rgba, clip.energy, clip.fps, 24)
    levels = np.abs(np.sin(np.arange(72) / 3.0))
    shown = acting.speaking_frames(motion, levels, acting.idle_frames(motion, 72))
    assert max(motion.distance[a, b] for a, b in zip(shown[:-1], shown[1:])) <= motion.largest_step + 1e-4
    assert motion.energy[shown[levels > 0.8]].mean() > 0.8  # loud moments show the speaking frames


def test_every_framing_and_camera_move_works_on_the_moving_figure(tmp_path):
    clip = stock_clip(frames=40, speaking_from=20)
    for framing, move in [("wide", "pan"), ("close_up", "push_in"), ("extreme_close_up", "orbit"),
                          ("over_the_shoulder", "pull_out"), ("full", "static")]:
        film = clip_film(tmp_path, clip, one_shot(framing, move, roles=("me", "cat"), duration=1.0),
                         width=160, height=90)
        frames = render(film)
        assert frames.shape == (24, 90, 160, 3)
        assert not np.array_equal(frames[0], frames[-1])


def test_a_clip_figure_is_deterministic_for_a_seed(tmp_path):
    clip = stock_clip(frames=40)
    first = render(clip_film(tmp_path, clip, one_shot("full"), width=160, height=90, seed=3))
    again = render(clip_film(tmp_path, clip, one_shot("full"), width=160, height=90, seed=3))
    assert np.array_equal(first, again)


def test_a_damaged_matte_falls_back_to_the_picture(tmp_path):
    film = make_film(tmp_path, shots=[one_shot("full")], width=160, height=90)
    film.cast["me"].matte = tmp_path / "broken.npz"
    film.cast["me"].matte.write_bytes(b"not a matte")
    plain = make_film(tmp_path, shots=[one_shot("full")], width=160, height=90)
    assert np.array_equal(render(film), render(plain))


def test_a_matte_that_lost_its_face_falls_back_to_the_picture(tmp_path):
    clip = stock_clip(frames=12)
    x0, y0, x1, y1 = clip.face_box
    holed = clip.rgba.copy()
    holed[:, y0:y1, x0:x1, 3] = 0  # the segmentation kept everything but the face
    broken = type(clip)(rgba=holed, fps=clip.fps, energy=clip.energy, face_box=clip.face_box)
    film = clip_film(tmp_path, broken, one_shot("full"), width=160, height=90)
    plain = make_film(tmp_path, shots=[one_shot("full")], width=160, height=90)
    assert np.array_equal(render(film), render(plain))
    assert not np.array_equal(render(clip_film(tmp_path, clip, one_shot("full"), width=160, height=90)),
                              render(plain))


def test_a_silent_figure_idles_on_the_clips_quiet_frames(tmp_path):
    clip = stock_clip(frames=48, speaking_from=24)
    motion = acting.clip_motion(clip.rgba, clip.energy, clip.fps, 24)
    shown = acting.idle_frames(motion, 120, offset=5)
    assert clip.energy[shown].max() == 0.0  # it never mouths words while it says nothing
    assert len(set(shown.tolist())) >= 20


def test_a_second_of_quiet_is_enough_to_idle_on():
    energy = np.array([0.0] * 12 + [0.9] * 24 + [0.0] * 14, np.float32)  # a 12.5 fps clip that talks
    assert acting.quiet_stretch(energy, fps=12.5) == (36, 50)
    assert acting.quiet_stretch(energy[:46], fps=12.5) == (0, 46)  # 10 quiet frames: too short, all of it
