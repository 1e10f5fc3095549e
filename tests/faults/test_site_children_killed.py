"""`./run site` keeps its processes alive. A whole site is started by the launcher (which becomes
supervisord); while films render, each kind of child is killed with SIGKILL, one at a time: the gpu
worker, the cpu/default worker, RQ's scheduler, the reconciler, the web server and the site's own
Redis. Each is replaced by a new process (before supervision nothing started a killed worker again,
and its film waited "Queued" for ever), the site answers throughout or within a minute of its web
server's death, every film finishes, and stopping the site leaves no process behind."""
import os
import signal
import time

import pytest

from tests.support.launched_site import LaunchedSite
from tests.support.site_films import film_row, make_films, wait_for

pytestmark = pytest.mark.slow

# Program names the launcher gives them (theatre/config/launcher.py, site_programs), in kill order.
# The render-stopping kills (the gpu worker, Redis) each wait for a film on its first attempt, so
# that no film uses up the reconciler's three attempts.
KILLS = ["worker-1-gpu", "worker-2-cpu-default", "scheduler", "reconciler", "web", "redis"]
STOPS_THE_RENDER = {"worker-1-gpu", "redis"}


def films_in(site, film_ids):
    return [film_row(site, film_id) for film_id in film_ids]


def may_still_render(row, first_attempt=False):
    """A film that will be (or is) rendering: for a render-stopping kill, one still on its first
    attempt, as a film the gpu worker's kill sent back to the queue is on its second (the films
    left at the Redis kill may all be such: CI waited 300 s for a first attempt that never came)."""
    if not first_attempt:
        return row["status"] in ("queued", "rendering")
    return (row["status"], row["render_attempts"]) in (("queued", 0), ("rendering", 1))


def a_film_rendering(site, film_ids, first_attempt=False):
    for row in films_in(site, film_ids):
        if row["status"] == "rendering" and row["progress"] > 0 and (not first_attempt or row["render_attempts"] == 1):
            return row
    return None


def test_each_child_killed_mid_render_is_restarted_and_every_film_finishes(tmp_path):
    site = LaunchedSite(tmp_path / "site", extra_env={"RECONCILE_EVERY": "2", "RENDERS_AT_ONCE": "20",
                                                      "RATE_LIMITS": "off"})
    with site:
        film_ids = make_films(site, count=3)
        replaced = {}
        for program in KILLS:
            first_attempt = program in STOPS_THE_RENDER
            if not any(may_still_render(row, first_attempt) for row in films_in(site, film_ids)):
                film_ids += make_films(site, count=1)  # each kill happens while a film renders
            wait_for(lambda: a_film_rendering(site, film_ids, first_attempt=first_attempt), timeout=300,
                     interval=0.2, what=f"a film to be rendering before killing {program}")
            old = site.pid(program)
            assert old, site.status()
            os.kill(old, signal.SIGKILL)
            new = wait_for(lambda: (pid := site.pid(program)) not in (None, old) and pid, timeout=120, interval=0.2,
                           what=f"supervisord to start {program} again")
            replaced[program] = (old, new)
            if program == "web":
                wait_for(site.answers, timeout=60, interval=0.2, what="the restarted web server to answer")
            else:  # the web server did not go anywhere: it answers within seconds (30 for a loaded CI machine)
                assert wait_for(site.answers, timeout=30, interval=0.2, what=f"the site to answer after killing {program}")
        assert site.answers("/"), "the home page (sessions, cache) after Redis came back"

        wait_for(lambda: all(row["status"] in ("done", "failed") for row in films_in(site, film_ids)), timeout=900,
                 interval=0.5, what="every film to finish")
        for row in films_in(site, film_ids):
            assert (row["status"], row["progress"]) == ("done", 100), (row["id"], row["failure_reason"])
            assert (site.var_dir / "media" / row["video"]).stat().st_size > 10_000
        assert not [p for p in (site.var_dir / "media" / "films").rglob("*") if "partial" in p.name]

        # supervisord logged every death and every new start.
        log = (site.var_dir / "supervisord.log").read_text()
        for program, (old, new) in replaced.items():
            assert f"exited: {program} (terminated by SIGKILL; not expected)" in log
            assert f"spawned: '{program}' with pid {new}" in log
        every_pid = {pid for _state, pid in site.status().values()} | {old for old, _new in replaced.values()}

        assert site.stop("SIGTERM") == 0, site.log()[-3000:]
        assert site.processes_left() == [], site.log()[-3000:]
        assert not [pid for pid in every_pid if os.path.exists(f"/proc/{pid}")]


def test_ctrl_c_stops_every_process_of_the_site(tmp_path):
    """A terminal's Ctrl+C sends SIGINT to the whole process group of `./run site`."""
    site = LaunchedSite(tmp_path / "site", extra_env={"WORKERS": "gpu;cpu default"})
    with site:
        programs = site.all_running()
        assert set(programs) == {"redis", "worker-1-gpu", "worker-2-cpu-default", "scheduler", "reconciler", "web"}
        started = time.monotonic()
        site.stop("SIGINT")
        assert time.monotonic() - started < 120  # six programs, each given 10 s, on a loaded machine
        assert site.processes_left() == [], site.log()[-3000:]
