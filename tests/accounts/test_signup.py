from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.models import Profile

User = get_user_model()
GOOD = {"handle": "mia_01", "display_name": "Mia", "password1": "tofu-and-guitar-42", "password2": "tofu-and-guitar-42"}


def test_it_signs_up_and_logs_in(client, db):
    response = client.post(reverse("accounts:signup"), GOOD)
    assert response.status_code == 302
    profile = Profile.objects.get(handle="mia_01")
    assert profile.display_name == "Mia"
    assert client.get(reverse("theatre:home")).context["user"] == profile.user


def test_it_rejects_a_duplicate_handle_whatever_the_case(client, alice):
    response = client.post(reverse("accounts:signup"), {**GOOD, "handle": "ALICE"})
    assert response.status_code == 200
    assert "is taken" in response.content.decode()
    assert User.objects.count() == 1


def test_it_rejects_a_weak_password(client, db):
    response = client.post(reverse("accounts:signup"), {**GOOD, "password1": "123", "password2": "123"})
    assert response.status_code == 200
    assert "too short" in response.content.decode()
    assert not User.objects.exists()


def test_it_rejects_a_handle_with_symbols(client, db):
    response = client.post(reverse("accounts:signup"), {**GOOD, "handle": "mia!<b>"})
    assert response.status_code == 200
    assert "letters, digits or underscores" in response.content.decode()
    assert not Profile.objects.exists()


def test_it_says_a_wrong_password_clearly(client, alice):
    response = client.post(reverse("accounts:login"), {"username": "alice", "password": "wrong"})
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_logs_in_and_out(client, alice):
    client.post(reverse("accounts:login"), {"username": "alice", "password": "a-Long-pass-4-tests"})
    assert client.session["_auth_user_id"] == str(alice.pk)
    client.post(reverse("accounts:logout"))
    assert "_auth_user_id" not in client.session


def test_it_changes_the_password(client, alice):
    client.force_login(alice)
    response = client.post(reverse("accounts:password_change"), {
        "old_password": "a-Long-pass-4-tests", "new_password1": "violin-at-midnight-7", "new_password2": "violin-at-midnight-7",
    })
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("violin-at-midnight-7")


def test_it_edits_the_profile(client, alice):
    client.force_login(alice)
    client.post(reverse("accounts:edit_profile"), {"display_name": "Alice L."})
    alice.profile.refresh_from_db()
    assert alice.profile.display_name == "Alice L."


def test_it_serves_the_pages_in_chinese_when_the_browser_asks(client, db):
    response = client.get(reverse("accounts:signup"), HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert 'lang="zh-hans"' in response.content.decode()
    assert "注册" in response.content.decode()


def test_it_switches_language_on_the_page(client, db):
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "注册" in client.get(reverse("accounts:signup")).content.decode()


def test_it_goes_back_to_next_after_signing_up_but_never_off_site(client, db):
    response = client.post(reverse("accounts:signup") + "?next=/films/", GOOD)
    assert response["Location"] == "/films/"
    client.logout()
    response = client.post(reverse("accounts:signup") + "?next=https://evil.example/", {**GOOD, "handle": "mia_02"})
    assert "evil.example" not in response["Location"]


def test_a_profile_picture_is_stored_as_a_small_jpeg_and_shown(client, alice, private_media):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGBA", (1600, 1200), (200, 30, 90, 255)).save(buffer, "PNG")
    client.force_login(alice)
    client.post(reverse("accounts:edit_profile"), {"display_name": "Alice", "picture": SimpleUploadedFile("me.png", buffer.getvalue())})
    alice.profile.refresh_from_db()
    with Image.open(alice.profile.picture.path) as stored:
        assert stored.format == "JPEG" and max(stored.size) == 512
    assert client.get(reverse("accounts:picture", args=["alice"])).status_code == 200
    assert "accounts/u/alice/picture" in client.get(reverse("accounts:profile", args=["alice"])).content.decode()


def test_a_file_that_is_not_a_picture_is_refused(client, alice, private_media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(alice)
    response = client.post(reverse("accounts:edit_profile"), {"display_name": "Alice", "picture": SimpleUploadedFile("me.png", b"not an image")})
    assert response.status_code == 200 and "valid image" in response.content.decode()


def test_staff_reach_the_queue_dashboard_from_the_admin(client, alice):
    alice.is_staff = alice.is_superuser = True
    alice.save()
    client.force_login(alice)
    dashboard = reverse("admin:django_rq_dashboard_changelist")
    assert dashboard in client.get("/admin/").content.decode()
    page = client.get(dashboard, follow=True)
    assert page.status_code == 200 and "gpu" in page.content.decode()


def test_people_who_are_not_staff_cannot_see_the_queues(client, alice):
    client.force_login(alice)
    assert client.get(reverse("admin:django_rq_dashboard_changelist")).status_code == 302
