"""prepare_clip on synthetic clips: a real face moving (from scikit-image's astronaut photo),
a coloured blob for a pet, a clip with a blurry stretch, and sound."""
import os
import tempfile

import cv2
import numpy as np
import pytest
from PIL import Image
from skimage.data import astronaut

from inference.media.clip import ClipError
from inference.media.ingest import crop_from_box, prepare_clip
from tests.support.clipmaker import moving_bar, write_clip

SIZE = (320, 240)
# The astronaut's head and shoulders, halved to 150 px; her face sits at these patch pixels.
HEAD = cv2.resize(astronaut()[0:300, 100:400], (150, 150), interpolation=cv2.INTER_AREA)
FACE_IN_HEAD = (43, 31, 92, 80)  # left, top, right, bottom


def head_position(time):
    return int(20 + 40 * time), 40


def person(index, time, width, height):
    image = np.full((height, width, 3), (90, 110, 140), np.uint8)
    x, y = head_position(time)
    image[y: y + 150, x: x + 150] = HEAD
    return image


def blob_position(time):
    return int(90 + 30 * time), int(110 - 10 * time)


def pet(index, time, width, height):
    image = np.full((height, width, 3), (60, 150, 70), np.uint8)  # a lawn
    cv2.ellipse(image, blob_position(time), (45, 30), 0, 0, 360, (235, 140, 40), -1)  # a ginger cat
    cv2.circle(image, (blob_position(time)[0] + 40, blob_position(time)[1] - 25), 16,
               (235, 140, 40), -1)
    return image


def blurred_between(start, end):
    def draw(index, time, width, height):
        image = moving_bar(index, time, width, height)
        return cv2.GaussianBlur(image, (0, 0), 5) if start <= time < end else image
    return draw


def _pixels(box, image):
    width, height = image.size
    return box[0] * width, box[1] * height, box[2] * width, box[3] * height


def _contains(outer, inner, slack=2):
    return (outer[0] - slack <= inner[0] and outer[1] - slack <= inner[1]
            and outer[2] + slack >= inner[2] and outer[3] + slack >= inner[3])


def test_a_person_crop_holds_the_face_as_head_and_shoulders(tmp_path):
    clip = prepare_clip(write_clip(tmp_path / "me.mp4", size=SIZE, seconds=3, draw=person), "person")
    chosen = clip.frames[clip.chosen]
    x, y = head_position(chosen.time)
    face = (x + FACE_IN_HEAD[0], y + FACE_IN_HEAD[1], x + FACE_IN_HEAD[2], y + FACE_IN_HEAD[3])
    assert _contains(_pixels(clip.crop_box, chosen.image), face)
    assert clip.crop.width / clip.crop.height == pytest.approx(3 / 4, abs=0.03)  # face path taken


def test_a_pet_crop_holds_the_whole_blob(tmp_path):
    clip = prepare_clip(write_clip(tmp_path / "cat.webm", size=SIZE, seconds=3, draw=pet,
                                   codec="libvpx-vp9"), "pet")
    chosen = clip.frames[clip.chosen]
    cx, cy = blob_position(chosen.time)
    assert _contains(_pixels(clip.crop_box, chosen.image), (cx - 45, cy - 41, cx + 56, cy + 30), 4)
    assert clip.crop.width < chosen.image.width * 0.7  # it is a crop, not the whole frame


def test_a_person_without_a_face_falls_back_to_the_whole_subject(tmp_path):
    clip = prepare_clip(write_clip(tmp_path / "back.mp4", size=SIZE, seconds=2, draw=pet), "person")
    cx, cy = blob_position(clip.frames[clip.chosen].time)
    assert _contains(_pixels(clip.crop_box, clip.frames[clip.chosen].image),
                     (cx - 45, cy - 41, cx + 56, cy + 30), 4)


def test_reference_frames_are_four_to_six_distinct_and_sorted_by_time(tmp_path):
    clip = prepare_clip(write_clip(tmp_path / "a.mp4", size=SIZE, seconds=4, draw=pet), "object")
    times = [frame.time for frame in clip.frames]
    assert 4 <= len(clip.frames) <= 6
    assert times == sorted(times) and len(set(times)) == len(times)
    arrays = [np.asarray(frame.image, np.int16) for frame in clip.frames]
    for i in range(len(arrays)):
        for j in range(i + 1, len(arrays)):
            assert np.abs(arrays[i] - arrays[j]).mean() > 0.5
    assert all(frame.image.mode == "RGB" and max(frame.image.size) <= 512 for frame in clip.frames)
    assert 0 <= clip.chosen < len(clip.frames)


def test_a_blurry_stretch_is_not_picked(tmp_path):
    path = write_clip(tmp_path / "a.mp4", size=SIZE, seconds=4, draw=blurred_between(1.5, 2.5))
    clip = prepare_clip(path, "object")
    assert not [frame.time for frame in clip.frames if 1.5 <= frame.time < 2.5]


def test_a_long_clip_uses_its_sharpest_five_seconds(tmp_path):
    path = write_clip(tmp_path / "a.mp4", size=SIZE, seconds=12, fps=12, audio="aac",
                      draw=blurred_between(0, 6.5))
    clip = prepare_clip(path, "object")
    start, end = clip.window
    assert end - start == pytest.approx(5.0) and start >= 6.0 and end <= 12.0
    assert all(start <= frame.time <= end for frame in clip.frames)
    assert len(clip.audio) == 5 * 24000


def test_audio_comes_back_at_24_khz_mono_covering_the_window(tmp_path):
    clip = prepare_clip(write_clip(tmp_path / "a.webm", size=SIZE, seconds=3, codec="libvpx",
                                   audio="libopus"), "object")
    assert clip.audio_rate == 24000 and clip.audio.dtype == np.float32 and clip.audio.ndim == 1
    assert len(clip.audio) == round((clip.window[1] - clip.window[0]) * 24000)
    middle = clip.audio[12000:36000]
    spectrum = np.abs(np.fft.rfft(middle))
    assert np.argmax(spectrum) * 24000 / len(middle) == pytest.approx(440, abs=3)  # the test tone


def test_a_silent_clip_has_no_audio(tmp_path):
    clip = prepare_clip(write_clip(tmp_path / "a.mp4", size=SIZE, seconds=2), "cartoon")
    assert clip.audio is None and clip.info.has_audio is False


def test_a_rotated_phone_clip_gives_upright_frames(tmp_path):
    clip = prepare_clip(write_clip(tmp_path / "a.mp4", size=SIZE, seconds=2, rotation=90), "object")
    image = np.asarray(clip.frames[0].image)
    assert clip.frames[0].image.size == (240, 320)
    # The red patch drawn top-left in the stored picture shows bottom-left once turned upright.
    assert image[-10, 10, 0] > 180 and image[-10, 10, 1] < 80
    assert clip.poster.width / clip.poster.height == pytest.approx(3 / 4, abs=0.01)


def test_the_poster_is_three_by_four_from_the_chosen_frame(tmp_path):
    clip = prepare_clip(write_clip(tmp_path / "a.mp4", size=SIZE, seconds=2, draw=pet), "pet")
    assert clip.poster.size == (180, 240)


def test_crop_from_box_cuts_fractions_and_clamps_to_the_image():
    image = Image.new("RGB", (400, 300))
    assert crop_from_box(image, [0.25, 0.1, 0.75, 0.9]).size == (200, 240)
    assert crop_from_box(image, [0.8, 0.5, 1.2, 1.1]).size == (80, 150)
    with pytest.raises(ValueError):
        crop_from_box(image, [0.5, 0.5, 0.5, 0.9])


def test_an_unusable_clip_is_refused_with_a_clip_error(tmp_path):
    with pytest.raises(ClipError) as refused:
        prepare_clip(write_clip(tmp_path / "a.mp4", size=SIZE, seconds=1.0), "pet")
    assert refused.value.code == "too_short"
    with pytest.raises(ValueError):
        prepare_clip(tmp_path / "a.mp4", "dragon")


def test_no_temp_files_are_left_behind(tmp_path):
    path = write_clip(tmp_path / "a.mp4", size=SIZE, seconds=2, audio="aac", draw=person)
    before_tmp, before_dir = set(os.listdir(tempfile.gettempdir())), set(os.listdir(tmp_path))
    prepare_clip(path, "person")
    with pytest.raises(ClipError):
        prepare_clip(write_clip(tmp_path / "short.mp4", seconds=1.0), "person")
    assert set(os.listdir(tempfile.gettempdir())) == before_tmp
    assert set(os.listdir(tmp_path)) == before_dir | {"short.mp4"}
