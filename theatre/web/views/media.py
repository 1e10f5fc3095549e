"""Private files of films and avatars, sent only after the access querysets say yes. URLs carry
ids (or a share token), never a storage path, and a stranger gets the same 404 as for nothing."""
from django.shortcuts import get_object_or_404
from django.http import Http404
from django.utils.text import slugify

from theatre.services.access import avatar_owned_by, visible_avatars, visible_film
from theatre.models import AvatarFrame
from theatre.web.ranges import serve_file
from theatre.services.sharing import active_link

FILM_FILES = {"video": "video/mp4", "poster": None}  # poster: by its extension
# The clip and the voice sample are the raw likeness: only the owner gets them back.
# URL name of each file -> (model field, owner only?)
AVATAR_FILES = {"poster": ("poster", False), "crop": ("crop", False), "clip": ("clip", True), "voice": ("voice_sample", True)}


def film_video(request, film_id):
    return _film_file(request, _visible_film(request, film_id), "video")


def film_poster(request, film_id):
    return _film_file(request, _visible_film(request, film_id), "poster")


def film_download(request, film_id):
    return _film_file(request, _visible_film(request, film_id), "video", download=True)


def _visible_film(request, film_id):
    film = visible_film(request.user, film_id)
    if film is None:
        raise Http404
    return film


def shared_video(request, token):
    return _film_file(request, _shared_film(token), "video")


def shared_poster(request, token):
    return _film_file(request, _shared_film(token), "poster")


def shared_download(request, token):
    return _film_file(request, _shared_film(token), "video", download=True)


def avatar_file(request, avatar_id, kind):
    if kind not in AVATAR_FILES:
        raise Http404
    field, owner_only = AVATAR_FILES[kind]
    avatars = avatar_owned_by(request.user) if owner_only else visible_avatars(request.user)
    avatar = get_object_or_404(avatars, pk=avatar_id)
    return serve_file(request, getattr(avatar, field))


def avatar_frame(request, avatar_id, frame_id):
    frame = get_object_or_404(AvatarFrame, avatar__in=visible_avatars(request.user), avatar_id=avatar_id, pk=frame_id)
    return serve_file(request, frame.image)


def _shared_film(token):
    link = active_link(token)
    if link is None:
        raise Http404
    return link.film


def _film_file(request, film, kind, download=False):
    name = f"{slugify(film.title) or 'film'}.mp4" if download else None
    return serve_file(request, getattr(film, kind), download_name=name, content_type=FILM_FILES[kind])
