"""Films made by the site, an RQ job and manage.py render with THEATRE_BACKEND=tiny-h3 (the real
MiniMaxH3ModularPipeline on tiny random weights): the MP4's sound is the model's, no synthetic
voice is laid over it, the provenance says so, a cancel stops the denoise, one load per worker."""
import json

import av
import numpy as np
import pytest
from django.core.management import call_command
from django.urls import reverse

from inference.backends import h3
from inference.media.film_writer import read_provenance
from theatre.models import Film
from theatre.services import casting
from theatre.stock.loading import load_stock

from tests.support.filmmaking import make_avatar
from tests.support.short_films import short_film

pytestmark = pytest.mark.slow
pytest.importorskip("diffusers")


@pytest.fixture
def tiny_h3(db, private_media, settings, monkeypatch):
    settings.THEATRE_BACKEND = "tiny-h3"
    load_stock()

    def no_synthetic_voice(*args, **kwargs):
        raise AssertionError("a speaking backend must get no synthetic voice")

    # Our voice plan must not run; a preset voice's audio reference still may be spoken.
    monkeypatch.setattr("inference.voice.timing.plan_film_audio", no_synthetic_voice)


def speaking_film(owner, seconds=1.0):
    """A short template film whose first role is played by an avatar whose clip speaks."""
    film = short_film(owner, seconds=seconds, shots=2, lines=True)
    role = next(role for role in film.script.roles.all() if not role.kinds or "person" in role.kinds)
    ann = make_avatar(owner, "Ann", voice_profile={"has_speech": True, "duration": 2.0})
    casting.cast_role(film, owner, role.key, ann.pk)
    return film


def sound_of(path):
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        rate, channels = stream.codec_context.sample_rate, stream.codec_context.channels
        samples = np.concatenate([frame.to_ndarray() for frame in container.decode(audio=0)], axis=1)
    return rate, channels, samples


def assert_the_sound_is_the_models(film):
    provenance = read_provenance(film.video.path)
    assert provenance["backend"] == "tiny-h3" and provenance["sound"] == "model"
    assert "tiny-random-minimax-h3" in provenance["model"]
    assert film.backend == "tiny-h3" and film.sound == "model" and "minimax-h3" in film.model
    rate, channels, samples = sound_of(film.video.path)
    # The tiny audio VAE's 16 kHz stereo: our voice plan's track would be 24 kHz mono.
    assert (rate, channels) == (h3.cached_tiny_pipeline().audio_sampling_rate, 2)
    assert float(np.abs(samples).max()) > 0.01


def test_a_film_rendered_by_the_site_has_the_models_sound(client, alice, tiny_h3, run_queue,
                                                          django_capture_on_commit_callbacks):
    film = speaking_film(alice)
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("theatre:film_render", args=[film.pk]))
    run_queue("gpu")
    film.refresh_from_db()
    assert film.status == Film.Status.DONE, film.failure_reason
    assert_the_sound_is_the_models(film)
    with av.open(film.video.path) as container:
        assert abs(float(container.duration / av.time_base) - film.duration) < 0.2
        assert 5.0 <= film.duration <= 15.0  # the model's shortest is 5.17 s
    page = client.get(film.get_absolute_url()).content.decode()
    assert "Rendered by the tiny MiniMax-H3 test generator" in page
    assert "Sound and voices made by the model" in page


def test_manage_py_render_with_tiny_h3_gives_an_mp4_whose_sound_is_the_models(alice, tiny_h3):
    film = speaking_film(alice)
    call_command("render", str(film.pk), "--backend", "tiny-h3")
    film.refresh_from_db()
    assert film.status == Film.Status.DONE, film.failure_reason
    assert_the_sound_is_the_models(film)
    # The C2PA manifest records the backend, the model and whose the sound is, as the file's metadata does.
    from inference.media.provenance import read_manifest

    reading = read_manifest(film.video.path)
    assert reading.film["backend"] == "tiny-h3" and reading.film["sound"] == "model"


def test_cancelling_a_rendering_film_stops_its_denoise_within_a_step(alice, tiny_h3):
    from inference import jobs

    film = speaking_film(alice)
    Film.objects.filter(pk=film.pk).update(status=Film.Status.QUEUED)
    steps = []

    def owner_cancels_at_the_first_step(progress):
        if progress.step:
            steps.append(progress.step)
            if len(steps) == 1:
                assert casting.cancel_render(Film.objects.get(pk=film.pk), alice) is True

    jobs.render_film(film.pk, on_progress=owner_cancels_at_the_first_step)
    film.refresh_from_db()
    assert steps == [1]  # the second step never started
    assert film.status == Film.Status.DRAFT and not film.video and film.failure_reason == ""


def test_two_render_jobs_load_the_pipeline_once(alice, tiny_h3, run_queue, django_capture_on_commit_callbacks):
    films = [short_film(alice, seconds=0.5, shots=1) for _ in range(2)]
    h3.clear_pipelines()
    before = h3.LOAD_COUNT
    with django_capture_on_commit_callbacks(execute=True):
        for film in films:
            casting.request_render(film, alice)
    run_queue("gpu")
    for film in films:
        film.refresh_from_db()
        assert film.status == Film.Status.DONE, film.failure_reason
        assert film.sound == "model"
    assert h3.LOAD_COUNT == before + 1
