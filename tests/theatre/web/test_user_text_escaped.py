"""User text (display names, avatar names, film titles, dialogue, prompts) is shown as text on
every page it appears on, the admin and the link-preview tags included: never run as HTML."""
import pytest
from django.urls import reverse

from theatre.models import Role, ShareLink, Shot

from tests.support.users import make_user
from tests.support.filmmaking import make_avatar, make_film

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
ESCAPED = ("&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(1)&gt;")


@pytest.fixture
def hostile(private_media, alice, bob, befriend):
    from types import SimpleNamespace

    befriend(alice, bob)
    alice.profile.display_name = f"Al{SCRIPT}"
    alice.profile.save()
    avatar = make_avatar(alice, name=f"A{IMG}"[:40])
    avatar.description = f"{SCRIPT}{IMG}"
    avatar.save()
    film = make_film(alice, title=f"T{SCRIPT}{IMG}"[:80], cast=[avatar])
    script = film.script
    script.prompt, script.title = f"Shot 1: {SCRIPT} {IMG}", f"S{SCRIPT}"
    script.save()
    Role.objects.filter(script=script).update(description=IMG)
    Shot.objects.create(script=script, order=0, action=f"@lead {IMG}", role_keys=["lead"],
                        dialogue=[{"role": "lead", "text": SCRIPT}])
    draft = make_film(alice, title=f"D{IMG}", status="draft", cast=[avatar], with_files=False)
    Shot.objects.create(script=draft.script, order=0, action=f"@lead {IMG}", role_keys=["lead"],
                        dialogue=[{"role": "lead", "text": SCRIPT}])
    link = ShareLink.objects.create(film=film)
    return SimpleNamespace(alice=alice, bob=bob, avatar=avatar, film=film, draft=draft, link=link)


def assert_escaped(response, url):
    assert response.status_code == 200, url
    page = response.content.decode()
    assert SCRIPT not in page and "<img src=x" not in page, url
    assert any(text in page for text in ESCAPED), f"{url} does not show the user text at all"


def test_the_owners_pages_show_user_text_as_text(client, hostile):
    client.force_login(hostile.alice)
    for url in (reverse("accounts:profile", args=["alice"]), reverse("theatre:avatars"),
                hostile.avatar.get_absolute_url(), hostile.film.get_absolute_url(), reverse("theatre:films"),
                reverse("theatre:film_edit", args=[hostile.draft.pk]), reverse("accounts:edit_profile")):
        assert_escaped(client.get(url), url)


def test_a_friends_pages_show_user_text_as_text(client, hostile):
    client.force_login(hostile.bob)
    for url in (reverse("accounts:friends"), reverse("accounts:profile", args=["alice"]), hostile.avatar.get_absolute_url(),
                hostile.film.get_absolute_url(), reverse("theatre:swap", args=[hostile.film.pk])):
        assert_escaped(client.get(url), url)


def test_the_shared_page_and_its_link_preview_tags_show_user_text_as_text(client, hostile):
    url = hostile.link.get_absolute_url()
    response = client.get(url)
    assert_escaped(response, url)
    head = response.content.decode().split("</head>")[0]
    assert 'property="og:title" content="T&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img' in head


def test_the_admin_shows_user_text_as_text(client, hostile):
    root = make_user("root")
    root.is_staff = root.is_superuser = True
    root.save()
    client.force_login(root)
    for name, obj in (("theatre_film", hostile.film), ("theatre_avatar", hostile.avatar),
                      ("accounts_profile", hostile.alice.profile), ("theatre_script", hostile.film.script)):
        for url in (reverse(f"admin:{name}_change", args=[obj.pk]), reverse(f"admin:{name}_changelist")):
            assert_escaped(client.get(url), url)
