"""Template posters: a 3:4 card with a gradient, the title in big letters and the default cast."""
from PIL import Image

from .characters import BY_KEY, crop
from .drawing import Pen, fit_font

POSTER_SIZE = (480, 640)


def _gradient(size, top, bottom):
    """A vertical gradient, made as a 1-pixel-wide strip and stretched (fast)."""
    strip = Image.new("RGB", (1, 256))
    a, b = Image.new("RGB", (1, 1), top).getpixel((0, 0)), Image.new("RGB", (1, 1), bottom).getpixel((0, 0))
    for y in range(256):
        t = y / 255
        strip.putpixel((0, y), tuple(round(a[i] + (b[i] - a[i]) * t) for i in range(3)))
    return strip.resize(size, Image.BILINEAR)


def _ink_for(color):
    r, g, b = Image.new("RGB", (1, 1), color).getpixel((0, 0))
    return "#2b2b33" if 0.299 * r + 0.587 * g + 0.114 * b > 150 else "#ffffff"


def _wrapped(title, width, size):
    """One line if it fits at a readable size, else two lines split near the middle."""
    font = fit_font(title, width, size, min_size=44)
    if font.getlength(title) <= width or " " not in title and len(title) < 8:
        return [title]
    cut = title.rfind(" ", 0, len(title) // 2 + 4) if " " in title else len(title) // 2
    return [title[:cut].strip(), title[cut:].strip()]


def _split_in_two(text, width, size=22):
    """A logline on one line when it fits at `size`, else on two, split at the space or comma
    nearest the middle."""
    if fit_font(text, width, size).size == size:
        return [text]
    middle = len(text) // 2
    breaks = [i + 1 for i, char in enumerate(text) if char in " ，、"]  # after a space or a Chinese comma
    cut = min(breaks, key=lambda i: abs(i - middle)) if breaks else middle
    return [text[:cut].strip(), text[cut:].strip()]


def template_poster(template, language):
    """The poster of one template in one language."""
    width, height = POSTER_SIZE
    card = _gradient(POSTER_SIZE, *template.colors).convert("RGBA")
    cast = [crop(BY_KEY[r.stock_key])[0] for r in template.roles]
    slot = width // max(1, len(cast))
    for n, figure in enumerate(cast):
        figure = figure.copy()
        figure.thumbnail((slot - 16, 330), Image.LANCZOS)
        x = n * slot + (slot - figure.width) // 2
        card.alpha_composite(figure, (x, height - figure.height - 24))
    pen = Pen(width, height)
    ink = _ink_for(template.colors[0])
    lines = _wrapped(template.titles[language], width - 48, 72)
    for n, line in enumerate(lines):
        pen.text((width / 2, 90 + n * 84), line, fit_font(line, width - 48, 72), ink)
    top = 110 + len(lines) * 84 - 40
    for n, line in enumerate(_split_in_two(template.loglines[language], width - 48)):
        pen.text((width / 2, top + n * 30), line, fit_font(line, width - 48, 22, min_size=14), ink)
    card.alpha_composite(pen.finish())
    return card.convert("RGB")
