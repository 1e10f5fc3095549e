"""Property-based: any body, any field, any type, any size, sent to every API endpoint that
changes something, gets an answer below 500 in the API's error shape when refused, and a refused
request changes nothing (the rows before and after are compared)."""
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings as hypothesis_settings, strategies as st

from theatre.models import Avatar, CastMember, Film, ShareLink, Shot, TakeDown
from theatre.services import casting
from theatre.stock.loading import load_stock

from tests.support.filmmaking import make_avatar, make_film, make_story_script

pytestmark = pytest.mark.slow  # a few hundred requests: about a minute

FIELDS = ["template", "prompt", "cast", "render", "webhook_url", "role", "avatar", "share_token", "shots", "action",
          "dialogue", "duration", "framing", "camera_move", "roles", "expires_in_days", "hero", "sidekick"]
scalars = (st.none() | st.booleans() | st.integers(min_value=-2**70, max_value=2**70)
           | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=30)
           | st.sampled_from(["hero", "sidekick", "wide", "Shot 1: @Ally waves", "http://127.0.0.1/", "no", "1", ""]))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
    st.sampled_from(FIELDS) | st.text(max_size=8), inner, max_size=4), max_leaves=10)
bodies = st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), values, max_size=6) | values

ENDPOINTS = [
    ("post", "/api/films/"), ("post", "/api/films/from-prompt/"), ("patch", "/api/films/{draft}/"),
    ("post", "/api/films/{draft}/cast/"), ("post", "/api/films/{draft}/render/"), ("post", "/api/films/{done}/retry/"),
    ("post", "/api/films/{draft}/cancel/"), ("post", "/api/films/{done}/swap/"), ("put", "/api/films/{draft}/shots/"),
    ("patch", "/api/films/{draft}/shots/1/"), ("post", "/api/films/{done}/share/"),
    ("post", "/api/films/{done}/share/{link}/revoke/"), ("post", "/api/films/{done}/take-down/"),
    ("post", "/api/films/{done}/restore/"),
]
UPLOADS = [("post", "/api/avatars/")]  # multipart: test_any_avatar_upload_is_answered_and_a_refusal_changes_nothing


def test_every_api_operation_that_takes_input_is_fuzzed_here():
    """A new endpoint that changes something fails this until it has a case above."""
    import re

    from theatre.web.api import api

    def shape(path):
        return re.sub(r"\{[^}]+\}|(?<=/)\d+(?=/)", "{}", path)  # a fixed id stands for a parameter too

    documented = {(method, shape(path)) for path, operations in api.get_openapi_schema()["paths"].items()
                  for method in operations if method in ("post", "put", "patch", "delete")}
    assert documented == {(method, shape(path)) for method, path in ENDPOINTS + UPLOADS}


def rows():
    """Everything a request could change, as comparable values."""
    return (
        list(Film.objects.order_by("pk").values_list("pk", "status", "webhook_url", "webhook_secret", "taken_down", "title")),
        list(TakeDown.objects.order_by("pk").values_list("film_id", "by_id", "reason")),
        list(CastMember.objects.order_by("pk").values_list("film_id", "role_id", "avatar_id")),
        list(Shot.objects.order_by("pk").values_list("script_id", "order", "framing", "camera_move", "action", "role_keys",
                                                     "dialogue", "duration")),
        list(ShareLink.objects.order_by("pk").values_list("pk", "revoked_at", "expires_at")),
        list(Avatar.objects.order_by("pk").values_list("pk", "name", "status")),
    )


@pytest.fixture
def films(alice, private_media, redis_conn, settings):
    settings.RATE_LIMITS_ENABLED = False  # every example reaches the validators, not the rate limit
    load_stock()
    ally = make_avatar(alice, "Ally", with_files=False)
    draft = casting.start_film(alice, make_story_script(template=True))
    casting.cast_roles(draft, alice, {"hero": ally.pk, "sidekick": ally.pk})
    done = make_film(alice, cast=[ally])
    link = ShareLink.objects.create(film=done)
    return {"draft": draft.pk, "done": done.pk, "link": link.pk}


def assert_refusal_is_clean(response, before):
    assert response.status_code < 500, response.content[:500]
    if response.status_code >= 400:
        body = response.json()
        assert isinstance(body["error"], str) and body["error"] and body["code"]
        assert rows() == before, (response.status_code, body)


@pytest.mark.parametrize("method, path", ENDPOINTS, ids=[f"{m} {p}" for m, p in ENDPOINTS])
@hypothesis_settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                          HealthCheck.too_slow])
@given(body=bodies)
def test_any_json_body_is_answered_and_a_refusal_changes_nothing(client, alice, films, method, path, body):
    from accounts.models import ApiToken

    token = ApiToken.issue(alice)
    before = rows()
    response = getattr(client, method)(path.format(**films), json.dumps(body), content_type="application/json",
                                       HTTP_AUTHORIZATION=f"Token {token}")
    assert_refusal_is_clean(response, before)


@hypothesis_settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                          HealthCheck.too_slow])
@given(fields=st.dictionaries(st.sampled_from(["name", "kind", "policy", "description", "extra"]),
                              st.text(max_size=60) | st.sampled_from(["person", "pet", "everyone", "only_me"]), max_size=5),
       clip=st.none() | st.binary(max_size=300))
def test_any_avatar_upload_is_answered_and_a_refusal_changes_nothing(client, alice, films, fields, clip):
    from accounts.models import ApiToken

    token = ApiToken.issue(alice)
    data = dict(fields)
    if clip is not None:
        data["clip"] = SimpleUploadedFile("clip.mp4", clip)
    before = rows()
    response = client.post("/api/avatars/", data, HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code in (400, 429) or response.status_code == 201
    assert_refusal_is_clean(response, before)


@hypothesis_settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(["/api/films/", "/api/films/featuring-me/", "/api/avatars/", "/api/avatars/castable/",
                             "/api/templates/", "/api/films/{done}/share/"]),
       query=st.dictionaries(st.sampled_from(["limit", "offset", "status", "language", "x"]),
                             st.text(max_size=12) | st.integers(-2**70, 2**70).map(str), max_size=4))
def test_any_query_on_a_list_is_answered(client, alice, films, path, query):
    from accounts.models import ApiToken

    response = client.get(path.format(**films), query, HTTP_AUTHORIZATION=f"Token {ApiToken.issue(alice)}")
    assert response.status_code in (200, 400), response.content[:300]
    assert ("error" in response.json()) == (response.status_code == 400)
