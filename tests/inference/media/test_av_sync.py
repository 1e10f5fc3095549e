"""Sound and picture of a rendered film agree: measured on the decoded MP4, not on the plan.

A three-shot preview film with four lines by two voices is rendered twice from one voice plan, with
and without subtitles; the difference of the two pictures shows exactly where a subtitle is on screen.
"""
import copy

import av
import numpy as np
import pytest

from inference.backends.preview import PreviewBackend
from inference.media.assemble import write_film
from inference.specs import LineSpec, ShotSpec
from inference.voice.base import get_voice_backend
from inference.voice.timing import plan_film_audio
from tests.support.render_fixtures import make_film

FPS = 24
FRAME = 1 / FPS
THRESHOLD = 0.02  # |sample| above this is speech; the mix puts lines at -20 dBFS RMS


def decode_audio(path):
    """The whole track as float32 on a timeline from 0 s, placed by each frame's own timestamp."""
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        rate = stream.codec_context.sample_rate
        pieces = [(frame.time, frame.to_ndarray()[0]) for frame in container.decode(stream)]
    end = max(round(t * rate) + len(s) for t, s in pieces)
    track = np.zeros(end, dtype=np.float32)
    for t, samples in pieces:
        start = round(t * rate)
        if start < 0:  # the encoder's priming samples sit before 0 s
            samples, start = samples[-start:], 0
        track[start:start + len(samples)] = samples
    return track, rate


def decode_video(path):
    with av.open(str(path)) as container:
        return [(frame.time, frame.to_ndarray(format="rgb24")) for frame in container.decode(video=0)]


@pytest.fixture(scope="module")
def films(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sync")
    spec = make_film(folder, width=426, height=240, fps=FPS, shots=[
        ShotSpec(0, "medium", "static", "Ann and Mimi talk at the window", ["me", "cat"],
                 [LineSpec("me", "Hello Mimi, did you sleep well?"), LineSpec("cat", "I slept all day long.")], 1.0),
        ShotSpec(1, "medium", "static", "Ann laughs", ["me", "cat"], [LineSpec("me", "Lucky you!")], 1.0),
        ShotSpec(2, "close_up", "push_in", "Mimi yawns", ["cat"], [LineSpec("cat", "Good night, Ann.")], 1.0),
    ])
    # As render_film_files plans it: shots of whole frames, so later shots do not drift.
    audio = plan_film_audio(spec.shots, spec.cast, get_voice_backend("espeak"), max_seconds=15.0, fps=FPS)
    paths = {}
    for subtitles in (True, False):
        paths[subtitles] = write_film(copy.deepcopy(spec), PreviewBackend(), folder / f"film-{subtitles}.mp4",
                                      audio=audio.track, audio_rate=audio.rate, loudness=audio.loudness,
                                      subtitles=subtitles)
    track, rate = decode_audio(paths[True])
    with_subs, without = decode_video(paths[True]), decode_video(paths[False])
    return {"plan": audio, "track": track, "rate": rate, "with": with_subs, "without": without}


def subtitle_frames(films):
    """Indices of frames that carry a subtitle: many pixels of its band differ from the plain film."""
    height = films["with"][0][1].shape[0]
    band = slice(round(height * 0.55), round(height * 0.92))
    shown = []
    for i, ((_, a), (_, b)) in enumerate(zip(films["with"], films["without"])):
        changed = np.abs(a[band].astype(int) - b[band].astype(int)).max(axis=2) > 100
        if changed.sum() > 40:
            shown.append(i)
    return shown


def spans(indices):
    """Runs of consecutive frame indices as (first, last)."""
    runs = []
    for i in indices:
        if runs and i == runs[-1][1] + 1:
            runs[-1][1] = i
        else:
            runs.append([i, i])
    return [tuple(run) for run in runs]


def speech_spans(track, rate, cues):
    """Per cue, (onset, offset) in seconds: where the decoded sound first and last passes the threshold
    near where the plan put the line."""
    loud = np.abs(track) > THRESHOLD
    found = []
    for start, end, _text, _role in cues:
        window = slice(max(0, round((start - 0.1) * rate)), round((end + 0.1) * rate))
        hits = np.flatnonzero(loud[window]) + window.start
        found.append((hits[0] / rate, (hits[-1] + 1) / rate))
    return found


def test_each_lines_audio_starts_within_one_frame_of_its_subtitle(films):
    cues = films["plan"].cues
    runs = spans(subtitle_frames(films))
    assert len(runs) == len(cues)  # one subtitle per line, each shown once
    for (onset, _), (first, _last) in zip(speech_spans(films["track"], films["rate"], cues), runs):
        shown_at = films["with"][first][0]
        assert abs(shown_at - onset) <= FRAME + 1e-3, (shown_at, onset)


def test_subtitles_leave_the_screen_within_one_frame_of_the_speech(films):
    cues = films["plan"].cues
    runs = spans(subtitle_frames(films))
    for (_, offset), (_first, last) in zip(speech_spans(films["track"], films["rate"], cues), runs):
        gone_at = films["with"][last][0] + FRAME
        assert abs(gone_at - offset) <= FRAME + 1e-3, (gone_at, offset)


def test_every_shot_is_a_whole_number_of_frames_so_cuts_do_not_drift(films):
    durations = films["plan"].shot_durations
    assert all(abs(d * FPS - round(d * FPS)) < 1e-6 for d in durations)
    assert len(films["with"]) == round(sum(durations) * FPS)


def test_the_line_audio_lands_where_the_script_puts_it(films):
    for (onset, _), (start, *_rest) in zip(speech_spans(films["track"], films["rate"], films["plan"].cues), films["plan"].cues):
        assert abs(onset - start) <= FRAME, (onset, start)


def test_the_speakers_figure_moves_with_the_loudness_of_its_voice_frame_by_frame(films):
    frames = [image.astype(int) for _, image in films["without"]]
    height, width, _ = frames[0].shape
    rows = slice(round(height * 0.1), round(height * 0.55))  # heads and shoulders, above the subtitles
    halves = {"me": slice(0, width // 2), "cat": slice(width // 2, width)}  # Ann stands left, Mimi right
    track, rate = films["track"], films["rate"]

    def loudness(i):  # of the decoded sound as frame i is shown (30 ms around it), in dB: how loud it sounds
        around = track[round((i * FRAME - 0.015) * rate):round((i * FRAME + 0.015) * rate)]
        return 20 * np.log10(np.sqrt(np.mean(around ** 2)) + 1e-4)

    start, end, _text, speaker = films["plan"].cues[0]  # Ann's line; Mimi listens
    assert speaker == "me"
    speaking = range(int(start * FPS) + 2, int(end * FPS))
    change = {role: np.array([np.abs(frames[i][rows, cols] - frames[i - 1][rows, cols]).mean() for i in speaking])
              for role, cols in halves.items()}
    voice_change = np.abs([loudness(i) - loudness(i - 1) for i in speaking])
    assert change["me"].mean() > 4 * change["cat"].mean()  # the speaker moves, the listener barely does
    correlation = np.corrcoef(change["me"], voice_change)[0, 1]
    assert correlation > 0.6, correlation  # and it moves as its voice gets louder or softer, frame by frame


def test_the_mixed_track_never_clips_and_lines_are_equally_loud(films):
    track, rate = films["track"], films["rate"]
    assert np.abs(track).max() <= 1.0 + 0.02  # the mix peaks under 0.9; AAC may overshoot a little
    levels = []
    for onset, offset in speech_spans(track, rate, films["plan"].cues):
        line = track[round(onset * rate):round(offset * rate)]
        voiced = line[np.abs(line) > THRESHOLD]
        levels.append(20 * np.log10(np.sqrt(np.mean(line ** 2))))
        assert len(voiced)
    assert max(levels) - min(levels) < 3.0, levels  # two voices, three lines, within 3 dB
