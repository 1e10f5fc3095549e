"""The film writer: a streamed H.264 + AAC MP4 with faststart, provenance, no partial files; and the
burnt-in label and subtitles."""
import struct

import av
import numpy as np
import pytest

from inference.media.film_writer import FilmWriter, provenance, read_provenance, save_poster
from inference.media.overlay import draw_label, draw_subtitle, label_box

RATE = 24000


def tone(seconds, rate=RATE):
    t = np.arange(int(seconds * rate)) / rate
    return (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)


def moving_frames(count, width=320, height=180):
    for i in range(count):
        frame = np.zeros((height, width, 3), np.uint8)
        frame[:, :, 0] = (np.arange(width) + 5 * i) % 256
        frame[:, :, 1] = 90
        yield draw_label(frame)


def write_film(path, seconds=2.0, fps=24, metadata=None):
    with FilmWriter(path, 320, 180, fps, tone(seconds), RATE,
                    metadata or provenance(backend="preview", model="preview-animatic-1", seed=7, film_id=42)) as w:
        for frame in moving_frames(round(seconds * fps)):
            w.write(frame)
    return path


def top_level_boxes(path):
    data, boxes, offset = path.read_bytes(), [], 0
    while offset + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[offset:offset + 8])
        if size == 1:
            size = struct.unpack(">Q", data[offset + 8:offset + 16])[0]
        boxes.append(kind.decode("latin-1"))
        offset += size if size else len(data)
    return boxes


def test_it_writes_h264_and_aac_of_the_right_length(tmp_path):
    path = write_film(tmp_path / "film.mp4")
    with av.open(str(path)) as container:
        video, audio = container.streams.video[0], container.streams.audio[0]
        assert video.codec_context.name == "h264" and audio.codec_context.name == "aac"
        assert video.codec_context.pix_fmt == "yuv420p"
        assert (video.width, video.height) == (320, 180)
        frames = list(container.decode(video=0))
    assert len(frames) == 48
    assert float(frames[-1].time) == pytest.approx(47 / 24, abs=0.01)
    with av.open(str(path)) as container:
        assert container.duration / 1e6 == pytest.approx(2.0, abs=0.1)
        audio_seconds = sum(f.samples for f in container.decode(audio=0)) / RATE
    assert audio_seconds == pytest.approx(2.0, abs=0.1)


def test_provenance_metadata_reads_back(tmp_path):
    path = write_film(tmp_path / "film.mp4")
    record = read_provenance(path)
    assert record["ai_generated"] is True
    assert record["backend"] == "preview" and record["seed"] == 7 and record["film_id"] == 42
    assert record["model"] == "preview-animatic-1" and record["created"]


def test_the_moov_box_comes_before_mdat(tmp_path):
    boxes = top_level_boxes(write_film(tmp_path / "film.mp4"))
    assert boxes.index("moov") < boxes.index("mdat")


def test_a_failure_half_way_leaves_no_partial_file(tmp_path):
    path = tmp_path / "film.mp4"
    with pytest.raises(RuntimeError):
        with FilmWriter(path, 320, 180, 24, tone(2), RATE, provenance(backend="preview")) as writer:
            for n, frame in enumerate(moving_frames(48)):
                writer.write(frame)
                if n == 20:
                    raise RuntimeError("the render failed")
    assert list(tmp_path.iterdir()) == []


def test_a_film_without_sound_has_video_only(tmp_path):
    path = tmp_path / "silent.mp4"
    with FilmWriter(path, 320, 180, 24, None, RATE, provenance(backend="tiny")) as writer:
        for frame in moving_frames(12):
            writer.write(frame)
    with av.open(str(path)) as container:
        assert len(container.streams.audio) == 0 and container.streams.video[0].frames == 12


def test_the_label_is_burnt_in_and_survives_encoding(tmp_path):
    path = write_film(tmp_path / "film.mp4")
    with av.open(str(path)) as container:
        frame = next(container.decode(video=0)).to_ndarray(format="rgb24")
    left, top, right, bottom = label_box(320, 180)
    label = frame[top:bottom, left:right].astype(int)
    assert (label.sum(axis=2) > 600).sum() > 20  # white letters
    assert (label.sum(axis=2) < 200).sum() > 50  # on a dark pill


def test_the_label_darkens_a_bright_corner_and_keeps_the_rest():
    frame = np.full((480, 854, 3), 240, np.uint8)
    labelled = draw_label(frame)
    left, top, right, bottom = label_box(854, 480)
    assert labelled[top:bottom, left:right].mean() < 200
    assert np.array_equal(labelled[:top], frame[:top])
    assert np.array_equal(frame, np.full((480, 854, 3), 240, np.uint8))  # the input is not changed


def test_chinese_subtitles_are_drawn_as_text():
    frame = np.full((480, 854, 3), 100, np.uint8)
    chinese = draw_subtitle(frame, "你好，咪咪！今天我们去海边吧。" * 3)
    markup = draw_subtitle(frame, "<b>{{ not markup }}</b>")
    assert (chinese[300:, :, :].sum(axis=2) > 700).sum() > 500  # white glyphs on the lower part
    assert np.array_equal(chinese[:200], frame[:200])
    assert not np.array_equal(markup, frame)
    assert np.array_equal(draw_subtitle(frame, "  "), frame)


def test_save_poster_writes_a_jpeg(tmp_path):
    path = save_poster(np.full((180, 320, 3), 50, np.uint8), tmp_path / "poster.jpg")
    assert path.read_bytes()[:2] == b"\xff\xd8"
    assert [p.name for p in tmp_path.iterdir()] == ["poster.jpg"]


def test_write_film_streams_a_whole_preview_film_with_progress_and_poster(tmp_path):
    from inference.backends.preview import PreviewBackend
    from inference.media.assemble import write_film
    from tests.support.render_fixtures import make_film

    film = make_film(tmp_path, width=320, height=180, fps=12)
    updates = []
    path = write_film(film, PreviewBackend(), tmp_path / "out" / "film.mp4", audio=tone(film.duration),
                      poster_path=tmp_path / "out" / "poster.jpg", on_progress=updates.append)
    with av.open(str(path)) as container:
        assert container.streams.video[0].frames == 48
    assert read_provenance(path)["backend"] == "preview"
    assert (tmp_path / "out" / "poster.jpg").exists()
    assert updates[-1].stage == "done" and updates[-1].percent == 100
    percents = [u.percent for u in updates]
    assert percents == sorted(percents) and updates[0].shots == 2
