"""Which queue each job goes to, and enqueueing that records the job id on the row.

`gpu` renders films; `cpu` prepares avatars. django-rq's default commit mode holds an enqueue made
inside a transaction until it commits, so a worker never looks for a row that is not there yet;
the job id is chosen here first, so the row can carry it in that same transaction.
"""
import uuid

import django_rq
from rq import Callback

AVATAR_QUEUE = "cpu"
RENDER_QUEUE = "gpu"


def _enqueue(queue_name, model, row_id, function, on_failure, timeout):
    job_id = uuid.uuid4().hex
    model.objects.filter(pk=row_id).update(job_id=job_id)
    django_rq.get_queue(queue_name).enqueue(
        function, row_id, job_id=job_id, job_timeout=timeout, failure_ttl=86400, on_failure=Callback(on_failure),
    )
    return job_id


def enqueue_avatar_preparation(avatar_id):
    from theatre.models import Avatar

    return _enqueue(AVATAR_QUEUE, Avatar, avatar_id, "inference.jobs.prepare_avatar",
                    "inference.jobs.avatar_job_failed", timeout=600)


def enqueue_film_render(film_id):
    from theatre.models import Film

    return _enqueue(RENDER_QUEUE, Film, film_id, "inference.jobs.render_film",
                    "inference.jobs.film_job_failed", timeout=1800)


def queue_position(job_id, queue_name=RENDER_QUEUE):
    """1-based place of a job in its queue, or None when it is not waiting there."""
    try:
        return django_rq.get_queue(queue_name).job_ids.index(job_id) + 1
    except ValueError:
        return None
