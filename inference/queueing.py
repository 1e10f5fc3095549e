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


def _enqueue(queue_name, row, function, on_failure, timeout):
    """Records a new job id on `row` (a film or an avatar: whatever the caller passes, so this
    module needs none of theatre's models) and enqueues the job, which gets the row's id."""
    job_id = uuid.uuid4().hex
    type(row).objects.filter(pk=row.pk).update(job_id=job_id)
    row.job_id = job_id
    django_rq.get_queue(queue_name).enqueue(
        function, row.pk, job_id=job_id, job_timeout=timeout, failure_ttl=86400, on_failure=Callback(on_failure),
    )
    return job_id


def enqueue_avatar_preparation(avatar):
    return _enqueue(AVATAR_QUEUE, avatar, "inference.jobs.prepare_avatar", "inference.jobs.avatar_job_failed",
                    timeout=600)


def enqueue_matte(avatar):
    """Redo an avatar's matte (its crop changed) on the avatar queue."""
    return _enqueue(AVATAR_QUEUE, avatar, "inference.jobs.remake_matte", "inference.jobs.matte_job_failed",
                    timeout=600)


def enqueue_film_render(film):
    return _enqueue(RENDER_QUEUE, film, "inference.jobs.render_film", "inference.jobs.film_job_failed", timeout=1800)


def queue_position(job_id, queue_name=RENDER_QUEUE):
    """1-based place of a job in its queue, or None when it is not waiting there."""
    try:
        return django_rq.get_queue(queue_name).job_ids.index(job_id) + 1
    except ValueError:
        return None


def cancel_queued_job(job_id, queue_name=RENDER_QUEUE):
    """Removes a job that waits in its queue (a cancelled render); one already gone is fine. The
    render job itself also does nothing for a film that is no longer queued."""
    from rq.exceptions import NoSuchJobError
    from rq.job import Job

    queue = django_rq.get_queue(queue_name)
    try:
        job = Job.fetch(job_id, connection=queue.connection)
    except NoSuchJobError:
        return False
    queue.remove(job)
    job.delete()
    return True
