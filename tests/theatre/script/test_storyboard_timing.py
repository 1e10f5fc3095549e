"""The storyboard editor says at the shot when its lines are too long for its seconds, and refuses a
storyboard whose lines alone overflow the film's 15 s; a script warns live while typing."""
import pytest
from django.urls import reverse

from inference.voice.timing import estimate_line_seconds
from theatre.script import timing as shot_timing
from theatre.models import Film

from tests.support.filmmaking import make_story_script

LONG_LINE = "I have been waiting here by the window all night long for you to come home, and now you are finally here"


@pytest.fixture
def film(alice, db):
    script = make_story_script(owner=alice)
    return Film.objects.create(owner=alice, script=script, title="Beach")


def post_shots(client, film, shots):
    data = {"shots-TOTAL_FORMS": len(shots), "shots-INITIAL_FORMS": len(shots), "shots-MIN_NUM_FORMS": 0, "shots-MAX_NUM_FORMS": 1000}
    for i, (shot, (duration, lines)) in enumerate(zip(film.script.shots.all(), shots)):
        data.update({f"shots-{i}-id": shot.pk, f"shots-{i}-framing": shot.framing, f"shots-{i}-camera_move": shot.camera_move,
                     f"shots-{i}-action": shot.action, f"shots-{i}-duration": duration, f"shots-{i}-dialogue_text": lines})
    return client.post(reverse("theatre:film_edit", args=[film.pk]), data, follow=True)


def test_the_estimate_uses_the_voice_timing_rule_of_thumb():
    assert shot_timing.lines_seconds([{"text": "Hello there!"}]) == pytest.approx(0.2 + estimate_line_seconds("Hello there!") + 0.3)
    assert shot_timing.lines_seconds([]) == 0


def test_a_shot_whose_lines_are_too_long_gets_a_clear_error_at_its_duration(client, alice, film):
    client.force_login(alice)
    page = post_shots(client, film, [(3, f"Hero: {LONG_LINE}"), (2, "")]).content.decode()
    needed = shot_timing.lines_seconds([{"text": LONG_LINE}])
    assert "These lines take about %.1f s to say but the shot lasts 3.0 s" % needed in page
    assert film.script.shots.first().dialogue == [{"role": "hero", "text": "Hello there!"}]  # nothing saved


def test_lines_that_fit_are_saved_without_a_word(client, alice, film):
    client.force_login(alice)
    page = post_shots(client, film, [(3, "Hero: Hello there, friend!"), (2, "")]).content.decode()
    assert "These lines take about" not in page and "Storyboard saved." in page
    assert film.script.shots.first().dialogue == [{"role": "hero", "text": "Hello there, friend!"}]


def test_lines_longer_than_the_whole_film_are_refused(client, alice, film):
    client.force_login(alice)
    page = post_shots(client, film, [(10, f"Hero: {LONG_LINE}"), (10, f"Sidekick: {LONG_LINE}")]).content.decode()
    assert "but a film lasts at most 15 s: shorten or cut some lines" in page
    assert film.script.shots.first().dialogue == [{"role": "hero", "text": "Hello there!"}]


def test_silent_shots_count_at_their_shortest_against_the_limit():
    assert shot_timing.film_problem([(9, [{"text": LONG_LINE}]), (6, [])]) == ""
    assert "at most 15 s" in shot_timing.film_problem([(14, [{"text": LONG_LINE + " " + LONG_LINE}]), (6, [])])


def test_the_page_carries_the_live_timing_script(client, alice, film):
    client.force_login(alice)
    page = client.get(reverse("theatre:film_edit", args=[film.pk])).content.decode()
    assert "js/shot_timing.js" in page and "data-shot-timing" in page and "data-shot-warning" in page
