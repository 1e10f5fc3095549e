"""Which of an avatar's own matted clip frames the preview shows at each frame of a shot.

Silent, a figure idles: it plays its clip as a loop whose seam is no bigger a change than the clip
itself ever makes from one frame to the next (a loop point where two frames are alike, else a
ping-pong). Speaking, a dynamic programme (Viterbi) over the clip's frames picks, per shot frame,
a frame whose "speaking" energy matches the line's loudness and whose change from the frame before
grows with the loudness, never jumping further than the clip's own largest step. Everything here
works on the clip's frames (a few hundred pixels high) and a small distance matrix, not on the film.
"""
from dataclasses import dataclass

import numpy as np
from PIL import Image

THUMB = 48  # thumbnails this many pixels on their longer side are enough to tell frames apart


@dataclass(frozen=True)
class ClipMotion:
    """What the schedules need to know about a clip, computed once per clip."""

    distance: np.ndarray  # (T, T) float32: RMS difference of premultiplied thumbnails, 0..255
    energy: np.ndarray  # (T,) 0..1
    stride: int  # clip frames per shot frame (1 unless the clip is much faster than the film)
    speed: float = 1.0  # below 1 for a clip slower than the film: idle frames are held this long
    fps: float = 0.0  # the clip's own frame rate

    @property
    def steps(self) -> np.ndarray:
        """The change between each pair of neighbouring clip frames at the playback stride."""
        index = np.arange(len(self.energy) - self.stride)
        return self.distance[index, index + self.stride]

    @property
    def largest_step(self) -> float:
        return float(self.steps.max()) if len(self.steps) else 0.0


def clip_motion(rgba: np.ndarray, energy: np.ndarray | None, clip_fps: float, film_fps: float) -> ClipMotion:
    count, height, width = rgba.shape[:3]
    scale = THUMB / max(height, width)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    thumbs = np.stack([np.asarray(Image.fromarray(frame).resize(size, Image.Resampling.BOX), np.float32)
                       for frame in rgba])
    # Premultiplied by alpha, with alpha itself as a fourth channel: a moving silhouette counts as
    # change, and the colour hidden under transparent pixels does not.
    alpha = thumbs[..., 3:] / 255.0
    flat = np.concatenate([thumbs[..., :3] * alpha, thumbs[..., 3:]], axis=-1).reshape(count, -1)
    flat = flat.astype(np.float64)
    squared = (flat * flat).sum(axis=1)
    gram = flat @ flat.T  # |a - b|^2 = |a|^2 + |b|^2 - 2 a.b, one matrix product for all pairs
    distance = np.sqrt(np.maximum(squared[:, None] + squared[None, :] - 2 * gram, 0.0) / flat.shape[1])
    np.fill_diagonal(distance, 0.0)
    if energy is None or len(energy) != count:
        energy = np.zeros(count, np.float32)
    rate = clip_fps / film_fps if clip_fps and film_fps else 1.0
    stride = max(1, round(rate))
    if stride >= count:
        stride = 1
    return ClipMotion(distance.astype(np.float32), np.clip(np.asarray(energy, np.float32), 0, 1), stride,
                      speed=min(1.0, rate / stride), fps=float(clip_fps or 0.0))


def idle_loop(motion: ClipMotion) -> np.ndarray:
    """The clip frames of one idle cycle, in order; playing it over and over never jumps further
    than the clip's largest neighbouring step. It uses the clip's longest quiet stretch (when that
    is a third of the clip or more; a silent figure should not mouth words), as a forward loop when
    two of its frames half the stretch apart are as alike as a typical step, else there and back."""
    low, high = quiet_stretch(motion.energy, motion.fps)
    stride = motion.stride
    if high - low <= stride:
        return np.arange(low, high, dtype=np.int64)[:1] if high > low else np.zeros(1, np.int64)
    index = np.arange(low, high - stride)
    steps = motion.distance[index, index + stride]
    typical = float(np.median(steps))
    shortest = max(2 * stride, (high - low) // 2)
    best = None
    for start in range(low, high - shortest):
        ends = np.arange(start + shortest, high)
        # Playing start..end then start again: the seam is the change from `end` to `start`.
        seams = motion.distance[ends, start]
        n = int(np.argmin(seams))
        if best is None or seams[n] < best[0]:
            best = (float(seams[n]), start, int(ends[n]))
    if best is not None and best[0] <= typical:
        _, start, end = best
        return np.arange(start, end + 1, stride)
    forward = np.arange(low, high, stride)
    return np.concatenate([forward, forward[-2:0:-1]]) if len(forward) > 2 else forward


def quiet_stretch(energy: np.ndarray, fps: float = 0.0) -> tuple[int, int]:
    """[low, high) of the longest run of frames with energy below 0.3, or the whole clip when no run
    is a third of it or a second long (a figure rocking through a shorter stretch looks stuck)."""
    count, best, start = len(energy), (0, 0), None
    for k, quiet in enumerate(list(energy < 0.3) + [False]):
        if quiet and start is None:
            start = k
        elif not quiet and start is not None:
            best = max(best, (k - start, start))
            start = None
    length, low = best
    enough = length * 3 >= count or (fps > 0 and length >= fps)
    return (low, low + length) if enough and length >= 2 else (0, count)


def idle_frames(motion: ClipMotion, total: int, offset: int = 0) -> np.ndarray:
    """`total` clip frame indices of the idle loop, starting `offset` frames into it, at the clip's
    own pace (a 15 fps clip in a 24 fps film shows each of its frames for 1.6 film frames)."""
    cycle = idle_loop(motion)
    return cycle[(offset + np.floor(np.arange(total) * motion.speed).astype(np.int64)) % len(cycle)]


def speaking_frames(motion: ClipMotion, levels: np.ndarray, idle: np.ndarray | None = None) -> np.ndarray:
    """One clip frame per shot frame for a figure whose voice has loudness `levels` (0..1).

    Cost per frame: |energy - loudness| (the clip's speaking frames while it speaks), plus how far
    the change from the previous frame is from a target that grows from the clip's idle step to its
    speaking step with the loudness. Steps beyond the clip's own largest are not allowed, so the
    figure never jumps. Between words the figure is drawn towards its idle loop (`idle`, one clip
    frame per shot frame), so it idles as it does when silent. Solved exactly by dynamic
    programming over the clip's frames."""
    levels = np.clip(np.asarray(levels, np.float32), 0.0, 1.0)
    count, total = len(motion.energy), len(levels)
    if count == 1 or total == 0:
        return np.zeros(total, np.int64)
    steps, energy, distance = motion.steps, motion.energy, motion.distance
    largest = max(float(steps.max()), 1e-3)
    quiet = steps[energy[:len(steps)] < 0.3]
    loud = steps[energy[:len(steps)] >= 0.5]
    idle_step = float(np.median(quiet if len(quiet) else steps))
    loud_step = float(np.percentile(loud, 90)) if len(loud) else largest
    loud_step = min(max(loud_step, 2 * idle_step), largest)
    allowed = distance <= largest * 1.0001
    unary = 2.0 * np.abs(energy[None, :] - levels[:, None])  # (total, count); weighs most
    if idle is not None:
        unary = unary + (1.0 - levels[:, None]) * distance[np.asarray(idle)[:total]] / loud_step
    cost = unary[0].copy()
    back = np.zeros((total, count), np.int64)
    columns = np.arange(count)
    for i in range(1, total):
        target = idle_step + levels[i] * (loud_step - idle_step)
        transition = np.where(allowed, np.abs(distance - target) / loud_step, np.inf)
        candidates = cost[:, None] + transition  # [previous, next]
        back[i] = np.argmin(candidates, axis=0)
        cost = candidates[back[i], columns] + unary[i]
    frames = np.empty(total, np.int64)
    frames[-1] = int(np.argmin(cost))
    for i in range(total - 1, 0, -1):
        frames[i - 1] = back[i, frames[i]]
    return frames


def subject_box(rgba: np.ndarray, threshold: int = 24) -> tuple[int, int, int, int]:
    """(x0, y0, x1, y1) around every pixel the subject covers in any frame, so one fixed crop holds
    the figure however it moves."""
    covered = (rgba[..., 3] > threshold).any(axis=0)
    rows, cols = np.nonzero(covered.any(axis=1))[0], np.nonzero(covered.any(axis=0))[0]
    if not len(rows):
        return 0, 0, rgba.shape[2], rgba.shape[1]
    return int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1
