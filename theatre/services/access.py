"""Who may see and use what. Every view, job and API call gets rows through these querysets, so a
stranger cannot even learn that an object exists."""
from django.db.models import Q

from accounts.friends import friend_ids

from theatre.models import Avatar, AvatarUseRequest, CastMember, Film


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


def avatar_owned_by(user):
    return Avatar.objects.filter(owner=user) if user.is_authenticated else Avatar.objects.none()


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


def visible_film(user, pk, related=()):
    """One film this user may watch, or None. Their own film, the usual case on a film's page and
    its files, is settled by its owner column; anyone else's goes through visible_films."""
    if not user or not user.is_authenticated:
        return None
    film = Film.objects.select_related(*related).filter(pk=pk).first()
    if film is None or film.owner_id == user.pk:
        return film
    return film if visible_films(user).filter(pk=pk).exists() else None


def films_owned_by(user):
    return Film.objects.filter(owner=user) if user.is_authenticated else Film.objects.none()


def films_featuring(user):
    """Films anyone made with one of this user's avatars: the owner sees and may take down each."""
    return Film.objects.filter(pk__in=_cast_films(user)).exclude(owner=user)


def films_controlled_by(user):
    """Films this user may take down or restore: their own, and those with one of their avatars."""
    if not user or not user.is_authenticated:
        return Film.objects.none()
    return Film.objects.filter(Q(owner=user) | Q(pk__in=_cast_films(user)))


def _cast_films(user):
    # A subquery rather than a join on the cast, so the film queries need no DISTINCT.
    return CastMember.objects.filter(avatar__owner=user).values("film_id")
