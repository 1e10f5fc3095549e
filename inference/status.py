"""The status a page shows for a film or an avatar, as one dict: sent over the WebSocket, and
returned by the polling endpoint and the API, so all three say the same thing."""


def film_status(film):
    return {
        "kind": "film",
        "id": film.pk,
        "status": film.status,
        "status_label": str(film.get_status_display()),
        "stage": film.stage,
        "progress": film.progress,
        "failure_reason": film.failure_reason,
        "backend": film.backend,
        "done": film.status == film.Status.DONE,
    }


def film_status_with_queue(film):
    """The film's status plus, while it waits, its place in the render queue (1 = next)."""
    status = film_status(film)
    if film.status == film.Status.QUEUED and film.job_id:
        from .queueing import queue_position

        status["queue_position"] = queue_position(film.job_id)
    return status


def avatar_status(avatar):
    return {
        "kind": "avatar",
        "id": avatar.pk,
        "status": avatar.status,
        "status_label": str(avatar.get_status_display()),
        "failure_reason": avatar.failure_reason,
        "done": avatar.status == avatar.Status.READY,
    }
