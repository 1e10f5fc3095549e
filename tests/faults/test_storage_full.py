"""The media disk fills up while a film is being stored: the film fails with a reason its owner
can read, no partial file is left where it could be served, and files stored earlier are intact.

The disk is a real, small tmpfs mounted for the test (root may write through chmod, so a full disk
is the honest way to refuse a write); the site runs as real processes with MEDIA_ROOT on it."""
import hashlib
import subprocess

import av
import pytest

from inference.jobs import STORAGE_FULL

from tests.support.disk import fill
from tests.support.live_site import LiveSite
from tests.support.site_films import film_row, make_films, wait_for

pytestmark = pytest.mark.slow


@pytest.fixture
def small_disk(tmp_path):
    mount_point = tmp_path / "media"
    mount_point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", str(mount_point)], capture_output=True)
    if mounted.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    yield mount_point
    subprocess.run(["umount", "-l", str(mount_point)], check=False)


def digests(folder):
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in folder.rglob("*") if p.is_file() and p.name != "filler.bin"}


def test_a_film_that_does_not_fit_on_the_disk_fails_cleanly_and_earlier_files_stay_intact(tmp_path, small_disk, throwaway_redis):
    with LiveSite(tmp_path / "site", workers=(["gpu"],),
                  extra_env={"MEDIA_ROOT": str(small_disk), "REDIS_URL": throwaway_redis.url}) as site:
        [first] = make_films(site, longest=False)
        wait_for(lambda: film_row(site, first)["status"] in ("done", "failed"), timeout=180, what="the first film")
        assert film_row(site, first)["status"] == "done"
        before = digests(small_disk)

        fill(small_disk, leave_bytes=64 * 1024)  # room for a poster, not for a film
        [second] = make_films(site, longest=False)
        wait_for(lambda: film_row(site, second)["status"] in ("done", "failed"), timeout=180, what="the second film")

        row = film_row(site, second)
        assert row["status"] == "failed" and row["failure_reason"] == STORAGE_FULL
        assert row["video"] == "" and row["poster"] == ""
        assert digests(small_disk) == before  # nothing new (no partial film), nothing changed
        first_video = small_disk / film_row(site, first)["video"]
        with av.open(str(first_video)) as container:
            assert sum(1 for _ in container.decode(video=0)) > 10
        assert "Traceback" not in site.log("worker-1")
