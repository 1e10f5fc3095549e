"""The site on S3-compatible storage (django-storages against a real s3rver): an uploaded clip is
prepared by the worker, a film with that avatar renders and plays, and media views hand out
short-lived signed URLs that the server honours only while they are valid."""
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.urls import reverse

from theatre.services import casting
from theatre.models import Avatar, Film, Script
from theatre.stock.loading import load_stock

from tests.support.s3_server import S3Server
from tests.support.uploads import clip_upload, upload_and_prepare

pytestmark = pytest.mark.slow


def fetch(url):
    """(status, body) of a plain GET, as a browser following the redirect would do."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def unsigned(url):
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


@pytest.fixture
def s3_server(tmp_path):
    server = S3Server(tmp_path / "s3")
    yield server
    server.stop()


@pytest.fixture
def s3_media(settings, s3_server):
    """The site's files go to the S3 server instead of local disk, as with AWS_STORAGE_BUCKET_NAME."""
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "storages.backends.s3.S3Storage",
                                                          "OPTIONS": s3_server.storage_options()}}
    settings.MEDIA_SENDFILE = ""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return s3_server


def test_upload_prepare_render_and_watch_work_on_s3(client, alice, s3_media, run_queue, django_capture_on_commit_callbacks, tmp_path):
    load_stock()
    avatar = upload_and_prepare(client, alice, clip_upload(tmp_path), run_queue, django_capture_on_commit_callbacks,
                                kind="person", name="Al")
    assert avatar.status == Avatar.Status.READY, avatar.failure_reason
    with pytest.raises(NotImplementedError):
        avatar.crop.path  # the files really are on S3, not on local disk

    film = casting.start_film(alice, Script.objects.filter(is_template=True, language="en").first())
    casting.cast_role(film, alice, film.script.roles.first().key, avatar.pk)
    with django_capture_on_commit_callbacks(execute=True):
        casting.request_render(film, alice)
    run_queue("gpu")
    film.refresh_from_db()
    assert film.status == Film.Status.DONE, film.failure_reason

    page = client.get(film.get_absolute_url())
    assert page.status_code == 200 and b"<video" in page.content
    response = client.get(reverse("theatre:film_video", args=[film.pk]))
    assert response.status_code == 302 and response["Location"].startswith(s3_media.url)
    status, body = fetch(response["Location"])
    assert status == 200 and body[4:8] == b"ftyp"  # an MP4
    frame = avatar.frames.first()
    status, _ = fetch(client.get(reverse("theatre:avatar_frame", args=[avatar.pk, frame.pk]))["Location"])
    assert status == 200


def test_the_server_refuses_unsigned_tampered_and_expired_urls(client, s3_media, settings):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    name = default_storage.save("films/secret.mp4", ContentFile(b"not for strangers"))
    signed = default_storage.url(name)
    assert fetch(signed) == (200, b"not for strangers")
    assert fetch(unsigned(signed))[0] == 403
    assert fetch(signed.replace("Signature=", "Signature=x"))[0] == 403

    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "storages.backends.s3.S3Storage",
                                                          "OPTIONS": s3_media.storage_options(querystring_expire=1)}}
    from django.core.files.storage import default_storage as short_lived

    soon_expired = short_lived.url(name)
    assert fetch(soon_expired)[0] == 200
    time.sleep(2.1)
    assert fetch(soon_expired)[0] == 403
