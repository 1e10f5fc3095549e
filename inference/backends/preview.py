"""The CPU preview renderer: a storyboard animatic in which the avatars act with their own clips.

Each figure plays the matted frames of its avatar's clip (inference/media/matte.py): an idle loop
while silent, frames chosen to follow the line's loudness while it speaks (acting.py). Avatars
without a matte (stock characters, older avatars) fall back to their cut-out picture, which leans
in with the voice. The set is one per scene (scenery.plan_sets): painted once, reused by every shot
of the scene, and changed only where a shot's words name another place or time of day. Per frame
only the set is cropped and the figures resized and pasted, so a 15 s 480p film renders in
seconds on two cores and memory stays flat in the film's length. Deterministic for a given seed.
"""
import logging
import math
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from inference.backends import acting, scenery
from inference.backends.base import Backend, frame_count, load_subject_image, shot_cast, shot_position
from inference.media.overlay import get_font

logger = logging.getLogger(__name__)

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
class Subject:
    """One role's look: its matted clip (RGBA frames, motion) or, without one, its still cut-out."""

    role_key: str
    still: Image.Image  # RGBA (or RGB for the oval fallback): the first frame, or the picture
    frames: np.ndarray | None = None  # (T, h, w, 4) straight-alpha clip frames
    motion: acting.ClipMotion | None = None
    face_box: tuple | None = None


@dataclass
class Figure:
    """One role's cut-out, laid out for the shot in frame coordinates at zoom 1."""

    role_key: str
    image: Image.Image  # RGBA, at its size in the frame at zoom 1 (the first frame for a clip)
    cx: float  # centre x
    bottom: float  # bottom edge y
    depth: float = 1.0  # 1 = on the set; >1 = foreground (moves more in an orbit)
    speaks: bool = True
    frames: np.ndarray | None = None  # (T, h, w, 4) the framed part of the clip, at the clip's size
    motion: acting.ClipMotion | None = None
    schedule: np.ndarray | None = None  # the clip frame shown at each frame of the shot

    def picture(self, index: int) -> Image.Image:
        if self.frames is None or self.schedule is None:
            return self.image
        return Image.fromarray(np.ascontiguousarray(self.frames[self.schedule[min(index, len(self.schedule) - 1)]]))


class PreviewBackend(Backend):
    name = "preview"
    model = "preview-animatic-1"

    def __init__(self, **_options):
        self._sets = OrderedDict()  # the last few painted sets: shots of one scene share them
        self._subjects = {}  # role key -> (what it was loaded from, Subject): once per film

    def render_shot(self, film, shot, *, on_step=None, loudness=None):
        width, height, fps = film.width, film.height, film.fps
        position = shot_position(film, shot)
        stage = self._stage(film, position, round(width * MARGIN), round(height * MARGIN))
        figures = layout_figures(film, shot, width, height, lambda ref: self._subject(ref, film.fps))
        caption = caption_layer(f"{position} / {len(film.shots)} · "
                                f"{FRAMING_WORDS.get(shot.framing, shot.framing)}", height)
        loudness = loudness or _loudness_from_lines(shot)
        total = frame_count(film, shot)
        times = np.arange(total) / fps
        # The whole shot's loudness up front: a clip figure's frames are chosen for the shot at once.
        levels = {f.role_key: np.array([loudness(f.role_key, t) for t in times], np.float32)
                  for f in figures if f.speaks}
        plan_acting(figures, levels, total, np.random.default_rng([film.seed, position, 7]))
        for i in range(total):
            frame = compose_frame(stage, figures, camera(shot.camera_move, i / max(total - 1, 1)),
                                  {key: float(values[i]) for key, values in levels.items()}, width, height, i)
            frame.paste(caption, (round(height * 0.025), round(height * 0.025)), caption)
            if on_step:
                on_step(i + 1, total)
            yield np.asarray(frame)

    def _stage(self, film, position: int, width: int, height: int) -> Image.Image:
        """The scene's set, painted once: a generator seeded by the film's seed and the scene number
        draws the same props for every shot of the scene."""
        choice = scenery.plan_sets(film.title, [s.action for s in film.shots])[position - 1]
        key = (film.seed, choice, width, height)
        if key not in self._sets:
            rng = np.random.default_rng([film.seed, 1000 + choice.scene])
            self._sets[key] = scenery.paint_set(choice, width, height, rng)
            while len(self._sets) > 2:
                self._sets.popitem(last=False)
        return self._sets[key]

    def _subject(self, ref, fps: float) -> "Subject | None":
        """The role's subject, loaded (and its clip's distances computed) once for all its shots."""
        key = (getattr(ref, "matte", None), ref.crop, tuple(ref.reference_images), fps)
        cached = self._subjects.get(ref.role_key)
        if cached is not None and cached[0] == key:
            return cached[1]
        subject = load_subject(ref, fps)
        self._subjects[ref.role_key] = (key, subject)
        return subject


def load_subject(ref, film_fps: float = 24.0) -> Subject | None:
    """The role's matted clip when it has one that loads; else its still picture (today's cut-out)."""
    matte = getattr(ref, "matte", None)
    if matte and Path(matte).exists():
        try:
            from inference.media.matte import load_matte

            with open(matte, "rb") as handle:
                clip = load_matte(handle)
            rgba = np.asarray(clip.rgba, np.uint8)
            if rgba.ndim == 4 and rgba.shape[0] >= 1 and rgba.shape[3] == 4 and _holds_its_face(rgba, clip.face_box):
                motion = acting.clip_motion(rgba, clip.energy, clip.fps, film_fps)
                return Subject(ref.role_key, Image.fromarray(rgba[0]), rgba, motion, clip.face_box)
            logger.warning("the matte of %s does not hold its subject; using its picture", ref.role_key)
        except Exception:  # a damaged matte must not stop the render: the picture still works
            logger.warning("could not load the matte of %s; using its picture", ref.role_key, exc_info=True)
    image = load_subject_image(ref)
    return None if image is None else Subject(ref.role_key, image)


def _holds_its_face(rgba: np.ndarray, face_box) -> bool:
    """False for a matte that cut away most of the face it found: showing the picture is better
    than showing the figure in pieces. Without a face box (pets, objects) it is trusted."""
    if not face_box:
        return True
    x0, y0, x1, y1 = (int(v) for v in face_box)
    face = rgba[:, max(y0, 0):max(y1, 0), max(x0, 0):max(x1, 0), 3]
    return face.size == 0 or float(face.mean()) / 255.0 >= 0.5


def plan_acting(figures: list[Figure], levels: dict, total: int, rng: np.random.Generator) -> None:
    """Gives every clip figure its schedule: the idle loop from a seeded point while silent, the
    loudness-following frames while its voice is heard in the shot."""
    for figure in figures:
        if figure.frames is None:
            continue
        cycle = len(acting.idle_loop(figure.motion))
        offset = int(rng.integers(0, cycle))  # two figures from one clip do not move in step
        voice = levels.get(figure.role_key)
        idle = acting.idle_frames(figure.motion, total, offset)
        if voice is not None and len(voice) and float(voice.max()) > 0.05:
            figure.schedule = acting.speaking_frames(figure.motion, voice, idle)
        else:
            figure.schedule = idle


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
                  height: int, index: int = 0) -> Image.Image:
    """One frame: the set cropped by the camera, then every figure at its clip frame `index`.
    `levels` (role -> loudness) only moves still pictures, which lean in and bob with the voice;
    a figure with a clip shows its speech through the clip's own frames instead."""
    zoom, set_shift, figure_shift = cam
    view_w, view_h = width / zoom, height / zoom
    cx = stage.width / 2 + set_shift * width
    cy = stage.height / 2
    box = (cx - view_w / 2, cy - view_h / 2, cx + view_w / 2, cy + view_h / 2)
    frame = stage.resize((width, height), Image.Resampling.BILINEAR, box=box)
    for figure in figures:
        level = min(max(levels.get(figure.role_key, 0.0), 0.0), 1.0) if figure.frames is None else 0.0
        scale = zoom * (1.0 + 0.07 * level)
        size = (max(1, round(figure.image.width * scale)), max(1, round(figure.image.height * scale)))
        shift = -figure_shift * width * figure.depth
        x = width / 2 + (figure.cx + shift - width / 2) * zoom - size[0] / 2
        bottom = height / 2 + (figure.bottom - height / 2) * zoom - 0.03 * height * level
        image = figure.picture(index).resize(size, Image.Resampling.BILINEAR)
        frame.paste(image, (round(x), round(bottom - size[1])), image)
    return frame


def layout_figures(film, shot, width: int, height: int, subject_of=None) -> list[Figure]:
    """Cuts out and places every role in the shot; several roles stand side by side."""
    subject_of = subject_of or (lambda ref: load_subject(ref, film.fps))
    cast = [subject_of(ref) for ref in shot_cast(film, shot)]
    cast = [subject for subject in cast if subject is not None]
    if not cast:
        return []
    if shot.framing == "over_the_shoulder":
        return _over_the_shoulder(cast, width, height)
    if shot.framing == "extreme_close_up":  # a detail of one subject: the one who speaks first
        speaker = next((line.role_key for line in shot.lines), None)
        cast = [s for s in cast if s.role_key == speaker][:1] or cast[:1]
    span, height_frac, bottom_frac = FRAMING_LAYOUT.get(shot.framing, FRAMING_LAYOUT["medium"])
    framed = [_framed(subject, span, shot.framing == "extreme_close_up") for subject in cast]
    target_h = height * height_frac
    sizes = [(first.width * target_h / first.height, target_h) for first, _ in framed]
    slot = width * 0.96 / len(framed)
    fit = min([1.0] + [slot / w for w, _ in sizes])  # shrink together until they fit side by side
    figures = []
    for n, (subject, (first, frames), (w, h)) in enumerate(zip(cast, framed, sizes)):
        size = (max(1, round(w * fit)), max(1, round(h * fit)))
        figures.append(Figure(subject.role_key, first.resize(size, Image.Resampling.LANCZOS),
                              cx=width * (n + 0.5) / len(framed) if len(framed) > 1 else width / 2,
                              bottom=height * bottom_frac, frames=frames, motion=subject.motion))
    return figures


def _over_the_shoulder(cast: list[Subject], width: int, height: int) -> list[Figure]:
    """The first role large, dark and blurred in the left foreground; the next one facing us."""
    figures = []
    if len(cast) == 1:
        facing = cast[0]
        shoulder = _silhouette(int(height * 0.7), int(height * 1.1))
        figures.append(Figure("", shoulder, cx=width * 0.12, bottom=height * 1.25, depth=1.8, speaks=False))
    else:
        back, facing = cast[0], cast[1]
        # Out of focus in the foreground: its own first frame, darkened, is enough and costs nothing
        # per frame.
        shoulder = _darken_blur(_framed(back, (0.0, 0.7), False)[0], height * 1.25)
        figures.append(Figure(back.role_key, shoulder, cx=width * 0.12, bottom=height * 1.3, depth=1.8,
                              speaks=False))
    face, frames = _framed(facing, (0.0, 0.6), False)
    target_h = height * 0.8
    face = face.resize((max(1, round(face.width * target_h / face.height)), round(target_h)),
                       Image.Resampling.LANCZOS)
    figures.insert(0, Figure(facing.role_key, face, cx=width * 0.66, bottom=height * 1.0, frames=frames,
                             motion=facing.motion))
    return figures


def _framed(subject: Subject, span, detail: bool) -> tuple[Image.Image, np.ndarray | None]:
    """The part of the subject a framing shows: (its first frame as RGBA, the clip's frames cropped
    the same way, or None for a still). A clip is cropped around everywhere its subject goes in
    any frame, so the crop stays put while the figure moves inside it."""
    if subject.frames is None:
        return _cutout(subject.still, span, detail), None
    x0, y0, x1, y1 = acting.subject_box(subject.frames)
    if detail and subject.face_box:  # extreme close-up: the face itself, with a little room
        fx0, fy0, fx1, fy1 = subject.face_box
        pad_x, pad_y = 0.15 * (fx1 - fx0), 0.15 * (fy1 - fy0)
        x0, x1 = max(x0, round(fx0 - pad_x)), min(x1, round(fx1 + pad_x))
        y0, y1 = max(y0, round(fy0 - pad_y)), min(y1, round(fy1 + pad_y))
    else:
        h = y1 - y0
        y0, y1 = y0 + round(h * span[0]), max(y0 + round(h * span[1]), y0 + round(h * span[0]) + 1)
        if detail:
            w = x1 - x0
            x0, x1 = x0 + round(w * 0.2), x0 + round(w * 0.8)
    x1, y1 = max(x1, x0 + 1), max(y1, y0 + 1)
    frames = subject.frames[:, y0:y1, x0:x1]
    return Image.fromarray(np.ascontiguousarray(frames[0])), frames


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
