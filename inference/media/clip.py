"""Validate an uploaded avatar reference clip: what it is, and whether we can use it.

`scan_clip` is the single decoding pass: it opens the file, refuses what we cannot use, decodes
every frame (so truncated and damaged files are caught, not only probed) and hands each decoded
frame to an optional callback. `prepare_clip` rides on that pass, so a clip is decoded once.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import av
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

MIN_SECONDS = 1.5
MAX_SECONDS = 30.0
MIN_SIDE = 64
MAX_SIDE = 4096
MAX_ASPECT = 4.0
# Headers of containers people upload; a file that starts like one but cannot be opened was cut
# short (an MP4 whose index sits at the end loses it when the upload stops half way).
_CONTAINER_MAGIC = (b"ftyp", b"\x1a\x45\xdf\xa3", b"RIFF", b"OggS", b"moov", b"mdat", b"wide")
# Demuxers for still images: FFmpeg opens a PNG or JPEG as a one-frame "video".
_IMAGE_DEMUXERS = ("image2", "webp_pipe", "gif_pipe")

MESSAGES = {
    "not_video": _("This file is not a video we can read. Please upload an MP4, MOV or WebM clip."),
    "truncated": _("This video seems incomplete, perhaps the upload was cut short. Please try again."),
    "corrupt": _("This video is damaged and cannot be played to the end. Please record it again."),
    "no_video_stream": _("This file has no picture, only sound. Please upload a video clip."),
    "too_short": _("This clip is too short. Please record at least %(min_seconds)s seconds; 2 to 5 seconds is best."),
    "too_long": _("This clip is too long. Please keep it under %(max_seconds)s seconds; 2 to 5 seconds is best."),
    "too_small_dims": _("This video is too small to see anyone in it. Please record at a higher quality."),
    "too_large_dims": _("This video is larger than we can handle (more than %(max_side)s pixels on a side)."),
    "bad_aspect": _("This video is too narrow or too wide. Please record in portrait or landscape."),
}


# The numbers the messages quote are the rules above, so a message cannot promise another limit.
LIMITS = {"min_seconds": f"{MIN_SECONDS:g}", "max_seconds": f"{MAX_SECONDS:g}", "max_side": MAX_SIDE}
# Formatted when shown, not when raised: the reader's language applies.
_with_limits = lazy(lambda message: str(message) % LIMITS, str)


class ClipError(Exception):
    """A clip we refuse; `code` is a stable slug for code, logs and tests, `message` (and str())
    is the sentence for the user, without the code."""

    def __init__(self, code: str, message=None):
        self.code = code
        self.message = message if message is not None else _with_limits(MESSAGES[code])
        super().__init__(code)

    def __str__(self):
        return str(self.message)

    def __repr__(self):
        return f"ClipError({self.code!r})"


@dataclass
class ClipInfo:
    duration: float  # seconds, from the first frame's start to the last frame's end
    width: int  # as displayed, i.e. after rotation
    height: int
    fps: float  # average over the whole clip (variable frame rate is fine)
    rotation: int  # degrees counter-clockwise the picture is turned for display (0/90/180/270)
    video_codec: str
    has_audio: bool


FrameCallback = Callable[["av.VideoFrame", float], None]


def probe_clip(path) -> ClipInfo:
    """Validate the clip at `path` by decoding it fully; raise ClipError if we cannot use it."""
    return scan_clip(path)


def scan_clip(path, on_video: FrameCallback | None = None, on_audio: FrameCallback | None = None,
              ) -> ClipInfo:
    """Decode the whole clip once, calling back with (frame, its timestamp in seconds)."""
    container = _open(path)
    try:
        video = _video_stream(container)
        audio = container.streams.audio[0] if container.streams.audio else None
        video.thread_type = "AUTO"  # frame threading: the decode dominates ingest time
        declared = _declared_seconds(container, video)
        if declared is not None and declared > MAX_SECONDS + 1.0:
            raise ClipError("too_long")  # no need to decode ten minutes to say no
        timing = _decode_all(container, video, audio, on_video, on_audio)
    finally:
        container.close()
    return _check_timing(timing, declared, video, audio)


def _open(path):
    try:
        container = av.open(str(path), mode="r")
    except (av.error.FFmpegError, OSError, ValueError) as exc:
        if isinstance(exc, FileNotFoundError):
            raise
        raise ClipError("truncated" if _looks_like_container(path) else "not_video") from exc
    name = container.format.name
    if name in _IMAGE_DEMUXERS or name.endswith("_pipe"):
        container.close()
        raise ClipError("not_video")
    return container


def _looks_like_container(path) -> bool:
    with open(path, "rb") as handle:
        head = handle.read(16)
    return any(magic in head for magic in _CONTAINER_MAGIC)


def _video_stream(container):
    for stream in container.streams.video:
        # Cover art in audio files shows up as a one-picture video stream; it is not a video.
        if stream.disposition & av.stream.Disposition.attached_pic:
            continue
        if stream.codec_context is not None and stream.codec_context.name:
            return stream
    container.close()
    raise ClipError("no_video_stream")


def _declared_seconds(container, video) -> float | None:
    if video.duration is not None and video.time_base is not None:
        return float(video.duration * video.time_base)
    if container.duration is not None:
        return container.duration / av.time_base
    return None  # browser-recorded WebM often carries no duration


@dataclass
class _Scan:
    """What the decoding pass learned; turned into a ClipInfo or a ClipError at the end."""
    first: float | None = None
    last: float | None = None
    last_length: float = 0.0
    frames: int = 0
    errors: int = 0
    rotation: int = 0
    width: int = 0
    height: int = 0


def _decode_all(container, video, audio, on_video, on_audio) -> _Scan:
    scan = _Scan()
    streams = [video] + ([audio] if audio is not None else [])
    try:
        for packet in container.demux(streams):
            try:
                frames = packet.decode()
            except av.error.FFmpegError:
                scan.errors += 1  # a damaged packet: keep going to learn how much is left
                continue
            for frame in frames:
                if packet.stream is video:
                    _take_video_frame(scan, frame, on_video)
                elif on_audio is not None and frame.time is not None:
                    on_audio(frame, frame.time)
    except av.error.FFmpegError:
        scan.errors += 1  # the demuxer itself ran into missing or garbled data
    return scan


def _take_video_frame(scan: _Scan, frame, on_video) -> None:
    if scan.first is None:
        _check_dimensions(scan, frame)
    # Variable frame rate: a frame's place in time is its timestamp, never index / fps.
    time = frame.time if frame.time is not None else (scan.last or 0.0) + (scan.last_length or 0.04)
    if scan.first is None:
        scan.first = time
    scan.errors += bool(frame.is_corrupt)
    scan.last_length = float(frame.duration * frame.time_base) if frame.duration else (
        time - scan.last if scan.last is not None and time > scan.last else scan.last_length)
    scan.last = max(time, scan.last if scan.last is not None else time)
    scan.frames += 1
    if scan.last - scan.first > MAX_SECONDS + 0.5:
        raise ClipError("too_long")  # a clip without a declared duration: stop once we know
    if on_video is not None:
        on_video(frame, time)


def _check_dimensions(scan: _Scan, frame) -> None:
    scan.rotation = int(round(frame.rotation or 0)) % 360
    width, height = frame.width, frame.height
    if scan.rotation in (90, 270):
        width, height = height, width
    scan.width, scan.height = width, height
    if min(width, height) < MIN_SIDE:
        raise ClipError("too_small_dims")
    if max(width, height) > MAX_SIDE:
        raise ClipError("too_large_dims")
    if max(width, height) / min(width, height) > MAX_ASPECT:
        raise ClipError("bad_aspect")


def _check_timing(scan: _Scan, declared, video, audio) -> ClipInfo:
    if scan.frames == 0:
        raise ClipError("corrupt" if scan.errors else "no_video_stream")
    duration = scan.last - scan.first + scan.last_length
    if declared and duration < declared * 0.9 - 0.25:
        raise ClipError("truncated")  # the index promised more frames than the file holds
    if scan.errors:
        raise ClipError("corrupt")
    if duration < MIN_SECONDS:
        raise ClipError("too_short")
    if duration > MAX_SECONDS:
        raise ClipError("too_long")
    return ClipInfo(
        duration=round(duration, 3), width=scan.width, height=scan.height,
        fps=round(scan.frames / duration, 2), rotation=scan.rotation,
        video_codec=video.codec_context.name, has_audio=audio is not None,
    )
