"""An avatar from upload to ready: the form, the job on a real Redis worker, the page, deletion."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from inference.reconcile import reconcile_avatars
from theatre.models import Avatar

from tests.support.clipmaker import write_clip
from tests.support.uploads import clip_upload, upload, upload_and_prepare


def stored_files(root):
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())


def test_an_uploaded_clip_becomes_a_ready_avatar(client, alice, private_media, run_queue, django_capture_on_commit_callbacks, tmp_path):
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, clip_upload(tmp_path))
    avatar = Avatar.objects.get()
    assert response.status_code == 302 and response["Location"] == avatar.get_absolute_url()
    assert avatar.status == Avatar.Status.PROCESSING and avatar.job_id
    run_queue("cpu")
    avatar.refresh_from_db()
    assert avatar.status == Avatar.Status.READY, avatar.failure_reason
    assert 4 <= avatar.frames.count() <= 6 and avatar.frames.filter(chosen=True).count() == 1
    assert avatar.crop and avatar.poster and len(avatar.crop_box) == 4
    assert "has_speech" in avatar.voice_profile
    page = client.get(avatar.get_absolute_url())
    assert page.status_code == 200
    frame = avatar.frames.first()
    assert client.get(reverse("theatre:avatar_frame", args=[avatar.pk, frame.pk])).status_code == 200


def test_running_the_job_twice_changes_nothing(client, alice, private_media, run_queue, django_capture_on_commit_callbacks, tmp_path):
    from inference.jobs import prepare_avatar

    avatar = upload_and_prepare(client, alice, clip_upload(tmp_path), run_queue, django_capture_on_commit_callbacks)
    files = stored_files(private_media)
    prepare_avatar(avatar.pk)
    assert stored_files(private_media) == files


@pytest.mark.parametrize("content, message", [
    (b"\x00" * 4000, "not a video"),
    (b"", "empty"),
])
def test_a_broken_upload_is_refused_and_nothing_is_kept(client, alice, private_media, content, message):
    client.force_login(alice)
    response = upload(client, SimpleUploadedFile("me.mp4", content, content_type="video/mp4"))
    assert response.status_code == 200
    assert message in response.content.decode().lower()
    assert not Avatar.objects.exists()
    assert stored_files(private_media) == []


def test_a_too_short_clip_is_refused_with_its_reason(client, alice, private_media, tmp_path):
    client.force_login(alice)
    short = write_clip(tmp_path / "short.mp4", seconds=1.0)
    response = upload(client, SimpleUploadedFile("short.mp4", short.read_bytes()))
    assert "too short" in response.content.decode().lower()
    assert not Avatar.objects.exists()


def test_a_clip_over_the_size_cap_is_stopped_while_it_streams(client, alice, private_media, settings, tmp_path):
    settings.AVATAR_CLIP_MAX_BYTES = 50_000
    client.force_login(alice)
    response = upload(client, SimpleUploadedFile("big.mp4", b"\x00" * 200_000))
    assert response.status_code == 200
    assert "too big" in response.content.decode()
    assert not Avatar.objects.exists()


def test_a_failed_preparation_shows_its_reason_and_can_be_retried(client, alice, private_media, run_queue, django_capture_on_commit_callbacks, tmp_path):
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, clip_upload(tmp_path))
    avatar = Avatar.objects.get()
    # The stored clip is damaged after the upload checks passed (a disk error, say).
    with open(avatar.clip.path, "r+b") as clip:
        clip.truncate(2000)
    run_queue("cpu")
    avatar.refresh_from_db()
    assert avatar.status == Avatar.Status.FAILED and avatar.failure_reason
    assert avatar.clip  # the upload is kept for a retry
    assert avatar.failure_reason in client.get(avatar.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("theatre:avatar_retry", args=[avatar.pk]))
    avatar.refresh_from_db()
    assert avatar.status == Avatar.Status.PROCESSING


def test_a_lost_preparation_job_is_queued_again(alice, private_media, redis_conn, tmp_path):
    avatar = Avatar.objects.create(owner=alice, name="Lost", kind="object", job_id="gone")
    assert reconcile_avatars() == [avatar.pk]
    avatar.refresh_from_db()
    assert avatar.job_id != "gone"


def test_deleting_an_avatar_removes_every_file_of_its_likeness(client, alice, private_media, run_queue, django_capture_on_commit_callbacks, tmp_path):
    avatar = upload_and_prepare(client, alice, clip_upload(tmp_path), run_queue, django_capture_on_commit_callbacks)
    assert stored_files(private_media)
    client.post(reverse("theatre:avatar_delete", args=[avatar.pk]))
    assert not Avatar.objects.exists()
    assert stored_files(private_media) == []


def test_nobody_else_may_delete_or_retry_an_avatar(client, alice, bob, private_media):
    avatar = Avatar.objects.create(owner=alice, name="Mine", kind="object", status=Avatar.Status.FAILED)
    client.force_login(bob)
    assert client.post(reverse("theatre:avatar_delete", args=[avatar.pk])).status_code == 404
    assert client.post(reverse("theatre:avatar_retry", args=[avatar.pk])).status_code == 404
    assert Avatar.objects.filter(pk=avatar.pk, status=Avatar.Status.FAILED).exists()


def test_deleting_an_avatar_takes_down_others_films_with_it(alice, bob, befriend, private_media):
    from theatre.services.avatars import delete_avatar
    from theatre.models import Film, Notification

    from tests.support.filmmaking import make_film

    befriend(alice, bob)
    twin = Avatar.objects.create(owner=bob, name="Bob twin", kind="person", status=Avatar.Status.READY, policy=Avatar.Policy.FRIENDS)
    film = make_film(alice, cast=[twin])
    delete_avatar(twin)
    assert Film.objects.get(pk=film.pk).taken_down
    assert Notification.objects.filter(user=alice).exists()
