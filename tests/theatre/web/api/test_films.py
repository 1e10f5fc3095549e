"""Films through the API: from a prompt (the seed's own), lists, reading, casting, render, cancel,
retry, swap (also through a share link), take-down, the video; and nobody else's film."""
import pytest

from theatre.models import Avatar, Film, ShareLink
from theatre.services import casting

from tests.support.filmmaking import make_avatar, make_film, make_story_script

SEED_PROMPT = ("镜头一，中景描绘@卡尔背对镜头，站在巴黎公寓的落地窗前俯瞰夜晚的埃菲尔铁塔；镜头二，转为手部特写，拿起一把吉他；"
               "镜头三，人物表情特写，抱着吉他做出深情表情")


@pytest.fixture
def carl(alice):
    return make_avatar(alice, name="Karl", kind="person", with_files=False, policy=Avatar.Policy.ONLY_ME)


def test_the_seeds_prompt_makes_a_three_shot_film_with_the_mention_bound_to_an_avatar_id(api, alice, carl):
    response = api(alice).post("/api/films/from-prompt/", {"prompt": SEED_PROMPT, "cast": {"卡尔": carl.pk},
                                                           "render": False})
    assert response.status_code == 201, response.content
    film = response.json()
    assert film["language"] == "zh-hans" and film["shots"] == 3 and film["status"] == "draft"
    assert film["roles"] == [{"key": f"cast-{carl.pk}", "name": "卡尔", "kinds": [], "avatar": carl.pk, "avatar_name": "Karl"}]
    shots = api(alice).get(f"/api/films/{film['id']}/shots/").json()["shots"]
    assert [s["framing"] for s in shots] == ["medium", "close_up", "close_up"]
    assert all(s["roles"] == [f"cast-{carl.pk}"] for s in shots)


def test_a_prompt_may_mention_an_avatar_by_its_own_name_and_render_at_once(api, alice, carl, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api(alice).post("/api/films/from-prompt/", {"prompt": "Shot 1: wide shot, @Karl waves. Shot 2: close-up, @Karl smiles."})
    assert response.status_code == 201 and response.json()["status"] == "queued"
    assert response.json()["cast"] == {f"cast-{carl.pk}": carl.pk}


@pytest.mark.parametrize("prompt, code", [
    ("Shot 1: @Nobody waves", "unknown_mention"),
    (" ".join(f"Shot {n}: @Karl waves." for n in range(1, 8)), "too_many_shots"),
    ("", None),  # refused by the schema: at least one character
])
def test_a_prompt_that_does_not_parse_gets_the_sites_error_and_makes_nothing(api, alice, carl, prompt, code):
    response = api(alice).post("/api/films/from-prompt/", {"prompt": prompt})
    assert response.status_code == 400
    assert response.json()["code"] == (code or "invalid")
    assert not Film.objects.exists()


def test_a_mention_bound_to_an_avatar_i_may_not_cast_is_refused(api, alice, bob):
    bobs = make_avatar(bob, name="Bobby", with_files=False, policy=Avatar.Policy.ONLY_ME)
    response = api(alice).post("/api/films/from-prompt/", {"prompt": "Shot 1: @Bob waves", "cast": {"Bob": bobs.pk}})
    assert response.status_code == 400 and response.json()["code"] == "casting"
    assert not Film.objects.exists()


def test_lists_are_mine_and_paginated(api, alice, bob):
    mine = [make_film(alice, title=f"Mine {n}", with_files=False) for n in range(3)]
    make_film(bob, title="Bob's", with_files=False)
    page = api(alice).get("/api/films/", limit=2).json()
    assert page["count"] == 3 and len(page["films"]) == 2 and page["previous"] is None
    rest = api(alice).get(page["next"].replace("http://testserver", "")).json()
    assert {f["id"] for f in page["films"] + rest["films"]} == {f.pk for f in mine} and rest["next"] is None
    assert api(alice).get("/api/films/", status="failed").json()["count"] == 0


def test_films_featuring_my_avatar_can_be_taken_down_and_restored(api, alice, bob):
    ally = make_avatar(alice, "Ally", with_files=False, policy=Avatar.Policy.EVERYONE)
    film = make_film(bob, cast=[ally], with_files=False)
    listed = api(alice).get("/api/films/featuring-me/").json()
    assert [f["id"] for f in listed["films"]] == [film.pk]
    assert api(alice).post(f"/api/films/{film.pk}/take-down/").json()["taken_down"] is True
    assert Film.objects.get(pk=film.pk).taken_down
    assert api(alice).post(f"/api/films/{film.pk}/restore/").json()["taken_down"] is False


def test_nobody_sees_or_changes_another_users_film(api, alice, bob):
    film = make_film(bob, status=Film.Status.DRAFT, with_files=False)
    done = make_film(bob, with_files=True)
    as_alice = api(alice)
    for path in (f"/api/films/{film.pk}/", f"/api/films/{film.pk}/shots/", f"/api/films/{film.pk}/share/",
                 f"/api/films/{done.pk}/video/"):
        assert as_alice.get(path).status_code == 404, path
    for path in ("render", "cancel", "retry", "take-down", "restore", "share", "cast"):
        response = as_alice.post(f"/api/films/{film.pk}/{path}/", {"cast": {"lead": 1}} if path == "cast" else None)
        assert response.status_code == 404 and response.json()["code"] == "not_found", path
    assert as_alice.patch(f"/api/films/{film.pk}/", {"webhook_url": None}).status_code == 404
    assert as_alice.put(f"/api/films/{film.pk}/shots/", {"shots": [{"action": "x"}]}).status_code == 404
    assert as_alice.post(f"/api/films/{film.pk}/swap/", {"role": "lead", "avatar": 1}).status_code == 404
    assert Film.objects.get(pk=film.pk).status == Film.Status.DRAFT and not ShareLink.objects.exists()


@pytest.fixture
def draft(alice):
    """Alice's draft of a two-role story, both roles cast with her avatars."""
    script = make_story_script(template=True)
    film = casting.start_film(alice, script)
    hero, side = make_avatar(alice, "Hero me", with_files=False), make_avatar(alice, "Side me", with_files=False)
    casting.cast_roles(film, alice, {"hero": hero.pk, "sidekick": side.pk})
    return film


def test_cast_render_cancel_and_retry(api, alice, draft, redis_conn, django_capture_on_commit_callbacks):
    other = make_avatar(alice, "Third", with_files=False)
    as_alice = api(alice)
    assert as_alice.post(f"/api/films/{draft.pk}/cast/", {"cast": {"hero": other.pk}}).json()["cast"]["hero"] == other.pk
    refused = as_alice.post(f"/api/films/{draft.pk}/cast/", {"cast": {"sidekick": draft.pk + 999, "hero": other.pk}})
    assert refused.status_code == 400 and refused.json()["code"] == "casting"
    with django_capture_on_commit_callbacks(execute=True):
        queued = as_alice.post(f"/api/films/{draft.pk}/render/")
    assert queued.status_code == 202 and queued.json()["status"] == "queued"
    assert as_alice.get(f"/api/films/{draft.pk}/").json()["queue_position"] == 1
    assert as_alice.post(f"/api/films/{draft.pk}/render/").status_code == 200  # a second click
    assert as_alice.post(f"/api/films/{draft.pk}/cast/", {"cast": {"hero": other.pk}}).status_code == 400
    cancelled = as_alice.post(f"/api/films/{draft.pk}/cancel/")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "draft"
    assert len(redis_conn.lrange("rq:queue:gpu", 0, -1)) == 0  # its job is gone from the queue
    assert as_alice.post(f"/api/films/{draft.pk}/retry/").status_code == 409  # a draft is not failed
    Film.objects.filter(pk=draft.pk).update(status=Film.Status.FAILED, failure_reason="worker went away")
    retried = as_alice.post(f"/api/films/{draft.pk}/retry/")
    assert retried.status_code == 202 and retried.json()["status"] == "queued" and retried.json()["failure_reason"] == ""


def test_a_render_that_has_started_is_cancelled_back_to_a_draft(api, alice, draft):
    # The worker sees the draft at its next step and stops (tests/inference/jobs/test_cancel_mid_denoise.py).
    Film.objects.filter(pk=draft.pk).update(status=Film.Status.RENDERING)
    response = api(alice).post(f"/api/films/{draft.pk}/cancel/")
    assert response.status_code == 200 and Film.objects.get(pk=draft.pk).status == Film.Status.DRAFT


def test_swap_into_a_friends_film_and_into_one_seen_through_a_share_link(api, alice, bob, carol, befriend,
                                                                       django_capture_on_commit_callbacks):
    befriend(alice, bob)
    film = make_film(alice, cast=[make_avatar(alice, "Ally", with_files=False, policy=Avatar.Policy.EVERYONE)])
    bobs = make_avatar(bob, "Bob me", with_files=False)
    with django_capture_on_commit_callbacks(execute=True):
        remix = api(bob).post(f"/api/films/{film.pk}/swap/", {"role": "lead", "avatar": bobs.pk, "render": False})
    assert remix.status_code == 201, remix.content
    assert remix.json()["remixed_from"] == film.pk and remix.json()["cast"]["lead"] == bobs.pk
    assert Film.objects.get(pk=remix.json()["id"]).owner == bob
    carols = make_avatar(carol, "Carol me", with_files=False)
    assert api(carol).post(f"/api/films/{film.pk}/swap/", {"role": "lead", "avatar": carols.pk}).status_code == 404
    link = ShareLink.objects.create(film=film)
    as_carol = api(carol)
    assert as_carol.get(f"/api/shared/{link.token}/").json()["id"] == film.pk
    swapped = as_carol.post(f"/api/films/{film.pk}/swap/", {"role": "lead", "avatar": carols.pk, "share_token": link.token,
                                                             "render": False})
    assert swapped.status_code == 201 and swapped.json()["cast"]["lead"] == carols.pk
    link.revoked_at = link.created
    link.save()
    assert as_carol.get(f"/api/shared/{link.token}/").status_code == 404


def test_a_finished_films_video_comes_with_the_token(api, alice):
    film = make_film(alice)
    response = api(alice).get(f"/api/films/{film.pk}/video/")
    assert response.status_code == 200 and response["Content-Type"] == "video/mp4"
    assert api(alice).get(f"/api/films/{make_film(alice, status=Film.Status.DRAFT).pk}/video/").status_code == 404


def test_a_webhook_url_is_set_with_a_secret_and_a_private_one_is_refused(api, alice, draft, settings):
    as_alice = api(alice)
    refused = as_alice.patch(f"/api/films/{draft.pk}/", {"webhook_url": "http://127.0.0.1:9/hook"})
    assert refused.status_code == 400 and refused.json()["code"] == "webhook" and "webhook_url" in refused.json()["errors"]
    assert as_alice.patch(f"/api/films/{draft.pk}/", {"webhook_url": "ftp://example.org/"}).status_code == 400
    settings.WEBHOOK_ALLOW_PRIVATE = True
    film = as_alice.patch(f"/api/films/{draft.pk}/", {"webhook_url": "http://127.0.0.1:9/hook"}).json()
    assert film["webhook_url"] == "http://127.0.0.1:9/hook" and len(film["webhook_secret"]) >= 32
    cleared = as_alice.patch(f"/api/films/{draft.pk}/", {"webhook_url": None}).json()
    assert cleared["webhook_url"] is None and cleared["webhook_secret"] is None
