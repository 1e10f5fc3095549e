"""Friendship: who is whose friend, and the request flow that makes and unmakes it."""
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import FriendRequest

User = get_user_model()


class FriendError(Exception):
    """A request that cannot be made; the message is for the person who made it."""


def friend_ids(user):
    """The ids of this user's friends, as a lazy query: inside `__in` it becomes a subquery, so
    a permission check that asks about friends costs no extra trip to the database."""
    accepted = FriendRequest.objects.filter(status=FriendRequest.Status.ACCEPTED)
    sent = accepted.filter(from_user=user).values("to_user_id")
    received = accepted.filter(to_user=user).values("from_user_id")
    return User.objects.filter(Q(pk__in=sent) | Q(pk__in=received)).values_list("pk", flat=True)


def friends_of(user):
    return User.objects.filter(pk__in=friend_ids(user)).select_related("profile").order_by("profile__handle")


def are_friends(a, b):
    if not (a and b and a.is_authenticated and b.is_authenticated) or a.pk == b.pk:
        return False
    return FriendRequest.objects.filter(
        Q(from_user=a, to_user=b) | Q(from_user=b, to_user=a), status=FriendRequest.Status.ACCEPTED
    ).exists()


def _hold_pair(a, b):
    """Locks both people's rows, lower id first, until the transaction ends: "did they already ask
    me?" is a check, then a write, and two people asking each other at the same instant would each
    find no request from the other and leave two pending requests instead of one friendship.
    Postgres: FOR NO KEY UPDATE (a request insert takes FOR KEY SHARE on both rows, which plain
    FOR UPDATE would wait on); one order for everyone, so two such transactions cannot deadlock.
    SQLite: no row locks, but every transaction begins IMMEDIATE (settings), one after another."""
    from django.db import connection

    no_key = connection.features.has_select_for_no_key_update
    list(User.objects.select_for_update(no_key=no_key).filter(pk__in=[a.pk, b.pk]).order_by("pk").values_list("pk", flat=True))


@transaction.atomic
def send_request(from_user, to_user):
    """Asks to be friends. If the other person already asked us, that request is accepted."""
    if from_user.pk == to_user.pk:
        raise FriendError(_("You cannot send a friend request to yourself."))
    _hold_pair(from_user, to_user)
    if are_friends(from_user, to_user):
        raise FriendError(_("You are already friends with @%(handle)s.") % {"handle": to_user.profile.handle})
    theirs = FriendRequest.objects.filter(from_user=to_user, to_user=from_user, status=FriendRequest.Status.PENDING).first()
    if theirs:
        return accept_request(from_user, theirs.pk)
    mine, created = FriendRequest.objects.get_or_create(from_user=from_user, to_user=to_user)
    if not created and mine.status == FriendRequest.Status.PENDING:
        raise FriendError(_("You already sent @%(handle)s a friend request.") % {"handle": to_user.profile.handle})
    if not created:  # declined before: asking again is allowed
        mine.status, mine.decided = FriendRequest.Status.PENDING, None
        mine.save(update_fields=["status", "decided"])
    return mine


def _pending_request_to(user, request_id):
    # Locked (in the caller's transaction): of an accept and a decline at the same instant, the
    # second waits, then finds the request no longer pending, instead of overwriting the first.
    request = (FriendRequest.objects.select_for_update()
               .filter(pk=request_id, to_user=user, status=FriendRequest.Status.PENDING).first())
    if request is None:
        raise FriendError(_("That friend request is not waiting for your answer."))
    return request


def accept_request(user, request_id):
    return _answer(user, request_id, FriendRequest.Status.ACCEPTED)


def decline_request(user, request_id):
    return _answer(user, request_id, FriendRequest.Status.DECLINED)


@transaction.atomic
def _answer(user, request_id, status):
    request = _pending_request_to(user, request_id)
    request.status, request.decided = status, timezone.now()
    request.save(update_fields=["status", "decided"])
    return request


def remove_friend(user, other):
    deleted, _n = FriendRequest.objects.filter(
        Q(from_user=user, to_user=other) | Q(from_user=other, to_user=user), status=FriendRequest.Status.ACCEPTED
    ).delete()
    if not deleted:
        raise FriendError(_("@%(handle)s is not your friend.") % {"handle": other.profile.handle})
