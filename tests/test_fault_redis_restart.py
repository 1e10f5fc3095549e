"""Redis restarts while films wait in the render queue. This test's Redis keeps nothing on disk
(--save "" --appendonly no), so the restart loses every queued job; the films' rows still say
queued, and the reconciler puts them back, so a worker renders them all and none is lost."""
import subprocess
import time

import pytest
import redis

from inference.services import port_open

from .live_site import LiveSite, free_port
from .site_films import film_row, make_films, wait_for

pytestmark = pytest.mark.slow
REDIS_SERVER = "/usr/bin/redis-server"


class ThrowawayRedis:
    """A redis-server child process on a free port that keeps nothing, so a restart empties it."""

    def __init__(self, folder):
        self.folder, self.port, self.process = folder, free_port(), None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen([REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                         "--appendonly", "no", "--dir", str(self.folder)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(lambda: port_open(self.port), timeout=10, what="redis-server to listen")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def throwaway_redis(tmp_path):
    import shutil

    if not shutil.which(REDIS_SERVER):
        pytest.skip("Debian's redis-server is not installed")
    server = ThrowawayRedis(tmp_path / "redis")
    server.start()
    yield server
    server.stop()


def test_films_queued_before_a_redis_restart_are_all_rendered_after_it(tmp_path, throwaway_redis):
    site = LiveSite(tmp_path / "site", workers=(), extra_env={"REDIS_URL": throwaway_redis.url,
                                                     "RENDERS_AT_ONCE": "5"})
    with site:
        film_ids = make_films(site, count=3, longest=False)
        queue = "rq:queue:gpu"
        assert redis.Redis.from_url(throwaway_redis.url).llen(queue) == 3

        throwaway_redis.stop()
        throwaway_redis.start()
        assert redis.Redis.from_url(throwaway_redis.url).llen(queue) == 0  # the jobs are gone
        assert {film_row(site, pk)["status"] for pk in film_ids} == {"queued"}

        started = time.monotonic()
        reconciled = site.manage("reconcile")
        assert f"films re-queued {film_ids}" in reconciled.stdout
        site.start_worker(["gpu"])
        wait_for(lambda: all(film_row(site, pk)["status"] in ("done", "failed") for pk in film_ids), timeout=240,
                 interval=0.5, what="the worker to render every re-queued film")
        rows = [film_row(site, pk) for pk in film_ids]
        assert [row["status"] for row in rows] == ["done"] * 3, [row["failure_reason"] for row in rows]
        print(f"three films re-queued and rendered {time.monotonic() - started:.1f} s after the restart")
