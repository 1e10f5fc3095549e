"""Which queue each job goes to, and enqueueing that always records the job id on the row.

`gpu` renders shots; `cpu` prepares avatars and assembles films. Callers enqueue after their
transaction commits (transaction.on_commit), so a worker never sees a row that is not there yet.
"""
import django_rq

AVATAR_QUEUE = "cpu"
RENDER_QUEUE = "gpu"


def enqueue_avatar_preparation(avatar_id):
    from theatre.models import Avatar

    job = django_rq.get_queue(AVATAR_QUEUE).enqueue(
        "inference.jobs.prepare_avatar", avatar_id, job_timeout=600, failure_ttl=86400,
        on_failure="inference.jobs.avatar_job_failed",
    )
    Avatar.objects.filter(pk=avatar_id).update(job_id=job.id)
    return job


def enqueue_film_render(film_id):
    from theatre.models import Film

    job = django_rq.get_queue(RENDER_QUEUE).enqueue(
        "inference.jobs.render_film", film_id, job_timeout=1800, failure_ttl=86400,
        on_failure="inference.jobs.film_job_failed",
    )
    Film.objects.filter(pk=film_id).update(job_id=job.id)
    return job


def queue_position(job_id, queue_name=RENDER_QUEUE):
    """1-based place of a job in its queue, or None when it is not waiting there."""
    queue = django_rq.get_queue(queue_name)
    try:
        return queue.job_ids.index(job_id) + 1
    except ValueError:
        return None
