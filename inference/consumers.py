"""WebSocket consumers that forward progress events to the owner of a film or an avatar."""
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from .progress import avatar_group, film_group


class ProgressConsumer(AsyncJsonWebsocketConsumer):
    """Only the owner's session may subscribe; anyone else is refused before joining a group."""

    async def connect(self):
        user = self.scope.get("user")
        kind, pk = self.scope["url_route"]["kwargs"]["kind"], self.scope["url_route"]["kwargs"]["pk"]
        if await self.owned_state(user, kind, pk) is None:
            await self.close(code=4403)
            return
        self.group = film_group(pk) if kind == "film" else avatar_group(pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        # Read again once subscribed: an event sent between the check and the join is not lost.
        state = await self.owned_state(user, kind, pk)
        if state is not None:
            await self.send_json(state)

    async def disconnect(self, code):
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def progress_event(self, message):
        await self.send_json(message["event"])

    @database_sync_to_async
    def owned_state(self, user, kind, pk):
        """The row's current status when `user` owns it (through the access gate), else None."""
        from django.http import Http404

        from inference.status import avatar_status, film_status_with_queue
        from theatre.services.access import get_avatar_for, get_film_for

        try:
            if kind == "film":
                return film_status_with_queue(get_film_for(user, pk, may="own"))
            return avatar_status(get_avatar_for(user, pk, may="own"))
        except Http404:
            return None
