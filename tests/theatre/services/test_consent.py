"""Who may cast an avatar: the owner, per policy, after approval, and never after a revoke."""
import pytest

from theatre.services import consent
from theatre.services.access import castable_avatars, visible_avatars
from theatre.models import Avatar, AvatarUseRequest, Notification

from tests.support.filmmaking import make_avatar, make_stock


def castable(user, avatar):
    return castable_avatars(user).filter(pk=avatar.pk).exists()


def test_the_owner_and_everyone_may_cast_stock_characters(alice, bob):
    robot = make_stock()
    assert castable(alice, robot) and castable(bob, robot)


@pytest.mark.parametrize("policy, stranger, friend, approved_friend", [
    (Avatar.Policy.ONLY_ME, False, False, False),
    (Avatar.Policy.APPROVED, False, False, True),
    (Avatar.Policy.FRIENDS, False, True, True),
    (Avatar.Policy.EVERYONE, True, True, True),
])
def test_the_casting_permission_matrix(alice, bob, carol, befriend, policy, stranger, friend, approved_friend):
    from tests.support.users import make_user

    dave = make_user("dave")
    avatar = make_avatar(alice, policy=policy, with_files=False)
    befriend(alice, bob)
    befriend(alice, dave)
    if policy == Avatar.Policy.APPROVED:
        use = consent.request_use(avatar, dave)
        consent.answer_request(alice, use.pk, approve=True)
    elif policy != Avatar.Policy.ONLY_ME:
        AvatarUseRequest.objects.create(avatar=avatar, requester=dave, status=AvatarUseRequest.Status.APPROVED)
    assert castable(alice, avatar)
    assert castable(carol, avatar) is stranger
    assert castable(bob, avatar) is friend
    assert castable(dave, avatar) is approved_friend


def test_a_revoked_avatar_can_no_longer_be_cast(alice, bob, befriend):
    avatar = make_avatar(alice, with_files=False, policy=Avatar.Policy.APPROVED)
    befriend(alice, bob)
    use = consent.request_use(avatar, bob)
    consent.answer_request(alice, use.pk, approve=True)
    assert castable(bob, avatar)
    consent.revoke(alice, use.pk)
    assert not castable(bob, avatar)
    assert Notification.objects.filter(user=bob, text__contains="no longer").exists()


def test_a_stranger_cannot_ask_or_even_see_an_avatar(alice, carol):
    avatar = make_avatar(alice, with_files=False, policy=Avatar.Policy.APPROVED)
    assert not visible_avatars(carol).filter(pk=avatar.pk).exists()
    with pytest.raises(consent.ConsentError):
        consent.request_use(avatar, carol)


def test_a_friend_must_ask_and_the_owner_is_told(alice, bob, befriend):
    avatar = make_avatar(alice, with_files=False, policy=Avatar.Policy.APPROVED)
    befriend(alice, bob)
    assert visible_avatars(bob).filter(pk=avatar.pk).exists()
    assert not castable(bob, avatar)
    consent.request_use(avatar, bob)
    assert Notification.objects.filter(user=alice, text__contains="@bob").exists()
    with pytest.raises(consent.ConsentError, match="already asked"):
        consent.request_use(avatar, bob)


def test_only_the_owner_answers_a_request(alice, bob, carol, befriend):
    avatar = make_avatar(alice, with_files=False, policy=Avatar.Policy.APPROVED)
    befriend(alice, bob)
    use = consent.request_use(avatar, bob)
    for intruder in (bob, carol):
        with pytest.raises(consent.ConsentError):
            consent.answer_request(intruder, use.pk, approve=True)
    assert AvatarUseRequest.objects.get().status == AvatarUseRequest.Status.PENDING


def test_an_avatar_still_processing_cannot_be_cast(alice):
    avatar = make_avatar(alice, status=Avatar.Status.PROCESSING, with_files=False, policy=Avatar.Policy.APPROVED)
    assert not castable(alice, avatar)


def test_the_use_request_views_need_the_owner(client, alice, bob, carol, befriend):
    avatar = make_avatar(alice, with_files=False, policy=Avatar.Policy.APPROVED)
    befriend(alice, bob)
    client.force_login(bob)
    client.post(f"/avatars/{avatar.pk}/ask/")
    use = AvatarUseRequest.objects.get()
    client.force_login(carol)
    client.post(f"/use-requests/{use.pk}/approve/")
    assert AvatarUseRequest.objects.get().status == AvatarUseRequest.Status.PENDING
    client.force_login(alice)
    client.post(f"/use-requests/{use.pk}/approve/")
    assert AvatarUseRequest.objects.get().status == AvatarUseRequest.Status.APPROVED
