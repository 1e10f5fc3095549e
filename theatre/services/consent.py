"""Consent to use an avatar: asking, approving, declining, revoking, and telling people about it."""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.friends import are_friends

from theatre.services.access import castable_avatars
from theatre.models import Avatar, AvatarUseRequest, Notification


class ConsentError(Exception):
    """A consent step that cannot be taken; the message says why."""


def can_cast(user, avatar):
    return castable_avatars(user).filter(pk=avatar.pk).exists()


def request_of(avatar, user):
    """The user's own request to cast this avatar, if they ever asked."""
    if not user or not user.is_authenticated:
        return None
    return avatar.use_requests.filter(requester=user).first()


def open_requests(avatar):
    """What the avatar's owner sees: requests waiting, approved or revoked (declined ones drop off)."""
    return avatar.use_requests.select_related("requester__profile").exclude(status=AvatarUseRequest.Status.DECLINED)


def notify(user, text, url=""):
    Notification.objects.create(user=user, text=text[:300], url=url)


@transaction.atomic
def request_use(avatar, user):
    if avatar.owner_id == user.pk or avatar.is_stock:
        raise ConsentError(_("You can already cast this avatar."))
    if avatar.policy == Avatar.Policy.ONLY_ME:
        raise ConsentError(_("Its owner keeps this avatar to themselves."))
    if avatar.policy != Avatar.Policy.APPROVED:
        raise ConsentError(_("No need to ask: you may cast this avatar.") if can_cast(user, avatar)
                           else _("Only friends of its owner may cast this avatar."))
    if not are_friends(user, avatar.owner):
        raise ConsentError(_("Only friends of its owner may ask to use this avatar."))
    request, created = AvatarUseRequest.objects.get_or_create(avatar=avatar, requester=user)
    if not created and request.status == AvatarUseRequest.Status.APPROVED:
        raise ConsentError(_("You may already cast this avatar."))
    if not created and request.status == AvatarUseRequest.Status.PENDING:
        raise ConsentError(_("You already asked; the owner has not answered yet."))
    if not created:  # declined or revoked before: asking again is a new question
        request.status, request.decided = AvatarUseRequest.Status.PENDING, None
        request.save(update_fields=["status", "decided"])
    notify(avatar.owner, _("@%(handle)s asks to cast your avatar %(name)s.") % {
        "handle": user.profile.handle, "name": avatar.name}, avatar.get_absolute_url())
    return request


def _owned_request(owner, request_id, *statuses):
    request = AvatarUseRequest.objects.select_related("avatar", "requester__profile").filter(
        pk=request_id, avatar__owner=owner, status__in=statuses
    ).first()
    if request is None:
        raise ConsentError(_("That request is not one you can answer."))
    return request


@transaction.atomic
def answer_request(owner, request_id, approve):
    request = _owned_request(owner, request_id, AvatarUseRequest.Status.PENDING, AvatarUseRequest.Status.DECLINED)
    request.status = AvatarUseRequest.Status.APPROVED if approve else AvatarUseRequest.Status.DECLINED
    request.decided = timezone.now()
    request.save(update_fields=["status", "decided"])
    message = _("%(owner)s approved: you may cast %(name)s.") if approve else _("%(owner)s declined your request to cast %(name)s.")
    notify(request.requester, message % {"owner": owner.profile.display_name, "name": request.avatar.name},
           request.avatar.get_absolute_url())
    return request


@transaction.atomic
def revoke(owner, request_id):
    """After a revoke the avatar can no longer be cast, and films not yet rendered cannot render."""
    request = _owned_request(owner, request_id, AvatarUseRequest.Status.APPROVED)
    request.status, request.decided = AvatarUseRequest.Status.REVOKED, timezone.now()
    request.save(update_fields=["status", "decided"])
    notify(request.requester, _("%(owner)s no longer lets you cast %(name)s.") % {
        "owner": owner.profile.display_name, "name": request.avatar.name})
    return request
