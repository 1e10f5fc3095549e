"""The CPU preview renderer: a storyboard animatic made from the avatars' own pictures, no weights.

Per shot it paints a simple set chosen by keywords in the shot's words (English and Chinese), places
the cast's subject crops by the shot's framing, and animates the camera move and the speaker's
loudness. Layers are built once per shot; each frame only crops/resizes the set and pastes the
figures, so a 15 s 480p film renders in seconds on two cores. Deterministic for a given seed.
"""
import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from inference.backends import scenery
from inference.backends.base import Backend, frame_count, load_subject_image, shot_cast, shot_position
from inference.media.overlay import get_font

MARGIN = 1.3  # the set is painted this much larger than the frame so the camera can travel
FRAMING_WORDS = {"wide": "wide", "full": "full shot", "medium": "medium", "close_up": "close-up",
                 "extreme_close_up": "extreme close-up", "over_the_shoulder": "over the shoulder"}

# framing -> (top, bottom) fraction of the crop shown, figure height as a fraction of the frame
# height, and where the figure's bottom edge sits (fraction of frame height).
FRAMING_LAYOUT = {
    "wide": ((0.0, 1.0), 0.34, 0.86),
    "full": ((0.0, 1.0), 0.80, 0.95),
    "medium": ((0.0, 0.62), 0.86, 1.0),
    "close_up": ((0.0, 0.5), 1.05, 1.08),
    "extreme_close_up": ((0.12, 0.42), 1.6, 1.3),
}


@dataclass
class Figure:
    """One role's cut-out, laid out for the shot in frame coordinates at zoom 1."""

    role_key: str
    image: Image.Image  # RGBA
    cx: float  # centre x
    bottom: float  # bottom edge y
    depth: float = 1.0  # 1 = on the set; >1 = foreground (moves more in an orbit)
    speaks: bool = True


class PreviewBackend(Backend):
    name = "preview"
    model = "preview-animatic-1"

    def __init__(self, **_options):
        pass

    def render_shot(self, film, shot, *, on_step=None, loudness=None):
        width, height, fps = film.width, film.height, film.fps
        rng = np.random.default_rng([film.seed, shot_position(film, shot)])
        words = " ".join([shot.action, film.title] + [line.text for line in shot.lines])
        stage = scenery.paint_set(words, round(width * MARGIN), round(height * MARGIN), rng)
        figures = layout_figures(film, shot, width, height)
        caption = caption_layer(f"{shot_position(film, shot)} / {len(film.shots)} · "
                                f"{FRAMING_WORDS.get(shot.framing, shot.framing)}", height)
        loudness = loudness or _loudness_from_lines(shot)
        total = frame_count(film, shot)
        for i in range(total):
            t = i / fps
            frame = compose_frame(stage, figures, camera(shot.camera_move, i / max(total - 1, 1)),
                                  {f.role_key: loudness(f.role_key, t) for f in figures if f.speaks},
                                  width, height)
            frame.paste(caption, (round(height * 0.025), round(height * 0.025)), caption)
            if on_step:
                on_step(i + 1, total)
            yield np.asarray(frame)


def camera(move: str, progress: float) -> tuple[float, float, float]:
    """(zoom, set shift, figure shift) at 0..1 through the shot; shifts are fractions of the width."""
    ease = 0.5 - 0.5 * math.cos(math.pi * progress)  # starts and stops gently
    if move == "pan":
        shift = (ease - 0.5) * (MARGIN - 1) * 0.9
        return 1.0, shift, shift
    if move == "push_in":
        return 1.0 + 0.3 * ease, 0.0, 0.0
    if move == "pull_out":
        return 1.3 - 0.3 * ease, 0.0, 0.0
    if move == "orbit":
        shift = (ease - 0.5) * (MARGIN - 1) * 0.8
        return 1.04, shift, -0.6 * shift  # parallax: the set and the figures travel opposite ways
    drift = math.sin(2 * math.pi * progress)  # static: a subtle breathing drift
    return 1.015 + 0.01 * drift, 0.004 * drift, 0.004 * drift


def compose_frame(stage: Image.Image, figures: list[Figure], cam, levels: dict, width: int,
                  height: int) -> Image.Image:
    zoom, set_shift, figure_shift = cam
    view_w, view_h = width / zoom, height / zoom
    cx = stage.width / 2 + set_shift * width
    cy = stage.height / 2
    box = (cx - view_w / 2, cy - view_h / 2, cx + view_w / 2, cy + view_h / 2)
    frame = stage.resize((width, height), Image.Resampling.BILINEAR, box=box)
    for figure in figures:
        level = min(max(levels.get(figure.role_key, 0.0), 0.0), 1.0)
        scale = zoom * (1.0 + 0.07 * level)  # the speaker leans in with the voice
        size = (max(1, round(figure.image.width * scale)), max(1, round(figure.image.height * scale)))
        shift = -figure_shift * width * figure.depth
        x = width / 2 + (figure.cx + shift - width / 2) * zoom - size[0] / 2
        bottom = height / 2 + (figure.bottom - height / 2) * zoom - 0.03 * height * level  # and bobs up
        image = figure.image.resize(size, Image.Resampling.BILINEAR)
        frame.paste(image, (round(x), round(bottom - size[1])), image)
    return frame


def layout_figures(film, shot, width: int, height: int) -> list[Figure]:
    """Cuts out and places every role in the shot; several roles stand side by side."""
    cast = [(ref.role_key, load_subject_image(ref)) for ref in shot_cast(film, shot)]
    cast = [(key, image) for key, image in cast if image is not None]
    if not cast:
        return []
    if shot.framing == "over_the_shoulder":
        return _over_the_shoulder(cast, width, height)
    if shot.framing == "extreme_close_up":  # a detail of one subject: the one who speaks first
        speaker = next((line.role_key for line in shot.lines), None)
        cast = [entry for entry in cast if entry[0] == speaker][:1] or cast[:1]
    span, height_frac, bottom_frac = FRAMING_LAYOUT.get(shot.framing, FRAMING_LAYOUT["medium"])
    cutouts = [_cutout(image, span, shot.framing == "extreme_close_up") for _, image in cast]
    target_h = height * height_frac
    sizes = [(c.width * target_h / c.height, target_h) for c in cutouts]
    slot = width * 0.96 / len(cutouts)
    fit = min([1.0] + [slot / w for w, _ in sizes])  # shrink together until they fit side by side
    figures = []
    for n, ((key, _), cutout, (w, h)) in enumerate(zip(cast, cutouts, sizes)):
        size = (max(1, round(w * fit)), max(1, round(h * fit)))
        figures.append(Figure(key, cutout.resize(size, Image.Resampling.LANCZOS),
                              cx=width * (n + 0.5) / len(cutouts) if len(cutouts) > 1 else width / 2,
                              bottom=height * bottom_frac))
    return figures


def _over_the_shoulder(cast, width: int, height: int) -> list[Figure]:
    """The first role large, dark and blurred in the left foreground; the next one facing us."""
    figures = []
    if len(cast) == 1:
        facing_key, facing = cast[0]
        shoulder = _silhouette(int(height * 0.7), int(height * 1.1))
    else:
        (back_key, back), (facing_key, facing) = cast[0], cast[1]
        shoulder = _darken_blur(_cutout(back, (0.0, 0.7), False), height * 1.25)
        figures.append(Figure(back_key, shoulder, cx=width * 0.12, bottom=height * 1.3, depth=1.8,
                              speaks=False))
    if len(cast) == 1:
        figures.append(Figure("", shoulder, cx=width * 0.12, bottom=height * 1.25, depth=1.8, speaks=False))
    face = _cutout(facing, (0.0, 0.6), False)
    target_h = height * 0.8
    face = face.resize((max(1, round(face.width * target_h / face.height)), round(target_h)),
                       Image.Resampling.LANCZOS)
    figures.insert(0, Figure(facing_key, face, cx=width * 0.66, bottom=height * 1.0))
    return figures


def _cutout(image: Image.Image, span, detail: bool) -> Image.Image:
    """The visible part of a subject picture as RGBA; pictures without alpha get a soft oval mask."""
    rgba = image if image.mode == "RGBA" else _soft_mask(image.convert("RGB"))
    top, bottom = round(rgba.height * span[0]), max(round(rgba.height * span[1]), round(rgba.height * span[0]) + 1)
    left, right = 0, rgba.width
    if detail:  # extreme close-up: the middle of the face region, not the whole width
        left, right = round(rgba.width * 0.2), round(rgba.width * 0.8)
    return rgba.crop((left, top, right, bottom))


@lru_cache(maxsize=8)
def _oval(width: int, height: int) -> Image.Image:
    mask = Image.new("L", (width, height), 0)
    ImageDraw.Draw(mask).ellipse((width * 0.04, height * 0.02, width * 0.96, height * 1.4), fill=255)
    return mask.filter(ImageFilter.GaussianBlur(max(1, min(width, height) // 30)))


def _soft_mask(image: Image.Image) -> Image.Image:
    """Keys out a plain backdrop (the colour of the picture's border) inside a soft oval."""
    pixels = np.asarray(image, dtype=np.int16)
    border = np.concatenate([pixels[0], pixels[-1], pixels[:, 0], pixels[:, -1]])
    backdrop = np.median(border, axis=0)
    distance = np.abs(pixels - backdrop).sum(axis=2)
    # A busy border means a photo without a plain backdrop: keep everything inside the oval.
    if np.abs(border - backdrop).sum(axis=1).mean() > 60:
        keyed = np.full(distance.shape, 255, np.uint8)
    else:
        keyed = np.clip((distance - 30) * 6, 0, 255).astype(np.uint8)
    alpha = Image.fromarray(keyed).filter(ImageFilter.GaussianBlur(1))
    alpha = Image.fromarray(np.minimum(np.asarray(alpha), np.asarray(_oval(image.width, image.height))))
    out = image.convert("RGBA")
    out.putalpha(alpha)
    return out


def _darken_blur(image: Image.Image, target_h: float) -> Image.Image:
    scale = target_h / image.height
    small = image.resize((max(1, round(image.width * scale)), round(target_h)), Image.Resampling.BILINEAR)
    rgb = Image.eval(small.convert("RGB"), lambda v: v // 3)
    blurred = rgb.filter(ImageFilter.GaussianBlur(max(2, round(target_h / 60))))
    blurred.putalpha(small.getchannel("A").filter(ImageFilter.GaussianBlur(max(2, round(target_h / 60)))))
    return blurred


def _silhouette(width: int, height: int) -> Image.Image:
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((width * 0.3, 0, width * 0.8, height * 0.45), fill=(25, 22, 30, 235))
    draw.ellipse((0, height * 0.35, width, height * 1.4), fill=(25, 22, 30, 235))
    return image.filter(ImageFilter.GaussianBlur(max(2, height // 50)))


def caption_layer(text: str, frame_height: int) -> Image.Image:
    font = get_font(max(10, round(frame_height * 0.03)))
    left, top, right, bottom = font.getbbox(text)
    pad = max(4, (bottom - top) // 2)
    layer = Image.new("RGBA", (right - left + 2 * pad, bottom - top + 2 * pad), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    draw.rounded_rectangle((0, 0, layer.width - 1, layer.height - 1), radius=pad, fill=(0, 0, 0, 120))
    draw.text((pad - left, pad - top), text, font=font, fill=(255, 255, 255, 220))
    return layer


def _loudness_from_lines(shot):
    """Without a voice track: a syllable-like pulse while a role's line is being spoken."""
    def loudness(role_key: str, t: float) -> float:
        for line in shot.lines:
            if line.role_key == role_key and line.start <= t < line.end:
                return 0.5 + 0.5 * math.sin(2 * math.pi * 4.0 * (t - line.start)) ** 2
        return 0.0

    return loudness
