"""The staff admin: templates with their roles and shots, avatars, films and the other rows."""
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from theatre.models import Avatar, Film, Notification, Role, Script, ShareLink, Shot


@pytest.fixture
def staff_client(client, db):
    admin = get_user_model().objects.create_superuser("staff", "staff@example.com", "a-Long-pass-4-tests")
    client.force_login(admin)
    return client


@pytest.fixture
def template(db):
    script = Script.objects.create(is_template=True, template_slug="picnic", title="Picnic")
    Role.objects.create(script=script, key="friend", name="Friend")
    Shot.objects.create(script=script, action="@friend eats a sandwich", role_keys=["friend"], duration=3)
    return script


def test_staff_see_every_list_page(staff_client, template, alice):
    avatar = Avatar.objects.create(owner=alice, name="Alice", status="ready")
    film = Film.objects.create(owner=alice, script=template, title="Picnic")
    ShareLink.objects.create(film=film)
    Notification.objects.create(user=alice, text="Hello")

    for model in ("script", "avatar", "avataruserequest", "film", "sharelink", "notification"):
        assert staff_client.get(reverse(f"admin:theatre_{model}_changelist")).status_code == 200
    for model, pk in (("script", template.pk), ("avatar", avatar.pk), ("film", film.pk)):
        assert staff_client.get(reverse(f"admin:theatre_{model}_change", args=[pk])).status_code == 200


def test_the_template_page_shows_its_roles_and_shots(staff_client, template):
    page = staff_client.get(reverse("admin:theatre_script_change", args=[template.pk])).content.decode()

    assert "@friend eats a sandwich" in page and 'value="friend"' in page


def test_checking_a_template_reports_broken_rules(staff_client, template):
    template.shots.update(duration=20)

    response = staff_client.post(
        reverse("admin:theatre_script_changelist"),
        {"action": "check_rules", "_selected_action": [template.pk]}, follow=True,
    )

    assert "at most 15 seconds" in response.content.decode()


def test_the_share_link_page_never_shows_the_token(staff_client, template, alice):
    link = ShareLink.objects.create(film=Film.objects.create(owner=alice, script=template, title="Picnic"))

    page = staff_client.get(reverse("admin:theatre_sharelink_change", args=[link.pk])).content.decode()

    assert link.token not in page


def test_people_who_are_not_staff_are_sent_to_log_in(client, alice):
    client.force_login(alice)

    response = client.get(reverse("admin:theatre_script_changelist"))

    assert response.status_code == 302
