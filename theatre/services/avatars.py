"""Avatars: create one from an uploaded clip, prepare it on a worker, adjust it, delete it for good."""
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from theatre.models import Avatar, AvatarFrame, MatteStatus


class AvatarError(Exception):
    """Something the user asked that cannot be done; the message says why."""


@contextmanager
def local_copy(field_file):
    """A path on local disk for a stored file: the file itself on disk storage, a temp copy on S3."""
    try:
        yield Path(field_file.path)
        return
    except NotImplementedError:
        pass
    suffix = Path(field_file.name).suffix
    with tempfile.NamedTemporaryFile(suffix=suffix) as copy:
        with field_file.open("rb") as source:
            for chunk in iter(lambda: source.read(1 << 20), b""):
                copy.write(chunk)
        copy.flush()
        yield Path(copy.name)


def check_clip(uploaded):
    """Probes an upload before anything is saved, so a bad file leaves nothing behind."""
    from inference.media.clip import probe_clip

    path = getattr(uploaded, "temporary_file_path", None)
    if path:
        return probe_clip(path())
    with tempfile.NamedTemporaryFile(suffix=Path(uploaded.name).suffix or ".bin") as copy:
        for chunk in uploaded.chunks():
            copy.write(chunk)
        copy.flush()
        uploaded.seek(0)
        return probe_clip(copy.name)


@transaction.atomic
def create_avatar(owner, *, name, kind, description, policy, clip):
    avatar = Avatar(owner=owner, name=name, kind=kind, description=description, policy=policy)
    avatar.clip.save(_safe_name(clip.name), clip, save=False)
    avatar.save()
    enqueue_preparation(avatar)
    return avatar


def _safe_name(name):
    suffix = Path(name or "").suffix.lower()
    return "clip" + (suffix if suffix in {".mp4", ".mov", ".webm", ".mkv", ".m4v"} else ".bin")


def enqueue_preparation(avatar):
    from inference.queueing import enqueue_avatar_preparation

    enqueue_avatar_preparation(avatar)


@transaction.atomic
def retry_preparation(avatar):
    if not avatar.clip:
        raise AvatarError(_("The clip of this avatar is gone; please upload a new one."))
    # One conditional UPDATE is both the check and the change (as casting.request_render): of two
    # retries at the same instant (a double click) only one finds the avatar failed and enqueues.
    updated = Avatar.objects.filter(pk=avatar.pk, status=Avatar.Status.FAILED).update(
        status=Avatar.Status.PROCESSING, failure_reason="")
    if not updated:
        raise AvatarError(_("Only an avatar whose preparation failed can be retried."))
    avatar.status, avatar.failure_reason = Avatar.Status.PROCESSING, ""
    enqueue_preparation(avatar)


def store_prepared(avatar, prepared, voice_profile, voice_preset, voice_wav):
    """Saves what the preparation job found. Old frames go first, so a re-run does not pile up;
    if the storage refuses a write (a full disk), the frames saved so far go too, so a failed
    avatar holds no space but its clip, and a retry starts clean."""
    _delete_frames(avatar)
    try:
        _store_prepared(avatar, prepared, voice_profile, voice_preset, voice_wav)
    except OSError:
        _delete_frames(avatar)
        raise


def _store_prepared(avatar, prepared, voice_profile, voice_preset, voice_wav):
    for index, frame in enumerate(prepared.frames):
        row = AvatarFrame(avatar=avatar, time=frame.time, score=frame.score, chosen=index == prepared.chosen)
        row.image.save(f"frame-{index}.jpg", _jpeg(frame.image), save=False)
        row.save()
    _replace_file(avatar.crop, "crop.png", _png(prepared.crop))
    _replace_file(avatar.poster, "poster.jpg", _jpeg(prepared.poster))
    if voice_wav is not None:
        _replace_file(avatar.voice_sample, "voice.wav", ContentFile(voice_wav))
    avatar.crop_box = [round(v, 4) for v in prepared.crop_box]
    avatar.clip_window = [round(float(v), 3) for v in prepared.window]
    avatar.voice_profile = voice_profile
    avatar.voice_preset = avatar.voice_preset or voice_preset
    avatar.status, avatar.failure_reason = Avatar.Status.READY, ""
    avatar.save()


def choose_frame(avatar, frame_id):
    """The user prefers another reference frame: it becomes the poster and gives the crop."""
    from inference.media.ingest import crop_from_box

    frame = avatar.frames.filter(pk=frame_id).first()
    if frame is None:
        raise AvatarError(_("That frame does not belong to this avatar."))
    with transaction.atomic():
        avatar.frames.update(chosen=False)
        frame.chosen = True
        frame.save(update_fields=["chosen"])
    _recrop(avatar, frame, avatar.crop_box or [0, 0, 1, 1], crop_from_box)


def adjust_crop(avatar, box):
    from inference.media.ingest import crop_from_box

    left, top, right, bottom = box
    if not (0 <= left < right <= 1 and 0 <= top < bottom <= 1) or (right - left) * (bottom - top) < 0.01:
        raise AvatarError(_("The crop must be a box inside the picture, not too small."))
    frame = avatar.frames.filter(chosen=True).first() or avatar.frames.first()
    if frame is None:
        raise AvatarError(_("This avatar has no frames yet."))
    _recrop(avatar, frame, list(box), crop_from_box)


def _recrop(avatar, frame, box, crop_from_box):
    from PIL import Image

    with frame.image.open("rb") as handle:
        image = Image.open(handle).convert("RGB")
        crop = crop_from_box(image, box)
    _replace_file(avatar.crop, "crop.png", _png(crop))
    avatar.crop_box = [round(v, 4) for v in box]
    avatar.save(update_fields=["crop", "crop_box"])
    request_matte(avatar)


# --- the matte: the subject cut out of the clip, redone on a worker when the crop changes --------

MATTE_FAILED = gettext_noop("We could not cut the subject out of this clip, so films show the crop as it is. "
                 "A clip with the subject moving in front of a plain, still background cuts out best.")


def request_matte(avatar):
    """Marks the matte as being made and has a worker make it once this change is committed. An
    avatar without a clip (a stock character) has none to make."""
    if not avatar.clip:
        return
    avatar.matte_status, avatar.matte_note = MatteStatus.PENDING, ""
    avatar.save(update_fields=["matte_status", "matte_note"])
    from inference.queueing import enqueue_matte

    transaction.on_commit(lambda: enqueue_matte(avatar))


def store_matte(avatar, matte, failure=""):
    """Saves a computed matte (inference.media.matte.MatteClip) and its page preview, or, with
    `matte` None, records that there is none and why; the avatar stays usable either way."""
    from inference.media.matte import matte_bytes, preview_webp

    _delete_matte_files(avatar)
    if matte is None:
        avatar.matte_status, avatar.matte_note = MatteStatus.FAILED, (failure or MATTE_FAILED)[:300]
    else:
        try:
            avatar.matte.save("matte.npz", ContentFile(matte_bytes(matte)), save=False)
            avatar.matte_preview.save("matte.webp", ContentFile(preview_webp(matte)), save=False)
        except OSError:
            _delete_matte_files(avatar)
            raise
        avatar.matte_status, avatar.matte_note = MatteStatus.READY, ""
    avatar.save(update_fields=["matte", "matte_preview", "matte_status", "matte_note"])


def _delete_matte_files(avatar):
    for field in (avatar.matte, avatar.matte_preview):
        if field:
            field.delete(save=False)


def delete_avatar(avatar):
    """Deletes the avatar and every file of its likeness: clip, frames, crop, poster, voice.
    Others' films with it are taken down first: once the avatar is gone its owner could no longer
    find them to do so."""
    from theatre.models import TakeDown
    from theatre.services.sharing import take_down

    # Their take-down holds for good: with the avatar gone, they can no longer reach the film to lift it.
    castings = avatar.castings.select_related("film").exclude(film__owner=avatar.owner) if avatar.owner_id else ()
    for casting in castings:
        take_down(casting.film, avatar.owner, reason=TakeDown.Reason.AVATAR_DELETED)
    _delete_frames(avatar)
    for field in (avatar.clip, avatar.poster, avatar.crop, avatar.voice_sample, avatar.matte, avatar.matte_preview):
        if field:
            field.delete(save=False)
    avatar.delete()


def _delete_frames(avatar):
    for frame in avatar.frames.all():
        frame.image.delete(save=False)
    avatar.frames.all().delete()


def _replace_file(field, name, content):
    if field:
        field.delete(save=False)
    field.save(name, content, save=False)


def _jpeg(image):
    import io

    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=88)
    return ContentFile(buffer.getvalue())


def _png(image):
    import io

    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return ContentFile(buffer.getvalue())


def clip_size_limit_mb():
    from django.conf import settings

    return settings.AVATAR_CLIP_MAX_BYTES // (1024 * 1024)
