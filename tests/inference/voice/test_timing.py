"""The timing plan speaks every line in full, fits the film in 15 s, and mixes without clipping."""
import numpy as np
import pytest

from inference.specs import CastRef, LineSpec, ShotSpec
from inference.voice.espeak import EspeakBackend
from inference.voice.mix import mix_lines
from inference.voice.timing import TimingError, estimate_line_seconds, plan_film_audio

RATE = 24000
FRAME = 1 / 24


@pytest.fixture(scope="module")
def backend():
    return EspeakBackend()


@pytest.fixture
def cast():
    return {
        "ann": CastRef("ann", "Ann", "person", "a young woman", [], None),
        "rex": CastRef("rex", "Rex", "pet", "a small dog", [], None),
    }


def shots():
    return [
        ShotSpec(1, "wide", "static", "Ann waves", ["ann", "rex"],
                 [LineSpec("ann", "Good morning, Rex! Did you sleep well?"), LineSpec("rex", "Woof! Very well.")], 1.5),
        ShotSpec(2, "close_up", "push_in", "Rex looks up", ["rex"], [LineSpec("rex", "我们去公园吧。", "zh")], 3.0),
        ShotSpec(3, "wide", "pan", "They walk off", ["ann", "rex"], [], 2.5),
    ]


def test_lines_are_never_cut_off(backend, cast):
    plan = shots()
    audio = plan_film_audio(plan, cast, backend)
    for shot in plan:
        for line in shot.lines:
            assert 0 < line.start < line.end <= shot.duration
    assert len(audio.cues) == 3
    assert audio.duration == pytest.approx(sum(audio.shot_durations), abs=1 / RATE)


def test_a_short_shot_lengthens_to_fit_its_lines(backend, cast):
    plan = shots()
    audio = plan_film_audio(plan, cast, backend)
    assert plan[0].duration > 1.5
    assert plan[0].duration >= plan[0].lines[-1].end
    assert plan[2].duration == pytest.approx(2.5)  # a shot without lines keeps its length
    assert audio.shot_durations == [shot.duration for shot in plan]


def test_the_film_keeps_within_15_seconds_by_shortening_silent_shots(backend, cast):
    plan = shots()
    plan[2].duration = 12.0
    audio = plan_film_audio(plan, cast, backend)
    assert sum(audio.shot_durations) <= 15.0 + 1e-6
    assert plan[2].duration >= 1.0


def test_lines_longer_than_15_seconds_raise_timing_error_naming_the_shot(backend, cast):
    long_line = "This is a very long line that goes on and on about nothing in particular, " * 3
    plan = shots() + [ShotSpec(4, "wide", "static", "", ["ann"], [LineSpec("ann", long_line)], 2.0)]
    with pytest.raises(TimingError, match="shot 4"):
        plan_film_audio(plan, cast, backend)


def test_onsets_in_the_track_are_where_the_plan_says(backend, cast):
    audio = plan_film_audio(shots(), cast, backend)
    for start, end, _, _ in audio.cues:
        lo = int((start - FRAME) * RATE)
        window = np.abs(audio.track[lo : int(end * RATE)])
        onset = (lo + int(np.argmax(window > 0.02))) / RATE
        assert abs(onset - start) < FRAME


def test_cues_follow_shot_and_line_times(backend, cast):
    plan = shots()
    audio = plan_film_audio(plan, cast, backend)
    assert audio.cues[2][0] == pytest.approx(plan[0].duration + plan[1].lines[0].start, abs=1e-3)
    assert audio.cues[2][2:] == ("我们去公园吧。", "rex")


def test_no_sample_exceeds_1_with_loud_overlapping_inputs():
    rng = np.random.default_rng(5)
    loud = [(i * RATE // 4, (3.0 * np.sign(rng.standard_normal(RATE))).astype(np.float32), "a") for i in range(6)]
    # Levelled at 0 dBFS each, four overlap: the sum reaches 4.0 before the limiter.
    track, _ = mix_lines(loud, 3 * RATE, RATE, level_db=0.0)
    assert np.max(np.abs(track)) <= 1.0
    assert np.max(np.abs(track)) > 0.8


def test_the_mixed_film_does_not_clip(backend, cast):
    audio = plan_film_audio(shots(), cast, backend)
    assert audio.track.dtype == np.float32
    assert 0.05 < np.max(np.abs(audio.track)) <= 1.0


def test_lines_are_levelled_to_the_same_loudness(backend, cast):
    audio = plan_film_audio(shots(), cast, backend)
    levels = []
    for start, end, _, _ in audio.cues:
        clip = audio.track[int(start * RATE) : int(end * RATE)]
        levels.append(20 * np.log10(np.sqrt(np.mean(clip**2))))
    assert max(levels) - min(levels) < 3.0


def test_the_loudness_envelope_is_high_during_a_roles_line_and_zero_elsewhere(backend, cast):
    audio = plan_film_audio(shots(), cast, backend)
    for start, end, _, role in audio.cues:
        inside = audio.loudness(role, np.arange(start, end, 0.01))
        assert inside.max() > 0.7 and inside.mean() > 0.3
    ann_start, ann_end = audio.cues[0][:2]
    assert audio.loudness("rex", np.arange(ann_start, ann_end - 0.05, 0.01)).max() < 0.05
    assert audio.loudness("ann", audio.duration - 0.5) == 0.0
    assert audio.loudness("nobody", 1.0) == 0.0


@pytest.mark.parametrize("text,language,low,high", [
    ("Hello there, how are you today?", "en", 1.5, 3.5),
    ("你好，今天天气怎么样？", "zh", 1.5, 3.5),
    ("我们去 Disneyland 吧", "zh", 1.0, 3.0),
    ("", "en", 0.0, 0.0),
])
def test_estimate_line_seconds_counts_cjk_characters_and_latin_words(text, language, low, high):
    assert low <= estimate_line_seconds(text, language) <= high


def test_estimate_line_seconds_is_close_to_espeak(backend, cast):
    for text, language in [("Good morning, Rex! Did you sleep well?", "en"), ("我们明天一起去公园散步吧。", "zh")]:
        samples, rate = backend.synthesize(text, language, cast["ann"])
        assert estimate_line_seconds(text, language) == pytest.approx(len(samples) / rate, rel=0.5)


def test_a_short_silent_shot_keeps_its_length_when_the_film_is_long(backend, cast):
    plan = shots()
    plan[2].duration = 0.5
    plan.append(ShotSpec(4, "wide", "static", "", [], [], 13.0))
    audio = plan_film_audio(plan, cast, backend)
    assert plan[2].duration == pytest.approx(0.5)
    assert sum(audio.shot_durations) == pytest.approx(15.0)
