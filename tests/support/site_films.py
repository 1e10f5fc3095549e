"""Films made inside a LiveSite's own database, and read back from it, for the fault tests: the
test process never opens the site's database through Django (it has its own test database), so
films are made by a child Python process with the site's settings and read with sqlite3."""
import json
import sqlite3
import subprocess
import sys
import time

from tests.support.live_site import BASE_DIR

MAKE_FILMS = """
import json, django
django.setup()
from django.contrib.auth import get_user_model
from accounts.models import Profile
from theatre.services import casting
from theatre.models import Script
user, made = get_user_model().objects.get_or_create(username="faulty")
if made:
    Profile.objects.create(user=user, handle="faulty", display_name="Faulty")
pick = max if {longest} else min
template = pick(Script.objects.filter(is_template=True, language="en").order_by("pk"), key=lambda s: s.shots.count())
ids = []
for _ in range({count}):
    film = casting.start_film(user, template)
    if {render}:
        casting.request_render(film, user)
    ids.append(film.pk)
print(json.dumps(ids))
"""


def make_films(site, count=1, render=True, longest=True):
    """Films from the stock template with the most shots (the longest render; or the fewest),
    queued by the site's own casting.request_render; returns their ids."""
    code = MAKE_FILMS.format(count=count, render=render, longest=longest)
    done = subprocess.run([sys.executable, "-c", code], cwd=BASE_DIR,
                          env=site.env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def film_row(site, film_id):
    with sqlite3.connect(site.var_dir / "theatre.sqlite3", timeout=20) as db:
        db.row_factory = sqlite3.Row
        row = db.execute("SELECT * FROM theatre_film WHERE id = ?", (film_id,)).fetchone()
        return dict(row)


def wait_for(predicate, timeout, interval=0.05, what="condition"):
    """Polls until predicate() returns something truthy; fails the test after timeout seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")
