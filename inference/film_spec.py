"""Builds the renderers' FilmSpec from a film's rows, checking again that every avatar may still be
cast: consent can be revoked between casting and rendering. The avatar files a render needs, and a
remix's parent film (for its Content Credentials), are copied into the job's work folder, because a
worker on another machine has no storage path (S3)."""
import re
import shutil
from pathlib import Path

from django.utils.translation import gettext as _

from .specs import CastRef, FilmSpec, LineSpec, ParentFilm, ShotSpec

MENTION = re.compile(r"@([\w-]+)", re.UNICODE)


class RenderRefused(Exception):
    """The film may not be rendered as cast; the message says what to change."""


def build_film_spec(film, workdir, *, width=854, height=480, fps=24):
    from theatre.services.casting import CastingError, check_cast

    try:
        check_cast(film)
    except CastingError as error:
        raise RenderRefused(str(error)) from error
    script = film.script
    workdir = Path(workdir)
    cast = {m.role.key: cast_ref(m.role, m.avatar, workdir / "cast" / m.role.key)
            for m in film.cast.select_related("role", "avatar")}
    names = {key: ref.name for key, ref in cast.items()}
    shots = [
        ShotSpec(
            index=index, framing=shot.framing, camera_move=shot.camera_move,
            action=MENTION.sub(lambda m: names.get(m.group(1), m.group(1)), shot.action),
            role_keys=[key for key in shot.role_keys if key in cast],
            lines=[LineSpec(role_key=line["role"], text=line["text"], language=script.language)
                   for line in shot.dialogue if line.get("role") in cast and line.get("text", "").strip()],
            duration=shot.duration,
        )
        for index, shot in enumerate(script.shots.all())
    ]
    if not shots:
        raise RenderRefused(_("This film's script has no shots."))
    return FilmSpec(film_id=film.pk, title=film.title, seed=film.seed, shots=shots, cast=cast,
                    language=script.language, width=width, height=height, fps=fps,
                    parent=parent_ref(film, workdir / "parent"))


def parent_ref(film, stem):
    """The film a remix came from, its file copied to `stem`.mp4 (through the storage, like the
    avatars' files), or None for a film that is not a remix."""
    parent = film.remixed_from
    if parent is None:
        return None
    video = None
    if parent.video:
        try:
            video = fetch(parent.video, stem)
        except OSError:  # its file is gone from the storage: the remix still names it by id
            video = None
    return ParentFilm(film_id=parent.pk, title=parent.title, video=video)


def cast_ref(role, avatar, folder):
    """The role's avatar as the renderers see it, its files copied into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    ordered = sorted(avatar.frames.all(), key=lambda f: (not f.chosen, f.time))
    frames = [fetch(frame.image, folder / f"frame-{index}") for index, frame in enumerate(ordered)]
    profile = avatar.voice_profile or {}
    clip, window = None, None
    if profile.get("has_speech") and avatar.clip:
        # The clip travels only for avatars that speak (a video reference with its sound, for h3).
        # The preparation stores the best window it chose (Avatar.clip_window); an avatar prepared
        # before it did gets the window inferred from its frames and voice sample.
        window = tuple(avatar.clip_window) if len(avatar.clip_window or ()) == 2 else speech_window(ordered, profile)
        clip = fetch(avatar.clip, folder / "clip")
    return CastRef(
        role_key=role.key, name=avatar.name, kind=avatar.kind,
        description=avatar.description or role.description,
        reference_images=frames, crop=fetch(avatar.crop, folder / "crop") if avatar.crop else None,
        voice_profile=avatar.voice_profile or {},
        voice_sample=fetch(avatar.voice_sample, folder / "voice") if avatar.voice_sample else None,
        voice_preset=avatar.voice_preset, clip=clip, clip_window=window,
        matte=fetch(avatar.matte, folder / "matte") if avatar.matte else None,
    )


def speech_window(frames, profile, longest=5.0):
    """Where in the clip the avatar speaks best: the ingest picked its reference frames and its
    voice sample from one best window (inference/media/selection.best_window); the window starts
    at or before the earliest of those frames and lasts as long as the voice sample."""
    start = max(0.0, min((frame.time for frame in frames), default=0.0) - 0.25)
    seconds = float(profile.get("duration") or longest)
    return round(start, 3), round(start + min(longest, max(1.5, seconds)), 3)


def fetch(field_file, stem):
    """Copies a stored file to `stem` + its extension through the storage's open(), which works on
    local disk and on S3 alike; the renderers then read plain local files."""
    target = stem.with_suffix(Path(field_file.name).suffix)
    with field_file.open("rb") as source, open(target, "wb") as copy:
        shutil.copyfileobj(source, copy, 1 << 20)
    field_file.close()
    return target
