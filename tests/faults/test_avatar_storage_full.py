"""The media disk is full when an avatar's preparation stores its frames: the avatar fails with a
reason its owner can read, the clip is kept and no half-stored frames hold space, and a retry after
space is freed makes it ready. The disk is a real, small tmpfs mounted for the test."""
import subprocess

import pytest
from django.urls import reverse

from inference.jobs import AVATAR_STORAGE_FULL, prepare_avatar
from theatre.models import Avatar, AvatarFrame

from tests.support.uploads import clip_upload, upload
from tests.support.disk import fill


@pytest.fixture
def small_media(settings, private_media, tmp_path):
    mount_point = tmp_path / "small-media"
    mount_point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount_point)], capture_output=True)
    if mounted.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "theatre.config.storage.AtomicFileSystemStorage", "OPTIONS": {"location": str(mount_point), "base_url": "/nowhere/"}},
    }
    settings.MEDIA_ROOT = mount_point
    yield mount_point
    subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_a_full_disk_fails_the_avatar_clearly_keeps_the_clip_and_a_retry_works(client, alice, small_media, run_queue,
                                                                                django_capture_on_commit_callbacks, tmp_path):
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, clip_upload(tmp_path))
    avatar = Avatar.objects.get()
    clip_bytes = avatar.clip.read()
    avatar.clip.close()

    fill(small_media, leave_bytes=8 * 1024)  # room for a frame or so, not for all of them
    prepare_avatar(avatar.pk)

    avatar.refresh_from_db()
    assert avatar.status == Avatar.Status.FAILED and avatar.failure_reason == AVATAR_STORAGE_FULL
    assert avatar.clip.read() == clip_bytes
    avatar.clip.close()
    assert not AvatarFrame.objects.filter(avatar=avatar).exists()
    stored = [p.name for p in small_media.rglob("*") if p.is_file() and p.name != "filler.bin"]
    assert stored == [avatar.clip.name.rsplit("/", 1)[-1]], stored  # nothing half-stored beside the clip
    assert "storage is full" in client.get(avatar.get_absolute_url()).content.decode()

    (small_media / "filler.bin").unlink()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("theatre:avatar_retry", args=[avatar.pk]))
    run_queue("cpu")
    avatar.refresh_from_db()
    assert avatar.status == Avatar.Status.READY, avatar.failure_reason
    assert avatar.frames.exists()
