"""Avatar clip uploads as the site's form receives them."""
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.support.clipmaker import write_clip


def clip_upload(tmp_path, name="me.mp4", **options):
    path = write_clip(tmp_path / name, size=(320, 240), seconds=2.5, audio="aac", **options)
    return SimpleUploadedFile(name, path.read_bytes(), content_type="video/mp4")


def upload(client, clip, **fields):
    data = {"name": "Me", "kind": "pet", "description": "a ginger cat", "policy": "approved", "clip": clip, **fields}
    return client.post(reverse("theatre:avatar_new"), data)
