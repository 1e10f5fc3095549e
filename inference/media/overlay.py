"""Burnt-in text on film frames: the visible "AI-generated" label every film carries, and subtitles.

Text layers are drawn once with Pillow (cached by text and frame size) and alpha-blended onto the
small region they cover, so burning them into every frame of a film stays cheap. Text is only ever
drawn as glyphs; nothing in it is interpreted.
"""
import subprocess
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

LABEL_TEXT = "AI-generated · AI生成"
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


def _blend(frame: np.ndarray, layer: Image.Image, x: int, y: int) -> np.ndarray:
    """Alpha-blends an RGBA layer onto a copy of the frame at (x, y), touching only that region."""
    out = np.array(frame, dtype=np.uint8, copy=True)
    rgba = np.asarray(layer, dtype=np.float32)
    x0, y0 = max(x, 0), max(y, 0)
    x1, y1 = min(x + layer.width, out.shape[1]), min(y + layer.height, out.shape[0])
    if x1 <= x0 or y1 <= y0:
        return out
    part = rgba[y0 - y:y1 - y, x0 - x:x1 - x]
    alpha = part[..., 3:4] / 255.0
    region = out[y0:y1, x0:x1].astype(np.float32)
    out[y0:y1, x0:x1] = (region * (1 - alpha) + part[..., :3] * alpha + 0.5).astype(np.uint8)
    return out


@lru_cache(maxsize=8)
def _label_layer(width: int, height: int, text: str):
    size = max(11, round(height * 0.032))
    font = get_font(size)
    left, top, right, bottom = font.getbbox(text)
    pad_x, pad_y = round(size * 0.6), round(size * 0.35)
    layer = Image.new("RGBA", (right - left + 2 * pad_x, bottom - top + 2 * pad_y), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    draw.rounded_rectangle((0, 0, layer.width - 1, layer.height - 1), radius=layer.height // 2, fill=(0, 0, 0, 150))
    draw.text((pad_x - left, pad_y - top), text, font=font, fill=(255, 255, 255, 235))
    margin = round(height * 0.025)
    return layer, width - layer.width - margin, height - layer.height - margin


def label_box(width: int, height: int, text: str = LABEL_TEXT) -> tuple[int, int, int, int]:
    """(left, top, right, bottom) of the label on a frame of this size; tests and the poster use it."""
    layer, x, y = _label_layer(width, height, text)
    return x, y, x + layer.width, y + layer.height


def draw_label(frame: np.ndarray, text: str = LABEL_TEXT) -> np.ndarray:
    """A copy of the frame with the "AI-generated" label in a dark pill at the bottom right."""
    layer, x, y = _label_layer(frame.shape[1], frame.shape[0], text)
    return _blend(frame, layer, x, y)


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
    # Sits above the label row so the two never overlap.
    return layer, 0, height - layer.height - round(height * 0.1)


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


__all__ = ["LABEL_TEXT", "draw_label", "draw_subtitle", "get_font", "font_path", "label_box"]
