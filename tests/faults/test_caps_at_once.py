"""The render caps hold when one person's requests arrive at the same instant: of six renders fired
at once through the API of a live site (Daphne serves each request in a thread of its own), exactly
the cap is accepted, on SQLite and on Postgres. Before limits.hold_render_caps the caps were checked
before the transaction that counts, so requests that arrived together all passed them.

Both caps are "check, then count": RENDERS_AT_ONCE counts the films queued or rendering,
RENDERS_PER_DAY a counter in Redis. Films start as drafts (render: false), then all are rendered
at once, through the one route that does nothing but render (the route that makes and renders a
film in one request goes through the same request_render)."""
import http.client
import json
import subprocess
import sys

import pytest

from tests.support.at_once import at_once
from tests.support.live_site import BASE_DIR, LiveSite

pytestmark = pytest.mark.slow

RACERS = 6

SETUP = """
import json, django
django.setup()
from django.contrib.auth import get_user_model
from accounts.models import ApiToken, Profile
from theatre.services import casting
from theatre.models import Script
user = get_user_model().objects.create(username="racer")
Profile.objects.create(user=user, handle="racer", display_name="Racer")
template = min(Script.objects.filter(is_template=True, language="en").order_by("pk"), key=lambda s: s.shots.count())
films = [casting.start_film(user, template).pk for _ in range({count})]
print(json.dumps({{"token": ApiToken.issue(user), "films": films}}))
"""

COUNT = """
import json, django
django.setup()
from django.db.models import Count
from theatre.models import Film
print(json.dumps(dict(Film.objects.values_list("status").annotate(n=Count("pk")).order_by())))
"""


def run_in_site(site, code):
    done = subprocess.run([sys.executable, "-c", code], cwd=BASE_DIR, env=site.env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def fire_at_once(site, token, paths):
    """POSTs every path from its own thread, all released at one instant; returns the statuses."""
    def post(path, wait):
        connection = http.client.HTTPConnection("127.0.0.1", site.port, timeout=60)
        connection.connect()  # connected before the barrier, so only the request itself races
        wait()
        connection.request("POST", path, body=b"", headers={"Authorization": f"Token {token}"})
        response = connection.getresponse()
        response.read()
        connection.close()
        return response.status

    return at_once(post, paths)


def race(tmp_path, redis_url, database_url, **caps):
    env = {"REDIS_URL": redis_url, "RATE_LIMITS": "off", **{key: str(value) for key, value in caps.items()}}
    if database_url:
        env["DATABASE_URL"] = database_url
    # No workers: every accepted film stays queued, so it keeps counting against RENDERS_AT_ONCE.
    with LiveSite(tmp_path / "site", workers=(), extra_env=env) as site:
        made = run_in_site(site, SETUP.format(count=RACERS))
        statuses = fire_at_once(site, made["token"], [f"/api/films/{pk}/render/" for pk in made["films"]])
        return statuses, run_in_site(site, COUNT), site.log("web")


def test_six_renders_at_once_queue_exactly_renders_at_once(tmp_path, throwaway_redis, database_url):
    statuses, films, web_log = race(tmp_path, throwaway_redis.url, database_url, RENDERS_AT_ONCE=2)
    assert sorted(statuses) == [202, 202, 429, 429, 429, 429], web_log[-3000:]
    assert films == {"queued": 2, "draft": 4}


def test_six_renders_at_once_count_exactly_renders_per_day(tmp_path, throwaway_redis, database_url):
    statuses, films, web_log = race(tmp_path, throwaway_redis.url, database_url, RENDERS_AT_ONCE=50, RENDERS_PER_DAY=3)
    assert sorted(statuses) == [202, 202, 202, 429, 429, 429], web_log[-3000:]
    assert films == {"queued": 3, "draft": 3}
