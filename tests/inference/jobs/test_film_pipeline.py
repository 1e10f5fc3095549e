"""A film from a template to a playable MP4, through a real RQ worker on a real Redis."""
import json

import av
import pytest
from django.urls import reverse

from inference.media.film_writer import read_provenance
from theatre.services import casting, consent
from theatre.models import Avatar, Film, Script
from theatre.stock.loading import load_stock

from tests.support.filmmaking import make_avatar


@pytest.fixture
def stock(db, private_media):
    load_stock()


def paris(language="en"):
    return Script.objects.get(is_template=True, template_slug__icontains="paris", language=language)


def test_a_template_film_renders_to_a_playable_labelled_mp4(client, alice, stock, run_queue, django_capture_on_commit_callbacks):
    client.force_login(alice)
    response = client.post(reverse("theatre:film_from_template", args=[paris().pk]))
    film = Film.objects.get()
    assert response["Location"] == reverse("theatre:film_edit", args=[film.pk])
    assert not casting.uncast_roles(film)  # stock characters are cast by default
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("theatre:film_render", args=[film.pk]))
    film.refresh_from_db()
    assert film.status == Film.Status.QUEUED and film.job_id
    run_queue("gpu")
    film.refresh_from_db()
    assert film.status == Film.Status.DONE, film.failure_reason
    assert film.backend == "preview" and 0 < film.duration <= 15
    with av.open(film.video.path) as container:
        video, audio = container.streams.video[0], container.streams.audio[0]
        assert (video.codec_context.name, audio.codec_context.name) == ("h264", "aac")
        assert video.codec_context.pix_fmt == "yuv420p"
        assert abs(float(container.duration / av.time_base) - film.duration) < 0.2
    provenance = read_provenance(film.video.path)
    assert provenance["ai_generated"] is True and provenance["seed"] == film.seed and provenance["backend"] == "preview"
    page = client.get(film.get_absolute_url()).content.decode()
    assert "<video" in page and "AI" in page


def test_two_clicks_on_render_make_one_render(client, alice, stock, redis_conn, django_capture_on_commit_callbacks):
    import django_rq

    client.force_login(alice)
    client.post(reverse("theatre:film_from_template", args=[paris().pk]))
    film = Film.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("theatre:film_render", args=[film.pk]))
        client.post(reverse("theatre:film_render", args=[film.pk]))
    assert django_rq.get_queue("gpu").count == 1


def test_a_revoked_avatar_stops_a_queued_render_with_a_reason(client, alice, bob, befriend, stock, run_queue, django_capture_on_commit_callbacks):
    befriend(alice, bob)
    twin = make_avatar(bob, name="Bob twin", kind="person", crop_box=[0, 0, 1, 1], with_files=False, policy=Avatar.Policy.APPROVED)
    use = consent.request_use(twin, alice)
    consent.answer_request(bob, use.pk, approve=True)
    film = casting.start_film(alice, paris())
    role = film.script.roles.first()
    casting.cast_role(film, alice, role.key, twin.pk)
    with django_capture_on_commit_callbacks(execute=True):
        casting.request_render(film, alice)
    consent.revoke(bob, use.pk)
    run_queue("gpu")
    film.refresh_from_db()
    assert film.status == Film.Status.FAILED
    assert "may no longer be cast" in film.failure_reason


def test_only_the_owner_may_cast_render_or_edit(client, alice, bob, stock):
    film = casting.start_film(alice, paris())
    client.force_login(bob)
    assert client.get(reverse("theatre:film_edit", args=[film.pk])).status_code == 404
    assert client.post(reverse("theatre:film_render", args=[film.pk])).status_code == 404
    role = film.script.roles.first()
    assert client.post(reverse("theatre:film_cast", args=[film.pk, role.key])).status_code == 404
    assert client.get(reverse("theatre:film_status", args=[film.pk])).status_code == 404


def test_the_status_endpoint_reports_the_queue_position(client, alice, stock, redis_conn, django_capture_on_commit_callbacks):
    client.force_login(alice)
    films = [casting.start_film(alice, paris()) for _ in range(2)]
    with django_capture_on_commit_callbacks(execute=True):
        for film in films:
            casting.request_render(film, alice)
    status = json.loads(client.get(reverse("theatre:film_status", args=[films[1].pk])).content)
    assert status["status"] == "queued" and status["queue_position"] == 2


def test_a_film_can_start_from_a_free_prompt_in_chinese(client, alice, stock):
    make_avatar(alice, name="卡尔", kind="person", with_files=False, policy=Avatar.Policy.APPROVED)
    client.force_login(alice)
    prompt = "镜头一，中景描绘@卡尔背对镜头，站在巴黎公寓的落地窗前俯瞰夜晚的埃菲尔铁塔；镜头二，转为手部特写，拿起一把吉他；镜头三，人物表情特写，抱着吉他做出深情表情"
    response = client.post(reverse("theatre:film_from_prompt"), {"prompt": prompt})
    film = Film.objects.get()
    assert response["Location"] == reverse("theatre:film_edit", args=[film.pk])
    assert [s.framing for s in film.script.shots.all()] == ["medium", "close_up", "close_up"]
    assert film.cast.get().avatar.name == "卡尔"
    assert client.get(response["Location"]).status_code == 200


def test_an_unknown_mention_is_refused_and_nothing_is_saved(client, alice, stock):
    client.force_login(alice)
    response = client.post(reverse("theatre:film_from_prompt"), {"prompt": "Shot 1: wide shot, @Nobody dances."})
    assert response.status_code == 200 and "Nobody" in response.content.decode()
    assert not Film.objects.exists()
