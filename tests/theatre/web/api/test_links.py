"""Share links through the API: make, list, revoke; only for the film's owner."""
from theatre.models import Film

from tests.support.filmmaking import make_film


def test_it_makes_lists_and_revokes_links(api, alice, client):
    film = make_film(alice)
    as_alice = api(alice)
    made = as_alice.post(f"/api/films/{film.pk}/share/", {"expires_in_days": 7})
    assert made.status_code == 201 and made.json()["active"] and made.json()["expires_at"]
    forever = as_alice.post(f"/api/films/{film.pk}/share/").json()
    assert forever["expires_at"] is None
    listed = as_alice.get(f"/api/films/{film.pk}/share/").json()
    assert listed["count"] == 2 and [link["id"] for link in listed["links"]] == [forever["id"], made.json()["id"]]
    revoked = as_alice.post(f"/api/films/{film.pk}/share/{forever['id']}/revoke/").json()
    assert revoked["active"] is False and revoked["revoked_at"]
    assert client.get(f"/s/{forever['token']}/").status_code == 404


def test_a_link_needs_a_finished_film_and_a_sane_expiry(api, alice):
    draft = make_film(alice, status=Film.Status.DRAFT, with_files=False)
    assert api(alice).post(f"/api/films/{draft.pk}/share/").json()["code"] == "sharing"
    done = make_film(alice)
    response = api(alice).post(f"/api/films/{done.pk}/share/", {"expires_in_days": 0})
    assert response.status_code == 400 and "expires_in_days" in response.json()["errors"]
    assert not done.share_links.exists()


def test_another_users_links_are_not_found(api, alice, bob):
    film = make_film(alice)
    link = api(alice).post(f"/api/films/{film.pk}/share/").json()
    assert api(bob).get(f"/api/films/{film.pk}/share/").status_code == 404
    assert api(bob).post(f"/api/films/{film.pk}/share/{link['id']}/revoke/").status_code == 404
    other = make_film(bob)
    # Bob's own film with Alice's link id: still not his link.
    assert api(bob).post(f"/api/films/{other.pk}/share/{link['id']}/revoke/").status_code == 404
    assert film.share_links.get().revoked_at is None
