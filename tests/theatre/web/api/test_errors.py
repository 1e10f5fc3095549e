"""Every refusal is the API's error JSON, whatever went wrong: bad numbers and booleans (issue
#18's 1e400 and "render": "no"), a broken multipart upload, unknown routes and methods."""
import json

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import ApiToken
from theatre.models import Avatar, Film, Script
from theatre.stock.loading import load_stock


def auth(user):
    return {"HTTP_AUTHORIZATION": f"Token {ApiToken.issue(user)}"}


def post_json(client, user, path, raw):
    return client.post(path, raw, content_type="application/json", **auth(user))


def test_a_number_json_cannot_hold_is_a_clear_400(client, alice, private_media, redis_conn):
    for raw in ('{"template": 1e400}', '{"template": NaN}', '{"template": 1' + "0" * 400 + "}"):
        response = post_json(client, alice, "/api/films/", raw)
        assert response.status_code == 400 and response["Content-Type"].startswith("application/json"), raw
        assert response.json()["error"] and response.json()["code"] in ("bad_json", "invalid")
    assert not Film.objects.exists()


def test_render_no_is_refused_not_read_as_true(client, alice, private_media, redis_conn):
    load_stock()
    template = Script.objects.filter(is_template=True).first()
    response = post_json(client, alice, "/api/films/", json.dumps({"template": template.pk, "render": "no"}))
    assert response.status_code == 400 and "render" in response.json()["errors"]
    assert not Film.objects.filter(owner=alice).exists()
    response = post_json(client, alice, "/api/films/", json.dumps({"template": template.pk, "render": False}))
    assert response.status_code == 201 and response.json()["status"] == "draft"


def test_a_broken_multipart_upload_gets_json(client, alice, private_media, redis_conn):
    for content_type, raw in [("multipart/form-data", b"--x\r\nnot a part"),  # no boundary at all
                              ("multipart/form-data; boundary=", b"--\r\n"),
                              ("multipart/form-data; boundary=zz", b"--zz\r\nContent-Disposition: form-data; name=\"clip\"; filename=\"a.mp4\"\r\n\r\nabc")]:
        response = client.post("/api/avatars/", raw, content_type=content_type, **auth(alice))
        assert response.status_code == 400, (content_type, response.content)
        assert response["Content-Type"].startswith("application/json") and response.json()["error"]
    assert not Avatar.objects.exists()


def test_an_upload_missing_fields_names_them(client, alice, private_media, redis_conn):
    clip = SimpleUploadedFile("x.mp4", b"junk")
    response = client.post("/api/avatars/", {"clip": clip}, **auth(alice))
    assert response.status_code == 400 and {"name", "kind", "policy"} <= set(response.json()["errors"])


def test_unknown_routes_and_methods_are_json(client, alice, db, redis_conn):
    headers = auth(alice)
    for path in ("/api/nothing/", "/api/films/abc/", "/api/films/1/nope/"):
        response = client.get(path, **headers)
        assert response.status_code == 404 and response.json()["code"] == "not_found", path
    response = client.post("/api/films", "{}", content_type="application/json", **headers)  # no slash
    assert response.status_code == 404 and "/api/films/" in response.json()["error"]
    response = client.delete("/api/templates/", **headers)
    assert response.status_code == 405 and response.json()["code"] == "method_not_allowed" and "GET" in response["Allow"]


def test_a_path_id_out_of_range_is_refused_before_any_query(client, alice, db, redis_conn):
    response = client.get(f"/api/films/{2**70}/", **auth(alice))
    assert response.status_code == 400 and response.json()["code"] == "invalid"


def test_the_document_is_openapi_3_1_and_describes_every_route(client, db):
    import re

    from django.urls import get_resolver

    document = client.get("/api/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    assert document["components"]["securitySchemes"]["TokenAuth"] == {"type": "apiKey", "in": "header", "name": "Authorization"}
    routes = set()
    for pattern in get_resolver().url_patterns:
        if str(pattern.pattern) == "api/":
            routes |= {str(p.pattern) for p in pattern.url_patterns if "<" in str(p.pattern) or str(p.pattern).endswith("/")}
    described = {path.removeprefix("/api/") for path in document["paths"]}
    undescribed = {r for r in routes if re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", r) not in described and r not in ("", "docs")}
    assert undescribed == set() and len(document["paths"]) >= 20


def test_render_requests_share_the_sites_rate_limit_and_say_when_to_come_back(client, alice, private_media, redis_conn,
                                                                               settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "render": (1, 600)}
    headers = auth(alice)
    first = client.post("/api/films/from-prompt/", '{"prompt": "Shot 1: a red kite", "render": false}',
                        content_type="application/json", **headers)
    assert first.status_code == 201
    second = client.post("/api/films/from-prompt/", '{"prompt": "Shot 1: a red kite"}', content_type="application/json",
                         **headers)
    assert second.status_code == 429 and second.json()["code"] == "rate_limited" and int(second["Retry-After"]) > 0
    assert Film.objects.count() == 1


def test_a_bearer_token_works_too_and_a_session_does_not(client, alice, db, redis_conn):
    token = ApiToken.issue(alice)
    assert client.get("/api/films/", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    client.force_login(alice)
    response = client.get("/api/films/")
    assert response.status_code == 401 and response.json()["code"] == "unauthorized"


def test_chinese_comes_back_as_itself(client, alice, db, redis_conn):
    response = client.post("/api/films/from-prompt/", '{"prompt": "镜头一，一只红色的风筝", "render": false}',
                           content_type="application/json", **auth(alice))
    assert response.status_code == 201 and "风筝".encode() in response.content
