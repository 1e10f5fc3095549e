"""Who may see and use what: the one gate. Views, the API, the WebSocket consumer and the media
routes get each row through a `get_…_for` function here, which looks it up inside the set the
user may see and raises Http404 otherwise, so a stranger cannot even learn that a row exists
(healthchecks' `_get_check_for_user`). The querysets below are those sets, for list pages and for
the domain functions; `tests/theatre/test_one_gate.py` fails when a view or the consumer looks
rows up by itself."""
from django.db.models import Q
from django.http import Http404

from accounts.friends import friend_ids
from theatre.models import Avatar, AvatarFrame, AvatarUseRequest, CastMember, Film, Script, ShareLink


# --- avatars -------------------------------------------------------------------------------------

def castable_avatars(user):
    """Ready avatars this user may put in a film right now (checked at casting and at rendering)."""
    ready = Avatar.objects.filter(status=Avatar.Status.READY)
    if not user or not user.is_authenticated:
        return ready.filter(stock_key__isnull=False)
    friends = friend_ids(user)
    approved = AvatarUseRequest.objects.filter(
        requester=user, status=AvatarUseRequest.Status.APPROVED
    ).values("avatar_id")
    return ready.filter(
        Q(stock_key__isnull=False)
        | Q(owner=user)
        | Q(policy=Avatar.Policy.EVERYONE)
        | Q(policy=Avatar.Policy.FRIENDS, owner__in=friends)
        | Q(policy=Avatar.Policy.APPROVED, owner__in=friends, pk__in=approved)
    )


def visible_avatars(user):
    """Avatars whose page and pictures this user may see: their own, castable ones, and those of
    friends (so a friend can ask to use one)."""
    if not user or not user.is_authenticated:
        return Avatar.objects.filter(stock_key__isnull=False)
    friends = friend_ids(user)
    return Avatar.objects.filter(
        Q(stock_key__isnull=False)
        | Q(owner=user)
        | Q(pk__in=castable_avatars(user).values("pk"))
        | (Q(owner__in=friends) & ~Q(policy=Avatar.Policy.ONLY_ME))
    )


def avatars_owned_by(user):
    return Avatar.objects.filter(owner=user) if user and user.is_authenticated else Avatar.objects.none()


def stock_avatars():
    """The project's own characters, ready to cast, by name."""
    return Avatar.objects.filter(stock_key__isnull=False, status=Avatar.Status.READY).order_by("name")


def friends_avatars(user):
    """Friends' ready avatars this user may see (the avatar list's "friends" part)."""
    if not user or not user.is_authenticated:
        return Avatar.objects.none()
    return visible_avatars(user).filter(owner__in=friend_ids(user), status=Avatar.Status.READY)


def _hearable_avatars(user):
    """Whose voice preview the user may play: their own, and the stock characters (the project's
    own, which anyone may cast). A friend's voice is their likeness: it is heard in films only."""
    mine = Q(owner=user) if user and user.is_authenticated else Q(pk__in=[])
    return Avatar.objects.filter(mine | Q(stock_key__isnull=False), status=Avatar.Status.READY)


AVATAR_SETS = {
    "view": visible_avatars,  # its page, poster, crop and frames
    "own": avatars_owned_by,  # change or delete it, its raw clip and voice sample, its progress
    "cast": castable_avatars,
    "hear": _hearable_avatars,
}


def get_avatar_for(user, pk, *, may="view", related=()):
    """The avatar `pk` if `user` may do `may` with it (a key of AVATAR_SETS), else Http404."""
    avatar = AVATAR_SETS[may](user).select_related(*related).filter(pk=pk).first()
    if avatar is None:
        raise Http404
    return avatar


def get_frame_for(user, avatar_id, frame_id):
    """A reference frame of an avatar the user may see, else Http404."""
    frame = AvatarFrame.objects.filter(avatar__in=visible_avatars(user), avatar_id=avatar_id, pk=frame_id).first()
    if frame is None:
        raise Http404
    return frame


# --- films ---------------------------------------------------------------------------------------

def visible_films(user):
    """Films this user may watch: their own, friends' finished films, and finished films that
    feature one of their avatars. Taken-down films stay visible to their owner only."""
    if not user or not user.is_authenticated:
        return Film.objects.none()
    friends = friend_ids(user)
    done = Q(status=Film.Status.DONE, taken_down=False)
    return Film.objects.filter(
        Q(owner=user) | (done & Q(owner__in=friends)) | (Q(status=Film.Status.DONE) & Q(pk__in=_cast_films(user)))
    )


def films_owned_by(user):
    return Film.objects.filter(owner=user) if user and user.is_authenticated else Film.objects.none()


def films_featuring(user):
    """Films anyone made with one of this user's avatars: the owner sees and may take down each."""
    if not user or not user.is_authenticated:
        return Film.objects.none()
    return Film.objects.filter(pk__in=_cast_films(user)).exclude(owner=user)


def films_controlled_by(user):
    """Films this user may take down or restore: their own, and those with one of their avatars."""
    if not user or not user.is_authenticated:
        return Film.objects.none()
    return Film.objects.filter(Q(owner=user) | Q(pk__in=_cast_films(user)))


def friends_feed(user):
    """Finished films of others this user may watch, newest first (the home page's feed)."""
    return (visible_films(user).filter(status=Film.Status.DONE, taken_down=False).exclude(owner=user)
            .order_by("-rendered_at", "-created"))


def _cast_films(user):
    # A subquery rather than a join on the cast, so the film queries need no DISTINCT.
    return CastMember.objects.filter(avatar__owner=user).values("film_id")


FILM_SETS = {
    "own": films_owned_by,  # edit, cast, render, share, its live progress
    "take_down": films_controlled_by,
}


def get_film_for(user, pk, *, may="watch", related=(), share_tokens=()):
    """The film `pk` if `user` may do `may` with it, else Http404.

    "watch": visible_films; the owner's own film, the usual case on a film's page and its files,
    is settled by its owner column without the wider query. "remix": a film the user may watch, or
    one opened through one of `share_tokens` (links this browser opened), so "swap me in" works on
    a film seen through a link. Otherwise a key of FILM_SETS."""
    if may in ("watch", "remix"):
        film = _watchable_film(user, pk, related)
        if film is None and may == "remix":
            film = _film_through_links(pk, share_tokens)
    else:
        film = FILM_SETS[may](user).select_related(*related).filter(pk=pk).first()
    if film is None:
        raise Http404
    return film


def _watchable_film(user, pk, related):
    if not user or not user.is_authenticated:
        return None
    film = Film.objects.select_related(*related).filter(pk=pk).first()
    if film is None or film.owner_id == user.pk:
        return film
    return film if visible_films(user).filter(pk=pk).exists() else None


def _film_through_links(pk, tokens):
    from theatre.services.sharing import active_link

    for token in tokens:
        link = active_link(token)
        if link and link.film_id == pk:
            return link.film
    return None


def get_shared_film(token):
    """The film behind a share link that works right now (anyone who has the link), else Http404."""
    from theatre.services.sharing import active_link

    link = active_link(token)
    if link is None:
        raise Http404
    return link.film


def get_share_link_for(user, film_id, link_id):
    """A share link of a film the user owns, else Http404."""
    link = ShareLink.objects.select_related("film").filter(
        pk=link_id, film_id=film_id, film__in=films_owned_by(user)).first()
    if link is None:
        raise Http404
    return link


# --- templates -----------------------------------------------------------------------------------

def get_template_for(user, pk):
    """A gallery template: the project's own, which everyone may see and start a film from."""
    template = Script.objects.filter(pk=pk, is_template=True).first()
    if template is None:
        raise Http404
    return template
