from django.urls import reverse

from accounts import friends
from accounts.models import FriendRequest


def test_it_sends_and_accepts_a_friend_request(client, alice, bob):
    client.force_login(alice)
    client.post(reverse("accounts:friends"), {"handle": "@bob"})
    request = FriendRequest.objects.get(from_user=alice, to_user=bob)
    client.force_login(bob)
    client.post(reverse("accounts:accept", args=[request.pk]))
    assert friends.are_friends(alice, bob)
    assert list(friends.friends_of(alice)) == [bob]


def test_it_declines_a_friend_request(client, alice, bob):
    request = friends.send_request(alice, bob)
    client.force_login(bob)
    client.post(reverse("accounts:decline", args=[request.pk]))
    assert not friends.are_friends(alice, bob)
    assert FriendRequest.objects.get().status == FriendRequest.Status.DECLINED


def test_it_refuses_a_request_to_yourself(client, alice):
    client.force_login(alice)
    response = client.post(reverse("accounts:friends"), {"handle": "alice"})
    assert "to yourself" in response.content.decode()
    assert not FriendRequest.objects.exists()


def test_it_refuses_a_second_request(client, alice, bob):
    friends.send_request(alice, bob)
    client.force_login(alice)
    response = client.post(reverse("accounts:friends"), {"handle": "bob"})
    assert "already sent" in response.content.decode()
    assert FriendRequest.objects.count() == 1


def test_it_refuses_an_unknown_handle(client, alice):
    client.force_login(alice)
    response = client.post(reverse("accounts:friends"), {"handle": "nobody_here"})
    assert "Nobody has the handle" in response.content.decode()


def test_it_does_not_let_you_accept_a_request_that_is_not_yours(client, alice, bob, carol):
    request = friends.send_request(alice, bob)
    client.force_login(carol)
    response = client.post(reverse("accounts:accept", args=[request.pk]), follow=True)
    assert "not waiting for your answer" in response.content.decode()
    assert FriendRequest.objects.get().status == FriendRequest.Status.PENDING
    client.force_login(alice)  # the sender cannot accept their own request either
    client.post(reverse("accounts:accept", args=[request.pk]))
    assert not friends.are_friends(alice, bob)


def test_asking_someone_who_asked_you_makes_you_friends(alice, bob):
    friends.send_request(alice, bob)
    friends.send_request(bob, alice)
    assert friends.are_friends(alice, bob)
    assert FriendRequest.objects.count() == 1


def test_it_removes_a_friend(client, alice, bob, befriend):
    befriend(alice, bob)
    client.force_login(bob)
    client.post(reverse("accounts:remove", args=["alice"]))
    assert not friends.are_friends(alice, bob)


def test_the_friends_page_lists_both_directions(client, alice, bob, carol):
    friends.send_request(alice, bob)
    friends.send_request(carol, alice)
    client.force_login(alice)
    page = client.get(reverse("accounts:friends"))
    assert [r.to_user for r in page.context["outgoing"]] == [bob]
    assert [r.from_user for r in page.context["incoming"]] == [carol]


def test_the_friends_page_needs_a_login(client, db):
    response = client.get(reverse("accounts:friends"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_accepting_needs_post(client, alice, bob):
    request = friends.send_request(alice, bob)
    client.force_login(bob)
    assert client.get(reverse("accounts:accept", args=[request.pk])).status_code == 405
