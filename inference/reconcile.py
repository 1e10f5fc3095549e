"""The database is the source of truth for renders. If a worker dies or Redis restarts, jobs are
lost while films still say queued or rendering; the reconciler finds those films and re-queues them
(or, after too many tries, fails them with a retry button), so no film waits forever.

A render counts as lost when its job is gone from Redis, when the worker RQ says is running it is
gone (its registration expired, or it ran on this machine and its process is dead), or when the
film's own heartbeat has been silent for RENDER_STALE_AFTER seconds. The worker check catches a
SIGKILLed worker within one reconciler round; the heartbeat covers workers on other machines."""
import logging
import os
import socket
from datetime import timedelta

import django_rq
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.worker import Worker

from .queueing import enqueue_avatar_preparation, enqueue_film_render

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
LOST_RENDER = gettext_noop("The render stopped unexpectedly (a worker went away). Please try again.")
ALIVE = {JobStatus.QUEUED, JobStatus.STARTED, JobStatus.DEFERRED, JobStatus.SCHEDULED}


def stale_after():
    """A rendering film whose job has been silent this long is lost (setting RENDER_STALE_AFTER)."""
    return timedelta(seconds=settings.RENDER_STALE_AFTER)


def _process_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process with that id: alive as far as we can tell
        return True
    try:  # a killed child not yet reaped by its parent is a zombie: dead for our purpose
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True


def worker_alive(job, connection):
    """Whether the worker RQ recorded for a started job still exists. Across machines only the
    registration can tell (it expires on its own); on this machine the process id tells at once."""
    if not job.worker_name:
        return True  # RQ has not recorded it yet: give it the benefit of the doubt
    worker = Worker.find_by_key(Worker.redis_worker_namespace_prefix + job.worker_name, connection=connection)
    if worker is None:
        return False
    if worker.hostname == socket.gethostname() and worker.pid:
        return _process_alive(worker.pid)
    return True


def _forget_dead_job(job, connection):
    """Clears RQ's own records of a job whose worker died, so the admin's queue pages do not list
    it as running for the next half hour (RQ would only notice when its timeout expires)."""
    try:
        job.delete()  # also drops its execution from the queue's StartedJobRegistry
        worker = job.worker_name and Worker.find_by_key(Worker.redis_worker_namespace_prefix + job.worker_name,
                                                        connection=connection)
        if worker:  # its process is dead (checked above): take it off the admin's list of workers
            worker.register_death()
    except Exception:  # noqa: BLE001 - best effort; the film row is what matters
        log.exception("could not clear the records of lost job %s", job.id)


def job_alive(job_id):
    if not job_id:
        return False
    connection = django_rq.get_connection("default")
    try:
        job = Job.fetch(job_id, connection=connection)
    except NoSuchJobError:
        return False
    status = job.get_status(refresh=True)
    if status == JobStatus.QUEUED:  # a queued job must also still be in its queue's list
        return job.id in django_rq.get_queue(job.origin).job_ids
    if status == JobStatus.STARTED and not worker_alive(job, connection):
        _forget_dead_job(job, connection)
        return False
    return status in ALIVE


def reconcile_films(now=None):
    from inference.jobs import fail_film
    from theatre.models import Film

    now = now or timezone.now()
    requeued, failed = [], []
    # Oldest request first, so films lost together go back into the queue in the order they had.
    for film in Film.objects.filter(status__in=[Film.Status.QUEUED, Film.Status.RENDERING]).order_by("queued_at", "pk"):
        stale = film.status == Film.Status.RENDERING and (film.heartbeat is None or now - film.heartbeat > stale_after())
        if job_alive(film.job_id) and not stale:
            continue
        with transaction.atomic():
            locked = Film.objects.select_for_update().get(pk=film.pk)
            if locked.status not in (Film.Status.QUEUED, Film.Status.RENDERING) or locked.job_id != film.job_id:
                continue  # it moved on while we looked (finished, or re-queued by someone else)
            if locked.render_attempts >= MAX_ATTEMPTS:
                fail_film(locked, LOST_RENDER)
                failed.append(locked.pk)
                continue
            locked.status, locked.stage, locked.progress, locked.heartbeat = Film.Status.QUEUED, "queued", 0, None
            locked.save(update_fields=["status", "stage", "progress", "heartbeat"])
            enqueue_film_render(locked)
            requeued.append(locked.pk)
    if requeued or failed:
        log.warning("reconciler re-queued films %s and failed films %s", requeued, failed)
    return requeued, failed


def reconcile_avatars():
    from theatre.models import Avatar

    requeued = []
    for avatar in Avatar.objects.filter(status=Avatar.Status.PROCESSING):
        if not job_alive(avatar.job_id):
            enqueue_avatar_preparation(avatar)
            requeued.append(avatar.pk)
    return requeued
