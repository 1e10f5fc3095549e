"""Live progress: whoever changes a film's or an avatar's status sends one group message here, and
the consumers forward it to the owner's open pages."""
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer


def film_group(film_id):
    return f"film-{film_id}"


def avatar_group(avatar_id):
    return f"avatar-{avatar_id}"


def broadcast(group, **event):
    """Sends an event to a group; a page that is not listening simply misses it and polls."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, {"type": "progress.event", "event": event})
    except Exception:  # noqa: BLE001 - progress is best effort; the database row is the truth
        import logging

        logging.getLogger(__name__).warning("progress broadcast to %s failed", group, exc_info=True)
