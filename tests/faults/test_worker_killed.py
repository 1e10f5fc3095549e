"""A render worker killed with SIGKILL half-way through a film: the reconciler notices at its next
round (the worker's process is gone, so the film's 90 s heartbeat timeout is not what catches it),
re-queues the film, and a fresh worker finishes it. Real processes: Daphne, RQ workers, Redis."""
import os
import signal
import time

import pytest

from tests.support.live_site import LiveSite
from tests.support.site_films import film_row, make_films, wait_for

pytestmark = pytest.mark.slow


def test_a_film_whose_worker_is_killed_mid_render_is_requeued_and_finished_by_a_fresh_worker(tmp_path, throwaway_redis):
    import redis
    from rq.job import Job

    with LiveSite(tmp_path / "site", workers=(), extra_env={"REDIS_URL": throwaway_redis.url}) as site:
        worker = site.start_worker(["gpu"], name="doomed-worker")
        [film_id] = make_films(site)
        first_job = film_row(site, film_id)["job_id"]
        wait_for(lambda: (row := film_row(site, film_id))["status"] == "rendering" and row["progress"] > 0,
                 timeout=120, what="the render to be under way")

        site.manage("reconcile")  # while the worker lives, the reconciler leaves its render alone
        assert film_row(site, film_id)["job_id"] == first_job

        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
        killed_at = time.monotonic()
        row = film_row(site, film_id)
        assert row["status"] == "rendering" and row["progress"] < 100, "the render ended before the kill"

        reconciled = site.manage("reconcile")
        requeued_after = time.monotonic() - killed_at
        row = film_row(site, film_id)
        assert row["status"] == "queued", reconciled.stdout + reconciled.stderr
        assert row["job_id"] != first_job and row["render_attempts"] == 1
        assert requeued_after < 15, f"re-queued {requeued_after:.1f} s after the kill"
        # RQ's own records no longer show the dead job as running.
        connection = redis.Redis.from_url(site.env["REDIS_URL"])
        assert not Job.exists(first_job, connection=connection), reconciled.stdout + reconciled.stderr

        site.start_worker(["gpu"], name="fresh-worker")
        wait_for(lambda: film_row(site, film_id)["status"] in ("done", "failed"), timeout=180,
                 what="the fresh worker to finish the film")
        row = film_row(site, film_id)
        assert (row["status"], row["progress"], row["render_attempts"]) == ("done", 100, 2), row["failure_reason"]
        assert (site.var_dir / "media" / row["video"]).stat().st_size > 10_000
        films_dir = site.var_dir / "media" / "films"
        assert not [p for p in films_dir.rglob("*") if "partial" in p.name]

