"""Cancelling a film that is rendering: its owner gets a draft back at once, and the worker, which
asks after every step, stops within the step it is in and stores nothing (shot-based backends too)."""
import pytest

from inference import jobs
from theatre.models import Film
from theatre.services import casting
from theatre.stock.loading import load_stock

from tests.support.short_films import short_film


@pytest.fixture
def preview(db, private_media, settings):
    settings.THEATRE_BACKEND = "preview"
    load_stock()


def test_a_preview_render_stops_within_the_frame_it_is_drawing(alice, preview):
    film = short_film(alice, seconds=1.0, shots=2)
    Film.objects.filter(pk=film.pk).update(status=Film.Status.QUEUED)
    seen = []

    def cancel_in_the_first_shot(progress):
        if progress.step:
            seen.append((progress.shot, progress.step))
            if len(seen) == 3:
                casting.cancel_render(Film.objects.get(pk=film.pk), alice)

    jobs.render_film(film.pk, on_progress=cancel_in_the_first_shot)
    film.refresh_from_db()
    assert len(seen) == 3 and {shot for shot, _ in seen} == {1}  # stopped at the third frame of shot 1
    assert film.status == Film.Status.DRAFT and not film.video and film.stage == "" and film.progress == 0


def test_a_cancelled_film_is_not_stored_when_its_render_had_just_finished(alice, preview, monkeypatch):
    film = short_film(alice, seconds=0.5, shots=1)
    Film.objects.filter(pk=film.pk).update(status=Film.Status.QUEUED)
    real_store = jobs._store_film

    def cancel_then_store(row, result):
        casting.cancel_render(Film.objects.get(pk=row.pk), alice)
        return real_store(row, result)

    monkeypatch.setattr(jobs, "_store_film", cancel_then_store)
    jobs.render_film(film.pk)
    film.refresh_from_db()
    assert film.status == Film.Status.DRAFT and not film.video


def test_a_second_cancel_has_nothing_to_stop(alice, preview):
    film = short_film(alice, seconds=0.5, shots=1)
    Film.objects.filter(pk=film.pk).update(status=Film.Status.RENDERING)
    assert casting.cancel_render(film, alice) is True
    assert casting.cancel_render(film, alice) is False
