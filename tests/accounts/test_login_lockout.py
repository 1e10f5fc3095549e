"""Repeated wrong passwords lock that username from that address (django-axes): even the right
password is refused for a while, with a clear page; other people and other addresses carry on."""
from django.urls import reverse

RIGHT = "a-Long-pass-4-tests"


def fail(client, username, times, **extra):
    for _ in range(times):
        client.post(reverse("accounts:login"), {"username": username, "password": "wrong"}, **extra)


def test_five_wrong_passwords_lock_the_account_from_that_address(client, alice, settings):
    fail(client, "alice", settings.AXES_FAILURE_LIMIT)
    response = client.post(reverse("accounts:login"), {"username": "alice", "password": RIGHT})
    assert response.status_code == 429
    page = response.content.decode()
    assert "Log-in paused" in page and "too many wrong passwords" in page
    assert not response.wsgi_request.user.is_authenticated


def test_fewer_failures_do_not_lock_and_a_success_forgets_them(client, alice, settings):
    fail(client, "alice", settings.AXES_FAILURE_LIMIT - 1)
    assert client.post(reverse("accounts:login"), {"username": "alice", "password": RIGHT}).status_code == 302
    client.logout()
    fail(client, "alice", settings.AXES_FAILURE_LIMIT - 1)
    assert client.post(reverse("accounts:login"), {"username": "alice", "password": RIGHT}).status_code == 302


def test_a_lockout_does_not_stop_others(client, alice, bob, settings):
    fail(client, "alice", settings.AXES_FAILURE_LIMIT)
    assert client.post(reverse("accounts:login"), {"username": "bob", "password": RIGHT}).status_code == 302
    client.logout()
    other_place = {"REMOTE_ADDR": "10.1.2.3"}
    assert client.post(reverse("accounts:login"), {"username": "alice", "password": RIGHT}, **other_place).status_code == 302


def test_the_paused_page_says_when_to_come_back_in_retry_after(client, alice, settings):
    from datetime import timedelta

    from axes.models import AccessAttempt

    cool_off = round(settings.AXES_COOLOFF_TIME * 3600)
    fail(client, "alice", settings.AXES_FAILURE_LIMIT)
    response = client.post(reverse("accounts:login"), {"username": "alice", "password": RIGHT})
    assert response.status_code == 429
    assert cool_off - 60 < int(response["Retry-After"]) <= cool_off
    assert f"about {cool_off // 60} minutes" in response.content.decode()
    # Ten minutes later (the last failure moved back), the answer counts down; asking while
    # locked out does not extend the pause.
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=10))
    response = client.post(reverse("accounts:login"), {"username": "alice", "password": RIGHT})
    assert response.status_code == 429
    assert cool_off - 600 - 60 < int(response["Retry-After"]) <= cool_off - 600
