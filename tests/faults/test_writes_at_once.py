"""The other "check, then write" rules hold when the same thing is asked for at the same instant by
separate processes (two web workers, two tabs), on the site's SQLite file and on Postgres:

- two people who send each other a friend request at once become friends, with one request row,
  rather than each finding no request from the other and leaving two pending ones
  (accounts.friends.send_request locks both people's rows);
- an avatar whose preparation failed, retried from four tabs at once, is queued once
  (avatars.retry_preparation changes the row with one conditional UPDATE, as request_render does);
- three sign-ups with the same handle at once (in any case) make one account; the others get the
  form's "taken" message, not an error page, and leave no account without a profile behind.

Each racer loads its rows first, then all call the service at the same instant (a barrier)."""
import http.client
import json
import re
import subprocess
import sys
import time

import pytest
import redis

from tests.support.at_once import at_once
from tests.support.live_site import BASE_DIR, LiveSite

pytestmark = pytest.mark.slow

SETUP = """
import json, django
django.setup()
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from accounts.models import Profile
from theatre.models import Avatar
ids = {}
for name in ("alice", "bob"):
    user = get_user_model().objects.create(username=name)
    Profile.objects.create(user=user, handle=name, display_name=name.title())
    ids[name] = user.pk
avatar = Avatar(owner_id=ids["alice"], name="Alice", status=Avatar.Status.FAILED, failure_reason="a test")
avatar.clip.save("clip.mp4", ContentFile(b"not really a video"), save=False)
avatar.save()
ids["avatar"] = avatar.pk
print(json.dumps(ids))
"""

RACE = """
import json, time, django
django.setup()
from django.contrib.auth import get_user_model
from accounts import friends
from theatre.models import Avatar
from theatre.services import avatars
User = get_user_model()
def send(me, them):
    me, them = User.objects.get(pk=me), User.objects.get(pk=them)
    return lambda: friends.send_request(me, them).status
def retry(avatar_id):
    avatar = Avatar.objects.get(pk=avatar_id)  # loaded before the race, as a view loads it
    return lambda: avatars.retry_preparation(avatar) or "retried"
act = {call}
# A barrier across processes: each says it is ready (rows loaded), then all go once every one is.
import os, pathlib
ready = pathlib.Path({folder!r})
(ready / str(os.getpid())).touch()
while len(list(ready.iterdir())) < {count}:
    time.sleep(0.001)
try:
    print(json.dumps(act()))
except (friends.FriendError, avatars.AvatarError) as error:
    print(json.dumps("refused"))
"""

ROWS = """
import json, django
django.setup()
from accounts.models import FriendRequest
print(json.dumps(sorted(FriendRequest.objects.values_list("status", flat=True))))
"""

ACCOUNTS = """
import json, django
django.setup()
from django.contrib.auth import get_user_model
users = get_user_model().objects.filter(username__iexact="mia")
print(json.dumps({"users": users.count(), "without_profile": users.filter(profile__isnull=True).count()}))
"""


def run(site, code):
    done = subprocess.run([sys.executable, "-c", code], cwd=BASE_DIR, env=site.env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def race(site, calls):
    folder = site.var_dir / f"ready-{time.monotonic_ns()}"
    folder.mkdir()
    code = [RACE.format(call=call, folder=str(folder), count=len(calls)) for call in calls]
    racers = [subprocess.Popen([sys.executable, "-c", source], cwd=BASE_DIR,
                               env=site.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
              for source in code]
    results = []
    for racer in racers:
        out, err = racer.communicate(timeout=120)
        assert racer.returncode == 0, err[-3000:]
        results.append(json.loads(out.strip().splitlines()[-1]))
    return sorted(results)


@pytest.fixture
def site(tmp_path, throwaway_redis, database_url):
    env = {"REDIS_URL": throwaway_redis.url, "RATE_LIMITS": "off",
           **({"DATABASE_URL": database_url} if database_url else {})}
    with LiveSite(tmp_path / "site", workers=(), extra_env=env) as site:
        site.ids = run(site, SETUP)
        yield site


def test_two_people_asking_each_other_at_once_become_friends_with_one_request(site):
    alice, bob = site.ids["alice"], site.ids["bob"]
    assert race(site, [f"send({alice}, {bob})", f"send({bob}, {alice})"]) == ["accepted", "pending"]
    assert run(site, ROWS) == ["accepted"]


def test_a_failed_avatar_retried_from_four_tabs_at_once_is_queued_once(site):
    results = race(site, [f"retry({site.ids['avatar']})"] * 4)
    assert results == ["refused", "refused", "refused", "retried"]
    assert redis.Redis.from_url(site.env["REDIS_URL"]).llen("rq:queue:cpu") == 1


def sign_up_at_once(site, handles):
    """Each thread opens the sign-up page (for its CSRF cookie), then all post at one instant."""
    def sign_up(handle, wait):
        connection = http.client.HTTPConnection("127.0.0.1", site.port, timeout=60)
        connection.request("GET", "/accounts/signup/")
        page = connection.getresponse()
        page.read()
        token = re.search(r"csrftoken=([^;]+)", page.getheader("Set-Cookie")).group(1)
        body = (f"csrfmiddlewaretoken={token}&handle={handle}&display_name=Mia"
                "&password1=a-long-pass-phrase-9&password2=a-long-pass-phrase-9")
        wait()
        connection.request("POST", "/accounts/signup/", body=body, headers={
            "Cookie": f"csrftoken={token}", "Content-Type": "application/x-www-form-urlencoded"})
        response = connection.getresponse()
        answer = (response.status, response.read().decode(errors="replace"))
        connection.close()
        return answer

    return at_once(sign_up, handles)


def test_three_sign_ups_with_one_handle_at_once_make_one_account(site):
    answers = sign_up_at_once(site, ["mia", "Mia", "MIA"])
    assert sorted(status for status, _page in answers) == [200, 200, 302], site.log("web")[-3000:]
    for status, page in answers:
        if status == 200:
            assert "is taken. Try another." in page
    assert run(site, ACCOUNTS) == {"users": 1, "without_profile": 0}
