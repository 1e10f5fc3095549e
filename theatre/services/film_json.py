"""A film as JSON: what the API answers about a film and what a completion webhook sends, so the
two always say the same thing. The status part is inference.status's, which the film page's
WebSocket and polling use too."""
from inference.status import film_status_with_queue


def _iso(moment):
    return moment.isoformat() if moment else None


def film_json(film, base_url, viewer=None, *, with_secret=False):
    """The film's state, script outline and cast. `base_url` makes the watch page's URL absolute
    (the request's host in the API, SITE_URL in a webhook). The owner (`viewer`) also sees the
    webhook URL; the secret only where `with_secret` (the API, never the webhook's own body)."""
    data = film_status_with_queue(film)
    data.setdefault("queue_position", None)
    members = {m.role_id: m.avatar for m in film.cast.select_related("avatar")}
    roles = list(film.script.roles.all())
    data.update(
        title=film.title,
        language=film.script.language,
        seed=film.seed,
        remixed_from=film.remixed_from_id,
        url=base_url.rstrip("/") + film.get_absolute_url(),
        duration=film.duration,
        taken_down=film.taken_down,
        created=_iso(film.created),
        rendered_at=_iso(film.rendered_at),
        cast={role.key: members[role.pk].pk for role in roles if role.pk in members},
        roles=[{
            "key": role.key, "name": role.name, "kinds": list(role.kinds or []),
            "avatar": members[role.pk].pk if role.pk in members else None,
            "avatar_name": members[role.pk].name if role.pk in members else None,
        } for role in roles],
        shots=film.script.shots.count(),
    )
    is_owner = viewer is not None and viewer.pk == film.owner_id
    data["webhook_url"] = (film.webhook_url or None) if is_owner or viewer is None else None
    if with_secret and is_owner:
        data["webhook_secret"] = film.webhook_secret or None
    return data
