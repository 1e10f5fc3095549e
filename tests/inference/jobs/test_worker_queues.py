"""Several worker processes share the work by queue, as on several machines: two `gpu` workers
split the renders between them, and avatar preparation goes to the `cpu` worker only."""
import subprocess
import sys
import time

import pytest
import redis
from rq import Worker
from rq.job import Job

from tests.support.live_site import BASE_DIR, LiveSite

pytestmark = pytest.mark.slow

RENDERS, AVATARS = 4, 2

# Runs in the site's environment: queues the renders and uploads the clips, and prints the job ids.
SEED = f"""
import tempfile
from pathlib import Path
from django.core.files.uploadedfile import SimpleUploadedFile
from tests.support.clipmaker import write_clip
from tests.support.users import make_user
from theatre.services import avatars, casting
from theatre.models import Avatar, Film, Script
owner = make_user("many")
template = Script.objects.filter(is_template=True, language="en").order_by("pk").first()
for _ in range({RENDERS}):
    casting.request_render(casting.start_film(owner, template), owner)
clip = write_clip(Path(tempfile.mkdtemp()) / "me.mp4", size=(320, 240), seconds=2.5, audio="aac")
for index in range({AVATARS}):
    upload = SimpleUploadedFile("me.mp4", clip.read_bytes(), content_type="video/mp4")
    avatars.create_avatar(owner, name=f"Me {{index}}", kind="pet", description="a cat", policy="only_me", clip=upload)
print(" ".join("film:" + f.job_id for f in Film.objects.all()), " ".join("avatar:" + a.job_id for a in Avatar.objects.filter(owner=owner)))
"""


def test_renders_spread_over_two_gpu_workers_and_avatars_go_to_the_cpu_worker(tmp_path):
    with LiveSite(tmp_path / "site", workers=[("gpu",), ("gpu",), ("cpu",)], extra_env={"RENDERS_AT_ONCE": "10"}) as site:
        out = subprocess.run([sys.executable, "manage.py", "shell", "-c", SEED], cwd=BASE_DIR, env=site.env,
                             check=True, capture_output=True, text=True).stdout.split()
        jobs = [item.split(":") for item in out if ":" in item]
        connection = redis.Redis.from_url(site.env["REDIS_URL"])
        worker_queues = {w.name: tuple(w.queue_names()) for w in Worker.all(connection=connection)}
        assert sorted(worker_queues.values()) == [("cpu",), ("gpu",), ("gpu",)]
        ran_on = {}  # job id -> (kind, name of the worker that ran it)
        deadline = time.time() + 240
        while time.time() < deadline and len(ran_on) < len(jobs):
            for kind, job_id in jobs:
                job = Job.fetch(job_id, connection=connection)
                assert job.get_status() != "failed", job.latest_result()
                if job.get_status() == "finished":
                    ran_on[job_id] = (kind, job.worker_name)
            time.sleep(0.5)
    assert len(ran_on) == RENDERS + AVATARS, "not every job finished in time"
    render_workers = [name for kind, name in ran_on.values() if kind == "film"]
    avatar_workers = [name for kind, name in ran_on.values() if kind == "avatar"]
    assert {worker_queues[name] for name in render_workers} == {("gpu",)}
    assert len(set(render_workers)) == 2, "both gpu workers took renders"
    assert {worker_queues[name] for name in avatar_workers} == {("cpu",)}
