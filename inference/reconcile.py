"""The database is the source of truth for renders. If a worker dies or Redis restarts, jobs are
lost while films still say queued or rendering; the reconciler finds those films and re-queues them
(or, after too many tries, fails them with a retry button), so no film waits forever."""
import logging
from datetime import timedelta

import django_rq
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus

from .queueing import enqueue_avatar_preparation, enqueue_film_render

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
STALE_AFTER = timedelta(seconds=90)  # a rendering film whose job has been silent this long is lost
LOST_RENDER = gettext_noop("The render stopped unexpectedly (a worker went away). Please try again.")
ALIVE = {JobStatus.QUEUED, JobStatus.STARTED, JobStatus.DEFERRED, JobStatus.SCHEDULED}


def job_alive(job_id):
    if not job_id:
        return False
    try:
        job = Job.fetch(job_id, connection=django_rq.get_connection("default"))
    except NoSuchJobError:
        return False
    status = job.get_status(refresh=True)
    if status == JobStatus.QUEUED:  # a queued job must also still be in its queue's list
        return job.id in django_rq.get_queue(job.origin).job_ids
    return status in ALIVE


def reconcile_films(now=None):
    from theatre.models import Film

    now = now or timezone.now()
    requeued, failed = [], []
    for film in Film.objects.filter(status__in=[Film.Status.QUEUED, Film.Status.RENDERING]):
        stale = film.status == Film.Status.RENDERING and (film.heartbeat is None or now - film.heartbeat > STALE_AFTER)
        if job_alive(film.job_id) and not stale:
            continue
        with transaction.atomic():
            locked = Film.objects.select_for_update().get(pk=film.pk)
            if locked.status not in (Film.Status.QUEUED, Film.Status.RENDERING):
                continue
            if locked.render_attempts >= MAX_ATTEMPTS:
                locked.status, locked.failure_reason, locked.stage = Film.Status.FAILED, LOST_RENDER, "failed"
                locked.save(update_fields=["status", "failure_reason", "stage"])
                failed.append(locked.pk)
                continue
            locked.status, locked.stage, locked.heartbeat = Film.Status.QUEUED, "queued", None
            locked.save(update_fields=["status", "stage", "heartbeat"])
            enqueue_film_render(locked.pk)
            requeued.append(locked.pk)
    if requeued or failed:
        log.warning("reconciler re-queued films %s and failed films %s", requeued, failed)
    return requeued, failed


def reconcile_avatars():
    from theatre.models import Avatar

    requeued = []
    for avatar in Avatar.objects.filter(status=Avatar.Status.PROCESSING):
        if not job_alive(avatar.job_id):
            enqueue_avatar_preparation(avatar.pk)
            requeued.append(avatar.pk)
    return requeued
