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


def upload_and_prepare(client, user, clip, run_queue, capture_on_commit, **fields):
    """`user` uploads `clip` through the form and the cpu worker prepares it on the real Redis;
    returns the avatar as the job left it (ready or failed: the test says which it expects)."""
    from theatre.models import Avatar

    client.force_login(user)
    with capture_on_commit(execute=True):
        upload(client, clip, **fields)
    run_queue("cpu")
    return Avatar.objects.filter(owner=user).latest("pk")
