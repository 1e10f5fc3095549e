"""Cut the avatar's subject out of the frames of its clip: a small RGBA clip (the matte) that the
preview renderer plays as the figure, with how much each frame "speaks".

CPU only, no model: a background model from the clip itself (the temporal median of the frames,
and the colours of the frame's own border), GrabCut seeded from what moves, from the subject's
colour contrast and, when one is found, from a face; then the alpha is smoothed in time. Nothing
here assumes a face: a person, a pet, a cartoon and an object go through the same steps, and a
face only adds seeds.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

import cv2
import numpy as np

from .subject import find_face

OUT_HEIGHT = 320  # the stored matte's height (the renderer scales it to the framing)
MAX_WIDTH = 480
WORK_HEIGHT = 160  # segmentation runs at half size: GrabCut's cost grows with the pixel count
MAX_FPS = 15.0  # enough for a preview's idle motion and lip flaps, and keeps the file small
GRABCUT_ITERATIONS = 3
JPEG_QUALITY = 90

__all__ = ["MatteClip", "MatteError", "compute_matte", "load_matte", "save_matte", "MAX_FPS"]


class MatteError(Exception):
    """No usable cut-out could be made from these frames (too few, or nothing found)."""


@dataclass(frozen=True)
class MatteClip:
    rgba: np.ndarray  # uint8 (T, h, w, 4), straight (not premultiplied) alpha
    fps: float
    energy: np.ndarray  # float32 (T,), 0..1: how much each frame is a "speaking" one
    face_box: tuple[int, int, int, int] | None  # x0, y0, x1, y1 in rgba pixels; None: no face

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) of one frame."""
        return self.rgba.shape[2], self.rgba.shape[1]


def compute_matte(frames: list[np.ndarray], fps: float, audio: np.ndarray | None = None,
                  sample_rate: int | None = None, crop=None) -> MatteClip:
    """The matte of `frames` (RGB uint8, all one size, evenly spaced at `fps`) inside `crop`
    ([left, top, right, bottom] fractions of the frame; None: the whole frame)."""
    if len(frames) < 2:
        raise MatteError("too few frames")
    height, width = frames[0].shape[:2]
    if any(f.shape != frames[0].shape for f in frames) or frames[0].ndim != 3:
        raise MatteError("frames differ in size")
    x0, y0, x1, y1 = _region(crop, width, height)
    out_w, out_h = _out_size(x1 - x0, y1 - y0)
    work_h = min(WORK_HEIGHT, out_h)
    work_w = max(8, round(out_w * work_h / out_h))
    region = [f[y0:y1, x0:x1] for f in frames]
    out = np.stack([cv2.resize(r, (out_w, out_h), interpolation=cv2.INTER_AREA) for r in region])
    work = np.stack([cv2.resize(r, (work_w, work_h), interpolation=cv2.INTER_AREA) for r in region])
    border = _frame_border_colours(frames, (x0, y0, x1, y1))
    face = _face_in(out)
    face_work = None if face is None else _scale_box(face, work_w / out_w, work_h / out_h)
    masks = _segment(work, border, face_work)
    alpha = _smooth_alpha(masks, (out_w, out_h))
    rgba = np.concatenate([out, alpha[..., None]], axis=3)
    energy = _energy(out, alpha, fps, face, audio, sample_rate)
    return MatteClip(rgba=rgba, fps=float(fps), energy=energy, face_box=face)


# --- geometry ------------------------------------------------------------------------------------

def _region(crop, width, height):
    if crop is None:
        return 0, 0, width, height
    left, top, right, bottom = (min(max(float(v), 0.0), 1.0) for v in crop)
    x0, y0 = round(left * width), round(top * height)
    x1, y1 = max(x0 + 8, round(right * width)), max(y0 + 8, round(bottom * height))
    if x1 > width or y1 > height:
        raise MatteError("crop box is empty")
    return x0, y0, x1, y1


def _out_size(region_w, region_h):
    scale = OUT_HEIGHT / region_h
    if region_w * scale > MAX_WIDTH:
        scale = MAX_WIDTH / region_w
    return max(8, round(region_w * scale)), max(8, round(region_h * scale))


def _scale_box(box, sx, sy):
    return (int(box[0] * sx), int(box[1] * sy), int(np.ceil(box[2] * sx)), int(np.ceil(box[3] * sy)))


def _face_in(out: np.ndarray):
    """A face seen in at least two of a few spread frames, as the median box in rgba pixels."""
    height, width = out.shape[1:3]
    boxes = []
    for index in np.linspace(0, len(out) - 1, num=min(5, len(out))).round().astype(int):
        face = find_face(out[index])
        if face is not None:
            boxes.append((face[0] * width, face[1] * height, face[2] * width, face[3] * height))
    if len(boxes) < min(2, len(out)):
        return None
    x0, y0, x1, y1 = np.median(np.array(boxes), axis=0)
    return (int(round(x0)), int(round(y0)), int(round(x1)), int(round(y1)))


# --- segmentation --------------------------------------------------------------------------------

def _frame_border_colours(frames, region) -> np.ndarray:
    """Lab colours of the whole frame's outer strip (a few frames): what the background looks like
    where the subject is least likely to be."""
    samples = []
    for frame in frames[:: max(1, len(frames) // 4)]:
        small = cv2.resize(frame, (64, max(8, round(64 * frame.shape[0] / frame.shape[1]))),
                           interpolation=cv2.INTER_AREA)
        lab = cv2.cvtColor(small, cv2.COLOR_RGB2LAB).astype(np.float32)
        samples += [lab[:3].reshape(-1, 3), lab[:, :3].reshape(-1, 3), lab[:, -3:].reshape(-1, 3)]
    return np.concatenate(samples)


def _segment(work: np.ndarray, border_lab: np.ndarray, face) -> np.ndarray:
    """A 0/1 mask per frame at work size."""
    count, height, width = work.shape[:3]
    lab = np.stack([cv2.cvtColor(cv2.GaussianBlur(f, (3, 3), 0), cv2.COLOR_RGB2LAB) for f in work]
                   ).astype(np.float32)
    moving = _moving(lab)
    saliency = _saliency(lab, border_lab)
    static = float(moving.mean()) < 0.004  # almost nothing moves: colour contrast must do it
    strip = max(1, round(0.03 * min(height, width)))
    border = np.zeros((height, width), bool)
    border[:strip], border[:, :strip], border[:, -strip:] = True, True, True
    border[-strip:] = True
    keep_out = _face_column(face, (height, width)) if face is not None else np.zeros_like(border)
    masks = np.zeros((count, height, width), np.uint8)
    for index in range(count):
        seeds = _seeds(moving[index], saliency, border & ~keep_out, face, static)
        masks[index] = _grabcut(work[index], seeds)
    return masks


def _moving(lab: np.ndarray) -> np.ndarray:
    """Per frame, pixels that differ from the clip's background (its temporal median, re-estimated
    once without the pixels that moved, so a subject that lingers does not become background)."""
    background = np.median(lab, axis=0)
    distance = np.linalg.norm(lab - background, axis=3)
    threshold = max(10.0, 4.0 * float(np.median(distance)))
    moving = distance > threshold
    held = np.where(moving[..., None], np.nan, lab)
    refined = np.nanmedian(held, axis=0) if moving.any() else background
    refined = np.where(np.isnan(refined), background, refined)
    distance = np.linalg.norm(lab - refined, axis=3)
    moving = distance > threshold
    kernel = np.ones((3, 3), np.uint8)
    return np.stack([cv2.morphologyEx(m.astype(np.uint8), cv2.MORPH_OPEN, kernel) > 0 for m in moving])


def _saliency(lab: np.ndarray, border_lab: np.ndarray) -> np.ndarray:
    """Pixels of the clip's middle frame whose colour is far from every common border colour."""
    middle = lab[len(lab) // 2].reshape(-1, 3)
    samples = border_lab[np.random.default_rng(0).permutation(len(border_lab))[:400]]
    nearest = np.full(len(middle), np.inf, np.float32)
    for start in range(0, len(samples), 100):
        d = np.linalg.norm(middle[:, None, :] - samples[None, start:start + 100], axis=2)
        nearest = np.minimum(nearest, d.min(axis=1))
    far = nearest.reshape(lab.shape[1:3])
    threshold = max(18.0, float(np.percentile(far, 60)))
    return far > threshold


def _face_column(face, shape) -> np.ndarray:
    """The face and the body below it, which may run out of the picture at the bottom."""
    height, width = shape
    x0, y0, x1, y1 = face
    pad = round(0.6 * (x1 - x0))
    column = np.zeros(shape, bool)
    column[max(0, y0):, max(0, x0 - pad): min(width, x1 + pad)] = True
    return column


def _seeds(moving, saliency, border, face, static) -> np.ndarray:
    height, width = moving.shape
    seeds = np.full((height, width), cv2.GC_PR_BGD, np.uint8)
    if static:
        seeds[saliency] = cv2.GC_PR_FGD
    else:
        near = cv2.dilate(moving.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
        seeds[near] = cv2.GC_PR_FGD
        core = cv2.erode(moving.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
        seeds[core] = cv2.GC_FGD
    if face is not None:
        x0, y0, x1, y1 = face
        fw, fh = x1 - x0, y1 - y0
        # Shoulders below the face: likely subject, for the colour model to confirm.
        seeds[min(height, y1): min(height, y1 + 2 * fh), max(0, x0 - fw // 2): min(width, x1 + fw // 2)] = cv2.GC_PR_FGD
        seeds[y0 + fh // 6: y1 - fh // 6, x0 + fw // 6: x1 - fw // 6] = cv2.GC_FGD
    seeds[border & (seeds != cv2.GC_FGD)] = cv2.GC_BGD
    return seeds


def _grabcut(image: np.ndarray, seeds: np.ndarray) -> np.ndarray:
    foreground = np.isin(seeds, (cv2.GC_FGD, cv2.GC_PR_FGD))
    background = np.isin(seeds, (cv2.GC_BGD, cv2.GC_PR_BGD))
    if foreground.sum() < 16 or background.sum() < 16:
        return foreground.astype(np.uint8)  # GrabCut needs samples of both to learn its colours
    mask = seeds.copy()
    bgd, fgd = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
    cv2.grabCut(cv2.cvtColor(image, cv2.COLOR_RGB2BGR), mask, None, bgd, fgd, GRABCUT_ITERATIONS,
                cv2.GC_INIT_WITH_MASK)
    result = np.isin(mask, (cv2.GC_FGD, cv2.GC_PR_FGD)).astype(np.uint8)
    return _main_parts(result, seeds == cv2.GC_FGD)


def _main_parts(mask: np.ndarray, core: np.ndarray) -> np.ndarray:
    """Keep the parts that hold a sure seed (or the largest), and fill small holes."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    if count <= 1:
        return mask
    seeded = np.unique(labels[core & (labels > 0)])
    if len(seeded) == 0:
        seeded = [1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))]
    largest = max(stats[i, cv2.CC_STAT_AREA] for i in seeded)
    keep = [i for i in seeded if stats[i, cv2.CC_STAT_AREA] >= 0.05 * largest]
    kept = np.isin(labels, keep).astype(np.uint8)
    holes = 1 - kept
    count, labels, stats, _ = cv2.connectedComponentsWithStats(holes, connectivity=4)
    limit = 0.01 * mask.size
    for index in range(1, count):
        x, y, w, h, area = stats[index]
        touches = x == 0 or y == 0 or x + w == mask.shape[1] or y + h == mask.shape[0]
        if not touches and area < limit:
            kept[labels == index] = 1
    return kept


def _smooth_alpha(masks: np.ndarray, size) -> np.ndarray:
    """uint8 alpha at output size: a 3-frame average against flicker, then soft edges."""
    padded = np.concatenate([masks[:1], masks, masks[-1:]]).astype(np.float32)
    averaged = (padded[:-2] + padded[1:-1] + padded[2:]) / 3.0
    alpha = np.empty((len(masks), size[1], size[0]), np.uint8)
    for index, soft in enumerate(averaged):
        big = cv2.resize(soft, size, interpolation=cv2.INTER_LINEAR)
        big = cv2.GaussianBlur(big, (0, 0), 1.0)
        alpha[index] = np.clip(big * 255.0 + 0.5, 0, 255).astype(np.uint8)
    return alpha


# --- speaking energy -----------------------------------------------------------------------------

def _energy(out, alpha, fps, face, audio, sample_rate) -> np.ndarray:
    count = len(out)
    if audio is not None and sample_rate and len(audio) and float(np.abs(audio).max()) > 1e-3:
        return _loudness(np.asarray(audio, np.float32), sample_rate, fps, count)
    return _motion_energy(out, alpha, face)


def _loudness(audio, rate, fps, count) -> np.ndarray:
    """RMS of the sound under each frame, in dB, mapped so the clip's loudest frame is 1 and
    40 dB below it is 0."""
    levels = np.empty(count, np.float32)
    for index in range(count):
        first, last = round(index / fps * rate), round((index + 1) / fps * rate)
        part = audio[first:last]
        levels[index] = float(np.sqrt(np.mean(part ** 2))) if len(part) else 0.0
    db = 20 * np.log10(np.maximum(levels, 1e-6))
    return np.clip((db - (db.max() - 40.0)) / 40.0, 0.0, 1.0).astype(np.float32)


def _motion_energy(out, alpha, face) -> np.ndarray:
    """Without sound: how much the mouth (lower half of the face) or else the subject moves."""
    gray = np.stack([cv2.cvtColor(f, cv2.COLOR_RGB2GRAY) for f in out]).astype(np.float32)
    if face is not None:
        x0, y0, x1, y1 = face
        weight = np.zeros(gray.shape[1:], np.float32)
        weight[(y0 + y1) // 2: y1, x0:x1] = 1.0
        weights = np.broadcast_to(weight, gray.shape)
    else:
        weights = alpha.astype(np.float32) / 255.0
    change = np.abs(np.diff(gray, axis=0, prepend=gray[:1])) * weights
    energy = change.sum(axis=(1, 2)) / np.maximum(weights.sum(axis=(1, 2)), 1.0)
    top = float(np.percentile(energy, 95)) if len(energy) else 0.0
    if top <= 1e-6:
        return np.zeros(len(out), np.float32)
    return np.clip(energy / top, 0.0, 1.0).astype(np.float32)


# --- storage -------------------------------------------------------------------------------------

def save_matte(clip: MatteClip, fileobj) -> None:
    """A compressed npz: the colour as JPEG frames (a tenth of the raw size), the alpha as is
    (zlib shrinks its flat areas to almost nothing)."""
    encoded = []
    for frame in clip.rgba:
        ok, data = cv2.imencode(".jpg", cv2.cvtColor(frame[..., :3], cv2.COLOR_RGB2BGR),
                                [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
        if not ok:
            raise MatteError("could not encode a frame")
        encoded.append(data.reshape(-1))
    ends = np.cumsum([len(e) for e in encoded]).astype(np.int64)
    face = np.array(clip.face_box if clip.face_box is not None else [], np.int32)
    np.savez_compressed(fileobj, version=np.int32(1), jpeg=np.concatenate(encoded), jpeg_ends=ends,
                        alpha=clip.rgba[..., 3], fps=np.float32(clip.fps),
                        energy=clip.energy.astype(np.float32), face_box=face)


def load_matte(fileobj) -> MatteClip:
    with np.load(fileobj, allow_pickle=False) as data:
        jpeg, ends, alpha = data["jpeg"], data["jpeg_ends"], data["alpha"]
        starts = np.concatenate([[0], ends[:-1]])
        rgba = np.empty(alpha.shape + (4,), np.uint8)
        for index, (start, end) in enumerate(zip(starts, ends)):
            bgr = cv2.imdecode(jpeg[start:end], cv2.IMREAD_COLOR)
            rgba[index, ..., :3] = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
        rgba[..., 3] = alpha
        face = tuple(int(v) for v in data["face_box"]) or None
        return MatteClip(rgba=rgba, fps=float(data["fps"]), energy=data["energy"].astype(np.float32),
                         face_box=face)


def on_checkerboard(rgba: np.ndarray, square: int = 12) -> np.ndarray:
    """One RGBA frame over a grey checkerboard, as RGB: how a cut-out is usually shown."""
    height, width = rgba.shape[:2]
    yy, xx = np.mgrid[0:height, 0:width]
    board = np.where(((yy // square + xx // square) % 2)[..., None] == 0, 205, 150).astype(np.float32)
    alpha = rgba[..., 3:].astype(np.float32) / 255.0
    return (rgba[..., :3] * alpha + board * (1.0 - alpha) + 0.5).astype(np.uint8)


def preview_webp(clip: MatteClip, height: int = 200) -> bytes:
    """A small looped animated WebP of the cut-out over a checkerboard, for the avatar page."""
    from PIL import Image

    width = max(2, round(clip.rgba.shape[2] * height / clip.rgba.shape[1]))
    pictures = []
    for frame in clip.rgba:
        small = cv2.resize(frame, (width, height), interpolation=cv2.INTER_AREA)
        pictures.append(Image.fromarray(on_checkerboard(small, square=max(6, height // 16))))
    buffer = io.BytesIO()
    pictures[0].save(buffer, "WEBP", save_all=True, append_images=pictures[1:], loop=0,
                     duration=round(1000 / max(clip.fps, 1.0)), quality=70, method=4)
    return buffer.getvalue()


def matte_bytes(clip: MatteClip) -> bytes:
    buffer = io.BytesIO()
    save_matte(clip, buffer)
    return buffer.getvalue()
