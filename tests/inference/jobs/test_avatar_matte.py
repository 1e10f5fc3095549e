"""An avatar's matte from upload to page: made by the preparation job, shown through the access
gate, made again when the crop or the chosen frame changes, and never a reason for an avatar to
fail."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from skimage import data

from inference.media.matte import load_matte
from theatre.models import Avatar, MatteStatus

from tests.support.clipmaker import write_clip
from tests.support.matte_clips import FPS, StockOverPhoto
from tests.support.uploads import upload_and_prepare


def stock_clip(tmp_path):
    scene = StockOverPhoto("cat", data.coffee(), size=(320, 180), side=165, sweep=75, bob=6, seconds=2.5)
    path = write_clip(tmp_path / "cat.mp4", size=scene.size, fps=FPS, seconds=scene.seconds, audio="aac", draw=scene)
    return SimpleUploadedFile("cat.mp4", path.read_bytes(), content_type="video/mp4")


@pytest.fixture
def ready_avatar(client, alice, private_media, run_queue, django_capture_on_commit_callbacks, tmp_path):
    avatar = upload_and_prepare(client, alice, stock_clip(tmp_path), run_queue, django_capture_on_commit_callbacks)
    assert avatar.status == Avatar.Status.READY, avatar.failure_reason
    return avatar


def matte_of(avatar):
    with avatar.matte.open("rb") as handle:
        return load_matte(handle)


def test_preparation_makes_a_matte_shown_on_the_avatar_page(client, bob, ready_avatar):
    avatar = ready_avatar
    assert avatar.matte_status == MatteStatus.READY and avatar.matte and avatar.matte_preview
    matte = matte_of(avatar)
    assert len(matte.rgba) >= 2 * FPS and 256 <= matte.rgba.shape[1] <= 384
    assert (matte.rgba[..., 3] >= 128).mean() > 0.05  # the cat is in it
    url = reverse("theatre:avatar_file", args=[avatar.pk, "matte"])
    assert url in client.get(avatar.get_absolute_url()).content.decode()
    preview = client.get(url)
    assert preview.status_code == 200 and preview["Content-Type"] == "image/webp"
    client.force_login(bob)  # a stranger: the same 404 as for nothing
    assert client.get(url).status_code == 404


def test_changing_the_crop_makes_the_matte_again(client, ready_avatar, private_media, run_queue, django_capture_on_commit_callbacks):
    avatar = ready_avatar
    old_size = matte_of(avatar).rgba.shape
    box = {"left": 0.0, "top": 0.0, "right": 0.5, "bottom": 1.0}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("theatre:avatar_crop", args=[avatar.pk]), box)
    avatar.refresh_from_db()
    assert avatar.matte_status == MatteStatus.PENDING
    assert "Cutting the subject out" in client.get(avatar.get_absolute_url()).content.decode()
    run_queue("cpu")
    avatar.refresh_from_db()
    assert avatar.matte_status == MatteStatus.READY
    height, width = matte_of(avatar).rgba.shape[1:3]
    assert (height, width) != old_size[1:3]
    assert len(list((private_media / "avatars" / "mattes").iterdir())) == 2  # the old ones are gone
    assert width / height == pytest.approx(160 / 180, rel=0.03)  # the new crop's shape


def test_choosing_another_frame_makes_the_matte_again(client, ready_avatar, run_queue, django_capture_on_commit_callbacks):
    avatar = ready_avatar
    other = avatar.frames.filter(chosen=False).first()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("theatre:avatar_choose_frame", args=[avatar.pk, other.pk]))
    avatar.refresh_from_db()
    assert avatar.matte_status == MatteStatus.PENDING
    run_queue("cpu")
    avatar.refresh_from_db()
    assert avatar.matte_status == MatteStatus.READY and avatar.matte


def flat(index, time, width, height):
    import numpy as np

    return np.full((height, width, 3), (120, 130, 140), np.uint8)


def test_a_clip_with_nothing_to_cut_out_gives_a_ready_avatar_and_says_so(client, alice, private_media, run_queue, django_capture_on_commit_callbacks, tmp_path):
    path = write_clip(tmp_path / "wall.mp4", size=(320, 240), fps=FPS, seconds=2.5, draw=flat)
    wall = SimpleUploadedFile("wall.mp4", path.read_bytes(), content_type="video/mp4")
    avatar = upload_and_prepare(client, alice, wall, run_queue, django_capture_on_commit_callbacks)
    assert avatar.status == Avatar.Status.READY and avatar.crop
    assert avatar.matte_status == MatteStatus.FAILED and not avatar.matte and avatar.matte_note
    page = client.get(avatar.get_absolute_url()).content.decode()
    assert "could not cut the subject out" in page


def test_a_crash_in_the_matte_never_fails_the_avatar(client, alice, private_media, run_queue, django_capture_on_commit_callbacks, tmp_path, monkeypatch):
    import inference.media.matte

    def broken(*args, **kwargs):
        raise RuntimeError("a bug in the matte code")

    monkeypatch.setattr(inference.media.matte, "compute_matte", broken)
    avatar = upload_and_prepare(client, alice, stock_clip(tmp_path), run_queue, django_capture_on_commit_callbacks)
    assert avatar.status == Avatar.Status.READY and avatar.frames.count() >= 4
    assert avatar.matte_status == MatteStatus.FAILED and not avatar.matte
    assert client.get(avatar.get_absolute_url()).status_code == 200
