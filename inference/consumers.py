"""WebSocket consumers that forward progress events to the owner of a film or an avatar."""
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from .progress import avatar_group, film_group


class ProgressConsumer(AsyncJsonWebsocketConsumer):
    """Only the owner's session may subscribe; anyone else is refused before joining a group."""

    async def connect(self):
        user = self.scope.get("user")
        kind, pk = self.scope["url_route"]["kwargs"]["kind"], self.scope["url_route"]["kwargs"]["pk"]
        if not user or not user.is_authenticated or not await self.owns(user, kind, pk):
            await self.close(code=4403)
            return
        self.group = film_group(pk) if kind == "film" else avatar_group(pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_json(await self.current_state(kind, pk))

    async def disconnect(self, code):
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def progress_event(self, message):
        await self.send_json(message["event"])

    @database_sync_to_async
    def owns(self, user, kind, pk):
        from theatre.models import Avatar, Film

        model = Film if kind == "film" else Avatar
        return model.objects.filter(pk=pk, owner=user).exists()

    @database_sync_to_async
    def current_state(self, kind, pk):
        from .status import avatar_status, film_status_with_queue
        from theatre.models import Avatar, Film

        if kind == "film":
            return film_status_with_queue(Film.objects.get(pk=pk))
        return avatar_status(Avatar.objects.get(pk=pk))
