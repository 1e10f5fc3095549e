"""One place per scene: the preview keeps a scene's set, light and time of day across its shots and
changes them only where a shot's words name another place."""
import numpy as np

from inference.backends.preview import PreviewBackend
from inference.backends.scenery import plan_sets
from inference.specs import ShotSpec
from tests.support.render_fixtures import make_film

SEED_SHOTS = [  # the seed's example, then a shot that moves somewhere else
    ("medium", "static", "中景描绘卡尔背对镜头，站在巴黎公寓的落地窗前俯瞰夜晚的埃菲尔铁塔"),
    ("close_up", "push_in", "转为手部特写，拿起一把吉他"),
    ("close_up", "pan", "人物表情特写，抱着吉他做出深情表情"),
    ("wide", "static", "第二天早上，卡尔走在海边的沙滩上"),
]


def film_of(tmp_path, shots, roles=()):
    specs = [ShotSpec(n, framing, move, action, list(roles), [], 1.0)
             for n, (framing, move, action) in enumerate(shots)]
    return make_film(tmp_path, shots=specs, width=320, height=180, fps=8)


def backgrounds(film):
    backend = PreviewBackend()
    return [np.stack(list(backend.render_shot(film, shot))) for shot in film.shots]


def histogram_distance(a, b, bins=8):
    """Total variation distance between the colour histograms of two sets of frames, 0..1: the
    share of the pixels that would have to change colour (8 levels a channel, 512 bins) to turn one
    picture into the other. Histograms ignore where things are, so the same set seen through a
    different framing or camera move (pan, push-in) stays close, while another palette, light or
    time of day moves most of the pixels to other bins."""
    def histogram(frames):
        codes = (frames // (256 // bins)).astype(np.int64).reshape(-1, 3)
        counts = np.bincount(codes[:, 0] * bins * bins + codes[:, 1] * bins + codes[:, 2], minlength=bins ** 3)
        return counts / counts.sum()

    return 0.5 * float(np.abs(histogram(a) - histogram(b)).sum())


def test_shots_of_one_scene_share_one_set_and_a_new_place_changes_it(tmp_path):
    first, second, third, elsewhere = backgrounds(film_of(tmp_path, SEED_SHOTS))
    assert histogram_distance(first, second) < 0.2
    assert histogram_distance(first, third) < 0.2
    assert histogram_distance(second, third) < 0.2
    assert histogram_distance(third, elsewhere) > 0.5
    # Static camera, same framing of the set: the pixels themselves are the same set.
    assert np.abs(first[0].astype(int) - backgrounds(film_of(tmp_path, SEED_SHOTS[:1] * 2))[1][0]).mean() < 1


def test_a_cut_the_script_did_not_ask_for_changes_nothing(tmp_path):
    plan = plan_sets("", [action for _, _, action in SEED_SHOTS])
    assert plan[0] == plan[1] == plan[2]
    assert plan[0].place == "room" and plan[0].night and plan[0].window and plan[0].skyline
    assert plan[3].place == "beach" and not plan[3].night and plan[3].scene == 1


def test_english_places_and_times_of_day_start_a_new_set_and_the_next_shots_keep_it():
    plan = plan_sets("", ["A kitchen at night", "Ann looks up", "Out on the street", "Ann waves",
                          "The next morning, still on the street", "Back home in the kitchen"])
    assert [c.place for c in plan] == ["room", "room", "street", "street", "street", "room"]
    assert [c.night for c in plan] == [True, True, True, True, False, False]
    assert [c.scene for c in plan] == [0, 0, 1, 1, 1, 2]


def test_dialogue_about_a_place_does_not_move_the_set():
    assert plan_sets("", ["In the kitchen", "Ann smiles"])[1].place == "room"  # lines are not read at all


def test_the_title_sets_the_first_place_when_the_first_shot_names_none():
    assert plan_sets("A day at the beach", ["Ann waves", "Ann smiles"])[1].place == "beach"
