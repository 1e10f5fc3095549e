"""Builds the renderers' FilmSpec from a film's rows, checking again that every avatar may still be
cast: consent can be revoked between casting and rendering."""
import re
from pathlib import Path

from django.utils.translation import gettext as _

from .specs import CastRef, FilmSpec, LineSpec, ShotSpec

MENTION = re.compile(r"@([\w-]+)", re.UNICODE)


class RenderRefused(Exception):
    """The film may not be rendered as cast; the message says what to change."""


def build_film_spec(film, *, width=854, height=480, fps=24):
    from theatre.casting import CastingError, check_cast

    try:
        check_cast(film)
    except CastingError as error:
        raise RenderRefused(str(error)) from error
    script = film.script
    cast = {m.role.key: cast_ref(m.role, m.avatar) for m in film.cast.select_related("role", "avatar")}
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
                    language=script.language, width=width, height=height, fps=fps)


def cast_ref(role, avatar):
    frames = [Path(frame.image.path) for frame in sorted(avatar.frames.all(), key=lambda f: (not f.chosen, f.time))]
    return CastRef(
        role_key=role.key, name=avatar.name, kind=avatar.kind,
        description=avatar.description or role.description,
        reference_images=frames, crop=Path(avatar.crop.path) if avatar.crop else None,
        voice_profile=avatar.voice_profile or {},
        voice_sample=Path(avatar.voice_sample.path) if avatar.voice_sample else None,
        voice_preset=avatar.voice_preset,
    )
