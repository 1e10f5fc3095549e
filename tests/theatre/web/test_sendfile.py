"""Behind nginx or Apache, Django checks permission and the front server sends the bytes."""
from django.urls import reverse

from tests.support.filmmaking import body


def test_it_sends_an_x_accel_redirect_header_when_set_up_for_nginx(client, world, settings):
    settings.MEDIA_SENDFILE = "x-accel-redirect"
    settings.MEDIA_SENDFILE_PREFIX = "/protected-media/"
    response = client.get(reverse("theatre:shared_video", args=[world.link.token]))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-media/{world.film.video.name}"
    assert response["Content-Type"] == "video/mp4"
    assert response["Cache-Control"].startswith("private")
    assert body(response) == b""


def test_it_sends_an_x_sendfile_header_when_set_up_for_apache(client, world, settings):
    settings.MEDIA_SENDFILE = "x-sendfile"
    client.force_login(world.alice)
    response = client.get(reverse("theatre:film_download", args=[world.film.pk]))
    assert response["X-Sendfile"] == world.film.video.path
    assert response["Content-Disposition"].startswith("attachment")


def test_permission_is_still_checked_before_the_header(client, world, settings):
    settings.MEDIA_SENDFILE = "x-accel-redirect"
    client.force_login(world.erin)
    response = client.get(reverse("theatre:film_video", args=[world.film.pk]))
    assert response.status_code == 404
    assert "X-Accel-Redirect" not in response


def test_remote_storage_redirects_to_its_signed_url(client, world, monkeypatch):
    # An S3 storage has no local path; its url() is a short-lived signed URL.
    from django.core.files.storage import FileSystemStorage

    def no_path(self, name):
        raise NotImplementedError

    monkeypatch.setattr(FileSystemStorage, "path", no_path)
    monkeypatch.setattr(FileSystemStorage, "url", lambda self, name, **kw: f"https://bucket.example/{name}?X-Amz-Signature=abc")
    response = client.get(reverse("theatre:shared_video", args=[world.link.token]))
    assert response.status_code == 302
    assert response["Location"] == f"https://bucket.example/{world.film.video.name}?X-Amz-Signature=abc"
    assert response["Cache-Control"].startswith("private")
