"""Media side of avatar creation: validate an uploaded reference clip and prepare its references.

Plain functions only; the avatar job calls `prepare_clip` and stores what it returns.
"""
from .clip import ClipError, ClipInfo, probe_clip
from .ingest import PreparedClip, ReferenceFrame, crop_from_box, prepare_clip

__all__ = [
    "ClipError", "ClipInfo", "probe_clip",
    "PreparedClip", "ReferenceFrame", "crop_from_box", "prepare_clip",
]
