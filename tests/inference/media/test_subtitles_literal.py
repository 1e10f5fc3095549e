"""Subtitles burnt into a film draw the dialogue exactly as typed: markup and entities in a line are
glyphs, never formatting (overlay.py draws with Pillow; nothing parses the text)."""
import numpy as np
import pytest

from inference.media.overlay import draw_subtitle, get_font

WIDTH, HEIGHT = 854, 480


def ink_columns(text):
    frame = np.full((HEIGHT, WIDTH, 3), 90, np.uint8)
    changed = np.any(draw_subtitle(frame, text) != frame, axis=(0, 2))
    columns = np.flatnonzero(changed)
    return columns.min(), columns.max() + 1


def literal_width(text):
    size = max(12, round(HEIGHT * 0.05))  # the subtitle size overlay.py uses for this frame height
    return get_font(size).getlength(text) + 2 * max(1, size // 12)


@pytest.mark.parametrize("text", ["<b>x</b>", "<script>alert(1)</script>", "&lt;i&gt;", "<i>斜体</i>"])
def test_a_line_with_markup_is_drawn_as_the_literal_string(text):
    start, end = ink_columns(text)
    assert abs((end - start) - literal_width(text)) <= 4  # every character of the string has ink
    assert abs((start + end) / 2 - WIDTH / 2) <= 3  # and it is centred as one line of plain text


def test_markup_neither_formats_nor_disappears():
    bold, plain = ink_columns("<b>x</b>"), ink_columns("x")
    assert bold[1] - bold[0] > 4 * (plain[1] - plain[0])
    entity, tag = ink_columns("&lt;b&gt;"), ink_columns("<b>")
    assert entity[1] - entity[0] > tag[1] - tag[0]  # entities are not decoded either
