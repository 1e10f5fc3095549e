"""The same render asked for by several processes at the same instant (a double click landing on
two web workers, two tabs): exactly one render is queued.

Why it holds: request_render changes the film with one conditional statement, UPDATE ... SET
status='queued' WHERE id=... AND status IN ('draft', 'failed'), and enqueues only when that
statement changed a row. The database runs the statements one after another on the row (SQLite
takes its write lock; Postgres makes the second wait on the row lock and re-checks the WHERE on
the new row), so only the first sees draft. This test races real processes on a SQLite file."""
import json
import subprocess
import sys
import time

import pytest
import redis

from tests.support.live_site import BASE_DIR, LiveSite
from tests.support.site_films import film_row, make_films

pytestmark = pytest.mark.slow

RACE = """
import json, time, django
django.setup()
from theatre.services import casting
from theatre.models import Film
film = Film.objects.select_related("owner").get(pk={film_id})
time.sleep(max(0, {start_at} - time.time()))  # every process fires at the same instant
print(json.dumps(casting.request_render(film, film.owner)))
"""


def test_four_processes_asking_at_once_queue_one_render(tmp_path, throwaway_redis):
    with LiveSite(tmp_path / "site", workers=(), extra_env={"REDIS_URL": throwaway_redis.url}) as site:
        [film_id] = make_films(site, render=False)
        start_at = time.time() + 4  # long enough for every process to have started Django
        racers = [subprocess.Popen([sys.executable, "-c", RACE.format(film_id=film_id, start_at=start_at)], cwd=BASE_DIR,
                                   env=site.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                  for _ in range(4)]
        results = []
        for racer in racers:
            out, err = racer.communicate(timeout=60)
            assert racer.returncode == 0, err[-2000:]
            results.append(json.loads(out.strip().splitlines()[-1]))
        assert sorted(results) == [False, False, False, True]
        assert redis.Redis.from_url(site.env["REDIS_URL"]).llen("rq:queue:gpu") == 1
        assert film_row(site, film_id)["status"] == "queued"
