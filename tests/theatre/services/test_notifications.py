from django.urls import reverse

from theatre.services import consent
from theatre.models import Avatar

from tests.support.filmmaking import make_avatar


def test_an_owner_is_told_when_a_friend_asks_and_can_mark_it_read(client, alice, bob, befriend):
    befriend(alice, bob)
    consent.request_use(make_avatar(alice, with_files=False, policy=Avatar.Policy.APPROVED), bob)
    client.force_login(alice)
    page = client.get(reverse("theatre:notifications"))
    assert page.context["unread_notifications"] == 1
    assert "@bob asks to cast your avatar" in page.content.decode()
    client.post(reverse("theatre:notifications_read"))
    assert client.get(reverse("theatre:notifications")).context["unread_notifications"] == 0


def test_nobody_sees_anyone_elses_notifications(client, alice, bob, carol, befriend):
    befriend(alice, bob)
    consent.request_use(make_avatar(alice, with_files=False, policy=Avatar.Policy.APPROVED), bob)
    client.force_login(carol)
    assert "asks to cast" not in client.get(reverse("theatre:notifications")).content.decode()
