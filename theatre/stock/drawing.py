"""Small drawing helpers shared by the stock characters and the template posters: a pen that draws
at twice the size and shrinks (cheap anti-aliasing), faces, limbs, fonts and PNG bytes."""
import io
import math
import subprocess
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

SCALE = 2  # draw at 2x, shrink with LANCZOS: smooth edges without a vector library
INK = "#2b2b33"
CHEEK = "#f6a5a5"


class Pen:
    """ImageDraw in logical pixels on a transparent RGBA layer drawn at SCALE times the size."""

    def __init__(self, width, height):
        self.size = (width, height)
        self.image = Image.new("RGBA", (width * SCALE, height * SCALE), (0, 0, 0, 0))
        self.draw = ImageDraw.Draw(self.image)

    def _xy(self, points):
        return [round(v * SCALE) for v in points]

    def ellipse(self, box, fill, outline=None, width=0):
        self.draw.ellipse(self._xy(box), fill=fill, outline=outline, width=width * SCALE)

    def rect(self, box, fill, radius=0, outline=None, width=0):
        self.draw.rounded_rectangle(self._xy(box), radius=radius * SCALE, fill=fill, outline=outline, width=width * SCALE)

    def polygon(self, points, fill):
        self.draw.polygon(self._xy([v for point in points for v in point]), fill=fill)

    def line(self, points, fill, width):
        flat = self._xy([v for point in points for v in point])
        self.draw.line(flat, fill=fill, width=width * SCALE, joint="curve")
        for x, y in points[:1] + points[-1:]:
            self.dot(x, y, width / 2, fill)

    def arc(self, box, start, end, fill, width):
        self.draw.arc(self._xy(box), start, end, fill=fill, width=width * SCALE)

    def dot(self, x, y, radius, fill):
        self.ellipse((x - radius, y - radius, x + radius, y + radius), fill)

    def text(self, xy, text, font, fill, anchor="mm"):
        big = font.font_variant(size=font.size * SCALE)
        self.draw.text(self._xy(xy), text, font=big, fill=fill, anchor=anchor)

    def finish(self):
        return self.image.resize(self.size, Image.LANCZOS)


def limb(pen, x, y, angle, length, width, color, end=None, end_radius=0):
    """A rounded limb from (x, y); angle 0 points down, 90 sideways (sign picks the side), 180 up.
    Returns the far end so a hand or prop can be drawn there."""
    ex = x + math.sin(math.radians(angle)) * length
    ey = y + math.cos(math.radians(angle)) * length
    pen.line([(x, y), (ex, ey)], color, width)
    if end:
        pen.dot(ex, ey, end_radius, end)
    return ex, ey


def face(pen, cx, cy, size, expression, ink=INK, cheeks=True):
    """Eyes, mouth and cheeks for one of the expressions: smile, talk, wink, surprised."""
    gap, eye = size * 0.36, size * 0.11
    big = eye * (1.5 if expression == "surprised" else 1)
    pen.dot(cx - gap, cy, big, ink)
    if expression == "wink":
        pen.arc((cx + gap - eye * 1.4, cy - eye, cx + gap + eye * 1.4, cy + eye * 1.6), 200, 340, ink, max(2, round(eye / 2)))
    else:
        pen.dot(cx + gap, cy, big, ink)
    if cheeks:
        for side in (-1, 1):
            pen.ellipse((cx + side * gap * 1.35 - eye * 1.3, cy + eye * 2.2, cx + side * gap * 1.35 + eye * 1.3, cy + eye * 3.4), CHEEK)
    my, mw = cy + size * 0.34, size * 0.22
    if expression == "talk":
        pen.ellipse((cx - mw * 0.8, my - mw * 0.35, cx + mw * 0.8, my + mw * 0.75), ink)
        pen.ellipse((cx - mw * 0.45, my + mw * 0.2, cx + mw * 0.45, my + mw * 0.65), "#e86f7c")
    elif expression == "surprised":
        pen.ellipse((cx - mw * 0.4, my - mw * 0.3, cx + mw * 0.4, my + mw * 0.6), ink)
    else:
        pen.arc((cx - mw, my - mw * 0.9, cx + mw, my + mw * 0.7), 20, 160, ink, max(2, round(size * 0.045)))


def on_background(layer, color):
    """The layer over a plain background colour, as RGB."""
    background = Image.new("RGBA", layer.size, color)
    return Image.alpha_composite(background, layer).convert("RGB")


def png_bytes(image):
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


@lru_cache(maxsize=None)
def font_path(bold=True):
    """(file, face index) of Noto Sans CJK SC as fontconfig finds it (the .ttc holds JP, KR, SC...
    and the index picks the Simplified Chinese glyphs); None without it."""
    pattern = "Noto Sans CJK SC:bold" if bold else "Noto Sans CJK SC"
    try:
        found = subprocess.run(["fc-match", "-f", "%{file}|%{index}", pattern], capture_output=True, text=True, timeout=5).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    path, _bar, index = found.partition("|")
    return (path, int(index or 0)) if path.lower().endswith((".ttc", ".otf", ".ttf")) else None


@lru_cache(maxsize=None)
def font(size, bold=True):
    found = font_path(bold)
    return ImageFont.truetype(found[0], size, index=found[1]) if found else ImageFont.load_default(size)


def fit_font(text, max_width, size, min_size=18):
    """The largest font up to `size` in which `text` fits `max_width` pixels."""
    while size > min_size and font(size).getlength(text) > max_width:
        size -= 4
    return font(size)
