"""Reading and editing a film's shots through the API, by the storyboard's rules."""
import pytest

from theatre.models import Film
from theatre.services import casting

from tests.support.filmmaking import make_story_script


@pytest.fixture
def draft(alice):
    return casting.start_film(alice, make_story_script(template=True))


def shots_of(film):
    return list(Film.objects.get(pk=film.pk).script.shots.values_list("action", "duration", "dialogue"))


def test_it_reads_the_roles_and_shots(api, alice, draft):
    script = api(alice).get(f"/api/films/{draft.pk}/shots/").json()
    assert [r["key"] for r in script["roles"]] == ["hero", "sidekick"]
    assert [s["number"] for s in script["shots"]] == [1, 2] and script["duration"] == 5.0
    assert script["shots"][0]["dialogue"] == [{"role": "hero", "text": "Hello there!"}]


def test_it_replaces_the_shots_working_out_who_is_in_each(api, alice, draft):
    response = api(alice).put(f"/api/films/{draft.pk}/shots/", {"shots": [
        {"framing": "wide", "action": "@sidekick runs along the pier", "duration": 3},
        {"framing": "close_up", "action": "a gull lands", "dialogue": [{"role": "hero", "text": "Look!"}], "duration": 2.5},
        {"action": "sunset", "roles": ["hero", "sidekick"]},
    ]})
    assert response.status_code == 200, response.content
    shots = response.json()["shots"]
    assert [s["roles"] for s in shots] == [["sidekick"], ["hero"], ["hero", "sidekick"]]
    assert shots[2]["framing"] == "medium" and shots[2]["duration"] == 3.0
    assert len(shots_of(draft)) == 3


def test_it_changes_one_shot_and_keeps_the_others(api, alice, draft):
    before = shots_of(draft)
    response = api(alice).patch(f"/api/films/{draft.pk}/shots/2/", {"action": "@hero laughs", "duration": 4})
    assert response.status_code == 200
    after = shots_of(draft)
    assert after[0] == before[0] and after[1][:2] == ("@hero laughs", 4.0)
    assert response.json()["shots"][1]["roles"] == ["hero"]


@pytest.mark.parametrize("change, code", [
    ({"shots": [{"action": "@villain laughs"}]}, "unknown_role"),
    ({"shots": [{"action": "talks", "dialogue": [{"role": "nobody", "text": "hi"}]}]}, "unknown_role"),
    ({"shots": [{"action": "talks", "duration": 1, "dialogue": [{"role": "hero", "text": "A long line " * 8}]}]}, "shot_too_short"),
    ({"shots": [{"action": "x", "duration": 15}, {"action": "y", "duration": 15}]}, "too_long"),
    ({"shots": [{"action": " "}]}, "empty_shot"),
    ({"shots": [{"action": "x", "duration": 0.5}]}, "invalid"),
    ({"shots": [{"action": "x"}] * 7}, "invalid"),
    ({"shots": []}, "invalid"),
    ({"shots": [{"action": "x", "lens": "35mm"}]}, "invalid"),
])
def test_a_refused_edit_changes_nothing(api, alice, draft, change, code):
    before = shots_of(draft)
    response = api(alice).put(f"/api/films/{draft.pk}/shots/", change)
    assert response.status_code == 400 and response.json()["code"] == code, response.json()
    assert response.json()["error"]
    assert shots_of(draft) == before


def test_a_missing_shot_and_a_rendering_film_are_refused(api, alice, draft):
    assert api(alice).patch(f"/api/films/{draft.pk}/shots/9/", {"action": "x"}).json()["code"] == "no_such_shot"
    Film.objects.filter(pk=draft.pk).update(status=Film.Status.RENDERING)
    response = api(alice).put(f"/api/films/{draft.pk}/shots/", {"shots": [{"action": "x"}]})
    assert response.status_code == 400 and response.json()["code"] == "casting"


def test_another_users_shots_are_not_found(api, alice, bob, draft):
    assert api(bob).get(f"/api/films/{draft.pk}/shots/").status_code == 404
    assert api(bob).patch(f"/api/films/{draft.pk}/shots/1/", {"action": "mine now"}).status_code == 404
