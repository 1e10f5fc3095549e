"""GB 45438's explicit labels, measured on decoded frames of a rendered film: the opening label in
the film's language for at least 2 s, the corner mark throughout (and on the poster), each with
text at least 5 % of the frame's shorter side; subtitles stay clear of the mark."""
import av
import numpy as np
import pytest
from PIL import Image

from inference.backends.base import Backend, frame_count
from inference.media.assemble import write_film
from inference.media.overlay import (LABEL_TEXT, MIN_TEXT_RATIO, OPENING_SECONDS, OPENING_TEXT_RATIO, _subtitle_layer,
                                     draw_labels, font_size_for, get_font, label_box, opening_box, opening_text)
from tests.support.render_fixtures import make_film, one_shot

WIDTH, HEIGHT, FPS = 854, 480, 24


def white_text_height(frame, box):
    """Height in pixels of the near-white text inside a box of a decoded frame (the pills are dark,
    so whatever is bright inside them is the label's letters)."""
    left, top, right, bottom = box
    bright = frame[top:bottom, left:right].astype(int).min(axis=2) > 200
    rows = np.flatnonzero(bright.sum(axis=1) >= 2)
    return int(rows[-1] - rows[0] + 1) if len(rows) else 0


class GreyBackend(Backend):
    """Flat mid-grey shots, so that whatever is bright in a decoded frame is a label's letters (a
    stand-in for a generator: the labels, the encoder and the decoder are the real ones)."""

    name, model = "grey", "grey"

    def render_shot(self, film, shot, *, on_step=None, loudness=None):
        for _ in range(frame_count(film, shot)):
            yield np.full((film.height, film.width, 3), 128, np.uint8)


@pytest.fixture(scope="module")
def chinese_film(tmp_path_factory):
    folder = tmp_path_factory.mktemp("labels")
    shots = [one_shot("wide", "pan", roles=("me", "cat"), duration=1.75), one_shot("close_up", "push_in", duration=1.75)]
    film = make_film(folder, shots=shots, width=WIDTH, height=HEIGHT, fps=FPS)
    film.language = "zh-hans"
    write_film(film, GreyBackend(), folder / "film.mp4", poster_path=folder / "poster.jpg")
    with av.open(str(folder / "film.mp4")) as container:
        frames = [(float(f.time), f.to_ndarray(format="rgb24")) for f in container.decode(video=0)]
    return frames, folder / "poster.jpg"


def test_the_opening_label_is_on_screen_for_two_seconds_at_five_percent(chinese_film):
    frames, _poster = chinese_film
    box = opening_box(WIDTH, HEIGHT, "zh-hans")
    heights = [(t, white_text_height(frame, box)) for t, frame in frames]
    shown = [t for t, height in heights if height >= MIN_TEXT_RATIO * HEIGHT]
    assert shown[0] == 0.0
    assert len(shown) / FPS >= 2.0 and max(shown) >= 2.0 - 1 / FPS  # from the first frame, 2 s and more
    assert min(height for t, height in heights if t < 2.0) >= MIN_TEXT_RATIO * HEIGHT
    assert all(height == 0 for t, height in heights if t >= OPENING_SECONDS)  # then it goes


def test_the_corner_mark_stays_for_the_whole_film_at_five_percent(chinese_film):
    frames, _poster = chinese_film
    box = label_box(WIDTH, HEIGHT)
    assert len(frames) == 84
    assert min(white_text_height(frame, box) for _t, frame in frames) >= MIN_TEXT_RATIO * HEIGHT


def test_the_poster_has_the_corner_mark_and_not_the_opening_label(chinese_film):
    _frames, poster = chinese_film
    image = np.asarray(Image.open(poster).convert("RGB"))
    assert image.shape == (HEIGHT, WIDTH, 3)
    assert white_text_height(image, label_box(WIDTH, HEIGHT)) >= MIN_TEXT_RATIO * HEIGHT
    assert white_text_height(image, opening_box(WIDTH, HEIGHT, "zh-hans")) == 0


@pytest.mark.parametrize("language, text", [("en", "This film is AI-generated"), ("zh-hans", "本片由人工智能生成")])
def test_the_opening_label_is_in_the_films_language(language, text):
    """The label's letters span exactly the width of that language's sentence at its size."""
    assert opening_text(language) == text
    frame = draw_labels(np.full((HEIGHT, WIDTH, 3), 60, np.uint8), 0.5, language)
    left, top, right, bottom = opening_box(WIDTH, HEIGHT, language)
    columns = np.flatnonzero((frame[top:bottom, left:right].min(axis=2) > 200).any(axis=0))
    ink_left, _top, ink_right, _bottom = get_font(font_size_for(OPENING_TEXT_RATIO * HEIGHT, text)).getbbox(text)
    assert abs((columns[-1] - columns[0] + 1) - (ink_right - ink_left)) <= 0.03 * (ink_right - ink_left)


def test_a_film_in_another_language_gets_the_bilingual_mark_as_its_opening():
    assert opening_text("fr") == LABEL_TEXT


@pytest.mark.parametrize("size", [(854, 480), (480, 854), (320, 180), (1920, 1080)])
def test_subtitles_sit_above_the_corner_mark(size):
    width, height = size
    layer, _x, y = _subtitle_layer(width, height, "A long line of dialogue that wraps onto a second line, and a third one too")
    assert y + layer.height <= label_box(width, height)[1]
    assert label_box(width, height)[2] <= width and opening_box(width, height, "en")[2] <= width
