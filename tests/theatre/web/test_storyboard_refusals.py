"""The storyboard page edits the film's own shots, no more and no fewer: a row the page never sends
(no id, someone else's shot, the same shot twice) is refused with a sentence and changes nothing,
and a POST claiming thousands of shot forms is answered from at most MAX_SHOTS of them (issue #18,
points 1 and 5)."""
import pytest
from django.urls import reverse

from theatre.models import Film, Shot
from theatre.script.errors import MAX_SHOTS

from tests.support.filmmaking import make_story_script


@pytest.fixture
def film(alice, db):
    return Film.objects.create(owner=alice, script=make_story_script(owner=alice), title="Beach")


def shot_data(film, rows, total=None, initial=None):
    """The storyboard's POST: `rows` are dicts of a shot form's fields (id included or not)."""
    data = {"shots-TOTAL_FORMS": len(rows) if total is None else total,
            "shots-INITIAL_FORMS": film.script.shots.count() if initial is None else initial,
            "shots-MIN_NUM_FORMS": 0, "shots-MAX_NUM_FORMS": 1000}
    for i, row in enumerate(rows):
        data.update({f"shots-{i}-{name}": value for name, value in row.items()})
    return data


def row(shot=None, **changes):
    fields = {"framing": "wide", "camera_move": "static", "action": "@hero waves", "duration": 3, "dialogue_text": ""}
    if shot is not None:
        fields.update(id=shot.pk, framing=shot.framing, camera_move=shot.camera_move, action=shot.action,
                      duration=shot.duration)
    return {**fields, **changes}


def saved(film):
    return list(Shot.objects.order_by("pk").values_list("pk", "script_id", "order", "action", "duration", "dialogue"))


def post(client, film, data):
    return client.post(reverse("theatre:film_edit", args=[film.pk]), data)


def test_a_row_without_an_id_is_refused_with_a_sentence_and_nothing_changes(client, alice, film):
    client.force_login(alice)
    before = saved(film)
    shots = list(film.script.shots.all())
    response = post(client, film, shot_data(film, [row(s) for s in shots] + [row(action="@hero jumps")]))
    assert response.status_code == 200
    assert "The storyboard edits this film&#x27;s 2 shots" in response.content.decode()
    assert saved(film) == before


def test_an_extra_row_counted_as_an_existing_shot_is_refused_too(client, alice, film):
    client.force_login(alice)
    before = saved(film)
    shots = list(film.script.shots.all())
    data = shot_data(film, [row(s) for s in shots] + [row(action="@hero jumps")], initial=3)
    response = post(client, film, data)
    assert response.status_code == 200 and "The storyboard edits this film" in response.content.decode()
    assert saved(film) == before


def test_another_films_shot_or_the_same_shot_twice_is_refused(client, alice, film):
    other = Film.objects.create(owner=alice, script=make_story_script(owner=alice), title="Other")
    client.force_login(alice)
    before = saved(film)
    first, second = film.script.shots.all()
    for rows in ([row(first), row(other.script.shots.first())], [row(first), row(first, action="@hero twice")]):
        response = post(client, film, shot_data(film, rows))
        assert response.status_code == 200 and "The storyboard edits this film" in response.content.decode()
        assert saved(film) == before


def test_fewer_rows_than_shots_are_refused(client, alice, film):
    client.force_login(alice)
    before = saved(film)
    response = post(client, film, shot_data(film, [row(film.script.shots.first(), action="@hero alone")]))
    assert "The storyboard edits this film" in response.content.decode()
    assert saved(film) == before


def test_the_shots_as_the_page_sends_them_are_saved(client, alice, film):
    client.force_login(alice)
    rows = [row(s) for s in film.script.shots.all()]
    rows[0]["action"] = "@hero waves at the sea"
    response = post(client, film, shot_data(film, rows))
    assert response.status_code == 302
    assert film.script.shots.first().action == "@hero waves at the sea" and film.script.shots.count() == 2


def test_thousands_of_claimed_forms_are_answered_from_at_most_max_shots(client, alice, film):
    client.force_login(alice)
    before = saved(film)
    rows = [row(s) for s in film.script.shots.all()]
    response = post(client, film, shot_data(film, rows, total=5000))
    assert response.status_code == 200
    assert len(response.context["shots"].forms) <= MAX_SHOTS
    assert len(response.content) < 100_000  # one storyboard page, not 5000 forms' worth
    assert f"A film has at most {MAX_SHOTS} shots" in response.content.decode()
    assert saved(film) == before


def test_more_fields_than_the_limit_are_refused_before_any_form_is_built(client, alice, film):
    client.force_login(alice)
    before = saved(film)
    rows = [row(action=f"@hero {i}") for i in range(300)]
    response = post(client, film, shot_data(film, rows))
    assert response.status_code == 400
    page = response.content.decode()
    assert "too many fields" in page and "<html" in page and len(response.content) < 100_000
    assert saved(film) == before


def test_a_shot_text_longer_than_any_film_needs_is_refused(client, alice, film):
    client.force_login(alice)
    before = saved(film)
    rows = [row(s) for s in film.script.shots.all()]
    rows[0]["action"] = "@hero " + "x" * 5000
    response = post(client, film, shot_data(film, rows))
    assert response.status_code == 200 and "at most 1000 characters" in response.content.decode()
    assert saved(film) == before


def test_the_limit_holds_where_the_csrf_check_reads_the_form_first(alice, film):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)  # as in production: the middleware reads request.POST first
    client.force_login(alice)
    client.get(reverse("theatre:film_edit", args=[film.pk]))  # sets the CSRF cookie
    data = shot_data(film, [row(action=f"@hero {i}") for i in range(300)])
    data["csrfmiddlewaretoken"] = client.cookies["csrftoken"].value
    response = post(client, film, data)
    assert response.status_code == 400 and "too many fields" in response.content.decode()


def test_a_body_over_the_limit_is_a_clear_page_and_json_under_the_api(client, alice, film, settings):
    from accounts.models import ApiToken

    client.force_login(alice)
    big = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client.post(reverse("theatre:film_from_prompt"), {"prompt": big})
    assert response.status_code == 400 and "more text than this site takes" in response.content.decode()
    response = client.post("/api/films/from-prompt/", '{"prompt": "%s"}' % big, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Token {ApiToken.issue(alice)}")
    assert response.status_code == 400 and response.json()["code"] == "bad_request"
    response = client.post("/api/avatars/", {f"f{i}": "x" for i in range(5000)},
                           HTTP_AUTHORIZATION=f"Token {ApiToken.issue(alice)}")
    assert response.status_code == 400 and response["Content-Type"].startswith("application/json")
    assert not Film.objects.exclude(pk=film.pk).exists()
