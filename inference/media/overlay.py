"""Burnt-in text on film frames: the visible "AI-generated" labels every film carries, and subtitles.

The labels are GB 45438-2025's explicit label: an opening label in the film's language on the first
OPENING_SECONDS, and the bilingual mark in the corner for the whole film (and on its poster, an
image, where the standard wants a corner). Their text is sized by the height of its letters as
drawn (the ink of its Chinese characters, or its capitals), at least 5 % of the frame's shorter side.

Text layers are drawn once with Pillow (cached by text and frame size) and alpha-blended onto the
small region they cover, so burning them into every frame of a film stays cheap. Text is only ever
drawn as glyphs; nothing in it is interpreted.
"""
import math
import subprocess
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

LABEL_TEXT = "AI-generated · AI生成"
OPENING_TEXT = {"en": "This film is AI-generated", "zh-hans": "本片由人工智能生成"}  # by the script's language
OPENING_SECONDS = 2.5  # the standard asks for 2 s; a player that starts a few frames late still shows 2
MIN_TEXT_RATIO = 0.05  # text height / the frame's shorter side, the standard's minimum
# What the labels are drawn at: 10 % over the minimum for the corner, so scaling and compression
# never take it under; the opening label is larger still, as a title is.
CORNER_TEXT_RATIO, OPENING_TEXT_RATIO = 0.055, 0.07
NO_LINE_START = set("，。！？、；：）」』》…,.!?;:)")
# Debian's fonts-noto-cjk; the list is the fallback when fontconfig is missing.
CJK_FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)


@lru_cache(maxsize=1)
def font_path() -> str | None:
    """The CJK-capable font file: fontconfig's answer first, then known Debian paths."""
    try:
        found = subprocess.run(["fc-match", "-f", "%{file}", "Noto Sans CJK SC"], capture_output=True,
                               text=True, timeout=5).stdout.strip()
        if found and Path(found).exists():
            return found
    except (OSError, subprocess.SubprocessError):
        pass
    return next((path for path in CJK_FONT_CANDIDATES if Path(path).exists()), None)


@lru_cache(maxsize=32)
def get_font(size: int) -> ImageFont.ImageFont:
    path = font_path()
    if path:
        return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)


class Layer:
    """An RGBA text layer made ready to blend, once: 255 - alpha, and the colour times alpha, as
    16-bit integers, so each frame costs one multiply-add over the region it covers."""

    def __init__(self, image: Image.Image):
        rgba = np.asarray(image.convert("RGBA"), dtype=np.uint16)
        self.inverse = 255 - rgba[..., 3:4]
        self.colour = rgba[..., :3] * rgba[..., 3:4]
        self.height, self.width = rgba.shape[:2]


def _blend_into(out: np.ndarray, layer: Layer, x: int, y: int) -> np.ndarray:
    """Alpha-blends the layer onto `out` at (x, y) in place, touching only that region."""
    x0, y0 = max(x, 0), max(y, 0)
    x1, y1 = min(x + layer.width, out.shape[1]), min(y + layer.height, out.shape[0])
    if x1 > x0 and y1 > y0:
        region = out[y0:y1, x0:x1].astype(np.uint16)  # at most 255 * 255 after the sum: no overflow
        mixed = region * layer.inverse[y0 - y:y1 - y, x0 - x:x1 - x] + layer.colour[y0 - y:y1 - y, x0 - x:x1 - x]
        out[y0:y1, x0:x1] = (mixed + 127) // 255
    return out


def _blend(frame: np.ndarray, layer: Layer, x: int, y: int) -> np.ndarray:
    """A copy of the frame with the layer blended in at (x, y)."""
    return _blend_into(np.array(frame, dtype=np.uint8, copy=True), layer, x, y)


def _is_cjk(char: str) -> bool:
    return "\u2e80" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


def text_height(font, text: str) -> int:
    """How tall the text's letters are drawn, in pixels: the ink of its Chinese characters when it
    has some, else of its capitals (descenders and accents do not count)."""
    sample = "".join(c for c in text if _is_cjk(c)) or "".join(c for c in text if c.isupper()) or text
    left, top, right, bottom = font.getbbox(sample)
    return bottom - top


@lru_cache(maxsize=32)
def font_size_for(pixels: float, text: str) -> int:
    """The font size whose letters are at least `pixels` tall. Measured at a large size, where the
    outline's proportions are exact: at small sizes hinting and antialiasing blur the ink box."""
    reference = 200
    return max(8, math.ceil(pixels * reference / max(1, text_height(get_font(reference), text))))


def _pill(text: str, size: int, opacity: int):
    font = get_font(size)
    left, top, right, bottom = font.getbbox(text)
    pad_x, pad_y = round(size * 0.5), round(size * 0.3)
    layer = Image.new("RGBA", (right - left + 2 * pad_x, bottom - top + 2 * pad_y), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    draw.rounded_rectangle((0, 0, layer.width - 1, layer.height - 1), radius=layer.height // 2, fill=(0, 0, 0, opacity))
    draw.text((pad_x - left, pad_y - top), text, font=font, fill=(255, 255, 255, 255))
    return Layer(layer)


@lru_cache(maxsize=8)
def _label_layer(width: int, height: int, text: str):
    short = min(width, height)
    layer = _pill(text, font_size_for(CORNER_TEXT_RATIO * short, text), 160)
    margin = round(short * 0.025)
    return layer, width - layer.width - margin, height - layer.height - margin


def label_box(width: int, height: int, text: str = LABEL_TEXT) -> tuple[int, int, int, int]:
    """(left, top, right, bottom) of the corner mark on a frame of this size; tests and subtitles use it."""
    layer, x, y = _label_layer(width, height, text)
    return x, y, x + layer.width, y + layer.height


def draw_label(frame: np.ndarray, text: str = LABEL_TEXT) -> np.ndarray:
    """A copy of the frame with the "AI-generated" mark in a dark pill at the bottom right."""
    layer, x, y = _label_layer(frame.shape[1], frame.shape[0], text)
    return _blend(frame, layer, x, y)


def opening_text(language: str) -> str:
    return OPENING_TEXT.get(language, LABEL_TEXT)


@lru_cache(maxsize=8)
def _opening_layer(width: int, height: int, text: str):
    """Centred near the top, clear of the subtitles and the corner mark; as large as
    OPENING_TEXT_RATIO allows within 90 % of the width, never under the corner mark's size."""
    short = min(width, height)
    size = font_size_for(OPENING_TEXT_RATIO * short, text)
    floor = font_size_for(CORNER_TEXT_RATIO * short, text)
    layer = _pill(text, size, 170)
    while layer.width > 0.9 * width and size > floor:
        size -= 1
        layer = _pill(text, size, 170)
    return layer, (width - layer.width) // 2, round(short * 0.06)


def opening_box(width: int, height: int, language: str) -> tuple[int, int, int, int]:
    """(left, top, right, bottom) of the opening label on a frame of this size."""
    layer, x, y = _opening_layer(width, height, opening_text(language))
    return x, y, x + layer.width, y + layer.height


def draw_labels(frame: np.ndarray, t: float, language: str = "en") -> np.ndarray:
    """The frame `t` seconds into the film with its explicit labels: the corner mark, and during
    the first OPENING_SECONDS the opening label in the film's language."""
    frame = draw_label(frame)
    if t < OPENING_SECONDS:
        layer, x, y = _opening_layer(frame.shape[1], frame.shape[0], opening_text(language))
        _blend_into(frame, layer, x, y)  # the copy draw_label made
    return frame


@lru_cache(maxsize=64)
def _subtitle_layer(width: int, height: int, text: str):
    size = max(12, round(height * 0.05))
    font = get_font(size)
    lines = _wrap(text, font, int(width * 0.86))
    stroke = max(1, size // 12)
    line_height = round(size * 1.3)
    layer = Image.new("RGBA", (width, line_height * len(lines) + 2 * stroke), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    for row, line in enumerate(lines):
        line_width = draw.textlength(line, font=font)
        draw.text(((width - line_width) / 2, row * line_height), line, font=font, fill=(255, 255, 255, 255),
                  stroke_width=stroke, stroke_fill=(0, 0, 0, 255))
    # Sits above the corner mark so the two never overlap.
    bottom = min(height - round(height * 0.1), label_box(width, height)[1] - round(height * 0.015))
    return Layer(layer), 0, bottom - layer.height


def _wrap(text: str, font, max_width: int) -> list[str]:
    """Wraps on spaces for spaced scripts and per character for Chinese/Japanese text."""
    text = " ".join(text.split())
    if not text:
        return []
    if " " in text:
        words, lines, current = text.split(" "), [], ""
        for word in words:
            candidate = f"{current} {word}".strip()
            if current and font.getlength(candidate) > max_width:
                lines.append(current)
                current = word
            else:
                current = candidate
        return lines + [current]
    lines, current = [], ""
    for char in text:
        # Closing punctuation never starts a line (the usual CJK line-breaking rule).
        if current and char not in NO_LINE_START and font.getlength(current + char) > max_width:
            lines.append(current)
            current = char
        else:
            current += char
    return lines + [current] if current else lines


def draw_subtitle(frame: np.ndarray, text: str) -> np.ndarray:
    """A copy of the frame with the subtitle wrapped, outlined and centred near the bottom."""
    if not text or not text.strip():
        return np.array(frame, copy=True)
    layer, x, y = _subtitle_layer(frame.shape[1], frame.shape[0], text)
    return _blend(frame, layer, x, y)


__all__ = ["LABEL_TEXT", "OPENING_SECONDS", "draw_label", "draw_labels", "draw_subtitle", "get_font", "font_path",
           "label_box", "opening_box", "opening_text", "text_height"]
