"""The JSON API with a personal token: list templates, start a film with a cast, read its status, share it."""
import json

import pytest
from django.core.management import call_command

from accounts.models import ApiToken
from tests.filmmaking import make_avatar, make_film
from theatre.models import Film, Script


@pytest.fixture
def token(alice):
    return ApiToken.issue(alice, label="test")


def auth(token):
    return {"HTTP_AUTHORIZATION": f"Token {token}"}


def test_it_rejects_a_request_without_a_token(client, db):
    assert client.get("/api/templates/").status_code == 401


def test_it_starts_a_film_from_a_template_with_a_cast_and_reports_its_status(client, private_media, alice, token):
    call_command("load_stock", verbosity=0)
    listed = client.get("/api/templates/?language=en", **auth(token)).json()["templates"]
    detective = next(t for t in listed if t["slug"] == "detective-rooftop")
    assert [r["key"] for r in detective["roles"]] == ["detective", "suspect"]
    ally = make_avatar(alice, "Ally")

    response = client.post("/api/films/", json.dumps({"template": detective["id"], "cast": {"detective": ally.pk}, "render": False}),
                           content_type="application/json", **auth(token))
    assert response.status_code == 201, response.content
    film = response.json()
    assert film["status"] == "draft" and film["cast"]["detective"] == ally.pk

    status = client.get(f"/api/films/{film['id']}/", **auth(token)).json()
    assert status["title"] == Script.objects.get(pk=detective["id"]).title and status["progress"] == 0


def test_it_makes_a_share_link_only_for_the_owners_finished_film(client, private_media, alice, bob, token):
    film = make_film(alice, status=Film.Status.DONE)
    response = client.post(f"/api/films/{film.pk}/share/", **auth(token))
    assert response.status_code == 201 and "/s/" in response.json()["url"]
    other = make_film(bob)
    assert client.post(f"/api/films/{other.pk}/share/", **auth(token)).status_code == 404
