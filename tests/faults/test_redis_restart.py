"""Redis restarts while films wait in the render queue. This test's Redis keeps nothing on disk
(--save "" --appendonly no), so the restart loses every queued job; the films' rows still say
queued, and the reconciler puts them back, so a worker renders them all and none is lost."""
import time

import pytest
import redis

from tests.support.live_site import LiveSite
from tests.support.site_films import film_row, make_films, wait_for

pytestmark = pytest.mark.slow


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
