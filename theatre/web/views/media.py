"""Private files of films and avatars, sent only after the access querysets say yes. URLs carry
ids (or a share token), never a storage path, and a stranger gets the same 404 as for nothing."""
from django.http import Http404
from django.utils.text import slugify

from theatre.services.access import get_avatar_for, get_film_for, get_frame_for, get_shared_film
from theatre.web.ranges import serve_file

FILM_FILES = {"video": "video/mp4", "poster": None}  # poster: by its extension
# The clip and the voice sample are the raw likeness: only the owner gets them back.
# URL name of each file -> (model field, owner only?)
AVATAR_FILES = {"poster": ("poster", False), "crop": ("crop", False), "matte": ("matte_preview", False), "clip": ("clip", True), "voice": ("voice_sample", True)}


def film_video(request, film_id):
    return _film_file(request, get_film_for(request.user, film_id), "video")


def film_poster(request, film_id):
    return _film_file(request, get_film_for(request.user, film_id), "poster")


def film_download(request, film_id):
    return _film_file(request, get_film_for(request.user, film_id), "video", download=True)


def shared_video(request, token):
    return _film_file(request, get_shared_film(token), "video")


def shared_poster(request, token):
    return _film_file(request, get_shared_film(token), "poster")


def shared_download(request, token):
    return _film_file(request, get_shared_film(token), "video", download=True)


def avatar_file(request, avatar_id, kind):
    if kind not in AVATAR_FILES:
        raise Http404
    field, owner_only = AVATAR_FILES[kind]
    avatar = get_avatar_for(request.user, avatar_id, may="own" if owner_only else "view")
    return serve_file(request, getattr(avatar, field))


def avatar_frame(request, avatar_id, frame_id):
    return serve_file(request, get_frame_for(request.user, avatar_id, frame_id).image)


def _film_file(request, film, kind, download=False):
    name = f"{slugify(film.title) or 'film'}.mp4" if download else None
    return serve_file(request, getattr(film, kind), download_name=name, content_type=FILM_FILES[kind])
