"""Where the avatar's subject is in a frame: a face for people, a foreground blob for anything else.

The person path uses scikit-image's LBP frontal-face cascade, which ships inside the package (the
OpenCV 5 wheel no longer carries Haar cascades nor the cascade classifier). Every other kind, and a
person whose face is not found, gets a whole-subject box from the colour difference to the border.
"""
from __future__ import annotations

from functools import lru_cache

import cv2
import numpy as np

FACE_SEARCH_SIDE = 320  # detection runs on a small copy: faces in avatar clips are large
MASK_SIDE = 128
BORDER = 0.06  # the outer 6 % of the frame is taken to be background


@lru_cache(maxsize=1)
def _face_cascade():
    from skimage.data import lbp_frontal_face_cascade_filename
    from skimage.feature import Cascade

    return Cascade(lbp_frontal_face_cascade_filename())


def find_face(rgb: np.ndarray) -> tuple[float, float, float, float] | None:
    """The largest frontal face as (left, top, right, bottom) fractions, or None."""
    height, width = rgb.shape[:2]
    scale = min(1.0, FACE_SEARCH_SIDE / max(height, width))
    small = cv2.resize(rgb, (round(width * scale), round(height * scale)), interpolation=cv2.INTER_AREA)
    gray = cv2.cvtColor(small, cv2.COLOR_RGB2GRAY)
    side = min(gray.shape)
    faces = _face_cascade().detect_multi_scale(
        img=gray, scale_factor=1.2, step_ratio=1, min_size=(max(20, side // 12),) * 2,
        max_size=(side, side), min_neighbor_number=2)
    if not faces:
        return None
    face = max(faces, key=lambda f: f["width"] * f["height"])
    h, w = gray.shape
    return (face["c"] / w, face["r"] / h, (face["c"] + face["width"]) / w,
            (face["r"] + face["height"]) / h)


def head_and_shoulders(face, aspect: float) -> list[float]:
    """Grow a face box into a 3:4 head-and-shoulders box; `aspect` is the frame's width/height."""
    left, top, right, bottom = face
    face_w = right - left  # as a fraction of the frame width
    centre = (left + right) / 2
    crop_w = 2.6 * face_w
    crop_h = crop_w * aspect * 4 / 3  # 3:4 in pixels, expressed as a fraction of the height
    crop_top = top - 0.45 * (bottom - top)  # a little air above the hair
    return fit_box([centre - crop_w / 2, crop_top, centre + crop_w / 2, crop_top + crop_h])


def fit_box(box) -> list[float]:
    """Shift a box back inside the frame, shrinking it only if it is larger than the frame."""
    out = list(box)
    for lo, hi in ((0, 2), (1, 3)):
        size = min(out[hi] - out[lo], 1.0)
        start = min(max(out[lo], 0.0), 1.0 - size)
        out[lo], out[hi] = start, start + size
    return [round(float(v), 4) for v in out]


def foreground_mask(rgb: np.ndarray) -> np.ndarray:
    """Pixels that differ clearly from the median border colour, at MASK_SIDE resolution."""
    height, width = rgb.shape[:2]
    scale = MASK_SIDE / max(height, width)
    small = cv2.resize(rgb, (max(8, round(width * scale)), max(8, round(height * scale))),
                       interpolation=cv2.INTER_AREA)
    lab = cv2.cvtColor(cv2.GaussianBlur(small, (5, 5), 0), cv2.COLOR_RGB2LAB).astype(np.float32)
    bh, bw = max(1, round(lab.shape[0] * BORDER)), max(1, round(lab.shape[1] * BORDER))
    border = np.concatenate([lab[:bh].reshape(-1, 3), lab[-bh:].reshape(-1, 3),
                             lab[:, :bw].reshape(-1, 3), lab[:, -bw:].reshape(-1, 3)])
    distance = np.linalg.norm(lab - np.median(border, axis=0), axis=2)
    # Otsu splits subject from background; the floor keeps sensor noise on a plain wall out.
    scaled = np.clip(distance * 2, 0, 255).astype(np.uint8)
    otsu, _ = cv2.threshold(scaled, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    mask = (scaled > max(otsu, 36)).astype(np.uint8)
    kernel = np.ones((3, 3), np.uint8)
    return cv2.morphologyEx(cv2.morphologyEx(mask, cv2.MORPH_OPEN, kernel), cv2.MORPH_CLOSE, kernel)


def subject_box(rgb: np.ndarray) -> tuple[list[float], float]:
    """(box as fractions, presence 0..1): the largest foreground component, padded by 10 %.

    With no clear component (a busy or empty frame) the box is the centred 70 % and presence is low.
    """
    mask = foreground_mask(rgb)
    h, w = mask.shape
    count, _, stats, centroids = cv2.connectedComponentsWithStats(mask, connectivity=8)
    if count <= 1:
        return fit_box([0.15, 0.15, 0.85, 0.85]), 0.1
    best = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    x, y, bw, bh, area = stats[best]
    share = area / (w * h)
    if share < 0.01 or share > 0.9:
        return fit_box([0.15, 0.15, 0.85, 0.85]), 0.1
    pad_x, pad_y = 0.1 * bw / w, 0.1 * bh / h
    box = fit_box([x / w - pad_x, y / h - pad_y, (x + bw) / w + pad_x, (y + bh) / h + pad_y])
    cx, cy = centroids[best] / (w, h)
    centred = 1.0 - min(1.0, 1.6 * float(np.hypot(cx - 0.5, cy - 0.5)))
    # Best when the subject fills a fair part of the frame and sits near the middle.
    size_score = min(1.0, share / 0.08) * (1.0 if share < 0.7 else 0.6)
    return box, round(0.25 + 0.75 * size_score * (0.4 + 0.6 * centred), 4)
