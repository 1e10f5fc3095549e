"""A table of unusual and malformed uploads, each made here with PyAV, and what probe_clip says."""

import av
import numpy as np
import pytest
from PIL import Image

from inference.media.clip import ClipError, probe_clip
from tests.support.clipmaker import write_audio_only, write_clip

VFR_TIMES = [0.0, 0.03, 0.1, 0.35, 0.4, 0.45, 0.9, 1.0, 1.02, 1.5, 1.55, 1.9, 2.2]


def _truncated(path, faststart=False):
    options = {"movflags": "faststart"} if faststart else None
    write_clip(path, seconds=3, audio="aac", options=options)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _noise(count, seed=7):
    """Random bytes, the same on every run so a failure can be reproduced."""
    return np.random.default_rng(seed).integers(0, 256, count, dtype=np.uint8).tobytes()


def _corrupted(path, seed=7, faststart=True):
    write_clip(path, seconds=3, audio="aac", options={"movflags": "faststart"} if faststart else None)
    data = bytearray(path.read_bytes())
    start = data.find(b"mdat")
    middle = (start + len(data)) // 2
    data[middle: middle + 4000] = _noise(4000, seed)
    path.write_bytes(bytes(data))


def _png(path):
    Image.new("RGB", (320, 240), "red").save(path, format="PNG")


# (id, file name, how to make it, expected: a ClipError code or a dict of ClipInfo fields)
CASES = [
    ("h264_mp4_aac_25fps", "a.mp4", lambda p: write_clip(p, audio="aac"),
     dict(width=160, height=120, video_codec="h264", has_audio=True, fps=pytest.approx(25, abs=0.1))),
    ("h264_mp4_silent_30fps", "a.mp4", lambda p: write_clip(p, fps=30, size=(320, 240)),
     dict(width=320, height=240, has_audio=False, fps=pytest.approx(30, abs=0.1))),
    ("h264_mp4_60fps", "a.mp4", lambda p: write_clip(p, fps=60), dict(fps=pytest.approx(60, abs=0.1))),
    ("h264_mp4_12fps", "a.mp4", lambda p: write_clip(p, fps=12), dict(fps=pytest.approx(12, abs=0.1))),
    ("hevc_mov", "a.mov", lambda p: write_clip(p, codec="libx265", audio="aac"),
     dict(video_codec="hevc", has_audio=True)),
    ("vp8_webm_silent", "a.webm", lambda p: write_clip(p, codec="libvpx"),
     dict(video_codec="vp8", has_audio=False)),
    ("vp8_webm_opus", "a.webm", lambda p: write_clip(p, codec="libvpx", audio="libopus"),
     dict(video_codec="vp8", has_audio=True)),
    ("vp9_webm_opus", "a.webm", lambda p: write_clip(p, codec="libvpx-vp9", audio="libopus"),
     dict(video_codec="vp9", has_audio=True)),
    ("vp9_webm_silent", "a.webm", lambda p: write_clip(p, codec="libvpx-vp9"), dict(has_audio=False)),
    ("variable_frame_rate", "a.mp4", lambda p: write_clip(p, times=VFR_TIMES),
     # The last frame lasts one nominal frame (1/25 s): 2.2 + 0.04 s.
     dict(duration=pytest.approx(2.24, abs=0.02), fps=pytest.approx(len(VFR_TIMES) / 2.24, abs=0.1))),
    ("rotated_90_portrait", "a.mp4", lambda p: write_clip(p, rotation=90),
     dict(width=120, height=160, rotation=90)),
    ("rotated_270", "a.mp4", lambda p: write_clip(p, rotation=-90),
     dict(width=120, height=160, rotation=270)),
    ("native_portrait", "a.mp4", lambda p: write_clip(p, size=(120, 160)),
     dict(width=120, height=160, rotation=0)),
    ("one_second", "a.mp4", lambda p: write_clip(p, seconds=1.0), "too_short"),
    ("one_point_six_seconds", "a.mp4", lambda p: write_clip(p, seconds=1.6),
     dict(duration=pytest.approx(1.6, abs=0.05))),
    ("twelve_seconds", "a.mp4", lambda p: write_clip(p, seconds=12, fps=12),
     dict(duration=pytest.approx(12, abs=0.1))),
    ("thirty_one_seconds_tiny", "a.mp4", lambda p: write_clip(p, seconds=31, fps=8, size=(64, 64)),
     "too_long"),
    ("thirty_one_seconds_webm", "a.webm",
     lambda p: write_clip(p, codec="libvpx", seconds=31, fps=8, size=(64, 64)), "too_long"),
    ("32x32", "a.mp4", lambda p: write_clip(p, size=(32, 32)), "too_small_dims"),
    ("5000x64", "a.mp4", lambda p: write_clip(p, size=(5000, 64), seconds=1.6), "too_large_dims"),
    ("aspect_6_to_1", "a.mp4", lambda p: write_clip(p, size=(480, 80)), "bad_aspect"),
    ("audio_only", "a.m4a", write_audio_only, "no_video_stream"),
    ("png_renamed_mp4", "a.mp4", _png, "not_video"),
    ("random_bytes", "a.mp4", lambda p: p.write_bytes(_noise(20_000)), "not_video"),
    ("empty_file", "a.mp4", lambda p: p.write_bytes(b""), "not_video"),
    ("mp4_truncated_at_half", "a.mp4", _truncated, "truncated"),
    ("faststart_mp4_truncated_at_half", "a.mp4", lambda p: _truncated(p, faststart=True),
     "truncated"),
    ("bytes_corrupted_in_mdat", "a.mp4", _corrupted, "corrupt"),
    ("bytes_corrupted_in_mdat_index_at_end", "a.mp4", lambda p: _corrupted(p, faststart=False),
     "corrupt"),
    # Like a browser's MediaRecorder: a live WebM declares no duration, so decoding finds out.
    ("thirty_one_seconds_live_webm", "a.webm", lambda p: write_clip(
        p, codec="libvpx", seconds=31, fps=8, size=(64, 64), options={"live": "1"}), "too_long"),
    ("live_webm_opus", "a.webm", lambda p: write_clip(
        p, codec="libvpx-vp9", audio="libopus", seconds=2, options={"live": "1"}),
     dict(duration=pytest.approx(2.0, abs=0.05), has_audio=True)),
]


@pytest.fixture(autouse=True)
def quiet_ffmpeg():
    """FFmpeg prints every decode error of the damaged rows to stderr; those are expected."""
    av.logging.set_level(None)


NO_HEVC = pytest.mark.skipif("libx265" not in av.codecs_available,
                             reason="this PyAV wheel has no HEVC encoder")
PARAMS = [pytest.param(*case[1:], id=case[0], marks=[NO_HEVC] if "hevc" in case[0] else [])
          for case in CASES]


@pytest.mark.parametrize("name, make, expected", PARAMS)
def test_each_upload_is_accepted_or_refused_with_its_code(tmp_path, name, make, expected):
    path = tmp_path / name
    make(path)
    if isinstance(expected, str):
        with pytest.raises(ClipError) as refused:
            probe_clip(path)
        assert refused.value.code == expected
    else:
        info = probe_clip(path)
        for field, value in expected.items():
            assert getattr(info, field) == value, field


def test_refusals_carry_a_translatable_message_for_the_user(tmp_path):
    path = tmp_path / "short.mp4"
    write_clip(path, seconds=1.0)
    with pytest.raises(ClipError) as refused:
        probe_clip(path)
    assert "too short" in str(refused.value.message)
    assert type(refused.value.message).__name__ == "__proxy__"  # gettext_lazy, translated later


def test_a_clip_of_sixteen_hundred_milliseconds_is_long_enough(tmp_path):
    info = probe_clip(write_clip(tmp_path / "a.mp4", seconds=1.6, fps=30))
    assert info.duration >= 1.5


def test_a_missing_file_is_an_error_of_the_caller_not_of_the_upload(tmp_path):
    with pytest.raises(FileNotFoundError):
        probe_clip(tmp_path / "nothing.mp4")
