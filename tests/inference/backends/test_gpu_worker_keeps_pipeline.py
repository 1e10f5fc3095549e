"""A GPU worker loads the Wan pipeline once and keeps it for every later job in the process.

Two films render one after the other on a real RQ worker (SimpleWorker: no fork per job, like the
GPU workers) on the real Redis, with the tiny WanVACEPipeline; the pipeline cache counts loads.
"""
import pytest

pytestmark = pytest.mark.slow

from inference.backends import wan
from theatre.services import casting
from theatre.models import Film
from theatre.stock.loading import load_stock

from tests.support.short_films import short_film

pytest.importorskip("diffusers")


@pytest.fixture
def stock(db, private_media):
    load_stock()


def test_two_render_jobs_load_the_pipeline_once(alice, stock, settings, run_queue, django_capture_on_commit_callbacks):
    settings.THEATRE_BACKEND = "tiny"
    films = [short_film(alice, seconds=0.5, shots=1) for _ in range(2)]
    wan.clear_pipelines()
    before = wan.LOAD_COUNT
    with django_capture_on_commit_callbacks(execute=True):
        for film in films:
            casting.request_render(film, alice)
    worker = run_queue("gpu")
    for film in films:
        film.refresh_from_db()
        assert film.status == Film.Status.DONE, film.failure_reason
        assert film.backend == "tiny"
    assert wan.LOAD_COUNT == before + 1, list(wan._PIPELINES)  # which pipelines this process holds, when not one
    wan.clear_pipelines()
