"""Prepare an avatar's references from its clip: best window, reference frames, crop, poster, audio.

One streaming decode (through clip.scan_clip) validates the clip and samples small candidate frames;
nothing full-size is kept, and no file is written.
"""
from __future__ import annotations

from dataclasses import dataclass

import av
import numpy as np
from PIL import Image

from .clip import ClipError, ClipInfo, scan_clip
from .selection import Candidate, best_window, describe, pick_references
from .subject import find_face, head_and_shoulders

KINDS = ("person", "pet", "cartoon", "object")
LONG_SIDE = 512
SAMPLES_PER_SECOND = 4  # 30 s at most, so at most 120 small frames (about 50 MB) are held
AUDIO_RATE = 24000

__all__ = ["ClipError", "PreparedClip", "ReferenceFrame", "clip_matte", "crop_from_box", "prepare_clip"]


@dataclass
class ReferenceFrame:
    image: Image.Image  # RGB, at most 512 px on the long side, upright
    time: float  # seconds from the start of the clip
    score: float  # sharpness x subject presence, relative to the clip's sharpest frame


@dataclass
class PreparedClip:
    frames: list[ReferenceFrame]  # 4 to 6, sorted by time
    chosen: int  # index into frames of the best one: crop and poster come from it
    crop_box: list[float]  # [left, top, right, bottom] as fractions of the chosen frame
    crop: Image.Image
    poster: Image.Image  # 3:4
    audio: np.ndarray | None  # float32 mono at audio_rate, covering `window`; None when silent
    audio_rate: int
    info: ClipInfo
    window: tuple[float, float]  # seconds from the start of the clip


def prepare_clip(path, kind: str) -> PreparedClip:
    """Validate and decode the clip once, then choose its window, references, crop and poster."""
    if kind not in KINDS:
        raise ValueError(f"unknown avatar kind {kind!r}")
    sampler, listener = _FrameSampler(), _AudioCollector()
    info = scan_clip(path, on_video=sampler, on_audio=listener)
    candidates = [describe(c) for c in sampler.candidates]
    if not candidates:
        raise ClipError("corrupt")
    window = best_window(candidates, info.duration)
    picked = pick_references(candidates, window)
    chosen, box = _choose_and_crop(picked, kind)
    top = max(c.sharpness for c in picked) or 1.0
    frames = [ReferenceFrame(Image.fromarray(c.rgb), round(c.time, 3),
                             round(c.sharpness / top * c.presence, 4)) for c in picked]
    image = frames[chosen].image
    audio = listener.window(sampler.origin, window) if info.has_audio else None
    return PreparedClip(frames=frames, chosen=chosen, crop_box=box, crop=crop_from_box(image, box),
                        poster=_poster(image, box), audio=audio, audio_rate=AUDIO_RATE,
                        info=info, window=window)


def crop_from_box(image: Image.Image, box) -> Image.Image:
    """Cut `box` ([left, top, right, bottom] fractions, e.g. adjusted by the user) out of `image`."""
    # Clip, not shift: a box the user dragged past the edge means "up to the edge".
    left, top, right, bottom = (min(max(float(v), 0.0), 1.0) for v in box)
    if right - left < 0.01 or bottom - top < 0.01:
        raise ValueError("crop box is empty")
    width, height = image.size
    return image.crop((round(left * width), round(top * height),
                       round(right * width), round(bottom * height)))


def _choose_and_crop(picked: list[Candidate], kind: str) -> tuple[int, list[float]]:
    """The best frame and its subject box; for a person, prefer frames where a face is seen."""
    order = sorted(range(len(picked)), key=lambda i: picked[i].score, reverse=True)
    if kind == "person":
        for index in order:
            face = find_face(picked[index].rgb)
            if face is not None:
                height, width = picked[index].rgb.shape[:2]
                return index, head_and_shoulders(face, width / height)
    return order[0], picked[order[0]].box


def _poster(image: Image.Image, box) -> Image.Image:
    """The largest 3:4 cut of the frame, centred on the subject as far as the frame allows."""
    width, height = image.size
    poster_w, poster_h = min(width, height * 3 / 4), min(height, width * 4 / 3)
    cx, cy = (box[0] + box[2]) / 2 * width, (box[1] + box[3]) / 2 * height
    left = min(max(cx - poster_w / 2, 0), width - poster_w)
    top = min(max(cy - poster_h / 2, 0), height - poster_h)
    return image.crop((round(left), round(top), round(left + poster_w), round(top + poster_h)))


class _FrameSampler:
    """Keeps a small upright RGB copy of a few frames per second, converted straight from YUV."""

    def __init__(self):
        self.candidates: list[Candidate] = []
        self.origin: float | None = None
        self._next = 0.0

    def __call__(self, frame, time: float) -> None:
        if self.origin is None:
            self.origin = time
        relative = time - self.origin
        if relative + 1e-6 < self._next:
            return  # only sampled frames pay for colour conversion and scaling
        self._next = relative + 1.0 / SAMPLES_PER_SECOND
        scale = min(1.0, LONG_SIDE / max(frame.width, frame.height))
        width, height = (max(2, round(frame.width * scale)), max(2, round(frame.height * scale)))
        rgb = frame.reformat(width=width, height=height, format="rgb24",
                             interpolation="AREA").to_ndarray()
        turns = int(round(frame.rotation or 0)) // 90 % 4
        if turns:
            rgb = np.ascontiguousarray(np.rot90(rgb, k=turns))  # rotation is counter-clockwise
        self.candidates.append(Candidate(time=relative, rgb=rgb))


class _AudioCollector:
    """Resamples the audio track to 24 kHz mono float as it is decoded."""

    def __init__(self):
        self._resampler = av.AudioResampler(format="flt", layout="mono", rate=AUDIO_RATE)
        self._chunks: list[np.ndarray] = []
        self._start: float | None = None

    def __call__(self, frame, time: float) -> None:
        if self._start is None:
            self._start = time
        for out in self._resampler.resample(frame):
            self._chunks.append(out.to_ndarray().reshape(-1))

    def window(self, origin: float | None, window) -> np.ndarray:
        for out in self._resampler.resample(None):  # flush what the resampler still holds
            self._chunks.append(out.to_ndarray().reshape(-1))
        samples = np.concatenate(self._chunks) if self._chunks else np.zeros(0, np.float32)
        # Place the track on the video's clock: audio may start a little before or after it.
        offset = round(((self._start or 0.0) - (origin or 0.0)) * AUDIO_RATE)
        first, count = round(window[0] * AUDIO_RATE), round((window[1] - window[0]) * AUDIO_RATE)
        out = np.zeros(count, np.float32)
        source_from, target_from = max(first - offset, 0), max(offset - first, 0)
        taken = samples[source_from: source_from + count - target_from]
        out[target_from: target_from + len(taken)] = taken
        return out


# --- the matte: a second, short decode of the chosen window ----------------------------------------

def clip_matte(path, window, crop_box):
    """The matte (inference.media.matte) of the clip's `window` inside `crop_box`.

    The window is known only once the whole clip has been scanned, so its frames are decoded again
    (5 s at most); each is scaled so the crop is about the matte's height and cut to the crop plus a
    margin at once, so memory stays small whatever the clip's resolution."""
    from .matte import MAX_FPS, OUT_HEIGHT, MatteError, compute_matte

    start, end = float(window[0]), float(window[1])
    left, top, right, bottom = (min(max(float(v), 0.0), 1.0) for v in crop_box)
    if right - left < 0.01 or bottom - top < 0.01:
        raise MatteError("crop box is empty")
    margin_x, margin_y = 0.25 * (right - left), 0.25 * (bottom - top)
    outer = (max(0.0, left - margin_x), max(0.0, top - margin_y),
             min(1.0, right + margin_x), min(1.0, bottom + margin_y))
    frames, fps, audio = _window_frames(path, start, end, outer, OUT_HEIGHT / (bottom - top), MAX_FPS)
    if len(frames) < 2:
        raise MatteError("too few frames in the window")
    # The crop inside the cut-out piece, as fractions of that piece.
    width, height = outer[2] - outer[0], outer[3] - outer[1]
    inner = [(left - outer[0]) / width, (top - outer[1]) / height,
             (right - outer[0]) / width, (bottom - outer[1]) / height]
    return compute_matte(frames, fps, audio, AUDIO_RATE if audio is not None else None, inner)


def _window_frames(path, start, end, outer, display_height, max_fps):
    """RGB pieces (the `outer` box) of the frames in [start, end), at most `max_fps` a second,
    scaled so the full frame would be `display_height` pixels high (never enlarged); the window's
    audio as 24 kHz mono, or None."""
    sampler, listener = _WindowSampler(start, end, outer, display_height, max_fps), _AudioCollector()
    with av.open(str(path)) as container:
        video = container.streams.video[0]
        video.thread_type = "AUTO"
        audio = container.streams.audio[0] if container.streams.audio else None
        streams = [video] + ([audio] if audio is not None else [])
        for packet in container.demux(streams):
            try:
                decoded = packet.decode()
            except av.error.FFmpegError:
                continue  # the clip was validated at ingest; a bad packet only costs a frame
            for frame in decoded:
                if frame.time is None:
                    continue
                if packet.stream is video:
                    sampler(frame, frame.time)
                else:
                    listener(frame, frame.time)
            if sampler.done:
                break
    fps = sampler.fps
    sound = listener.window(sampler.origin, (start, end)) if audio is not None else None
    if sound is not None:
        sound = sound[: round(len(sampler.frames) / fps * AUDIO_RATE)]
    return sampler.frames, fps, sound


class _WindowSampler:
    def __init__(self, start, end, outer, display_height, max_fps):
        self.start, self.end, self.outer = start, end, outer
        self.display_height, self.max_fps = display_height, max_fps
        self.frames: list[np.ndarray] = []
        self.origin: float | None = None
        self.times: list[float] = []
        self.done = False

    def __call__(self, frame, time: float) -> None:
        if self.origin is None:
            self.origin = time
        relative = time - self.origin
        if relative + 1e-6 < self.start or self.done:
            return
        if relative >= self.end - 1e-6:
            self.done = True
            return
        if self.times and relative - self.times[-1] < 1.0 / self.max_fps - 1e-3:
            return  # fewer frames than the clip has: the matte's rate is capped
        turns = int(round(frame.rotation or 0)) // 90 % 4
        shown_h = frame.width if turns % 2 else frame.height
        scale = min(1.0, self.display_height / shown_h)
        width, height = max(2, round(frame.width * scale)), max(2, round(frame.height * scale))
        rgb = frame.reformat(width=width, height=height, format="rgb24", interpolation="AREA").to_ndarray()
        if turns:
            rgb = np.rot90(rgb, k=turns)
        h, w = rgb.shape[:2]
        x0, y0, x1, y1 = self.outer
        piece = rgb[round(y0 * h): round(y1 * h), round(x0 * w): round(x1 * w)]
        self.frames.append(np.ascontiguousarray(piece))
        self.times.append(relative)

    @property
    def fps(self) -> float:
        if len(self.times) < 2:
            return self.max_fps
        return round((len(self.times) - 1) / (self.times[-1] - self.times[0]), 3)
