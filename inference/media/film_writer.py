"""Streams a film's frames and sound track into an MP4 (H.264 + AAC, faststart) with provenance.

Frames are encoded as they arrive, so memory does not grow with the film's length. The file is
written under a temporary name in the same folder and renamed only when it is complete: a render
that fails half-way leaves no partial film behind.
"""
import json
import os
from datetime import datetime, timezone
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from PIL import Image

PROVENANCE_KEYS = ("comment", "description")  # both read back by ffprobe/PyAV
# GB 45438's implicit label is a metadata key named AIGC (inference/media/provenance.py). The MP4
# muxer drops keys it does not know unless use_metadata_tags is set; then every key, these
# included, is written as a QuickTime `mdta` key in moov/udta/meta, where the label's readers look.
MOVFLAGS = "+faststart+use_metadata_tags"
AAC_FRAME = 1024  # samples per AAC frame


def provenance(*, backend: str, model: str = "", seed: int | None = None, film_id=None, **extra) -> dict:
    """The machine-readable record every film carries (EU AI Act / China's AIGC labelling rules)."""
    record = {
        "ai_generated": True,
        "generator": "AI Little Theatre",
        "backend": backend,
        "model": model,
        "seed": seed,
        "film_id": film_id,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    record.update(extra)
    return record


def read_provenance(path) -> dict | None:
    """The provenance JSON of an MP4 written by FilmWriter, or None when it has none."""
    with av.open(str(path)) as container:
        for key in PROVENANCE_KEYS:
            value = container.metadata.get(key)
            if value:
                try:
                    return json.loads(value)
                except ValueError:
                    continue
    return None


class FilmWriter:
    """with FilmWriter(path, 854, 480, 24, audio, 24000, metadata) as writer: writer.write(frame)"""

    def __init__(self, path, width: int, height: int, fps: int, audio: np.ndarray | None = None,
                 audio_rate: int = 24000, metadata: dict | None = None, *, crf: int = 23,
                 preset: str = "veryfast"):
        self.path = Path(path)
        self.width, self.height, self.fps = width, height, fps
        self.audio = _as_planar_float(audio) if audio is not None and len(audio) else None
        self.audio_rate = audio_rate
        self.metadata = dict(metadata or {})
        self.crf, self.preset = crf, preset
        self.frames_written = 0
        self._audio_done = 0  # samples already encoded
        self._container = None
        self._tmp_path = self.path.with_name(f".{self.path.stem}.{os.getpid()}.partial{self.path.suffix or '.mp4'}")

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._container = av.open(str(self._tmp_path), mode="w", format="mp4",
                                  options={"movflags": MOVFLAGS})
        self._open_streams()
        return self

    def _open_streams(self):
        container = self._container
        text = json.dumps(self.metadata, ensure_ascii=False, sort_keys=True)
        for key in PROVENANCE_KEYS:
            container.metadata[key] = text
        if self.metadata.get("title"):
            container.metadata["title"] = str(self.metadata["title"])
        if isinstance(self.metadata.get("AIGC"), dict):  # the implicit label: a flat JSON object
            container.metadata["AIGC"] = json.dumps(self.metadata["AIGC"], ensure_ascii=False, separators=(",", ":"))
        self._video = container.add_stream("libx264", rate=self.fps)
        self._video.width, self._video.height = self.width, self.height
        self._video.pix_fmt = "yuv420p"
        self._video.options = {"crf": str(self.crf), "preset": self.preset}
        self._audio_stream = None
        if self.audio is not None:
            self._audio_stream = container.add_stream("aac", rate=self.audio_rate)
            self._audio_stream.layout = "mono" if self.audio.shape[0] == 1 else "stereo"
            self._audio_stream.bit_rate = 128000

    def write(self, frame: np.ndarray):
        """Encodes one RGB uint8 frame (height x width x 3); other sizes are resized to fit."""
        frame = np.ascontiguousarray(frame, dtype=np.uint8)
        if frame.shape[:2] != (self.height, self.width):
            frame = np.asarray(Image.fromarray(frame).resize((self.width, self.height), Image.Resampling.BILINEAR))
        video_frame = av.VideoFrame.from_ndarray(frame, format="rgb24")
        video_frame.pts = self.frames_written
        video_frame.time_base = Fraction(1, self.fps)
        self._container.mux(self._video.encode(video_frame))
        self.frames_written += 1
        # Interleave the sound with the picture as we go rather than all at the end.
        self._encode_audio_until(round(self.frames_written / self.fps * self.audio_rate))

    def _encode_audio_until(self, sample: int, *, final: bool = False):
        if self._audio_stream is None:
            return
        total = self.audio.shape[1]
        end = total if final else min(sample, total)
        while self._audio_done + (0 if final else AAC_FRAME) <= end and self._audio_done < total:
            chunk = self.audio[:, self._audio_done:self._audio_done + AAC_FRAME]
            audio_frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(chunk), format="fltp",
                                                     layout=self._audio_stream.layout.name)
            audio_frame.sample_rate = self.audio_rate
            audio_frame.pts = self._audio_done
            audio_frame.time_base = Fraction(1, self.audio_rate)
            self._container.mux(self._audio_stream.encode(audio_frame))
            self._audio_done += chunk.shape[1]

    def _finish(self):
        self._container.mux(self._video.encode(None))
        if self._audio_stream is not None:
            self._encode_audio_until(0, final=True)
            self._container.mux(self._audio_stream.encode(None))
        self._container.close()

    def __exit__(self, exc_type, exc, tb):
        try:
            if exc_type is None:
                self._finish()
                os.replace(self._tmp_path, self.path)
                return False
        except BaseException:
            exc_type = True
            raise
        finally:
            if exc_type is not None:
                self._abandon()
        return False

    def _abandon(self):
        try:
            self._container.close()
        except Exception:  # noqa: BLE001 - the container may be half-written; we delete it anyway
            pass
        self._tmp_path.unlink(missing_ok=True)


def _as_planar_float(audio: np.ndarray) -> np.ndarray:
    """(samples,) or (samples, channels) int16/float -> (channels, samples) float32 in -1..1."""
    audio = np.asarray(audio)
    if audio.dtype == np.int16:
        audio = audio.astype(np.float32) / 32768.0
    audio = np.clip(audio.astype(np.float32), -1.0, 1.0)
    if audio.ndim == 1:
        audio = audio[None, :]
    elif audio.shape[1] <= 2 < audio.shape[0]:  # (samples, channels) -> (channels, samples)
        audio = audio.T
    return np.ascontiguousarray(audio[:2])


def save_poster(frame: np.ndarray, path, quality: int = 85) -> Path:
    """Saves a frame as the film's poster JPEG (for the page and the link preview card)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.partial.jpg")
    Image.fromarray(np.asarray(frame, dtype=np.uint8)).convert("RGB").save(tmp, "JPEG", quality=quality,
                                                                            optimize=True)
    os.replace(tmp, path)
    return path
