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
from scipy import ndimage

from .subject import find_face

OUT_HEIGHT = 320  # the stored matte's height (the renderer scales it to the framing)
MAX_WIDTH = 480
WORK_HEIGHT = 320  # segmentation at full size; only one GrabCut runs, on one frame
MAX_FPS = 15.0  # enough for a preview's idle motion and lip flaps, and keeps the file small
GRABCUT_ITERATIONS = 3
JPEG_QUALITY = 90
MEDIAN_FRAMES = 24  # the background model needs no more samples than this
MIN_FACE_SHARE = 0.15
MOTION_FLOOR = 4.0  # grey levels of mean change: below it is sensor and codec noise
MIN_SUBJECT_SHARE = 0.005  # of the matte's pixels, on average: less is no subject at all  # of the matte's width

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
    face = _face_in(out)
    face_work = None if face is None else _scale_box(face, work_w / out_w, work_h / out_h)
    alphas, shifts = _segment(work, face_work)
    alpha = _to_alpha(alphas, (out_w, out_h))
    if float((alpha >= 128).mean()) < MIN_SUBJECT_SHARE:
        raise MatteError("no subject found")  # a blank wall, or a picture with nothing that stands out
    rgba = np.concatenate([out, alpha[..., None]], axis=3)
    scale = out_w / work_w
    energy = _energy(out, alpha, fps, face, audio, sample_rate, [(dx * scale, dy * scale) for dx, dy in shifts])
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
    """A face seen in both the first and the middle frame (the detector is the slow part, and one
    frame alone is easily fooled), as their mean box in rgba pixels. A small "face" is more
    often a pattern in the background than the subject: faces in avatar crops are large."""
    height, width = out.shape[1:3]
    boxes = []
    for index in (0, len(out) // 2):
        face = find_face(out[index])
        if face is not None and face[2] - face[0] >= MIN_FACE_SHARE:
            boxes.append((face[0] * width, face[1] * height, face[2] * width, face[3] * height))
    if len(boxes) < 2:
        return None
    x0, y0, x1, y1 = np.mean(np.array(boxes), axis=0)
    return (int(round(x0)), int(round(y0)), int(round(x1)), int(round(y1)))


# --- segmentation --------------------------------------------------------------------------------

def _segment(work: np.ndarray, face) -> tuple[np.ndarray, list]:
    """An alpha (0..1) per frame at work size, and each frame's camera shake (dx, dy).

    Two kinds of evidence, each where it can be trusted. Where the subject moves, the clip shows
    the background behind it in other frames: the temporal median of the frames (re-estimated
    without the pixels that moved) is that background, and a pixel that differs from it is the
    subject. Where nothing ever moves, the median is whatever stands there, subject or not: a
    GrabCut of one frame, seeded by what moves next to it, by a face, and by the frame's border,
    says which of those still parts belong to the subject.
    """
    count, height, width = work.shape[:3]
    shifts = _shake(work)
    steady = np.stack([_shift(f, -dx, -dy) for f, (dx, dy) in zip(work, shifts)])
    lab = np.stack([cv2.cvtColor(f, cv2.COLOR_RGB2LAB) for f in steady]
                   ).astype(np.float32)
    moving, background = _moving(lab)
    for index, (dx, dy) in enumerate(shifts):
        _clear_uncovered(moving[index], dx, dy)
    often = cv2.dilate((moving.mean(axis=0) > 0.04).astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    keyframe = count // 2
    still = _still_subject(steady[keyframe], moving, face) & ~often
    masks = np.zeros((count, height, width), np.uint8)
    for index in range(count):
        mask = ((moving[index] & often) | still).astype(np.uint8)
        masks[index] = _main_parts(cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8)))
    # A 3-frame majority vote against flicker: unlike an average it leaves no ghost edges behind
    # a subject that moves.
    padded = np.concatenate([masks[:1], masks, masks[-1:]])
    masks = ((padded[:-2] + padded[1:-1] + padded[2:]) >= 2).astype(np.uint8)
    alphas = np.empty((count, height, width), np.float32)
    for index in range(count):
        soft = _soft_edges(lab[index], background, masks[index], often & ~still)
        alphas[index] = _shift(soft, *shifts[index])
    # The gate: a subject that barely moves against the steadied frame (a portrait swaying with
    # its own backdrop, a person sitting still) becomes part of the median, and only its edges
    # differ from it: rings of hair and collar around holes where the face and body are. Such a
    # matte is replaced by a cut seeded from the face, or the crop's centre, and the border.
    quality = _quality(alphas >= 0.5, face)
    if quality < 1.0:
        seeded = _seeded_cut(work, face)
        if seeded is not None and _quality(seeded >= 0.5, face) > quality:
            alphas = seeded
    return alphas, shifts


# --- the seeded cut, for a subject the motion does not show --------------------------------------

MIN_SOLIDITY = 0.8  # opaque share of the matte's filled outline: below it, it is mostly edges
MIN_FACE_COVER = 0.9  # opaque share of the face box's middle


def _quality(masks: np.ndarray, face) -> float:
    """1.0 or more for a matte that holds its subject as a solid figure; less (the worst of the
    ratios to their floors) for one that is mostly thin edges or has cut away the face. Solidity
    here is the opaque area over the area of the mask closed and filled: a figure with a sword or
    a tail stays near 1 (unlike area over convex hull), a ring of edges around a hole does not."""
    count, height, width = masks.shape
    side = max(5, round(0.08 * min(height, width)) | 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (side, side))
    step = max(1, count // 8)  # a sample of frames is enough to tell
    solidity = []
    for mask in masks[::step]:
        area = int(mask.sum())
        if area == 0:
            solidity.append(0.0)
            continue
        closed = cv2.morphologyEx(mask.astype(np.uint8), cv2.MORPH_CLOSE, kernel) > 0
        solidity.append(area / max(1, int(ndimage.binary_fill_holes(closed | mask).sum())))
    score = float(np.median(solidity)) / MIN_SOLIDITY
    if face is not None:
        x0, y0, x1, y1 = face
        dx, dy = (x1 - x0) // 6, (y1 - y0) // 6
        # Where the face was seen (the first and the middle frame, see _face_in): a subject that
        # walks on is not expected to leave its matte on that spot.
        core = masks[[0, count // 2], y0 + dy:y1 - dy, x0 + dx:x1 - dx]
        if core.size:
            score = min(score, float(core.mean()) / MIN_FACE_COVER)
    return score


def _seed_mask(height: int, width: int, face) -> np.ndarray:
    """GrabCut seeds for one frame: the border is background; with a face, the head around it and
    the shoulders and body below it (which run on to the bottom edge) are likely subject and the
    face's middle is sure subject; without one, the crop's centre is likely subject."""
    seeds = np.full((height, width), cv2.GC_PR_BGD, np.uint8)
    strip = max(2, round(0.03 * min(height, width)))
    border = np.zeros((height, width), bool)
    border[:strip], border[-strip:], border[:, :strip], border[:, -strip:] = True, True, True, True
    body = np.zeros((height, width), np.uint8)
    if face is not None:
        x0, y0, x1, y1 = face
        fw, fh = x1 - x0, y1 - y0
        cv2.ellipse(body, ((x0 + x1) // 2, (y0 + y1) // 2 - fh // 8), (round(0.8 * fw), round(0.85 * fh)),
                    0, 0, 360, 1, -1)
        torso = np.array([[x0, y1], [x1, y1], [x1 + fw, y1 + 1.2 * fh], [x1 + fw, height],
                          [x0 - fw, height], [x0 - fw, y1 + 1.2 * fh]], np.int32)
        cv2.fillPoly(body, [torso], 1)
        seeds[body > 0] = cv2.GC_PR_FGD
        # The neck and chest right below the face: a person's, whatever their clothes.
        seeds[y0 + fh // 10: min(height, y1 + fh // 2), x0 + fw // 4: x1 - fw // 4] = cv2.GC_FGD
        seeds[y0 + fh // 10: y1 - fh // 10, x0 + fw // 10: x1 - fw // 10] = cv2.GC_FGD
        border[round(y1 + 0.5 * fh):, :] &= ~(body[round(y1 + 0.5 * fh):, :] > 0)
    else:
        cv2.ellipse(body, (width // 2, height // 2), (round(0.3 * width), round(0.35 * height)), 0, 0, 360, 1, -1)
        body[height // 2:, round(0.2 * width): round(0.8 * width)] = 1
        seeds[body > 0] = cv2.GC_PR_FGD
        # A figure in a crop usually stands on, or runs on past, its lower edge (a body, a pet's
        # legs): the lower part of the border is only likely background, for the colours to tell.
        border[round(0.6 * height):, :] = False
    seeds[border & (seeds != cv2.GC_FGD)] = cv2.GC_BGD
    return seeds


def _seeded_cut(work: np.ndarray, face) -> np.ndarray | None:
    """An alpha per frame from one GrabCut of the middle frame (seeded by _seed_mask), moved to
    every other frame by the subject's measured shift and refined there by one light GrabCut pass
    on a thin band along its edge, with the middle frame's colour models."""
    count, height, width = work.shape[:3]
    keyframe = count // 2
    seeds = _seed_mask(height, width, face)
    bgd, fgd = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
    if int(np.ptp(work[keyframe].reshape(-1, 3), axis=0).max()) < 8:
        return None  # a flat frame (a blank wall): nothing to tell a subject from
    _grabcut_from_seeds(work[keyframe], seeds, bgd, fgd, 5)
    key = _solid(np.isin(seeds, (cv2.GC_FGD, cv2.GC_PR_FGD)))
    if key.mean() < MIN_SUBJECT_SHARE:
        return None
    # The subject's shift is measured where it is (its outline, widened by what it may move), so
    # a still background does not pull the estimate to zero.
    reach = max(3, round(0.1 * min(height, width)) | 1)
    window = cv2.GaussianBlur(cv2.dilate(key.astype(np.uint8), np.ones((reach, reach), np.uint8)).astype(np.float32),
                              (0, 0), reach / 3)
    window *= np.outer(np.hanning(height), np.hanning(width)).astype(np.float32)
    grey = [cv2.cvtColor(f, cv2.COLOR_RGB2GRAY).astype(np.float32) for f in work]
    reference = np.fft.rfft2((grey[keyframe] - grey[keyframe].mean()) * window)
    band = max(3, round(0.02 * min(height, width)))
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * band + 1, 2 * band + 1))
    alphas = np.empty((count, height, width), np.float32)
    for index in range(count):
        if index == keyframe:
            mask = key
        else:
            (dx, dy), _ = _phase_correlate(reference, (grey[index] - grey[index].mean()) * window)
            moved = _shift(key.astype(np.uint8), dx, dy) > 0
            # The ring uncovered at a moved frame's edge is a copy: it follows the subject's side.
            refine = np.where(cv2.erode(moved.astype(np.uint8), kernel) > 0, cv2.GC_FGD,
                              np.where(cv2.dilate(moved.astype(np.uint8), kernel) > 0,
                                       np.where(moved, cv2.GC_PR_FGD, cv2.GC_PR_BGD), cv2.GC_BGD)).astype(np.uint8)
            b, f = bgd.copy(), fgd.copy()
            cv2.grabCut(cv2.cvtColor(work[index], cv2.COLOR_RGB2BGR), refine, None, b, f, 1, cv2.GC_EVAL_FREEZE_MODEL)
            mask = _solid(np.isin(refine, (cv2.GC_FGD, cv2.GC_PR_FGD)))
        alphas[index] = cv2.GaussianBlur(mask.astype(np.float32), (0, 0), 0.7)
    return alphas


def _grabcut_from_seeds(image_rgb, seeds, bgd, fgd, iterations):
    """cv2.grabCut from a seed mask (updated in place), the same for the same clip: its k-means
    starts from OpenCV's global RNG, seeded here. That k-means never ends on a region of one single
    colour (a blank wall, a cartoon's flat fill; seen here as a worker stuck for good), so the image
    gets a fixed +-1 dither first: every region has distinct colours, and the cut sees the same."""
    dither = np.random.default_rng(0).integers(-1, 2, image_rgb.shape, dtype=np.int16)
    dithered = np.clip(image_rgb.astype(np.int16) + dither, 0, 255).astype(np.uint8)
    cv2.setRNGSeed(0)
    cv2.grabCut(cv2.cvtColor(dithered, cv2.COLOR_RGB2BGR), seeds, None, bgd, fgd, iterations, cv2.GC_INIT_WITH_MASK)


def _solid(mask: np.ndarray) -> np.ndarray:
    """The mask's main parts with every hole filled (a seeded cut has no see-through holes to
    keep: the background through a hole is what it gets wrong)."""
    kept = _main_parts(mask.astype(np.uint8)) > 0
    return ndimage.binary_fill_holes(kept)


def _soft_edges(lab: np.ndarray, background: np.ndarray, mask: np.ndarray, known: np.ndarray) -> np.ndarray:
    """Fractional alpha on a thin band along the mask's edge, where the background behind is
    `known`: a pixel there mixes the subject's colour F (the mean of the subject just inside)
    with the background's B, and alpha is how far it lies from B towards F."""
    kernel = np.ones((3, 3), np.uint8)
    inside = cv2.erode(mask, kernel, iterations=2).astype(np.float32)
    band = (cv2.dilate(mask, kernel, iterations=2) > 0) & ~(inside > 0) & known
    alpha = mask.astype(np.float32)
    if not band.any():
        return cv2.GaussianBlur(alpha, (0, 0), 0.7)
    weight = cv2.blur(inside, (9, 9))
    subject = cv2.blur(lab * inside[..., None], (9, 9)) / np.maximum(weight, 1e-3)[..., None]
    towards = subject - background
    length = np.sum(towards * towards, axis=2)
    mixed = np.sum((lab - background) * towards, axis=2) / np.maximum(length, 1e-3)
    usable = band & (weight > 0.05) & (length > 400.0)  # F and B must differ to tell a mix apart
    alpha[usable] = np.clip(mixed[usable], 0.0, 1.0)
    soft = cv2.GaussianBlur(alpha, (0, 0), 0.7)
    soft[usable] = alpha[usable]
    return soft


def _shake(work: np.ndarray) -> list[tuple[float, float]]:
    """Each frame's shift from the middle one (a hand-held camera), by phase correlation of the
    outer ring of the picture only: the subject, in the middle, moves on its own."""
    height, width = work.shape[1:3]
    ring = np.ones((height, width), bool)
    ring[round(0.2 * height): round(0.8 * height), round(0.2 * width): round(0.8 * width)] = False
    gray = []
    for frame in work:
        image = cv2.cvtColor(frame, cv2.COLOR_RGB2GRAY).astype(np.float32)
        image[~ring] = float(image[ring].mean())
        gray.append(image)
    window = np.outer(np.hanning(height), np.hanning(width)).astype(np.float32)
    reference = np.fft.rfft2(gray[len(gray) // 2] * window)
    limit = 0.05 * min(height, width)
    shifts = []
    for image in gray:
        (dx, dy), response = _phase_correlate(reference, image * window)
        # A weak peak or a big jump is not a hand's shake: keep that frame where it is.
        shaken = response > 0.2 and 0.5 <= max(abs(dx), abs(dy)) <= limit
        shifts.append((dx, dy) if shaken else (0.0, 0.0))
    return shifts


def _phase_correlate(reference_fft: np.ndarray, image: np.ndarray) -> tuple[tuple[float, float], float]:
    """(dx, dy) by which `image` is the reference moved, and the peak's height (1: a pure shift).
    NumPy's FFT rather than cv2.phaseCorrelate, whose answers here changed with earlier calls."""
    cross = np.fft.rfft2(image) * np.conj(reference_fft)
    surface = np.fft.irfft2(cross / np.maximum(np.abs(cross), 1e-9), s=image.shape)
    y, x = np.unravel_index(int(np.argmax(surface)), surface.shape)
    height, width = surface.shape

    def refine(minus, centre, plus):
        denominator = minus - 2 * centre + plus
        return 0.0 if abs(denominator) < 1e-12 else 0.5 * (minus - plus) / denominator

    fx = refine(surface[y, (x - 1) % width], surface[y, x], surface[y, (x + 1) % width])
    fy = refine(surface[(y - 1) % height, x], surface[y, x], surface[(y + 1) % height, x])
    dx = (x + fx + width / 2) % width - width / 2
    dy = (y + fy + height / 2) % height - height / 2
    return (float(dx), float(dy)), float(surface[y, x])


def _clear_uncovered(moving: np.ndarray, dx: float, dy: float) -> None:
    """A steadied frame's edge that the camera did not see is a copy of its neighbours, which
    the background model calls motion: it is none."""
    if dx or dy:  # both sides: the frame it is compared with may be shifted the other way
        x, y = int(np.ceil(abs(dx))) + 2, int(np.ceil(abs(dy))) + 2
        moving[:, :x], moving[:, -x:], moving[:y], moving[-y:] = False, False, False, False


def _shift(image: np.ndarray, dx: float, dy: float) -> np.ndarray:
    if dx == 0 and dy == 0:
        return image
    matrix = np.float32([[1, 0, dx], [0, 1, dy]])
    return cv2.warpAffine(image, matrix, image.shape[1::-1], flags=cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_REPLICATE)


def _moving(lab: np.ndarray) -> np.ndarray:
    """Per frame, pixels that differ from the clip's background: the temporal median, estimated
    again without the pixels that differed from the first one, so a subject that lingers over a
    spot for a while does not become background there."""
    sample = lab[np.linspace(0, len(lab) - 1, num=min(len(lab), MEDIAN_FRAMES)).round().astype(int)]
    background = np.median(sample, axis=0)
    distance = np.linalg.norm(lab - background, axis=3)
    threshold = max(12.0, 4.0 * float(np.median(distance)))
    moving = distance > threshold
    if moving.any():
        background = _median_where_still(sample, np.linalg.norm(sample - background, axis=3) > threshold,
                                         background)
        distance = np.linalg.norm(lab - background, axis=3)
        moving = distance > threshold
    kernel = np.ones((3, 3), np.uint8)
    opened = np.stack([cv2.morphologyEx(m.astype(np.uint8), cv2.MORPH_OPEN, kernel) > 0 for m in moving])
    return opened, background.astype(np.float32)


def _median_where_still(sample, moved, fallback) -> np.ndarray:
    """Per pixel, the median of the samples where it did not move (the fallback where it always
    did): a sort along time with the moved samples pushed to the end."""
    held = np.where(moved[..., None], np.inf, sample)
    held.sort(axis=0)
    count = (~moved).sum(axis=0)
    middle = np.maximum(count - 1, 0) // 2
    median = np.take_along_axis(held, middle[None, ..., None].repeat(3, axis=3), axis=0)[0]
    return np.where((count > 0)[..., None], median, fallback).astype(np.float32)


def _still_subject(image: np.ndarray, moving: np.ndarray, face) -> np.ndarray:
    """The subject in one frame by GrabCut: seeded by what moves in the clip, by a face (and the
    body below it), and by the border as background. With no motion and no face, by colour
    contrast with the border alone."""
    height, width = image.shape[:2]
    seeds = np.full((height, width), cv2.GC_PR_BGD, np.uint8)
    # Only solid moving parts count here: a shaky camera or a nodding head leaves thin slivers
    # of "motion" along every edge, which say nothing about where the background shows.
    side = max(5, round(0.02 * min(height, width)) | 1)
    solid = np.stack([cv2.morphologyEx(m.astype(np.uint8), cv2.MORPH_OPEN, np.ones((side, side), np.uint8)) > 0
                      for m in moving])
    motion = solid.mean(axis=0) > 0.04
    wide = max(3, round(0.05 * min(height, width)) | 1)
    near_motion = cv2.dilate(motion.astype(np.uint8), np.ones((wide, wide), np.uint8)) > 0
    moves = motion.mean() > 0.01
    if moves and face is not None and not near_motion[face[1]:face[3], face[0]:face[2]].any():
        face = None  # a face far from all that moves is a picture in the background
    # Where the subject passed but is not now, the median shows the background: sure background.
    now = solid[len(solid) // 2]
    now_near = cv2.dilate(now.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    seeds[motion & ~now_near] = cv2.GC_BGD
    seeds[now_near] = cv2.GC_PR_FGD
    seeds[cv2.erode(now.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0] = cv2.GC_FGD
    strip = max(1, round(0.03 * min(height, width)))
    border = np.zeros((height, width), bool)
    border[:strip], border[-strip:], border[:, :strip], border[:, -strip:] = True, True, True, True
    if face is not None:
        x0, y0, x1, y1 = face
        fw, fh = x1 - x0, y1 - y0
        # The head around the face (hair), and the shoulders and body below it, which run on to
        # the bottom edge: likely subject, for the colours to confirm; the border there is not
        # background.
        body = np.zeros((height, width), np.uint8)
        cv2.ellipse(body, ((x0 + x1) // 2, (y0 + y1) // 2 - fh // 8), (round(0.85 * fw), round(0.85 * fh)),
                    0, 0, 360, 1, -1)
        shoulders = np.array([[x0, y1], [x1, y1], [x1 + 1.4 * fw, y1 + 1.2 * fh], [x1 + 1.4 * fw, height],
                              [x0 - 1.4 * fw, height], [x0 - 1.4 * fw, y1 + 1.2 * fh]], np.int32)
        cv2.fillPoly(body, [shoulders], 1)
        # Where the subject was seen to move away from, the background is known: that wins.
        body = (body > 0) & (seeds == cv2.GC_PR_BGD)
        seeds[body] = cv2.GC_PR_FGD
        seeds[y0 + fh // 10: y1 - fh // 10, x0 + fw // 10: x1 - fw // 10] = cv2.GC_FGD
        border &= ~body
    if not (seeds == cv2.GC_FGD).any() and not (seeds == cv2.GC_PR_FGD).any():
        seeds[_contrast(image, border)] = cv2.GC_PR_FGD
    seeds[border & (seeds != cv2.GC_FGD)] = cv2.GC_BGD
    if (seeds == cv2.GC_PR_FGD).sum() + (seeds == cv2.GC_FGD).sum() < 16:
        return np.zeros((height, width), bool)
    bgd, fgd = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
    _grabcut_from_seeds(image, seeds, bgd, fgd, GRABCUT_ITERATIONS)
    still = np.isin(seeds, (cv2.GC_FGD, cv2.GC_PR_FGD))
    if not moves:
        return still
    # Still parts of a moving subject touch it where it is (a body under a nodding head); a still
    # part off on its own is something in the background that looks different.
    count, labels = cv2.connectedComponents(still.astype(np.uint8), connectivity=8)
    touching = np.unique(labels[now_near & still])
    return np.isin(labels, touching[touching > 0])


def _contrast(image: np.ndarray, border: np.ndarray) -> np.ndarray:
    """Pixels whose colour is far from every common colour of the border."""
    lab = cv2.cvtColor(cv2.GaussianBlur(image, (5, 5), 0), cv2.COLOR_RGB2LAB).astype(np.float32)
    samples = lab[border]
    samples = samples[np.random.default_rng(0).permutation(len(samples))[:256]]
    flat = lab.reshape(-1, 3)
    nearest = np.full(len(flat), np.inf, np.float32)
    for start in range(0, len(samples), 64):
        d = np.linalg.norm(flat[:, None, :] - samples[None, start:start + 64], axis=2)
        nearest = np.minimum(nearest, d.min(axis=1))
    far = nearest.reshape(lab.shape[:2])
    return far > max(18.0, float(np.percentile(far, 60)))


def _main_parts(mask: np.ndarray) -> np.ndarray:
    """Drop specks (parts under a tenth of the largest), fill holes that do not reach the edge."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    if count <= 1:
        return mask
    areas = stats[1:, cv2.CC_STAT_AREA]
    floor = max(0.1 * float(areas.max()), 0.002 * mask.size)
    kept = np.isin(labels, 1 + np.flatnonzero(areas >= floor)).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(1 - kept, connectivity=4)
    for index in range(1, count):
        x, y, w, h, area = stats[index]
        if x > 0 and y > 0 and x + w < mask.shape[1] and y + h < mask.shape[0] and area < 0.02 * mask.size:
            kept[labels == index] = 1
    return kept


def _to_alpha(alphas: np.ndarray, size) -> np.ndarray:
    """uint8 alpha at the output size."""
    out = np.empty((len(alphas), size[1], size[0]), np.uint8)
    for index, soft in enumerate(alphas):
        if soft.shape[::-1] != tuple(size):
            soft = cv2.resize(soft, size, interpolation=cv2.INTER_LINEAR)
        out[index] = np.clip(soft * 255.0 + 0.5, 0, 255).astype(np.uint8)
    return out


# --- speaking energy -----------------------------------------------------------------------------

def _energy(out, alpha, fps, face, audio, sample_rate, shifts) -> np.ndarray:
    count = len(out)
    if audio is not None and sample_rate and len(audio) and float(np.abs(audio).max()) > 1e-3:
        return _loudness(np.asarray(audio, np.float32), sample_rate, fps, count)
    return _motion_energy(out, alpha, face, shifts)


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


def _motion_energy(out, alpha, face, shifts) -> np.ndarray:
    """Without sound: how much the mouth (lower half of the face) or else the subject moves, on
    frames steadied against the camera's shake (a drifting camera is not a speaking mouth)."""
    gray = np.stack([_shift(cv2.cvtColor(f, cv2.COLOR_RGB2GRAY).astype(np.float32), -dx, -dy)
                     for f, (dx, dy) in zip(out, shifts)])
    change = np.abs(np.diff(gray, axis=0, prepend=gray[:1]))
    if face is not None:
        # The mouth's half of the face against the eyes' half: what is left of the camera's shake
        # and the codec's noise changes both alike, a speaking mouth only the lower one.
        x0, y0, x1, y1 = face
        middle = (y0 + y1) // 2
        energy = np.maximum(change[:, middle:y1, x0:x1].mean(axis=(1, 2))
                            - change[:, y0:middle, x0:x1].mean(axis=(1, 2)), 0.0)
    else:
        weights = alpha.astype(np.float32) / 255.0
        energy = (change * weights).sum(axis=(1, 2)) / np.maximum(weights.sum(axis=(1, 2)), 1.0)
    # Scaled to the clip's own liveliest frames, but never to its noise: below a mean change of
    # MOTION_FLOOR grey levels nothing speaks (a still picture under a steadied camera).
    top = max(float(np.percentile(energy, 95)) if len(energy) else 0.0, MOTION_FLOOR)
    return np.clip(energy / top, 0.0, 1.0).astype(np.float32)


# --- storage -------------------------------------------------------------------------------------

def save_matte(clip: MatteClip, fileobj) -> None:
    """A compressed npz: the colour as JPEG frames (a tenth of the raw size), the alpha as is
    (zlib shrinks its flat areas to almost nothing)."""
    encoded = []
    for frame in clip.rgba:
        # Far from the subject the colour is never seen: a flat grey there costs JPEG nothing.
        # Near it the clip's own colours stay, for the soft edge and against JPEG's ringing.
        seen = cv2.dilate((frame[..., 3] > 0).astype(np.uint8), np.ones((17, 17), np.uint8)) > 0
        colour = np.where(seen[..., None], frame[..., :3], np.uint8(128))
        ok, data = cv2.imencode(".jpg", cv2.cvtColor(colour, cv2.COLOR_RGB2BGR),
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
