"""The JSON API: a personal token, the same actions as the site, and nothing of anyone else's."""
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import ApiToken
from theatre.models import Avatar, Film, Script
from theatre.stock.loading import load_stock

from tests.support.clipmaker import write_clip
from tests.support.filmmaking import make_avatar, make_film


@pytest.fixture
def stock(db, private_media):
    load_stock()


def auth(token):
    return {"HTTP_AUTHORIZATION": f"Token {token}"}


def test_it_refuses_requests_without_a_valid_token(client, alice):
    assert client.get("/api/templates/").status_code == 401
    assert client.get("/api/templates/", **auth("not-a-token")).status_code == 401
    client.force_login(alice)  # a session cookie is not enough: the API takes tokens only
    assert client.post("/api/films/", "{}", content_type="application/json").status_code == 401


def test_a_token_is_stored_only_as_its_hash(alice):
    token = ApiToken.issue(alice)
    assert not ApiToken.objects.filter(digest=token).exists()
    assert ApiToken.objects.filter(digest=ApiToken.digest_of(token)).exists()


def test_the_token_page_shows_a_new_token_once(client, alice):
    client.force_login(alice)
    page = client.post("/accounts/api-token/", {"action": "issue"}).content.decode()
    token = page.split('id="api-token">')[1].split("<")[0]
    assert client.get("/api/templates/", **auth(token)).status_code == 200
    assert token not in client.get("/accounts/api-token/").content.decode()


def test_it_lists_templates_in_a_language(client, alice, stock):
    token = ApiToken.issue(alice)
    body = client.get("/api/templates/?language=zh-hans", **auth(token)).json()
    assert len(body["templates"]) >= 8
    assert all(t["language"] == "zh-hans" and t["roles"] for t in body["templates"])


def test_it_creates_an_avatar_from_an_upload(client, alice, private_media, redis_conn, tmp_path):
    token = ApiToken.issue(alice)
    clip = write_clip(tmp_path / "me.mp4", size=(320, 240), seconds=2.5, audio="aac")
    response = client.post("/api/avatars/", {"name": "Api me", "kind": "person", "description": "", "policy": "friends",
                                             "clip": SimpleUploadedFile("me.mp4", clip.read_bytes())}, **auth(token))
    assert response.status_code == 201 and response.json()["status"] == "processing"
    avatar = Avatar.objects.get(pk=response.json()["id"])
    assert avatar.owner == alice
    assert client.get(f"/api/avatars/{avatar.pk}/", **auth(token)).json()["name"] == "Api me"


def test_it_refuses_a_broken_upload_with_the_reason(client, alice, private_media):
    token = ApiToken.issue(alice)
    response = client.post("/api/avatars/", {"name": "x", "kind": "person", "policy": "friends",
                                             "clip": SimpleUploadedFile("x.mp4", b"junk" * 100)}, **auth(token))
    assert response.status_code == 400 and "clip" in response.json()["errors"]
    assert not Avatar.objects.exists()


def test_it_starts_a_film_with_a_cast_and_reports_its_status_and_share_link(client, alice, stock, run_queue, django_capture_on_commit_callbacks):
    token = ApiToken.issue(alice)
    template = Script.objects.filter(is_template=True, language="en").first()
    me = make_avatar(alice, name="Alice twin", kind="person", with_files=False, policy=Avatar.Policy.APPROVED)
    person_role = next((r for r in template.roles.all() if r.accepts(me)), None)
    cast = {person_role.key: me.pk} if person_role else {}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/films/", json.dumps({"template": template.pk, "cast": cast}), content_type="application/json", **auth(token))
    assert response.status_code == 201, response.content
    film_id = response.json()["id"]
    assert response.json()["status"] == "queued"
    run_queue("gpu")
    status = client.get(f"/api/films/{film_id}/", **auth(token)).json()
    assert status["status"] == "done", status
    share = client.post(f"/api/films/{film_id}/share/", **auth(token)).json()
    client.logout()
    assert client.get(share["url"].replace("http://testserver", "")).status_code == 200


def test_it_refuses_to_cast_an_avatar_the_user_may_not_use(client, alice, bob, stock):
    token = ApiToken.issue(alice)
    template = Script.objects.filter(is_template=True, language="en").first()
    bobs = make_avatar(bob, name="Bob twin", kind="person", policy=Avatar.Policy.ONLY_ME, with_files=False)
    role = template.roles.first()
    response = client.post("/api/films/", json.dumps({"template": template.pk, "cast": {role.key: bobs.pk}}),
                           content_type="application/json", **auth(token))
    assert response.status_code == 400 and "may not cast" in response.json()["error"]


def test_it_never_shows_another_users_film(client, alice, bob, stock):
    from theatre.services.casting import start_film

    film = start_film(bob, Script.objects.filter(is_template=True).first())
    token = ApiToken.issue(alice)
    assert client.get(f"/api/films/{film.pk}/", **auth(token)).status_code == 404
    assert client.post(f"/api/films/{film.pk}/share/", **auth(token)).status_code == 404
    assert Film.objects.get().share_links.count() == 0


def test_bad_json_gets_a_clear_error(client, alice, stock):
    token = ApiToken.issue(alice)
    response = client.post("/api/films/", "not json", content_type="application/json", **auth(token))
    assert response.status_code == 400 and response.json()["code"] == "bad_json"
    assert "JSON" in response.json()["error"] and not Film.objects.exists()


def test_it_makes_a_share_link_only_for_a_finished_film(client, alice, private_media):
    token = ApiToken.issue(alice)
    draft = make_film(alice, status=Film.Status.DRAFT, with_files=False)
    response = client.post(f"/api/films/{draft.pk}/share/", **auth(token))
    assert response.status_code == 400 and not draft.share_links.exists()
    done = make_film(alice, status=Film.Status.DONE)
    response = client.post(f"/api/films/{done.pk}/share/", **auth(token))
    assert response.status_code == 201 and "/s/" in response.json()["url"]
